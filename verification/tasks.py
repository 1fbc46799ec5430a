"""Celery tasks of the verification app: thin entry points that take ids, call one service, idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def qualifications_expire_and_remind_task() -> dict[str, int]:
    """Expire qualifications whose period has ended and send the 30- and 7-day reminders (QUA-4).

    Scheduled by Celery beat; every reminder sent is recorded, so running it twice sends nothing twice.
    """
    from .services.qualification import qualifications_expire_and_remind

    return qualifications_expire_and_remind()


# Verifikasjon: verification runs (VER-3, VER-6) ---------------------------------------------------------
# acks_late and reject_on_worker_lost come from settings: a worker that dies mid-run leaves the message on
# the broker, and the redelivered task takes the run over once the dead worker's lease has expired.


@shared_task(bind=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=300,
             max_retries=8, acks_late=True, reject_on_worker_lost=True)
def run_verification_task(self, run_id: int) -> str | None:
    """Execute verification run `run_id` (idempotent: a finished run is left alone, finished checks are kept).

    A vendor endpoint that is down is a check result, never a retry; database hiccups are retried with
    backoff, and a run another worker holds a fresh lease on is retried when that lease expires.
    """
    from .services.runs import RunBusy, run_execute

    try:
        return run_execute(run_id=run_id)
    except RunBusy as busy:
        raise self.retry(countdown=max(1, int(busy.retry_in)), max_retries=20) from busy


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def runs_reap_task() -> dict[str, int]:
    """End verification runs whose worker died as error, with a reason; resend lost queued runs (beat)."""
    from .services.runs import runs_reap

    return runs_reap()


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def listings_reverify_task() -> int:
    """Queue re-verification of listed products that are due (REVERIFY_INTERVAL_DAYS; beat, VER-6)."""
    from .services.runs import listings_reverify

    return listings_reverify()
