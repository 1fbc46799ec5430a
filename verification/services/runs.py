"""Verification runs (VER-3, VER-6): start, execute (in the worker), finish, reap and re-verify.

The run row is the source of truth. `run_create` writes it (queued) with one pending result per check and
enqueues `run_verification_task(run_id)` after commit. The worker claims the run with a lease
(worker_token + heartbeat_at), writes each check's result exactly once (unique (run, check) and a
conditional update that never overwrites a final result), and finishes the run under a row lock, so a
message delivered twice finishes the run once. A worker that dies leaves a stale heartbeat: a redelivered
message takes the run over after the lease, and the reaper ends runs nobody took over as error.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from marketplace.acting import acting_organisation
from marketplace.audit import audit_record
from marketplace.errors import Conflict, IllegalTransition
from marketplace.models import User
from marketplace.rules import is_platform_admin
from marketplace.services.documents import documents_for
from marketplace.services.notifications import notify
from marketplace.workflow import transition

from ..checks import CheckContext, Outcome, suite
from ..checks.base import ERROR, localize
from ..safe_http import SafeClient
from ..models import CheckResult, DeclarationVersion, Listing, VerificationRun
from ..notifications import RUN_FINISHED
from .products import _ensure_vendor_may_act, lock_version
from .qualification import lazy_message

log = logging.getLogger(__name__)
RunStatus = VerificationRun.Status
VersionStatus = DeclarationVersion.Status


def _config(name: str, default: int) -> int:
    """A tunable of the run machinery: Django setting, else environment variable, else the default."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return int(value)


def lease_seconds() -> int:
    """How long a worker's claim on a run lasts without a heartbeat before another may take it over."""
    return _config("VERIFICATION_RUN_LEASE_SECONDS", 90)


def stale_minutes() -> int:
    """After how long without a sign of life the reaper ends a running (or never started) run as error."""
    return _config("VERIFICATION_RUN_STALE_MINUTES", 15)


def requeue_minutes() -> int:
    """After how long a queued run's task is sent again (the broker may have lost it)."""
    return _config("VERIFICATION_RUN_REQUEUE_MINUTES", 3)


MAX_ATTEMPTS = 3
MAX_ENQUEUES = 3
HEARTBEAT_EVERY_SECONDS = 5


class RunBusy(Exception):
    """Another worker holds a fresh lease on the run; try again in `retry_in` seconds."""

    def __init__(self, retry_in: float):
        super().__init__(f"run busy, retry in {retry_in:.0f} s")
        self.retry_in = retry_in


# Starting ----------------------------------------------------------------------------------------------


def _enqueue(run_id: int) -> None:
    from kombu.exceptions import KombuError

    from ..tasks import run_verification_task

    try:
        run_verification_task.delay(run_id)
    except (KombuError, OSError):
        # The run stays queued; the reaper sends the task again (requeue_minutes).
        log.exception("Could not enqueue verification run %s; the reaper will retry", run_id)


def run_create(*, version: DeclarationVersion, actor: User | None, trigger: str) -> VerificationRun:
    """Queue a run of a locked, frozen version (no permission check: callers do that)."""
    if VerificationRun.objects.filter(version=version, status__in=VerificationRun.ACTIVE_STATES).exists():
        raise Conflict(_("A verification run of version %(number)s is already in progress.") % {"number": version.number})
    run = VerificationRun.objects.create(version=version, trigger=trigger, requested_by=actor, enqueued_count=1)
    CheckResult.objects.bulk_create(
        [CheckResult(run=run, check_id=check.id, order=check.order, mandatory=check.mandatory) for check in suite()]
    )
    audit_record(actor=actor, verb="verificationrun.queued", target=run,
                 organisation=None if actor is not None else version.product.vendor,
                 to_state=RunStatus.QUEUED, data={"version": version.number, "trigger": trigger})
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


@transaction.atomic
def run_start(*, actor: User, version_id: int) -> VerificationRun:
    """“Kjør verifisering”: queue a run of a frozen declaration version (VER-3)."""
    version = lock_version(actor, version_id, "verification.start_verificationrun")
    if not is_platform_admin(actor):
        _ensure_vendor_may_act(acting_organisation(actor), qualified=True)
    if version.is_draft:
        raise IllegalTransition(
            _("Version %(number)s is a draft. Submit it for verification first: a run checks a frozen version, so "
              "that its report says exactly what was checked.") % {"number": version.number}
        )
    if not version.is_runnable:
        raise IllegalTransition(_("Version %(number)s is “%(status)s” and can no longer be verified.")
                                % {"number": version.number, "status": version.get_status_display()})
    if version.status == VersionStatus.CHANGES_REQUESTED:
        transition(version, to=VersionStatus.IN_VERIFICATION, actor=actor, organisation=version.product.vendor,
                   reason=_("Verification started again after the requested changes."))
    return run_create(version=version, actor=actor, trigger=VerificationRun.Trigger.MANUAL)


# Executing (in the worker) ------------------------------------------------------------------------------


def _claim(run_id: int, token: str) -> VerificationRun | None:
    """Take the run for this worker: queued → running, or take over a running run whose lease expired."""
    with transaction.atomic():
        run = VerificationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.is_finished:
            return None
        now = timezone.now()
        lease = timedelta(seconds=lease_seconds())
        if run.status == RunStatus.RUNNING:
            if run.heartbeat_at is not None and run.heartbeat_at > now - lease:
                raise RunBusy((run.heartbeat_at + lease - now).total_seconds() + 1)
            if run.attempts >= MAX_ATTEMPTS:
                _end_with_error(run, gettext_lazy("The run was interrupted %(count)s times and is stopped."),
                                {"count": run.attempts})
                return None
            run.attempts += 1
            run.worker_token, run.heartbeat_at = token, now
            run.save(update_fields=["attempts", "worker_token", "heartbeat_at"])
            audit_record(actor=None, verb="verificationrun.resumed", target=run, data={"attempt": run.attempts})
            return run
        run.started_at = run.heartbeat_at = now
        run.worker_token, run.attempts = token, 1
        transition(run, to=RunStatus.RUNNING, actor=None, update_fields=["started_at", "heartbeat_at", "worker_token", "attempts"])
        return run


class _Heartbeat:
    """Keeps the lease fresh while checks run; tells whether this worker still owns the run."""

    def __init__(self, run_id: int, token: str):
        self.run_id, self.token, self.last = run_id, token, 0.0

    def __call__(self, force: bool = False) -> bool:
        now = time.monotonic()
        if not force and now - self.last < HEARTBEAT_EVERY_SECONDS:
            return True
        self.last = now
        return bool(
            VerificationRun.objects.filter(pk=self.run_id, worker_token=self.token, status=RunStatus.RUNNING)
            .update(heartbeat_at=timezone.now())
        )


def _run_check(check, context: CheckContext) -> Outcome:
    try:
        return check.run(context)
    except DatabaseError:
        raise  # a database hiccup: the task retries; the result stays open and is run again
    except Exception as exc:  # noqa: BLE001 - a bug in a check must not stop the run
        log.exception("Check %s failed unexpectedly", check.id)
        context.note(gettext_lazy("Internal error: %(error)s"), {"error": f"{type(exc).__name__}: {str(exc)[:300]}"})
        return Outcome(ERROR, gettext_lazy("The check could not be completed because of an internal error. "
                                           "The operator can see the details."))


def run_execute(*, run_id: int, client: SafeClient | None = None) -> str | None:
    """Run every check of the suite that has no final result yet; returns the run's final status, or None
    when there was nothing to do (finished already, or another worker took over). Raises RunBusy.

    `client` replaces the SSRF-safe client (the demo seeder's simulated sandbox); the worker never passes one.
    """
    token = uuid.uuid4().hex
    run = _claim(run_id, token)
    if run is None:
        return None
    heartbeat = _Heartbeat(run.pk, token)
    if client is not None:
        client.on_request = heartbeat
    version = DeclarationVersion.objects.select_related("product").get(pk=run.version_id)
    product = version.product
    context = CheckContext(
        version=version, product=product, documents=list(documents_for(version)),
        client=client or SafeClient(on_request=heartbeat),
    )
    for check in suite():
        # One short transaction to renew the lease and mark the check as running (one commit, not three).
        with transaction.atomic():
            if not heartbeat(force=True):
                return None  # the reaper ended the run, or another worker took it over
            result, _created = CheckResult.objects.get_or_create(
                run_id=run.pk, check_id=check.id, defaults={"order": check.order, "mandatory": check.mandatory}
            )
            if result.is_final:
                continue
            CheckResult.objects.filter(pk=result.pk, status__in=CheckResult.OPEN_STATES).update(
                status=CheckResult.Status.RUNNING, started_at=timezone.now()
            )
        context.begin()
        started = time.monotonic()
        outcome = _run_check(check, context)
        duration = int((time.monotonic() - started) * 1000)
        # Written once: a result another delivery (or the reaper) made final is never overwritten.
        CheckResult.objects.filter(pk=result.pk, status__in=CheckResult.OPEN_STATES).update(
            status=outcome.status, messages=outcome.messages(), evidence=context.evidence,
            finished_at=timezone.now(), duration_ms=duration, network_ms=min(context.network_ms, duration),
        )
    return run_finish(run_id=run.pk, token=token)


@transaction.atomic
def run_finish(*, run_id: int, token: str) -> str | None:
    """Decide the run from its results (passed when every mandatory check passed or warned), then update
    the version and, for a listed version, the listing (VER-6)."""
    run = VerificationRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status != RunStatus.RUNNING or run.worker_token != token:
        return None
    results = list(run.results.all())
    if any(not r.is_final for r in results):
        return None
    failed = [r for r in results if r.mandatory and not r.is_accepted]
    status = RunStatus.FAILED if failed else RunStatus.PASSED
    run.finished_at = timezone.now()
    transition(run, to=status, actor=None, organisation=None, update_fields=["finished_at"],
               data={"failed": [r.check_id for r in failed]})
    _after_run(run, failed)
    return status


def _after_run(run: VerificationRun, failed: list[CheckResult]) -> None:
    from .listing import listing_record_run

    version = DeclarationVersion.objects.select_for_update().select_related("product", "product__vendor").get(
        pk=run.version_id
    )
    passed = run.status == RunStatus.PASSED
    if version.status == VersionStatus.IN_VERIFICATION and passed:
        transition(version, to=VersionStatus.VERIFIED, actor=None, organisation=version.product.vendor,
                   reason=_("Verification run %(id)s passed every mandatory check.") % {"id": run.pk})
    elif version.status == VersionStatus.VERIFIED and not passed:
        transition(version, to=VersionStatus.IN_VERIFICATION, actor=None, organisation=version.product.vendor,
                   reason=_("Verification run %(id)s failed.") % {"id": run.pk})
    elif version.status == VersionStatus.LISTED:
        listing_record_run(version=version, run=run, failed=failed)
    _notify_requester(run, version)


def _notify_requester(run: VerificationRun, version: DeclarationVersion) -> None:
    if run.requested_by_id is None:
        return
    messages = {
        RunStatus.PASSED: gettext_noop("Verification of %(product)s version %(number)s passed"),
        RunStatus.FAILED: gettext_noop("Verification of %(product)s version %(number)s failed"),
        RunStatus.ERROR: gettext_noop("Verification of %(product)s version %(number)s stopped with an error"),
    }
    notify(
        recipients=[User.objects.get(pk=run.requested_by_id)],
        kind=RUN_FINISHED.code,
        title=lazy_message(messages[run.status], product=version.product.name, number=version.number),
        url=reverse("verification:run_report", args=[run.uuid]),
        organisation=version.product.vendor,
    )


def _end_with_error(run: VerificationRun, message: Any, params: dict | None = None) -> None:
    """End a locked run as error with a reason; open results are closed so that nobody writes them later."""
    now = timezone.now()
    texts = localize(message, params)
    CheckResult.objects.filter(run=run, status=CheckResult.Status.RUNNING).update(
        status=CheckResult.Status.ERROR, finished_at=now,
        messages=localize(gettext_lazy("Not completed: the run was stopped.")),
    )
    CheckResult.objects.filter(run=run, status=CheckResult.Status.PENDING).update(
        status=CheckResult.Status.SKIPPED, finished_at=now,
        messages=localize(gettext_lazy("Not run: the run was stopped.")),
    )
    run.finished_at = now
    run.error_messages = texts
    run.worker_token = ""
    transition(run, to=RunStatus.ERROR, actor=None, reason=texts.get(settings.LANGUAGE_CODE, ""),
               update_fields=["finished_at", "error_messages", "worker_token"])
    version = DeclarationVersion.objects.select_related("product", "product__vendor").get(pk=run.version_id)
    _notify_requester(run, version)


# Scheduled housekeeping ------------------------------------------------------------------------------------


def runs_reap(*, now=None) -> dict[str, int]:
    """End runs whose worker died (no heartbeat for stale_minutes) or that no worker ever started, as error
    with a reason; send the task again for runs that waited in the queue a while (the broker may have lost it)."""
    now = now or timezone.now()
    stale_before = now - timedelta(minutes=stale_minutes())
    requeue_before = now - timedelta(minutes=requeue_minutes())
    counts = {"ended": 0, "requeued": 0}
    stuck = VerificationRun.objects.filter(
        Q(status=RunStatus.RUNNING, heartbeat_at__lt=stale_before)
        | Q(status=RunStatus.QUEUED, created_at__lt=stale_before)
    ).values_list("pk", flat=True)
    for run_id in list(stuck):
        with transaction.atomic():
            run = VerificationRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None or run.is_finished:
                continue
            if run.status == RunStatus.RUNNING and run.heartbeat_at and run.heartbeat_at >= stale_before:
                continue  # it came back to life
            if run.status == RunStatus.RUNNING:
                _end_with_error(run, gettext_lazy(
                    "The worker running this verification stopped responding (last sign of life %(time)s). "
                    "Start the run again."), {"time": timezone.localtime(run.heartbeat_at).strftime("%d.%m.%Y %H:%M:%S")})
            else:
                _end_with_error(run, gettext_lazy(
                    "No worker started this verification within %(minutes)s minutes. Start the run again."),
                    {"minutes": stale_minutes()})
            counts["ended"] += 1
    waiting = VerificationRun.objects.filter(
        status=RunStatus.QUEUED, created_at__lt=requeue_before, created_at__gte=stale_before,
        enqueued_count__lt=MAX_ENQUEUES,
    ).values_list("pk", flat=True)
    for run_id in list(waiting):
        with transaction.atomic():
            updated = VerificationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED, enqueued_count__lt=MAX_ENQUEUES)
            if updated.update(enqueued_count=F("enqueued_count") + 1):
                transaction.on_commit(lambda run_id=run_id: _enqueue(run_id))
                counts["requeued"] += 1
    if counts["ended"]:
        log.warning("Reaper ended %s verification runs as error", counts["ended"])
    return counts


def listings_reverify(*, now=None) -> int:
    """Queue a re-verification of every active listing whose listed version was last verified more than
    REVERIFY_INTERVAL_DAYS ago (VER-6). Runs as the system; safe to call as often as the beat likes."""
    now = now or timezone.now()
    due_before = now - timedelta(days=settings.REVERIFY_INTERVAL_DAYS)
    due = (
        Listing.objects.active()
        .filter(Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=due_before))
        .values_list("version_id", flat=True)
    )
    queued = 0
    for version_id in list(due):
        with transaction.atomic():
            version = lock_version(None, version_id)
            if version.status != VersionStatus.LISTED:
                continue
            if VerificationRun.objects.filter(version=version, status__in=VerificationRun.ACTIVE_STATES).exists():
                continue
            run_create(version=version, actor=None, trigger=VerificationRun.Trigger.SCHEDULED)
            queued += 1
    return queued
