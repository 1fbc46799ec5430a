"""Kvalifisering as a new user meets it (QUA-2, QUA-3, QUA-6, X-2): a vendor applies section by section, the
administrator requests changes on one criterion, the vendor fixes it and resubmits, the administrator
qualifies, and the vendor appears on the public list. axe-core checks every page on the way."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import AuditEvent
from tests.conftest import accept_terms
from tests.verification.qualification.factories import active_criterion_set
from verification.demo import demo_pdf
from verification.models import Qualification, QualificationApplication

from .conftest import axe_check, login_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE = "/verifikasjon/kvalifisering"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the platform_admin fixture's


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(name, ["E2E evidence"])}


def _totp_code() -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def _save_and_continue(page) -> None:
    page.locator("main form button[name=go][value=next]").click()
    page.wait_for_load_state()


def test_vendor_is_qualified_after_one_round_of_changes(
    page,
    browser,
    live_server,
    vendor,
    vendor_admin,
    platform_admin,
    terms_all,
    terms_vendors,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    accept_terms(vendor, by=vendor_admin)
    criteria = active_criterion_set()
    tax = criteria.criteria.get(code="tax")
    today = timezone.localdate()

    # The vendor's organisation admin finds Kvalifisering in the main menu and starts an application.
    login_in_browser(page, live_server, vendor_admin.email)
    axe_check(page)
    page.locator(f"nav.main-nav a[href='{BASE}/']").click()
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_attribute("href", f"{BASE}/")
    axe_check(page)
    page.locator(f"main a[href='{BASE}/soknader/ny/']").first.click()
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    application = QualificationApplication.objects.get(organisation=vendor)
    expect(page).to_have_url(f"{live_server.url}{BASE}/soknader/{application.pk}/firma/")
    expect(page.locator("input[name=company_name]")).to_have_value(vendor.name)
    axe_check(page)

    # Section 1: company details.
    page.locator("input[name=address]").fill("Storgata 88, 0182 Oslo")
    page.locator("input[name=contact_phone]").fill("+47 22 33 44 55")
    _save_and_continue(page)
    expect(page).to_have_url(f"{live_server.url}{BASE}/soknader/{application.pk}/del/2/")
    axe_check(page)

    # Section 2: yes/no answers, a text answer and evidence; the assessment shows after saving.
    by_code = {c.code: c for c in criteria.criteria.all()}
    page.locator(f"input[name=criterion_{by_code['dpa'].pk}][value=yes]").check()
    page.locator(f"input[name=criterion_{by_code['iso'].pk}][value=no]").check()
    # The assessment follows the answer at once (htmx), before anything is saved.
    expect(page.locator(f"#assessment-{by_code['iso'].pk} .qa-outcome--judgement")).to_be_visible()
    page.locator(f"textarea[name=criterion_{by_code['contact'].pk}]").fill("Vera, CISO, +47 99 99 99 99")
    page.locator(f"input[name=evidence_{by_code['dpa'].pk}]").set_input_files(_pdf("databehandleravtale.pdf"))
    page.locator(f"input[name=evidence_{by_code['iso'].pk}]").set_input_files(_pdf("revisjonsrapport.pdf"))
    page.locator("main form button[name=go][value=stay]").click()
    page.wait_for_load_state()
    expect(page.locator(".qa-outcome--judgement").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("databehandleravtale.pdf")
    axe_check(page)
    _save_and_continue(page)

    # Section 3: an old tax certificate; the assessment says it fails, but the vendor submits anyway.
    page.locator(f"input[name=criterion_{tax.pk}]").fill((today - timedelta(days=200)).isoformat())
    page.locator(f"input[name=evidence_{tax.pk}]").set_input_files(_pdf("skatteattest.pdf"))
    page.locator("main form button[name=go][value=stay]").click()
    page.wait_for_load_state()
    expect(page.locator(".qa-outcome--fail")).to_be_visible()
    axe_check(page)
    _save_and_continue(page)
    expect(page).to_have_url(f"{live_server.url}{BASE}/soknader/{application.pk}/send-inn/")
    axe_check(page)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server.url}{BASE}/soknader/{application.pk}/")
    axe_check(page)
    application.refresh_from_db()
    assert application.status == "submitted"

    # The platform administrator logs in with the second factor and finds the application in the queue.
    admin = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    login_in_browser(admin, live_server, platform_admin.email)
    admin.locator("input[name=code]").fill(_totp_code())
    admin.locator("main form button[type=submit]").first.click()
    admin.wait_for_load_state()
    expect(admin.locator(f"main a[href='{BASE}/behandling/{application.pk}/']").first).to_be_visible()
    axe_check(admin)
    admin.goto(f"{live_server.url}{BASE}/behandling/")
    axe_check(admin)
    admin.locator(f"main a[href='{BASE}/behandling/{application.pk}/']").click()
    axe_check(admin)
    admin.locator(f"form[action='{BASE}/behandling/{application.pk}/start/'] button").click()
    admin.wait_for_load_state()
    axe_check(admin)

    # Changes are requested on one criterion: the tax certificate.
    admin.locator(f"textarea[name=comment_{tax.pk}]").fill("Skatteattesten er eldre enn seks måneder.")
    admin.locator(f"input[name=change_{tax.pk}]").check()
    admin.locator("textarea[name=reason]").fill("Last opp en ny skatteattest.")
    admin.locator("button[name=decision][value=request_changes]").click()
    admin.wait_for_load_state()
    axe_check(admin)
    application.refresh_from_db()
    assert application.status == "changes_requested"

    # The vendor reads the comment, fixes the tax certificate and resubmits.
    page.goto(f"{live_server.url}{BASE}/soknader/{application.pk}/")
    expect(page.locator(".qa-answer--change")).to_contain_text("Skatteattesten er eldre enn seks måneder.")
    expect(page.locator("main")).to_contain_text("Last opp en ny skatteattest.")
    axe_check(page)
    page.goto(f"{live_server.url}{BASE}/soknader/{application.pk}/del/3/")
    page.locator(f"input[name=criterion_{tax.pk}]").fill((today - timedelta(days=2)).isoformat())
    page.locator(f"input[name=evidence_{tax.pk}]").set_input_files(_pdf("ny-skatteattest.pdf"))
    _save_and_continue(page)
    axe_check(page)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "resubmitted"
    expect(page.locator("ol.qa-timeline")).to_contain_text("Last opp en ny skatteattest.")

    # The administrator reviews again and qualifies.
    admin.goto(f"{live_server.url}{BASE}/behandling/{application.pk}/")
    expect(admin.locator("main")).to_contain_text("Skatteattesten er eldre enn seks måneder.")  # round 1
    admin.locator(f"form[action='{BASE}/behandling/{application.pk}/start/'] button").click()
    admin.wait_for_load_state()
    expect(admin.locator(f"input[name=change_{tax.pk}]")).not_to_be_checked()  # a new round starts clean
    admin.locator("textarea[name=reason]").fill("Alle kriterier er oppfylt.")
    admin.locator("button[name=decision][value=qualify]").click()
    admin.wait_for_load_state()
    axe_check(admin)
    qualification = Qualification.objects.get(organisation=vendor)
    assert qualification.status == "active"
    assert AuditEvent.objects.filter(verb="qualificationapplication.qualified", actor=platform_admin).exists()
    admin.context.close()

    # The vendor sees the decision and appears on the public list, which anyone can read.
    page.goto(f"{live_server.url}{BASE}/soknader/{application.pk}/")
    expect(page.locator(".qa-status")).to_have_attribute("data-color", "success")
    axe_check(page)
    visitor = browser.new_context(locale="nb-NO").new_page()
    visitor.goto(f"{live_server.url}{BASE}/kvalifiserte/")
    expect(visitor.locator("table.qa-vendors")).to_contain_text(vendor.name)
    axe_check(visitor)
    visitor.goto(f"{live_server.url}{BASE}/kriterier/")
    axe_check(visitor)
    visitor.context.close()
