"""QUA-3: review by platform administrators; every transition recorded and visible to the applicant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import AuditEvent, Notification
from verification.models import Qualification, QualificationApplication, ReviewComment, add_months
from verification.selectors.qualification import application_rows, application_timeline
from verification.services import qualification as services

from .conftest import fill_in, qualify

pytestmark = pytest.mark.django_db
Status = QualificationApplication.Status


def _criterion(application, code):
    return application.criterion_set.criteria.get(code=code)


def test_the_whole_workflow_with_comments_per_criterion_and_a_timeline(
    complete_draft, vendor_admin, reviewer, settings
):
    """QUA-3: draft → submitted → in review → changes requested → resubmitted → in review → qualified."""
    settings.QUALIFICATION_VALID_MONTHS = 12
    application = services.application_submit(actor=vendor_admin, application_id=complete_draft.pk)
    services.application_start_review(actor=reviewer, application_id=application.pk)
    tax = _criterion(application, "tax")
    services.application_request_changes(
        actor=reviewer,
        application_id=application.pk,
        reason="The tax certificate must be renewed.",
        comments={
            tax.pk: ("Upload a newer certificate.", True),
            _criterion(application, "contact").pk: ("Fine.", False),
        },
    )
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    rows = {row.criterion.code: row for row in application_rows(application)}
    assert rows["tax"].needs_change and rows["tax"].current_comment.text == "Upload a newer certificate."
    assert not rows["contact"].needs_change
    decided = Notification.objects.get(kind="qualification.decided", recipient=vendor_admin)
    assert decided.body == "The tax certificate must be renewed."

    services.answers_save(
        actor=vendor_admin,
        application_id=application.pk,
        answers={tax.pk: timezone.localdate() - timedelta(days=1)},
    )
    services.application_submit(actor=vendor_admin, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == Status.RESUBMITTED
    services.application_start_review(actor=reviewer, application_id=application.pk)
    qualification = services.application_qualify(
        actor=reviewer, application_id=application.pk, reason="Well done."
    )
    application.refresh_from_db()
    assert application.status == Status.QUALIFIED and application.review_round == 2
    today = timezone.localdate()
    assert (qualification.qualified_on, qualification.expires_on) == (today, add_months(today, 12))
    assert qualification.status == Qualification.Status.ACTIVE

    timeline = application_timeline(application)
    steps = [(e.from_state, e.to_state) for e in timeline if e.from_state]
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "changes_requested"),
        ("changes_requested", "resubmitted"),
        ("resubmitted", "in_review"),
        ("in_review", "qualified"),
    ]
    request_event = next(e for e in timeline if e.to_state == "changes_requested")
    assert request_event.actor == reviewer and request_event.reason == "The tax certificate must be renewed."
    assert str(request_event.to_label) == "Changes requested"
    assert Notification.objects.filter(kind="qualification.decided", recipient=vendor_admin).count() == 2
    assert Notification.objects.filter(kind="qualification.submitted", recipient=reviewer).count() == 2


def test_the_qualification_period_is_configurable(in_review, reviewer, settings):
    """QUA-4: default 12 months, configurable."""
    settings.QUALIFICATION_VALID_MONTHS = 6
    qualification = services.application_qualify(actor=reviewer, application_id=in_review.pk)
    assert qualification.expires_on == add_months(timezone.localdate(), 6)


def test_qualifying_an_application_that_is_still_a_draft_is_refused(complete_draft, reviewer):
    """QUA-3 refusal: a reviewer qualifying a draft."""
    with pytest.raises(IllegalTransition, match="“Draft” cannot change to “Qualified”"):
        services.application_qualify(actor=reviewer, application_id=complete_draft.pk)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT
    assert not Qualification.objects.exists()


def test_deciding_before_the_review_has_started_is_refused(submitted, reviewer):
    with pytest.raises(IllegalTransition):
        services.application_reject(actor=reviewer, application_id=submitted.pk, reason="No")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_second_decision_on_a_decided_application_is_refused(qualification, reviewer):
    """QUA-3 refusal."""
    application = qualification.application
    with pytest.raises(IllegalTransition):
        services.application_reject(actor=reviewer, application_id=application.pk, reason="Changed my mind")
    with pytest.raises(IllegalTransition):
        services.application_qualify(actor=reviewer, application_id=application.pk)
    with pytest.raises(IllegalTransition):
        services.application_request_changes(actor=reviewer, application_id=application.pk, reason="More")
    application.refresh_from_db()
    assert application.status == Status.QUALIFIED
    assert Qualification.objects.count() == 1


def test_reject_and_request_changes_require_a_reason(in_review, reviewer):
    with pytest.raises(ValidationError) as error:
        services.application_reject(actor=reviewer, application_id=in_review.pk, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.application_request_changes(actor=reviewer, application_id=in_review.pk, reason="")
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_rejection_is_recorded_with_the_reason_and_the_vendor_is_notified(in_review, reviewer, vendor_admin):
    services.application_reject(actor=reviewer, application_id=in_review.pk, reason="Normen is not followed.")
    in_review.refresh_from_db()
    assert in_review.status == Status.REJECTED and in_review.decision_reason == "Normen is not followed."
    assert AuditEvent.objects.filter(
        verb="qualificationapplication.rejected", actor=reviewer, reason="Normen is not followed."
    ).exists()
    notification = Notification.objects.get(recipient=vendor_admin, kind="qualification.decided")
    assert (
        notification.title == "Kvalifiseringssøknaden til Kartleggeren AS er avslått"
    )  # the recipient's language


def test_qualify_refused_when_a_criterion_fails_by_its_rule(draft, vendor_admin, reviewer):
    """QUA-1: answers that fail outright cannot be qualified."""
    fill_in(draft, vendor_admin, answers={"dpa": "no"})
    services.application_submit(actor=vendor_admin, application_id=draft.pk)
    services.application_start_review(actor=reviewer, application_id=draft.pk)
    with pytest.raises(Conflict, match="fail by their rules: Signed data-processing agreement template"):
        services.application_qualify(actor=reviewer, application_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW and not Qualification.objects.exists()


def test_qualify_refused_while_criteria_are_marked_must_change(in_review, reviewer):
    tax = _criterion(in_review, "tax")
    services.review_comments_save(
        actor=reviewer, application_id=in_review.pk, comments={tax.pk: ("Too old", True)}
    )
    with pytest.raises(Conflict, match="must be changed"):
        services.application_qualify(actor=reviewer, application_id=in_review.pk)
    services.review_comments_save(
        actor=reviewer, application_id=in_review.pk, comments={tax.pk: ("Too old", False)}
    )
    services.application_qualify(actor=reviewer, application_id=in_review.pk)
    in_review.refresh_from_db()
    assert in_review.status == Status.QUALIFIED


def test_comments_are_one_per_criterion_per_round_and_an_empty_text_removes_it(in_review, reviewer):
    iso = _criterion(in_review, "iso")
    services.review_comments_save(
        actor=reviewer, application_id=in_review.pk, comments={iso.pk: ("First", False)}
    )
    services.review_comments_save(
        actor=reviewer, application_id=in_review.pk, comments={iso.pk: ("Second", False)}
    )
    assert list(ReviewComment.objects.values_list("text", flat=True)) == ["Second"]
    services.review_comments_save(actor=reviewer, application_id=in_review.pk, comments={iso.pk: ("", False)})
    assert not ReviewComment.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.review_comments_save(
            actor=reviewer, application_id=in_review.pk, comments={iso.pk: ("", True)}
        )
    assert f"comment_{iso.pk}" in error.value.message_dict


def test_comments_only_while_in_review(submitted, reviewer):
    with pytest.raises(IllegalTransition):
        services.review_comments_save(
            actor=reviewer,
            application_id=submitted.pk,
            comments={_criterion(submitted, "iso").pk: ("x", False)},
        )


def test_vendors_cannot_review_their_own_or_others_applications(submitted, vendor_admin, ready_other_vendor):
    with pytest.raises(PermissionRefused, match="Only platform administrators"):
        services.application_start_review(actor=vendor_admin, application_id=submitted.pk)
    with pytest.raises(NotFound):
        services.application_start_review(actor=ready_other_vendor.test_admin, application_id=submitted.pk)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_requalification_renews_the_current_qualification(
    qualification, ready_vendor, vendor_admin, reviewer
):
    """QUA-4: a new qualification supersedes the current one; the gate keeps passing throughout."""
    renewal = services.application_start(actor=vendor_admin, organisation=ready_vendor)
    fill_in(renewal, vendor_admin)
    assert services.vendor_is_qualified(ready_vendor)
    new = qualify(renewal, vendor_admin, reviewer)
    qualification.refresh_from_db()
    assert (
        qualification.status == Qualification.Status.SUPERSEDED
        and qualification.ended_on == timezone.localdate()
    )
    assert new.status == Qualification.Status.ACTIVE
    assert Qualification.objects.filter(status=Qualification.Status.ACTIVE).count() == 1


def test_platform_admin_revokes_a_qualification_with_a_reason(
    qualification, reviewer, vendor_admin, ready_vendor
):
    with pytest.raises(ValidationError):
        services.qualification_revoke(actor=reviewer, qualification_id=qualification.pk, reason="")
    with pytest.raises(PermissionRefused):
        services.qualification_revoke(actor=vendor_admin, qualification_id=qualification.pk, reason="Mine")
    services.qualification_revoke(actor=reviewer, qualification_id=qualification.pk, reason="Serious breach")
    qualification.refresh_from_db()
    assert (
        qualification.status == Qualification.Status.REVOKED and qualification.end_reason == "Serious breach"
    )
    assert not services.vendor_is_qualified(ready_vendor)
    with pytest.raises(IllegalTransition):
        services.qualification_revoke(actor=reviewer, qualification_id=qualification.pk, reason="Again")
