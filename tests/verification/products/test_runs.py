"""VER-3, VER-6: verification runs as reliable jobs — started on frozen versions only, executed idempotently,
taken over or reaped when a worker dies, and re-verification of listed products."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from marketplace.errors import Conflict, IllegalTransition, NotFound
from marketplace.models import AuditEvent, Notification
from tests.marketplace.helpers import nb
from verification.checks import base as check_base
from verification.checks import suite
from verification.models import CheckResult, DeclarationVersion, Listing, VerificationRun
from verification.services import products as services
from verification.services import runs as run_services
from verification.tasks import run_verification_task

from .factories import draft_of, fill, listed_product, register_product, run_again

pytestmark = pytest.mark.django_db
RunStatus = VerificationRun.Status


@pytest.fixture
def frozen(vendor_admin, qualified_vendor, sandbox):
    """A frozen version with a queued (not yet executed) run."""
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    services.version_freeze(actor=vendor_admin, version_id=version.pk)
    version.refresh_from_db()
    return version


def _run_of(version) -> VerificationRun:
    return VerificationRun.objects.filter(version=version).latest("created_at")


def test_run_on_an_unfrozen_draft_is_refused(vendor_admin, qualified_vendor):
    product = register_product(vendor_admin, qualified_vendor)
    with pytest.raises(IllegalTransition) as refusal:
        run_services.run_start(actor=vendor_admin, version_id=draft_of(product).pk)
    assert refusal.value.message == nb(
        "Version %(number)s is a draft. Submit it for verification first: a run checks a frozen version, so that its "
        "report says exactly what was checked.", number=1)
    assert not VerificationRun.objects.exists()


def test_run_start_queues_one_pending_result_per_check(frozen):
    run = _run_of(frozen)
    assert run.status == RunStatus.QUEUED
    assert list(run.results.values_list("check_id", "status")) == [(c.id, "pending") for c in suite()]


def test_only_one_run_of_a_version_at_a_time(frozen, vendor_admin):
    with pytest.raises(Conflict):
        run_services.run_start(actor=vendor_admin, version_id=frozen.pk)
    assert VerificationRun.objects.filter(version=frozen).count() == 1


def test_another_vendor_cannot_start_a_run(frozen, other_vendor_admin):
    with pytest.raises(NotFound):
        run_services.run_start(actor=other_vendor_admin, version_id=frozen.pk)


def test_platform_admin_may_run_a_submitted_version_again(frozen, vendor_admin, reviewer):
    run_services.run_execute(run_id=_run_of(frozen).pk)
    services.version_submit(actor=vendor_admin, version_id=frozen.pk)
    run = run_services.run_start(actor=reviewer, version_id=frozen.pk)
    assert run.requested_by == reviewer


def test_a_message_delivered_twice_finishes_the_run_once(frozen):
    run = _run_of(frozen)
    assert run_services.run_execute(run_id=run.pk) == RunStatus.PASSED
    finished = {r.check_id: r.finished_at for r in run.results.all()}
    assert run_services.run_execute(run_id=run.pk) is None  # the redelivered message finds it finished
    run.refresh_from_db()
    assert run.status == RunStatus.PASSED and run.attempts == 1
    assert run.results.count() == len(suite())
    assert {r.check_id: r.finished_at for r in run.results.all()} == finished
    assert AuditEvent.objects.filter(verb="verificationrun.passed", target_id=str(run.pk)).count() == 1


def test_a_run_held_by_a_live_worker_is_not_run_twice(frozen):
    run = _run_of(frozen)
    VerificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, worker_token="other",
                                                     heartbeat_at=timezone.now(), attempts=1)
    with pytest.raises(run_services.RunBusy) as busy:
        run_services.run_execute(run_id=run.pk)
    assert 0 < busy.value.retry_in <= run_services.lease_seconds() + 1
    assert run.results.filter(status="pending").count() == len(suite())


def test_task_retries_after_the_lease_when_another_worker_holds_the_run(frozen):
    run = _run_of(frozen)
    VerificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, worker_token="other",
                                                     heartbeat_at=timezone.now(), attempts=1)
    with mock.patch.object(run_verification_task, "retry", side_effect=RuntimeError("retry")) as retry:
        with pytest.raises(RuntimeError):
            run_verification_task.run(run.pk)
    assert retry.call_args.kwargs["countdown"] > 0


def test_a_run_whose_worker_died_is_taken_over_and_keeps_finished_results(frozen):
    """The worker died during check 4: checks 1–3 were final, check 4 was running, the heartbeat is stale."""
    run = _run_of(frozen)
    stale = timezone.now() - timedelta(seconds=run_services.lease_seconds() + 5)
    VerificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, worker_token="dead", started_at=stale,
                                                     heartbeat_at=stale, attempts=1)
    done_at = timezone.now() - timedelta(minutes=2)
    kept = list(run.results.order_by("order")[:3])
    for result in kept:
        CheckResult.objects.filter(pk=result.pk).update(status="pass", messages={"nb": "tidligere", "en": "earlier"},
                                                        finished_at=done_at, duration_ms=1)
    CheckResult.objects.filter(run=run, check_id="fhir_capability_statement").update(status="running")
    assert run_services.run_execute(run_id=run.pk) == RunStatus.PASSED
    run.refresh_from_db()
    assert run.attempts == 2
    for result in kept:
        result.refresh_from_db()
        assert result.messages["en"] == "earlier" and result.finished_at == done_at
    assert run.results.get(check_id="fhir_capability_statement").status == "pass"
    assert AuditEvent.objects.filter(verb="verificationrun.resumed", target_id=str(run.pk)).exists()


def test_a_run_interrupted_too_often_ends_as_error(frozen):
    run = _run_of(frozen)
    stale = timezone.now() - timedelta(hours=1)
    VerificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, worker_token="dead", heartbeat_at=stale,
                                                     attempts=run_services.MAX_ATTEMPTS)
    assert run_services.run_execute(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.status == RunStatus.ERROR and "interrupted" in run.error_messages["en"]


def test_reaper_ends_stuck_runs_as_error_with_a_reason(frozen, vendor_admin):
    run = _run_of(frozen)
    stale = timezone.now() - timedelta(minutes=run_services.stale_minutes() + 1)
    VerificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, worker_token="dead", started_at=stale,
                                                     heartbeat_at=stale, attempts=1)
    CheckResult.objects.filter(run=run, check_id="declaration_complete").update(status="pass")
    CheckResult.objects.filter(run=run, check_id="declaration_consistent").update(status="running")
    assert run_services.runs_reap() == {"ended": 1, "requeued": 0}
    run.refresh_from_db()
    assert run.status == RunStatus.ERROR and run.finished_at is not None
    assert "stopped responding" in run.error_messages["en"] and run.error_messages["nb"]
    statuses = dict(run.results.values_list("check_id", "status"))
    assert statuses["declaration_complete"] == "pass"
    assert statuses["declaration_consistent"] == "error"
    assert list(set(statuses.values()) - {"pass", "error"}) == ["skipped"]
    # The requester hears about it; a late write by the dead worker changes nothing.
    assert Notification.objects.filter(recipient=vendor_admin, kind="verification.run_finished").exists()
    assert run_services.run_finish(run_id=run.pk, token="dead") is None
    assert run_services.run_execute(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.status == RunStatus.ERROR
    # Reaping twice is harmless.
    assert run_services.runs_reap() == {"ended": 0, "requeued": 0}


def test_reaper_leaves_live_runs_alone_and_resends_queued_ones(frozen, django_capture_on_commit_callbacks):
    run = _run_of(frozen)
    VerificationRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(minutes=run_services.requeue_minutes() + 1))
    with mock.patch("verification.services.runs._enqueue") as enqueue, \
            django_capture_on_commit_callbacks(execute=True):
        assert run_services.runs_reap() == {"ended": 0, "requeued": 1}
    enqueue.assert_called_once_with(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and run.enqueued_count == 2
    VerificationRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(minutes=run_services.stale_minutes() + 1))
    assert run_services.runs_reap()["ended"] == 1
    run.refresh_from_db()
    assert run.status == RunStatus.ERROR and "No worker started" in run.error_messages["en"]


def test_broker_down_at_enqueue_leaves_the_run_queued_for_the_reaper(vendor_admin, qualified_vendor, sandbox,
                                                                      django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError as BrokerDown

    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    with mock.patch.object(run_verification_task, "delay", side_effect=BrokerDown("connection refused")), \
            django_capture_on_commit_callbacks(execute=True):
        services.version_freeze(actor=vendor_admin, version_id=version.pk)
    assert _run_of(version).status == RunStatus.QUEUED


def test_an_unexpected_error_in_a_check_is_a_result_and_the_run_goes_on(frozen, monkeypatch):
    check = next(c for c in suite() if c.id == "declaration_consistent")
    monkeypatch.setattr(check, "run", mock.Mock(side_effect=KeyError("boom")))
    run = _run_of(frozen)
    assert run_services.run_execute(run_id=run.pk) == RunStatus.FAILED
    result = run.results.get(check_id="declaration_consistent")
    assert result.status == "error" and "internal error" in result.messages["en"]
    assert "KeyError" in result.evidence[0]["text"]["en"]
    assert run.results.filter(status="pass").count() == len(suite()) - 2  # and the HTTPS warning


def test_a_database_error_in_a_check_propagates_for_the_task_to_retry(frozen, monkeypatch):
    check = next(c for c in suite() if c.id == "documents_present")
    monkeypatch.setattr(check, "run", mock.Mock(side_effect=OperationalError("connection lost")))
    run = _run_of(frozen)
    with pytest.raises(OperationalError):
        run_services.run_execute(run_id=run.pk)
    assert run.results.get(check_id="documents_present").status == "running"  # run again on retry


def test_a_failing_recommended_check_does_not_fail_the_run(frozen, monkeypatch):
    @check_base.register
    class Recommended(check_base.Check):
        id = "test_recommended"
        title = "Recommended"
        mandatory = False
        order = 999

        def run(self, context):
            return check_base.Outcome(check_base.FAIL, "Not great.")

    try:
        run = _run_of(frozen)
        assert run_services.run_execute(run_id=run.pk) == RunStatus.PASSED
        assert run.results.get(check_id="test_recommended").status == "fail"
    finally:
        check_base.registry.pop("test_recommended")


def test_latest_run_decides_whether_the_version_is_verified(frozen, vendor_admin, sandbox):
    run_services.run_execute(run_id=_run_of(frozen).pk)
    frozen.refresh_from_db()
    assert frozen.status == DeclarationVersion.Status.VERIFIED
    services.product_update(actor=vendor_admin, product_id=frozen.product_id, **sandbox.endpoints("missing-resource"))
    assert run_again(frozen, vendor_admin).status == RunStatus.FAILED
    frozen.refresh_from_db()
    assert frozen.status == DeclarationVersion.Status.IN_VERIFICATION
    with pytest.raises(Conflict) as refusal:
        services.version_submit(actor=vendor_admin, version_id=frozen.pk)
    assert refusal.value.message == nb(
        "The latest verification run of version %(number)s did not pass every mandatory check. Fix what failed, run "
        "the verification again, and submit when it passes.", number=1)
    services.product_update(actor=vendor_admin, product_id=frozen.product_id, **sandbox.endpoints("ok"))
    assert run_again(frozen, vendor_admin).status == RunStatus.PASSED
    services.version_submit(actor=vendor_admin, version_id=frozen.pk)


def test_requester_is_told_when_the_run_finishes(frozen, vendor_admin):
    run_services.run_execute(run_id=_run_of(frozen).pk)
    notification = Notification.objects.get(recipient=vendor_admin, kind="verification.run_finished")
    assert frozen.product.name in notification.title
    assert notification.url == _run_of(frozen).get_absolute_url()


# Re-verification (VER-6) --------------------------------------------------------------------------------------


@pytest.fixture
def listed(vendor_admin, qualified_vendor, reviewer, sandbox):
    return listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())


def _age(listing, days):
    Listing.objects.filter(pk=listing.pk).update(last_verified_at=timezone.now() - timedelta(days=days))


def test_listings_are_reverified_when_due(listed, settings, django_capture_on_commit_callbacks):
    listing = listed.listing
    assert run_services.listings_reverify() == 0  # verified just now
    _age(listing, settings.REVERIFY_INTERVAL_DAYS + 1)
    with mock.patch("verification.services.runs._enqueue") as enqueue, \
            django_capture_on_commit_callbacks(execute=True):
        assert run_services.listings_reverify() == 1
        assert run_services.listings_reverify() == 0  # the run is active: not queued twice
    run = VerificationRun.objects.filter(version=listing.version).latest("created_at")
    assert run.trigger == VerificationRun.Trigger.SCHEDULED and run.requested_by is None
    enqueue.assert_called_once_with(run.pk)


def test_a_regression_marks_the_listing_under_utbedring_and_a_pass_clears_it(listed, vendor_admin, vendor_member,
                                                                              reviewer, sandbox, settings):
    listing = listed.listing
    _age(listing, settings.REVERIFY_INTERVAL_DAYS + 1)
    services.product_update(actor=vendor_admin, product_id=listed.pk, **sandbox.endpoints("invalid-bundle"))
    run_services.listings_reverify()
    run = VerificationRun.objects.filter(version=listing.version).latest("created_at")
    assert run_services.run_execute(run_id=run.pk) == RunStatus.FAILED
    listing.refresh_from_db()
    run.refresh_from_db()
    assert listing.status == Listing.Status.UNDER_REMEDIATION
    assert listing.last_run == run and listing.remediation_since == run.finished_at
    assert "FHIR search" in listing.remediation_messages["en"]
    for person in (vendor_admin, vendor_member, reviewer):
        assert Notification.objects.filter(recipient=person, kind="verification.listing_remediation").exists()
    # Still in the store, marked; the listed version is unchanged.
    assert Listing.objects.active().filter(pk=listing.pk).exists()
    assert listing.version.status == DeclarationVersion.Status.LISTED

    services.product_update(actor=vendor_admin, product_id=listed.pk, **sandbox.endpoints("ok"))
    again = run_again(listing.version, vendor_admin)
    assert again.status == RunStatus.PASSED
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LISTED and listing.remediation_since is None
    assert Notification.objects.filter(recipient=reviewer, kind="verification.listing_remediation").count() == 2


def test_a_run_that_ends_in_error_does_not_mark_a_regression(listed):
    listing = listed.listing
    run = run_services.run_create(version=listing.version, actor=None, trigger=VerificationRun.Trigger.SCHEDULED)
    stale = timezone.now() - timedelta(hours=2)
    VerificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, heartbeat_at=stale, worker_token="x")
    run_services.runs_reap()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LISTED and listing.last_run != run
