"""X-6 for Felleskjøp: the API has the screens' permissions — public reads, field errors as 400, refusals as
403, hidden objects as 404, illegal transitions as 409 — and lists cost a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from store.models import Offer, OfferScore, Participation, Procurement
from store.services import procurement as services

from .conftest import api
from .factories import pass_deadline, published_need, timeline

pytestmark = pytest.mark.django_db


def _timeline_json(**overrides):
    values = timeline(**overrides)
    return {k: v.isoformat() for k, v in values.items()}


def test_open_a_procurement(lead, need):
    response = api(lead).post("/api/v1/procurements/", {"need": need.pk, **_timeline_json()}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phase"] == "planning" and body["lead"]["id"] == need.owner_id
    assert [c["weight"] for c in body["criteria"]] == [60, 40]


def test_open_refusals(lead, need, bodo_admin):
    client = api(lead)
    assert client.post("/api/v1/procurements/", {"need": need.pk}, format="json").status_code == 400
    bad = client.post("/api/v1/procurements/", {"need": need.pk, **_timeline_json(
        intent_deadline=timezone.now() + timedelta(days=60))}, format="json")
    assert bad.status_code == 400 and "intent_deadline" in bad.json()
    assert api(bodo_admin).post("/api/v1/procurements/", {"need": need.pk, **_timeline_json()},
                                format="json").status_code == 403
    assert not Procurement.objects.exists()


def test_open_from_unpublished_need_is_409(lead):
    from tests.innovation.factories import make_need

    draft = make_need(lead, title="Skisse")
    response = api(lead).post("/api/v1/procurements/", {"need": draft.pk, **_timeline_json()}, format="json")
    assert response.status_code == 409
    assert not Procurement.objects.exists()


def test_public_reads_and_private_planning(planning, dialogue_other):
    anonymous = APIClient()
    listed = anonymous.get("/api/v1/procurements/").json()["results"]
    assert [p["id"] for p in listed] == [dialogue_other.pk]
    assert anonymous.get(f"/api/v1/procurements/{planning.pk}/").status_code == 404
    assert anonymous.get(f"/api/v1/procurements/{dialogue_other.pk}/").status_code == 200
    assert anonymous.get("/api/v1/procurements/null,null/").status_code == 404


@pytest.fixture
def dialogue_other(ks_admin, bodo_admin, terms):
    """A second procurement, in market dialogue: Bodø's own need, opened by KS."""
    from marketplace.acting import act_for

    need = published_need(bodo_admin, title="NEWS2")
    procurement = services.procurement_open(actor=act_for(ks_admin, ks_admin.acting_organisation), need_id=need.pk,
                                            **timeline())
    return services.procurement_start_market_dialogue(actor=ks_admin, procurement_id=procurement.pk)


def test_phase_endpoint_moves_refuses_and_409s(lead, dialogue, bodo_admin):
    client = api(lead)
    assert client.post(f"/api/v1/procurements/{dialogue.pk}/phase/", {"to": "competition"},
                       format="json").status_code == 409  # no participant yet
    assert client.post(f"/api/v1/procurements/{dialogue.pk}/phase/", {"to": "awarded"},
                       format="json").status_code == 400
    assert api(bodo_admin).post(f"/api/v1/procurements/{dialogue.pk}/phase/", {"to": "cancelled", "reason": "x"},
                                format="json").status_code == 403
    response = client.post(f"/api/v1/procurements/{dialogue.pk}/phase/", {"to": "cancelled", "reason": "Stoppet."},
                           format="json")
    assert response.status_code == 200 and response.json()["phase"] == "cancelled"
    again = client.post(f"/api/v1/procurements/{dialogue.pk}/phase/", {"to": "competition"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_criteria_and_declaration_endpoints(lead, dialogue):
    client = api(lead)
    bad = client.put(f"/api/v1/procurements/{dialogue.pk}/criteria/",
                     {"criteria": [{"name": "A", "weight": 70}]}, format="json")
    assert bad.status_code == 400 and "criteria" in bad.json()
    good = client.put(f"/api/v1/procurements/{dialogue.pk}/criteria/",
                      {"criteria": [{"name": "A", "weight": 70}, {"name": "B", "weight": 30}]}, format="json")
    assert good.status_code == 200 and [c["weight"] for c in good.json()] == [70, 30]
    declaration = client.put(f"/api/v1/procurements/{dialogue.pk}/declaration/",
                             {"desired_declaration": {"informasjon": {"data_location": "eea"}}}, format="json")
    assert declaration.status_code == 200
    assert declaration.json()["desired_declaration"] == {"informasjon": {"data_location": "eea"}}


def test_partial_update(lead, dialogue, bodo_admin):
    assert api(lead).patch(f"/api/v1/procurements/{dialogue.pk}/", {"title": "Ny tittel"},
                           format="json").json()["title"] == "Ny tittel"
    assert api(bodo_admin).patch(f"/api/v1/procurements/{dialogue.pk}/", {"title": "Kapret"},
                                 format="json").status_code == 403


def test_participation_endpoints(dialogue, bodo_admin, seller):
    client = api(bodo_admin)
    created = client.post("/api/v1/procurement-participations/", {"procurement": dialogue.pk, "volume": 300},
                          format="json")
    assert created.status_code == 201 and created.json()["volume"] == 300
    assert APIClient().get(f"/api/v1/procurement-participations/?procurement={dialogue.pk}").json()["count"] == 1
    assert api(seller).post("/api/v1/procurement-participations/", {"procurement": dialogue.pk, "volume": 1},
                            format="json").status_code == 403
    assert client.post("/api/v1/procurement-participations/", {"procurement": dialogue.pk, "volume": 0},
                       format="json").status_code == 400
    pk = created.json()["id"]
    assert api(seller).post(f"/api/v1/procurement-participations/{pk}/withdraw/", {}, format="json").status_code == 404
    withdrawn = client.post(f"/api/v1/procurement-participations/{pk}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_declaring_intent_after_the_deadline_is_409(dialogue, bodo_admin):
    pass_deadline(dialogue, "intent_deadline")
    response = api(bodo_admin).post("/api/v1/procurement-participations/", {"procurement": dialogue.pk, "volume": 3},
                                    format="json")
    assert response.status_code == 409
    assert not Participation.objects.exists()


def test_question_endpoints(dialogue, seller, other_seller, lead, unqualified_seller, product):
    asked = api(seller).post("/api/v1/procurement-questions/", {"procurement": dialogue.pk, "text": "Krav til FHIR?"},
                             format="json")
    assert asked.status_code == 201
    qid = asked.json()["id"]
    assert api(unqualified_seller).post("/api/v1/procurement-questions/", {"procurement": dialogue.pk, "text": "?"},
                                        format="json").status_code == 403
    assert api(other_seller).get(f"/api/v1/procurement-questions/{qid}/").status_code == 404
    assert api(other_seller).post(f"/api/v1/procurement-questions/{qid}/answer/", {"answer": "x"},
                                  format="json").status_code == 404
    lead_client = api(lead)
    assert lead_client.get(f"/api/v1/procurement-questions/{qid}/").json()["vendor"]["name"] == "Kartleggeren AS"
    answered = lead_client.post(f"/api/v1/procurement-questions/{qid}/answer/",
                                {"answer": "FHIR R4.", "public_text": "Hvilke FHIR-krav gjelder?"}, format="json")
    assert answered.status_code == 200
    assert api(seller).get(f"/api/v1/procurement-questions/{qid}/").json()["answer"] == ""  # not yet published
    assert lead_client.post(f"/api/v1/procurements/{dialogue.pk}/publish-answers/").status_code == 200
    public = APIClient().get(f"/api/v1/procurement-questions/{qid}/").json()
    assert public == {**public, "question": "Hvilke FHIR-krav gjelder?", "answer": "FHIR R4.", "vendor": None,
                      "number": 1}
    assert lead_client.post(f"/api/v1/procurements/{dialogue.pk}/publish-answers/").status_code == 409


def test_offer_endpoints(competition, seller, product, vendor, other_seller):
    from .factories import listed_product

    client = api(seller)
    payload = {"procurement": competition.pk, "product": product.pk, "price_per_year": "150000.00",
               "price_per_unit": "19.90", "description": "Tilbud."}
    created = client.post("/api/v1/procurement-offers/", payload, format="json")
    assert created.status_code == 201, created.json()
    second = listed_product(vendor, "Kartleggeren To")
    assert client.post("/api/v1/procurement-offers/", {**payload, "product": second.pk},
                       format="json").status_code == 409
    bad = api(other_seller).post("/api/v1/procurement-offers/", {**payload, "price_per_year": "-5"}, format="json")
    assert bad.status_code == 400 and "price_per_year" in bad.json()
    assert api(other_seller).post("/api/v1/procurement-offers/", payload, format="json").status_code == 400  # not theirs
    oid = created.json()["id"]
    changed = client.patch(f"/api/v1/procurement-offers/{oid}/", {"price_per_unit": "18.00"}, format="json")
    assert changed.status_code == 200 and changed.json()["price_per_unit"] == "18.00"
    assert api(other_seller).patch(f"/api/v1/procurement-offers/{oid}/", {"price_per_unit": "1"},
                                   format="json").status_code == 404
    assert client.post(f"/api/v1/procurement-offers/{oid}/withdraw/", {}, format="json").json()["status"] == "withdrawn"
    assert Offer.objects.get().price_per_unit == 18


def test_evaluation_endpoints(lead, evaluation, other_seller):
    procurement = evaluation.procurement
    criteria = list(procurement.criteria.order_by("order"))
    client = api(lead)
    out_of_range = client.post("/api/v1/procurement-scores/", {"offer": evaluation.first.pk,
                                "criterion": criteria[0].pk, "score": 11, "justification": "For høyt."}, format="json")
    assert out_of_range.status_code == 400 and f"score_{criteria[0].pk}" in out_of_range.json()
    no_reason = client.post("/api/v1/procurement-scores/", {"offer": evaluation.first.pk,
                            "criterion": criteria[0].pk, "score": 5, "justification": ""}, format="json")
    assert no_reason.status_code == 400
    for offer, values in ((evaluation.first, [8, 6]), (evaluation.second, [5, 9])):
        for criterion, value in zip(criteria, values):
            response = client.post("/api/v1/procurement-scores/", {"offer": offer.pk, "criterion": criterion.pk,
                                   "score": value, "justification": "Vurdert."}, format="json")
            assert response.status_code == 201
    assert api(other_seller).post("/api/v1/procurement-scores/", {"offer": evaluation.first.pk,
                                  "criterion": criteria[0].pk, "score": 10, "justification": "Ja."},
                                  format="json").status_code == 404
    matrix = client.get(f"/api/v1/procurements/{procurement.pk}/evaluation/").json()
    assert matrix["complete"] is True
    assert [(r["product"], r["weighted_total"], r["rank"]) for r in matrix["rows"]] == [
        ("Kartleggeren Kognitiv", "72.00", 1), ("Omsorgsdata Kartlegging", "66.00", 2),
    ]
    assert api(other_seller).get(f"/api/v1/procurements/{procurement.pk}/evaluation/").status_code == 404
    assert client.get(f"/api/v1/procurement-scores/?offer={evaluation.first.pk}").json()["count"] == 2
    assert api(other_seller).get("/api/v1/procurement-scores/").json()["count"] == 0
    award = client.post(f"/api/v1/procurements/{procurement.pk}/award/",
                        {"offers": [evaluation.first.pk], "reason": "Best totalt."}, format="json")
    assert award.status_code == 200
    assert [w["product_name"] for w in award.json()["winners"]] == ["Kartleggeren Kognitiv"]
    assert OfferScore.objects.count() == 4


def test_award_before_complete_is_409(lead, evaluation):
    response = api(lead).post(f"/api/v1/procurements/{evaluation.procurement.pk}/award/",
                              {"offers": [evaluation.first.pk], "reason": "For tidlig."}, format="json")
    assert response.status_code == 409


def test_call_off_endpoint(active, bodo_admin, outsider_admin):
    url = f"/api/v1/procurements/{active.procurement.pk}/call-off/"
    assert api(outsider_admin).post(url, {"volume": 10}, format="json").status_code == 403
    created = api(bodo_admin).post(url, {"volume": 250}, format="json")
    assert created.status_code == 201 and created.json()["product_name"] == "Kartleggeren Kognitiv"
    assert api(bodo_admin).post(url, {"volume": 250}, format="json").status_code == 409
    assert APIClient().get("/api/v1/procurement-call-offs/").json()["count"] == 1


def test_lists_cost_a_fixed_number_of_queries(django_assert_max_num_queries, lead, ks_admin, terms):
    """Procurement, participation, question and call-off lists: the same bound for 2 and 12 rows."""
    from marketplace.acting import act_for

    from tests.conftest import accept_terms, make_member
    from tests.factories import OrganisationFactory

    def make(n):
        for i in range(n):
            org = OrganisationFactory(kind="county", municipality_number="")
            admin = make_member(org, "admin")
            accept_terms(org, by=admin)
            need = published_need(admin, title=f"Behov {org.pk}")
            procurement = services.procurement_open(actor=act_for(ks_admin, ks_admin.acting_organisation),
                                                    need_id=need.pk, **timeline())
            services.procurement_start_market_dialogue(actor=ks_admin, procurement_id=procurement.pk)
            services.participation_declare(actor=admin, procurement_id=procurement.pk, volume=10 + i)

    client = APIClient()
    make(2)
    for url in ("/api/v1/procurements/", "/api/v1/procurement-participations/", "/api/v1/procurement-questions/",
                "/api/v1/procurement-call-offs/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    make(10)
    for url in ("/api/v1/procurements/", "/api/v1/procurement-participations/", "/api/v1/procurement-questions/",
                "/api/v1/procurement-call-offs/"):
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200
    assert client.get("/api/v1/procurements/").json()["count"] == 12
