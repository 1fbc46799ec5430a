"""Permission predicates (django-rules) for the core; views, API, templates and services share them."""

from __future__ import annotations

import rules

from .acting import acting_membership, acting_organisation
from .models import Organisation


@rules.predicate
def is_platform_admin(user) -> bool:
    """Acting for the operator (KS): a platform administrator (ORG-2)."""
    organisation = acting_organisation(user)
    return organisation is not None and organisation.kind == Organisation.Kind.OPERATOR


@rules.predicate
def is_org_admin(user) -> bool:
    membership = acting_membership(user)
    return membership is not None and membership.is_admin


@rules.predicate
def is_vendor(user) -> bool:
    organisation = acting_organisation(user)
    return organisation is not None and organisation.kind == Organisation.Kind.VENDOR


@rules.predicate
def is_municipal(user) -> bool:
    organisation = acting_organisation(user)
    return organisation is not None and organisation.is_municipal


@rules.predicate
def acts_for_organisation(user, organisation) -> bool:
    return organisation is not None and acting_organisation(user) == organisation


@rules.predicate
def has_accepted_current_terms(user) -> bool:
    from .terms import terms_pending_for

    organisation = acting_organisation(user)
    return organisation is not None and not terms_pending_for(organisation)


@rules.predicate
def acts_for_membership_organisation(user, membership) -> bool:
    """Acting for the organisation a membership belongs to (its members see each other)."""
    organisation = acting_organisation(user)
    return membership is not None and organisation is not None and organisation.pk == membership.organisation_id


can_manage_organisation = (acts_for_organisation & is_org_admin) | is_platform_admin

rules.add_perm("marketplace.manage_organisation", can_manage_organisation)
rules.add_perm("marketplace.view_organisation", rules.always_allow)
rules.add_perm("marketplace.create_organisation", is_platform_admin)
rules.add_perm("marketplace.accept_terms", is_org_admin & ~is_platform_admin)
rules.add_perm("marketplace.manage_terms", is_platform_admin)
rules.add_perm("marketplace.manage_taxonomy", is_platform_admin)
rules.add_perm("marketplace.view_audit", is_platform_admin)
rules.add_perm("marketplace.view_terms", rules.always_allow)
rules.add_perm("marketplace.view_membership", acts_for_membership_organisation | is_platform_admin)
