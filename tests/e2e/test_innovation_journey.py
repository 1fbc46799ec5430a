"""Inger's journey through Innovasjonsarena (INN-1 … INN-11), as in the source: she finds Innlandet's need
through the front page, asks to join, is accepted, logs an involvement activity, ticks the readiness
checklist, the owner publishes, and she compares the need with a similar one. axe-core on every page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from innovation import services
from innovation.models import ChecklistItem, Collaboration, InvolvementEntry, Stage
from marketplace.models import Organisation, Role
from tests.factories import OrganisationFactory, ServiceAreaFactory

from ..conftest import accept_terms, make_member
from .conftest import axe_check, login_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def arena(municipality, other_municipality, terms_all):
    """Innlandet's need at Evalueringskriterier, open to participants, half its checklist ticked; Bodø's
    published need about the same thing; Inger in Ringsaker."""
    area = ServiceAreaFactory(slug="tjenestetildeling", name="Tjenestetildeling")
    innlandet = OrganisationFactory(
        name="Innlandet fylkeskommune",
        slug="innlandet",
        kind=Organisation.Kind.COUNTY,
        municipality_number="",
    )
    guro = make_member(innlandet, Role.ADMIN, email="guro@innlandet.example", first_name="Guro")
    accept_terms(innlandet, by=guro)
    inger = make_member(municipality, Role.MEMBER, email="inger@ringsaker.example", first_name="Inger")
    accept_terms(municipality, by=inger)
    siri = make_member(other_municipality, Role.ADMIN, email="siri@bodo.example", first_name="Siri")
    accept_terms(other_municipality, by=siri)

    need = services.need_create(
        actor=guro,
        title="Kognitiv kartlegging",
        summary="En felles og strukturert kartlegging av kognitiv funksjon i hjemmetjenesten.",
        service_areas=[area],
        problem_today="Kartleggingen skjer på papir og skrives av i journalen.",
        goals=["Lik behandling av innbygger", "Omforente kartleggingskriterier"],
        shared=True,
    )
    services.need_change_stage(actor=guro, need_id=need.pk, to=Stage.PRIORITISATION)
    services.criteria_set(
        actor=guro,
        need_id=need.pk,
        criteria=[{"name": "Omforente kriterier", "weight": 60}, {"name": "Pris", "weight": 40}],
    )
    services.need_change_stage(actor=guro, need_id=need.pk, to=Stage.EVALUATION_CRITERIA)
    for item in ChecklistItem.objects.filter(need=need, code__in=["laws", "national_initiatives"]):
        services.checklist_set(actor=guro, need_id=need.pk, item_id=item.pk, checked=True, comment="Sjekket.")

    similar = services.need_create(
        actor=siri,
        title="Kartlegging av kognitiv svikt",
        summary="Strukturert kartlegging av kognitiv funksjon ved tildeling av tjenester i hjemmetjenesten.",
        service_areas=[area],
    )
    services.need_change_stage(actor=siri, need_id=similar.pk, to=Stage.PRIORITISATION)
    services.criteria_set(
        actor=siri, need_id=similar.pk, criteria=[{"name": "Brukervennlighet", "weight": 100}]
    )
    services.need_change_stage(actor=siri, need_id=similar.pk, to=Stage.EVALUATION_CRITERIA)
    for item in ChecklistItem.objects.filter(need=similar):
        services.checklist_set(actor=siri, need_id=similar.pk, item_id=item.pk, checked=True)
    services.need_change_stage(actor=siri, need_id=similar.pk, to=Stage.PUBLISHED)
    return {"area": area, "need": need, "similar": similar, "guro": guro, "inger": inger}


def test_inger_joins_innlandets_need_and_it_is_published(page, browser, live_server, arena):
    need, similar = arena["need"], arena["similar"]

    # Inger logs in and goes to Innovasjonsarena from the main menu.
    login_in_browser(page, live_server, arena["inger"].email)
    axe_check(page)
    page.locator("nav.main-nav a[href='/innovasjonsarena/']").click()
    expect(page.locator("h1")).to_have_text("Innovasjonsarena")
    expect(page.locator(".area-card", has_text="Tjenestetildeling")).to_contain_text("Behovsbeskrivelse: 2")
    axe_check(page)

    # The service area, then the need: Innovasjonsarena › Tjenestetildeling › Kognitiv kartlegging.
    page.locator(".area-card a", has_text="Tjenestetildeling").click()
    axe_check(page)
    page.locator(".need-card a", has_text="Kognitiv kartlegging").click()
    expect(page.locator("h1")).to_have_text("Kognitiv kartlegging")
    expect(page.locator(".breadcrumbs")).to_contain_text("Tjenestetildeling")
    axe_check(page)

    # She asks, for Ringsaker, to collaborate.
    page.locator(f"main a[href='/innovasjonsarena/behov/{need.pk}/samarbeid/#request']").click()
    axe_check(page)
    page.locator("#id_message").fill("Hjemmetjenesten i Ringsaker vil gjerne være med.")
    page.locator("#request form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Ringsaker")
    axe_check(page)
    collaboration = Collaboration.objects.get(need=need)
    assert collaboration.status == Collaboration.Status.PENDING

    # Guro, for Innlandet, sees the request on her start page and accepts it.
    guro = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    login_in_browser(guro, live_server, arena["guro"].email)
    expect(guro.locator("main")).to_contain_text("Ringsaker kommune")
    axe_check(guro)
    guro.goto(f"{live_server.url}/innovasjonsarena/behov/{need.pk}/samarbeid/")
    axe_check(guro)
    guro.locator(f"#request-{collaboration.pk} button[type=submit]").first.click()
    expect(guro.locator(".messages")).to_contain_text("Ringsaker")
    axe_check(guro)
    collaboration.refresh_from_db()
    assert collaboration.status == Collaboration.Status.ACCEPTED

    # Inger, now in the core team, logs an involvement activity.
    page.goto(f"{live_server.url}/innovasjonsarena/behov/{need.pk}/involvering/")
    axe_check(page)
    page.locator("#id_step").select_option("health_personnel")
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.locator("#id_participants").fill("Sykepleiere og ergoterapeuter i hjemmetjenesten, to pårørende")
    page.locator("#id_notes").fill("Arbeidsverksted: papirskjema og dobbel registrering er hovedproblemet.")
    page.locator("main section form button[type=submit]").click()
    expect(page.locator(".involvement-entry")).to_contain_text("to pårørende")
    axe_check(page)
    assert InvolvementEntry.objects.get(need=need).organisation == arena["inger"].acting_organisation

    # She ticks the remaining checklist items, each with a comment.
    page.locator(f"nav.need-tabs a[href='/innovasjonsarena/behov/{need.pk}/sjekkliste/']").click()
    axe_check(page)
    for item in ChecklistItem.objects.filter(need=need, checked=False):
        page.locator(f"#comment-{item.pk}").fill("Avklart i kjerneteamet.")
        page.locator(f"#item-{item.pk} button[name=checked]").click()
        expect(page.locator(f"#item-{item.pk}")).to_have_attribute("data-checked", "true")
    axe_check(page)
    assert not ChecklistItem.objects.filter(need=need, checked=False).exists()

    # Guro publishes the shared needs basis.
    guro.goto(f"{live_server.url}/innovasjonsarena/behov/{need.pk}/")
    axe_check(guro)
    guro.locator("form.stage-form button[value=published]").click()
    expect(guro.locator(".need-header .ds-tag").first).to_have_text("Publisert")
    axe_check(guro)
    need.refresh_from_db()
    assert need.stage == Stage.PUBLISHED

    # Inger compares it with the similar need from Bodø.
    page.goto(f"{live_server.url}/innovasjonsarena/behov/{need.pk}/")
    axe_check(page)
    page.locator(f"a[href='/innovasjonsarena/sammenlign/?behov={need.pk}&behov={similar.pk}']").click()
    expect(page.locator("h1")).to_have_text("Sammenligne behov")
    expect(page.locator("table.compare-table thead")).to_contain_text("Kognitiv kartlegging")
    expect(page.locator("table.compare-table thead")).to_contain_text("Kartlegging av kognitiv svikt")
    expect(page.locator("table.compare-table tr.differs").first).to_be_visible()
    # With JavaScript, only the rows that differ can be shown.
    page.locator("#only-differences").check()
    assert page.locator("table.compare-table tbody tr:not(.differs):not(.section-row)").first.is_hidden()
    axe_check(page)
