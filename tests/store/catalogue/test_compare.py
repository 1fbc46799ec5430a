"""Compare (STO-4): 2–4 products side by side with differences marked, and products against a need's desired
declaration and weighted evaluation criteria; both exported as CSV (STO-6). Works without JavaScript."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from innovation import services as innovation_services
from innovation.models import Stage
from marketplace.declaration import FIELDS
from marketplace.errors import NotFound
from store.selectors import catalogue as selectors
from tests.innovation.factories import advance, make_need

from .factories import listed, withdraw

pytestmark = pytest.mark.django_db


def compare_url(*products) -> str:
    return reverse("store:compare") + "?" + "&".join(f"produkt={p.pk}" for p in products)


def test_compare_three_products_side_by_side_with_differences_marked(
    client: Client, kognitiv, legemiddel, fastlege_app
):
    response = client.get(compare_url(kognitiv, legemiddel, fastlege_app))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('<th scope="col">') >= 4  # the field column and one per product
    for name in ("Kartleggeren Kognitiv", "Omsorgsdata Legemiddel", "Kartleggeren Fysio"):
        assert name in text
    assert 'class="differs"' in text
    rows = selectors.compare_rows(selectors.compare_products(product_ids=[kognitiv.pk, legemiddel.pk]))
    by_label = {str(r["label"]): r for r in rows}
    assert by_label[str(FIELDS["informasjon.national_solutions"].label)]["differs"]
    assert not by_label[str(FIELDS["funksjon.work_processes"].label)]["differs"]


def test_each_compared_product_is_headed_by_its_name_vendor_and_marks(
    client: Client, kognitiv, legemiddel, vendor, other_vendor
):
    """The heading cards: the name links to the listing page; the vendor carries Kvalifisering's mark; a product
    under remediation says so."""
    from verification.models import Listing

    Listing.objects.filter(product=legemiddel).update(status=Listing.Status.UNDER_REMEDIATION)
    text = client.get(compare_url(kognitiv, legemiddel)).content.decode()
    heading = text[text.index('<ul class="compare-products">'):text.index("</ul>", text.index("compare-products"))]
    cards = heading.split('<li class="ds-card">')[1:]
    assert len(cards) == 2
    assert f'href="{reverse("store:listing", args=[kognitiv.pk])}">Kartleggeren Kognitiv</a>' in cards[0]
    assert "Kartleggeren AS" in cards[0] and "vendor-badge" in cards[0] and "Under utbedring" not in cards[0]
    assert "Omsorgsdata AS" in cards[1] and "Under utbedring" in cards[1]
    differing = text.count('<tr class="differs">')
    assert differing > 1
    assert (
        '<p class="ds-paragraph lead">De godkjente deklarasjonene side om side. '
        f"{differing} rader er ulike og er merket.</p>"
    ) in text


def test_the_comparison_links_its_csv_and_offers_the_same_products_against_a_need(
    client: Client, need, admin, kognitiv, legemiddel
):
    """Under the heading cards: the CSV of the same products in the same order, and a form (no JavaScript)
    that sends them with the chosen need to the fit view; need titles are escaped (STO-4, STO-6)."""
    need.title = "Legemidler & <dosering>"
    need.save(update_fields=["title"])
    text = client.get(compare_url(legemiddel, kognitiv)).content.decode()
    ids = f"produkt={legemiddel.pk}&amp;produkt={kognitiv.pk}"
    csv_link = f'<a class="ds-link" href="{reverse("store:compare_csv")}?{ids}" download>'
    assert csv_link + "Last ned sammenlikningen som CSV</a>" in text
    form = text[text.index('<form method="get" action="' + reverse("store:compare_need")):]
    form = form[: form.index("</form>")]
    assert (
        f'<input type="hidden" name="produkt" value="{legemiddel.pk}">'
        f'<input type="hidden" name="produkt" value="{kognitiv.pk}">'
    ) in form
    assert '<select class="ds-input" id="need-pick" name="behov" required>' in form
    assert f'<option value="{need.pk}">Legemidler &amp; &lt;dosering&gt; ({need.owner.name})</option>' in form


def test_the_comparison_and_the_listing_page_speak_the_visitor_s_language(
    client: Client, settings, kognitiv, legemiddel
):
    """Their fixed texts are kept per language (marketplace.i18n): each language gets its own, in any
    order."""
    listing = reverse("store:listing", args=[kognitiv.pk])
    pages = {"compare": compare_url(kognitiv, legemiddel), "listing": listing}
    expected = {
        "nb": ['<th scope="col">Felt</th>', "Deklarasjonsversjon", "Ingen vurderinger ennå", "Om produktet"],
        "en": ['<th scope="col">Field</th>', "Declaration version", "No ratings yet", "About the product"],
    }
    for language in ("en", "nb", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        text = client.get(pages["compare"]).content.decode() + client.get(pages["listing"]).content.decode()
        for phrase in expected[language]:
            assert phrase in text, (language, phrase)
        other = "nb" if language == "en" else "en"
        assert expected[other][1] not in text


@pytest.mark.parametrize("count", [1, 5])
def test_comparing_one_or_five_products_is_refused(client: Client, vendor, seller, areas, count):
    products = [listed(vendor, f"Produkt {n}") for n in range(count)]
    response = client.get(compare_url(*products))
    assert response.status_code == 400
    assert f"{count}" in response.content.decode()
    with pytest.raises(ValidationError):
        selectors.compare_products(product_ids=[p.pk for p in products])


def test_comparing_a_product_not_in_the_store_is_not_found(client: Client, kognitiv, legemiddel):
    withdraw(legemiddel)
    assert client.get(compare_url(kognitiv, legemiddel)).status_code == 404
    with pytest.raises(NotFound):
        selectors.compare_products(product_ids=[kognitiv.pk, legemiddel.pk])


def test_comparison_exports_as_csv(client: Client, kognitiv, legemiddel):
    response = client.get(reverse("store:compare_csv") + f"?produkt={kognitiv.pk}&produkt={legemiddel.pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][2:4] == ["Kartleggeren Kognitiv", "Omsorgsdata Legemiddel"]
    assert len(rows) > 15 and all(len(r) == 5 for r in rows)


@pytest.fixture
def need(admin, areas):
    need = make_need(
        admin,
        areas=[areas["hjemmetjenester"]],
        title="Legemidler i hjemmetjenesten",
        desired_declaration={
            "informasjon": {
                "national_solutions": ["Kjernejournal", "PLL"],
                "data_location": "norway",
                "fhir_resources": {"MedicationRequest": ["read"]},
            },
            "innforing": {"training": "Opplæring av alle ansatte."},
        },
    )
    need = advance(admin, need, Stage.EVALUATION_CRITERIA)
    innovation_services.criteria_set(
        actor=admin,
        need_id=need.pk,
        criteria=[
            {
                "name": "Integrasjon med nasjonale løsninger",
                "description": "Kjernejournal og PLL",
                "weight": 50,
            },
            {"name": "Informasjonssikkerhet og personvern", "description": "", "weight": 30},
            {"name": "Pris og lisensmodell", "description": "", "weight": 20},
        ],
    )
    return advance(admin, need, Stage.PUBLISHED)


def test_fit_against_a_need_per_section_and_criterion(need, kognitiv, legemiddel, admin):
    fit = selectors.need_fit(user=admin, need_id=need.pk, product_ids=[kognitiv.pk, legemiddel.pk])
    fields = {row["path"]: [c["status"] for c in row["cells"]] for s in fit.sections for row in s["rows"]}
    assert fields["informasjon.national_solutions"] == ["not_met", "met"]
    assert fields["informasjon.data_location"] == ["met", "not_met"]  # legemiddel stores data in the EU/EEA
    assert fields["informasjon.fhir_resources"] == ["not_met", "met"]
    assert fields["funksjon.description"] == ["not_asked", "not_asked"]
    criteria = {c.criterion.name: c for c in fit.criteria}
    integration = criteria["Integrasjon med nasjonale løsninger"]
    assert "informasjon.national_solutions" in integration.fields and integration.matched
    assert integration.scores[1] > integration.scores[0]
    price = criteria["Pris og lisensmodell"]
    assert price.about_price and price.scores == [None, None]  # not in the declaration: left to the reader
    assert fit.totals[1] > fit.totals[0]


def test_fit_page_and_csv(client: Client, need, kognitiv, legemiddel, admin):
    from tests.conftest import login

    browser = login(admin)
    url = reverse("store:compare_need") + f"?behov={need.pk}&produkt={kognitiv.pk}&produkt={legemiddel.pk}"
    response = browser.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Legemidler i hjemmetjenesten" in text and "Integrasjon med nasjonale løsninger" in text
    assert 'data-status="not_met"' in text and 'data-status="met"' in text
    exported = browser.get(reverse("store:compare_need_csv") + f"?behov={need.pk}&produkt={legemiddel.pk}")
    assert exported.status_code == 200
    assert "Integrasjon med nasjonale løsninger (50 %)" in exported.content.decode("utf-8-sig")


def test_fit_with_a_need_the_reader_may_not_see_is_not_found(client: Client, admin, areas, kognitiv):
    draft = make_need(admin, areas=[areas["hjemmetjenester"]], title="Hemmelig idé")
    response = client.get(reverse("store:compare_need") + f"?behov={draft.pk}&produkt={kognitiv.pk}")
    assert response.status_code == 404
    assert "Hemmelig idé" not in response.content.decode()


def test_fit_with_too_many_products_is_refused(client: Client, need, vendor, seller, areas):
    products = [listed(vendor, f"P{n}") for n in range(5)]
    url = reverse("store:compare_need") + f"?behov={need.pk}&" + "&".join(f"produkt={p.pk}" for p in products)
    assert client.get(url).status_code == 400


def test_need_picker_offers_own_needs_first(need, admin, kognitiv):
    choices = selectors.fit_need_choices(user=admin, product_ids=[kognitiv.pk])
    assert choices[0].pk == need.pk


def test_a_visitor_is_offered_published_needs_those_the_products_answer_first(
    client: Client, need, admin, kognitiv, legemiddel
):
    alarms = advance(
        admin,
        make_need(admin, title="Alarmer i hjemmet", desired_declaration={"informasjon": {"data_location": "norway"}}),
        Stage.PUBLISHED,
    )
    make_need(admin, title="Aller først, men ikke publisert", desired_declaration={"innforing": {"training": "Ja."}})
    legemiddel.needs.add(need)  # "Legemidler i hjemmetjenesten" is answered by a compared product

    text = client.get(compare_url(kognitiv, legemiddel)).content.decode()
    offered = [title for title in ("Legemidler i hjemmetjenesten", "Alarmer i hjemmet") if title in text]
    assert offered == ["Legemidler i hjemmetjenesten", "Alarmer i hjemmet"]
    assert text.index("Legemidler i hjemmetjenesten") < text.index("Alarmer i hjemmet")
    assert "Aller først" not in text

    choices = selectors.fit_need_choices(user=None, product_ids=[kognitiv.pk, legemiddel.pk])
    assert [c.pk for c in choices] == [need.pk, alarms.pk]
    # Without the answering product, the order is by title.
    assert [c.pk for c in selectors.fit_need_choices(user=None, product_ids=[kognitiv.pk])] == [alarms.pk, need.pk]


def test_a_member_is_offered_the_organisation_s_own_needs_on_the_comparison(
    client: Client, need, admin, kognitiv, legemiddel
):
    """The comparison page asks a member's need choices apart from the visitor's (STO-4): the organisation's
    own unpublished need is offered to its admin beside the published one, and never to a visitor."""
    from tests.conftest import login

    draft = make_need(admin, title="Vår egen kladd", desired_declaration={"innforing": {"training": "Ja."}})
    text = login(admin).get(compare_url(kognitiv, legemiddel)).content.decode()
    picker = text[text.index('id="need-pick"'):]
    picker = picker[: picker.index("</select>")]
    assert f'<option value="{draft.pk}">Vår egen kladd' in picker
    assert f'<option value="{need.pk}">' in picker
    assert "Vår egen kladd" not in client.get(compare_url(kognitiv, legemiddel)).content.decode()
