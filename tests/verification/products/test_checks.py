"""The check suite against local sandboxes (VER-3, VER-4): each faulty sandbox gives the right outcome and
evidence; the conformant one passes."""

from __future__ import annotations

import socket

import pytest

from verification.checks import suite
from verification.models import CheckResult, VerificationRun

from .factories import complete_declaration, draft_of, fill, freeze_and_run, register_product

pytestmark = pytest.mark.django_db

Status = CheckResult.Status


def _run(vendor_admin, vendor, sandbox, mode: str, **kwargs) -> tuple[VerificationRun, dict[str, CheckResult]]:
    product = register_product(vendor_admin, vendor, endpoints=sandbox.endpoints(mode), name=f"Produkt {mode}")
    version = fill(draft_of(product), vendor_admin, **kwargs)
    run = freeze_and_run(version, vendor_admin)
    return run, {r.check_id: r for r in run.results.all()}


def _urls(result: CheckResult) -> list[str]:
    return [e["url"] for e in result.evidence if e.get("kind") == "http"]


def test_suite_is_a_registry_of_the_eight_checks_in_order():
    """VER-3: one module per check, each with an id, a title and whether it is mandatory."""
    ids = [check.id for check in suite()]
    assert ids == [
        "declaration_complete", "declaration_consistent", "documents_present", "fhir_capability_statement",
        "fhir_declared_support", "fhir_search_bundles", "oidc_discovery", "https_security_headers",
    ]
    assert all(check.title and check.mandatory for check in suite())


def test_conformant_sandbox_passes_every_mandatory_check_with_evidence(vendor_admin, qualified_vendor, sandbox):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "ok")
    assert run.status == VerificationRun.Status.PASSED
    assert {k: r.status for k, r in results.items()} == {
        "declaration_complete": Status.PASS, "declaration_consistent": Status.PASS,
        "documents_present": Status.PASS, "fhir_capability_statement": Status.PASS,
        "fhir_declared_support": Status.PASS, "fhir_search_bundles": Status.PASS,
        "oidc_discovery": Status.PASS,
        # Plain HTTP is tolerated (a warning) only because 127.0.0.1 is an allow-listed sandbox host.
        "https_security_headers": Status.WARN,
    }
    capability = results["fhir_capability_statement"]
    exchange = capability.evidence[0]
    assert exchange["url"] == sandbox.fhir("ok") + "/metadata"
    assert exchange["status"] == 200
    assert exchange["headers"]["Content-Type"] == "application/fhir+json"
    assert '"CapabilityStatement"' in exchange["body_excerpt"]
    assert capability.duration_ms is not None and capability.network_ms <= capability.duration_ms
    assert "4.0.1" in capability.messages["nb"] and "4.0.1" in capability.messages["en"]
    assert sorted(_urls(results["fhir_search_bundles"])) == sorted(
        f"{sandbox.fhir('ok')}/{t}?_count=10" for t in ("Patient", "Observation", "Questionnaire"))
    assert _urls(results["oidc_discovery"]) == [f"{sandbox.issuer('ok')}/.well-known/openid-configuration",
                                                f"{sandbox.issuer('ok')}/jwks"]


def test_declared_resource_missing_from_capability_statement_fails_support_check(vendor_admin, qualified_vendor, sandbox):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "missing-resource")
    assert run.status == VerificationRun.Status.FAILED
    assert results["fhir_capability_statement"].status == Status.PASS
    support = results["fhir_declared_support"]
    assert support.status == Status.FAIL
    problems = next(e for e in support.evidence if e["kind"] == "problems")
    assert any("Observation" in item["en"] and "not in the CapabilityStatement" in item["en"] for item in problems["items"])


def test_invalid_resource_in_search_bundle_fails_with_the_validation_error(vendor_admin, qualified_vendor, sandbox):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "invalid-bundle")
    search = results["fhir_search_bundles"]
    assert search.status == Status.FAIL
    problems = next(e for e in search.evidence if e["kind"] == "problems")
    assert any("Patient" in item["en"] and "birthDate" in item["en"] for item in problems["items"])
    # The answer that failed is kept: the request, status and the invalid body.
    patient = next(e for e in search.evidence if e.get("kind") == "http" and "/Patient?" in e["url"])
    assert patient["status"] == 200 and "second of March" in patient["body_excerpt"]
    assert run.status == VerificationRun.Status.FAILED


def test_fhir_stu3_server_fails_the_capability_check_and_skips_the_dependent_check(vendor_admin, qualified_vendor, sandbox):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "stu3")
    capability = results["fhir_capability_statement"]
    assert capability.status == Status.FAIL
    assert "3.0.1" in capability.messages["en"] and "4.0.x" in capability.messages["en"]
    assert results["fhir_declared_support"].status == Status.SKIPPED
    assert run.status == VerificationRun.Status.FAILED


@pytest.mark.parametrize("mode", ["huge", "huge-stream"])
def test_body_far_over_the_cap_is_refused_and_not_kept(vendor_admin, qualified_vendor, sandbox, settings, mode):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, mode)
    capability = results["fhir_capability_statement"]
    assert capability.status == Status.FAIL
    assert "size limit" in capability.messages["en"]
    exchange = capability.evidence[0]
    assert exchange["error"] == "too_large"
    assert exchange["body_bytes"] <= settings.OUTBOUND_MAX_BYTES
    assert len(exchange["body_excerpt"]) <= 2000


def test_endpoint_that_never_answers_is_an_error_result_within_the_time_cap(vendor_admin, qualified_vendor, sandbox, settings):
    """A vendor endpoint that is down is a result of the run, not a retry, and costs at most the timeout."""
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "hang")
    capability = results["fhir_capability_statement"]
    assert capability.status == Status.ERROR
    assert "did not answer in time" in capability.messages["en"]
    assert capability.evidence[0]["error"] == "timeout"
    assert capability.duration_ms < (settings.OUTBOUND_TIMEOUT_SECONDS + 1) * 1000
    search = results["fhir_search_bundles"]
    assert search.status == Status.ERROR
    # After the first search timed out, the others are not tried (one timeout, not one per resource type).
    assert len(_urls(search)) == 1
    assert run.status == VerificationRun.Status.FAILED


def test_redirect_to_the_metadata_address_is_refused_without_connecting(vendor_admin, qualified_vendor, sandbox, monkeypatch):
    connected = []
    real_connect = socket.socket.connect

    def recording_connect(self, address):
        connected.append(address[0])
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "redirect-private")
    capability = results["fhir_capability_statement"]
    assert capability.status == Status.FAIL, capability.evidence
    first, second = capability.evidence[0], capability.evidence[1]
    assert first["status"] == 302 and first["redirect_to"] == "http://169.254.169.254/latest/meta-data/"
    assert second["url"] == "http://169.254.169.254/latest/meta-data/" and second["error"] == "metadata"
    assert "cloud metadata address" in capability.messages["en"]
    assert "169.254.169.254" not in connected
    assert set(connected) == {"127.0.0.1"}


def test_redirect_within_the_sandbox_is_followed_and_recorded(vendor_admin, qualified_vendor, sandbox):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "redirect-ok")
    capability = results["fhir_capability_statement"]
    assert capability.status == Status.PASS
    assert [e["status"] for e in capability.evidence if e["kind"] == "http"] == [302, 200]


def test_discovery_document_naming_another_issuer_fails(vendor_admin, qualified_vendor, sandbox):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "bad-oidc")
    oidc = results["oidc_discovery"]
    assert oidc.status == Status.FAIL
    assert "https://someone-else.example/oidc" in oidc.messages["en"]


def test_application_without_security_headers_fails(vendor_admin, qualified_vendor, sandbox):
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "no-headers")
    headers = results["https_security_headers"]
    assert headers.status == Status.FAIL
    problems = next(e for e in headers.evidence if e["kind"] == "problems")
    texts = " ".join(item["en"] for item in problems["items"])
    assert "Content-Security-Policy is missing" in texts and "nosniff" in texts


def test_incomplete_declaration_and_missing_documents_fail_their_checks(vendor_admin, qualified_vendor, sandbox):
    content = complete_declaration()
    del content["innforing"]["prerequisites"]
    del content["innforing"]["training"]
    run, results = _run(vendor_admin, qualified_vendor, sandbox, "ok", content=content, documents=False)
    complete = results["declaration_complete"]
    assert complete.status == Status.FAIL and "2" in complete.messages["en"]
    items = next(e for e in complete.evidence if e["kind"] == "problems")["items"]
    assert any("Forutsetninger" in item["nb"] for item in items) and any("Trening" in item["nb"] for item in items)
    documents = results["documents_present"]
    assert documents.status == Status.FAIL and "4" in documents.messages["en"]
    assert run.status == VerificationRun.Status.FAILED
