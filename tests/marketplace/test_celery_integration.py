"""X-3 through a real Celery worker: a notification's e-mail is sent by the worker, after commit, once."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from marketplace.models import Notification
from marketplace.notifications import TERMS_NEW_VERSION
from marketplace.services.notifications import notify

from ..factories import UserFactory
from .celery_worker import running_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_sends_notification_email_once_through_the_broker(tmp_path):
    person = UserFactory(email="inger@ringsaker.example", language="nb")
    with running_worker(tmp_path) as (process, log_path):
        notify(recipients=[person], kind=TERMS_NEW_VERSION.code, title="Nye vilkår må godtas", url="/vilkar/")
        notification = Notification.objects.get(recipient=person)
        wait_for(lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists(),
                 what="the worker to send the e-mail")
        # The console e-mail backend of the worker prints the message it sent.
        wait_for(lambda: "inger@ringsaker.example" in log_path.read_text(), what="the e-mail in the worker's output")
        output = log_path.read_text()
        assert "Subject: =?utf-8?" in output  # the Norwegian subject, MIME-encoded
        assert f"{settings.SITE_URL}/vilkar/" in output
        # Delivering the same task again sends nothing twice.
        from marketplace.tasks import send_notification_emails_task

        send_notification_emails_task.delay([notification.pk])
        wait_for(lambda: log_path.read_text().count("succeeded") >= 2, what="the second delivery to finish")
        assert log_path.read_text().count("To: inger@ringsaker.example") == 1


def test_ci_runs_against_redis():
    """CI must exercise the production broker, not the embedded one."""
    if os.environ.get("CI"):
        assert os.environ.get("REDIS_URL"), "CI must set REDIS_URL"
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    else:
        assert settings.CELERY_BROKER_URL.startswith(("redis://", "filesystem://"))
