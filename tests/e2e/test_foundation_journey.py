"""A newcomer's first visit (ORG-3, ORG-5, TRM-2, X-1, X-2): invited by e-mail, signs up, confirms the
address, joins the organisation, accepts the terms, switches language and sees the start page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from marketplace.models import Membership, Role, TermsAcceptance

from ..conftest import make_member
from .conftest import axe_check, login_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _link_in_last_mail(to: str) -> str:
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(r"https?://\S+", message.body).group(0)


def test_new_person_joins_by_invitation_accepts_terms_and_switches_language(page, browser, live_server, municipality, terms_all, settings):
    settings.SITE_URL = live_server.url
    kari = make_member(municipality, Role.ADMIN, email="kari@ringsaker.example", first_name="Kari")

    # Kari, the organisation admin, invites Inger as a second organisation admin.
    login_in_browser(page, live_server, kari.email)
    axe_check(page)
    page.goto(f"{live_server.url}/organisasjon/")
    axe_check(page)
    page.locator("input[name=email]").fill("inger@ringsaker.example")
    page.locator("form.form select[name=role]").select_option("admin")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("inger@ringsaker.example")
    axe_check(page)
    invitation_link = _link_in_last_mail("inger@ringsaker.example")

    # Inger, in her own browser, opens the invitation and signs up.
    inger = browser.new_context(locale="nb-NO").new_page()
    inger.goto(invitation_link)
    expect(inger.locator("h1")).to_contain_text(municipality.name)
    axe_check(inger)
    inger.locator("main a.ds-button").first.click()  # sign up
    axe_check(inger)
    inger.locator("input[name=email]").fill("inger@ringsaker.example")
    inger.locator("input[name=first_name]").fill("Inger")
    inger.locator("input[name=last_name]").fill("Hansen")
    inger.locator("input[name=password1]").fill("Inger-sitt-passord-42")
    inger.locator("input[name=password2]").fill("Inger-sitt-passord-42")
    inger.locator("main form button[type=submit]").click()
    axe_check(inger)  # "confirm your e-mail address"

    inger.goto(_link_in_last_mail("inger@ringsaker.example"))
    axe_check(inger)
    inger.locator("main form button[type=submit]").click()

    inger.goto(invitation_link)
    inger.locator("main form button[type=submit]").click()
    expect(inger.locator("h1")).to_contain_text("Inger")
    assert Membership.objects.get(user__email="inger@ringsaker.example", organisation=municipality).role == Role.ADMIN
    # The start page says what waits: the terms to accept.
    expect(inger.locator("main")).to_contain_text(terms_all.title)
    axe_check(inger)

    inger.locator(f"main a[href='/vilkar/{terms_all.pk}/']").first.click()
    axe_check(inger)
    inger.locator("form.accept-form button[type=submit]").click()
    assert TermsAcceptance.objects.filter(organisation=municipality, terms=terms_all, accepted_by__email="inger@ringsaker.example").exists()
    axe_check(inger)

    # Norwegian by default; English by the language switcher, remembered for the person.
    expect(inger.locator("html")).to_have_attribute("lang", "nb")
    inger.locator("form.language-switch button").click()
    expect(inger.locator("html")).to_have_attribute("lang", "en")
    inger.goto(f"{live_server.url}/")
    expect(inger.locator("h1")).to_have_text("Welcome back, Inger")
    axe_check(inger)
    inger.context.close()
