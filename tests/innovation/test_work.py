"""The core team's work: involvement log (INN-5, INN-9), readiness checklist (INN-7), criteria (INN-8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innovation import selectors, services
from innovation.models import ChecklistItem, EvaluationCriterion, InvolvementEntry, InvolvementStep, Stage
from marketplace.errors import Conflict, NotFound, PermissionRefused
from marketplace.models import AuditEvent, Document

from .factories import advance, join

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="referat.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# Involvement log (INN-5) ------------------------------------------------------------------------


def test_core_team_logs_involvement_with_a_document(need, owner):
    entry = services.involvement_add(
        actor=owner,
        need_id=need.pk,
        step=InvolvementStep.HEALTH_PERSONNEL,
        date=timezone.localdate() - timedelta(days=3),
        participants="Sykepleiere og to pårørende",
        notes="Papirskjema er problemet.",
        upload=pdf(),
        document_title="Referat",
    )
    assert entry.organisation == owner.acting_organisation
    entries = selectors.involvement_entries(need)
    assert [e.pk for e in entries] == [entry.pk]
    assert [d.title for d in entries[0].documents] == ["Referat"]
    summary = {row["step"]: row["count"] for row in selectors.involvement_summary(need)}
    assert summary == {"core_team": 0, "health_personnel": 1, "vendors": 0, "information_management": 0}


def test_involvement_entry_documents_are_served_to_the_core_team_only(need, owner, inger):
    """X-5: documents of involvement entries go through the permission-checking download."""
    entry = services.involvement_add(
        actor=owner,
        need_id=need.pk,
        step="core_team",
        date=timezone.localdate(),
        participants="Kjerneteamet",
        notes="Oppstart.",
        upload=pdf(),
    )
    advance(owner, need, Stage.PUBLISHED)
    document = Document.objects.get(owner_id=entry.pk)
    from tests.conftest import login

    assert login(owner).get(document.get_absolute_url()).status_code == 200
    assert login(inger).get(document.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"step": "step5"}, "step"),
        ({"date": None}, "date"),
        ({"participants": " "}, "participants"),
        ({"notes": ""}, "notes"),
    ],
)
def test_involvement_bad_input_is_refused_field_by_field(need, owner, values, field):
    data = {"step": "core_team", "date": timezone.localdate(), "participants": "Kjerneteamet", "notes": "Ok."}
    data.update(values)
    with pytest.raises(ValidationError) as refused:
        services.involvement_add(actor=owner, need_id=need.pk, **data)
    assert field in refused.value.message_dict
    assert not InvolvementEntry.objects.exists()


def test_involvement_date_in_the_future_is_refused(need, owner):
    with pytest.raises(ValidationError) as refused:
        services.involvement_add(
            actor=owner,
            need_id=need.pk,
            step="core_team",
            date=timezone.localdate() + timedelta(days=1),
            participants="Kjerneteamet",
            notes="Planlagt.",
        )
    assert "date" in refused.value.message_dict


def test_involvement_refused_with_a_disallowed_file_and_nothing_is_kept(need, owner):
    """X-5: an SVG is refused with a field error; the entry is not stored either."""
    svg = SimpleUploadedFile(
        "tegning.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image/svg+xml"
    )
    with pytest.raises(ValidationError) as refused:
        services.involvement_add(
            actor=owner,
            need_id=need.pk,
            step="core_team",
            date=timezone.localdate(),
            participants="Kjerneteamet",
            notes="Ok.",
            upload=svg,
        )
    assert "file" in refused.value.message_dict
    assert not InvolvementEntry.objects.exists()


def test_involvement_refused_outside_the_core_team(need, owner, inger):
    advance(owner, need, Stage.PUBLISHED)
    with pytest.raises(PermissionRefused):
        services.involvement_add(
            actor=inger,
            need_id=need.pk,
            step="core_team",
            date=timezone.localdate(),
            participants="Inger",
            notes="Kapret.",
        )
    assert not InvolvementEntry.objects.exists()


def test_a_new_collaborator_can_log_involvement(need, owner, inger):
    advance(owner, need, Stage.PUBLISHED)
    join(need, asker=inger, owner=owner)
    entry = services.involvement_add(
        actor=inger,
        need_id=need.pk,
        step="health_personnel",
        date=timezone.localdate(),
        participants="Hjemmetjenesten i Ringsaker",
        notes="Testet kriteriene.",
    )
    assert entry.organisation == inger.acting_organisation


# Readiness checklist (INN-7) ----------------------------------------------------------------------


def test_ticking_records_who_for_which_organisation_and_a_comment(need, owner):
    item = ChecklistItem.objects.get(need=need, code="laws")
    services.checklist_set(
        actor=owner, need_id=need.pk, item_id=item.pk, checked=True, comment="Jurist har sett."
    )
    item.refresh_from_db()
    assert (item.checked, item.checked_by, item.checked_organisation, item.comment) == (
        True,
        owner,
        owner.acting_organisation,
        "Jurist har sett.",
    )
    assert item.checked_at is not None
    assert AuditEvent.objects.filter(verb="need.checklist_ticked", reason="Jurist har sett.").exists()


def test_unticking_needs_a_comment_and_is_refused_on_a_published_need(need, owner):
    item = ChecklistItem.objects.get(need=need, code="estimate")
    services.checklist_set(actor=owner, need_id=need.pk, item_id=item.pk, checked=True)
    with pytest.raises(ValidationError):
        services.checklist_set(actor=owner, need_id=need.pk, item_id=item.pk, checked=False)
    advance(owner, need, Stage.PUBLISHED)
    with pytest.raises(Conflict):
        services.checklist_set(actor=owner, need_id=need.pk, item_id=item.pk, checked=False, comment="Feil.")
    item.refresh_from_db()
    assert item.checked


def test_checklist_item_of_another_need_is_not_found(need, owner, area):
    from .factories import make_need

    other = make_need(owner, areas=[area], title="Annet")
    item = ChecklistItem.objects.filter(need=other).first()
    with pytest.raises(NotFound):
        services.checklist_set(actor=owner, need_id=need.pk, item_id=item.pk, checked=True)
    item.refresh_from_db()
    assert not item.checked


def test_an_added_item_must_also_be_ticked_before_publishing(need, owner):
    advance(owner, need, Stage.EVALUATION_CRITERIA)
    extra = services.checklist_add_item(actor=owner, need_id=need.pk, label="Personvern vurdert")
    for item in ChecklistItem.objects.filter(need=need).exclude(pk=extra.pk):
        services.checklist_set(actor=owner, need_id=need.pk, item_id=item.pk, checked=True)
    with pytest.raises(Conflict) as refused:
        services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.PUBLISHED)
    assert "Personvern vurdert" in str(refused.value)


# Evaluation criteria (INN-8) ------------------------------------------------------------------------


def test_criteria_are_saved_in_order_when_they_sum_to_100(need, owner):
    services.criteria_set(
        actor=owner,
        need_id=need.pk,
        criteria=[
            {"name": "Brukervennlighet", "weight": 70, "description": "Ute hos innbyggeren"},
            {"name": "Pris", "weight": 30},
            {"name": "", "weight": None},  # an empty row of the form
        ],
    )
    assert list(EvaluationCriterion.objects.filter(need=need).values_list("name", "weight")) == [
        ("Brukervennlighet", 70),
        ("Pris", 30),
    ]


@pytest.mark.parametrize(
    "criteria",
    [
        [{"name": "A", "weight": 50}, {"name": "B", "weight": 40}],
        [{"name": "A", "weight": 100}, {"name": "B", "weight": 0}],
        [{"name": "", "weight": 100}],
        [{"name": "A", "weight": 50}, {"name": "a", "weight": 50}],
        [{"name": "A", "weight": "mye"}],
    ],
)
def test_weights_not_summing_to_100_or_bad_rows_are_refused(need, owner, criteria):
    services.criteria_set(actor=owner, need_id=need.pk, criteria=[{"name": "Gammelt", "weight": 100}])
    with pytest.raises(ValidationError) as refused:
        services.criteria_set(actor=owner, need_id=need.pk, criteria=criteria)
    assert "criteria" in refused.value.message_dict
    assert list(EvaluationCriterion.objects.filter(need=need).values_list("name", "weight")) == [
        ("Gammelt", 100)
    ]


def test_weights_message_says_the_current_sum(need, owner):
    with pytest.raises(ValidationError) as refused:
        services.criteria_set(actor=owner, need_id=need.pk, criteria=[{"name": "A", "weight": 90}])
    assert "90" in " ".join(refused.value.message_dict["criteria"])


def test_criteria_refused_outside_the_core_team(need, owner, inger):
    advance(owner, need, Stage.PUBLISHED)
    with pytest.raises(PermissionRefused):
        services.criteria_set(actor=inger, need_id=need.pk, criteria=[{"name": "Mitt", "weight": 100}])
    assert not EvaluationCriterion.objects.filter(name="Mitt").exists()
