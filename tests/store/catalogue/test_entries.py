"""The store's read model: entries follow Verifikasjon's listings and products (through the hooks its
services call; here written as Verifikasjon's result plus the hook, the real services are walked in
test_follows_verification.py), and the APIs that Erfaringsarena (ratings) and Felleskjøp (the "felleskjøpt"
agreement period) call keep the denormalised figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from marketplace.errors import NotFound
from store.models import StoreEntry, StoreFacet
from store.selectors import catalogue as selectors
from store.services import catalogue as services
from verification import hooks
from verification.models import DeclarationVersion, Listing

from .factories import declaration, listed

pytestmark = pytest.mark.django_db


def facets(product) -> set[tuple[str, str]]:
    return set(StoreFacet.objects.filter(entry__product=product).values_list("kind", "value"))


def found(text: str) -> list[str]:
    return [card.name for card in selectors.store_search(QueryDict(f"q={text}")).page.object_list]


def test_a_new_listing_gets_an_entry_with_its_facets(kognitiv, vendor):
    entry = StoreEntry.objects.get(product=kognitiv)
    assert entry.listing == kognitiv.listing and entry.indexed_version == kognitiv.listing.version
    assert {
        ("informasjon.national_solutions", "Helsenorge"),
        ("category", "kommunale-helsetjenester"),
        ("service_area", "hjemmetjenester"),
        ("vendor", str(vendor.pk)),
        ("informasjon.data_location", "norway"),
        ("informasjon.fhir_resources", "Patient"),
        ("informasjon.terminologies", "SNOMED CT"),
    } <= facets(kognitiv)


def test_a_newly_approved_version_replaces_the_search_document(kognitiv):
    listing = kognitiv.listing
    listing.version.status = DeclarationVersion.Status.SUPERSEDED
    listing.version.save(update_fields=["status"])
    newer = DeclarationVersion.objects.create(
        product=kognitiv,
        number=2,
        status=DeclarationVersion.Status.LISTED,
        frozen_at=timezone.now(),
        content=declaration(national_solutions=["Kjernejournal"], processor="Ny databehandler: Skyfri AS."),
    )
    listing.version = newer
    listing.save(update_fields=["version", "updated_at"])
    hooks.listing_changed(product_id=kognitiv.pk, fields=["version"])
    assert ("informasjon.national_solutions", "Kjernejournal") in facets(kognitiv)
    assert ("informasjon.national_solutions", "Helsenorge") not in facets(kognitiv)
    assert found("skyfri") == ["Kartleggeren Kognitiv"]


def test_renaming_a_product_or_changing_its_areas_updates_the_entry(kognitiv, areas):
    kognitiv.name = "Kognio"
    kognitiv.save()
    hooks.product_changed(product_id=kognitiv.pk, fields=["name"])
    assert found("kognio") == ["Kognio"]
    kognitiv.service_areas.add(areas["legevakt"])
    hooks.product_changed(product_id=kognitiv.pk, fields=["service_areas"])
    assert ("service_area", "legevakt") in facets(kognitiv)


def test_product_changes_the_store_does_not_show_do_not_rebuild(kognitiv, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        hooks.product_changed(product_id=kognitiv.pk, fields=["fhir_base_url", "oidc_issuer"])


def test_unrelated_listing_updates_do_not_rebuild(kognitiv, django_assert_max_num_queries):
    listing = kognitiv.listing
    listing.last_verified_at = timezone.now()
    with django_assert_max_num_queries(1):
        listing.save(update_fields=["last_verified_at"])
        hooks.listing_changed(product_id=kognitiv.pk, fields=["last_verified_at"])


def test_the_store_follows_once_however_often_it_registers(kognitiv, monkeypatch):
    apps.get_app_config("store").ready()  # a second ready() (autoreload, tests) registers by the same key
    rebuilt = []
    monkeypatch.setattr(services, "store_entries_rebuild", lambda **kwargs: rebuilt.append(kwargs["product_ids"]))
    hooks.listing_changed(product_id=kognitiv.pk, fields=["status"])
    assert rebuilt == [[kognitiv.pk]]


def test_sync_repairs_missing_and_stale_entries(kognitiv, legemiddel):
    StoreEntry.objects.filter(product=kognitiv).delete()
    assert found("kognitiv") == []
    assert services.store_entries_sync() == 1
    assert found("kognitiv") == ["Kartleggeren Kognitiv"]
    assert services.store_entries_sync() == 0


def test_rating_api_for_erfaringsarena(kognitiv):
    entry = services.store_entry_set_rating(product_id=kognitiv.pk, average=Decimal("4.333"), count=3)
    assert entry.rating_average == Decimal("4.33") and entry.rating_count == 3
    entry = services.store_entry_set_rating(product_id=kognitiv.pk, average=None, count=0)
    assert entry.rating_average is None and entry.rating_count == 0
    for average, count in ((6, 1), (0.5, 2), (None, 2), ("tull", 1), (4, -1)):
        with pytest.raises(ValidationError):
            services.store_entry_set_rating(product_id=kognitiv.pk, average=average, count=count)
    with pytest.raises(NotFound):
        services.store_entry_set_rating(product_id=987654, average=4, count=1)


def test_procured_api_for_felleskjop(kognitiv):
    until = timezone.localdate() + timedelta(days=365)
    entry = services.store_entry_set_procured(
        product_id=kognitiv.pk,
        agreement_until=until,
        label="Felleskjøp kognitiv kartlegging",
        url="/butikken/felleskjop/3/",
    )
    assert entry.is_procured and entry.procurement_url == "/butikken/felleskjop/3/"
    entry = services.store_entry_set_procured(
        product_id=kognitiv.pk, agreement_until=until, url="https://evil.example/"
    )
    assert entry.procurement_url == ""  # only local links
    entry = services.store_entry_set_procured(product_id=kognitiv.pk, agreement_until=None)
    assert not entry.is_procured and entry.procured_until is None
    with pytest.raises(ValidationError):
        services.store_entry_set_procured(product_id=kognitiv.pk, agreement_until="2030-01-01")


def test_a_store_problem_never_breaks_a_verification_step(kognitiv, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the store is down")

    monkeypatch.setattr(services, "store_entries_rebuild", broken)
    listing = Listing.objects.get(product=kognitiv)
    listing.status = Listing.Status.UNDER_REMEDIATION
    listing.save(update_fields=["status", "updated_at"])
    hooks.listing_changed(product_id=kognitiv.pk, fields=["status"])  # no exception reaches the caller
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.UNDER_REMEDIATION


def test_search_document_is_norwegian_and_weighted(vendor, seller, areas):
    product = listed(vendor, "Dokumentet", content=declaration(data_location="eea"))
    entry = StoreEntry.objects.get(product=product)
    assert entry.search_a == "dokumentet"
    assert "eu/e" in entry.search_c  # the label of the code ("EU/EØS"), not only the code
    assert "kartleggeren as" in entry.search_d or "kartleggeren" in entry.search_d
