"""Permission predicates of Innovasjonsarena; views, API, templates and services share them.

A need that is not yet published is visible to its owner organisation, its core team and platform
administrators; published and archived needs are public (INN-3, ORG-4). The core team (kjerneteam) is
the owner organisation and the organisations whose collaboration request was accepted (INN-4).
"""

from __future__ import annotations

import rules

from marketplace.acting import acting_organisation
from marketplace.rules import is_platform_admin, is_vendor

from .models import Collaboration, Need, Stage
from .selectors import core_team_ids, invited_ids


@rules.predicate
def has_acting_organisation(user) -> bool:
    return acting_organisation(user) is not None


@rules.predicate
def is_public_need(user, need: Need) -> bool:
    return need is not None and need.is_public


@rules.predicate
def is_shared_with_participants(user, need: Need) -> bool:
    """The owner has opened the unpublished need to logged-in participants."""
    return need is not None and need.shared and acting_organisation(user) is not None


@rules.predicate
def in_core_team(user, need: Need) -> bool:
    organisation = acting_organisation(user)
    return need is not None and organisation is not None and organisation.pk in core_team_ids(need)


@rules.predicate
def is_invited(user, need: Need) -> bool:
    """The acting organisation has an unanswered invitation to the core team: it reads before answering."""
    organisation = acting_organisation(user)
    return need is not None and organisation is not None and organisation.pk in invited_ids(need)


@rules.predicate
def owns_need(user, need: Need) -> bool:
    organisation = acting_organisation(user)
    return need is not None and organisation is not None and need.owner_id == organisation.pk


@rules.predicate
def need_is_open(user, need: Need) -> bool:
    return need is not None and not need.is_archived


@rules.predicate
def need_is_published(user, need: Need) -> bool:
    return need is not None and need.stage == Stage.PUBLISHED


@rules.predicate
def is_operator(user) -> bool:
    organisation = acting_organisation(user)
    return organisation is not None and organisation.is_operator


@rules.predicate
def owns_collaboration_need(user, collaboration: Collaboration) -> bool:
    organisation = acting_organisation(user)
    return (
        collaboration is not None
        and organisation is not None
        and collaboration.need.owner_id == organisation.pk
    )


@rules.predicate
def acts_for_collaborator(user, collaboration: Collaboration) -> bool:
    organisation = acting_organisation(user)
    return (
        collaboration is not None
        and organisation is not None
        and collaboration.organisation_id == organisation.pk
    )


@rules.predicate
def is_invitation(user, collaboration: Collaboration) -> bool:
    return collaboration is not None and collaboration.is_invitation


@rules.predicate
def can_view_entry_need(user, entry) -> bool:
    return entry is not None and (is_platform_admin(user) or in_core_team(user, entry.need))


can_view_need = is_public_need | is_shared_with_participants | is_platform_admin | in_core_team | is_invited
can_change_need = in_core_team & need_is_open
can_change_stage = owns_need
can_request_collaboration = (
    rules.is_authenticated
    & has_acting_organisation
    & ~is_vendor
    & ~is_operator
    & can_view_need
    & need_is_open
    & ~in_core_team
    & ~is_invited
)
can_register_interest = rules.is_authenticated & is_vendor & need_is_published
can_view_core_work = is_platform_admin | in_core_team

rules.add_perm("innovation.view_need", can_view_need)
rules.add_perm("innovation.add_need", rules.is_authenticated & has_acting_organisation)
rules.add_perm("innovation.change_need", can_change_need)
rules.add_perm("innovation.change_need_stage", can_change_stage)
rules.add_perm("innovation.retire_need", owns_need & need_is_open)
rules.add_perm("innovation.request_collaboration", can_request_collaboration)
# A request is answered by the owner and withdrawn by the asker; an invitation the other way round.
rules.add_perm(
    "innovation.decide_collaboration",
    (~is_invitation & owns_collaboration_need) | (is_invitation & acts_for_collaborator),
)
rules.add_perm(
    "innovation.withdraw_collaboration",
    (~is_invitation & acts_for_collaborator) | (is_invitation & owns_collaboration_need),
)
rules.add_perm("innovation.invite_collaborator", owns_need & need_is_open)
rules.add_perm("innovation.end_collaboration", owns_collaboration_need | acts_for_collaborator)
rules.add_perm(
    "innovation.view_collaboration", owns_collaboration_need | acts_for_collaborator | is_platform_admin
)
rules.add_perm("innovation.register_interest", can_register_interest)
rules.add_perm("innovation.view_interested_vendors", can_view_core_work)
rules.add_perm("innovation.view_involvement", can_view_core_work)
rules.add_perm("innovation.view_involvemententry", can_view_entry_need)
rules.add_perm("innovation.follow_need", rules.is_authenticated & can_view_need)
rules.add_perm(
    "innovation.comment_need", rules.is_authenticated & has_acting_organisation & can_view_need & need_is_open
)
