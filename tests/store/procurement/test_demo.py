"""X-8: the demo has one joint procurement in market dialogue and one with an active agreement and call-offs,
made through the services after the earlier arenas' demo data."""

from __future__ import annotations

import pytest
from django.utils import timezone

from marketplace import demo, demo_data
from marketplace.demo import DemoContext
from store.models import CallOff, Procurement, ProcurementQuestion, StoreEntry

pytestmark = pytest.mark.django_db


def _list_offered_products(ctx) -> None:
    """The two products the demo procurement is about, listed — as Verifikasjon's seeder (order 40) does; made
    here only while that seeder does not list them."""
    from marketplace import demo_data
    from verification.models import Product

    from .factories import listed_product

    for data in demo_data.PRODUCTS:
        if data["key"] in ("kartleggeren-kognitiv", "helsevev-video") and not Product.objects.filter(
                name=data["name"]).exists():
            listed_product(ctx.organisations[data["vendor"]], data["name"])


def test_demo_seeds_a_dialogue_and_an_active_agreement_with_call_offs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from marketplace.management.commands import seed_demo  # noqa: F401  (registers the core's seeder)

    ctx = DemoContext(log=lambda message: None)
    seeders = demo.seeders()
    for order, _name, seeder in seeders:
        if order < 50:
            seeder(ctx)
    _list_offered_products(ctx)
    for order, _name, seeder in seeders:
        if 50 <= order < 60:
            seeder(ctx)
    from store.demo import seed_procurement

    seed_procurement(ctx)

    titles = {n["key"]: n["title"] for n in demo_data.NEEDS}
    dialogue = Procurement.objects.get(need__title=titles["news2"])
    assert dialogue.phase == "market_dialogue" and dialogue.is_public and dialogue.lead.slug == "stavanger"
    assert dialogue.participations.filter(status="declared").count() == 2
    assert dialogue.intent_deadline > timezone.now()
    statuses = set(ProcurementQuestion.objects.filter(procurement=dialogue).values_list("status", flat=True))
    assert statuses == {"published", "open"}

    agreement = Procurement.objects.get(need__title=titles["kognitiv-kartlegging"])
    assert agreement.phase == "agreement_active" and agreement.agreement_in_force
    assert agreement.offer_deadline < timezone.now()
    winner = agreement.offers.get(is_winner=True)
    assert winner.product.name == "Kartleggeren Kognitiv" and winner.rank == 1
    assert str(winner.weighted_total) == "80.50"
    assert set(CallOff.objects.filter(procurement=agreement).values_list("organisation__slug", flat=True)) == {
        "drammen", "kristiansand"}
    assert all(call.adoption.status == "active" for call in CallOff.objects.all())
    assert StoreEntry.objects.get(product=winner.product).is_procured
    # Oslo takes part and has not called off: its admin can try it in the demo.
    assert agreement.participations.filter(organisation__slug="oslo", status="declared").exists()
    # The deadline passed weeks ago; the award came after it, before the agreement started.
    assert agreement.offer_deadline < agreement.awarded_at < timezone.now()
    assert timezone.localtime(agreement.awarded_at).date() < agreement.agreement_start
