"""PRO-5: the lead scores each offer per criterion (0–10) with a justification; totals and ranking are kept as a
matrix that can be exported; the award names the winning product(s) with reasons."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from store.models import OfferScore
from store.services import procurement as services

from .factories import score_all

pytestmark = pytest.mark.django_db


def _criteria(procurement):
    return list(procurement.criteria.order_by("order", "id"))


@pytest.mark.parametrize("score", [-1, 11, "7.5", "sju", None])
def test_scores_outside_0_to_10_are_refused(lead, evaluation, score):
    """Refusal: scoring outside 0–10 (field-level message, nothing saved)."""
    criterion = _criteria(evaluation.procurement)[0]
    with pytest.raises(ValidationError) as error:
        services.offer_score(actor=lead, offer_id=evaluation.first.pk,
                             scores={criterion.pk: (score, "Begrunnelse.")})
    assert f"score_{criterion.pk}" in error.value.message_dict
    assert not OfferScore.objects.exists()


def test_a_score_without_justification_is_refused(lead, evaluation):
    """Refusal: scoring without a justification."""
    criterion = _criteria(evaluation.procurement)[0]
    with pytest.raises(ValidationError) as error:
        services.offer_score(actor=lead, offer_id=evaluation.first.pk, scores={criterion.pk: (7, "   ")})
    assert f"justification_{criterion.pk}" in error.value.message_dict
    assert not OfferScore.objects.exists()


def test_0_and_10_are_valid_and_a_score_can_be_corrected(lead, evaluation):
    first, second = _criteria(evaluation.procurement)
    services.offer_score(actor=lead, offer_id=evaluation.first.pk,
                         scores={first.pk: (0, "Mangler helt."), second.pk: (10, "Fullt ut.")})
    services.offer_score(actor=lead, offer_id=evaluation.first.pk, scores={first.pk: (3, "Delvis, etter avklaring.")})
    assert dict(OfferScore.objects.values_list("criterion_id", "score")) == {first.pk: 3, second.pk: 10}


def test_a_criterion_of_another_procurement_is_refused(lead, evaluation):
    with pytest.raises(ValidationError) as error:
        services.offer_score(actor=lead, offer_id=evaluation.first.pk, scores={999999: (5, "Hm.")})
    assert "scores" in error.value.message_dict


def test_scoring_waits_for_the_evaluation_phase(lead, offers):
    """Before the deadline the lead cannot even find the offer; after it, scoring waits for the phase."""
    criterion = _criteria(offers.procurement)[0]
    with pytest.raises(NotFound):
        services.offer_score(actor=lead, offer_id=offers.first.pk, scores={criterion.pk: (5, "Tidlig.")})
    from .factories import pass_deadline

    pass_deadline(offers.procurement)
    with pytest.raises(Conflict):
        services.offer_score(actor=lead, offer_id=offers.first.pk, scores={criterion.pk: (5, "Før evaluering.")})


def test_only_the_lead_and_platform_admins_score(evaluation, bodo_admin, seller, ks_admin):
    criterion = _criteria(evaluation.procurement)[0]
    with pytest.raises(NotFound):  # the vendor of the other offer, and a participant: the offer does not exist for them
        services.offer_score(actor=bodo_admin, offer_id=evaluation.first.pk, scores={criterion.pk: (5, "Nei.")})
    with pytest.raises(PermissionRefused):  # its own vendor sees it, but does not score it
        services.offer_score(actor=seller, offer_id=evaluation.first.pk, scores={criterion.pk: (10, "Selvsagt.")})
    services.offer_score(actor=ks_admin, offer_id=evaluation.first.pk, scores={criterion.pk: (6, "KS vurderer.")})
    assert OfferScore.objects.get().scored_by == ks_admin


def test_awarding_before_the_evaluation_is_complete_is_refused(lead, evaluation):
    """Refusal: awarding before evaluation is complete (409, nothing awarded)."""
    score_all(lead, evaluation.first, [8, 6])
    with pytest.raises(Conflict, match="not complete"):
        services.procurement_award(actor=lead, procurement_id=evaluation.procurement.pk,
                                   offer_ids=[evaluation.first.pk], reason="For tidlig.")
    evaluation.procurement.refresh_from_db()
    assert evaluation.procurement.phase == "evaluation" and evaluation.procurement.awarded_at is None


def test_awarding_outside_the_evaluation_phase_is_an_illegal_transition(lead, offers):
    with pytest.raises(IllegalTransition):
        services.procurement_award(actor=lead, procurement_id=offers.procurement.pk, offer_ids=[offers.first.pk],
                                   reason="Nei.")


def test_the_award_names_the_winners_with_reasons_and_keeps_the_matrix(lead, scored):
    procurement = scored.procurement
    services.procurement_award(actor=lead, procurement_id=procurement.pk, offer_ids=[scored.first.pk],
                               reason="Høyest vektet poengsum og god brukervennlighet.")
    procurement.refresh_from_db()
    scored.first.refresh_from_db()
    scored.second.refresh_from_db()
    assert procurement.phase == "awarded" and procurement.awarded_by == lead
    assert procurement.award_reason == "Høyest vektet poengsum og god brukervennlighet."
    assert (scored.first.is_winner, scored.second.is_winner) == (True, False)
    snapshot = procurement.result_matrix
    assert [c["weight"] for c in snapshot["criteria"]] == [60, 40]
    assert [(r["product"], r["total"], r["rank"]) for r in snapshot["rows"]] == [
        ("Kartleggeren Kognitiv", "72.00", 1), ("Omsorgsdata Kartlegging", "66.00", 2),
    ]
    assert snapshot["rows"][0]["scores"][0]["justification"] == "Begrunnelse for 8 poeng."


def test_several_winners_may_be_named(lead, scored):
    services.procurement_award(actor=lead, procurement_id=scored.procurement.pk,
                               offer_ids=[scored.first.pk, scored.second.pk], reason="Rammeavtale med to.")
    assert scored.procurement.offers.filter(is_winner=True).count() == 2


@pytest.mark.parametrize("kwargs,field", [
    ({"offer_ids": [], "reason": "Ok."}, "offer_ids"),
    ({"offer_ids": [999999], "reason": "Ok."}, "offer_ids"),
    ({"reason": "   "}, "reason"),
    ({"reason": "Ok.", "agreement_end": timezone.localdate() - timedelta(days=1),
      "agreement_start": timezone.localdate() - timedelta(days=30)}, "agreement_end"),
])
def test_award_input_is_checked(lead, scored, kwargs, field):
    kwargs = {"offer_ids": [scored.first.pk], **kwargs}
    with pytest.raises(ValidationError) as error:
        services.procurement_award(actor=lead, procurement_id=scored.procurement.pk, **kwargs)
    assert field in error.value.message_dict
    scored.procurement.refresh_from_db()
    assert scored.procurement.phase == "evaluation"


def test_the_matrix_is_exported_as_csv(lead, scored):
    from tests.conftest import login

    response = login(lead).get(f"/butikken/felleskjop/{scored.procurement.pk}/evaluering/matrise.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 3
    assert rows[1][:3] == ["1", "Kartleggeren AS", "Kartleggeren Kognitiv"]
    assert rows[1][-1] == "72.00" and rows[2][-1] == "66.00"
    assert rows[1][5:9] == ["8", "Begrunnelse for 8 poeng.", "6", "Begrunnelse for 6 poeng."]


def test_csv_neutralises_spreadsheet_formulas(lead, evaluation):
    from tests.conftest import login

    first, second = _criteria(evaluation.procurement)
    services.offer_score(actor=lead, offer_id=evaluation.first.pk,
                         scores={first.pk: (5, "=HYPERLINK(\"http://x\")"), second.pk: (5, "ok")})
    text = login(lead).get(f"/butikken/felleskjop/{evaluation.procurement.pk}/evaluering/matrise.csv").content.decode(
        "utf-8-sig")
    assert "'=HYPERLINK" in text
