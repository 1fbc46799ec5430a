"""X-3 / item 9 of the issue: the vendor is notified on every decision and administrators on every submission,
each in their own language (titles are rendered per recipient, not in the language of the request)."""

from __future__ import annotations

import pytest
from django.utils import translation

from marketplace.models import Notification
from verification.notifications import QUALIFICATION_DECIDED, QUALIFICATION_EXPIRY, QUALIFICATION_SUBMITTED
from verification.services import qualification as services

pytestmark = pytest.mark.django_db


def test_the_kinds_are_registered_so_people_can_choose_their_emails():
    from marketplace.notifications import KINDS

    assert {QUALIFICATION_SUBMITTED.code, QUALIFICATION_DECIDED.code, QUALIFICATION_EXPIRY.code} <= set(KINDS)


def test_each_recipient_reads_the_notification_in_their_own_language(complete_draft, vendor_admin, reviewer):
    reviewer.language = "en"
    reviewer.save(update_fields=["language"])
    vendor_admin.language = "nb"
    vendor_admin.save(update_fields=["language"])
    with translation.override("en"):
        services.application_submit(actor=vendor_admin, application_id=complete_draft.pk)
    assert (
        Notification.objects.get(recipient=reviewer).title
        == "New qualification application from Kartleggeren AS"
    )
    services.application_start_review(actor=reviewer, application_id=complete_draft.pk)
    with translation.override("en"):
        services.application_reject(actor=reviewer, application_id=complete_draft.pk, reason="Nei.")
    assert Notification.objects.get(recipient=vendor_admin).title == (
        "Kvalifiseringssøknaden til Kartleggeren AS er avslått"
    )


def test_every_decision_notifies_the_vendor_admins(in_review, vendor_admin, reviewer):
    tax = in_review.criterion_set.criteria.get(code="tax")
    services.application_request_changes(
        actor=reviewer,
        application_id=in_review.pk,
        reason="Fix the tax date.",
        comments={tax.pk: ("Old", True)},
    )
    services.answers_save(actor=vendor_admin, application_id=in_review.pk, answers={})
    services.application_submit(actor=vendor_admin, application_id=in_review.pk)
    services.application_start_review(actor=reviewer, application_id=in_review.pk)
    services.review_comments_save(
        actor=reviewer, application_id=in_review.pk, comments={tax.pk: ("OK now", False)}
    )
    services.application_qualify(actor=reviewer, application_id=in_review.pk)
    decided = Notification.objects.filter(recipient=vendor_admin, kind=QUALIFICATION_DECIDED.code)
    assert decided.count() == 2
    assert all(n.url == f"/verifikasjon/kvalifisering/soknader/{in_review.pk}/" for n in decided)
    # The reviewer's account was made after the first submission: it has the resubmission, in Norwegian.
    resubmitted = Notification.objects.get(recipient=reviewer, kind=QUALIFICATION_SUBMITTED.code)
    assert resubmitted.title == "Kartleggeren AS har sendt inn kvalifiseringssøknaden på nytt"
