"""Search and similarity for needs (INN-12, similar needs first).

On PostgreSQL: a stored tsvector per need with the Norwegian configuration, a GIN index and SearchRank.
On SQLite (the embedded mode): `icontains` for search and a simple word-overlap score for similarity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Case, F, FloatField, Index, Q, QuerySet, TextField, Value, When

CONFIG = "norwegian"
WORD = re.compile(r"\w+", re.UNICODE)
# Short and very common words that say nothing about what a need is about.
STOP_WORDS = {
    "og",
    "i",
    "på",
    "for",
    "med",
    "til",
    "av",
    "en",
    "et",
    "ei",
    "den",
    "det",
    "de",
    "som",
    "er",
    "at",
    "om",
    "fra",
    "kan",
    "skal",
    "ikke",
    "har",
    "the",
    "and",
    "with",
    "of",
    "to",
    "a",
    "an",
    "in",
    "on",
}


class SearchGinIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere a plain index, as search falls back to icontains there."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def words(text: str) -> list[str]:
    """Lower-case words of three letters or more, without stop words, in order and without repeats."""
    seen: dict[str, None] = {}
    for word in WORD.findall((text or "").lower()):
        if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def _text(value: str):
    return Value(value or "", output_field=TextField())


def refresh_search_vector(need) -> None:
    """Recompute the stored search vector of one need (PostgreSQL only; a no-op elsewhere)."""
    if not settings.IS_POSTGRES:
        return
    from .models import Need

    areas = " ".join(a.name for a in need.service_areas.all())
    declaration = " ".join(_flatten(need.desired_declaration))
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector(
            "problem_today",
            "desired_situation",
            "systems_involved",
            "professions_involved",
            weight="C",
            config=CONFIG,
        )
        + SearchVector(
            _text(" ".join(need.goals or [])),
            _text(areas),
            _text(need.owner.name),
            _text(declaration),
            weight="D",
            config=CONFIG,
        )
    )
    Need.objects.filter(pk=need.pk).update(search_vector=vector)


def _flatten(value) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, str):
        yield value


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    """Filter by free text; ranked on PostgreSQL (annotates `rank`), icontains on every word elsewhere."""
    text = (text or "").strip()
    if not text:
        return queryset
    if settings.IS_POSTGRES:
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-updated_at", "-id")
        )
    condition = Q()
    for word in text.split():
        condition &= (
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(problem_today__icontains=word)
            | Q(desired_situation__icontains=word)
            | Q(systems_involved__icontains=word)
            | Q(professions_involved__icontains=word)
            | Q(owner__name__icontains=word)
        )
    # A crude relevance without full-text search: needs whose title has the words come first.
    in_title = Q()
    for word in text.split():
        in_title &= Q(title__icontains=word)
    return (
        queryset.filter(condition)
        .annotate(rank=Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField()))
        .order_by("-rank", "-updated_at", "-id")
    )


def similar(queryset: QuerySet, text: str, *, limit: int = 5) -> list:
    """The needs that look most like `text` (a draft's title and summary), best first."""
    terms = words(text)[:30]
    if not terms:
        return []
    if settings.IS_POSTGRES:
        # Any of the words may match; the rank rewards needs that share many of them.
        query = SearchQuery(" or ".join(terms), config=CONFIG, search_type="websearch")
        return list(
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-id")[:limit]
        )
    condition = Q()
    for word in terms:
        condition |= Q(title__icontains=word) | Q(summary__icontains=word)
    candidates = list(queryset.filter(condition).order_by("-id")[:200])
    wanted = set(terms)
    scored = []
    for need in candidates:
        title_words = set(words(need.title))
        overlap = len(wanted & (title_words | set(words(need.summary))))
        # A shared title word counts double: titles say most about what the need is.
        score = (overlap + len(wanted & title_words)) / (len(wanted) + 1)
        if overlap >= min(2, len(wanted)):
            need.rank = round(score, 3)
            scored.append(need)
    scored.sort(key=lambda n: (-n.rank, -n.pk))
    return scored[:limit]
