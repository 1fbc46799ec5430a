"""The store's pages are rendered once per store version and reused (STO-1, STO-3, speed): what a visitor sees
must still follow every change to the store at once, and differ by language and compare tray."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from .factories import listed, withdraw

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_front_page_shows_a_newly_listed_product_at_once(client: Client, kognitiv, legemiddel, vendor):
    before = text_of(client.get(reverse("store:home")))
    assert "Nyheten" not in before and "Kommunale helsetjenester (2)" in before

    listed(vendor, "Nyheten", areas=[kognitiv.service_areas.first()])

    after = text_of(client.get(reverse("store:home")))
    assert "Nyheten" in after and "Kommunale helsetjenester (3)" in after


def test_front_page_drops_a_withdrawn_product_at_once(client: Client, kognitiv, legemiddel):
    assert kognitiv.name in text_of(client.get(reverse("store:home")))
    withdraw(kognitiv)
    assert kognitiv.name not in text_of(client.get(reverse("store:home")))


def test_front_page_follows_the_language(client: Client, kognitiv):
    norwegian = text_of(client.get(reverse("store:home")))
    assert "verifisert for bruk i økosystemet" in norwegian and "1 applikasjon" in norwegian
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = text_of(client.get(reverse("store:home")))
    assert "verified for use in the ecosystem" in english and "1 application" in english
    assert "verifisert for bruk" not in english


def test_front_page_ticks_what_the_visitor_put_in_the_compare_tray(client: Client, kognitiv, legemiddel):
    other = Client()
    assert " checked" not in text_of(other.get(reverse("store:home")))  # remembered without a tray
    client.post(reverse("store:tray"), {"add": kognitiv.pk})
    mine = text_of(client.get(reverse("store:home")))
    assert re.search(rf'value="{kognitiv.pk}" id="cmp-[^"]+" form="compare-form" checked', mine)
    assert " checked" not in text_of(other.get(reverse("store:home")))


def test_repeated_search_finds_a_product_listed_in_between(client: Client, kognitiv, legemiddel, vendor):
    url = reverse("store:search") + "?q=kartlegging"
    assert "Kartlegging Pluss" not in text_of(client.get(url))
    listed(vendor, "Kartlegging Pluss", areas=[kognitiv.service_areas.first()])
    assert "Kartlegging Pluss" in text_of(client.get(url))


def test_repeated_search_costs_no_query(client: Client, kognitiv, legemiddel, django_assert_num_queries):
    url = reverse("store:search") + "?q=kartlegging&sort=name"
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert _results(again) == _results(first) and "Kartleggeren Kognitiv" in _results(again)


def _results(response) -> str:
    """The search page without the per-request CSRF token of the layout."""
    text = response.content.decode()
    return text[text.index('id="store-search"') :]


def test_remembered_search_keeps_its_own_pagination_links(client: Client, kognitiv, legemiddel):
    """Fragments are kept per URL as asked: parameters of one visitor never leak into another's links."""
    client.get(reverse("store:search") + "?q=kartlegging&national_solutions=finnes-ikke")
    plain = text_of(client.get(reverse("store:search") + "?q=kartlegging"))
    assert "finnes-ikke" not in plain


def test_api_list_follows_a_withdrawal_at_once(client: Client, kognitiv, legemiddel):
    url = reverse("store-listing-list")
    names = [row["name"] for row in client.get(url).json()["results"]]
    assert kognitiv.name in names
    withdraw(kognitiv)
    assert kognitiv.name not in [row["name"] for row in client.get(url).json()["results"]]


@pytest.mark.parametrize("category", ["<script>alert(1)</script>", "x" * 500, "finnes-ikke", "Ø"])
def test_front_page_ignores_a_category_that_does_not_exist(client: Client, kognitiv, category):
    """Bad input never becomes a cache key of its own or an error: the first category is shown."""
    response = client.get(reverse("store:home"), {"category": category})
    text = text_of(response)
    assert response.status_code == 200
    assert 'aria-current="page">Kommunale helsetjenester (1)' in text and "<script>alert" not in text


def test_search_results_tick_what_the_visitor_put_in_the_compare_tray(client: Client, kognitiv, legemiddel):
    url = reverse("store:search") + "?sort=name"
    other = Client()
    assert "compare-form\" checked" not in text_of(other.get(url))
    client.post(reverse("store:tray"), {"add": legemiddel.pk})
    mine = text_of(client.get(url))
    assert f'value="{legemiddel.pk}" id="compare-{legemiddel.pk}" form="compare-form" checked' in mine
    assert f'value="{kognitiv.pk}" id="compare-{kognitiv.pk}" form="compare-form">' in mine
    assert 'form="compare-form" checked' not in text_of(other.get(url))
    assert f'<span class="ds-sr-only"> {legemiddel.name}</span>' in mine
