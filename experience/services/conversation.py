"""The conversation around an experience (EXP-3): comments, the vendor's one reply, "nyttig" marks and
following."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.audit import audit_record
from marketplace.errors import Conflict, PermissionRefused
from marketplace.models import User
from marketplace.permissions import ensure_allowed
from marketplace.terms import ensure_terms_accepted

from ..models import Comment, Experience, Follow, UsefulMark
from .common import acting, lock_experience

MAX_COMMENT = 4_000


def _body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > MAX_COMMENT:
        raise ValidationError({"body": _("A comment can be at most %(max)s characters.") % {"max": "4 000"}})
    return body


def recount_comments(experience: Experience) -> None:
    """Keep the visible-comment count right; the caller holds the experience's lock."""
    experience.comment_count = Comment.objects.filter(
        experience=experience, status=Comment.Status.VISIBLE
    ).count()
    Experience.objects.filter(pk=experience.pk).update(comment_count=experience.comment_count)


def _ensure_published(experience: Experience) -> None:
    if not experience.is_published:
        raise Conflict(_("The experience is not published."))


@transaction.atomic
def comment_add(*, actor: User, experience_id: int, body: str) -> Comment:
    """Comment on a published experience; the commenter follows it from now on."""
    experience = lock_experience(actor, experience_id)
    _ensure_published(experience)
    organisation = acting(actor)
    if experience.product is not None and experience.product.vendor_id == organisation.pk:
        raise PermissionRefused(
            _("As the vendor of %(product)s you answer with the vendor's reply.")
            % {"product": experience.product.name}
        )
    ensure_allowed(actor, "experience.comment_experience", experience)
    ensure_terms_accepted(organisation)
    comment = Comment.objects.create(
        experience=experience, author=actor, organisation=organisation, body=_body(body)
    )
    recount_comments(experience)
    Follow.objects.get_or_create(experience=experience, user=actor)
    audit_record(
        actor=actor,
        verb="experience.commented",
        target=experience,
        organisation=organisation,
        data={"comment": comment.pk},
    )
    from ..tasks import notify_comment_added_task

    transaction.on_commit(lambda: notify_comment_added_task.delay(comment.pk))
    return comment


@transaction.atomic
def vendor_reply_add(*, actor: User, experience_id: int, body: str) -> Comment:
    """The product's vendor replies to an experience about it, once; shown as the vendor's reply (EXP-3)."""
    experience = lock_experience(actor, experience_id)
    _ensure_published(experience)
    ensure_allowed(
        actor,
        "experience.reply_experience",
        experience,
        message=_("Only the vendor of the product the experience is about can reply as the vendor."),
    )
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    # The experience's lock serialises replies; the unique constraint is the last guard.
    if Comment.objects.filter(experience=experience, is_vendor_reply=True).exists():
        raise Conflict(
            _("%(vendor)s has already replied to this experience. The vendor replies once.")
            % {"vendor": organisation.name},
            code="already_replied",
        )
    reply = Comment.objects.create(
        experience=experience, author=actor, organisation=organisation, body=_body(body), is_vendor_reply=True
    )
    recount_comments(experience)
    Follow.objects.get_or_create(experience=experience, user=actor)
    audit_record(
        actor=actor,
        verb="experience.vendor_replied",
        target=experience,
        organisation=organisation,
        data={"comment": reply.pk},
    )
    from ..tasks import notify_comment_added_task

    transaction.on_commit(lambda: notify_comment_added_task.delay(reply.pk))
    return reply


def _recount_useful(experience: Experience) -> None:
    experience.useful_count = UsefulMark.objects.filter(experience=experience).count()
    Experience.objects.filter(pk=experience.pk).update(useful_count=experience.useful_count)


@transaction.atomic
def useful_mark(*, actor: User, experience_id: int) -> Experience:
    """Mark an experience as useful ("nyttig"); marking twice changes nothing."""
    experience = lock_experience(actor, experience_id)
    _ensure_published(experience)
    organisation = acting(actor)
    if experience.organisation_id == organisation.pk:
        raise PermissionRefused(_("You cannot mark your own organisation's experience as useful."))
    ensure_allowed(actor, "experience.mark_useful_experience", experience)
    ensure_terms_accepted(organisation)
    _mark, created = UsefulMark.objects.get_or_create(
        experience=experience, user=actor, defaults={"organisation": organisation}
    )
    if created:
        _recount_useful(experience)
    return experience


@transaction.atomic
def useful_unmark(*, actor: User, experience_id: int) -> Experience:
    """Take back my "nyttig" mark."""
    experience = lock_experience(actor, experience_id)
    deleted, _rows = UsefulMark.objects.filter(experience=experience, user=actor).delete()
    if deleted:
        _recount_useful(experience)
    return experience


@transaction.atomic
def follow(*, actor: User, experience_id: int) -> Follow:
    """Follow an experience: be told of comments, the vendor's reply and edits."""
    experience = lock_experience(actor, experience_id)
    ensure_allowed(actor, "experience.follow_experience", experience)
    return Follow.objects.get_or_create(experience=experience, user=actor)[0]


@transaction.atomic
def unfollow(*, actor: User, experience_id: int) -> None:
    """Stop following an experience."""
    experience = lock_experience(actor, experience_id)
    Follow.objects.filter(experience=experience, user=actor).delete()
