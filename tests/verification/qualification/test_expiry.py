"""QUA-4: qualifications expire after the configured period; reminders 30 and 7 days before; the beat task is
idempotent (running it twice sends nothing twice) and records what it sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from marketplace.models import AuditEvent, Notification
from verification.models import Qualification, QualificationReminder
from verification.services import qualification as services
from verification.tasks import qualifications_expire_and_remind_task

pytestmark = pytest.mark.django_db


def _expiring_in(qualification: Qualification, days: int) -> Qualification:
    """Move a qualification so that it expires `days` from today (test set-up only)."""
    today = timezone.localdate()
    Qualification.objects.filter(pk=qualification.pk).update(
        qualified_on=today - timedelta(days=365 - days), expires_on=today + timedelta(days=days)
    )
    qualification.refresh_from_db()
    return qualification


def _reminders(user):
    return Notification.objects.filter(recipient=user, kind="qualification.expiry")


def test_the_beat_schedule_runs_the_expiry_task():
    entry = settings.CELERY_BEAT_SCHEDULE["qualifications-expire-and-remind"]
    assert entry["task"] == "verification.tasks.qualifications_expire_and_remind_task"
    assert qualifications_expire_and_remind_task.name == entry["task"]


def test_reminders_30_and_7_days_before_expiry_each_sent_once(
    qualification, vendor_admin, django_capture_on_commit_callbacks
):
    """QUA-4: running the task twice on the same day sends nothing twice (in-app or by e-mail)."""
    with django_capture_on_commit_callbacks(execute=True):
        _run_the_days(qualification, vendor_admin)
    # Rendered in the recipient's language (bokmål by default).
    assert len([m for m in mail.outbox if "utløper" in m.subject]) == 2
    assert {m.to[0] for m in mail.outbox} == {vendor_admin.email}


def _run_the_days(qualification, vendor_admin):
    _expiring_in(qualification, 45)
    assert qualifications_expire_and_remind_task.delay().get() == {"expired": 0, "reminded": 0}

    _expiring_in(qualification, 30)
    assert qualifications_expire_and_remind_task.delay().get() == {"expired": 0, "reminded": 1}
    assert qualifications_expire_and_remind_task.delay().get() == {"expired": 0, "reminded": 0}
    assert _reminders(vendor_admin).count() == 1
    assert "Kartleggeren AS utløper" in _reminders(vendor_admin).get().title

    _expiring_in(qualification, 12)
    assert qualifications_expire_and_remind_task.delay().get()["reminded"] == 0  # between the two reminders

    _expiring_in(qualification, 7)
    assert qualifications_expire_and_remind_task.delay().get()["reminded"] == 1
    assert qualifications_expire_and_remind_task.delay().get()["reminded"] == 0
    assert sorted(QualificationReminder.objects.values_list("days_before", flat=True)) == [7, 30]
    assert _reminders(vendor_admin).count() == 2


def test_a_late_first_run_sends_only_the_most_urgent_reminder(qualification, vendor_admin):
    _expiring_in(qualification, 5)
    services.qualifications_expire_and_remind()
    services.qualifications_expire_and_remind()
    assert list(QualificationReminder.objects.values_list("days_before", flat=True)) == [7]
    assert _reminders(vendor_admin).count() == 1


def test_a_qualification_expires_on_its_date_once_and_the_vendor_is_told(
    qualification, vendor_admin, ready_vendor
):
    """QUA-4: expires on time; idempotent."""
    _expiring_in(qualification, 1)
    assert services.qualifications_expire_and_remind()["expired"] == 0
    assert services.vendor_is_qualified(ready_vendor)

    tomorrow = timezone.localdate() + timedelta(days=1)
    assert services.qualifications_expire_and_remind(today=tomorrow)["expired"] == 1
    assert services.qualifications_expire_and_remind(today=tomorrow) == {"expired": 0, "reminded": 0}
    qualification.refresh_from_db()
    assert (
        qualification.status == Qualification.Status.EXPIRED
        and qualification.ended_on == qualification.expires_on
    )
    expired = _reminders(vendor_admin).filter(title__contains=" utløp ")
    assert expired.count() == 1
    event = AuditEvent.objects.get(verb="qualification.expired")
    assert event.actor is None and (event.from_state, event.to_state) == ("active", "expired")


def test_the_gate_refuses_on_the_expiry_date_even_before_the_task_has_run(qualification, ready_vendor):
    """QUA-4/QUA-5: "expiring on time" does not depend on when the beat task runs."""
    today = timezone.localdate()
    Qualification.objects.filter(pk=qualification.pk).update(
        qualified_on=today - timedelta(days=365), expires_on=today
    )
    assert not services.vendor_is_qualified(ready_vendor)
    with pytest.raises(services.PermissionRefused, match="expired on"):
        services.ensure_vendor_qualified(ready_vendor)


def test_revoked_and_superseded_qualifications_get_no_reminders(qualification, reviewer, vendor_admin):
    _expiring_in(qualification, 7)
    services.qualification_revoke(actor=reviewer, qualification_id=qualification.pk, reason="Breach")
    assert services.qualifications_expire_and_remind() == {"expired": 0, "reminded": 0}
    assert not _reminders(vendor_admin).exists()
