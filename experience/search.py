"""Full-text search of experiences (EXP-5).

On PostgreSQL: a stored tsvector per experience with the Norwegian configuration, a GIN index and
SearchRank. On SQLite (the embedded mode): `icontains` on every word.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, Q, QuerySet, TextField, Value

CONFIG = "norwegian"
MAX_QUERY_LENGTH = 200


def _text(value: str):
    return Value(value or "", output_field=TextField())


def refresh_search_vector(experience) -> None:
    """Recompute the stored search vector of one experience (PostgreSQL only; a no-op elsewhere)."""
    if not settings.IS_POSTGRES:
        return
    from .models import Experience

    context = " ".join(
        str(part)
        for part in (
            experience.organisation.name if experience.organisation_id else "",
            experience.product.name if experience.product_id else "",
            experience.need.title if experience.need_id else "",
            experience.procurement.title if experience.procurement_id else "",
            experience.service_area.name if experience.service_area_id else "",
        )
        if part
    )
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("what_worked", "what_did_not", "advice", weight="B", config=CONFIG)
        + SearchVector("effort", "timeline", weight="C", config=CONFIG)
        + SearchVector(_text(context), weight="B", config=CONFIG)
    )
    Experience.objects.filter(pk=experience.pk).update(search_vector=vector)


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    """Filter by free text; annotates `rank` on PostgreSQL, icontains on every word elsewhere."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return queryset
    if settings.IS_POSTGRES:
        # websearch syntax never raises on malformed input ("quotes, or -minus").
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    condition = Q()
    for word in text.split():
        condition &= (
            Q(title__icontains=word)
            | Q(what_worked__icontains=word)
            | Q(what_did_not__icontains=word)
            | Q(advice__icontains=word)
            | Q(effort__icontains=word)
            | Q(timeline__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(product__name__icontains=word)
        )
    return queryset.filter(condition)
