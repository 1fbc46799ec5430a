"""Celery tasks of the core: thin, take ids, idempotent."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_notification_emails_task(notification_ids: list[int]) -> int:
    """Send the e-mail for each notification once, if its recipient wants that kind by e-mail."""
    from .services.notifications import wants_email

    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
            )
            if notification is None or notification.emailed_at is not None:
                continue
            user = notification.recipient
            if not wants_email(user, notification.kind):
                continue
            with translation.override(user.language or "nb"):
                link = f"{settings.SITE_URL}{notification.url}" if notification.url.startswith("/") else notification.url
                body = "\n\n".join(part for part in (notification.body, link) if part)
                send_mail(
                    f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.title}",
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task
def terms_announce_effective_task() -> int:
    """Tell organisations about terms versions that have taken effect (TRM-4); idempotent."""
    from .services.terms import terms_announce_effective

    return terms_announce_effective()


@shared_task
def invitations_expire_task() -> int:
    """Mark pending invitations past their date as expired."""
    from .services.organisations import invitations_expire

    return invitations_expire()

