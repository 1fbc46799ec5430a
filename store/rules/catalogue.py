"""Butikken permissions: who may keep shortlists and take products into use (STO-5); used by services,
screens, API and templates alike. Reading the store needs no permission (anonymous visitors may read it)."""

from __future__ import annotations

import rules

from marketplace.acting import acting_organisation
from marketplace.rules import is_municipal, is_org_admin, is_platform_admin, is_vendor


@rules.predicate
def acts_for_an_organisation(user) -> bool:
    return acting_organisation(user) is not None


@rules.predicate
def is_shortlist_owner(user, shortlist) -> bool:
    """The shortlist belongs to the organisation the person acts for (any member)."""
    organisation = acting_organisation(user)
    return shortlist is not None and organisation is not None and shortlist.organisation_id == organisation.pk


@rules.predicate
def is_adopting_organisation(user, adoption) -> bool:
    organisation = acting_organisation(user)
    return adoption is not None and organisation is not None and adoption.organisation_id == organisation.pk


@rules.predicate
def is_adoption_vendor(user, adoption) -> bool:
    """The adoption is of a product of the vendor the person acts for."""
    organisation = acting_organisation(user)
    return adoption is not None and organisation is not None and adoption.product.vendor_id == organisation.pk


can_request_adoption = is_municipal & is_org_admin
can_view_adoption = is_platform_admin | is_adopting_organisation | is_adoption_vendor
can_answer_adoption = is_vendor & is_org_admin & is_adoption_vendor
can_withdraw_adoption = is_org_admin & is_adopting_organisation
can_end_adoption = is_org_admin & (is_adopting_organisation | is_adoption_vendor)

rules.add_perm("store.request_adoption", can_request_adoption)
rules.add_perm("store.view_adoption", can_view_adoption)
rules.add_perm("store.answer_adoption", can_answer_adoption)
rules.add_perm("store.withdraw_adoption", can_withdraw_adoption)
rules.add_perm("store.end_adoption", can_end_adoption)
rules.add_perm("store.register_adoption", is_platform_admin)

rules.add_perm("store.add_shortlist", acts_for_an_organisation)
rules.add_perm("store.view_shortlist", is_shortlist_owner)
rules.add_perm("store.change_shortlist", is_shortlist_owner)
rules.add_perm("store.delete_shortlist", is_shortlist_owner)
