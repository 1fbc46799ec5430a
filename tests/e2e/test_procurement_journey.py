"""A joint procurement from a shared need to call-off (PRO-1 … PRO-6), as new users would go through it: the
owner of a published need opens a procurement, two municipalities declare intent, a vendor asks a question and
it is answered, two vendors offer, the lead scores and awards, the listing shows "Felleskjøpt", and a
participating municipality calls off. axe-core on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import Organisation, Role
from store.models import Adoption, CallOff, Offer, Participation, Procurement, ProcurementQuestion
from tests.factories import OrganisationFactory
from tests.store.procurement.factories import listed_product, published_need, qualify

from ..conftest import accept_terms, make_member
from .conftest import axe_check, login_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(municipality, other_municipality, vendor, other_vendor, terms_all, terms_vendors):
    """Kari owns Ringsaker's published need; Siri (Bodø) and Guro (Innlandet) will take part; Vera (Kartleggeren)
    and Olav (Omsorgsdata) are qualified vendors with listed products."""
    kari = make_member(municipality, Role.ADMIN, email="kari@ringsaker.example", first_name="Kari")
    accept_terms(municipality, by=kari)
    siri = make_member(other_municipality, Role.ADMIN, email="siri@bodo.example", first_name="Siri")
    accept_terms(other_municipality, by=siri)
    innlandet = OrganisationFactory(name="Innlandet fylkeskommune", slug="innlandet", kind=Organisation.Kind.COUNTY,
                                    municipality_number="")
    guro = make_member(innlandet, Role.ADMIN, email="guro@innlandet.example", first_name="Guro")
    accept_terms(innlandet, by=guro)
    vera = make_member(vendor, Role.ADMIN, email="vera@kartleggeren.example", first_name="Vera")
    accept_terms(vendor, by=vera)
    qualify(vendor)
    olav = make_member(other_vendor, Role.ADMIN, email="olav@omsorgsdata.example", first_name="Olav")
    accept_terms(other_vendor, by=olav)
    qualify(other_vendor)
    need = published_need(kari, title="Kognitiv kartlegging")
    return {
        "kari": kari, "siri": siri, "guro": guro, "vera": vera, "olav": olav, "need": need,
        "kognitiv": listed_product(vendor, "Kartleggeren Kognitiv"),
        "omsorg": listed_product(other_vendor, "Omsorgsdata Kartlegging"),
    }


def _as(browser, live_server, email):
    page = browser.new_context(locale="nb-NO", base_url=live_server.url).new_page()
    page.set_default_timeout(15_000)
    login_in_browser(page, live_server, email)
    return page


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _submit(page, action_suffix: str):
    page.locator(f"main form[action$='{action_suffix}'] button[type=submit]").first.click()
    page.wait_for_load_state()


def test_joint_procurement_from_need_to_call_off(page, browser, live_server, people):
    need = people["need"]
    now = timezone.now()

    # Kari, owner of the published need, opens a joint procurement from it.
    login_in_browser(page, live_server, people["kari"].email)
    page.goto(f"{live_server.url}/butikken/felleskjop/")
    axe_check(page)
    page.locator("main a[href='/butikken/felleskjop/ny/']").click()
    axe_check(page)
    page.locator("select[name=need]").select_option(str(need.pk))
    page.locator("input[name=intent_deadline]").fill(_local(now + timedelta(days=14)))
    page.locator("input[name=offer_deadline]").fill(_local(now + timedelta(days=30)))
    page.locator("input[name=agreement_start]").fill((now + timedelta(days=45)).date().isoformat())
    page.locator("input[name=agreement_end]").fill((now + timedelta(days=45 + 730)).date().isoformat())
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    procurement = Procurement.objects.get(need=need)
    base = f"/butikken/felleskjop/{procurement.pk}"
    expect(page.locator("h1")).to_have_text("Kognitiv kartlegging")
    axe_check(page)
    page.goto(f"{live_server.url}{base}/evalueringskriterier/")
    expect(page.locator("main table.criteria-table")).to_contain_text("60")
    axe_check(page)
    page.goto(f"{live_server.url}{base}/")
    _submit(page, "/fase/market_dialogue/")
    procurement.refresh_from_db()
    assert procurement.phase == "market_dialogue"
    axe_check(page)

    # Two municipalities declare intent with their expected volume; the page shows the total.
    for person, volume in (("siri", "300"), ("guro", "1200")):
        them = _as(browser, live_server, people[person].email)
        them.goto(f"{live_server.url}{base}/")
        axe_check(them)
        them.locator(f"main a[href='{base}/deltakere/']").first.click()
        axe_check(them)
        them.locator("input[name=volume]").fill(volume)
        them.locator("main form.form button[type=submit]").click()
        them.wait_for_load_state()
        axe_check(them)
        them.context.close()
    assert Participation.objects.filter(procurement=procurement, status="declared").count() == 2
    page.goto(f"{live_server.url}{base}/deltakere/")
    expect(page.locator("main .procurement-total")).to_contain_text("1500")
    axe_check(page)

    # Vera, a qualified vendor, asks a question; Kari answers and publishes it to all vendors.
    vera = _as(browser, live_server, people["vera"].email)
    vera.goto(f"{live_server.url}{base}/sporsmal/")
    axe_check(vera)
    vera.locator("textarea[name=text]").fill("Kartleggeren AS spør: må løsningen virke uten nett?")
    vera.locator("main form.form button[type=submit]").click()
    vera.wait_for_load_state()
    axe_check(vera)
    question = ProcurementQuestion.objects.get()
    page.goto(f"{live_server.url}{base}/sporsmal/")
    axe_check(page)
    page.locator(f"main a[href='{base}/sporsmal/{question.pk}/svar/']").click()
    axe_check(page)
    assert "Kartleggeren" not in page.locator("textarea[name=public_text]").input_value()  # anonymised
    page.locator("textarea[name=answer]").fill("Ja, i minst åtte timer.")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    _submit(page, "/sporsmal/publiser/")
    axe_check(page)
    vera.goto(f"{live_server.url}{base}/sporsmal/")
    expect(vera.locator("main .qa-list")).to_contain_text("Ja, i minst åtte timer.")
    axe_check(vera)

    # The competition starts; two vendors offer.
    page.goto(f"{live_server.url}{base}/")
    _submit(page, "/fase/competition/")
    axe_check(page)
    olav = _as(browser, live_server, people["olav"].email)
    for them, product, price in ((vera, people["kognitiv"], "180000"), (olav, people["omsorg"], "150000")):
        them.goto(f"{live_server.url}{base}/tilbud/")
        axe_check(them)
        them.locator("select[name=product]").select_option(str(product.pk))
        them.locator("input[name=price_per_year]").fill(price)
        them.locator("input[name=price_per_unit]").fill("2.50")
        them.locator("textarea[name=description]").fill(f"Vårt tilbud på {product.name}.")
        them.locator("main form.form button[type=submit]").first.click()
        them.wait_for_load_state()
        axe_check(them)
    assert Offer.objects.filter(procurement=procurement, status="submitted").count() == 2
    # Sealed: the lead sees no offer before the deadline.
    page.goto(f"{live_server.url}{base}/tilbud/")
    expect(page.locator("main")).not_to_contain_text("Omsorgsdata Kartlegging")
    axe_check(page)

    # The deadline passes; Kari opens the offers, scores them and awards the agreement.
    Procurement.objects.filter(pk=procurement.pk).update(offer_deadline=timezone.now() - timedelta(minutes=1))
    page.goto(f"{live_server.url}{base}/")
    _submit(page, "/fase/evaluation/")
    page.goto(f"{live_server.url}{base}/evaluering/")
    axe_check(page)
    criteria = list(procurement.criteria.order_by("order"))
    for offer, scores in ((Offer.objects.get(product=people["kognitiv"]), ("8", "6")),
                          (Offer.objects.get(product=people["omsorg"]), ("5", "9"))):
        page.locator(f"main a[href='{base}/evaluering/{offer.pk}/']").click()
        axe_check(page)
        for criterion, score in zip(criteria, scores):
            page.locator(f"input[name=score_{criterion.pk}]").fill(score)
            page.locator(f"textarea[name=justification_{criterion.pk}]").fill(f"Vurdert til {score}.")
        page.locator("main form.score-form button[type=submit]").click()
        page.wait_for_load_state()
    expect(page.locator("main table.evaluation-matrix")).to_contain_text("72")
    axe_check(page)
    page.goto(f"{live_server.url}{base}/tildeling/")
    axe_check(page)
    page.locator("textarea[name=reason]").fill("Høyest vektet poengsum: 72 mot 66.")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    procurement.refresh_from_db()
    assert procurement.phase == "awarded"
    expect(page.locator("main")).to_contain_text("Høyest vektet poengsum")
    axe_check(page)

    # The agreement period begins; Kari activates the agreement and the listing shows "Felleskjøpt".
    Procurement.objects.filter(pk=procurement.pk).update(agreement_start=timezone.localdate())
    page.goto(f"{live_server.url}{base}/")
    _submit(page, "/fase/agreement_active/")
    procurement.refresh_from_db()
    assert procurement.phase == "agreement_active"
    axe_check(page)

    # Siri of Bodø, a participant, finds it in Butikken and calls off.
    siri = _as(browser, live_server, people["siri"].email)
    siri.goto(f"{live_server.url}/butikken/produkt/{people['kognitiv'].pk}/")
    expect(siri.locator("main")).to_contain_text("Felleskjøpt")
    axe_check(siri)
    siri.locator(f"main a[href='{base}/avtale/']").first.click()
    axe_check(siri)
    siri.locator("input[name=volume]").fill("300")
    siri.locator("main form.form button[type=submit]").click()
    siri.wait_for_load_state()
    axe_check(siri)
    call = CallOff.objects.get()
    assert call.organisation.slug == "bodo" and call.adoption.status == Adoption.Status.ACTIVE
    expect(siri.locator("main table")).to_contain_text("Bodø kommune")
