"""The core team's work on a need: the involvement log (INN-5), the readiness checklist (INN-7) and the
evaluation criteria (INN-8)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import audit_record
from marketplace.errors import Conflict, NotFound
from marketplace.models import Document, User
from marketplace.services.documents import document_upload
from marketplace.terms import ensure_terms_accepted

from ..models import ChecklistItem, EvaluationCriterion, InvolvementEntry, InvolvementStep, Stage
from .common import acting, ensure_can_edit, lock_need

MAX_CRITERIA = 20


# Involvement log (INN-5) ------------------------------------------------------------------------


@transaction.atomic
def involvement_add(
    *,
    actor: User,
    need_id: int,
    step: str,
    date: datetime.date | None,
    participants: str,
    notes: str,
    upload: UploadedFile | None = None,
    document_title: str = "",
) -> InvolvementEntry:
    """Log an involvement activity in one of the four steps, optionally with a document (core team)."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    errors = {}
    if step not in InvolvementStep.values:
        errors["step"] = _("Choose one of the four involvement steps.")
    if date is None:
        errors["date"] = _("Give the date of the activity.")
    elif date > timezone.localdate():
        errors["date"] = _("The log records what has happened: the date cannot be in the future.")
    if not (participants or "").strip():
        errors["participants"] = _("Say who took part.")
    if not (notes or "").strip():
        errors["notes"] = _("Write what came out of it.")
    if errors:
        raise ValidationError(errors)
    entry = InvolvementEntry.objects.create(
        need=need,
        step=step,
        date=date,
        participants=participants.strip(),
        notes=notes.strip(),
        organisation=organisation,
        created_by=actor,
    )
    if upload is not None:
        document_upload(
            actor=actor,
            organisation=organisation,
            owner=entry,
            upload=upload,
            title=(document_title or "").strip(),
            kind="involvement",
        )
    need.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        verb="need.involvement_added",
        target=need,
        organisation=organisation,
        data={"entry": entry.pk, "step": step, "date": date.isoformat()},
    )
    return entry


@transaction.atomic
def involvement_document_add(
    *, actor: User, entry_id: int, upload: UploadedFile, title: str = ""
) -> Document:
    """Attach another document to an involvement entry (core team)."""
    entry = InvolvementEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("Involvement entry not found."))
    need = lock_need(actor, entry.need_id)
    if not actor.has_perm("innovation.view_involvemententry", entry):
        raise NotFound(_("Involvement entry not found."))
    ensure_can_edit(actor, need)
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    return document_upload(
        actor=actor,
        organisation=organisation,
        owner=entry,
        upload=upload,
        title=(title or "").strip(),
        kind="involvement",
    )


# Readiness checklist (INN-7) ---------------------------------------------------------------------


@transaction.atomic
def checklist_set(
    *, actor: User, need_id: int, item_id: int, checked: bool, comment: str = ""
) -> ChecklistItem:
    """Tick or untick a checklist item, recording who did it, for which organisation, and a comment."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    item = ChecklistItem.objects.select_for_update().filter(pk=item_id, need=need).first()
    if item is None:
        raise NotFound(_("Checklist item not found."))
    comment = (comment or "").strip()
    if not checked and need.stage == Stage.PUBLISHED:
        raise Conflict(
            _(
                "The need is published with a complete checklist. Move it back to evaluation criteria "
                "before unticking items."
            )
        )
    if not checked and not comment:
        raise ValidationError({"comment": _("Say why the item is no longer ticked.")})
    item.checked = checked
    item.checked_by = actor
    item.checked_organisation = organisation
    item.checked_at = timezone.now()
    item.comment = comment
    item.save(update_fields=["checked", "checked_by", "checked_organisation", "checked_at", "comment"])
    audit_record(
        actor=actor,
        verb="need.checklist_ticked" if checked else "need.checklist_unticked",
        target=need,
        organisation=organisation,
        reason=comment,
        data={"item": item.display_label},
    )
    need.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def checklist_add_item(*, actor: User, need_id: int, label: str) -> ChecklistItem:
    """Add an item of the core team's own to the readiness checklist."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    ensure_terms_accepted(acting(actor))
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Write the item.")})
    if len(label) > 200:
        raise ValidationError({"label": _("An item can be at most 200 characters.")})
    if need.stage == Stage.PUBLISHED:
        raise Conflict(
            _("The need is published; move it back to evaluation criteria to change the checklist.")
        )
    last = (
        ChecklistItem.objects.filter(need=need).order_by("-order").values_list("order", flat=True).first()
        or 0
    )
    item = ChecklistItem.objects.create(
        need=need, code=ChecklistItem.Code.CUSTOM, label=label, order=last + 1
    )
    audit_record(actor=actor, verb="need.checklist_item_added", target=need, data={"item": label})
    return item


# Evaluation criteria (INN-8) --------------------------------------------------------------------


def _clean_criteria(criteria: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned, errors = [], []
    for index, raw in enumerate(criteria, start=1):
        name = str(raw.get("name") or "").strip()
        description = str(raw.get("description") or "").strip()
        try:
            weight = int(raw.get("weight"))
        except (TypeError, ValueError):
            weight = None
        if not name and not description and weight in (None, 0):
            continue  # an empty row of the form
        if not name:
            errors.append(_("Criterion %(n)s needs a name.") % {"n": index})
        elif len(name) > 200:
            errors.append(_("The name of criterion %(n)s can be at most 200 characters.") % {"n": index})
        if weight is None or not 1 <= weight <= 100:
            errors.append(_("Criterion %(n)s needs a weight between 1 and 100.") % {"n": index})
        cleaned.append({"name": name, "description": description, "weight": weight})
    if errors:
        raise ValidationError({"criteria": errors})
    if len(cleaned) > MAX_CRITERIA:
        raise ValidationError({"criteria": _("Use at most %(max)s criteria.") % {"max": MAX_CRITERIA}})
    names = [c["name"].lower() for c in cleaned]
    if len(names) != len(set(names)):
        raise ValidationError({"criteria": _("Two criteria have the same name.")})
    total = sum(c["weight"] for c in cleaned)
    if cleaned and total != 100:
        raise ValidationError(
            {"criteria": _("The weights must sum to 100; now they sum to %(sum)s.") % {"sum": total}}
        )
    return cleaned


@transaction.atomic
def criteria_set(
    *, actor: User, need_id: int, criteria: Sequence[dict[str, Any]]
) -> list[EvaluationCriterion]:
    """Replace a need's evaluation criteria; the weights must sum to 100 (INN-8)."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    ensure_terms_accepted(acting(actor))
    cleaned = _clean_criteria(criteria)
    if not cleaned and need.stage == Stage.PUBLISHED:
        raise ValidationError({"criteria": _("A published need must keep its evaluation criteria.")})
    before = list(
        EvaluationCriterion.objects.filter(need=need)
        .order_by("order", "id")
        .values("name", "description", "weight")
    )
    if before == cleaned:
        return list(EvaluationCriterion.objects.filter(need=need).order_by("order", "id"))
    EvaluationCriterion.objects.filter(need=need).delete()
    created = EvaluationCriterion.objects.bulk_create(
        [EvaluationCriterion(need=need, order=i, **c) for i, c in enumerate(cleaned)]
    )
    need.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        verb="need.criteria_updated",
        target=need,
        data={"criteria": [{"name": c["name"], "weight": c["weight"]} for c in cleaned]},
    )
    return list(EvaluationCriterion.objects.filter(need=need).order_by("order", "id")) if created else []
