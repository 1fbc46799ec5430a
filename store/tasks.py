"""Celery tasks of the store app: thin entry points that take ids, call one service and are idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

RETRY = {"autoretry_for": (OperationalError, ConnectionError), "retry_backoff": True, "max_retries": 5}


# Butikken (STO-1 … STO-6) ------------------------------------------------------------------------------


@shared_task(**RETRY)
def adoptions_activate_due_task() -> int:
    """Start accepted adoptions whose start date has come (hourly); idempotent."""
    from .services.catalogue import adoptions_activate_due

    return adoptions_activate_due()


@shared_task(**RETRY)
def store_entries_sync_task() -> int:
    """Repair the store's read model of listings (entries missing or built from an older version); idempotent."""
    from .services.catalogue import store_entries_sync

    return store_entries_sync()


# Felleskjøp (PRO-1 … PRO-6) ----------------------------------------------------------------------------


@shared_task(**RETRY)
def notify_procurement_event_task(event_id: int) -> int:
    """Tell the people concerned about one procurement event; each event is told once."""
    from .services.procurement import notify_event

    return notify_event(event_id=event_id)


@shared_task(**RETRY)
def procurements_close_expired_task() -> int:
    """Close joint-procurement agreements whose period has ended (daily); idempotent."""
    from .services.procurement import procurements_close_expired

    return procurements_close_expired()
