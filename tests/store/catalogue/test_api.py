"""The store API (X-6): public read of listings with the screens' filters and search, facets, compare and fit;
the adoption workflow and shortlists for members, with the same permissions as the screens."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from store.models import Adoption, Shortlist

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
        client.credentials(HTTP_X_ORGANISATION=str(user.acting_organisation.pk))
    return client


def test_listings_are_public_with_filters_search_and_sorting(kognitiv, legemiddel, fastlege_app):
    client = api()
    data = client.get(reverse("store-listing-list"), {"national_solutions": "Kjernejournal"}).json()
    assert [r["name"] for r in data["results"]] == ["Omsorgsdata Legemiddel"]
    assert data["results"][0]["vendor"]["name"] == "Omsorgsdata AS"
    data = client.get(reverse("store-listing-list"), {"q": "kognitiv"}).json()
    assert data["count"] == 1 and data["results"][0]["id"] == kognitiv.pk
    data = client.get(reverse("store-listing-list"), {"sort": "name", "category": "fastlege"}).json()
    assert [r["name"] for r in data["results"]] == ["Kartleggeren Fysio"]


def test_unknown_filter_values_are_ignored_and_named(kognitiv):
    response = api().get(reverse("store-listing-list"), {"national_solutions": "Tull", "sort": "x"})
    assert response.status_code == 200 and response.json()["count"] == 1
    assert "national_solutions=Tull" in response["X-Ignored-Filters"]


def test_listing_detail_facets_compare_and_fit(kognitiv, legemiddel):
    client = api()
    detail = client.get(reverse("store-listing-detail", args=[kognitiv.pk])).json()
    assert detail["declaration"]["informasjon"]["national_solutions"] == ["HelseID", "Helsenorge"]
    assert detail["declaration_version"] == 1 and detail["report_url"]
    assert client.get(reverse("store-listing-detail", args=[123456])).status_code == 404
    facets = client.get(reverse("store-listing-facets"), {"service_area": "hjemmetjenester"}).json()
    assert facets["total"] == 2
    national = next(g for g in facets["groups"] if g["param"] == "national_solutions")
    assert {o["value"]: o["count"] for o in national["options"]}["HelseID"] == 2
    compared = client.get(reverse("store-listing-compare"), {"product": [kognitiv.pk, legemiddel.pk]})
    assert compared.status_code == 200 and any(r["differs"] for r in compared.json()["rows"])
    assert client.get(reverse("store-listing-compare"), {"product": [kognitiv.pk]}).status_code == 400
    assert client.get(reverse("store-listing-fit"), {"product": [kognitiv.pk]}).status_code == 400


def test_adoption_workflow_through_the_api(admin, seller, kognitiv):
    created = api(admin).post(
        reverse("store-adoption-list"), {"product": kognitiv.pk, "message": "Hei"}, format="json"
    )
    assert created.status_code == 201, created.content
    adoption_id = created.json()["id"]
    again = api(admin).post(reverse("store-adoption-list"), {"product": kognitiv.pk}, format="json")
    assert again.status_code == 409
    accepted = api(seller).post(
        reverse("store-adoption-accept", args=[adoption_id]),
        {"start_date": timezone.localdate().isoformat()},
        format="json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    twice = api(seller).post(
        reverse("store-adoption-accept", args=[adoption_id]),
        {"start_date": timezone.localdate().isoformat()},
        format="json",
    )
    assert twice.status_code == 409
    mine = api(admin).get(reverse("store-adoption-list"), {"role": "customer"}).json()
    assert [a["id"] for a in mine["results"]] == [adoption_id]


def test_adoption_api_refusals(admin, member, seller, other_seller, bodo_admin, kognitiv):
    assert api().get(reverse("store-adoption-list")).status_code in (401, 403)
    assert (
        api(member).post(reverse("store-adoption-list"), {"product": kognitiv.pk}, format="json").status_code
        == 403
    )
    assert (
        api(seller).post(reverse("store-adoption-list"), {"product": kognitiv.pk}, format="json").status_code
        == 403
    )
    bad = api(admin).post(
        reverse("store-adoption-list"), {"product": kognitiv.pk, "wanted_start": "2001-01-01"}, format="json"
    )
    assert bad.status_code == 400 and "wanted_start" in bad.json()
    assert api(admin).post(reverse("store-adoption-list"), {"product": "x"}, format="json").status_code == 400
    adoption = api(admin).post(reverse("store-adoption-list"), {"product": kognitiv.pk}, format="json").json()
    assert (
        api(other_seller)
        .post(reverse("store-adoption-decline", args=[adoption["id"]]), {"reason": "Nei"}, format="json")
        .status_code
        == 404
    )
    assert api(bodo_admin).get(reverse("store-adoption-detail", args=[adoption["id"]])).status_code == 404
    assert (
        api(seller)
        .post(reverse("store-adoption-decline", args=[adoption["id"]]), {}, format="json")
        .status_code
        == 400
    )
    assert Adoption.objects.get().status == Adoption.Status.REQUESTED


def test_shortlists_through_the_api(member, bodo_admin, kognitiv, legemiddel):
    created = api(member).post(
        reverse("store-shortlist-list"),
        {
            "name": "Liste",
            "products": [kognitiv.pk],
            "search_query": "q=kart",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    shortlist_id = created.json()["id"]
    added = api(member).post(
        reverse("store-shortlist-add-product", args=[shortlist_id]), {"product": legemiddel.pk}, format="json"
    )
    assert sorted(added.json()["products"]) == sorted([kognitiv.pk, legemiddel.pk])
    assert api(bodo_admin).get(reverse("store-shortlist-detail", args=[shortlist_id])).status_code == 404
    assert api(bodo_admin).delete(reverse("store-shortlist-detail", args=[shortlist_id])).status_code == 404
    assert api(member).delete(reverse("store-shortlist-detail", args=[shortlist_id])).status_code == 204
    assert not Shortlist.objects.exists()


def test_a_listing_the_api_kept_follows_a_change_to_the_store(kognitiv, legemiddel):
    """The API keeps each listing's representation per store generation: a change is seen at once."""
    from store.services.catalogue import store_entry_set_rating

    client = api()
    first = client.get(reverse("store-listing-list"), {"sort": "name"}).json()["results"]
    assert [(r["name"], r["rating_count"]) for r in first] == [
        ("Kartleggeren Kognitiv", 0), ("Omsorgsdata Legemiddel", 0)
    ]
    store_entry_set_rating(product_id=kognitiv.pk, average=4, count=2)
    again = client.get(reverse("store-listing-list"), {"sort": "name", "page": 1}).json()["results"]
    assert [(r["name"], r["rating_count"]) for r in again] == [
        ("Kartleggeren Kognitiv", 2), ("Omsorgsdata Legemiddel", 0)
    ]
    assert again[0]["rating_average"] == "4.00" and again[1] == first[1]
