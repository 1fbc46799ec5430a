"""Celery tasks of Erfaringsarena: thin entry points that take ids, call one service and are idempotent
(each event is told once, see services/notices.py). Enqueued by the services after commit."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import notices

RETRY = {"autoretry_for": (OperationalError, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def notify_experience_published_task(experience_id: int) -> int:
    return notices.experience_published(experience_id=experience_id)


@shared_task(**RETRY)
def notify_experience_updated_task(experience_id: int, version: int) -> int:
    return notices.experience_updated(experience_id=experience_id, version=version)


@shared_task(**RETRY)
def notify_comment_added_task(comment_id: int) -> int:
    return notices.comment_added(comment_id=comment_id)


@shared_task(**RETRY)
def notify_moderated_task(kind: str, pk: int, event_id: int) -> int:
    return notices.content_moderated(kind=kind, pk=pk, event_id=event_id)


@shared_task(**RETRY)
def notify_reported_task(report_id: int) -> int:
    return notices.content_reported(report_id=report_id)
