"""Needs (INN-2): posting, editing the description and the desired product declaration."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import audit_record
from marketplace.models import ServiceArea, User
from marketplace.permissions import ensure_allowed
from marketplace.terms import ensure_terms_accepted

from .. import search
from ..models import (
    ChecklistItem,
    Follow,
    Need,
)
from .common import acting, ensure_can_edit, lock_need

CONTENT_FIELDS = (
    "shared",
    "title",
    "summary",
    "problem_today",
    "desired_situation",
    "systems_involved",
    "professions_involved",
    "goals",
)
MAX_GOALS = 20


def _clean_goals(goals: Iterable[str] | str | None) -> list[str]:
    if isinstance(goals, str):
        goals = goals.splitlines()
    cleaned = list(dict.fromkeys(g.strip().lstrip("-•* ").strip() for g in goals or [] if g and g.strip()))
    if len(cleaned) > MAX_GOALS:
        raise ValidationError({"goals": _("Write at most %(max)s goals.") % {"max": MAX_GOALS}})
    if any(len(g) > 200 for g in cleaned):
        raise ValidationError({"goals": _("Each goal can be at most 200 characters.")})
    return cleaned


def _service_areas(values: Sequence[Any] | None) -> list[ServiceArea]:
    ids = [getattr(v, "pk", v) for v in values or []]
    areas = list(ServiceArea.objects.filter(pk__in=ids, is_active=True))
    if not areas:
        raise ValidationError({"service_areas": _("Choose at least one service area.")})
    if len(areas) != len(set(ids)):
        raise ValidationError({"service_areas": _("One of the chosen service areas does not exist.")})
    return areas


def _validate_content(values: dict[str, Any]) -> None:
    errors = {}
    if "title" in values and not values["title"]:
        errors["title"] = _("Give the need a title.")
    elif "title" in values and len(values["title"]) > 200:
        errors["title"] = _("The title can be at most 200 characters.")
    if "summary" in values and not values["summary"]:
        errors["summary"] = _("Write a short summary of the need.")
    if errors:
        raise ValidationError(errors)


def _validate_declaration(declaration: Any) -> dict:
    from marketplace.declaration import validate_declaration

    if not isinstance(declaration, dict):
        raise ValidationError(
            {"desired_declaration": _("The desired product declaration must be an object.")}
        )
    errors = validate_declaration(declaration, require_complete=False)
    if errors:
        raise ValidationError(
            {
                "desired_declaration": [
                    f"{path}: {message}" for path, messages in errors.items() for message in messages
                ]
            }
        )
    return declaration


@transaction.atomic
def need_create(
    *,
    actor: User,
    title: str,
    summary: str,
    service_areas: Sequence[Any],
    problem_today: str = "",
    desired_situation: str = "",
    systems_involved: str = "",
    professions_involved: str = "",
    goals: Iterable[str] | str | None = None,
    desired_declaration: dict | None = None,
    shared: bool = False,
) -> Need:
    """Post a new need (an idea) for the acting organisation, with the readiness checklist ready to tick."""
    organisation = acting(actor)
    ensure_allowed(actor, "innovation.add_need", message=_("You cannot post needs for this organisation."))
    ensure_terms_accepted(organisation)
    values = {
        "title": (title or "").strip(),
        "summary": (summary or "").strip(),
        "problem_today": problem_today.strip(),
        "desired_situation": desired_situation.strip(),
        "systems_involved": systems_involved.strip(),
        "professions_involved": professions_involved.strip(),
    }
    _validate_content(values)
    areas = _service_areas(service_areas)
    need = Need.objects.create(
        owner=organisation,
        created_by=actor,
        shared=bool(shared),
        goals=_clean_goals(goals),
        desired_declaration=_validate_declaration(desired_declaration) if desired_declaration else {},
        **values,
    )
    need.service_areas.set(areas)
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(need=need, code=code, order=i)
            for i, code in enumerate(
                [
                    ChecklistItem.Code.LAWS,
                    ChecklistItem.Code.NATIONAL_INITIATIVES,
                    ChecklistItem.Code.ANCHORED,
                    ChecklistItem.Code.ESTIMATE,
                ]
            )
        ]
    )
    Follow.objects.create(need=need, user=actor)
    audit_record(
        actor=actor, verb="need.created", target=need, organisation=organisation, to_state=need.stage
    )
    search.refresh_search_vector(need)
    return need


@transaction.atomic
def need_update(
    *, actor: User, need_id: int, service_areas: Sequence[Any] | None = None, **fields: Any
) -> Need:
    """Change the description of a need: title, summary, user story, goals, service areas (core team)."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    ensure_terms_accepted(acting(actor))
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    cleaners = {"goals": _clean_goals, "shared": bool}
    values = {k: cleaners.get(k, lambda v: (v or "").strip())(v) for k, v in fields.items()}
    _validate_content(values)
    changed = [k for k, v in values.items() if getattr(need, k) != v]
    for key in changed:
        setattr(need, key, values[key])
    if service_areas is not None:
        areas = _service_areas(service_areas)
        if {a.pk for a in areas} != set(need.service_areas.values_list("pk", flat=True)):
            need.service_areas.set(areas)
            changed.append("service_areas")
    if changed:
        need.save(update_fields=[f for f in changed if f != "service_areas"] + ["updated_at"])
        audit_record(actor=actor, verb="need.updated", target=need, data={"fields": changed})
        search.refresh_search_vector(need)
        _after_commit_updated(need, actor)
    return need


@transaction.atomic
def need_update_declaration(*, actor: User, need_id: int, declaration: dict) -> Need:
    """Save the desired product declaration: what a solution must do, by section (INN-2)."""
    need = lock_need(actor, need_id)
    ensure_can_edit(actor, need)
    ensure_terms_accepted(acting(actor))
    declaration = _validate_declaration(declaration)
    if declaration != need.desired_declaration:
        need.desired_declaration = declaration
        need.save(update_fields=["desired_declaration", "updated_at"])
        audit_record(actor=actor, verb="need.declaration_updated", target=need)
        search.refresh_search_vector(need)
        _after_commit_updated(need, actor)
    return need


def _after_commit_updated(need: Need, actor: User) -> None:
    from ..tasks import notify_need_updated_task

    # One notice per need, person and hour: a morning of small edits does not flood the followers.
    need_id, actor_id = need.pk, actor.pk
    marker = f"{actor_id}:{timezone.now():%Y%m%d%H}"
    transaction.on_commit(lambda: notify_need_updated_task.delay(need_id, actor_id, marker))
