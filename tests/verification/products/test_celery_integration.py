"""VER-3 through a real Celery worker (Redis in CI, the embedded transport otherwise): a run completes end to
end in the worker; a worker killed in the middle of a run leaves it completed exactly once (taken over by the
next delivery) or ended as error by the reaper — never stuck in "running"."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import AuditEvent
from tests.marketplace.celery_worker import running_worker, wait_for
from verification.checks import suite
from verification.models import VerificationRun
from verification.services import products as services
from verification.services import runs as run_services
from verification.tasks import run_verification_task

from .factories import draft_of, fill, register_product

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gate(sandbox):
    """The sandbox's "gate" mode holds every answer until the test opens the gate."""
    sandbox.gate.clear()
    sandbox.gate_reached.clear()
    yield sandbox
    sandbox.gate.set()


@pytest.fixture
def short_lease(monkeypatch):
    # A dead worker's lease expires after two seconds (the worker process reads this from its environment).
    monkeypatch.setenv("VERIFICATION_RUN_LEASE_SECONDS", "2")


def _frozen(vendor_admin, vendor, endpoints):
    product = register_product(vendor_admin, vendor, endpoints=endpoints)
    return fill(draft_of(product), vendor_admin)


def _finished(run_id):
    run = VerificationRun.objects.get(pk=run_id)
    return run if run.is_finished else None


def _kill(process) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def test_run_completes_end_to_end_in_a_real_worker(tmp_path, vendor_admin, qualified_vendor, sandbox):
    version = _frozen(vendor_admin, qualified_vendor, sandbox.endpoints())
    with running_worker(tmp_path) as (process, log_path):
        services.version_freeze(actor=vendor_admin, version_id=version.pk)  # enqueued on commit
        run = VerificationRun.objects.get(version=version)
        run = wait_for(lambda: _finished(run.pk), timeout=60, what="the worker to finish the run")
    assert run.status == VerificationRun.Status.PASSED, [(r.check_id, r.status, r.message) for r in run.results.all()]
    assert run.results.count() == len(suite()) and not run.results.exclude(status__in=("pass", "warn")).exists()
    assert run.attempts == 1 and run.worker_token
    assert "run_verification_task[" in log_path.read_text()
    version.refresh_from_db()
    assert version.status == "verified"


def test_killed_worker_run_is_taken_over_and_completed_exactly_once(tmp_path, vendor_admin, qualified_vendor, gate,
                                                                     short_lease):
    version = _frozen(vendor_admin, qualified_vendor, gate.endpoints("gate"))
    with running_worker(tmp_path, pool="solo") as (first, _log):
        services.version_freeze(actor=vendor_admin, version_id=version.pk)
        assert gate.gate_reached.wait(timeout=60), "the worker never reached the sandbox"
        _kill(first)  # in the middle of the CapabilityStatement check
    run = VerificationRun.objects.get(version=version)
    assert run.status == VerificationRun.Status.RUNNING
    done_before = dict(run.results.filter(status__in=("pass", "warn")).values_list("check_id", "finished_at"))
    assert set(done_before) == {"declaration_complete", "declaration_consistent", "documents_present"}

    gate.gate.set()
    with running_worker(tmp_path, pool="solo"):
        # The broker redelivers the unacknowledged message (Redis: after its visibility timeout); send it now,
        # twice, as a double delivery would.
        run_verification_task.delay(run.pk)
        run_verification_task.delay(run.pk)
        run = wait_for(lambda: _finished(run.pk), timeout=90, what="the second worker to take the run over")
    assert run.status == VerificationRun.Status.PASSED
    assert run.attempts == 2
    assert run.results.count() == len(suite())
    assert dict(run.results.filter(check_id__in=done_before).values_list("check_id", "finished_at")) == done_before
    assert AuditEvent.objects.filter(verb="verificationrun.passed", target_id=str(run.pk)).count() == 1
    assert AuditEvent.objects.filter(verb="verificationrun.resumed", target_id=str(run.pk)).count() == 1


def test_killed_worker_run_nobody_takes_over_is_ended_by_the_reaper(tmp_path, vendor_admin, qualified_vendor, gate):
    version = _frozen(vendor_admin, qualified_vendor, gate.endpoints("gate"))
    with running_worker(tmp_path, pool="solo") as (process, _log):
        services.version_freeze(actor=vendor_admin, version_id=version.pk)
        assert gate.gate_reached.wait(timeout=60), "the worker never reached the sandbox"
        _kill(process)
    run = VerificationRun.objects.get(version=version)
    assert run.status == VerificationRun.Status.RUNNING
    assert run_services.runs_reap() == {"ended": 0, "requeued": 0}  # not stale yet
    later = timezone.now() + timedelta(minutes=run_services.stale_minutes() + 1)
    assert run_services.runs_reap(now=later)["ended"] == 1
    run.refresh_from_db()
    assert run.status == VerificationRun.Status.ERROR and "stopped responding" in run.error_messages["en"]
    statuses = dict(run.results.values_list("check_id", "status"))
    assert statuses["fhir_capability_statement"] == "error"
    assert statuses["declaration_complete"] == "pass" and statuses["oidc_discovery"] == "skipped"
    assert run.results.count() == len(suite())
    # A late redelivery finds the run finished and changes nothing.
    gate.gate.set()
    assert run_services.run_execute(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.status == VerificationRun.Status.ERROR
