"""QUA-1: versioned criterion sets maintained by the operator, with assessment rules per criterion."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.errors import DomainError, IllegalTransition, PermissionRefused
from marketplace.models import AuditEvent
from verification.models import Criterion, CriterionSet, Outcome, QualificationAnswer, add_months
from verification.services import qualification as services

from .conftest import login
from .factories import CriterionFactory, CriterionSetFactory, active_criterion_set

pytestmark = pytest.mark.django_db


def _answer(criterion, **values):
    return QualificationAnswer(criterion=criterion, **values)


def test_yes_no_rule_passes_fails_or_leaves_to_judgement_as_configured():
    """QUA-1: "Complies with Normen: yes passes, no fails"; ISO: no goes to the reviewer."""
    normen = CriterionFactory(rule_yes=Outcome.PASS, rule_no=Outcome.FAIL)
    iso = CriterionFactory(rule_yes=Outcome.PASS, rule_no=Outcome.JUDGEMENT)
    today = timezone.localdate()
    assert normen.assess(_answer(normen, value_bool=True), on=today).outcome == Outcome.PASS
    assert normen.assess(_answer(normen, value_bool=False), on=today).outcome == Outcome.FAIL
    assert iso.assess(_answer(iso, value_bool=False), on=today).outcome == Outcome.JUDGEMENT
    assert normen.assess(_answer(normen), on=today).outcome == Outcome.UNANSWERED
    assert normen.assess(None, on=today).outcome == Outcome.UNANSWERED


def test_date_rule_passes_when_younger_than_max_age_and_fails_when_older_or_in_the_future():
    """QUA-1: a tax certificate passes when under 6 months old."""
    tax = CriterionFactory(answer_type=Criterion.AnswerType.DATE, max_age_months=6)
    on = date(2025, 8, 31)
    assert tax.assess(_answer(tax, value_date=date(2025, 3, 1)), on=on).outcome == Outcome.PASS
    assert (
        tax.assess(_answer(tax, value_date=date(2025, 2, 28)), on=on).outcome == Outcome.FAIL
    )  # exactly 6 months
    assert tax.assess(_answer(tax, value_date=date(2024, 12, 1)), on=on).outcome == Outcome.FAIL
    assert tax.assess(_answer(tax, value_date=date(2025, 9, 1)), on=on).outcome == Outcome.FAIL
    unbounded = CriterionFactory(answer_type=Criterion.AnswerType.DATE, max_age_months=None)
    assert (
        unbounded.assess(_answer(unbounded, value_date=date(2000, 1, 1)), on=on).outcome == Outcome.JUDGEMENT
    )


def test_text_answers_always_go_to_judgement():
    contact = CriterionFactory(answer_type=Criterion.AnswerType.TEXT)
    today = timezone.localdate()
    assert contact.assess(_answer(contact, value_text="Kari, CISO"), on=today).outcome == Outcome.JUDGEMENT
    assert contact.assess(_answer(contact, value_text="   "), on=today).outcome == Outcome.UNANSWERED


def test_add_months_clamps_to_the_end_of_shorter_months():
    assert add_months(date(2025, 8, 31), -6) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 15), 12) == date(2026, 1, 15)


def test_rule_summary_describes_the_rule_in_words():
    assert "fails" in CriterionFactory(rule_no=Outcome.FAIL).rule_summary
    assert "6 months" in CriterionFactory(answer_type="date", max_age_months=6).rule_summary


def test_platform_admin_writes_a_new_version_from_the_active_one_and_puts_it_in_force(platform_admin):
    """QUA-1: versioned; only one version in force; the previous one is retired and recorded."""
    v1 = active_criterion_set(version="1.0")
    v2 = services.criterion_set_create(
        actor=platform_admin, version="2.0", title="Kriterier", copy_from_id=v1.pk
    )
    assert v2.status == CriterionSet.Status.DRAFT
    assert sorted(v2.criteria.values_list("code", flat=True)) == sorted(
        v1.criteria.values_list("code", flat=True)
    )
    services.criterion_add(
        actor=platform_admin,
        criterion_set_id=v2.pk,
        code="contact2",
        section="Kontakt",
        text="Security contact?",
        answer_type="text",
    )
    services.criterion_set_activate(
        actor=platform_admin, criterion_set_id=v2.pk, reason="Adds security contact"
    )
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (CriterionSet.Status.RETIRED, CriterionSet.Status.ACTIVE)
    assert CriterionSet.objects.filter(status=CriterionSet.Status.ACTIVE).count() == 1
    assert AuditEvent.objects.filter(
        verb="criterionset.active", target_id=str(v2.pk), reason="Adds security contact"
    ).exists()
    assert AuditEvent.objects.filter(verb="criterionset.retired", target_id=str(v1.pk)).exists()


def test_a_version_that_has_been_in_force_never_changes(platform_admin):
    v1 = active_criterion_set()
    criterion = v1.criteria.first()
    with pytest.raises(IllegalTransition):
        services.criterion_update(actor=platform_admin, criterion_id=criterion.pk, text="Changed")
    with pytest.raises(IllegalTransition):
        services.criterion_add(
            actor=platform_admin,
            criterion_set_id=v1.pk,
            code="new",
            section="S",
            text="New?",
            answer_type="yes_no",
        )
    with pytest.raises(IllegalTransition):
        services.criterion_set_update(actor=platform_admin, criterion_set_id=v1.pk, title="Changed")
    criterion.refresh_from_db()
    assert criterion.text != "Changed"
    assert v1.criteria.count() == 4


def test_activation_refused_without_criteria(platform_admin):
    draft = services.criterion_set_create(actor=platform_admin, version="9.0", title="Tom")
    with pytest.raises(DomainError, match="at least one criterion"):
        services.criterion_set_activate(actor=platform_admin, criterion_set_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == CriterionSet.Status.DRAFT


def test_a_retired_version_cannot_be_put_in_force_again(platform_admin):
    v1 = active_criterion_set(version="1.0")
    v2 = services.criterion_set_create(actor=platform_admin, version="2.0", title="K", copy_from_id=v1.pk)
    services.criterion_set_activate(actor=platform_admin, criterion_set_id=v2.pk)
    with pytest.raises(IllegalTransition):
        services.criterion_set_activate(actor=platform_admin, criterion_set_id=v1.pk)
    v2.refresh_from_db()
    assert v2.status == CriterionSet.Status.ACTIVE


def test_bad_criterion_input_gives_field_level_messages(platform_admin):
    draft = services.criterion_set_create(actor=platform_admin, version="3.0", title="K")
    services.criterion_add(
        actor=platform_admin,
        criterion_set_id=draft.pk,
        code="dpa",
        section="S",
        text="DPA?",
        answer_type="yes_no",
    )
    with pytest.raises(ValidationError) as error:
        services.criterion_add(
            actor=platform_admin,
            criterion_set_id=draft.pk,
            code="dpa",
            section="S",
            text="Again?",
            answer_type="yes_no",
        )
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.criterion_add(
            actor=platform_admin,
            criterion_set_id=draft.pk,
            code="x",
            section="S",
            text="X?",
            answer_type="yes_no",
            max_age_months=6,
        )
    assert "max_age_months" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.criterion_set_create(actor=platform_admin, version="3.0", title="Duplicate")
    assert "version" in error.value.message_dict
    assert draft.criteria.count() == 1


def test_vendor_cannot_maintain_criteria(vendor_admin):
    with pytest.raises(PermissionRefused):
        services.criterion_set_create(actor=vendor_admin, version="5.0", title="Mine")
    assert not CriterionSet.objects.exists()


def test_an_application_keeps_the_version_it_answered(platform_admin, ready_vendor, vendor_admin, criteria):
    """QUA-1: applications pin the set version they answered."""
    application = services.application_start(actor=vendor_admin, organisation=ready_vendor)
    v2 = services.criterion_set_create(
        actor=platform_admin, version="2.0", title="K", copy_from_id=criteria.pk
    )
    services.criterion_set_activate(actor=platform_admin, criterion_set_id=v2.pk)
    application.refresh_from_db()
    assert application.criterion_set_id == criteria.pk


# Screens -------------------------------------------------------------------------------------------------


def test_the_criteria_in_force_are_public(client, criteria):
    response = client.get("/verifikasjon/kvalifisering/kriterier/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Signed data-processing agreement template?" in body
    assert "Passes when the date is less than 6 months old" in body


def test_draft_versions_are_hidden_from_everyone_but_platform_admins(client, vendor_admin, platform_admin):
    draft = CriterionSetFactory(version="7.0")
    assert client.get(f"/verifikasjon/kvalifisering/kriteriesett/{draft.pk}/").status_code == 404
    assert login(vendor_admin).get(f"/verifikasjon/kvalifisering/kriteriesett/{draft.pk}/").status_code == 404
    assert (
        login(platform_admin).get(f"/verifikasjon/kvalifisering/kriteriesett/{draft.pk}/").status_code == 200
    )
    assert login(vendor_admin).get("/verifikasjon/kvalifisering/kriteriesett/").status_code == 404


def test_platform_admin_maintains_criteria_in_screens(platform_admin, criteria):
    """QUA-1: the operator maintains the criteria in screens, not only in Django admin."""
    client = login(platform_admin)
    response = client.post(
        "/verifikasjon/kvalifisering/kriteriesett/ny/",
        {"version": "2.0", "title": "Kriterier 2", "description": "", "copy_from": criteria.pk},
    )
    draft = CriterionSet.objects.get(version="2.0")
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    response = client.post(
        f"/verifikasjon/kvalifisering/kriteriesett/{draft.pk}/kriterier/ny/",
        {
            "section": "Kontakt",
            "order": 50,
            "code": "contact2",
            "text": "Who is your security contact?",
            "answer_type": "text",
            "rule_yes": "pass",
            "rule_no": "fail",
        },
    )
    assert response.status_code == 302
    added = draft.criteria.get(code="contact2")
    response = client.post(
        f"/verifikasjon/kvalifisering/kriterier/{added.pk}/rediger/",
        {
            "section": "Kontakt",
            "order": 50,
            "code": "contact2",
            "text": "Who is your security contact?",
            "answer_type": "date",
            "max_age_months": "",
            "rule_yes": "pass",
            "rule_no": "fail",
            "evidence_required": "on",
            "evidence_valid_months": 12,
        },
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.answer_type == "date" and added.evidence_required
    response = client.post(
        f"/verifikasjon/kvalifisering/kriterier/{added.pk}/rediger/",
        {
            "section": "Kontakt",
            "order": 50,
            "code": "contact2",
            "text": "x",
            "answer_type": "yes_no",
            "max_age_months": 6,
            "rule_yes": "pass",
            "rule_no": "fail",
        },
    )
    assert response.status_code == 400
    assert "A maximum age applies to date answers only." in response.content.decode()
    response = client.post(f"/verifikasjon/kvalifisering/kriteriesett/{draft.pk}/aktiver/", {"reason": "New"})
    assert response.status_code == 302
    draft.refresh_from_db()
    criteria.refresh_from_db()
    assert draft.status == CriterionSet.Status.ACTIVE and criteria.status == CriterionSet.Status.RETIRED
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert "Versions that have been in force never change" in detail
