"""Following, involvement, checklist, criteria and comments of one need (INN-5, INN-7, INN-8, INN-10)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, QuerySet

from marketplace.models import Document

from ..models import (
    ChecklistItem,
    Comment,
    EvaluationCriterion,
    Follow,
    InvolvementEntry,
    InvolvementStep,
    Need,
)


def is_following(need: Need, user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and Follow.objects.filter(need=need, user=user).exists()
    )


def follower_count(need: Need) -> int:
    return Follow.objects.filter(need=need).count()


def involvement_entries(need: Need, *, step: str = "") -> list[InvolvementEntry]:
    """The involvement log with each entry's documents attached as `.documents` (two queries)."""
    qs = InvolvementEntry.objects.filter(need=need).select_related("created_by", "organisation")
    if step:
        qs = qs.filter(step=step)
    entries = list(qs.order_by("step", "-date", "-id"))
    by_entry: dict[int, list[Document]] = defaultdict(list)
    if entries:
        for document in Document.objects.filter(
            owner_type=ContentType.objects.get_for_model(InvolvementEntry),
            owner_id__in=[e.pk for e in entries],
        ).order_by("created_at"):
            by_entry[document.owner_id].append(document)
    for entry in entries:
        entry.documents = by_entry.get(entry.pk, [])
    return entries


def involvement_summary(need: Need) -> list[dict]:
    """Per involvement step: how many entries and the latest date; the public view of the log (INN-5)."""
    rows = {
        row["step"]: row
        for row in InvolvementEntry.objects.filter(need=need)
        .values("step")
        .annotate(count=Count("pk"), latest=Max("date"))
    }
    return [
        {
            "step": value,
            "label": label,
            "count": rows.get(value, {}).get("count", 0),
            "latest": rows.get(value, {}).get("latest"),
        }
        for value, label in InvolvementStep.choices
    ]


def checklist(need: Need) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(need=need).select_related("checked_by", "checked_organisation"))


def criteria(need: Need) -> list[EvaluationCriterion]:
    return list(EvaluationCriterion.objects.filter(need=need).order_by("order", "id"))


def comments(need: Need) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(need=need)
        .select_related("author", "organisation")
        .order_by("created_at", "id")
    )
