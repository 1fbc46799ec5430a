"""Demo data (X-8): the needs of the source, with core teams and stages as given, through the services."""

from __future__ import annotations

import pytest

from innovation import demo
from innovation.models import Collaboration, EvaluationCriterion, InterestedVendor, Need
from marketplace import demo_data
from marketplace.demo import DemoContext
from marketplace.management.commands.seed_demo import seed_core
from marketplace.terms import terms_pending_for

pytestmark = pytest.mark.django_db


def test_demo_seeder_fills_the_arena_as_the_source_has_it():
    ctx = DemoContext(log=lambda message: None)
    seed_core(ctx)
    demo.seed(ctx)
    assert Need.objects.count() == len(demo_data.NEEDS)
    for data in demo_data.NEEDS:
        need = Need.objects.get(title=data["title"])
        assert need.stage == data["stage"], data["key"]
        assert need.owner.slug == data["owner"]
        team = set(
            Collaboration.objects.filter(need=need, status="accepted").values_list(
                "organisation__slug", flat=True
            )
        )
        assert team == set(data["collaborators"]), data["key"]
        weights = list(EvaluationCriterion.objects.filter(need=need).values_list("weight", flat=True))
        assert sum(weights) in (0, 100)
    kognitiv = Need.objects.get(title="Kognitiv kartlegging")
    assert not Collaboration.objects.filter(need=kognitiv, organisation__slug="ringsaker").exists()
    assert kognitiv.involvement_entries.count() == 4
    assert kognitiv.desired_declaration["funksjon"]["service_areas"] == [
        "tjenestetildeling",
        "hjemmetjenester",
        "eldreomsorg",
    ]
    assert InterestedVendor.objects.filter(need=kognitiv, organisation__slug="kartleggeren").exists()
    # The organisations that have not accepted the newest terms still have to (the Vilkår gate stays).
    assert terms_pending_for(ctx.organisations["vinje"])
