"""Felleskjøp (PRO-1 … PRO-6): every write of joint procurement goes through these functions — screens, API,
admin, demo data, tasks and tests alike. One write, one function; side effects after commit.

    opening        procurement_open, procurement_update, procurement_update_declaration, procurement_set_criteria,
                   procurement_document_add, procurement_document_delete
    phases         procurement_start_market_dialogue → procurement_start_competition → procurement_start_evaluation
                   → procurement_award → procurement_activate_agreement → procurement_close; procurement_cancel
    participation  participation_declare, participation_withdraw
    dialogue       question_ask, question_answer, questions_publish
    offers         offer_submit, offer_update, offer_withdraw, offer_document_add, offer_document_delete
    evaluation     offer_score
    call-off       call_off
    system         procurements_close_expired, notify_event (called by tasks)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.acting import acting_organisation
from marketplace.audit import audit_record
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import AuditEvent, Document, Membership, Organisation, Role, User
from marketplace.notifications import lazy_message
from marketplace.permissions import ensure_allowed
from marketplace.services.documents import document_delete, document_upload
from marketplace.services.notifications import notify
from marketplace.terms import ensure_terms_accepted
from marketplace.workflow import transition

from .. import notifications as kinds
from ..models.procurement import (
    SCORE_MAX,
    SCORE_MIN,
    CallOff,
    Offer,
    OfferScore,
    Participation,
    Phase,
    Procurement,
    ProcurementCriterion,
    ProcurementNotice,
    ProcurementQuestion,
    VolumeUnit,
)
from ..selectors import procurement as selectors

TEXT_MAX = 10_000
QUESTION_MAX = 5_000
VOLUME_MAX = 10_000_000
PRICE_MAX = Decimal("9999999999.99")
UNIT_PRICE_MAX = Decimal("99999999.99")
DOCUMENT_KIND = "procurement"
OFFER_DOCUMENT_KIND = "offer"

Status = ProcurementQuestion.Status


# Shared helpers --------------------------------------------------------------------------------------------


def _acting(actor: Any) -> Organisation:
    organisation = acting_organisation(actor)
    if organisation is None:
        raise PermissionRefused(_("Choose an organisation to act for first."))
    return organisation


def _lock(actor: Any, procurement_id: int) -> Procurement:
    """Lock a procurement the actor may see; NotFound for missing and forbidden alike."""
    procurement = Procurement.objects.select_for_update().filter(pk=procurement_id).first()
    if procurement is None:
        raise NotFound(_("Joint procurement not found."))
    # The lock does not take related rows: load the need (for the visibility rule) separately.
    procurement.need  # noqa: B018
    if not actor.has_perm("store.view_procurement", procurement):
        raise NotFound(_("Joint procurement not found."))
    return procurement


def _ensure_manage(actor: Any, procurement: Procurement) -> Organisation:
    """The lead organisation (any member) or a platform administrator runs the procurement."""
    organisation = _acting(actor)
    ensure_allowed(
        actor, "store.manage_procurement", procurement,
        message=_("Only the lead organisation (%(lead)s) and platform administrators can do this.")
        % {"lead": procurement.lead.name},
    )
    ensure_terms_accepted(organisation)
    return organisation


def _ensure_editable(procurement: Procurement) -> None:
    if not procurement.is_editable:
        raise Conflict(
            _("The competition has started: the declaration and the evaluation criteria can no longer be changed.")
        )


def _clean_text(value: Any, *, field: str, required: bool, message: str, limit: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError({field: _("Write at most %(limit)s characters.") % {"limit": limit}})
    return text


def _fmt(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def _after_commit_notify(event: AuditEvent) -> None:
    """Tell people about one recorded event once the transaction has committed (see notify_event)."""
    from ..tasks import notify_procurement_event_task

    event_id = event.pk
    transaction.on_commit(lambda: notify_procurement_event_task.delay(event_id))


# Opening and planning (PRO-1) ------------------------------------------------------------------------------

TIMELINE_FIELDS = ("intent_deadline", "questions_deadline", "offer_deadline", "agreement_start", "agreement_end")
PLANNING_FIELDS = ("title", "summary", "volume_unit", *TIMELINE_FIELDS)
# What may still change in each phase: the timeline moves forward only, and only what is still ahead.
CHANGEABLE = {
    Phase.PLANNING: set(PLANNING_FIELDS),
    Phase.MARKET_DIALOGUE: set(PLANNING_FIELDS),
    Phase.COMPETITION: {"title", "summary", "questions_deadline", "offer_deadline", "agreement_start", "agreement_end"},
    Phase.EVALUATION: {"summary", "agreement_start", "agreement_end"},
    Phase.AWARDED: {"summary", "agreement_start", "agreement_end"},
}


def _clean_timeline(values: dict[str, Any], *, changed: Iterable[str], phase: str) -> None:
    """Check the timeline as a whole; deadlines that change must lie ahead."""
    now = timezone.now()
    errors: dict[str, str] = {}
    intent, questions, offers = values.get("intent_deadline"), values.get("questions_deadline"), values.get("offer_deadline")
    start, end = values.get("agreement_start"), values.get("agreement_end")
    for name in ("intent_deadline", "offer_deadline"):
        if not values.get(name):
            errors[name] = _("Set this deadline.")
    for name in ("intent_deadline", "questions_deadline", "offer_deadline"):
        if name in changed and values.get(name) and values[name] <= now and name not in errors:
            errors[name] = _("The deadline must lie ahead.")
    if intent and offers and intent > offers and "intent_deadline" not in errors:
        errors["intent_deadline"] = _("Intent must be declared before the offer deadline.")
    if questions and offers and questions > offers and "questions_deadline" not in errors:
        errors["questions_deadline"] = _("Questions must be asked before the offer deadline.")
    if (start is None) != (end is None):
        errors["agreement_end" if end is None else "agreement_start"] = _(
            "Give both the start and the end of the agreement period, or neither."
        )
    elif start and end:
        if end <= start:
            errors["agreement_end"] = _("The agreement must end after it starts.")
        elif offers and start < timezone.localtime(offers).date() and phase in Procurement.OPEN_PHASES:
            errors["agreement_start"] = _("The agreement cannot start before the offer deadline.")
    if errors:
        raise ValidationError(errors)


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "title" in cleaned:
        cleaned["title"] = _clean_text(cleaned["title"], field="title", required=True,
                                       message=_("Give the procurement a title."), limit=200)
    if "summary" in cleaned:
        cleaned["summary"] = _clean_text(cleaned["summary"], field="summary", required=False, message="")
    if "volume_unit" in cleaned and cleaned["volume_unit"] not in VolumeUnit.values:
        raise ValidationError({"volume_unit": _("Choose users or inhabitants.")})
    for name in ("intent_deadline", "questions_deadline", "offer_deadline"):
        value = cleaned.get(name)
        if value is not None and not isinstance(value, datetime):
            raise ValidationError({name: _("Give a date and time.")})
        if isinstance(value, datetime) and timezone.is_naive(value):
            cleaned[name] = timezone.make_aware(value)
    for name in ("agreement_start", "agreement_end"):
        value = cleaned.get(name)
        if isinstance(value, datetime):
            cleaned[name] = value.date()
        elif value is not None and not isinstance(value, date):
            raise ValidationError({name: _("Give a date.")})
    return cleaned


@transaction.atomic
def procurement_open(
    *,
    actor: User,
    need_id: int,
    intent_deadline: datetime,
    offer_deadline: datetime,
    title: str = "",
    summary: str = "",
    lead_id: int | None = None,
    volume_unit: str = VolumeUnit.USERS,
    questions_deadline: datetime | None = None,
    agreement_start: date | None = None,
    agreement_end: date | None = None,
) -> Procurement:
    """Open a joint procurement from a published need, taking over its declaration and weighted criteria (PRO-1)."""
    from innovation.models import EvaluationCriterion, Need, Stage

    organisation = _acting(actor)
    need = Need.objects.select_for_update().filter(pk=need_id).first()
    if need is None or not actor.has_perm("innovation.view_need", need):
        raise NotFound(_("Need not found."))
    if need.stage != Stage.PUBLISHED:
        raise Conflict(
            _("Only a published need (a shared needs basis) can be procured jointly. “%(need)s” is at the stage "
              "%(stage)s.") % {"need": need.title, "stage": need.get_stage_display()}
        )
    ensure_allowed(
        actor, "store.open_procurement", need,
        message=_("Only an organisation admin of the need's owner organisation, or a platform administrator, can "
                  "open a joint procurement from it."),
    )
    ensure_terms_accepted(organisation)
    if Procurement.objects.filter(need=need).exclude(phase__in=Procurement.FINISHED_PHASES).exists():
        raise Conflict(_("A joint procurement is already open for this need."))
    leads = {o.pk: o for o in selectors.lead_choices(user=actor, need=need)}
    lead = leads.get(int(lead_id)) if lead_id else organisation
    if lead is None or lead.pk not in leads:
        raise ValidationError({"lead_id": _("Choose a lead organisation from the list.")})
    values = _clean_fields({
        "title": title or need.title, "summary": summary if summary else need.summary, "volume_unit": volume_unit,
        "intent_deadline": intent_deadline, "questions_deadline": questions_deadline, "offer_deadline": offer_deadline,
        "agreement_start": agreement_start, "agreement_end": agreement_end,
    })
    _clean_timeline(values, changed=TIMELINE_FIELDS, phase=Phase.PLANNING)
    need_criteria = list(EvaluationCriterion.objects.filter(need=need).order_by("order", "id"))
    procurement = Procurement.objects.create(
        need=need, lead=lead, opened_by=actor, desired_declaration=dict(need.desired_declaration or {}), **values
    )
    ProcurementCriterion.objects.bulk_create([
        ProcurementCriterion(procurement=procurement, name=c.name, description=c.description, weight=c.weight, order=i)
        for i, c in enumerate(need_criteria)
    ])
    event = audit_record(
        actor=actor, verb="procurement.opened", target=procurement, organisation=organisation,
        to_state=procurement.phase, data={"need": need.pk, "lead": lead.pk, "criteria": len(need_criteria)},
    )
    _after_commit_notify(event)
    return procurement


@transaction.atomic
def procurement_update(*, actor: User, procurement_id: int, **fields: Any) -> Procurement:
    """Change the title, summary, volume unit or timeline, as far as the phase still allows (lead)."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    unknown = set(fields) - set(PLANNING_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    allowed = CHANGEABLE.get(procurement.phase)
    if allowed is None:
        raise Conflict(_("The procurement is %(phase)s and can no longer be changed.")
                       % {"phase": procurement.get_phase_display().lower()})
    cleaned = _clean_fields(fields)
    changed = {name for name, value in cleaned.items() if getattr(procurement, name) != value}
    errors = {name: _("This can no longer be changed in the phase %(phase)s.") % {"phase": procurement.get_phase_display()}
              for name in sorted(changed - allowed)}
    if errors:
        raise ValidationError(errors)
    if not changed:
        return procurement
    if procurement.phase == Phase.COMPETITION and "offer_deadline" in changed and \
            cleaned["offer_deadline"] < procurement.offer_deadline:
        raise ValidationError({"offer_deadline": _("During the competition the offer deadline can only be extended.")})
    if "volume_unit" in changed and selectors.participant_ids(procurement):
        raise ValidationError({"volume_unit": _("Organisations have declared their volume already; the unit stays.")})
    values = {name: getattr(procurement, name) for name in PLANNING_FIELDS}
    values.update(cleaned)
    _clean_timeline(values, changed=changed & set(TIMELINE_FIELDS), phase=procurement.phase)
    before = {name: str(getattr(procurement, name) or "") for name in sorted(changed & set(TIMELINE_FIELDS))}
    for name in changed:
        setattr(procurement, name, cleaned[name])
    procurement.save(update_fields=sorted(changed | {"updated_at"}))
    timeline = {name: {"from": before[name], "to": str(cleaned[name] or "")} for name in before}
    event = audit_record(actor=actor, verb="procurement.updated", target=procurement, organisation=organisation,
                         data={"fields": sorted(changed), "timeline": timeline})
    if timeline and procurement.is_public:
        _after_commit_notify(event)
    return procurement


@transaction.atomic
def procurement_update_declaration(*, actor: User, procurement_id: int, declaration: dict) -> Procurement:
    """Change the desired product declaration the vendors offer against, until the competition starts (lead)."""
    from marketplace.declaration import validate_declaration

    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    _ensure_editable(procurement)
    if not isinstance(declaration, dict):
        raise ValidationError({"desired_declaration": _("The desired product declaration must be an object.")})
    errors = validate_declaration(declaration, require_complete=False)
    if errors:
        raise ValidationError({
            "desired_declaration": [f"{path}: {message}" for path, messages in errors.items() for message in messages]
        })
    if declaration == procurement.desired_declaration:
        return procurement
    procurement.desired_declaration = declaration
    procurement.save(update_fields=["desired_declaration", "updated_at"])
    event = audit_record(actor=actor, verb="procurement.declaration_updated", target=procurement,
                         organisation=organisation)
    if procurement.is_public:
        _after_commit_notify(event)
    return procurement


def clean_criteria(criteria: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same rules as a need's criteria (INN-8): named, weighted 1–100, distinct, weights summing to 100."""
    from innovation.services.work import _clean_criteria

    return _clean_criteria(criteria)


@transaction.atomic
def procurement_set_criteria(
    *, actor: User, procurement_id: int, criteria: Sequence[dict[str, Any]]
) -> list[ProcurementCriterion]:
    """Replace the weighted evaluation criteria, until the competition starts (lead)."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    _ensure_editable(procurement)
    cleaned = clean_criteria(criteria)
    if not cleaned:
        raise ValidationError({"criteria": _("A joint procurement needs at least one evaluation criterion.")})
    before = list(ProcurementCriterion.objects.filter(procurement=procurement).order_by("order", "id")
                  .values("name", "description", "weight"))
    if before != cleaned:
        ProcurementCriterion.objects.filter(procurement=procurement).delete()
        ProcurementCriterion.objects.bulk_create(
            [ProcurementCriterion(procurement=procurement, order=i, **c) for i, c in enumerate(cleaned)]
        )
        procurement.save(update_fields=["updated_at"])
        event = audit_record(actor=actor, verb="procurement.criteria_updated", target=procurement,
                             organisation=organisation,
                             data={"criteria": [{"name": c["name"], "weight": c["weight"]} for c in cleaned]})
        if procurement.is_public:
            _after_commit_notify(event)
    return selectors.criteria(procurement)


@transaction.atomic
def procurement_document_add(
    *, actor: User, procurement_id: int, upload: UploadedFile, title: str = "", kind: str = ""
) -> Document:
    """Attach a tender document (specification, contract draft …) to an open procurement (lead)."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    if not procurement.is_open and procurement.phase != Phase.AGREEMENT_ACTIVE:
        raise Conflict(_("The procurement is finished; its documents can no longer change."))
    return document_upload(actor=actor, organisation=organisation, owner=procurement, upload=upload,
                           kind=kind or DOCUMENT_KIND, title=title)


@transaction.atomic
def procurement_document_delete(*, actor: User, procurement_id: int, document_id: int) -> None:
    """Remove a document while the competition has not started (lead)."""
    procurement = _lock(actor, procurement_id)
    _ensure_manage(actor, procurement)
    if not procurement.is_editable:
        raise Conflict(_("Documents that vendors may have offered against cannot be removed after the competition "
                         "has started. Add a corrected document instead."))
    document_delete(actor=actor, document_id=document_id, owner=procurement)


# Phases (PRO-2) ---------------------------------------------------------------------------------------------


def _move(procurement: Procurement, *, actor: User, organisation: Organisation, to: str, reason: str = "",
          update_fields: Iterable[str] = (), data: dict | None = None) -> AuditEvent:
    event = transition(procurement, to=to, actor=actor, organisation=organisation, reason=reason,
                       verb=f"procurement.{to}", update_fields=update_fields, data=data)
    _after_commit_notify(event)
    return event


def _criteria_problems(procurement: Procurement) -> list[str]:
    rows = selectors.criteria(procurement)
    if not rows:
        return [_("Add at least one evaluation criterion.")]
    total = sum(c.weight for c in rows)
    if total != 100:
        return [_("The weights of the evaluation criteria must sum to 100; now they sum to %(sum)s.") % {"sum": total}]
    return []


def phase_blockers(procurement: Procurement, to: str) -> list[str]:
    """Why the procurement cannot move to `to` now (empty when it can); shown next to the buttons."""
    now = timezone.now()
    problems: list[str] = []
    if to == Phase.MARKET_DIALOGUE:
        problems += _criteria_problems(procurement)
        if procurement.intent_deadline <= now:
            problems.append(_("The deadline for declaring intent has passed; set a new one first."))
        if procurement.offer_deadline <= now:
            problems.append(_("The offer deadline has passed; set a new one first."))
    elif to == Phase.COMPETITION:
        problems += _criteria_problems(procurement)
        if procurement.offer_deadline <= now:
            problems.append(_("The offer deadline has passed; set a new one first."))
        if not selectors.participant_ids(procurement):
            problems.append(_("No organisation has declared intent to participate yet."))
    elif to == Phase.EVALUATION:
        if procurement.offers_sealed:
            problems.append(_("The offers stay sealed until the offer deadline, %(deadline)s.")
                            % {"deadline": _fmt(procurement.offer_deadline)})
        elif not Offer.objects.filter(procurement=procurement, status=Offer.Status.SUBMITTED).exists():
            problems.append(_("No offers were received. Cancel the procurement, or start a new one."))
    elif to == Phase.AGREEMENT_ACTIVE:
        today = timezone.localdate()
        if procurement.agreement_start is None or procurement.agreement_end is None:
            problems.append(_("Set the agreement period first."))
        elif today < procurement.agreement_start:
            problems.append(_("The agreement period starts on %(date)s.") % {"date": _fmt(procurement.agreement_start)})
        elif today > procurement.agreement_end:
            problems.append(_("The agreement period ended on %(date)s.") % {"date": _fmt(procurement.agreement_end)})
    return problems


def _ensure_no_blockers(procurement: Procurement, to: str) -> None:
    if not Procurement.workflow.allows(procurement.phase, to):
        return  # transition() gives the clear "not possible now" message
    problems = phase_blockers(procurement, to)
    if problems:
        raise Conflict(" ".join(str(p) for p in problems))


@transaction.atomic
def procurement_start_market_dialogue(*, actor: User, procurement_id: int, reason: str = "") -> Procurement:
    """Announce the procurement: it becomes public, vendors may ask, municipalities declare intent."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    _ensure_no_blockers(procurement, Phase.MARKET_DIALOGUE)
    procurement.announced_at = procurement.announced_at or timezone.now()
    _move(procurement, actor=actor, organisation=organisation, to=Phase.MARKET_DIALOGUE, reason=reason,
          update_fields=["announced_at"])
    return procurement


@transaction.atomic
def procurement_start_competition(*, actor: User, procurement_id: int, reason: str = "") -> Procurement:
    """Open for offers: the declaration, the criteria and the participants are fixed from now on."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    _ensure_no_blockers(procurement, Phase.COMPETITION)
    totals = selectors.participation_totals(procurement)
    _move(procurement, actor=actor, organisation=organisation, to=Phase.COMPETITION, reason=reason,
          data={"participants": totals["count"], "volume": totals["volume"]})
    return procurement


@transaction.atomic
def procurement_start_evaluation(*, actor: User, procurement_id: int, reason: str = "") -> Procurement:
    """After the offer deadline: the offers are opened for the lead's evaluation."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    _ensure_no_blockers(procurement, Phase.EVALUATION)
    count = Offer.objects.filter(procurement=procurement, status=Offer.Status.SUBMITTED).count()
    _move(procurement, actor=actor, organisation=organisation, to=Phase.EVALUATION, reason=reason,
          data={"offers": count})
    return procurement


@transaction.atomic
def procurement_award(
    *,
    actor: User,
    procurement_id: int,
    offer_ids: Sequence[int],
    reason: str,
    agreement_start: date | None = None,
    agreement_end: date | None = None,
) -> Procurement:
    """Award the agreement to the winning offer(s), with reasons, once every offer is scored (PRO-5)."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    if not Procurement.workflow.allows(procurement.phase, Phase.AWARDED):
        raise IllegalTransition(_("The procurement can be awarded only in the evaluation phase; it is in the phase "
                                  "%(phase)s.") % {"phase": procurement.get_phase_display()})
    reason = _clean_text(reason, field="reason", required=True,
                         message=_("Give the reasons for the award: they are published to participants and vendors."))
    matrix = selectors.evaluation_matrix(procurement)
    if not matrix.complete:
        raise Conflict(
            _("The evaluation is not complete: %(missing)s scores are missing. Score every offer on every criterion, "
              "with a justification, before the award.") % {"missing": matrix.missing}
        )
    offers = {row.offer.pk: row.offer for row in matrix.rows}
    try:
        chosen = {int(pk) for pk in offer_ids or []}
    except (TypeError, ValueError):
        chosen = set()
    if not chosen:
        raise ValidationError({"offer_ids": _("Choose the winning offer or offers.")})
    if not chosen <= set(offers):
        raise ValidationError({"offer_ids": _("Choose among the offers of this procurement.")})
    dates = _clean_fields({"agreement_start": agreement_start or procurement.agreement_start,
                           "agreement_end": agreement_end or procurement.agreement_end})
    start, end = dates["agreement_start"], dates["agreement_end"]
    if start is None or end is None:
        raise ValidationError({"agreement_start" if start is None else "agreement_end":
                               _("Give the agreement period: the award names it.")})
    if end <= start:
        raise ValidationError({"agreement_end": _("The agreement must end after it starts.")})
    if end < timezone.localdate():
        raise ValidationError({"agreement_end": _("The agreement period must not have ended already.")})
    Offer.objects.filter(procurement=procurement).update(is_winner=False)
    Offer.objects.filter(pk__in=chosen).update(is_winner=True)
    procurement.agreement_start, procurement.agreement_end = start, end
    procurement.award_reason = reason
    procurement.awarded_at = timezone.now()
    procurement.awarded_by = actor
    procurement.result_matrix = selectors.matrix_snapshot(matrix)
    winners = [offers[pk] for pk in sorted(chosen, key=lambda pk: (offers[pk].rank or 0, pk))]
    _move(
        procurement, actor=actor, organisation=organisation, to=Phase.AWARDED, reason=reason,
        update_fields=["agreement_start", "agreement_end", "award_reason", "awarded_at", "awarded_by", "result_matrix"],
        data={"winners": [{"offer": o.pk, "product": o.product.name, "vendor": o.vendor.name, "rank": o.rank}
                          for o in winners],
              "agreement": [str(start), str(end)]},
    )
    return procurement


def _set_badges(procurement: Procurement) -> None:
    """Keep the "Felleskjøpt" badge of each awarded product's store entry in step with its active agreements."""
    from . import catalogue

    for product_id in Offer.objects.filter(procurement=procurement, is_winner=True).values_list("product_id", flat=True):
        agreement = selectors.agreement_for_product(product_id)
        if agreement is None:
            catalogue.store_entry_clear_procured(product_id=product_id)
        else:
            catalogue.store_entry_set_procured(product_id=product_id, agreement_until=agreement.agreement_end,
                                               label=agreement.title, url=agreement.get_absolute_url())


@transaction.atomic
def procurement_activate_agreement(*, actor: User, procurement_id: int, reason: str = "") -> Procurement:
    """The agreement is signed and in force: awarded products are marked Felleskjøpt, participants may call off."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    _ensure_no_blockers(procurement, Phase.AGREEMENT_ACTIVE)
    _move(procurement, actor=actor, organisation=organisation, to=Phase.AGREEMENT_ACTIVE, reason=reason,
          data={"agreement": [str(procurement.agreement_start), str(procurement.agreement_end)]})
    _set_badges(procurement)
    return procurement


@transaction.atomic
def procurement_close(*, actor: User, procurement_id: int, reason: str = "") -> Procurement:
    """End the agreement; before its end date only with a reason (lead)."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    if procurement.agreement_end and timezone.localdate() <= procurement.agreement_end:
        reason = _clean_text(reason, field="reason", required=True,
                             message=_("Give the reason for ending the agreement before its end date."))
    _move(procurement, actor=actor, organisation=organisation, to=Phase.CLOSED, reason=reason)
    _set_badges(procurement)
    return procurement


@transaction.atomic
def procurement_cancel(*, actor: User, procurement_id: int, reason: str) -> Procurement:
    """Cancel an open procurement, with the reason everyone involved is told (lead)."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    reason = _clean_text(reason, field="reason", required=True,
                         message=_("Give the reason for cancelling: participants and vendors are told."))
    _move(procurement, actor=actor, organisation=organisation, to=Phase.CANCELLED, reason=reason)
    return procurement


PHASE_SERVICES = {
    Phase.MARKET_DIALOGUE: procurement_start_market_dialogue,
    Phase.COMPETITION: procurement_start_competition,
    Phase.EVALUATION: procurement_start_evaluation,
    Phase.AGREEMENT_ACTIVE: procurement_activate_agreement,
    Phase.CLOSED: procurement_close,
    Phase.CANCELLED: procurement_cancel,
}


def procurements_close_expired(*, today: date | None = None) -> int:
    """Close agreements whose period has ended (daily task); idempotent. Returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    for pk in Procurement.objects.filter(phase=Phase.AGREEMENT_ACTIVE, agreement_end__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            procurement = Procurement.objects.select_for_update().filter(
                pk=pk, phase=Phase.AGREEMENT_ACTIVE, agreement_end__lt=today
            ).first()
            if procurement is None:
                continue
            event = transition(procurement, to=Phase.CLOSED, actor=None, organisation=procurement.lead,
                               verb="procurement.closed", reason=_("The agreement period has ended."))
            _after_commit_notify(event)
            _set_badges(procurement)
            closed += 1
    return closed


# Participation (PRO-3) --------------------------------------------------------------------------------------


def _clean_volume(volume: Any, field: str = "volume") -> int:
    try:
        value = int(volume)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give the expected volume as a whole number.")}) from None
    if not 1 <= value <= VOLUME_MAX:
        raise ValidationError({field: _("The volume must be between 1 and %(max)s.") % {"max": f"{VOLUME_MAX:,}".replace(",", " ")}})
    return value


@transaction.atomic
def participation_declare(*, actor: User, procurement_id: int, volume: int, note: str = "") -> Participation:
    """Declare (or change) the acting municipality's or county's intent to participate, before the deadline (PRO-3)."""
    procurement = _lock(actor, procurement_id)
    organisation = _acting(actor)
    ensure_allowed(
        actor, "store.declare_participation", procurement,
        message=_("Only an organisation admin of a municipality or county can declare intent to participate."),
    )
    ensure_terms_accepted(organisation)
    if procurement.phase not in Procurement.PARTICIPATION_PHASES:
        raise Conflict(_("Intent can no longer be declared: the competition has started."))
    if timezone.now() >= procurement.intent_deadline:
        raise Conflict(_("The deadline for declaring intent passed on %(deadline)s.")
                       % {"deadline": _fmt(procurement.intent_deadline)})
    volume = _clean_volume(volume)
    note = _clean_text(note, field="note", required=False, message="", limit=2000)
    participation = Participation.objects.select_for_update().filter(
        procurement=procurement, organisation=organisation
    ).first()
    if participation is None:
        participation = Participation.objects.create(
            procurement=procurement, organisation=organisation, volume=volume, note=note, declared_by=actor
        )
        event = audit_record(actor=actor, verb="participation.declared", target=participation,
                             organisation=organisation, to_state=participation.status, data={"volume": volume})
    elif participation.status == Participation.Status.WITHDRAWN:
        participation.volume, participation.note, participation.declared_by = volume, note, actor
        participation.declared_at, participation.withdrawn_at = timezone.now(), None
        event = transition(participation, to=Participation.Status.DECLARED, actor=actor, organisation=organisation,
                           verb="participation.declared",
                           update_fields=["volume", "note", "declared_by", "declared_at", "withdrawn_at"],
                           data={"volume": volume})
    else:
        if (participation.volume, participation.note) == (volume, note):
            return participation
        before = participation.volume
        participation.volume, participation.note = volume, note
        participation.save(update_fields=["volume", "note", "updated_at"])
        event = audit_record(actor=actor, verb="participation.changed", target=participation,
                             organisation=organisation, data={"volume": {"from": before, "to": volume}})
    procurement.save(update_fields=["updated_at"])
    _after_commit_notify(event)
    return participation


@transaction.atomic
def participation_withdraw(*, actor: User, procurement_id: int, reason: str = "") -> Participation:
    """Withdraw the acting organisation's intent; possible until the competition starts (PRO-3)."""
    procurement = _lock(actor, procurement_id)
    organisation = _acting(actor)
    ensure_allowed(
        actor, "store.declare_participation", procurement,
        message=_("Only an organisation admin of a municipality or county can withdraw its intent."),
    )
    participation = Participation.objects.select_for_update().filter(
        procurement=procurement, organisation=organisation, status=Participation.Status.DECLARED
    ).first()
    if participation is None:
        raise NotFound(_("%(organisation)s has not declared intent to participate.") % {"organisation": organisation})
    if procurement.phase not in Procurement.PARTICIPATION_PHASES:
        raise Conflict(_("The competition has started: the participants are bound by their intent now."))
    participation.withdrawn_at = timezone.now()
    event = transition(participation, to=Participation.Status.WITHDRAWN, actor=actor, organisation=organisation,
                       verb="participation.withdrawn", reason=reason, update_fields=["withdrawn_at"])
    procurement.save(update_fields=["updated_at"])
    _after_commit_notify(event)
    return participation


# Market dialogue ---------------------------------------------------------------------------------------------

LEGAL_SUFFIX = re.compile(r"\s+(AS|ASA|SA|ANS|DA|BA|NUF|KS)$", re.IGNORECASE)


def anonymise(text: str, *, vendor: Organisation, asker: User | None = None) -> str:
    """The question without the vendor's name, organisation number, products or the asker's name and e-mail:
    the lead's starting point for the text every vendor reads."""
    from verification.models import Product

    names = {vendor.name, LEGAL_SUFFIX.sub("", vendor.name), vendor.org_number}
    names |= set(Product.objects.filter(vendor=vendor).values_list("name", flat=True))
    if asker is not None:
        names |= {asker.email, asker.get_full_name(), asker.first_name if len(asker.first_name) > 3 else ""}
    result = text
    for name in sorted((n for n in names if n and len(n.strip()) > 2), key=len, reverse=True):
        result = re.sub(re.escape(name.strip()), "[…]", result, flags=re.IGNORECASE)
    return result


@transaction.atomic
def question_ask(*, actor: User, procurement_id: int, text: str) -> ProcurementQuestion:
    """A qualified vendor asks a clarification question in the market dialogue."""
    from verification.services.qualification import ensure_vendor_qualified

    procurement = _lock(actor, procurement_id)
    organisation = _acting(actor)
    ensure_allowed(actor, "store.ask_question", procurement,
                   message=_("Only qualified vendors can ask questions in a joint procurement."))
    ensure_vendor_qualified(organisation)
    ensure_terms_accepted(organisation)
    if not procurement.questions_open:
        raise Conflict(_("Questions are taken during the market dialogue and the competition, until the deadline "
                         "for questions."))
    text = _clean_text(text, field="text", required=True, message=_("Write your question."), limit=QUESTION_MAX)
    question = ProcurementQuestion.objects.create(
        procurement=procurement, vendor=organisation, asked_by=actor, text=text,
        public_text=anonymise(text, vendor=organisation, asker=actor),
    )
    event = audit_record(actor=actor, verb="procurementquestion.asked", target=question, organisation=organisation,
                         to_state=question.status)
    _after_commit_notify(event)
    return question


@transaction.atomic
def question_answer(*, actor: User, question_id: int, answer: str, public_text: str = "") -> ProcurementQuestion:
    """The lead writes (or corrects) the answer and the anonymised question; published later, to all at once."""
    question = ProcurementQuestion.objects.select_for_update().filter(pk=question_id).first()
    if question is None:
        raise NotFound(_("Question not found."))
    procurement = _lock(actor, question.procurement_id)
    if not actor.has_perm("store.manage_procurement", procurement):
        raise NotFound(_("Question not found."))
    organisation = _ensure_manage(actor, procurement)
    if question.status == Status.PUBLISHED:
        raise Conflict(_("The answer is published already and can no longer change."))
    if procurement.phase not in Procurement.QUESTION_PHASES:
        raise Conflict(_("Questions are answered during the market dialogue and the competition."))
    answer = _clean_text(answer, field="answer", required=True, message=_("Write the answer."))
    public_text = _clean_text(public_text or question.public_text or question.text, field="public_text",
                              required=True, message=_("Write the question as every vendor will read it."),
                              limit=QUESTION_MAX)
    question.answer, question.public_text = answer, public_text
    question.answered_by, question.answered_at = actor, timezone.now()
    fields = ["answer", "public_text", "answered_by", "answered_at"]
    if question.status == Status.OPEN:
        transition(question, to=Status.ANSWERED, actor=actor, organisation=organisation, update_fields=fields)
    else:
        question.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, verb="procurementquestion.answer_changed", target=question, organisation=organisation)
    return question


@transaction.atomic
def questions_publish(*, actor: User, procurement_id: int) -> list[ProcurementQuestion]:
    """Publish every answered question to all vendors at once, numbered, with the question anonymised."""
    procurement = _lock(actor, procurement_id)
    organisation = _ensure_manage(actor, procurement)
    if procurement.phase not in Procurement.QUESTION_PHASES:
        raise Conflict(_("Answers are published during the market dialogue and the competition."))
    ready = list(ProcurementQuestion.objects.select_for_update().filter(
        procurement=procurement, status=Status.ANSWERED).order_by("created_at", "id"))
    if not ready:
        raise Conflict(_("There are no answered questions waiting to be published."))
    now = timezone.now()
    number = ProcurementQuestion.objects.filter(procurement=procurement).aggregate(n=Max("number"))["n"] or 0
    for question in ready:
        number += 1
        question.number, question.published_at = number, now
        transition(question, to=Status.PUBLISHED, actor=actor, organisation=organisation,
                   update_fields=["number", "published_at"])
    procurement.answers_published_at = now
    procurement.save(update_fields=["answers_published_at", "updated_at"])
    event = audit_record(actor=actor, verb="procurement.answers_published", target=procurement,
                         organisation=organisation, data={"questions": [q.number for q in ready]})
    _after_commit_notify(event)
    return ready


# Offers (PRO-4) -----------------------------------------------------------------------------------------------


def _clean_price(value: Any, *, field: str, limit: Decimal) -> Decimal:
    try:
        price = Decimal(str(value).replace(" ", "").replace(",", ".")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        price = None
    if price is None or not price.is_finite():
        raise ValidationError({field: _("Give the price in NOK, e.g. 150000 or 19.90.")})
    if price < 0:
        raise ValidationError({field: _("The price cannot be negative.")})
    if price > limit:
        raise ValidationError({field: _("The price is too large.")})
    return price.quantize(Decimal("0.01"))


def _offer_version(organisation: Organisation, product_id: Any):
    try:
        product_id = int(product_id)
    except (TypeError, ValueError):
        raise ValidationError({"product": _("Choose one of your products.")}) from None
    for product in selectors.offerable_versions(organisation=organisation):
        if product.pk == product_id:
            return product, product.offer_version
    from verification.models import Product

    if Product.objects.filter(pk=product_id, vendor=organisation).exists():
        raise ValidationError({"product": _("Only a product that is listed in Butikken or in verification can be "
                                            "offered. Submit its declaration for verification first.")})
    raise ValidationError({"product": _("Choose one of your products.")})


def _lock_offer(actor: User, offer_id: int) -> Offer:
    offer = Offer.objects.select_for_update().filter(selectors.offer_visibility(actor), pk=offer_id).first()
    if offer is None:
        raise NotFound(_("Offer not found."))
    return offer


def _ensure_own_open_offer(actor: User, offer: Offer) -> tuple[Organisation, Procurement]:
    organisation = _acting(actor)
    if offer.vendor_id != organisation.pk:
        raise NotFound(_("Offer not found."))
    ensure_terms_accepted(organisation)
    procurement = Procurement.objects.select_for_update().get(pk=offer.procurement_id)
    if offer.status != Offer.Status.SUBMITTED:
        raise Conflict(_("The offer is withdrawn."))
    if not procurement.offers_open:
        raise Conflict(_("The offer deadline has passed; the offer can no longer change."))
    return organisation, procurement


@transaction.atomic
def offer_submit(
    *,
    actor: User,
    procurement_id: int,
    product_id: int,
    price_per_year: Any,
    price_per_unit: Any,
    description: str,
) -> Offer:
    """A qualified vendor submits its one offer before the deadline, for a listed or verifying product (PRO-4)."""
    from verification.services.qualification import ensure_vendor_qualified

    procurement = _lock(actor, procurement_id)
    organisation = _acting(actor)
    ensure_allowed(actor, "store.submit_offer", procurement,
                   message=_("Only qualified vendors can make offers in a joint procurement."))
    ensure_vendor_qualified(organisation)
    ensure_terms_accepted(organisation)
    if procurement.phase != Phase.COMPETITION:
        raise Conflict(_("Offers are taken in the competition phase only; the procurement is in the phase "
                         "%(phase)s.") % {"phase": procurement.get_phase_display()})
    if timezone.now() >= procurement.offer_deadline:
        raise Conflict(_("The offer deadline passed on %(deadline)s.") % {"deadline": _fmt(procurement.offer_deadline)})
    if Offer.objects.filter(procurement=procurement, vendor=organisation, status=Offer.Status.SUBMITTED).exists():
        raise Conflict(_("%(organisation)s has an offer in this procurement already: each vendor makes one offer. "
                         "Change or withdraw it instead.") % {"organisation": organisation})
    product, version = _offer_version(organisation, product_id)
    values = {
        "price_per_year": _clean_price(price_per_year, field="price_per_year", limit=PRICE_MAX),
        "price_per_unit": _clean_price(price_per_unit, field="price_per_unit", limit=UNIT_PRICE_MAX),
        "description": _clean_text(description, field="description", required=True,
                                   message=_("Describe the offer: how the product meets the need, and the terms.")),
    }
    try:
        with transaction.atomic():
            offer = Offer.objects.create(procurement=procurement, vendor=organisation, product=product,
                                         declaration_version=version, submitted_by=actor, **values)
    except IntegrityError:
        raise Conflict(_("%(organisation)s has an offer in this procurement already: each vendor makes one offer.")
                       % {"organisation": organisation}) from None
    # Nothing about the content goes into the audit trail before the deadline: the offer is sealed.
    event = audit_record(actor=actor, verb="offer.submitted", target=offer, organisation=organisation,
                         to_state=offer.status)
    _after_commit_notify(event)
    return offer


@transaction.atomic
def offer_update(*, actor: User, offer_id: int, **fields: Any) -> Offer:
    """The vendor changes its offer before the deadline."""
    offer = _lock_offer(actor, offer_id)
    organisation, procurement = _ensure_own_open_offer(actor, offer)
    unknown = set(fields) - {"product_id", "price_per_year", "price_per_unit", "description"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    changed = []
    if "product_id" in fields and int(fields["product_id"] or 0) != offer.product_id:
        offer.product, offer.declaration_version = _offer_version(organisation, fields["product_id"])
        changed += ["product", "declaration_version"]
    if "price_per_year" in fields:
        offer.price_per_year = _clean_price(fields["price_per_year"], field="price_per_year", limit=PRICE_MAX)
        changed.append("price_per_year")
    if "price_per_unit" in fields:
        offer.price_per_unit = _clean_price(fields["price_per_unit"], field="price_per_unit", limit=UNIT_PRICE_MAX)
        changed.append("price_per_unit")
    if "description" in fields:
        offer.description = _clean_text(fields["description"], field="description", required=True,
                                        message=_("Describe the offer: how the product meets the need, and the terms."))
        changed.append("description")
    if changed:
        offer.save(update_fields=[*changed, "updated_at"])
        event = audit_record(actor=actor, verb="offer.changed", target=offer, organisation=organisation)
        _after_commit_notify(event)
    return offer


@transaction.atomic
def offer_withdraw(*, actor: User, offer_id: int, reason: str = "") -> Offer:
    """The vendor withdraws its offer before the deadline; it may then submit a new one."""
    offer = _lock_offer(actor, offer_id)
    organisation, _procurement = _ensure_own_open_offer(actor, offer)
    offer.withdrawn_at = timezone.now()
    event = transition(offer, to=Offer.Status.WITHDRAWN, actor=actor, organisation=organisation, reason=reason,
                       update_fields=["withdrawn_at"])
    _after_commit_notify(event)
    return offer


@transaction.atomic
def offer_document_add(*, actor: User, offer_id: int, upload: UploadedFile, title: str = "") -> Document:
    """Attach a document to the vendor's own offer (price sheet, contract terms …) before the deadline."""
    offer = _lock_offer(actor, offer_id)
    organisation, _procurement = _ensure_own_open_offer(actor, offer)
    return document_upload(actor=actor, organisation=organisation, owner=offer, upload=upload,
                           kind=OFFER_DOCUMENT_KIND, title=title)


@transaction.atomic
def offer_document_delete(*, actor: User, offer_id: int, document_id: int) -> None:
    offer = _lock_offer(actor, offer_id)
    _ensure_own_open_offer(actor, offer)
    document_delete(actor=actor, document_id=document_id, owner=offer)


# Evaluation (PRO-5) -------------------------------------------------------------------------------------------


def score_field(criterion_id: int) -> str:
    return f"score_{criterion_id}"


def justification_field(criterion_id: int) -> str:
    return f"justification_{criterion_id}"


def _recompute(procurement: Procurement) -> None:
    """Keep each offer's weighted total, and the ranking once every offer is scored."""
    matrix = selectors.evaluation_matrix(procurement)
    offers = []
    for row in matrix.rows:
        row.offer.weighted_total, row.offer.rank = row.total, row.rank
        offers.append(row.offer)
    Offer.objects.bulk_update(offers, ["weighted_total", "rank"])


@transaction.atomic
def offer_score(
    *, actor: User, offer_id: int, scores: Mapping[int, tuple[Any, str]] | Sequence[dict[str, Any]]
) -> list[OfferScore]:
    """Score one offer per criterion (0–10) with a justification; totals and ranks are kept up to date (PRO-5).

    `scores` maps criterion id → (score, justification), or is a list of {"criterion", "score", "justification"}.
    """
    offer = _lock_offer(actor, offer_id)
    procurement = _lock(actor, offer.procurement_id)
    organisation = _acting(actor)
    ensure_allowed(actor, "store.score_offer", procurement,
                   message=_("Only the lead organisation and platform administrators score offers."))
    ensure_terms_accepted(organisation)
    if procurement.phase != Phase.EVALUATION:
        raise Conflict(_("Offers are scored in the evaluation phase; the procurement is in the phase %(phase)s.")
                       % {"phase": procurement.get_phase_display()})
    if offer.status != Offer.Status.SUBMITTED:
        raise Conflict(_("A withdrawn offer is not evaluated."))
    if not isinstance(scores, Mapping):
        try:
            scores = {int(item["criterion"]): (item.get("score"), item.get("justification", "")) for item in scores}
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"scores": _("Give a criterion, a score and a justification for each score.")}) from None
    criteria = {c.pk: c for c in selectors.criteria(procurement)}
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[int, str]] = {}
    for raw_id, (raw_score, raw_text) in scores.items():
        try:
            criterion_id = int(raw_id)
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in criteria:
            errors["scores"] = _("Criterion %(id)s is not one of this procurement's criteria.") % {"id": raw_id}
            continue
        try:
            value = int(raw_score)
            if str(raw_score).strip() not in (str(value), f"{value}.0"):
                raise ValueError
        except (TypeError, ValueError):
            value = None
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            errors[score_field(criterion_id)] = _("Give a whole number from %(min)s to %(max)s.") % {
                "min": SCORE_MIN, "max": SCORE_MAX}
        text = str(raw_text or "").strip()
        if not text:
            errors[justification_field(criterion_id)] = _("Justify the score: the reasons are part of the record.")
        elif len(text) > TEXT_MAX:
            errors[justification_field(criterion_id)] = _("Write at most %(limit)s characters.") % {"limit": TEXT_MAX}
        if value is not None and text:
            cleaned[criterion_id] = (value, text)
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError({"scores": _("Give at least one score.")})
    existing = {s.criterion_id: s for s in OfferScore.objects.select_for_update().filter(offer=offer)}
    now = timezone.now()
    changes = []
    for criterion_id, (value, text) in cleaned.items():
        score = existing.get(criterion_id)
        if score is None:
            OfferScore.objects.create(offer=offer, criterion_id=criterion_id, score=value, justification=text,
                                      scored_by=actor, scored_at=now)
        elif (score.score, score.justification) != (value, text):
            score.score, score.justification, score.scored_by, score.scored_at = value, text, actor, now
            score.save(update_fields=["score", "justification", "scored_by", "scored_at"])
        else:
            continue
        changes.append({"criterion": criterion_id, "score": value})
    if changes:
        _recompute(procurement)
        audit_record(actor=actor, verb="offer.scored", target=offer, organisation=organisation,
                     data={"scores": changes})
    return list(OfferScore.objects.filter(offer=offer).select_related("criterion").order_by("criterion__order"))


# Call-off (PRO-6) ----------------------------------------------------------------------------------------------


@transaction.atomic
def call_off(
    *,
    actor: User,
    procurement_id: int,
    volume: Any,
    offer_id: int | None = None,
    starts_on: date | None = None,
    note: str = "",
) -> CallOff:
    """A participating organisation takes an awarded product into use under the agreement (avrop): an adoption
    is created without the vendor's acceptance step (PRO-6, STO-5)."""
    procurement = _lock(actor, procurement_id)
    organisation = _acting(actor)
    if organisation.pk not in selectors.participant_ids(procurement):
        raise PermissionRefused(
            _("Only organisations that declared intent to participate in this joint procurement can call off under "
              "its agreement. %(organisation)s can request the product in Butikken in the usual way.")
            % {"organisation": organisation}
        )
    ensure_allowed(actor, "store.call_off", procurement,
                   message=_("Only an organisation admin can call off under the agreement."))
    ensure_terms_accepted(organisation)
    today = timezone.localdate()
    if not procurement.agreement_in_force_on(today):
        if procurement.agreement_start and procurement.agreement_end:
            raise Conflict(
                _("Call-off is possible only while the agreement is active, from %(start)s to %(end)s.")
                % {"start": _fmt(procurement.agreement_start), "end": _fmt(procurement.agreement_end)}
            )
        raise Conflict(_("Call-off is possible only while the agreement is active."))
    winners = {o.pk: o for o in selectors.winning_offers(procurement)}
    if offer_id in (None, "") and len(winners) == 1:
        offer_id = next(iter(winners))
    try:
        offer = winners.get(int(offer_id))
    except (TypeError, ValueError):
        offer = None
    if offer is None:
        raise ValidationError({"offer_id": _("Choose one of the awarded products.")})
    volume = _clean_volume(volume)
    starts_on = starts_on or today
    if isinstance(starts_on, datetime):
        starts_on = starts_on.date()
    if not procurement.agreement_start <= starts_on <= procurement.agreement_end or starts_on < today:
        raise ValidationError({"starts_on": _("Choose a start date from today until the agreement ends (%(end)s).")
                               % {"end": _fmt(procurement.agreement_end)}})
    note = _clean_text(note, field="note", required=False, message="", limit=2000)
    if CallOff.objects.filter(offer=offer, organisation=organisation).exists():
        raise Conflict(_("%(organisation)s has called off %(product)s under this agreement already.")
                       % {"organisation": organisation, "product": offer.product.name})
    from . import catalogue

    adoption = catalogue.adoption_create_call_off(
        actor=actor, organisation=organisation, product_id=offer.product_id, procurement_id=procurement.pk,
        starts_on=starts_on, agreement_until=procurement.agreement_end, message=note,
    )
    record = CallOff.objects.create(
        procurement=procurement, offer=offer, organisation=organisation, volume=volume, starts_on=starts_on,
        note=note, called_off_by=actor, adoption=adoption,
    )
    event = audit_record(actor=actor, verb="procurement.called_off", target=procurement, organisation=organisation,
                         data={"call_off": record.pk, "product": offer.product.name, "volume": volume,
                               "starts_on": str(starts_on)})
    _after_commit_notify(event)
    return record


# Notifications: who is told what; called by the task after commit, each event told once ----------------


def _once(key: str) -> bool:
    try:
        with transaction.atomic():
            ProcurementNotice.objects.create(key=key[:120])
    except IntegrityError:
        return False
    return True


def _members(organisation_ids: Iterable[int], *, admins_only: bool = False) -> list[User]:
    qs = Membership.objects.filter(organisation_id__in=list(organisation_ids)).select_related("user")
    if admins_only:
        qs = qs.filter(role=Role.ADMIN)
    return [m.user for m in qs]


def _participant_people(procurement: Procurement) -> list[User]:
    rows = list(Participation.objects.filter(procurement=procurement, status=Participation.Status.DECLARED)
                .select_related("declared_by"))
    return [r.declared_by for r in rows if r.declared_by] + _members([r.organisation_id for r in rows], admins_only=True)


def _offering_vendor_people(procurement: Procurement, *, winners_only: bool = False) -> list[User]:
    qs = Offer.objects.filter(procurement=procurement, status=Offer.Status.SUBMITTED).select_related("submitted_by")
    if winners_only:
        qs = qs.filter(is_winner=True)
    rows = list(qs)
    return [o.submitted_by for o in rows if o.submitted_by] + _members([o.vendor_id for o in rows], admins_only=True)


def _vendor_people(procurement: Procurement) -> list[User]:
    """Every vendor that should hear about the procurement: the qualified vendors, those interested in the need,
    and those that asked or offered."""
    from innovation.models import InterestedVendor
    from verification.models import Qualification

    today = timezone.localdate()
    qualified = Qualification.objects.filter(status=Qualification.Status.ACTIVE, expires_on__gt=today).values("organisation_id")
    interested = InterestedVendor.objects.filter(need_id=procurement.need_id).values("organisation_id")
    asked = ProcurementQuestion.objects.filter(procurement=procurement).values("vendor_id")
    offered = Offer.objects.filter(procurement=procurement).values("vendor_id")
    ids = set(Organisation.objects.filter(kind=Organisation.Kind.VENDOR).filter(
        Q(pk__in=qualified) | Q(pk__in=interested) | Q(pk__in=asked) | Q(pk__in=offered)
    ).values_list("pk", flat=True))
    askers = [q.asked_by for q in ProcurementQuestion.objects.filter(procurement=procurement).select_related("asked_by")
              if q.asked_by]
    return askers + _members(ids, admins_only=True)


def _need_followers(procurement: Procurement) -> list[User]:
    from innovation.models import Follow

    return [f.user for f in Follow.objects.filter(need_id=procurement.need_id).select_related("user")]


def _municipal_admins() -> list[User]:
    return [m.user for m in Membership.objects.filter(
        role=Role.ADMIN, organisation__kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.COUNTY]
    ).select_related("user")]


PHASE_TITLES = {
    Phase.MARKET_DIALOGUE: gettext_noop("New joint procurement: “%(title)s” is open for intent and questions"),
    Phase.COMPETITION: gettext_noop("The competition in “%(title)s” is open for offers until %(deadline)s"),
    Phase.EVALUATION: gettext_noop("The offers in “%(title)s” are being evaluated"),
    Phase.AWARDED: gettext_noop("“%(title)s” is awarded to %(winners)s"),
    Phase.AGREEMENT_ACTIVE: gettext_noop("The agreement of “%(title)s” is active: participants may call off"),
    Phase.CLOSED: gettext_noop("The agreement of “%(title)s” is closed"),
    Phase.CANCELLED: gettext_noop("The joint procurement “%(title)s” is cancelled"),
}


def _phase_recipients(procurement: Procurement, phase: str) -> list[User]:
    lead = _members([procurement.lead_id])
    participants = _participant_people(procurement)
    if phase == Phase.MARKET_DIALOGUE:
        return lead + _vendor_people(procurement) + _need_followers(procurement) + _municipal_admins()
    if phase == Phase.COMPETITION:
        return lead + participants + _vendor_people(procurement)
    if phase == Phase.EVALUATION:
        return lead + participants + _offering_vendor_people(procurement)
    if phase == Phase.AWARDED:
        return lead + participants + _vendor_people(procurement) + _need_followers(procurement)
    if phase == Phase.AGREEMENT_ACTIVE:
        return lead + participants + _offering_vendor_people(procurement, winners_only=True) + _need_followers(procurement)
    return lead + participants + _vendor_people(procurement)


def _winners_text(procurement: Procurement) -> str:
    return ", ".join(f"{o.product.name} ({o.vendor.name})" for o in selectors.winning_offers(procurement))


@transaction.atomic
def notify_event(*, event_id: int) -> int:
    """Tell the people concerned about one recorded procurement event (phase change or decision); once per event."""
    if not _once(f"event:{event_id}"):
        return 0
    event = AuditEvent.objects.filter(pk=event_id).select_related("actor", "target_type").first()
    if event is None or event.target_type is None:
        return 0
    model = event.target_type.model_class()
    target = model.objects.filter(pk=event.target_id).first() if model else None
    if target is None:
        return 0
    procurement = target if isinstance(target, Procurement) else target.procurement
    procurement = Procurement.objects.select_related("need", "lead").get(pk=procurement.pk)
    title_params = {"title": procurement.title}
    url = procurement.get_absolute_url()
    recipients: list[User] = []
    kind = kinds.PROCUREMENT_PHASE.code
    title: Any = ""
    body: Any = event.reason
    receipt = False  # a receipt goes to the person who acted, too
    verb = event.verb
    if verb.startswith("procurement.") and event.to_state in PHASE_TITLES:
        phase = event.to_state
        kind = {Phase.MARKET_DIALOGUE: kinds.PROCUREMENT_ANNOUNCED.code, Phase.AWARDED: kinds.PROCUREMENT_AWARD.code}.get(
            phase, kinds.PROCUREMENT_PHASE.code)
        title = lazy_message(PHASE_TITLES[phase], deadline=_fmt(procurement.offer_deadline),
                             winners=_winners_text(procurement), **title_params)
        if phase == Phase.AWARDED:
            body = lazy_message(gettext_noop("Reasons for the award: %(reason)s\n\nAgreement period: %(start)s – %(end)s."),
                                reason=procurement.award_reason, start=_fmt(procurement.agreement_start),
                                end=_fmt(procurement.agreement_end))
        elif phase == Phase.MARKET_DIALOGUE:
            body = lazy_message(
                gettext_noop("Municipalities and counties can declare intent to participate until %(intent)s. "
                             "Qualified vendors can ask questions. Offers are due %(offers)s.\n\n%(reason)s"),
                intent=_fmt(procurement.intent_deadline), offers=_fmt(procurement.offer_deadline), reason=event.reason)
        recipients = _phase_recipients(procurement, phase)
    elif verb == "procurement.opened":
        kind = kinds.PROCUREMENT_PHASE.code
        title = lazy_message(gettext_noop("Joint procurement “%(title)s” is opened and being planned"), **title_params)
        recipients = _members([procurement.lead_id]) + _members([procurement.need.owner_id], admins_only=True)
    elif verb == "procurement.updated":
        kind = kinds.PROCUREMENT_PHASE.code
        title = lazy_message(gettext_noop("The timeline of “%(title)s” has changed"), **title_params)
        body = lazy_message(
            gettext_noop("Intent by %(intent)s, offers by %(offers)s, agreement %(start)s – %(end)s."),
            intent=_fmt(procurement.intent_deadline), offers=_fmt(procurement.offer_deadline),
            start=_fmt(procurement.agreement_start) or "–", end=_fmt(procurement.agreement_end) or "–")
        recipients = _participant_people(procurement) + _vendor_people(procurement)
    elif verb in ("procurement.criteria_updated", "procurement.declaration_updated"):
        kind = kinds.PROCUREMENT_PHASE.code
        title = lazy_message(
            gettext_noop("The evaluation criteria of “%(title)s” have changed") if verb == "procurement.criteria_updated"
            else gettext_noop("The desired product declaration of “%(title)s” has changed"), **title_params)
        body = ""
        recipients = _participant_people(procurement) + _vendor_people(procurement)
    elif verb in ("participation.declared", "participation.changed", "participation.withdrawn"):
        kind = kinds.PROCUREMENT_PARTICIPATION.code
        messages = {
            "participation.declared": gettext_noop("%(organisation)s intends to participate in “%(title)s” (%(volume)s)"),
            "participation.changed": gettext_noop("%(organisation)s changed its expected volume in “%(title)s” (%(volume)s)"),
            "participation.withdrawn": gettext_noop("%(organisation)s withdrew from “%(title)s”"),
        }
        title = lazy_message(messages[verb], organisation=target.organisation.name, volume=target.volume, **title_params)
        recipients = _members([procurement.lead_id]) + _members([target.organisation_id], admins_only=True)
    elif verb == "procurementquestion.asked":
        kind = kinds.PROCUREMENT_QUESTION.code
        title = lazy_message(gettext_noop("New question from a vendor in “%(title)s”"), **title_params)
        body = ""
        url = reverse_questions(procurement)
        recipients = _members([procurement.lead_id])
    elif verb == "procurement.answers_published":
        kind = kinds.PROCUREMENT_ANSWERS.code
        count = len(event.data.get("questions", []))
        title = lazy_message(gettext_noop("%(count)s new answers in the market dialogue of “%(title)s”"),
                             count=count, **title_params)
        body = ""
        url = reverse_questions(procurement)
        recipients = _vendor_people(procurement) + _members([procurement.lead_id])
    elif verb in ("offer.submitted", "offer.changed", "offer.withdrawn"):
        # A receipt for the vendor only: nobody else may learn of a sealed offer.
        kind = kinds.PROCUREMENT_OFFER.code
        messages = {
            "offer.submitted": gettext_noop("Your offer in “%(title)s” is received; it stays sealed until %(deadline)s"),
            "offer.changed": gettext_noop("Your offer in “%(title)s” is changed; it stays sealed until %(deadline)s"),
            "offer.withdrawn": gettext_noop("Your offer in “%(title)s” is withdrawn"),
        }
        title = lazy_message(messages[verb], deadline=_fmt(procurement.offer_deadline), **title_params)
        url = target.get_absolute_url()
        recipients = _members([target.vendor_id])
        receipt = True
    elif verb == "procurement.called_off":
        kind = kinds.PROCUREMENT_CALL_OFF.code
        call = CallOff.objects.filter(pk=event.data.get("call_off")).select_related("offer", "offer__product",
                                                                                  "organisation").first()
        if call is None:
            return 0
        title = lazy_message(gettext_noop("%(organisation)s called off %(product)s under “%(title)s”"),
                             organisation=call.organisation.name, product=call.offer.product.name, **title_params)
        body = lazy_message(gettext_noop("Volume %(volume)s, in use from %(start)s. The adoption is active without "
                                         "the usual acceptance step."), volume=call.volume, start=_fmt(call.starts_on))
        # The vendor is told by the adoption service of Butikken.
        recipients = _members([procurement.lead_id]) + _members([call.organisation_id], admins_only=True)
    else:
        return 0
    sent = notify(recipients=recipients, kind=kind, title=title, body=body, url=url, organisation=procurement.lead,
                  exclude=None if receipt else event.actor)
    return len(sent)


def reverse_questions(procurement: Procurement) -> str:
    from django.urls import reverse

    return reverse("store:procurement_questions", args=[procurement.pk])
