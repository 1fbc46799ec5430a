"""X-8: the Kvalifisering demo seeder writes through the services and leaves every state to click through."""

from __future__ import annotations

import pytest

from marketplace.demo import DemoContext
from verification.models import CriterionSet, Qualification, QualificationApplication, QualificationReminder
from verification.services.qualification import vendor_is_qualified

pytestmark = pytest.mark.django_db


def test_demo_has_versions_qualified_vendors_and_every_state():
    from marketplace.management.commands.seed_demo import seed_core
    from verification.demo import seed_qualification

    ctx = DemoContext(log=lambda message: None)
    seed_core(ctx)
    seed_qualification(ctx)

    assert dict(CriterionSet.objects.values_list("version", "status")) == {"1.0": "retired", "2.0": "active"}
    assert CriterionSet.objects.get(version="2.0").criteria.count() == 7
    for key in ("omsorgsdata", "kartleggeren", "helsevev", "tildel", "varselpluss"):
        assert vendor_is_qualified(ctx.organisations[key]), key
    assert not vendor_is_qualified(ctx.organisations["journalflyt"])
    statuses = set(QualificationApplication.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "in_review", "qualified", "rejected"} <= statuses
    assert QualificationApplication.objects.get(
        organisation=ctx.organisations["helsevev"], status="in_review"
    ).previous
    assert set(Qualification.objects.values_list("status", flat=True)) == {"active", "expired"}
    varselpluss = Qualification.objects.get(organisation=ctx.organisations["varselpluss"], status="active")
    assert varselpluss.days_left <= 7
    assert sorted(
        QualificationReminder.objects.filter(qualification=varselpluss).values_list("days_before", flat=True)
    ) == [7, 30]
    tildel = QualificationApplication.objects.get(organisation=ctx.organisations["tildel"])
    from verification.selectors.qualification import application_timeline

    assert "changes_requested" in [e.to_state for e in application_timeline(tildel)]
