"""Stages of a need (INN-3, INN-7, INN-8) and retiring a need in favour of another one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import audit_record
from marketplace.errors import Conflict
from marketplace.models import User
from marketplace.permissions import ensure_allowed
from marketplace.terms import ensure_terms_accepted
from marketplace.workflow import transition

from ..models import (
    STAGE_ORDER,
    ChecklistItem,
    Collaboration,
    EvaluationCriterion,
    Follow,
    InterestedVendor,
    Need,
    Stage,
)
from ..selectors import core_team_ids
from .common import acting, lock_need

# Stages (INN-3, INN-7, INN-8) ------------------------------------------------------------------


def publish_blockers(need: Need) -> list[str]:
    """What stands between a need and publication: unticked items, criteria not summing to 100."""
    blockers = []
    unticked = [item.display_label for item in ChecklistItem.objects.filter(need=need, checked=False)]
    if unticked:
        blockers.append(
            _("The readiness checklist is not complete. Not ticked: %(items)s.")
            % {"items": ", ".join(unticked)}
        )
    weights = list(EvaluationCriterion.objects.filter(need=need).values_list("weight", flat=True))
    if not weights:
        blockers.append(_("The need has no evaluation criteria yet."))
    elif sum(weights) != 100:
        blockers.append(
            _("The weights of the evaluation criteria must sum to 100; now they sum to %(sum)s.")
            % {"sum": sum(weights)}
        )
    return blockers


def is_back_step(source: str, target: str) -> bool:
    return target != Stage.ARCHIVED and STAGE_ORDER.index(target) < STAGE_ORDER.index(source)


@transaction.atomic
def need_change_stage(*, actor: User, need_id: int, to: str, reason: str = "") -> Need:
    """Move a need to another stage (owner); publishing needs the checklist and criteria (INN-3)."""
    need = lock_need(actor, need_id)
    ensure_allowed(
        actor,
        "innovation.change_need_stage",
        need,
        message=_("Only the owner organisation can change the stage of a need."),
    )
    ensure_terms_accepted(acting(actor))
    if to not in Stage.values:
        raise ValidationError({"to": _("Unknown stage.")})
    reason = (reason or "").strip()
    source = need.stage
    if Need.workflow.allows(source, to):
        if (to == Stage.ARCHIVED or is_back_step(source, to)) and not reason:
            raise ValidationError({"reason": _("Say why the need goes back or is archived.")})
        if to == Stage.PUBLISHED:
            blockers = publish_blockers(need)
            if blockers:
                raise Conflict(" ".join(blockers))
    update_fields = []
    if to == Stage.PUBLISHED and need.published_at is None:
        need.published_at = timezone.now()
        update_fields.append("published_at")
    event = transition(
        need, to=to, actor=actor, reason=reason, update_fields=update_fields, verb=f"need.{to}"
    )
    from ..tasks import notify_stage_changed_task

    event_id = event.pk
    transaction.on_commit(lambda: notify_stage_changed_task.delay(need_id, event_id))
    return need


@transaction.atomic
def need_retire(*, actor: User, need_id: int, replaced_by_id: int, reason: str = "") -> Need:
    """Archive a need in favour of another: followers move, core-team organisations are proposed to the other
    need's owner, interested vendors move when it is published, and everybody is told (INN-3)."""
    need = lock_need(actor, need_id)
    ensure_allowed(
        actor,
        "innovation.retire_need",
        need,
        message=_("Only the owner organisation can retire a need, and only while it is not archived."),
    )
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    target = Need.objects.select_for_update().filter(pk=replaced_by_id).first()
    if target is None or not actor.has_perm("innovation.view_need", target):
        raise ValidationError({"replaced_by": _("Choose a need you can see.")})
    if target.pk == need.pk:
        raise ValidationError({"replaced_by": _("A need cannot be retired in favour of itself.")})
    if target.is_archived:
        raise ValidationError({"replaced_by": _("Choose a need that is not archived.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the need is retired in favour of the other one.")})

    need.replaced_by = target
    event = transition(
        need,
        to=Stage.ARCHIVED,
        actor=actor,
        reason=reason,
        update_fields=["replaced_by"],
        verb="need.retired",
        data={"replaced_by": target.pk, "replaced_by_title": target.title},
    )

    # Followers follow the need that carries on.
    followers = list(Follow.objects.filter(need=need).values_list("user_id", flat=True))
    Follow.objects.bulk_create([Follow(need=target, user_id=uid) for uid in followers], ignore_conflicts=True)

    # Core-team organisations are proposed to the other need's owner, who accepts or declines as usual.
    proposed = []
    target_team = core_team_ids(target)
    open_on_target = set(
        Collaboration.objects.filter(need=target, status=Collaboration.Status.PENDING).values_list(
            "organisation_id", flat=True
        )
    )
    for org_id in sorted(core_team_ids(need) - target_team - open_on_target):
        proposal = Collaboration.objects.create(
            need=target,
            organisation_id=org_id,
            requested_by=actor,
            message=_("Moved from the retired need “%(title)s”.") % {"title": need.title},
        )
        audit_record(
            actor=actor,
            verb="collaboration.requested",
            target=proposal,
            organisation=organisation,
            to_state=proposal.status,
            reason=reason,
            data={"moved_from": need.pk},
        )
        proposed.append(proposal.pk)

    # Interested vendors keep their interest when the other need is published.
    if target.stage == Stage.PUBLISHED:
        InterestedVendor.objects.bulk_create(
            [
                InterestedVendor(
                    need=target,
                    organisation_id=iv.organisation_id,
                    registered_by_id=iv.registered_by_id,
                    note=iv.note,
                )
                for iv in InterestedVendor.objects.filter(need=need)
            ],
            ignore_conflicts=True,
        )

    from ..tasks import notify_collaboration_requested_task, notify_need_retired_task

    event_id = event.pk

    def _tell() -> None:
        notify_need_retired_task.delay(need_id, event_id)
        for pk in proposed:
            notify_collaboration_requested_task.delay(pk)

    transaction.on_commit(_tell)
    return need
