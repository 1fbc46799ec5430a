"""Permission predicates of Erfaringsarena; views, API, templates and services share them.

A published experience is public. A draft is seen and edited by its author and by the organisation admins
of its organisation (ORG-4). Content hidden by a moderator is seen by platform administrators only, also
by its author (EXP-4). The vendor of a product replies once to experiences about it (EXP-3).
"""

from __future__ import annotations

import rules

from marketplace.acting import acting_membership, acting_organisation
from marketplace.rules import is_platform_admin

from .models import PRODUCT_TOPICS, Comment, Experience


@rules.predicate
def has_acting_organisation(user) -> bool:
    return acting_organisation(user) is not None


@rules.predicate
def is_published(user, experience: Experience) -> bool:
    return experience is not None and experience.status == Experience.Status.PUBLISHED


@rules.predicate
def is_draft(user, experience: Experience) -> bool:
    return experience is not None and experience.status == Experience.Status.DRAFT


@rules.predicate
def is_hidden(user, experience: Experience) -> bool:
    return experience is not None and experience.status == Experience.Status.HIDDEN


@rules.predicate
def is_experience_editor(user, experience: Experience) -> bool:
    """The author, or an organisation admin of the experience's organisation, acting for it."""
    membership = acting_membership(user)
    if experience is None or membership is None or membership.organisation_id != experience.organisation_id:
        return False
    return experience.author_id == user.pk or membership.is_admin


@rules.predicate
def acts_for_experience_organisation(user, experience: Experience) -> bool:
    organisation = acting_organisation(user)
    return (
        experience is not None and organisation is not None and organisation.pk == experience.organisation_id
    )


@rules.predicate
def is_about_own_product(user, experience: Experience) -> bool:
    """The actor acts for the vendor of the product the experience is about."""
    organisation = acting_organisation(user)
    return (
        experience is not None
        and organisation is not None
        and experience.topic in PRODUCT_TOPICS
        and experience.product is not None
        and experience.product.vendor_id == organisation.pk
    )


@rules.predicate
def is_author(user, experience: Experience) -> bool:
    return experience is not None and experience.author_id is not None and experience.author_id == user.pk


@rules.predicate
def comment_is_visible(user, comment: Comment) -> bool:
    return (
        comment is not None
        and comment.status == Comment.Status.VISIBLE
        and comment.experience.status == Experience.Status.PUBLISHED
    )


@rules.predicate
def is_comment_author(user, comment: Comment) -> bool:
    return comment is not None and comment.author_id is not None and comment.author_id == user.pk


can_view_experience = is_published | (is_hidden & is_platform_admin) | (is_draft & is_experience_editor)
can_change_experience = is_experience_editor & ~is_hidden
can_comment = rules.is_authenticated & has_acting_organisation & is_published & ~is_about_own_product
can_reply_as_vendor = rules.is_authenticated & is_published & is_about_own_product
can_mark_useful = (
    rules.is_authenticated & has_acting_organisation & is_published & ~acts_for_experience_organisation
)
can_follow = rules.is_authenticated & is_published
can_report_experience = rules.is_authenticated & is_published & ~is_author
can_report_comment = rules.is_authenticated & comment_is_visible & ~is_comment_author

rules.add_perm("experience.view_experience", can_view_experience)
rules.add_perm("experience.add_experience", rules.is_authenticated & has_acting_organisation)
rules.add_perm("experience.change_experience", can_change_experience)
rules.add_perm("experience.publish_experience", can_change_experience & is_draft)
rules.add_perm("experience.delete_experience", is_experience_editor & is_draft)
rules.add_perm("experience.comment_experience", can_comment)
rules.add_perm("experience.reply_experience", can_reply_as_vendor)
rules.add_perm("experience.mark_useful_experience", can_mark_useful)
rules.add_perm("experience.follow_experience", can_follow)
rules.add_perm("experience.report_experience", can_report_experience)
rules.add_perm("experience.report_comment", can_report_comment)
rules.add_perm("experience.moderate", is_platform_admin)
rules.add_perm("experience.view_hidden", is_platform_admin)
rules.add_perm("experience.rate_product", rules.is_authenticated & has_acting_organisation)
