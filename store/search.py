"""Free-text search in Butikken (STO-3).

PostgreSQL: a stored tsvector per store entry with the Norwegian configuration, weighted
A name · B short description · C description and the approved declaration · D vendor and service areas,
a GIN index, and SearchRank for relevance. Words are matched as prefixes ("kartlegg" finds "kartlegging");
quotes, "or" and a leading "-" switch to websearch syntax. Any input is safe: it is reduced to words
before it reaches to_tsquery, and websearch_to_tsquery accepts anything.

SQLite (the embedded mode): every word must occur in the lower-cased search texts (icontains), and
the rank is 4/3/2/1 for a word in the name / short description / description / the rest.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.utils import translation

CONFIG = "norwegian"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Characters PostgreSQL cannot take in a text literal, and other control characters.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Weights of D, C, B and A (PostgreSQL's order): a hit in the name counts most.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]


def clean_query(text: Any) -> str:
    """The search text as typed, without control characters, trimmed and bounded."""
    text = CONTROL.sub(" ", str(text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(text: str) -> list[str]:
    """Lower-case words of the query, in order, without repeats (at most MAX_WORDS)."""
    found = WORD.findall(text.lower())
    # Single letters ("e" of "e-resept") would match almost everything as prefixes.
    words = [w for w in found if len(w) > 1] or found
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _uses_operators(text: str) -> bool:
    lowered = f" {text.lower()} "
    return '"' in text or " or " in lowered or " -" in lowered


def search_query(text: str) -> SearchQuery | None:
    """The PostgreSQL query for `text`, or None when it has no words."""
    words = query_words(text)
    if not words:
        return None
    if _uses_operators(text):
        return SearchQuery(text, config=CONFIG, search_type="websearch")
    # Only \w characters reach to_tsquery: nothing the user types can break its syntax.
    return SearchQuery(" & ".join(f"{w}:*" for w in words), config=CONFIG, search_type="raw")


class TextMatch(NamedTuple):
    """The store entries that match a free text: every id, and the relevance of those that rank above 0 (on
    PostgreSQL, the name and short description matches); the others rank 0 and come after, by use."""

    ids: list[int]
    ranks: dict[int, float]


def text_ranks(text: str) -> TextMatch:
    """The store entries that match `text`, with their relevance (higher is better).

    On PostgreSQL the match always uses the GIN index (a sequential scan would read every full vector: many
    times slower for common words). The rank is computed only where a word occurs in the small vector of name
    and short description (a name match ranks first); a match elsewhere ranks 0. The matches come back as
    arrays in one row: a word found in most of the catalogue costs one row, not thousands. Elsewhere: the
    icontains fallback and its 4/3/2/1 score."""
    from django.db import connection

    from .models import StoreEntry

    text = clean_query(text)
    words = query_words(text)
    if not words:
        return TextMatch([], {})
    if not settings.IS_POSTGRES:
        ranks = dict(apply_search(StoreEntry.objects.all(), text).values_list("pk", "rank"))
        return TextMatch(list(ranks), ranks)
    query = search_query(text)
    any_word = SearchQuery(" | ".join(f"{w}:*" for w in words), config=CONFIG, search_type="raw")
    rank = SearchRank(F("search_rank_vector"), query, weights=RANK_WEIGHTS)
    matches = (
        StoreEntry.objects.filter(search_vector=query)
        .annotate(
            rank=Case(
                When(search_rank_vector=any_word, then=rank),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
        .values_list("pk", "rank")
    )
    sql, params = matches.query.sql_with_params()
    arrays = (
        "SELECT array_agg(m.id), array_agg(m.id) FILTER (WHERE m.rank > 0), "
        f"array_agg(m.rank) FILTER (WHERE m.rank > 0) FROM ({sql}) AS m (id, rank)"
    )
    # One round trip: the three statements run as one implicit transaction, so SET LOCAL lasts for the match
    # only; the last statement restores the planner for the rest of an outer transaction, if there is one.
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = off; {arrays}; SET LOCAL enable_seqscan = on", params)
        cursor.nextset()
        ids, ranked, ranks = cursor.fetchone()
    return TextMatch(ids or [], dict(zip(ranked or [], ranks or [])))


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    """Filter store entries by free text and annotate `rank` (higher is better)."""
    text = clean_query(text)
    words = query_words(text)
    if not words:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if settings.IS_POSTGRES:
        query = search_query(text)
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS)
        )
    condition = Q()
    score = Value(0, output_field=IntegerField())
    for word in words:
        condition &= (
            Q(search_a__contains=word)
            | Q(search_b__contains=word)
            | Q(search_c__contains=word)
            | Q(search_d__contains=word)
        )
        score = score + Case(
            When(search_a__contains=word, then=Value(4)),
            When(search_b__contains=word, then=Value(3)),
            When(search_c__contains=word, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return queryset.filter(condition).annotate(rank=score)


# The search document ---------------------------------------------------------------------------------


def declaration_text(content: dict | None, area_names: dict[str, str]) -> str:
    """The declaration as searchable text: every displayed value, in Norwegian (labels of codes too)."""
    from marketplace.declaration import SECTIONS, display_value, value_of

    parts: list[str] = []
    with translation.override("nb"):
        for section in SECTIONS:
            for spec in section.fields:
                value = value_of(content, f"{section.key}.{spec.key}")
                if value in (None, "", [], {}):
                    continue
                shown = display_value(spec, value, area_names)
                if shown:
                    parts.append(shown)
                if spec.kind == "multichoice" and isinstance(value, list):
                    parts.extend(str(v) for v in value)  # the codes as well as their labels
    return "\n".join(parts)


def document_for(
    *,
    product: Any,
    content: dict | None,
    vendor_name: str,
    area_names: dict[str, str],
    product_area_names: list[str],
) -> dict[str, str]:
    """The four weighted texts of one entry, lower-cased."""
    return {
        "search_a": (product.name or "").lower(),
        "search_b": (product.short_description or "").lower(),
        "search_c": "\n".join(
            filter(None, [product.description, declaration_text(content, area_names)])
        ).lower(),
        "search_d": "\n".join(filter(None, [vendor_name, *product_area_names])).lower(),
    }


def vector_expression() -> SearchVector:
    return (
        SearchVector("search_a", weight="A", config=CONFIG)
        + SearchVector("search_b", weight="B", config=CONFIG)
        + SearchVector("search_c", weight="C", config=CONFIG)
        + SearchVector("search_d", weight="D", config=CONFIG)
    )


def rank_vector_expression() -> SearchVector:
    return SearchVector("search_a", weight="A", config=CONFIG) + SearchVector(
        "search_b", weight="B", config=CONFIG
    )


def refresh_vectors(queryset: QuerySet) -> int:
    """Recompute the stored vectors of these entries from their texts (PostgreSQL; a no-op elsewhere): the
    full, indexed vector that matches, and a small one of name and short description that ranks."""
    if not settings.IS_POSTGRES:
        return 0
    return queryset.update(search_vector=vector_expression(), search_rank_vector=rank_vector_expression())
