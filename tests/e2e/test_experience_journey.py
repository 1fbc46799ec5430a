"""Erfaringsarena as newcomers use it (EXP-1 … EXP-4, X-2): Inger's municipality uses a product, writes an
experience and rates it; Bodø finds it from the store's listing page, marks it useful and comments; the
vendor replies; Inger reports a comment and a platform administrator hides it. axe-core on every page."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from experience.models import Comment, Experience, Rating, Report
from experience.plugins import register as register_experience_sections
from marketplace.models import Role
from tests.conftest import accept_terms, make_member, make_platform_admin
from tests.experience.factories import adopt, listed_product
from tests.factories import ServiceAreaFactory

from .conftest import axe_check, login_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the secret make_platform_admin sets up


def _totp_now() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def test_experience_is_shared_found_discussed_answered_and_moderated(
    page, browser, live_server, municipality, other_municipality, vendor, operator, terms_all, terms_vendors
):
    register_experience_sections()  # in case another app's test swapped the listing section out
    area = ServiceAreaFactory(slug="hjemmetjenester", name="Hjemmetjenester")
    municipality.inhabitants = 35_000
    municipality.save(update_fields=["inhabitants"])
    inger = make_member(municipality, Role.MEMBER, email="inger@ringsaker.example", first_name="Inger")
    accept_terms(municipality, by=inger)
    siri = make_member(other_municipality, Role.MEMBER, email="siri@bodo.example", first_name="Siri")
    accept_terms(other_municipality, by=siri)
    vera = make_member(vendor, Role.ADMIN, email="vera@kartleggeren.example", first_name="Vera")
    accept_terms(vendor, by=vera)
    make_platform_admin(operator, email="kristin@ks.example", first_name="Kristin")
    product = listed_product(vendor, name="Kartleggeren Kognitiv", areas=[area])
    adopt(municipality, product)
    listing_url = f"{live_server.url}/butikken/produkt/{product.pk}/"

    # Inger, whose municipality uses the product, shares an experience from its listing page.
    login_in_browser(page, live_server, inger.email)
    page.goto(listing_url)
    expect(page.locator("#erfaringer")).to_be_visible()
    axe_check(page)
    page.locator("#erfaringer a[href*='/erfaringsarena/ny/']").click()
    expect(page.locator("h1")).to_be_visible()
    axe_check(page)
    expect(page.locator("select[name=product]")).to_have_value(str(product.pk))
    page.locator("select[name=service_area]").select_option(str(area.pk))
    page.locator("input[name=title]").fill("Felles kartlegging ga likere vurderinger")
    page.locator("textarea[name=what_worked]").fill("Alle soner kartlegger etter de samme kriteriene.")
    page.locator("textarea[name=what_did_not]").fill("Frakoblet modus var ustabil de første ukene.")
    page.locator("textarea[name=advice]").fill("Bli enige om kriteriene før dere starter.")
    page.locator("textarea[name=effort]").fill("Ca. 150 timer.")
    page.locator("textarea[name=timeline]").fill("Fire måneder.")
    page.locator("form.experience-form button[type=submit]").click()
    expect(page.locator(".experience-actions")).to_be_visible()
    axe_check(page)  # the draft
    page.locator(".experience-actions form button[type=submit]").click()  # publish
    expect(page.locator(".messages")).to_be_visible()
    axe_check(page)
    experience = Experience.objects.get(title="Felles kartlegging ga likere vurderinger")
    assert experience.status == Experience.Status.PUBLISHED and experience.inhabitants == 35_000

    page.goto(listing_url)
    page.locator("form.rating-form input[name=score][value='5']").check()
    page.locator("form.rating-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    axe_check(page)
    assert Rating.objects.get(organisation=municipality, product=product).score == 5

    page.goto(f"{live_server.url}/erfaringsarena/mine/")
    expect(page.locator("main table")).to_contain_text("Felles kartlegging ga likere vurderinger")
    axe_check(page)

    # Siri in Bodø looks around Erfaringsarena, finds it from the listing page, marks it useful, comments.
    siri_page = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    login_in_browser(siri_page, live_server, siri.email)
    siri_page.goto(f"{live_server.url}/erfaringsarena/")
    expect(siri_page.locator("main")).to_contain_text("Felles kartlegging ga likere vurderinger")
    axe_check(siri_page)
    siri_page.locator("select[name=storrelse]").select_option("m")
    siri_page.locator("form.experience-filters button[type=submit]").click()
    expect(siri_page.locator("#results-title")).to_be_visible()
    axe_check(siri_page)
    siri_page.goto(f"{live_server.url}/erfaringsarena/produkter/{product.pk}/")
    expect(siri_page.locator(".rating-average")).to_contain_text("5")
    axe_check(siri_page)
    siri_page.goto(listing_url)
    expect(siri_page.locator("#erfaringer")).to_contain_text("Felles kartlegging ga likere vurderinger")
    expect(siri_page.locator("#erfaringer form.rating-form")).to_have_count(0)
    axe_check(siri_page)
    siri_page.locator("#erfaringer a", has_text="Felles kartlegging ga likere vurderinger").click()
    expect(siri_page.locator("h1")).to_have_text("Felles kartlegging ga likere vurderinger")
    axe_check(siri_page)
    siri_page.locator("form.useful-form button").click()
    expect(siri_page.locator("form.useful-form button")).to_have_attribute("aria-pressed", "true")
    expect(siri_page.locator("form.useful-form .useful-count")).to_have_text("(1)")
    axe_check(siri_page)
    siri_page.locator("#comments textarea[name=body]").fill("Hvor lang tid brukte dere på kalibreringen?")
    siri_page.locator("#comments form button[type=submit]").click()
    expect(siri_page.locator(".comment-list")).to_contain_text("Hvor lang tid brukte dere på kalibreringen?")
    axe_check(siri_page)
    experience.refresh_from_db()
    assert experience.useful_count == 1 and experience.comment_count == 1

    # Vera, the vendor, sees it waiting on her start page and replies once, as the vendor.
    vera_page = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    login_in_browser(vera_page, live_server, vera.email)
    expect(vera_page.locator("main")).to_contain_text("Felles kartlegging ga likere vurderinger")
    axe_check(vera_page)
    vera_page.locator("main a", has_text="Felles kartlegging ga likere vurderinger").first.click()
    axe_check(vera_page)
    vera_page.locator("#vendor-reply textarea[name=body]").fill(
        "Takk! Frakoblet modus er forbedret i versjon 2."
    )
    vera_page.locator("#vendor-reply form button[type=submit]").click()
    expect(vera_page.locator(".vendor-reply")).to_contain_text("Frakoblet modus er forbedret")
    expect(vera_page.locator("#vendor-reply form")).to_have_count(0)
    axe_check(vera_page)
    assert Comment.objects.filter(experience=experience, is_vendor_reply=True).count() == 1

    # Inger reports Siri's comment.
    page.goto(f"{live_server.url}{experience.get_absolute_url()}")
    axe_check(page)
    page.locator("a[href$='/historikk/']").first.click()
    expect(page.locator(".version-card")).to_have_count(1)
    axe_check(page)
    page.goto(f"{live_server.url}{experience.get_absolute_url()}")
    comment = Comment.objects.get(experience=experience, is_vendor_reply=False)
    page.locator(f"#comment-{comment.pk} a.report-link").click()
    axe_check(page)
    page.locator("input[name=reason][value='off_topic']").check()
    page.locator("textarea[name=note]").fill("Spørsmålet bør stilles i Innovasjonsarena.")
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("rapportert")
    axe_check(page)
    assert Report.objects.filter(comment=comment, status=Report.Status.OPEN).count() == 1

    # Kristin, a platform administrator, logs in with her second factor and hides the comment.
    admin = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    login_in_browser(admin, live_server, "kristin@ks.example")
    admin.locator("input[name=code]").fill(_totp_now())
    admin.locator("main form button[type=submit]").first.click()
    expect(admin.locator("main a[href='/erfaringsarena/moderering/']").first).to_be_visible()
    axe_check(admin)
    admin.locator("main a[href='/erfaringsarena/moderering/']").first.click()
    expect(admin.locator(".moderation-item")).to_contain_text("Hvor lang tid brukte dere på kalibreringen?")
    axe_check(admin)
    admin.locator(".moderation-item textarea[name=reason]").fill("Hører ikke hjemme i erfaringen.")
    admin.locator(".moderation-item form.compact-form button[type=submit]").click()
    expect(admin.locator(".messages")).to_be_visible()
    axe_check(admin)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN

    # Gone for everyone but administrators.
    siri_page.goto(f"{live_server.url}{experience.get_absolute_url()}")
    expect(siri_page.locator(".comment-list")).to_have_count(0)
    expect(siri_page.locator("main")).not_to_contain_text("Hvor lang tid brukte dere på kalibreringen?")
    axe_check(siri_page)
