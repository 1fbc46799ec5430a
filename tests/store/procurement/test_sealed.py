"""PRO-4, sealed offers, through every read path: before the offer deadline nobody but the offering vendor sees
an offer — not the other vendor, not the lead, not a participant, not a platform administrator, not an anonymous
visitor — on a page, in the API, in an export, in a search, in a document download, in a count or a
notification. After the deadline the lead and platform administrators see them; other vendors never do."""

from __future__ import annotations

import pytest
from django.test import Client

from store.services import procurement as services
from tests.conftest import login

from .conftest import api
from .factories import pass_deadline
from .uploads import pdf_upload

pytestmark = pytest.mark.django_db

SECRET = "HEMMELIG-PRIS-4711"


@pytest.fixture
def sealed(offers, seller):
    """Kartleggeren's offer carries a secret text and a document; the deadline has not passed."""
    services.offer_update(actor=seller, offer_id=offers.first.pk, description=f"Tilbud {SECRET}",
                          price_per_year="471100")
    offers.first.refresh_from_db()
    offers.document = services.offer_document_add(actor=seller, offer_id=offers.first.pk,
                                                  upload=pdf_upload("prisskjema.pdf"), title="Prisskjema")
    return offers


@pytest.fixture
def others(lead, lead_member, bodo_admin, other_seller, ks_admin):
    """Everyone who must not see Kartleggeren's sealed offer."""
    return {"lead": lead, "lead member": lead_member, "participant": bodo_admin, "other vendor": other_seller,
            "platform admin": ks_admin}


def _base(procurement):
    return f"/butikken/felleskjop/{procurement.pk}"


def _pages(procurement, offer):
    base = _base(procurement)
    return [f"{base}/", f"{base}/tilbud/", f"{base}/deltakere/", f"{base}/sporsmal/", f"{base}/historikk/",
            f"{base}/avtale/", "/butikken/felleskjop/", "/"]


def test_the_vendor_sees_its_own_offer_on_page_and_api(sealed, seller):
    offer = sealed.first
    client = login(seller)
    assert SECRET in client.get(f"{_base(sealed.procurement)}/tilbud/").content.decode()
    assert client.get(f"{_base(sealed.procurement)}/tilbud/{offer.pk}/").status_code == 200
    assert client.get(sealed.document.get_absolute_url()).status_code == 200
    rows = api(seller).get("/api/v1/procurement-offers/").json()["results"]
    assert [r["id"] for r in rows] == [offer.pk]


def test_nobody_else_sees_it_on_any_page(sealed, others):
    offer = sealed.first
    for who, person in [*others.items(), ("anonymous", None)]:
        client = login(person) if person else Client()
        detail = client.get(f"{_base(sealed.procurement)}/tilbud/{offer.pk}/")
        assert detail.status_code in (302, 404), who  # anonymous: to the login page is fine too
        for url in _pages(sealed.procurement, offer):
            html = client.get(url).content.decode()
            assert SECRET not in html and "471100" not in html and "471 100" not in html, (who, url)
            assert "Prisskjema" not in html, (who, url)


def test_nobody_else_sees_it_in_the_api(sealed, others):
    offer = sealed.first
    for who, person in others.items():
        client = api(person)
        listed = client.get("/api/v1/procurement-offers/")
        assert listed.status_code == 200
        assert offer.pk not in [r["id"] for r in listed.json()["results"]], who
        assert client.get(f"/api/v1/procurement-offers/{offer.pk}/").status_code == 404, who
        for query in (f"?q={SECRET}", f"?product={offer.product_id}", f"?vendor={offer.vendor_id}",
                      f"?procurement={sealed.procurement.pk}"):
            results = client.get(f"/api/v1/procurement-offers/{query}").json()["results"]
            assert offer.pk not in [r["id"] for r in results], (who, query)
        procurement = client.get(f"/api/v1/procurements/{sealed.procurement.pk}/").json()
        assert SECRET not in str(procurement), who
        assert not {"offers", "offer_count"} & set(procurement), who
        assert client.get(f"/api/v1/procurements/{sealed.procurement.pk}/evaluation/").status_code == 404, who
        assert client.get("/api/v1/procurement-scores/").json()["count"] == 0, who
    assert Client().get("/api/v1/procurement-offers/").status_code in (401, 403)


def test_nobody_else_gets_the_export_the_matrix_or_the_document(sealed, others):
    base = _base(sealed.procurement)
    for who, person in [*others.items(), ("anonymous", None)]:
        client = login(person) if person else Client()
        for url in (f"{base}/evaluering/", f"{base}/evaluering/matrise.csv",
                    f"{base}/evaluering/{sealed.first.pk}/", f"{base}/tildeling/"):
            response = client.get(url)
            assert response.status_code in (302, 404), (who, url)
            assert SECRET not in response.content.decode(errors="ignore"), (who, url)
        assert client.get(sealed.document.get_absolute_url()).status_code == 404, who


def test_a_search_does_not_reveal_the_offer(sealed, others):
    """Searching procurements by the offered product or the offer's text finds nothing for others."""
    for person in others.values():
        for query in ("Kartleggeren", SECRET):
            html = login(person).get(f"/butikken/felleskjop/?q={query}").content.decode()
            assert sealed.procurement.title not in html.split("</h1>", 1)[1], query
            results = api(person).get(f"/api/v1/procurements/?q={query}").json()["results"]
            assert results == [], query


def test_no_count_reveals_the_offers(sealed, lead, ks_admin):
    """Not even the lead learns how many offers there are before the deadline."""
    for person in (lead, ks_admin):
        html = login(person).get(f"{_base(sealed.procurement)}/tilbud/").content.decode()
        assert "Offers received" not in html and "Mottatte tilbud" not in html
        assert "Kartleggeren Kognitiv" not in html and "Omsorgsdata Kartlegging" not in html


def test_after_the_deadline_the_lead_sees_the_offers_but_other_vendors_never_do(sealed, lead, ks_admin, other_seller,
                                                                                bodo_admin):
    pass_deadline(sealed.procurement)
    offer = sealed.first
    for person in (lead, ks_admin):
        assert login(person).get(f"{_base(sealed.procurement)}/tilbud/{offer.pk}/").status_code == 200
        assert api(person).get(f"/api/v1/procurement-offers/{offer.pk}/").status_code == 200
        assert login(person).get(sealed.document.get_absolute_url()).status_code == 200
    for person in (other_seller, bodo_admin):
        assert login(person).get(f"{_base(sealed.procurement)}/tilbud/{offer.pk}/").status_code == 404
        assert api(person).get(f"/api/v1/procurement-offers/{offer.pk}/").status_code == 404
        assert login(person).get(sealed.document.get_absolute_url()).status_code == 404
        assert SECRET not in login(person).get(f"{_base(sealed.procurement)}/tilbud/").content.decode()


def test_the_history_shows_no_offer_events(sealed, lead):
    html = login(lead).get(f"{_base(sealed.procurement)}/historikk/").content.decode()
    timeline = html.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert timeline.count("<li>") == 4  # opened, market dialogue, intent declared, competition
    assert "offer" not in timeline.lower() and "tilbud" not in timeline.lower()
    assert "Kartleggeren" not in timeline and "Omsorgsdata" not in timeline


def test_vendor_panel_shows_only_the_vendors_own_status(sealed, seller, other_seller):
    mine = login(seller).get("/").content.decode()
    assert sealed.procurement.title in mine and "own-offer-status" in mine
    theirs = login(other_seller).get("/").content.decode()
    assert sealed.procurement.title in theirs and "own-offer-status" in theirs  # Omsorgsdata has offered too
    services.offer_withdraw(actor=other_seller, offer_id=sealed.second.pk)
    theirs = login(other_seller).get("/").content.decode()
    assert sealed.procurement.title in theirs and "own-offer-status" not in theirs


def test_the_django_admin_keeps_offers_sealed_too(sealed, db):
    from marketplace.models import User

    staff = User.objects.create_superuser(email="drift@ks.example", password="x")
    client = Client()
    client.force_login(staff)
    listing = client.get("/admin/store/offer/")
    assert listing.status_code == 200 and SECRET not in listing.content.decode()
    assert client.get(f"/admin/store/offer/{sealed.first.pk}/change/").status_code in (302, 404)
    pass_deadline(sealed.procurement)
    assert client.get(f"/admin/store/offer/{sealed.first.pk}/change/").status_code == 200
