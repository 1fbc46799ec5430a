"""Speed: every store page and API list costs a fixed number of queries whatever the number of listings.
Each page is measured with 4 listings and again with 14, against the same bound. Each measured request is the
first after the store changed, so the bounds include rebuilding the facet index (two queries)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from store.models import Adoption
from store.services import catalogue as services
from tests.conftest import login

from .factories import declaration, listed

pytestmark = pytest.mark.django_db

NATIONAL = ["HelseID", "Kjernejournal", "Helsenorge", "e-resept"]


@pytest.fixture
def grow(vendor, other_vendor, seller, other_seller, areas, admin, bodo_admin):
    """Add `n` more listings, each in two areas, with adoptions, ratings and an agreement here and there."""
    made = []

    def add(n: int):
        start = len(made)
        for i in range(start, start + n):
            owner = vendor if i % 2 else other_vendor
            product = listed(
                owner,
                f"Produkt {i:02d} kartlegging",
                areas=[areas["hjemmetjenester"], areas["legevakt"]],
                content=declaration(
                    national_solutions=NATIONAL[: 1 + i % 4],
                    fhir_resources={"Patient": ["read"], f"{['Observation', 'Task'][i % 2]}": ["read"]},
                ),
            )
            made.append(product)
            if i % 3 == 0:
                adoption = services.adoption_request(
                    actor=admin, organisation=admin.acting_organisation, product_id=product.pk
                )
                seller_actor = seller if owner == vendor else other_seller
                services.adoption_accept(
                    actor=seller_actor, adoption_id=adoption.pk, start_date=timezone.localdate()
                )
            if i % 4 == 0:
                services.store_entry_set_rating(product_id=product.pk, average=4, count=2)
        cache.clear()
        return made

    return add


PAGES = {
    "home": (lambda made: reverse("store:home"), 5),
    "search": (lambda made: reverse("store:search"), 8),
    "search-text": (lambda made: reverse("store:search") + "?q=kartlegging&sort=relevance", 9),
    "search-filtered": (
        lambda made: (
            reverse("store:search") + "?national_solutions=HelseID&fhir_resources=Patient"
            "&service_area=legevakt&category=kommunale-helsetjenester&min_rating=1&sort=most_used"
        ),
        8,
    ),
    # The store's own 8, plus the sections Erfaringsarena and Felleskjøp plug in (fixed too).
    "listing": (lambda made: reverse("store:listing", args=[made[0].pk]), 14),
    "compare-4": (
        lambda made: reverse("store:compare") + "?" + "&".join(f"produkt={p.pk}" for p in made[:4]),
        6,
    ),
    "api-list": (lambda made: reverse("store-listing-list") + "?q=kartlegging&national_solutions=HelseID", 7),
    "api-facets": (lambda made: reverse("store-listing-facets") + "?service_area=legevakt", 8),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_anonymous_pages_cost_a_fixed_number_of_queries(client, grow, name, django_assert_max_num_queries):
    url, bound = PAGES[name]
    for size in (4, 10):
        made = grow(size)
        target = url(made)
        with django_assert_max_num_queries(bound):
            response = client.get(target)
        assert response.status_code == 200, (name, response.status_code)


LOGGED_IN = {
    "home": (lambda made, shortlist: reverse("store:home"), 12),
    "search": (lambda made, shortlist: reverse("store:search") + "?q=produkt", 17),
    "listing": (lambda made, shortlist: reverse("store:listing", args=[made[0].pk]), 23),
    "adoptions": (lambda made, shortlist: reverse("store:adoptions"), 10),
    "shortlist": (lambda made, shortlist: reverse("store:shortlist_detail", args=[shortlist.pk]), 10),
    "shortlists": (lambda made, shortlist: reverse("store:shortlists"), 10),
    "start": (lambda made, shortlist: reverse("marketplace:start"), 30),
}


@pytest.mark.parametrize("name", list(LOGGED_IN))
def test_member_pages_cost_a_fixed_number_of_queries(grow, admin, name, django_assert_max_num_queries):
    url, bound = LOGGED_IN[name]
    client = login(admin)
    shortlist = None
    for size in (4, 10):
        made = grow(size)
        if shortlist is None:
            shortlist = services.shortlist_create(
                actor=admin,
                organisation=admin.acting_organisation,
                name="Liste",
                product_ids=[p.pk for p in made],
            )
        else:
            for product in made[4:]:
                services.shortlist_add_product(actor=admin, shortlist_id=shortlist.pk, product_id=product.pk)
        client.post(reverse("store:tray"), {"add": made[-1].pk})
        target = url(made, shortlist)
        with django_assert_max_num_queries(bound):
            response = client.get(target)
        assert response.status_code == 200, (name, response.status_code)
    assert Adoption.objects.count() >= 4


def test_search_export_costs_a_fixed_number_of_queries(client, grow, django_assert_max_num_queries):
    for size in (4, 10):
        grow(size)
        with django_assert_max_num_queries(8):
            response = client.get(reverse("store:search_csv") + "?q=kartlegging")
        assert response.status_code == 200 and response.content.decode("utf-8-sig").count("Produkt") >= size
