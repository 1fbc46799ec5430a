"""Search and filters (STO-3): free text with relevance, filters generated from the declaration schema, facet
counts, sorting, shareable URLs; unknown filter values and malformed queries never fail."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from store.selectors import catalogue as selectors
from store.services import catalogue as services
from verification.models import Listing

from .factories import declaration, listed, withdraw

pytestmark = pytest.mark.django_db


def names(params: str) -> list[str]:
    result = selectors.store_search(QueryDict(params))
    return [card.name for card in result.page.object_list]


def test_name_match_ranks_above_a_declaration_mention(vendor, seller, areas):
    """STO-3: a product whose name matches ranks above one whose declaration mentions the word."""
    listed(
        vendor,
        "Tildel Vedtak",
        short="Regelstøttet saksbehandling.",
        content=declaration(processor="Drift hos leverandøren. Integrerer med kartlegging fra EPJ."),
    )
    listed(vendor, "Kartlegging Pluss", short="Digitale skjemaer.")
    assert names("q=kartlegging") == ["Kartlegging Pluss", "Tildel Vedtak"]


def test_only_name_and_short_description_matches_are_ranked_the_rest_follow_in_order(vendor, seller, areas):
    """PostgreSQL ranks only a name or short description match; the other matches come after it (by use, then
    name), whether the page reads the first of them or the last."""
    from django.conf import settings

    from store.search import text_ranks

    mention = declaration(processor="Integrerer med kartlegging fra EPJ.")
    travel = listed(vendor, "Travel App", content=mention)
    quiet = listed(vendor, "Stille App", content=mention)
    named = listed(vendor, "Kartlegging Pluss", short="Digitale skjemaer.")
    entry_of = {e.product_id: e.pk for e in selectors.active_entries()}
    match = text_ranks("kartlegging")
    assert sorted(match.ids) == sorted(entry_of[p.pk] for p in (travel, quiet, named))
    if settings.IS_POSTGRES:
        assert list(match.ranks) == [entry_of[named.pk]] and match.ranks[entry_of[named.pk]] > 0
    assert names("q=kartlegging") == ["Kartlegging Pluss", "Stille App", "Travel App"]
    for page, name in enumerate(["Kartlegging Pluss", "Stille App", "Travel App"], start=1):
        result = selectors.store_search(QueryDict("q=kartlegging"), per_page=1, page=page)
        assert [card.name for card in result.page.object_list] == [name] and result.total == 3


def test_search_matches_word_beginnings_names_descriptions_and_declarations(kognitiv, legemiddel):
    assert names("q=kognit") == ["Kartleggeren Kognitiv"]
    assert names("q=legemiddelhåndtering") == ["Omsorgsdata Legemiddel"]
    assert names("q=Kjernejournal") == ["Omsorgsdata Legemiddel"]  # only in the declaration
    assert names("q=kognitiv nettbrett") == ["Kartleggeren Kognitiv"]  # every word must match
    assert names("q=finnesikke") == []


@pytest.mark.parametrize(
    "text",
    [
        '"unterminated',
        "&|!():*<->",
        "a & | b",
        "\x00kart\x00",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "-",
        "or or or",
        "x" * 5000,
        "kart:* & !leg",
        "\\",
        "%_%",
        "ÆØÅ æøå",
        "🙂",
    ],
)
def test_malformed_queries_never_fail(client: Client, kognitiv, text):
    """STO-3, X-7: any input is a search (possibly with no results), never a server error."""
    response = client.get(reverse("store:search"), {"q": text})
    assert response.status_code == 200
    response = client.get(reverse("store-listing-list"), {"q": text})
    if "\x00" in text:  # the API refuses NUL characters at the field, as every API field does
        assert response.status_code == 400 and "q" in response.json()
    else:
        assert response.status_code == 200


def test_filters_from_the_declaration_schema(kognitiv, legemiddel, fastlege_app):
    assert names("national_solutions=HelseID") == ["Kartleggeren Kognitiv", "Omsorgsdata Legemiddel"]
    # Capabilities combine with "and": both must be integrated.
    assert names("national_solutions=HelseID&national_solutions=Kjernejournal") == ["Omsorgsdata Legemiddel"]
    assert names("fhir_resources=ServiceRequest") == ["Kartleggeren Fysio"]
    assert names("terminologies=ICD-10") == ["Omsorgsdata Legemiddel"]
    # Data location is one value: "or" between the chosen ones.
    assert names("data_location=eea") == ["Omsorgsdata Legemiddel"]
    assert names("data_location=eea,norway") == [
        "Kartleggeren Fysio",
        "Kartleggeren Kognitiv",
        "Omsorgsdata Legemiddel",
    ]


def test_filters_by_category_service_area_and_vendor(kognitiv, legemiddel, fastlege_app, vendor):
    assert names("category=fastlege") == ["Kartleggeren Fysio"]
    assert names("service_area=hjemmetjenester") == ["Kartleggeren Kognitiv", "Omsorgsdata Legemiddel"]
    assert names(f"vendor={vendor.pk}") == ["Kartleggeren Fysio", "Kartleggeren Kognitiv"]
    assert names(f"vendor={vendor.pk}&service_area=hjemmetjenester&q=kognitiv") == ["Kartleggeren Kognitiv"]


def test_felleskjopt_and_rating_filters(kognitiv, legemiddel, fastlege_app):
    from datetime import timedelta

    from django.utils import timezone

    services.store_entry_set_procured(
        product_id=legemiddel.pk, agreement_until=timezone.localdate() + timedelta(days=300)
    )
    services.store_entry_set_procured(
        product_id=fastlege_app.pk, agreement_until=timezone.localdate() - timedelta(days=1)
    )
    services.store_entry_set_rating(product_id=kognitiv.pk, average=4.5, count=2)
    services.store_entry_set_rating(product_id=legemiddel.pk, average=3, count=1)
    assert names("procured=1") == ["Omsorgsdata Legemiddel"]  # an agreement that ended does not count
    assert names("min_rating=4") == ["Kartleggeren Kognitiv"]
    assert names("min_rating=3") == ["Kartleggeren Kognitiv", "Omsorgsdata Legemiddel"]


def test_facet_counts_follow_the_results(kognitiv, legemiddel, fastlege_app):
    result = selectors.store_search(QueryDict("service_area=hjemmetjenester"))
    groups = {g.param: {o.value: o.count for o in g.options} for g in result.groups}
    assert result.total == 2
    assert groups["national_solutions"] == {
        "HelseID": 2,
        "Helsenorge": 1,
        "Kjernejournal": 1,
        "e-resept": 1,
        "PLL": 1,
    }
    assert groups["data_location"] == {"norway": 1, "eea": 1}
    assert groups["category"] == {"kommunale-helsetjenester": 2}
    assert "ServiceRequest" not in groups["fhir_resources"]


def test_sorting_by_name_newest_and_most_used(vendor, seller, areas):
    old = listed(vendor, "Alfa", listed_days_ago=100)
    new = listed(vendor, "Beta", listed_days_ago=1)
    used = listed(vendor, "Gamma", listed_days_ago=50)
    services._recount_usage(product_ids=None)
    from store.models import StoreEntry

    StoreEntry.objects.filter(product=used).update(usage_count=5)
    StoreEntry.objects.filter(product=old).update(usage_count=2)
    assert names("sort=name") == ["Alfa", "Beta", "Gamma"]
    assert names("sort=newest") == ["Beta", "Gamma", "Alfa"]
    assert names("sort=most_used") == ["Gamma", "Alfa", "Beta"]
    assert new.pk


def test_unknown_filter_values_are_ignored_with_a_visible_message(client: Client, kognitiv, legemiddel):
    """STO-3: a filter value that does not exist is ignored with a message, never a server error."""
    response = client.get(
        reverse("store:search"),
        {
            "national_solutions": ["HelseID", "Finnesikke"],
            "category": "tull",
            "vendor": ["abc", "999999"],
            "min_rating": "9",
            "sort": "random",
            "procured": "kanskje",
            "fhir_resources": "NotAResource",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "national_solutions=Finnesikke" in text
    assert "category=tull" in text
    assert "sort=random" in text
    assert "2 produkter" in text  # the known filter still applies: both integrate HelseID
    assert "Noen filterverdier er ukjente" in text


def test_only_active_listings_are_searched_and_remediation_is_marked(client: Client, vendor, seller, areas):
    shown = listed(vendor, "Synlig")
    marked = listed(vendor, "Merket", status=Listing.Status.UNDER_REMEDIATION)
    gone = listed(vendor, "Borte")
    withdraw(gone)
    assert names("") == ["Merket", "Synlig"]
    response = client.get(reverse("store:search"))
    text = response.content.decode()
    assert "Borte" not in text and "Merket" in text and "Under utbedring" in text
    assert shown.pk and marked.pk


def test_search_url_is_shareable_and_canonical(kognitiv):
    query = selectors.parse_store_query(QueryDict("sort=name&q=kart&national_solutions=HelseID&tull=1"))
    assert query.querystring() == "q=kart&national_solutions=HelseID&sort=name"
    again = selectors.parse_store_query(QueryDict(query.querystring()))
    assert again.querystring() == query.querystring()


def test_search_page_renders_filters_results_and_export(client: Client, kognitiv, legemiddel):
    response = client.get(reverse("store:search"), {"national_solutions": "Kjernejournal"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Omsorgsdata Legemiddel" in text and "Kartleggeren Kognitiv" not in text
    assert 'name="national_solutions" value="Kjernejournal" checked' in text
    csv = client.get(reverse("store:search_csv"), {"national_solutions": "Kjernejournal"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "Omsorgsdata Legemiddel" in body and "Kartleggeren Kognitiv" not in body


def test_htmx_search_returns_the_results_fragment(client: Client, kognitiv):
    response = client.get(reverse("store:search"), {"q": "kognitiv"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<div id="store-search"') and "<html" not in text
