"""Documents (INN-9), following and the discussion thread (INN-10) of a need."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.errors import Conflict
from marketplace.models import Document, User
from marketplace.permissions import ensure_allowed
from marketplace.services.documents import document_delete, document_upload
from marketplace.terms import ensure_terms_accepted

from ..models import (
    Comment,
    Follow,
)
from .common import acting, ensure_can_edit, lock_need

# Documents (INN-9) ------------------------------------------------------------------------------


@transaction.atomic
def need_document_add(
    *, actor: User, need_id: int, upload: UploadedFile, title: str = "", kind: str = ""
) -> Document:
    """Attach a document to a need (core team)."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    document = document_upload(
        actor=actor,
        organisation=organisation,
        owner=need,
        upload=upload,
        kind=kind,
        title=(title or "").strip(),
    )
    need.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def need_document_delete(*, actor: User, need_id: int, document_id: int) -> None:
    """Remove a document from a need (core team)."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    ensure_terms_accepted(acting(actor))
    document_delete(actor=actor, document_id=document_id, owner=need)


# Following and discussion (INN-10) --------------------------------------------------------------


@transaction.atomic
def need_follow(*, actor: User, need_id: int) -> Follow:
    """Follow a need to be told of its changes."""
    need = lock_need(actor, need_id)
    ensure_allowed(actor, "innovation.follow_need", need)
    follow, _created = Follow.objects.get_or_create(need=need, user=actor)
    return follow


@transaction.atomic
def need_unfollow(*, actor: User, need_id: int) -> None:
    """Stop following a need."""
    need = lock_need(actor, need_id)
    Follow.objects.filter(need=need, user=actor).delete()


MAX_COMMENT = 5000


@transaction.atomic
def comment_add(*, actor: User, need_id: int, body: str) -> Comment:
    """Write in a need's discussion thread; the writer follows the need, followers are told."""
    need = lock_need(actor, need_id)
    if need.is_archived:
        raise Conflict(_("The need is archived; its discussion is closed."))
    organisation = acting(actor)
    ensure_allowed(actor, "innovation.comment_need", need)
    ensure_terms_accepted(organisation)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > MAX_COMMENT:
        raise ValidationError(
            {"body": _("A comment can be at most %(max)s characters.") % {"max": MAX_COMMENT}}
        )
    comment = Comment.objects.create(need=need, author=actor, organisation=organisation, body=body)
    Follow.objects.get_or_create(need=need, user=actor)
    from ..tasks import notify_comment_added_task

    comment_id = comment.pk
    transaction.on_commit(lambda: notify_comment_added_task.delay(comment_id))
    return comment
