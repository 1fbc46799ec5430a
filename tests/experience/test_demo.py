"""Demo data (X-8): the experiences and ratings of the source's municipalities, through the services."""

from __future__ import annotations

import pytest

from experience.demo import PRODUCTS, seed_experiences
from experience.models import Comment, Experience, Rating, Report
from marketplace import demo_data
from marketplace.demo import DemoContext
from marketplace.management.commands.seed_demo import NOT_ACCEPTED, seed_core
from store.models import StoreEntry

from .factories import adopt, listed_product

pytestmark = pytest.mark.django_db


def test_demo_seeder_publishes_the_experiences_and_ratings():
    messages: list[str] = []
    ctx = DemoContext(log=messages.append)
    seed_core(ctx)
    # Verifikasjon's and Butikken's results: products listed and used (one pair without an adoption).
    products = {}
    for key in {e["product"] for e in demo_data.EXPERIENCES}:
        data = PRODUCTS[key]
        products[key] = listed_product(ctx.organisations[data["vendor"]], name=data["name"])
    without_adoption = demo_data.EXPERIENCES[1]
    for data in demo_data.EXPERIENCES:
        if data is not without_adoption:
            adopt(ctx.organisations[data["organisation"]], products[data["product"]])

    seed_experiences(ctx)

    writable = [e for e in demo_data.EXPERIENCES if e["organisation"] not in NOT_ACCEPTED]
    assert Experience.objects.published().count() == len(writable)
    for data in writable:
        experience = Experience.objects.get(title=data["title"])
        assert experience.organisation.slug == data["organisation"]
        assert experience.product.name == PRODUCTS[data["product"]]["name"]
        assert experience.service_area is not None and experience.advice == data["advice"]
    assert Rating.objects.count() == len(writable) - 1
    assert any("no active adoption" in m for m in messages)
    assert any("has not accepted the terms" in m for m in messages)
    ringsaker = Rating.objects.get(organisation__slug="ringsaker")
    assert ringsaker.score == 5
    entry = StoreEntry.objects.get(product=ringsaker.product)
    assert entry.rating_count == Rating.objects.filter(product=ringsaker.product).count()
    assert Comment.objects.filter(is_vendor_reply=True).count() == 1
    assert Comment.objects.filter(is_vendor_reply=False).exists()
    assert Experience.objects.filter(useful_count__gt=0).exists()
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 1
    newest = list(Experience.objects.published().order_by("-published_at").values_list("title", flat=True))
    assert newest[-1] == writable[0]["title"]  # spread over the last weeks, in the order of the source
