"""Felleskjøp permissions (PRO-1 … PRO-6); views, API, templates and services share them.

- A procurement is public from the start of its market dialogue; while planning it is visible to the lead
  organisation, the need's owner and platform administrators.
- The lead organisation (any member) and platform administrators run it: timeline, declaration, criteria,
  phases, answers, scoring and the award.
- Offers are sealed: before the offer deadline only the offering vendor sees its offer; afterwards the lead
  organisation and platform administrators see it too. Nobody else ever sees another vendor's offer.
- Declaring intent and calling off commit an organisation: organisation admins of municipalities and counties.
"""

from __future__ import annotations

import rules

from marketplace.acting import acting_organisation
from marketplace.rules import is_municipal, is_org_admin, is_platform_admin, is_vendor

from ..models.procurement import Offer, Procurement


@rules.predicate
def has_acting_organisation(user) -> bool:
    return acting_organisation(user) is not None


@rules.predicate
def need_is_published(user, need) -> bool:
    from innovation.models import Stage

    return need is not None and need.stage == Stage.PUBLISHED


@rules.predicate
def owns_need(user, need) -> bool:
    organisation = acting_organisation(user)
    return need is not None and organisation is not None and need.owner_id == organisation.pk


@rules.predicate
def is_public_procurement(user, procurement: Procurement) -> bool:
    return procurement is not None and procurement.is_public


@rules.predicate
def leads_procurement(user, procurement: Procurement) -> bool:
    organisation = acting_organisation(user)
    return procurement is not None and organisation is not None and procurement.lead_id == organisation.pk


@rules.predicate
def owns_procurement_need(user, procurement: Procurement) -> bool:
    organisation = acting_organisation(user)
    return procurement is not None and organisation is not None and procurement.need.owner_id == organisation.pk


@rules.predicate
def procurement_is_editable(user, procurement: Procurement) -> bool:
    return procurement is not None and procurement.is_editable


@rules.predicate
def procurement_is_open(user, procurement: Procurement) -> bool:
    return procurement is not None and procurement.is_open


@rules.predicate
def offers_unsealed(user, procurement: Procurement) -> bool:
    return procurement is not None and not procurement.offers_sealed


@rules.predicate
def participates(user, procurement: Procurement) -> bool:
    """The acting organisation has declared intent (and not withdrawn); cached on the procurement instance."""
    organisation = acting_organisation(user)
    if procurement is None or organisation is None:
        return False
    from ..selectors.procurement import participant_ids

    return organisation.pk in participant_ids(procurement)


@rules.predicate
def offers_own(user, offer: Offer) -> bool:
    organisation = acting_organisation(user)
    return offer is not None and organisation is not None and offer.vendor_id == organisation.pk


@rules.predicate
def may_evaluate_offer(user, offer: Offer) -> bool:
    """The lead and platform administrators see an offer once the deadline has passed, never before."""
    if offer is None:
        return False
    procurement = offer.procurement
    return offers_unsealed(user, procurement) and (leads_procurement(user, procurement) | is_platform_admin(user))


can_view_procurement = is_public_procurement | leads_procurement | owns_procurement_need | is_platform_admin
can_manage_procurement = leads_procurement | is_platform_admin
can_open_procurement = rules.is_authenticated & need_is_published & ((owns_need & is_org_admin) | is_platform_admin)
can_view_offer = offers_own | may_evaluate_offer
can_view_evaluation = can_manage_procurement & offers_unsealed

rules.add_perm("store.open_procurement", can_open_procurement)
rules.add_perm("store.view_procurement", can_view_procurement)
rules.add_perm("store.manage_procurement", rules.is_authenticated & can_manage_procurement)
rules.add_perm("store.change_procurement", rules.is_authenticated & can_manage_procurement & procurement_is_editable)
rules.add_perm("store.declare_participation", rules.is_authenticated & is_municipal & is_org_admin & can_view_procurement)
rules.add_perm("store.ask_question", rules.is_authenticated & is_vendor & is_public_procurement)
rules.add_perm("store.submit_offer", rules.is_authenticated & is_vendor & is_public_procurement)
rules.add_perm("store.view_offer", rules.is_authenticated & can_view_offer)
rules.add_perm("store.view_evaluation", rules.is_authenticated & can_view_evaluation)
rules.add_perm("store.score_offer", rules.is_authenticated & can_view_evaluation)
rules.add_perm("store.call_off", rules.is_authenticated & is_municipal & is_org_admin & participates)
