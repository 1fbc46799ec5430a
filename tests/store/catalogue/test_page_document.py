"""The listing page reads its product from the store entry's page document (store.page), kept by the same
hooks as the search document (STO-2). What a vendor changes through Verifikasjon's services reaches the page;
a document that is missing or was built from another version is never shown (the page builds a fresh one,
and store_entries_sync writes it); and the page costs the same few queries whatever the product."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from store.index import new_generation
from store.models import StoreEntry
from store.page import FORMAT
from store.services.catalogue import store_entries_sync
from tests.store.catalogue.test_follows_verification import _outbound, product, sandbox  # noqa: F401
from tests.verification.products.factories import listed_product
from verification.models import Qualification
from verification.services import products as product_services
from verification.services.qualification import qualification_expire

pytestmark = pytest.mark.django_db


def page_text(client: Client, product_id: int) -> str:
    response = client.get(reverse("store:listing", args=[product_id]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_details_the_vendor_changes_reach_the_listing_page(client: Client, product, seller):
    before = page_text(client, product.pk)
    assert "Per bruker per måned" not in before

    product_services.product_update(
        actor=seller,
        product_id=product.pk,
        price_model="Per bruker per måned, minst 20 brukere.",
        website="https://kognitiv.example/ny",
    )
    after = page_text(client, product.pk)
    assert "Per bruker per måned, minst 20 brukere." in after
    assert 'href="https://kognitiv.example/ny"' in after

    product_services.product_update(
        actor=seller, product_id=product.pk, description="Ny beskrivelse av kartleggingen."
    )
    assert "Ny beskrivelse av kartleggingen." in page_text(client, product.pk)


def main_of(client: Client, product_id: int) -> str:
    """The page's main content, without the per-request CSRF token."""
    main = re.search(r"<main.*</main>", page_text(client, product_id)).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def test_a_missing_page_document_is_built_for_the_page_and_written_by_the_sync(client: Client, product):
    expected = main_of(client, product.pk)
    assert "Kartleggeren Kognitiv" in expected
    StoreEntry.objects.filter(product_id=product.pk).update(page={})

    assert main_of(client, product.pk) == expected  # built in memory: nothing stale, nothing missing
    assert store_entries_sync() == 1
    entry = StoreEntry.objects.get(product_id=product.pk)
    assert entry.page["format"] == FORMAT and entry.page["version"]["id"] == product.listing.version_id
    assert main_of(client, product.pk) == expected
    assert store_entries_sync() == 0  # nothing left to repair


def test_a_page_document_of_another_version_is_never_shown(client: Client, product):
    entry = StoreEntry.objects.get(product_id=product.pk)
    stale = {**entry.page, "version": {"id": -1, "number": 99}, "product": {**entry.page["product"], "name": "Gammel"}}
    StoreEntry.objects.filter(pk=entry.pk).update(page=stale)

    text = page_text(client, product.pk)
    assert "Gammel" not in text and "Kartleggeren Kognitiv" in text
    assert "Version 99" not in text and "Versjon 99" not in text


def test_the_listing_page_costs_one_query_for_an_anonymous_visitor(
    client: Client, product, django_assert_num_queries
):
    page_text(client, product.pk)  # the compiled reads are compiled on this connection
    # The entry's row, with the vendor's latest qualification; the service areas are read once per store
    # generation; nothing per document, area or need.
    with django_assert_num_queries(1):
        page_text(client, product.pk)


def test_the_service_areas_are_read_again_in_a_new_generation_of_the_store(
    client: Client, product, django_assert_num_queries
):
    page_text(client, product.pk)
    new_generation()
    with django_assert_num_queries(2):  # the row, and the service areas of the new generation
        page_text(client, product.pk)
    with django_assert_num_queries(1):
        page_text(client, product.pk)


def test_the_vendors_qualification_is_read_live_with_the_row(
    client: Client, product, seller, operator_admin, sandbox  # noqa: F811
):
    other = listed_product(seller, product.vendor, operator_admin, endpoints=sandbox.endpoints(), name="Annen app")
    compare_url = reverse("store:compare") + f"?produkt={product.pk}&produkt={other.pk}"
    assert "Kvalifisert" in page_text(client, product.pk)
    assert "gjelder ikke lenger" not in page_text(client, product.pk)

    qualification = Qualification.objects.get(organisation=product.vendor, status=Qualification.Status.ACTIVE)
    assert qualification_expire(qualification_id=qualification.pk, today=qualification.expires_on)

    listing = page_text(client, product.pk)
    assert "gjelder ikke lenger" in listing and "Kvalifisering utløpt" in listing
    compared = client.get(compare_url).content.decode()
    assert compared.count("Kvalifisering utløpt") == 2  # the badge beside each product's vendor
