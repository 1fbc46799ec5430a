"""QUA-2 / QUA-4: on requalification the previous answers are offered for reuse; evidence older than its
validity is not carried over and must be renewed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from marketplace.models import Document
from marketplace.services.documents import documents_for
from verification.models import Outcome, QualificationAnswer
from verification.selectors.qualification import application_rows
from verification.services import qualification as services

from .conftest import qualify
from .factories import pdf_upload

pytestmark = pytest.mark.django_db


def _age_evidence(application, days: int) -> None:
    answers = QualificationAnswer.objects.filter(application=application).values("pk")
    Document.objects.filter(owner_id__in=answers).update(created_at=F("created_at") - timedelta(days=days))


def test_previous_answers_are_reused_and_stale_evidence_must_be_renewed(
    qualification, ready_vendor, vendor_admin
):
    previous = qualification.application
    _age_evidence(previous, 200)  # tax evidence (valid 6 months) is stale; ISO evidence (12 months) is not
    renewal = services.application_start(actor=vendor_admin, organisation=ready_vendor, reuse_previous=True)
    assert renewal.previous == previous
    assert renewal.address == previous.address
    rows = {row.criterion.code: row for row in application_rows(renewal)}
    assert rows["dpa"].answer.value_bool is True and rows["dpa"].answer.reused_from is not None
    assert rows["contact"].answer.value_text == "Vera Vendor, CISO, +47 99 99 99 99"
    assert len(rows["dpa"].documents) == 1 and len(rows["iso"].documents) == 1
    assert rows["tax"].documents == [] and rows["tax"].answer.evidence_needs_renewal
    # The copy is the new application's own document, not the old one.
    old_ids = set(
        Document.objects.filter(owner_id__in=previous.answers.values("pk")).values_list("pk", flat=True)
    )
    assert not ({d.pk for d in rows["dpa"].documents} & old_ids)

    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=vendor_admin, application_id=renewal.pk)
    assert "too old and must be renewed" in " ".join(error.value.messages)

    tax = rows["tax"].criterion
    services.evidence_upload(
        actor=vendor_admin,
        application_id=renewal.pk,
        criterion_id=tax.pk,
        upload=pdf_upload("ny-skatteattest.pdf"),
    )
    assert not QualificationAnswer.objects.get(application=renewal, criterion=tax).evidence_needs_renewal
    services.application_submit(actor=vendor_admin, application_id=renewal.pk)


def test_a_date_answer_that_has_gone_stale_is_reassessed_when_reused(
    qualification, ready_vendor, vendor_admin
):
    tax_answer = QualificationAnswer.objects.get(application=qualification.application, criterion__code="tax")
    QualificationAnswer.objects.filter(pk=tax_answer.pk).update(
        value_date=timezone.localdate() - timedelta(days=250)
    )
    renewal = services.application_start(actor=vendor_admin, organisation=ready_vendor)
    assert QualificationAnswer.objects.get(application=renewal, criterion__code="tax").outcome == Outcome.FAIL


def test_answers_are_matched_by_code_across_versions(
    qualification, ready_vendor, vendor_admin, platform_admin
):
    v2 = services.criterion_set_create(
        actor=platform_admin,
        version="2.0",
        title="K",
        copy_from_id=qualification.application.criterion_set_id,
    )
    services.criterion_add(
        actor=platform_admin,
        criterion_set_id=v2.pk,
        code="helseid",
        section="Integrasjon",
        text="HelseID client?",
        answer_type="yes_no",
    )
    services.criterion_set_activate(actor=platform_admin, criterion_set_id=v2.pk)
    renewal = services.application_start(actor=vendor_admin, organisation=ready_vendor)
    assert renewal.criterion_set == v2
    answered = set(
        QualificationAnswer.objects.filter(application=renewal).values_list("criterion__code", flat=True)
    )
    assert answered == {"dpa", "iso", "contact", "tax"}


def test_the_vendor_may_start_blank_instead(qualification, ready_vendor, vendor_admin):
    renewal = services.application_start(actor=vendor_admin, organisation=ready_vendor, reuse_previous=False)
    assert renewal.previous is None
    assert not QualificationAnswer.objects.filter(application=renewal).exists()


def test_a_rejected_application_is_also_offered_for_reuse(in_review, ready_vendor, vendor_admin, reviewer):
    services.application_reject(actor=reviewer, application_id=in_review.pk, reason="Try again")
    again = services.application_start(actor=vendor_admin, organisation=ready_vendor)
    assert again.previous == in_review
    assert QualificationAnswer.objects.filter(application=again).count() == 4
    assert sum(documents_for(a).count() for a in again.answers.all()) == 3
    assert qualify(again, vendor_admin, reviewer).organisation == ready_vendor
