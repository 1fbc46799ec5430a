"""Verifikasjon as a new user meets it (VER-1 … VER-5, VER-7, X-2): a qualified vendor registers a product,
fills in the declaration, uploads the documents and runs the verification against a local sandbox; it fails
with evidence; the vendor fixes the declaration in a new version, runs it again and submits it; a platform
administrator approves; an anonymous visitor sees the listing and opens its report. axe-core checks every page."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.conftest import accept_terms
from tests.marketplace.helpers import nb
from tests.verification.products.factories import qualify, service_area
from tests.verification.sandbox import Sandbox
from verification.demo import demo_pdf
from verification.models import DeclarationVersion, Listing, Product, VerificationRun

from .conftest import axe_check, login_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE = "/verifikasjon"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the platform_admin fixture's


@pytest.fixture
def sandbox(settings, tmp_path):
    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_TIMEOUT_SECONDS = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    with Sandbox() as server:
        yield server


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(name, ["E2E-dokument"])}


def _totp_code() -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def _click_and_wait(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state()


def _fill_declaration(page, area, fhir: str) -> None:
    page.locator("textarea[name=funksjon__description]").fill("Veiledet kognitiv kartlegging på nettbrett.")
    page.locator("textarea[name=funksjon__work_processes]").fill("Kartleggingsbesøk hos innbygger")
    page.locator("textarea[name=funksjon__professions]").fill("Sykepleier\nErgoterapeut")
    page.locator(f"input[name=funksjon__service_areas][value='{area.slug}']").check()
    page.locator("textarea[name=informasjon__fhir_resources]").fill(fhir)
    page.locator("input[name=informasjon__terminologies][value='SNOMED CT']").check()
    page.locator("input[name=informasjon__national_solutions][value='HelseID']").check()
    page.locator("select[name=informasjon__data_location]").select_option("norway")
    page.locator("input[name=informasjon__processor]").fill("Kartleggeren AS, drift i Norge.")
    page.locator("textarea[name=innforing__prerequisites]").fill("Nettbrett og HelseID.")
    page.locator("select[name=innforing__training__na]").select_option("by_customer")
    page.locator("textarea[name=innforing__onboarding_support]").fill("Fast kontaktperson i tre måneder.")
    page.locator("textarea[name=innforing__risks]").fill("Nettbrett på avveie | 3 | 4 | Kryptering og fjernsletting")


def test_vendor_verifies_a_product_and_the_administrator_lists_it(page, browser, live_server, sandbox, vendor,
                                                                  vendor_admin, platform_admin, terms_all,
                                                                  terms_vendors):
    accept_terms(vendor, by=vendor_admin)
    qualify(vendor)
    area = service_area()

    # Vera, the vendor's admin, registers the product from the Verifikasjon front page.
    login_in_browser(page, live_server, vendor_admin.email)
    page.goto(f"{live_server.url}{BASE}/")
    axe_check(page)
    _click_and_wait(page, f"main a[href='{BASE}/produkter/ny/']")
    axe_check(page)
    page.locator("input[name=name]").fill("Kartleggeren Kognitiv")
    page.locator("input[name=short_description]").fill("Kognitiv kartlegging på nettbrett.")
    page.locator(f"input[name=service_areas][value='{area.pk}']").check()
    page.locator("input[name=fhir_base_url]").fill(sandbox.fhir())
    page.locator("input[name=oidc_issuer]").fill(sandbox.issuer())
    page.locator("input[name=app_url]").fill(sandbox.app())
    _click_and_wait(page, "main form.product-form button[type=submit]")
    product = Product.objects.get()
    first = product.versions.get()
    expect(page).to_have_url(f"{live_server.url}{BASE}/deklarasjoner/{first.pk}/rediger/")
    axe_check(page)

    # The declaration promises Flag, which the sandbox does not offer.
    _fill_declaration(page, area, "Patient: read, search-type\nFlag: read, search-type")
    _click_and_wait(page, "main form.declaration-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}{BASE}/deklarasjoner/{first.pk}/")
    axe_check(page)
    for kind in ("dpia", "ros", "dpa", "user_docs"):
        page.locator("form.document-form select[name=kind]").select_option(kind)
        page.locator("form.document-form input[name=file]").set_input_files(_pdf(f"{kind}.pdf"))
        _click_and_wait(page, "form.document-form button[type=submit]")
    expect(page.locator("main table").first).to_contain_text("user_docs.pdf")
    axe_check(page)

    # “Kjør verifisering”: the version is frozen and checked; the report shows the failure and its evidence.
    _click_and_wait(page, f"form[action='{BASE}/deklarasjoner/{first.pk}/send-til-verifisering/'] button")
    run = VerificationRun.objects.get(version=first)
    expect(page).to_have_url(f"{live_server.url}{run.get_absolute_url()}")
    expect(page.locator(".run-summary")).to_contain_text(nb("Failed"))
    support = page.locator("#check-fhir_declared_support")
    expect(support).to_contain_text(nb("%(type)s: %(interactions)s (not in the CapabilityStatement)",
                                       type="Flag", interactions="read, search-type"))
    search = page.locator("#check-fhir_search_bundles")
    search.locator("summary").first.click()
    expect(search).to_contain_text("/ok/fhir/Flag?_count=10")
    expect(search).to_contain_text("HTTP 404")
    axe_check(page)

    # The frozen version cannot change: Vera starts version 2 and removes Flag.
    page.goto(f"{live_server.url}{BASE}/deklarasjoner/{first.pk}/")
    _click_and_wait(page, f"form[action='{BASE}/produkter/{product.pk}/ny-versjon/'] button")
    second = product.versions.get(number=2)
    expect(page).to_have_url(f"{live_server.url}{BASE}/deklarasjoner/{second.pk}/rediger/")
    page.locator("textarea[name=informasjon__fhir_resources]").fill("Patient: read, search-type")
    _click_and_wait(page, "main form.declaration-form button[type=submit]")
    axe_check(page)
    _click_and_wait(page, f"form[action='{BASE}/deklarasjoner/{second.pk}/send-til-verifisering/'] button")
    expect(page.locator(".run-summary")).to_contain_text(nb("Passed"))
    axe_check(page)
    page.goto(f"{live_server.url}{BASE}/deklarasjoner/{second.pk}/")
    _click_and_wait(page, f"form[action='{BASE}/deklarasjoner/{second.pk}/send-inn/'] button")
    expect(page.locator(".messages")).to_be_visible()
    axe_check(page)
    assert DeclarationVersion.objects.get(pk=second.pk).status == DeclarationVersion.Status.SUBMITTED

    # Kristin, a platform administrator, logs in with her second factor and approves from the start page.
    admin = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    login_in_browser(admin, live_server, platform_admin.email)
    admin.locator("input[name=code]").fill(_totp_code())
    _click_and_wait(admin, "main form button[type=submit]")
    review_link = f"main a[href='{BASE}/oppforing/{second.pk}/']"
    expect(admin.locator(review_link).first).to_be_visible()
    axe_check(admin)
    _click_and_wait(admin, review_link)
    axe_check(admin)
    admin.locator("input[name=decision][value=approve]").check()
    admin.locator("textarea[name=reason]").fill("Deklarasjon, dokumenter og rapport er i orden.")
    _click_and_wait(admin, "main form.decision-form button[type=submit]")
    expect(admin).to_have_url(f"{live_server.url}{BASE}/oppforing/")
    axe_check(admin)
    listing = Listing.objects.get(product=product)
    assert listing.version_id == second.pk and listing.status == Listing.Status.LISTED

    # An anonymous visitor finds the product among the verified products and opens its report by the link.
    visitor = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    visitor.goto(f"{live_server.url}{BASE}/")
    expect(visitor.locator(".listing-table")).to_contain_text("Kartleggeren Kognitiv")
    axe_check(visitor)
    report = VerificationRun.objects.get(version=second)
    _click_and_wait(visitor, f".listing-table a[href='{report.get_absolute_url()}']")
    expect(visitor.locator("h1")).to_contain_text("Kartleggeren Kognitiv")
    expect(visitor.locator("#check-fhir_capability_statement")).to_contain_text("4.0.1")
    axe_check(visitor)
    # The failed run of version 1 stays private.
    response = visitor.goto(f"{live_server.url}{run.get_absolute_url()}")
    assert response.status == 404
