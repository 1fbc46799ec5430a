"""Verifikasjon under load (VER-3): verification throughput with the worker's default concurrency against a local
FHIR sandbox, and each check's own overhead beyond the time it waits for the network.

A Celery worker's default concurrency is one prefork process per CPU; this bench forks that many processes,
each doing what `run_verification_task` does (`run_execute(run_id=…)`: claim, run the eight checks through
the SSRF-safe client, write the results, finish the run), while the parent keeps every process busy by
queueing the next run of a version as soon as its previous run finishes. The sandbox is the tests' threaded
HTTP server on 127.0.0.1 (the only allow-listed host); nothing leaves the machine. The run is bounded by
BENCH_VERIFICATION_SECONDS (default 20) of measured time.

Reported: runs per minute; per check, the median and p95 of its duration, of its network wait (the HTTP
exchanges' elapsed time) and of the rest — the overhead: validation with fhir.resources, the address checks,
database writes of the result and evidence.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time

SECONDS = float(os.environ.get("BENCH_VERIFICATION_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_VERIFICATION_CONCURRENCY", "0")) or (os.cpu_count() or 1)


def _percentile(values: list[int], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))])


def _setup(sandbox, count: int) -> list[int]:
    """A qualified vendor with `count` products, each with a complete, frozen declaration and its documents."""
    from django.conf import settings

    from marketplace.acting import act_for
    from marketplace.models import Membership, Organisation, Role, User
    from tests.factories import valid_org_number
    from tests.verification.products.factories import complete_declaration, pdf, qualify, service_area
    from verification.models import DOCUMENT_KINDS
    from verification.services import products as services

    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    vendor = Organisation.objects.create(name="Benk AS", slug="benk-verifikasjon", kind="vendor",
                                         org_number=valid_org_number(987_654))
    user = User.objects.create_user(email="benk@benk.example", password="benk-passord-123")
    Membership.objects.create(user=user, organisation=vendor, role=Role.ADMIN)
    act_for(user, vendor)
    qualify(vendor)
    area = service_area()
    versions = []
    for n in range(count):
        product = services.product_create(
            actor=user, organisation=vendor, name=f"Benkprodukt {n}", short_description="Benk.", service_areas=[area],
            **sandbox.endpoints("ok"),
        )
        version = product.versions.get()
        services.version_update(actor=user, version_id=version.pk, content=complete_declaration(areas=[area.slug]))
        for kind, _label in DOCUMENT_KINDS:
            services.version_document_upload(actor=user, version_id=version.pk, kind=kind, upload=pdf(f"{kind}.pdf"))
        services.version_freeze(actor=user, version_id=version.pk, start_run=False)
        versions.append(version.pk)
    return versions


def _queue(version_id: int) -> int:
    """Queue a run as the re-verification does; the bench hands its id to a process itself (no broker)."""
    from django.db import transaction

    from verification.models import DeclarationVersion, VerificationRun
    from verification.services.runs import run_create

    with transaction.atomic():
        version = DeclarationVersion.objects.select_for_update().select_related("product", "product__vendor").get(
            pk=version_id)
        return run_create(version=version, actor=None, trigger=VerificationRun.Trigger.SCHEDULED).pk


def _execute(run_id: int) -> tuple[int, str | None, float]:
    from django.conf import settings

    from verification.services.runs import run_execute

    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    started = time.perf_counter()
    status = run_execute(run_id=run_id)
    return run_id, status, time.perf_counter() - started


def run() -> None:
    from verification.services import runs as run_services

    enqueue = run_services._enqueue
    run_services._enqueue = lambda run_id: None  # no broker: the forked processes below are the workers
    try:
        _bench()
    finally:
        run_services._enqueue = enqueue


def _bench() -> None:
    from django.conf import settings
    from django.db import connections

    from tests.verification.sandbox import Sandbox
    from verification.checks import suite
    from verification.models import CheckResult, VerificationRun

    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    with Sandbox() as sandbox:
        versions = _setup(sandbox, CONCURRENCY * 2)
        # One run first, in this process: imports (fhir.resources models) and caches are warm in every fork.
        warm = _queue(versions[0])
        _run_id, status, seconds = _execute(warm)
        print(f"  one run alone: {status} in {seconds * 1000:.0f} ms ({len(suite())} checks, "
              f"{len(sandbox.requests)} requests to the sandbox)")
        connections.close_all()

        context = multiprocessing.get_context("fork")
        measured: list[int] = []
        walls: dict[int, float] = {}
        # The parent closed its connections above, so every forked process opens its own.
        with context.Pool(CONCURRENCY) as pool:
            started = time.perf_counter()
            deadline = started + SECONDS
            pending = {}
            for version_id in versions:
                run_id = _queue(version_id)
                pending[run_id] = (version_id, pool.apply_async(_execute, (run_id,)))
            while pending:
                done = [run_id for run_id, (_v, result) in pending.items() if result.ready()]
                if not done:
                    time.sleep(0.005)
                    continue
                for run_id in done:
                    version_id, result = pending.pop(run_id)
                    walls[run_id] = result.get()[2] * 1000
                    if time.perf_counter() - started <= SECONDS:
                        measured.append(run_id)
                    if time.perf_counter() < deadline:
                        next_id = _queue(version_id)
                        pending[next_id] = (version_id, pool.apply_async(_execute, (next_id,)))
            elapsed = time.perf_counter() - started

        runs = VerificationRun.objects.filter(pk__in=measured)
        passed = runs.filter(status=VerificationRun.Status.PASSED).count()
        print(f"  throughput: {len(measured)} runs in {elapsed:.1f} s with concurrency {CONCURRENCY} "
              f"(one prefork process per CPU, Celery's default) = {60 * len(measured) / elapsed:.0f} runs/minute; "
              f"{passed} passed")
        print(f"  {'check':<28} {'total p50':>10} {'p95':>7} {'network p50':>12} {'overhead p50':>13} {'p95':>7}  ms")
        for check in suite():
            rows = list(CheckResult.objects.filter(run_id__in=measured, check_id=check.id)
                        .values_list("duration_ms", "network_ms"))
            total = [d or 0 for d, _n in rows]
            network = [n or 0 for _d, n in rows]
            overhead = [max(0, (d or 0) - (n or 0)) for d, n in rows]
            print(f"  {check.id:<28} {statistics.median(total) if total else 0:>10.0f} {_percentile(total, .95):>7.0f} "
                  f"{statistics.median(network) if network else 0:>12.0f} "
                  f"{statistics.median(overhead) if overhead else 0:>13.0f} {_percentile(overhead, .95):>7.0f}")
        sample = measured[:200]
        checks_ms = {r: list(CheckResult.objects.filter(run_id=r).values_list("duration_ms", "network_ms"))
                     for r in sample}
        overall = [sum(max(0, (d or 0) - (n or 0)) for d, n in checks_ms[r]) for r in sample]
        bookkeeping = [max(0.0, walls[r] - sum(d or 0 for d, _n in checks_ms[r])) for r in sample if r in walls]
        if overall:
            print(f"  checks' own overhead per run (beyond network waits): p50 {statistics.median(overall):.0f} ms, "
                  f"p95 {_percentile(overall, .95):.0f} ms")
        if bookkeeping:
            print(f"  run bookkeeping outside the checks (claim, heartbeats, one row per result, finish, audit): "
                  f"p50 {statistics.median(bookkeeping):.0f} ms, p95 {_percentile(bookkeeping, .95):.0f} ms; "
                  f"whole run p50 {statistics.median(walls[r] for r in sample if r in walls):.0f} ms")
