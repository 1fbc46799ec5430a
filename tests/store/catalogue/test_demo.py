"""Demo data (X-8): on the listings Verifikasjon's seeder approves, the store's seeder gives every demo
experience's organisation an active adoption, shows every adoption state, a shortlist for Inger's Ringsaker,
and enough data that every filter shows something."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from marketplace import demo_data
from marketplace.demo import DemoContext
from marketplace.management.commands.seed_demo import seed_core
from store import demo
from store.models import Adoption, Shortlist
from store.selectors import catalogue as selectors
from verification.models import Product

from .factories import listed

pytestmark = pytest.mark.django_db


def _declaration(data: dict) -> dict:
    return {
        "funksjon": {
            "description": data["functions"],
            "work_processes": data["work_processes"],
            "professions": data["professions"],
            "service_areas": data["service_areas"],
        },
        "informasjon": {
            "fhir_resources": data["fhir"],
            "terminologies": data["terminologies"],
            "national_solutions": data["national_solutions"],
            "data_location": data["data_location"],
            "processor": data["processor"],
        },
        "innforing": {
            "prerequisites": data["prerequisites"],
            "training": data["training"],
            "onboarding_support": data["onboarding_support"],
            "risks": data["risks"],
        },
    }


@pytest.fixture
def ctx(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = DemoContext(log=lambda message: None)
    seed_core(ctx)
    for data in demo_data.PRODUCTS:  # what Verifikasjon's seeder (order 40) leaves: every demo product listed
        listed(
            ctx.organisations[data["vendor"]],
            data["name"],
            short=data["short_description"],
            description=data["description"],
            price_model=data["price_model"],
            content=_declaration(data),
            areas=[ctx.service_areas[slug] for slug in data["service_areas"]],
        )
    return ctx


def test_store_seeder_adopts_for_every_experience_and_fills_every_filter(ctx):
    demo.seed_catalogue(ctx)
    for experience in demo_data.EXPERIENCES:
        product = next(p for p in demo_data.PRODUCTS if p["key"] == experience["product"])
        assert Adoption.objects.filter(
            product__name=product["name"],
            organisation__slug=experience["organisation"],
            status=Adoption.Status.ACTIVE,
        ).exists(), experience
    states = set(Adoption.objects.values_list("status", flat=True))
    assert states == {"active", "requested", "accepted", "declined", "ended"}
    assert Adoption.objects.filter(
        source="registered", organisation__slug="vinje"
    ).exists()  # terms not accepted
    shortlist = Shortlist.objects.get(organisation__slug="ringsaker")
    assert shortlist.created_by.email == "inger.hansen@ringsaker.example"
    assert shortlist.items.count() == 3 and shortlist.search_query

    result = selectors.store_search(QueryDict(""))
    assert result.total == len(demo_data.PRODUCTS)
    shown = {group.param for group in result.groups}
    assert {
        "category",
        "service_area",
        "national_solutions",
        "fhir_resources",
        "data_location",
        "terminologies",
        "vendor",
    } <= shown
    kognitiv = Product.objects.get(name="Kartleggeren Kognitiv")
    assert kognitiv.store_entry.usage_count == 3  # Ringsaker, Bodø and Innlandet
    _index, _mask, ids = selectors.ordered_entry_ids(selectors.parse_store_query(QueryDict("sort=most_used")))
    most_used = selectors.EntryResults(ids)[0]
    assert most_used.usage_count >= 3


def test_store_seeder_without_listings_does_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = DemoContext(log=lambda message: None)
    seed_core(ctx)
    demo.seed_catalogue(ctx)
    assert not Adoption.objects.exists() and not Shortlist.objects.exists()
