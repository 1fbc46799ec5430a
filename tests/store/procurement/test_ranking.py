"""PRO-5: the weighted totals and the ranking, checked against hand-computed examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.selectors.procurement import evaluation_matrix, rank_totals, weighted_total

pytestmark = pytest.mark.django_db


def test_weighted_total_and_ranking_match_the_hand_computed_example():
    """PRO-5. Three criteria weighted 45 / 35 / 20 (sum 100); scores 0–10; total = Σ score × weight ÷ 10.

    Offer X: 7, 9, 4 → (7×45 + 9×35 + 4×20) ÷ 10 = (315 + 315 + 80) ÷ 10 = 71.00
    Offer Y: 9, 6, 7 → (9×45 + 6×35 + 7×20) ÷ 10 = (405 + 210 + 140) ÷ 10 = 75.50
    Offer Z: 8, 7, 6 → (8×45 + 7×35 + 6×20) ÷ 10 = (360 + 245 + 120) ÷ 10 = 72.50
    Ranking: Y 1st (75.50), Z 2nd (72.50), X 3rd (71.00).
    """
    weights = {1: 45, 2: 35, 3: 20}
    totals = {
        "X": weighted_total({1: 7, 2: 9, 3: 4}, weights),
        "Y": weighted_total({1: 9, 2: 6, 3: 7}, weights),
        "Z": weighted_total({1: 8, 2: 7, 3: 6}, weights),
    }
    assert totals == {"X": Decimal("71.00"), "Y": Decimal("75.50"), "Z": Decimal("72.50")}
    assert rank_totals(totals) == {"Y": 1, "Z": 2, "X": 3}


def test_full_marks_give_100_points_and_equal_totals_share_a_rank():
    """10 on every criterion is 100 points; 0 everywhere is 0; ties share a rank and the next rank is skipped."""
    weights = {1: 60, 2: 40}
    assert weighted_total({1: 10, 2: 10}, weights) == Decimal("100.00")
    assert weighted_total({1: 0, 2: 0}, weights) == Decimal("0.00")
    # 5×60/10 + 5×40/10 = 30 + 20 = 50; 3×60/10 + 8×40/10 = 18 + 32 = 50; 9×60/10 + 1×40/10 = 54 + 4 = 58.
    totals = {"a": weighted_total({1: 5, 2: 5}, weights), "b": weighted_total({1: 3, 2: 8}, weights),
              "c": weighted_total({1: 9, 2: 1}, weights)}
    assert totals == {"a": Decimal("50.00"), "b": Decimal("50.00"), "c": Decimal("58.00")}
    assert rank_totals(totals) == {"c": 1, "a": 2, "b": 2}


def test_the_matrix_keeps_totals_and_ranks_on_the_offers(scored):
    """PRO-5, through the services. Criteria 60 % and 40 % (from the need).

    Kartleggeren: 8 and 6 → 8×60/10 + 6×40/10 = 48 + 24 = 72.00 → rank 1
    Omsorgsdata:  5 and 9 → 5×60/10 + 9×40/10 = 30 + 36 = 66.00 → rank 2
    """
    first, second = scored.first, scored.second
    assert (first.weighted_total, first.rank) == (Decimal("72.00"), 1)
    assert (second.weighted_total, second.rank) == (Decimal("66.00"), 2)
    matrix = evaluation_matrix(scored.procurement)
    assert matrix.complete
    assert [(row.offer.pk, row.total, row.rank) for row in matrix.rows] == [
        (first.pk, Decimal("72.00"), 1), (second.pk, Decimal("66.00"), 2),
    ]
    assert [[cell.score for cell in row.cells] for row in matrix.rows] == [[8, 6], [5, 9]]


def test_no_ranking_until_every_offer_is_scored_on_every_criterion(lead, evaluation):
    """A partial total is kept, but the rank waits for a complete evaluation."""
    from .factories import score_all

    score_all(lead, evaluation.first, [8, 6])
    evaluation.first.refresh_from_db()
    assert evaluation.first.weighted_total == Decimal("72.00")
    assert evaluation.first.rank is None
    matrix = evaluation_matrix(evaluation.procurement)
    assert not matrix.complete
    assert matrix.missing == 2
