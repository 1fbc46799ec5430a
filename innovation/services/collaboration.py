"""Collaboration (INN-4) and interested vendors (INN-6): asking to join a core team, the owner's answer,
leaving, and vendors registering interest."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import audit_record
from marketplace.errors import Conflict, NotFound, PermissionRefused
from marketplace.models import Organisation, User
from marketplace.permissions import ensure_allowed
from marketplace.terms import ensure_terms_accepted
from marketplace.workflow import transition

from ..models import Collaboration, Follow, InterestedVendor, Stage
from ..selectors import core_team_ids, invited_ids
from .common import acting, lock_need

MAX_MESSAGE = 2000


@transaction.atomic
def collaboration_request(*, actor: User, need_id: int, message: str = "") -> Collaboration:
    """Ask, for the acting organisation, to join a need's core team; the owner accepts or declines."""
    need = lock_need(actor, need_id)
    organisation = acting(actor)
    if organisation.pk in core_team_ids(need):
        raise Conflict(
            _("%(organisation)s is already in the core team of this need.") % {"organisation": organisation}
        )
    if organisation.is_vendor:
        raise PermissionRefused(_("Vendors do not join core teams; register interest in the need instead."))
    if need.is_archived:
        raise Conflict(_("The need is archived; it no longer takes new collaborators."))
    if organisation.pk in invited_ids(need):
        raise Conflict(
            _("%(organisation)s is already invited to the core team; answer the invitation instead.")
            % {"organisation": organisation}
        )
    ensure_allowed(
        actor,
        "innovation.request_collaboration",
        need,
        message=_("Your organisation cannot ask to collaborate on this need."),
    )
    ensure_terms_accepted(organisation)
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": _("The message can be at most %(max)s characters.") % {"max": MAX_MESSAGE}}
        )
    if Collaboration.objects.filter(
        need=need, organisation=organisation, status=Collaboration.Status.PENDING
    ).exists():
        raise Conflict(
            _("%(organisation)s has already asked to collaborate; the owner has not answered yet.")
            % {"organisation": organisation}
        )
    try:
        with transaction.atomic():
            collaboration = Collaboration.objects.create(
                need=need, organisation=organisation, requested_by=actor, message=message
            )
    except IntegrityError as exc:  # a request sent at the same moment from another tab
        raise Conflict(
            _("%(organisation)s has already asked to collaborate.") % {"organisation": organisation}
        ) from exc
    audit_record(
        actor=actor,
        verb="collaboration.requested",
        target=collaboration,
        organisation=organisation,
        to_state=collaboration.status,
        reason=message,
    )
    from ..tasks import notify_collaboration_requested_task

    pk = collaboration.pk
    transaction.on_commit(lambda: notify_collaboration_requested_task.delay(pk))
    return collaboration


@transaction.atomic
def collaboration_invite(
    *, actor: User, need_id: int, organisation_id: int, message: str = ""
) -> Collaboration:
    """Ask another organisation, for the owner, to join the need's core team; it accepts or declines."""
    need = lock_need(actor, need_id)
    ensure_allowed(
        actor,
        "innovation.invite_collaborator",
        need,
        message=_("Only the owner organisation can invite others to the core team of an open need."),
    )
    owner = acting(actor)
    ensure_terms_accepted(owner)
    invited = Organisation.objects.filter(pk=organisation_id).first()
    if invited is None:
        raise ValidationError({"organisation": _("Choose an organisation.")})
    if invited.is_vendor or invited.is_operator:
        raise ValidationError(
            {
                "organisation": _(
                    "Vendors and the operator are not invited into core teams; vendors "
                    "register interest and are involved in step 3."
                )
            }
        )
    if invited.pk in core_team_ids(need):
        raise Conflict(_("%(organisation)s is already in the core team.") % {"organisation": invited})
    if Collaboration.objects.filter(
        need=need, organisation=invited, status=Collaboration.Status.PENDING
    ).exists():
        raise Conflict(
            _("%(organisation)s already has a request or invitation waiting for an answer.")
            % {"organisation": invited}
        )
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": _("The message can be at most %(max)s characters.") % {"max": MAX_MESSAGE}}
        )
    collaboration = Collaboration.objects.create(
        need=need,
        organisation=invited,
        kind=Collaboration.Kind.INVITATION,
        requested_by=actor,
        message=message,
    )
    audit_record(
        actor=actor,
        verb="collaboration.invited",
        target=collaboration,
        organisation=owner,
        to_state=collaboration.status,
        reason=message,
    )
    from ..tasks import notify_collaboration_requested_task

    pk = collaboration.pk
    transaction.on_commit(lambda: notify_collaboration_requested_task.delay(pk))
    return collaboration


def _lock_collaboration(actor: User, collaboration_id: int) -> Collaboration:
    collaboration = (
        Collaboration.objects.select_for_update(of=("self",))
        .select_related("need", "organisation")
        .filter(pk=collaboration_id)
        .first()
    )
    if collaboration is None or not actor.has_perm("innovation.view_collaboration", collaboration):
        raise NotFound(_("Collaboration request not found."))
    return collaboration


def _decide(*, actor: User, collaboration_id: int, to: str, reason: str) -> Collaboration:
    collaboration = _lock_collaboration(actor, collaboration_id)
    ensure_allowed(
        actor,
        "innovation.decide_collaboration",
        collaboration,
        message=_("Only the invited organisation can answer this invitation.")
        if collaboration.is_invitation
        else _("Only the owner organisation of the need can answer this request."),
    )
    if to == Collaboration.Status.ACCEPTED:
        ensure_terms_accepted(acting(actor))
        if collaboration.need.is_archived:
            raise Conflict(_("The need is archived; it no longer takes new collaborators."))
    collaboration.decided_by = actor
    collaboration.decided_at = timezone.now()
    collaboration.decision_reason = (reason or "").strip()
    transition(
        collaboration,
        to=to,
        actor=actor,
        reason=collaboration.decision_reason,
        update_fields=["decided_by", "decided_at", "decision_reason"],
    )
    if to == Collaboration.Status.ACCEPTED:
        # Whoever speaks for the joining organisation follows the need from now on.
        joiner = actor.pk if collaboration.is_invitation else collaboration.requested_by_id
        if joiner:
            Follow.objects.get_or_create(need=collaboration.need, user_id=joiner)
    from ..tasks import notify_collaboration_decided_task

    pk = collaboration.pk
    transaction.on_commit(lambda: notify_collaboration_decided_task.delay(pk))
    return collaboration


@transaction.atomic
def collaboration_accept(*, actor: User, collaboration_id: int, reason: str = "") -> Collaboration:
    """Take the asking organisation into the core team (owner organisation)."""
    return _decide(
        actor=actor, collaboration_id=collaboration_id, to=Collaboration.Status.ACCEPTED, reason=reason
    )


@transaction.atomic
def collaboration_decline(*, actor: User, collaboration_id: int, reason: str = "") -> Collaboration:
    """Say no to a request to collaborate (owner organisation), preferably with a reason."""
    return _decide(
        actor=actor, collaboration_id=collaboration_id, to=Collaboration.Status.DECLINED, reason=reason
    )


@transaction.atomic
def collaboration_withdraw(*, actor: User, collaboration_id: int) -> Collaboration:
    """Take back an unanswered request (the asking organisation) or invitation (the owner)."""
    collaboration = _lock_collaboration(actor, collaboration_id)
    ensure_allowed(
        actor,
        "innovation.withdraw_collaboration",
        collaboration,
        message=_("Only the organisation that asked can withdraw it."),
    )
    transition(collaboration, to=Collaboration.Status.WITHDRAWN, actor=actor)
    return collaboration


@transaction.atomic
def collaboration_end(*, actor: User, collaboration_id: int, reason: str = "") -> Collaboration:
    """Leave a core team (the collaborator) or take an organisation out of it (the owner)."""
    collaboration = _lock_collaboration(actor, collaboration_id)
    ensure_allowed(actor, "innovation.end_collaboration", collaboration)
    ensure_terms_accepted(acting(actor))
    transition(collaboration, to=Collaboration.Status.ENDED, actor=actor, reason=(reason or "").strip())
    from ..tasks import notify_collaboration_decided_task

    pk = collaboration.pk
    transaction.on_commit(lambda: notify_collaboration_decided_task.delay(pk))
    return collaboration


# Interested vendors (INN-6) ---------------------------------------------------------------------


@transaction.atomic
def interest_register(*, actor: User, need_id: int, note: str = "") -> InterestedVendor:
    """Register the acting vendor organisation as interested in a published need; it is told of stage changes.

    Any vendor organisation that has accepted the current terms may register; the qualification gate of
    Kvalifisering can plug in here later without this app importing it.
    """
    need = lock_need(actor, need_id)
    organisation = acting(actor)
    if not organisation.is_vendor:
        raise PermissionRefused(
            _("Only vendor organisations register interest; other organisations ask to collaborate.")
        )
    if need.stage != Stage.PUBLISHED:
        raise Conflict(_("Vendors can register interest in published needs only."))
    ensure_allowed(actor, "innovation.register_interest", need)
    ensure_terms_accepted(organisation)
    note = (note or "").strip()
    if len(note) > MAX_MESSAGE:
        raise ValidationError(
            {"note": _("The note can be at most %(max)s characters.") % {"max": MAX_MESSAGE}}
        )
    if InterestedVendor.objects.filter(need=need, organisation=organisation).exists():
        raise Conflict(
            _("%(organisation)s has already registered interest in this need.")
            % {"organisation": organisation}
        )
    interest = InterestedVendor.objects.create(
        need=need, organisation=organisation, registered_by=actor, note=note
    )
    audit_record(
        actor=actor,
        verb="need.vendor_interested",
        target=need,
        organisation=organisation,
        data={"vendor": organisation.pk, "vendor_name": organisation.name},
    )
    from ..tasks import notify_vendor_interest_task

    pk = interest.pk
    transaction.on_commit(lambda: notify_vendor_interest_task.delay(pk))
    return interest


@transaction.atomic
def interest_withdraw(*, actor: User, need_id: int) -> None:
    """Withdraw the acting vendor organisation's interest in a need."""
    need = lock_need(actor, need_id)
    organisation = acting(actor)
    deleted, _rows = InterestedVendor.objects.filter(need=need, organisation=organisation).delete()
    if not deleted:
        raise NotFound(
            _("%(organisation)s has not registered interest in this need.") % {"organisation": organisation}
        )
    audit_record(
        actor=actor,
        verb="need.vendor_interest_withdrawn",
        target=need,
        organisation=organisation,
        data={"vendor": organisation.pk, "vendor_name": organisation.name},
    )
