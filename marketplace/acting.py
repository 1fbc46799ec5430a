"""The acting organisation: every screen and API call acts with the rights of one organisation (ORG-4).

The memberships of a person are loaded once per request and cached on the user object, so that
permission predicates cost no queries.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .errors import PermissionRefused
from .models import Membership, Organisation

SESSION_KEY = "acting_organisation_id"


def memberships_of(user: Any) -> dict[int, Membership]:
    """The person's memberships by organisation id, loaded once and cached on the instance."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cache = getattr(user, "_memberships_cache", None)
    if cache is None:
        cache = {m.organisation_id: m for m in Membership.objects.filter(user=user).select_related("organisation")}
        user._memberships_cache = cache
    return cache


def forget_memberships(user: Any) -> None:
    user.__dict__.pop("_memberships_cache", None)


def attach_acting_organisation(user: Any, preferred_id: Any = None) -> Organisation | None:
    """Set user.acting_organisation / acting_membership from a preferred id or the first membership."""
    memberships = memberships_of(user)
    membership = None
    try:
        membership = memberships.get(int(preferred_id)) if preferred_id not in (None, "") else None
    except (TypeError, ValueError):
        membership = None
    if membership is None and memberships:
        membership = sorted(memberships.values(), key=lambda m: (m.organisation.name, m.pk))[0]
    user.acting_membership = membership
    user.acting_organisation = membership.organisation if membership else None
    return user.acting_organisation


def act_for(user: Any, organisation: Organisation | None) -> Any:
    """Make `user` act for `organisation` (refused unless a member) and return the user."""
    if organisation is None:
        attach_acting_organisation(user)
        return user
    membership = memberships_of(user).get(organisation.pk)
    if membership is None:
        raise PermissionRefused(_("You are not a member of %(organisation)s.") % {"organisation": organisation})
    user.acting_membership = membership
    user.acting_organisation = membership.organisation
    return user


def acting_organisation(user: Any) -> Organisation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "acting_organisation"):
        attach_acting_organisation(user)
    return user.acting_organisation


def acting_membership(user: Any) -> Membership | None:
    if acting_organisation(user) is None:
        return None
    return user.acting_membership
