"""The store's facet index (store.index): results in a precomputed order are found only as far as a page
reads them, and are the same as the whole order filtered; the generation is read once per request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from marketplace.request_memo import RequestMemoMiddleware
from store.index import GENERATION_KEY, build, new_generation, store_generation

from .factories import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(vendor, seller, areas):
    for n, name in enumerate(["Delta", "alfa", "Charlie", "Bravo", "Echo", "foxtrot", "Golf"]):
        listed(vendor, name, areas=[areas["hjemmetjenester"]] if n % 2 else [areas["legevakt"]])
    return build()


def test_matches_are_the_order_filtered_read_as_far_as_asked(index):
    mask = index.value("service_area", "legevakt")
    matches = index.matches(mask, "name")
    everything = [index.entry_ids[p] for p in index.orders["name"] if (mask >> p) & 1]
    names = {entry_id: name for entry_id, name in zip(index.entry_ids, _names(index))}
    assert [names[i] for i in everything] == ["Charlie", "Delta", "Echo", "Golf"]
    assert len(matches) == 4
    assert matches[0:2] == everything[:2]
    assert matches._next < len(index.orders["name"])  # stopped once it had two
    assert matches[1] == everything[1] and matches[-1] == everything[-1]
    assert matches[1:10] == everything[1:] and list(matches) == everything
    with pytest.raises(IndexError):
        matches[4]
    assert index.matches(0, "name")[0:20] == [] and len(index.matches(0, "name")) == 0


def _names(index):
    from store.models import StoreEntry

    names = dict(StoreEntry.objects.values_list("pk", "product__name"))
    return [names[i] for i in index.entry_ids]


def test_the_generation_is_read_once_per_request_and_follows_the_requests_own_change():
    seen = []

    def view(request):
        seen.append(store_generation())
        cache.set(GENERATION_KEY, "changed-by-another-process", None)
        seen.append(store_generation())  # this request keeps the state it started reading
        new_generation()
        seen.append(store_generation())  # its own change is seen at once
        return HttpResponse()

    cache.set(GENERATION_KEY, "before", None)
    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert seen[0] == seen[1] == "before"
    assert seen[2] not in ("before", "changed-by-another-process") and seen[2] == cache.get(GENERATION_KEY)
    # Outside a request every read goes to the cache.
    cache.set(GENERATION_KEY, "later", None)
    assert store_generation() == "later"
