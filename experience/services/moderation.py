"""Moderation (EXP-4): anyone logged in reports an experience or a comment, once; platform administrators
hide content with a reason or restore it, and the author is told. Hidden content disappears from every
list, page and API answer for everyone but platform administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.acting import acting_organisation
from marketplace.audit import audit_record
from marketplace.errors import Conflict, NotFound
from marketplace.models import User
from marketplace.permissions import ensure_allowed
from marketplace.workflow import transition

from ..models import Comment, Experience, Report, ReportReason
from .common import lock_comment, lock_experience, recount_product_experiences
from .conversation import recount_comments

MAX_NOTE = 2_000


def _reason_text(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so that the author understands the decision.")})
    if len(reason) > MAX_NOTE:
        raise ValidationError(
            {"reason": _("The reason can be at most %(max)s characters.") % {"max": "2 000"}}
        )
    return reason


def _clean_report(reason: str, note: str) -> tuple[str, str]:
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose why you report this.")})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("The note can be at most %(max)s characters.") % {"max": "2 000"}})
    return reason, note


def _create_report(*, actor: User, reason: str, note: str, **target: Any) -> Report:
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reason=reason, note=note, reporter=actor, organisation=acting_organisation(actor), **target
            )
    except IntegrityError:
        raise Conflict(
            _("You have already reported this. A moderator will look at it."), code="already_reported"
        ) from None
    from ..tasks import notify_reported_task

    transaction.on_commit(lambda: notify_reported_task.delay(report.pk))
    return report


@transaction.atomic
def report_experience(*, actor: User, experience_id: int, reason: str, note: str = "") -> Report:
    """Report a published experience to the moderators; one report per person."""
    experience = lock_experience(actor, experience_id)
    if not experience.is_published:
        raise NotFound(_("Experience not found."))
    reason, note = _clean_report(reason, note)
    if Report.objects.filter(experience=experience, reporter=actor).exists():
        raise Conflict(
            _("You have already reported this. A moderator will look at it."), code="already_reported"
        )
    ensure_allowed(
        actor,
        "experience.report_experience",
        experience,
        message=_("You cannot report your own experience. Edit it instead."),
    )
    report = _create_report(actor=actor, reason=reason, note=note, experience=experience)
    audit_record(actor=actor, verb="experience.reported", target=experience, data={"reason": reason})
    return report


@transaction.atomic
def report_comment(*, actor: User, comment_id: int, reason: str, note: str = "") -> Report:
    """Report a comment to the moderators; one report per person."""
    comment = lock_comment(actor, comment_id)
    if not comment.experience.is_published:
        raise NotFound(_("Comment not found."))
    reason, note = _clean_report(reason, note)
    if Report.objects.filter(comment=comment, reporter=actor).exists():
        raise Conflict(
            _("You have already reported this. A moderator will look at it."), code="already_reported"
        )
    ensure_allowed(
        actor, "experience.report_comment", comment, message=_("You cannot report your own comment.")
    )
    report = _create_report(actor=actor, reason=reason, note=note, comment=comment)
    audit_record(
        actor=actor,
        verb="experience.comment_reported",
        target=comment.experience,
        data={"reason": reason, "comment": comment.pk},
    )
    return report


def _close_reports(*, actor: User, to: str, reports, reason: str) -> int:
    closed = 0
    for report in reports.select_for_update():
        report.decided_by = actor
        report.decided_at = timezone.now()
        transition(
            report,
            to=to,
            actor=actor,
            reason=reason,
            verb=f"report.{to}",
            update_fields=["decided_by", "decided_at"],
        )
        closed += 1
    return closed


def _ensure_moderator(actor: User) -> None:
    ensure_allowed(
        actor, "experience.moderate", message=_("Only platform administrators moderate Erfaringsarena.")
    )


def _schedule_moderated(kind: str, pk: int, event_id: int) -> None:
    from ..tasks import notify_moderated_task

    transaction.on_commit(lambda: notify_moderated_task.delay(kind, pk, event_id))


@transaction.atomic
def experience_hide(*, actor: User, experience_id: int, reason: str) -> Experience:
    """Hide a published experience with a reason; its open reports are closed; the author is told."""
    _ensure_moderator(actor)
    experience = lock_experience(actor, experience_id)
    reason = _reason_text(reason)
    experience.hidden_at = timezone.now()
    experience.hidden_by = actor
    experience.hidden_reason = reason
    event = transition(
        experience,
        to=Experience.Status.HIDDEN,
        actor=actor,
        reason=reason,
        verb="experience.hidden",
        update_fields=["hidden_at", "hidden_by", "hidden_reason"],
    )
    _close_reports(
        actor=actor,
        to=Report.Status.UPHELD,
        reason=reason,
        reports=Report.objects.filter(experience=experience, status=Report.Status.OPEN),
    )
    recount_product_experiences(experience)
    _schedule_moderated("experience", experience.pk, event.pk)
    return experience


@transaction.atomic
def experience_restore(*, actor: User, experience_id: int, reason: str = "") -> Experience:
    """Show a hidden experience again; the author is told."""
    _ensure_moderator(actor)
    experience = lock_experience(actor, experience_id)
    if not experience.is_hidden:
        raise Conflict(_("The experience is not hidden."))
    experience.hidden_at = None
    experience.hidden_by = None
    experience.hidden_reason = ""
    event = transition(
        experience,
        to=Experience.Status.PUBLISHED,
        actor=actor,
        reason=(reason or "").strip(),
        verb="experience.restored",
        update_fields=["hidden_at", "hidden_by", "hidden_reason"],
    )
    recount_product_experiences(experience)
    _schedule_moderated("experience", experience.pk, event.pk)
    return experience


@transaction.atomic
def comment_hide(*, actor: User, comment_id: int, reason: str) -> Comment:
    """Hide a comment with a reason; its open reports are closed; the author is told."""
    _ensure_moderator(actor)
    comment = lock_comment(actor, comment_id, include_hidden=True)
    experience = lock_experience(actor, comment.experience_id)
    reason = _reason_text(reason)
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason
    event = transition(
        comment,
        to=Comment.Status.HIDDEN,
        actor=actor,
        reason=reason,
        verb="comment.hidden",
        update_fields=["hidden_at", "hidden_by", "hidden_reason"],
    )
    recount_comments(experience)
    _close_reports(
        actor=actor,
        to=Report.Status.UPHELD,
        reason=reason,
        reports=Report.objects.filter(comment=comment, status=Report.Status.OPEN),
    )
    _schedule_moderated("comment", comment.pk, event.pk)
    return comment


@transaction.atomic
def comment_restore(*, actor: User, comment_id: int, reason: str = "") -> Comment:
    """Show a hidden comment again; the author is told."""
    _ensure_moderator(actor)
    comment = lock_comment(actor, comment_id, include_hidden=True)
    experience = lock_experience(actor, comment.experience_id)
    if not comment.is_hidden:
        raise Conflict(_("The comment is not hidden."))
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    event = transition(
        comment,
        to=Comment.Status.VISIBLE,
        actor=actor,
        reason=(reason or "").strip(),
        verb="comment.restored",
        update_fields=["hidden_at", "hidden_by", "hidden_reason"],
    )
    recount_comments(experience)
    _schedule_moderated("comment", comment.pk, event.pk)
    return comment


@transaction.atomic
def report_dismiss(*, actor: User, report_id: int, reason: str = "") -> Report:
    """Dismiss a report: the content stays as it is."""
    _ensure_moderator(actor)
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        pk = None
    report = Report.objects.select_for_update().filter(pk=pk).first() if pk else None
    if report is None:
        raise NotFound(_("Report not found."))
    report.decided_by = actor
    report.decided_at = timezone.now()
    transition(
        report,
        to=Report.Status.DISMISSED,
        actor=actor,
        reason=(reason or "").strip(),
        verb="report.dismissed",
        update_fields=["decided_by", "decided_at"],
    )
    return report
