"""Search (INN-12) and similar needs: PostgreSQL full-text search (Norwegian) or the SQLite fallback."""

from __future__ import annotations

import pytest
from django.conf import settings

from innovation import search, selectors
from innovation.models import Need, Stage

from .factories import advance, make_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(owner, bodo, area):
    kognitiv = advance(
        owner,
        make_need(
            owner,
            areas=[area],
            title="Kognitiv kartlegging",
            summary="Felles kartlegging av kognitiv funksjon ute hos innbyggeren.",
            problem_today="Kartleggingen skjer på papir i hjemmetjenesten.",
        ),
        Stage.PUBLISHED,
    )
    video = advance(
        bodo,
        make_need(
            bodo,
            areas=[area],
            title="Videomøte med innbygger og pårørende",
            summary="Sikre videomøter der pårørende deltar fra hvert sitt sted.",
        ),
        Stage.PUBLISHED,
    )
    hidden = make_need(
        bodo,
        areas=[area],
        title="Kartlegging av hjelpemidler",
        summary="Oversikt over kartlegging av hjelpemidler hos innbyggeren.",
    )
    return kognitiv, video, hidden


def test_search_finds_text_in_title_summary_and_user_story(needs, inger):
    kognitiv, video, hidden = needs
    assert [n.pk for n in selectors.need_list(user=inger, q="papir")] == [kognitiv.pk]
    assert [n.pk for n in selectors.need_list(user=inger, q="pårørende")] == [video.pk]
    # A need Inger may not see is never found.
    assert hidden.pk not in [n.pk for n in selectors.need_list(user=inger, q="hjelpemidler")]


def test_search_ranks_a_title_match_first(needs, inger):
    kognitiv, video, _hidden = needs
    results = list(selectors.need_list(user=inger, q="kartlegging"))
    assert results[0].pk == kognitiv.pk


def test_postgres_stems_norwegian_words_and_sqlite_matches_text(needs, inger):
    """Production: "kartleggingene" (definite plural) finds "kartlegging" through the Norwegian stemmer,
    from a stored, GIN-indexed vector. Embedded SQLite: a plain substring match, which cannot stem."""
    kognitiv, _video, _hidden = needs
    found = [n.pk for n in selectors.need_list(user=inger, q="kartleggingene")]
    if settings.IS_POSTGRES:
        assert kognitiv.pk in found
        assert Need.objects.filter(pk=kognitiv.pk, search_vector__isnull=False).exists()
    else:
        assert found == []
        assert kognitiv.pk in [n.pk for n in selectors.need_list(user=inger, q="kartleggin")]


def test_similar_needs_for_a_draft_exclude_hidden_and_archived(needs, inger, owner):
    kognitiv, video, hidden = needs
    similar = selectors.similar_needs(user=inger, text="Kognitiv kartlegging i hjemmetjenesten")
    assert similar and similar[0].pk == kognitiv.pk
    assert hidden.pk not in [n.pk for n in similar]
    from innovation import services

    services.need_change_stage(actor=owner, need_id=kognitiv.pk, to=Stage.ARCHIVED, reason="Løst.")
    assert kognitiv.pk not in [n.pk for n in selectors.similar_needs(user=inger, text="Kognitiv kartlegging")]


def test_similar_needs_with_nothing_in_common_is_empty(needs, inger):
    assert selectors.similar_needs(user=inger, text="Tannhelse for barn") == []
    assert selectors.similar_needs(user=inger, text="og i på") == []


def test_words_drop_short_common_words_and_repeats():
    assert search.words("Kognitiv kartlegging og kartlegging i 2024") == ["kognitiv", "kartlegging"]
