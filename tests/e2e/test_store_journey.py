"""Butikken as a new user tries it (STO-1 … STO-6): Kari, organisation admin of Ringsaker, searches the store,
filters by a national solution, compares three products, compares one with her municipality's need, saves a
shortlist and asks to take a product into use; Vera at the vendor accepts; the listing then says "Brukes av 1
kommune". axe-core checks every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from innovation import services as innovation_services
from innovation.models import Stage
from marketplace.models import Role
from store.models import Adoption, Shortlist
from tests.conftest import accept_terms, make_member
from tests.innovation.factories import advance, make_need
from tests.store.catalogue.factories import area, declaration, listed
from tests.verification.products.factories import qualify
from verification import hooks

from .conftest import axe_check, login_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def store(municipality, vendor, other_vendor, terms_all, terms_vendors):
    kari = make_member(municipality, Role.ADMIN, email="kari@ringsaker.example", first_name="Kari")
    accept_terms(municipality, by=kari)
    vera = make_member(vendor, Role.ADMIN, email="vera@kartleggeren.example", first_name="Vera")
    accept_terms(vendor, by=vera)
    qualify(vendor)
    qualify(other_vendor)
    home_care = area("hjemmetjenester", "Hjemmetjenester")
    allocation = area("tjenestetildeling", "Tjenestetildeling")
    products = {
        "kognitiv": listed(
            vendor,
            "Kartleggeren Kognitiv",
            areas=[allocation, home_care],
            short="Standardisert kognitiv kartlegging på nettbrett.",
            content=declaration(national_solutions=["HelseID", "Kjernejournal"]),
        ),
        "fall": listed(
            vendor,
            "Kartleggeren Fallrisiko",
            areas=[home_care],
            short="Kartlegging av fallrisiko i hjemmet.",
            content=declaration(national_solutions=["Kjernejournal", "Helsenorge"], data_location="eea"),
        ),
        "legemiddel": listed(
            other_vendor,
            "Omsorgsdata Kartlegging Legemiddel",
            areas=[home_care],
            short="Kartlegging av legemiddelbruk i hjemmetjenesten.",
            content=declaration(national_solutions=["Kjernejournal", "PLL", "e-resept"]),
        ),
        "video": listed(
            other_vendor,
            "Helsevev Kartlegging Video",
            areas=[home_care],
            short="Kartleggingssamtaler på video.",
            content=declaration(national_solutions=["HelseID"]),
        ),
    }
    need = make_need(
        kari,
        areas=[home_care],
        title="Kognitiv kartlegging i hjemmetjenesten",
        desired_declaration={
            "informasjon": {"national_solutions": ["HelseID", "Kjernejournal"], "data_location": "norway"},
        },
    )
    need = advance(kari, need, Stage.EVALUATION_CRITERIA)
    innovation_services.criteria_set(
        actor=kari,
        need_id=need.pk,
        criteria=[
            {"name": "Integrasjon med nasjonale løsninger", "description": "", "weight": 70},
            {"name": "Pris og lisensmodell", "description": "", "weight": 30},
        ],
    )
    need = advance(kari, need, Stage.PUBLISHED)
    products["kognitiv"].needs.add(need)
    hooks.product_changed(product_id=products["kognitiv"].pk, fields=["needs"])  # as product_update tells it
    return {"kari": kari, "vera": vera, "need": need, **products}


def test_municipal_admin_finds_compares_shortlists_and_takes_a_product_into_use(
    page, browser, live_server, store
):
    kognitiv = store["kognitiv"]

    login_in_browser(page, live_server, store["kari"].email)
    page.goto(f"{live_server.url}/butikken/")
    expect(page.locator("h1")).to_have_text("Butikken")
    expect(page.locator("nav.category-tabs")).to_contain_text("Kommunale helsetjenester (4)")
    axe_check(page)

    # Search the store, then filter by a national solution (the results update in place).
    page.locator("#store-q").fill("kartlegging")
    page.locator("form.store-search button[type=submit]").click()
    expect(page.locator("#results-title")).to_have_text("4 produkter")
    axe_check(page)
    page.locator("input[name=national_solutions][value=Kjernejournal]").check()
    expect(page.locator("#results-title")).to_have_text("3 produkter")
    expect(page).to_have_url(re.compile(r"national_solutions=Kjernejournal"))
    expect(page.locator(".store-card-list")).not_to_contain_text("Helsevev Kartlegging Video")
    axe_check(page)

    # Tick three products for comparison; the tray keeps them.
    for key in ("kognitiv", "fall", "legemiddel"):
        page.locator(f"input.compare-check[value='{store[key].pk}']").check()
        expect(page.locator("#compare-tray")).to_contain_text(store[key].name)
    page.locator("#compare-form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Sammenlikne")
    expect(page.locator("table.compare-table thead th")).to_have_count(4)
    expect(page.locator("table.compare-table tr.differs").first).to_be_visible()
    axe_check(page)

    # Save the three as a shortlist for Ringsaker.
    page.locator("details.store-save summary").click()
    page.locator("details.store-save input[name=name]").fill("Kartlegging i hjemmetjenesten")
    page.locator("details.store-save button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kartlegging i hjemmetjenesten")
    expect(page.locator("main table")).to_contain_text("Kartleggeren Fallrisiko")
    assert Shortlist.objects.get().items.count() == 3
    axe_check(page)

    # One product against the municipality's own need.
    page.goto(f"{live_server.url}/butikken/produkt/{kognitiv.pk}/")
    axe_check(page)
    page.locator("main a", has_text="Se hvordan det passer").click()
    expect(page.locator("#fit-summary")).to_contain_text("Kognitiv kartlegging i hjemmetjenesten")
    expect(page.locator("table.fit-table").first).to_contain_text("Integrasjon med nasjonale løsninger")
    axe_check(page)

    # Ta i bruk: the request goes to the vendor.
    page.goto(f"{live_server.url}/butikken/produkt/{kognitiv.pk}/")
    page.locator("main a.ds-button", has_text="Ta i bruk").click()
    axe_check(page)
    page.locator("textarea[name=message]").fill("For hjemmetjenesten i Ringsaker, om lag 40 brukere.")
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Venter på leverandøren")
    axe_check(page)

    # Vera at the vendor sees the request on her start page and accepts it from today.
    vendor_page = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    login_in_browser(vendor_page, live_server, store["vera"].email)
    expect(vendor_page.locator("main")).to_contain_text("Ringsaker kommune: Kartleggeren Kognitiv")
    axe_check(vendor_page)
    vendor_page.locator("main a", has_text="Ringsaker kommune: Kartleggeren Kognitiv").click()
    axe_check(vendor_page)
    vendor_page.locator("form[action$='/godta/'] button[type=submit]").click()
    expect(vendor_page.locator("main")).to_contain_text("I bruk")
    assert Adoption.objects.get().status == Adoption.Status.ACTIVE
    axe_check(vendor_page)

    # The listing now tells everybody who uses it.
    page.goto(f"{live_server.url}/butikken/produkt/{kognitiv.pk}/")
    expect(page.locator("#users-title")).to_have_text("Brukes av 1 kommune")
    expect(page.locator("main")).to_contain_text("Ringsaker kommune")
    axe_check(page)
