"""Butikken follows Verifikasjon through the hooks its services call (no model signals): walk the real
verification services — approve, rename, re-verify, withdraw — and look at the store as a visitor does.
Each step is preceded by a search, so that a step the store did not follow shows up as a stale result."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from store.selectors import catalogue as selectors
from tests.verification.products.factories import listed_product, run_again
from tests.verification.sandbox import Sandbox
from verification.models import Listing, VerificationRun
from verification.services import listing as listing_services
from verification.services import products as product_services
from verification.services import runs as run_services

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as server:
        yield server


@pytest.fixture(autouse=True)
def _outbound(settings):
    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_TIMEOUT_SECONDS = 1.5


@pytest.fixture
def product(seller, vendor, operator_admin, sandbox):
    """Kartleggeren Kognitiv, verified and approved through Verifikasjon's services."""
    return listed_product(seller, vendor, operator_admin, endpoints=sandbox.endpoints())


def found(text: str) -> list[str]:
    return [card.name for card in selectors.store_search(QueryDict(f"q={text}")).page.object_list]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_approved_product_is_in_the_store_and_a_withdrawn_one_is_gone(client: Client, product, seller):
    assert found("kognitiv") == ["Kartleggeren Kognitiv"]
    assert client.get(reverse("store:listing", args=[product.pk])).status_code == 200

    listing_services.listing_withdraw(actor=seller, listing_id=product.listing.pk, reason="Produktet fases ut.")
    assert found("kognitiv") == []
    assert "Kartleggeren Kognitiv" not in text_of(client.get(reverse("store:search")))
    assert client.get(reverse("store:listing", args=[product.pk])).status_code == 404


def test_renaming_a_product_and_changing_its_areas_reach_the_store(product, seller, areas):
    assert found("kognio") == [] and found("kognitiv") == ["Kartleggeren Kognitiv"]
    assert selectors.store_search(QueryDict("service_area=legevakt")).page.object_list == []
    product_services.product_update(
        actor=seller, product_id=product.pk, name="Kognio", service_areas=[areas["legevakt"]]
    )
    assert found("kognio") == ["Kognio"]
    legevakt = selectors.store_search(QueryDict("service_area=legevakt")).page.object_list
    assert [card.name for card in legevakt] == ["Kognio"]


def test_a_regression_marks_the_listing_under_utbedring_in_the_store_and_a_pass_clears_it(
    client: Client, product, seller, sandbox, settings
):
    listing = product.listing
    search, page = reverse("store:search"), reverse("store:listing", args=[product.pk])
    assert "Under utbedring" not in text_of(client.get(search))
    Listing.objects.filter(pk=listing.pk).update(
        last_verified_at=timezone.now() - timedelta(days=settings.REVERIFY_INTERVAL_DAYS + 1)
    )
    product_services.product_update(actor=seller, product_id=product.pk, **sandbox.endpoints("invalid-bundle"))
    assert run_services.listings_reverify() == 1
    run = VerificationRun.objects.filter(version=listing.version).latest("created_at")
    assert run_services.run_execute(run_id=run.pk) == VerificationRun.Status.FAILED

    assert "Under utbedring" in text_of(client.get(search))
    assert "Under utbedring" in text_of(client.get(page))

    product_services.product_update(actor=seller, product_id=product.pk, **sandbox.endpoints("ok"))
    assert run_again(listing.version, seller).status == VerificationRun.Status.PASSED
    assert "Under utbedring" not in text_of(client.get(search))
    assert "Under utbedring" not in text_of(client.get(page))
