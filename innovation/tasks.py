"""Celery tasks of Innovasjonsarena: thin entry points that take ids, call one service and are idempotent
(each event is told once, see services/notices.py). Enqueued by the services after commit."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import notices

RETRY = {"autoretry_for": (OperationalError, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def notify_stage_changed_task(need_id: int, event_id: int) -> int:
    return notices.stage_changed(need_id=need_id, event_id=event_id)


@shared_task(**RETRY)
def notify_need_retired_task(need_id: int, event_id: int) -> int:
    return notices.need_retired(need_id=need_id, event_id=event_id)


@shared_task(**RETRY)
def notify_need_updated_task(need_id: int, actor_id: int | None, marker: str) -> int:
    return notices.need_updated(need_id=need_id, actor_id=actor_id, marker=marker)


@shared_task(**RETRY)
def notify_collaboration_requested_task(collaboration_id: int) -> int:
    return notices.collaboration_requested(collaboration_id=collaboration_id)


@shared_task(**RETRY)
def notify_collaboration_decided_task(collaboration_id: int) -> int:
    return notices.collaboration_decided(collaboration_id=collaboration_id)


@shared_task(**RETRY)
def notify_comment_added_task(comment_id: int) -> int:
    return notices.comment_added(comment_id=comment_id)


@shared_task(**RETRY)
def notify_vendor_interest_task(interest_id: int) -> int:
    return notices.vendor_interest(interest_id=interest_id)
