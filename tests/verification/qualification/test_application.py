"""QUA-2: a vendor's organisation admin fills in the application in sections, saves drafts, uploads evidence,
sees the automatic assessment, and submits. Refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import Document, Notification, Role
from marketplace.services.documents import documents_for
from tests.conftest import make_member
from verification.models import Outcome, QualificationAnswer, QualificationApplication
from verification.selectors.qualification import application_rows, assessment_summary
from verification.services import qualification as services

from .conftest import fill_in
from .factories import exe_disguised_as_pdf, pdf_upload, svg_upload

pytestmark = pytest.mark.django_db
Status = QualificationApplication.Status


def _codes(application):
    return {c.code: c for c in application.criterion_set.criteria.all()}


def test_vendor_admin_starts_a_draft_on_the_version_in_force_prefilled_with_company_details(
    ready_vendor, vendor_admin, criteria
):
    application = services.application_start(actor=vendor_admin, organisation=ready_vendor)
    assert application.status == Status.DRAFT
    assert application.criterion_set == criteria
    assert (application.company_name, application.org_number) == (ready_vendor.name, ready_vendor.org_number)
    assert application.contact_email == vendor_admin.email


def test_a_municipality_cannot_apply(municipality, municipal_admin, terms, criteria):
    """QUA-2 refusal: only vendors apply."""
    with pytest.raises(PermissionRefused, match="Only vendor organisations apply for qualification"):
        services.application_start(actor=municipal_admin, organisation=municipality)
    assert not QualificationApplication.objects.exists()


def test_a_vendor_that_has_not_accepted_the_current_terms_cannot_apply_or_submit(
    vendor, vendor_admin, terms, criteria, complete_draft
):
    """TRM-3 / QUA-2 refusal: read, but not act."""
    from marketplace.models import TermsAcceptance
    from marketplace.terms import forget_pending_terms

    TermsAcceptance.objects.filter(organisation=vendor).delete()
    forget_pending_terms(vendor)
    vendor_admin.acting_organisation = vendor
    with pytest.raises(TermsNotAccepted, match="has not accepted the current terms"):
        services.application_submit(actor=vendor_admin, application_id=complete_draft.pk)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT
    services.application_withdraw(actor=vendor_admin, application_id=complete_draft.pk)
    with pytest.raises(TermsNotAccepted):
        services.application_start(actor=vendor_admin, organisation=vendor)
    assert not QualificationApplication.objects.filter(status=Status.DRAFT).exists()


def test_a_member_who_is_not_organisation_admin_cannot_submit(ready_vendor, complete_draft):
    """QUA-2 refusal."""
    member = make_member(ready_vendor, Role.MEMBER)
    with pytest.raises(PermissionRefused, match="Only an organisation admin"):
        services.application_submit(actor=member, application_id=complete_draft.pk)
    with pytest.raises(PermissionRefused):
        services.answers_save(actor=member, application_id=complete_draft.pk, answers={})
    with pytest.raises(PermissionRefused):
        services.application_start(actor=member, organisation=ready_vendor)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_only_one_open_application_at_a_time(draft, ready_vendor, vendor_admin):
    with pytest.raises(Conflict, match="already has a qualification application in progress"):
        services.application_start(actor=vendor_admin, organisation=ready_vendor)
    assert QualificationApplication.objects.count() == 1


def test_answers_are_saved_as_a_draft_and_assessed_as_they_are_saved(draft, vendor_admin):
    """QUA-2: drafts are resumable; the vendor sees what will pass, fail or go to judgement."""
    c = _codes(draft)
    today = timezone.localdate()
    services.answers_save(
        actor=vendor_admin,
        application_id=draft.pk,
        answers={
            c["dpa"].pk: "no",
            c["iso"].pk: "no",
            c["tax"].pk: (today - timedelta(days=30)).isoformat(),
        },
    )
    stored = {
        a.criterion.code: a
        for a in QualificationAnswer.objects.filter(application=draft).select_related("criterion")
    }
    assert stored["dpa"].value_bool is False and stored["dpa"].outcome == Outcome.FAIL
    assert stored["iso"].outcome == Outcome.JUDGEMENT
    assert stored["tax"].outcome == Outcome.PASS
    summary = assessment_summary(application_rows(draft))
    assert (summary["pass"], summary["fail"], summary["judgement"], summary["unanswered"]) == (1, 1, 1, 1)
    services.answers_save(
        actor=vendor_admin, application_id=draft.pk, answers={c["dpa"].pk: True, c["iso"].pk: None}
    )
    stored = {
        a.criterion.code: a
        for a in QualificationAnswer.objects.filter(application=draft).select_related("criterion")
    }
    assert stored["dpa"].outcome == Outcome.PASS
    assert stored["iso"].value_bool is None and stored["iso"].outcome == Outcome.UNANSWERED


@pytest.mark.parametrize(
    "code,value,message",
    [
        ("tax", "31.02.2025", "Enter a valid date"),
        ("tax", "2999-01-01", "cannot be in the future"),
        ("dpa", "maybe", "Answer yes or no."),
        ("contact", "x" * 4001, "At most 4000 characters"),
    ],
)
def test_bad_answers_give_a_field_level_message_and_save_nothing(draft, vendor_admin, code, value, message):
    """X-7: bad input never leads to a server error or lost data."""
    c = _codes(draft)
    with pytest.raises(ValidationError) as error:
        services.answers_save(
            actor=vendor_admin, application_id=draft.pk, answers={c["dpa"].pk: "yes", c[code].pk: value}
        )
    assert message in " ".join(error.value.message_dict[services.answer_field(c[code].pk)])
    assert not QualificationAnswer.objects.filter(application=draft).exists()


def test_answer_to_a_criterion_of_another_version_is_refused(draft, vendor_admin):
    from .factories import CriterionFactory

    stranger = CriterionFactory()
    with pytest.raises(ValidationError) as error:
        services.answers_save(actor=vendor_admin, application_id=draft.pk, answers={stranger.pk: "yes"})
    assert "answers" in error.value.message_dict


def test_evidence_upload_accepts_pdf_and_refuses_disallowed_types(draft, vendor_admin):
    """QUA-2, X-5: the type is sniffed from the content, not trusted from the name."""
    dpa = _codes(draft)["dpa"]
    document = services.evidence_upload(
        actor=vendor_admin, application_id=draft.pk, criterion_id=dpa.pk, upload=pdf_upload("dpa.pdf")
    )
    assert document.content_type == "application/pdf"
    for bad in (svg_upload(), exe_disguised_as_pdf()):
        with pytest.raises(ValidationError) as error:
            services.evidence_upload(
                actor=vendor_admin, application_id=draft.pk, criterion_id=dpa.pk, upload=bad
            )
        assert "not an allowed file type" in " ".join(error.value.messages)
    answer = QualificationAnswer.objects.get(application=draft, criterion=dpa)
    assert list(documents_for(answer)) == [document]


def test_evidence_can_be_removed_while_the_application_can_be_changed(draft, vendor_admin):
    dpa = _codes(draft)["dpa"]
    document = services.evidence_upload(
        actor=vendor_admin, application_id=draft.pk, criterion_id=dpa.pk, upload=pdf_upload()
    )
    services.evidence_delete(actor=vendor_admin, application_id=draft.pk, document_id=document.pk)
    assert not Document.objects.filter(pk=document.pk).exists()


def test_submit_refused_while_required_evidence_is_missing(draft, vendor_admin):
    """QUA-2 refusal: submitting with a required evidence document missing."""
    fill_in(draft, vendor_admin, evidence=False)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=vendor_admin, application_id=draft.pk)
    messages = " ".join(error.value.messages)
    assert (
        "Upload the required evidence document for “Signed data-processing agreement template?”" in messages
    )
    assert "Tax certificate issued on?" in messages
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.submitted_at is None


def test_submit_refused_when_the_only_evidence_was_of_a_disallowed_type(draft, vendor_admin):
    """QUA-2 refusal: evidence of a disallowed type is never stored, so submission stays refused."""
    fill_in(draft, vendor_admin, evidence=False)
    for criterion in draft.criterion_set.criteria.filter(evidence_required=True):
        with pytest.raises(ValidationError):
            services.evidence_upload(
                actor=vendor_admin, application_id=draft.pk, criterion_id=criterion.pk, upload=svg_upload()
            )
    with pytest.raises(ValidationError):
        services.application_submit(actor=vendor_admin, application_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submit_refused_while_answers_or_company_details_are_missing(draft, vendor_admin):
    services.application_update_details(
        actor=vendor_admin, application_id=draft.pk, address="", company_name=""
    )
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=vendor_admin, application_id=draft.pk)
    assert {"company_name", "address"} <= set(error.value.message_dict)
    assert any(key.startswith("criterion_") for key in error.value.message_dict)


def test_company_details_are_validated(draft, vendor_admin):
    with pytest.raises(ValidationError) as error:
        services.application_update_details(
            actor=vendor_admin,
            application_id=draft.pk,
            org_number="123456789",
            contact_email="not-an-address",
            website="ftp://x",
        )
    assert {"org_number", "contact_email", "website"} == set(error.value.message_dict)
    draft.refresh_from_db()
    assert draft.org_number != "123456789"


def test_submitting_notifies_every_platform_administrator(
    complete_draft, vendor_admin, reviewer, platform_admin
):
    """QUA-2, item 9 of the issue: administrators are notified on every submission."""
    application = services.application_submit(actor=vendor_admin, application_id=complete_draft.pk)
    assert application.status == Status.SUBMITTED and application.submitted_at is not None
    notified = set(
        Notification.objects.filter(kind="qualification.submitted").values_list("recipient__email", flat=True)
    )
    assert notified == {reviewer.email, platform_admin.email}
    assert set(
        QualificationAnswer.objects.filter(application=application).values_list("outcome", flat=True)
    ) == {Outcome.PASS, Outcome.JUDGEMENT}


def test_a_submitted_application_cannot_be_changed_or_submitted_again(submitted, vendor_admin):
    dpa = _codes(submitted)["dpa"]
    with pytest.raises(IllegalTransition):
        services.answers_save(actor=vendor_admin, application_id=submitted.pk, answers={dpa.pk: "no"})
    with pytest.raises(IllegalTransition):
        services.evidence_upload(
            actor=vendor_admin, application_id=submitted.pk, criterion_id=dpa.pk, upload=pdf_upload()
        )
    with pytest.raises(IllegalTransition):
        services.application_submit(actor=vendor_admin, application_id=submitted.pk)
    assert QualificationAnswer.objects.get(application=submitted, criterion=dpa).value_bool is True


def test_another_vendor_can_neither_read_nor_change_the_application(complete_draft, ready_other_vendor):
    """QUA-2 refusal, ORG-4: 404 for another vendor, and nothing changes."""
    stranger = ready_other_vendor.test_admin
    dpa = _codes(complete_draft)["dpa"]
    calls = [
        lambda: services.answers_save(
            actor=stranger, application_id=complete_draft.pk, answers={dpa.pk: "no"}
        ),
        lambda: services.application_update_details(
            actor=stranger, application_id=complete_draft.pk, address="Hacked"
        ),
        lambda: services.evidence_upload(
            actor=stranger, application_id=complete_draft.pk, criterion_id=dpa.pk, upload=pdf_upload()
        ),
        lambda: services.application_submit(actor=stranger, application_id=complete_draft.pk),
        lambda: services.application_withdraw(actor=stranger, application_id=complete_draft.pk),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT and complete_draft.address != "Hacked"
    assert QualificationAnswer.objects.get(application=complete_draft, criterion=dpa).value_bool is True
    assert (
        documents_for(QualificationAnswer.objects.get(application=complete_draft, criterion=dpa)).count() == 1
    )


def test_the_vendor_withdraws_a_draft_and_may_start_again(draft, ready_vendor, vendor_admin):
    services.application_withdraw(actor=vendor_admin, application_id=draft.pk, reason="Wrong person")
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    again = services.application_start(actor=vendor_admin, organisation=ready_vendor)
    assert again.pk != draft.pk


def test_no_application_without_criteria_in_force(ready_vendor, vendor_admin):
    from verification.models import CriterionSet

    CriterionSet.objects.update(status=CriterionSet.Status.RETIRED)
    with pytest.raises(Exception, match="No qualification criteria are in force"):
        services.application_start(actor=vendor_admin, organisation=ready_vendor)
