"""The front page (STO-1), the listing page (STO-2) and the compare tray, as a visitor sees them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from store import plugins
from store.services import catalogue as services
from tests.conftest import login
from verification.models import Listing

from .factories import listed, withdraw

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_front_page_has_categories_with_counts_and_a_card_per_service_area(
    client: Client, kognitiv, legemiddel, fastlege_app, vendor
):
    """STO-1: "Kommunale helsetjenester (2) · Fastlege (1)", a card per area with the mock-up's links."""
    gone = listed(vendor, "Trukket", areas=[kognitiv.service_areas.first()])
    withdraw(gone)
    response = client.get(reverse("store:home"))
    text = text_of(response)
    assert response.status_code == 200
    assert "Kommunale helsetjenester (2)" in text and "Fastlege (1)" in text
    assert 'aria-current="page">Kommunale helsetjenester (2)' in text
    for name in ("Tjenestetildeling", "Hjemmetjenester", "Legevakt"):
        assert f'<h3 class="ds-heading" data-size="xs">{name}</h3>' in text
    assert text.count("Beskrivelse applikasjon") == 3 and text.count("Beskrivelse behov") == 3
    assert f"{reverse('store:search')}?service_area=hjemmetjenester" in text
    assert reverse("innovation:service_area", args=["hjemmetjenester"]) in text
    assert f'name="produkt" value="{kognitiv.pk}"' in text and "Sammenlikne" in text
    assert "Trukket" not in text
    assert 'id="compare-form"' in text

    other = client.get(reverse("store:home"), {"category": "fastlege"})
    assert "Kartleggeren Fysio" in text_of(other) and "Legevakt</h3>" not in text_of(other)


def test_listing_page_shows_what_was_verified(client: Client, kognitiv, vendor):
    response = client.get(reverse("store:listing", args=[kognitiv.pk]))
    text = text_of(response)
    assert response.status_code == 200
    assert "<h1" in text and text.count("<h1") == 1
    assert "Kartleggeren Kognitiv" in text and "Kartleggeren AS" in text
    assert "Kvalifisert" in text or "Qualified" in text  # Kvalifisering's badge (its own catalogue)
    for section in ("Funksjon", "Informasjon", "Innføring"):
        assert section in text
    assert "Helsenorge" in text  # a declared national solution
    run = kognitiv.listing.last_run
    assert reverse("verification:run_report", args=[run.uuid]) in text
    assert "Brukes av 0 kommuner" in text
    assert "Under utbedring" not in text


def test_listing_page_dates_the_vendor_s_qualification(client: Client, kognitiv, vendor):
    """STO-2: "qualified since …, valid until …"; once it lapses, the day it lapsed and a warning."""
    from marketplace.dates import day_text
    from verification.models import Qualification

    qualification = Qualification.objects.filter(organisation=vendor).latest("qualified_on")
    text = text_of(client.get(reverse("store:listing", args=[kognitiv.pk])))
    since, until = day_text(qualification.qualified_on, "j. F Y"), day_text(qualification.expires_on, "j. F Y")
    assert f"kvalifisert siden {since}, gyldig til {until}" in text
    assert "gjelder ikke lenger" not in text

    lapsed_on = timezone.localdate() - timezone.timedelta(days=3)
    Qualification.objects.filter(pk=qualification.pk).update(status="expired", expires_on=lapsed_on)
    text = text_of(client.get(reverse("store:listing", args=[kognitiv.pk])))
    assert f"kvalifiseringen falt bort {day_text(lapsed_on, 'j. F Y')}" in text
    assert "gjelder ikke lenger" in text


def test_listing_page_marks_under_remediation_and_lists_users(
    client: Client, vendor, seller, admin, bodo_admin, areas
):
    product = listed(vendor, "Merket", status=Listing.Status.UNDER_REMEDIATION)
    for actor in (admin, bodo_admin):
        adoption = services.adoption_request(
            actor=actor, organisation=actor.acting_organisation, product_id=product.pk
        )
        services.adoption_accept(actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate())
    text = text_of(client.get(reverse("store:listing", args=[product.pk])))
    assert "Under utbedring" in text
    assert "Brukes av 2 kommuner" in text
    assert "Bodø kommune" in text and "Ringsaker kommune" in text


def test_listing_page_of_a_withdrawn_or_unknown_product_is_not_found(client: Client, kognitiv):
    withdraw(kognitiv)
    assert client.get(reverse("store:listing", args=[kognitiv.pk])).status_code == 404
    assert client.get(reverse("store:listing", args=[987654])).status_code == 404


def test_listing_page_offers_ta_i_bruk_to_municipal_admins_only(kognitiv, admin, member, seller):
    url = reverse("store:listing", args=[kognitiv.pk])
    request_url = reverse("store:adoption_request", args=[kognitiv.pk])
    assert request_url in login(admin).get(url).content.decode()
    assert request_url not in login(member).get(url).content.decode()
    assert request_url not in login(seller).get(url).content.decode()


def test_listing_page_renders_registered_sections(client: Client, kognitiv, settings):
    """The plug-in point for Erfaringsarena: a registered section is rendered with its own context."""
    from pathlib import Path

    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0].get("DIRS", []), Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    calls = []

    def context(request, listing):
        calls.append(listing.product.pk)
        return {"greeting": f"Erfaringer om {listing.product.name}"}

    plugins.register_listing_section("experiences", template="store_tests/_section.html", context=context)
    try:
        text = text_of(client.get(reverse("store:listing", args=[kognitiv.pk])))
    finally:
        plugins.unregister_listing_section("experiences")
    assert calls == [kognitiv.pk]
    assert "<h2>Erfaringer om Kartleggeren Kognitiv</h2><p>Kartleggeren Kognitiv</p>" in text
    assert 'id="experiences-title"' not in text  # the store's own placeholder gives way


def test_compare_tray_keeps_up_to_four_products_without_javascript(
    client: Client, kognitiv, legemiddel, fastlege_app, vendor
):
    fourth = listed(vendor, "Fjerde")
    fifth = listed(vendor, "Femte")
    home = reverse("store:home")
    for product in (kognitiv, legemiddel, fastlege_app, fourth):
        response = client.post(reverse("store:tray"), {"add": product.pk, "next": home})
        assert response.status_code == 302 and response["Location"] == home
    response = client.post(reverse("store:tray"), {"add": fifth.pk, "next": home}, follow=True)
    assert "høyst 4 produkter" in response.content.decode()
    assert client.session["store_compare"] == [kognitiv.pk, legemiddel.pk, fastlege_app.pk, fourth.pk]
    client.post(reverse("store:tray"), {"remove": legemiddel.pk, "next": home})
    assert client.session["store_compare"] == [kognitiv.pk, fastlege_app.pk, fourth.pk]
    # An unsafe next is ignored.
    response = client.post(reverse("store:tray"), {"clear": "1", "next": "https://evil.example/"})
    assert response["Location"] == home and client.session["store_compare"] == []


def test_compare_tray_with_htmx_returns_the_tray(client: Client, kognitiv):
    response = client.post(
        reverse("store:tray"),
        {"toggle": kognitiv.pk, "checked": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/butikken/sok/",
    )
    text = response.content.decode()
    assert response.status_code == 200 and text.lstrip().startswith('<aside id="compare-tray"')
    assert f'data-tray-ids="{kognitiv.pk}"' in text
    response = client.post(
        reverse("store:tray"), {"toggle": kognitiv.pk, "checked": "0"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-tray-ids=""' in response.content.decode()


@pytest.mark.parametrize("path", ["/butikken/produkt/99999999999999999999999/",
                                  "/butikken/ta-i-bruk/99999999999999999999999/",
                                  "/butikken/bruk/99999999999999999999999/"])
def test_ids_beyond_a_database_integer_are_not_found(client: Client, path):
    """X-7: an id no database integer can hold is a 404, never an overflow (a server error) in the driver."""
    assert client.get(path).status_code == 404
