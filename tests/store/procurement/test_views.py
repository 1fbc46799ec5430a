"""The Felleskjøp screens: each page renders for each role with what that role may do; forms post to the
services and show refusals as messages or field errors; lists and the start page cost fixed queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from store.models import CallOff, Offer, Participation, Procurement, ProcurementQuestion
from store.services import procurement as services
from tests.conftest import login

from .factories import pass_deadline, published_need, timeline

pytestmark = pytest.mark.django_db


def base(p):
    return f"/butikken/felleskjop/{p.pk}"


def _dt(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_the_owner_opens_a_procurement_through_the_form(lead, need):
    client = login(lead)
    page = client.get("/butikken/felleskjop/ny/")
    assert page.status_code == 200 and need.title in page.content.decode()
    values = timeline()
    response = client.post("/butikken/felleskjop/ny/", {
        "need": need.pk, "lead": need.owner_id, "title": "", "summary": "", "volume_unit": "users",
        "intent_deadline": _dt(values["intent_deadline"]), "offer_deadline": _dt(values["offer_deadline"]),
        "agreement_start": values["agreement_start"].isoformat(), "agreement_end": values["agreement_end"].isoformat(),
    })
    procurement = Procurement.objects.get()
    assert response.status_code == 302 and response["Location"] == procurement.get_absolute_url()
    assert procurement.title == need.title


def test_the_open_form_shows_field_errors(lead, need):
    values = timeline()
    response = login(lead).post("/butikken/felleskjop/ny/", {
        "need": need.pk, "lead": need.owner_id, "volume_unit": "users",
        "intent_deadline": _dt(values["offer_deadline"] + timedelta(days=3)),
        "offer_deadline": _dt(values["offer_deadline"]),
    })
    assert response.status_code == 400
    assert 'id="id_intent_deadline-error"' in response.content.decode()
    assert not Procurement.objects.exists()


def test_opening_is_refused_with_a_message_for_those_without_a_published_need(bodo_admin, seller):
    for person in (bodo_admin, seller):
        response = login(person).get("/butikken/felleskjop/ny/")
        assert response.status_code == 400


def test_every_page_renders_for_every_role(active, lead, bodo_admin, outsider_admin, seller, other_seller, ks_admin):
    procurement = active.procurement
    pages = ["/", "/tilbud/", "/deltakere/", "/sporsmal/", "/historikk/", "/avtale/", "/produktdeklarasjon/",
             "/evalueringskriterier/"]
    for person in (lead, bodo_admin, outsider_admin, seller, other_seller, ks_admin, None):
        client = login(person) if person else Client()
        for page in pages:
            response = client.get(base(procurement) + page)
            assert response.status_code == 200, (person, page)
    for person in (lead, ks_admin):
        client = login(person)
        for page in ("/evaluering/", f"/evaluering/{active.first.pk}/", "/tildeling/", "/rediger/"):
            assert client.get(base(procurement) + page).status_code in (200, 400), (person, page)
    assert Client().get("/butikken/felleskjop/").status_code == 200


def test_the_lead_moves_the_phase_with_a_reason_and_sees_why_not(lead, dialogue):
    client = login(lead)
    html = client.get(base(dialogue) + "/").content.decode()
    assert "Start the competition" in html or "Start konkurransen" in html
    response = client.post(base(dialogue) + "/fase/competition/", {"reason": ""}, follow=True)
    assert response.status_code == 200
    dialogue.refresh_from_db()
    assert dialogue.phase == "market_dialogue"  # no participant yet: refused with a message
    assert client.post(base(dialogue) + "/fase/nonsense/").status_code == 404
    client.post(base(dialogue) + "/fase/cancelled/", {"reason": "Behovet er endret."})
    dialogue.refresh_from_db()
    assert dialogue.phase == "cancelled"


def test_a_non_lead_cannot_post_phase_changes(dialogue, bodo_admin):
    login(bodo_admin).post(base(dialogue) + "/fase/cancelled/", {"reason": "Kapret."})
    dialogue.refresh_from_db()
    assert dialogue.phase == "market_dialogue"


def test_intent_through_the_participants_page(dialogue, bodo_admin, bodo_member):
    client = login(bodo_admin)
    bad = client.post(base(dialogue) + "/deltakere/", {"volume": "0"})
    assert bad.status_code == 400 and not Participation.objects.exists()
    client.post(base(dialogue) + "/deltakere/", {"volume": "300", "note": ""})
    html = client.get(base(dialogue) + "/deltakere/").content.decode()
    assert "300" in html and Participation.objects.get().volume == 300
    login(bodo_member).post(base(dialogue) + "/deltakere/", {"volume": "999"})
    assert Participation.objects.get().volume == 300  # members cannot commit the organisation
    client.post(base(dialogue) + "/deltakere/trekk/", {"reason": "Ikke nå."})
    assert Participation.objects.get().status == "withdrawn"


def test_intent_after_the_deadline_is_refused_on_the_page(dialogue, bodo_admin):
    pass_deadline(dialogue, "intent_deadline")
    response = login(bodo_admin).post(base(dialogue) + "/deltakere/", {"volume": "300"}, follow=True)
    assert response.status_code == 200
    assert not Participation.objects.exists()


def test_questions_and_answers_through_the_pages(dialogue, seller, lead, other_seller, unqualified_seller, product):
    login(seller).post(base(dialogue) + "/sporsmal/", {"text": "Må løsningen virke uten nett?"})
    question = ProcurementQuestion.objects.get()
    assert login(unqualified_seller).post(base(dialogue) + "/sporsmal/", {"text": "?"}).status_code == 400
    assert login(other_seller).get(base(dialogue) + f"/sporsmal/{question.pk}/svar/").status_code == 404
    lead_client = login(lead)
    assert lead_client.get(base(dialogue) + f"/sporsmal/{question.pk}/svar/").status_code == 200
    lead_client.post(base(dialogue) + f"/sporsmal/{question.pk}/svar/",
                     {"public_text": "Må løsningen virke uten nett?", "answer": "Ja."})
    lead_client.post(base(dialogue) + "/sporsmal/publiser/")
    question.refresh_from_db()
    assert question.status == "published"
    html = Client().get(base(dialogue) + "/sporsmal/").content.decode()
    assert "Må løsningen virke uten nett?" in html and "Ja." in html


def test_offer_through_the_offers_page(competition, seller, product):
    client = login(seller)
    page = client.get(base(competition) + "/tilbud/")
    assert "Kartleggeren Kognitiv" in page.content.decode()
    bad = client.post(base(competition) + "/tilbud/", {"product": product.pk, "price_per_year": "-1",
                                                       "price_per_unit": "1", "description": "x"})
    assert bad.status_code == 400 and not Offer.objects.exists()
    client.post(base(competition) + "/tilbud/", {"product": product.pk, "price_per_year": "150000",
                                                 "price_per_unit": "19.90", "description": "Vårt tilbud."})
    offer = Offer.objects.get()
    client.post(base(competition) + "/tilbud/", {"product": product.pk, "price_per_year": "140000",
                                                 "price_per_unit": "19.90", "description": "Vårt tilbud."})
    offer.refresh_from_db()
    assert offer.price_per_year == 140000 and Offer.objects.count() == 1
    client.post(base(competition) + f"/tilbud/{offer.pk}/trekk/", {"reason": ""})
    offer.refresh_from_db()
    assert offer.status == "withdrawn"


def test_scoring_and_award_through_the_pages(lead, evaluation):
    procurement = evaluation.procurement
    criteria = list(procurement.criteria.order_by("order"))
    client = login(lead)
    bad = client.post(base(procurement) + f"/evaluering/{evaluation.first.pk}/",
                      {f"score_{criteria[0].pk}": "12", f"justification_{criteria[0].pk}": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert f'id="id_score_{criteria[0].pk}-error"' in html and f'id="id_justification_{criteria[0].pk}-error"' in html
    for offer, values in ((evaluation.first, [8, 6]), (evaluation.second, [5, 9])):
        client.post(base(procurement) + f"/evaluering/{offer.pk}/", {
            f"score_{criteria[0].pk}": values[0], f"justification_{criteria[0].pk}": "God.",
            f"score_{criteria[1].pk}": values[1], f"justification_{criteria[1].pk}": "Grei.",
        })
    matrix = client.get(base(procurement) + "/evaluering/").content.decode()
    assert "72.00" in matrix or "72,00" in matrix
    response = client.post(base(procurement) + "/tildeling/", {
        "offers": [evaluation.first.pk], "reason": "Høyest poengsum.",
        "agreement_start": procurement.agreement_start.isoformat(), "agreement_end": procurement.agreement_end.isoformat(),
    })
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.phase == "awarded"
    overview = Client().get(base(procurement) + "/").content.decode()
    assert "Kartleggeren Kognitiv" in overview and "Høyest poengsum." in overview


def test_call_off_through_the_agreement_page(active, bodo_admin, outsider_admin):
    procurement = active.procurement
    outsider = login(outsider_admin)
    page = outsider.get(base(procurement) + "/avtale/").content.decode()
    assert "Kartleggeren Kognitiv" in page and 'name="volume"' not in page
    outsider.post(base(procurement) + "/avtale/", {"volume": "10"})
    assert not CallOff.objects.exists()
    client = login(bodo_admin)
    assert 'name="volume"' in client.get(base(procurement) + "/avtale/").content.decode()
    response = client.post(base(procurement) + "/avtale/", {"offer": active.first.pk, "volume": "250",
                                                            "starts_on": "", "note": ""})
    assert response.status_code == 302
    assert CallOff.objects.get().organisation == bodo_admin.acting_organisation
    assert "Bodø" in Client().get(base(procurement) + "/avtale/").content.decode()


def test_list_page_costs_a_fixed_number_of_queries(django_assert_max_num_queries, ks_admin, terms):
    from marketplace.acting import act_for
    from tests.conftest import accept_terms, make_member
    from tests.factories import OrganisationFactory

    def make(n):
        for _i in range(n):
            org = OrganisationFactory(kind="county", municipality_number="")
            admin = make_member(org, "admin")
            accept_terms(org, by=admin)
            need = published_need(admin, title=f"Behov {org.pk}")
            procurement = services.procurement_open(actor=act_for(ks_admin, ks_admin.acting_organisation),
                                                    need_id=need.pk, **timeline())
            services.procurement_start_market_dialogue(actor=ks_admin, procurement_id=procurement.pk)
            services.participation_declare(actor=admin, procurement_id=procurement.pk, volume=10)

    client = login(ks_admin)
    make(2)
    with django_assert_max_num_queries(20):
        assert client.get("/butikken/felleskjop/").status_code == 200
    make(10)
    with django_assert_max_num_queries(20):
        response = client.get("/butikken/felleskjop/")
    assert response.content.decode().count('href="/butikken/felleskjop/') >= 12


def test_start_page_panels_cost_fixed_queries(django_assert_max_num_queries, active, lead, bodo_admin, seller,
                                              outsider_admin):
    """ORG-6: the lead sees what it leads, a participant the agreement it can call off under, a municipality what
    it can join, a vendor what is open to vendors."""
    from marketplace.acting import act_for

    other_need = published_need(outsider_admin, title="Videomøte")
    services.procurement_open(actor=outsider_admin, need_id=other_need.pk, **timeline())
    procurement = Procurement.objects.get(need=other_need)
    services.procurement_start_market_dialogue(actor=outsider_admin, procurement_id=procurement.pk)
    expectations = {
        lead: active.procurement.title,
        bodo_admin: "/avtale/",
        seller: procurement.title,
        act_for(outsider_admin, outsider_admin.acting_organisation): procurement.title,
    }
    for person, text in expectations.items():
        client = login(person)
        with django_assert_max_num_queries(40):
            html = client.get("/").content.decode()
        assert text in html, person
    assert f"{base(procurement)}/deltakere/" in login(bodo_admin).get("/").content.decode()


def test_a_platform_admin_chooses_the_need_first_then_a_lead_of_its_core_team(ks_admin, need, bodo_admin, municipality):
    published_need(bodo_admin, title="NEWS2")
    client = login(ks_admin)
    first = client.get("/butikken/felleskjop/ny/").content.decode()
    assert 'name="behov"' in first and 'name="lead"' not in first
    second = client.get(f"/butikken/felleskjop/ny/?behov={need.pk}").content.decode()
    assert 'name="lead"' in second
    assert f'<option value="{municipality.pk}"' in second  # the need's owner may lead
    assert f'<option value="{bodo_admin.acting_organisation.pk}"' not in second  # not in this need's core team
