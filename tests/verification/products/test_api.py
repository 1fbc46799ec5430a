"""X-6 for Verifikasjon: the API acts with the same rights as the screens — products, declarations and their
documents, runs (start, progress, report), listing review decisions and listings."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from verification.models import DeclarationVersion, Listing, Product, VerificationRun
from verification.services import products as services
from verification.services import runs as run_services

from .factories import complete_declaration, draft_of, fill, freeze_and_run, listed_product, pdf, register_product, service_area

pytestmark = pytest.mark.django_db
API = "/api/v1/verification"


def api(user=None, organisation=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
        organisation = organisation or user.acting_organisation
        client.credentials(HTTP_X_ORGANISATION=str(organisation.pk))
    return client


def test_anonymous_reads_only_what_is_listed(vendor_admin, qualified_vendor, reviewer, sandbox):
    listed = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    hidden = register_product(vendor_admin, qualified_vendor, name="Hemmelig")
    client = api()
    products = client.get(f"{API}/products/").json()
    assert [p["name"] for p in products["results"]] == [listed.name]
    assert products["results"][0]["listing"]["status"] == "listed"
    assert products["results"][0]["sandbox"] is None  # endpoints are the vendor's business
    assert client.get(f"{API}/products/{hidden.pk}/").status_code == 404
    assert client.get(f"{API}/declarations/{draft_of(hidden).pk}/").status_code == 404
    listings = client.get(f"{API}/listings/").json()["results"]
    assert [(l["product_name"], l["version"]) for l in listings] == [(listed.name, 1)]
    run = listed.listing.last_run
    report = client.get(f"{API}/runs/{run.uuid}/")
    assert report.status_code == 200
    checks = report.json()["checks"]
    assert len(checks) == 8 and checks[3]["evidence"][0]["status"] == 200
    assert client.post(f"{API}/products/", {}).status_code in (401, 403)


def test_vendor_registers_a_product_and_refusals_are_json(vendor_admin, qualified_vendor, sandbox, settings):
    area = service_area()
    client = api(vendor_admin)
    response = client.post(f"{API}/products/", {
        "name": "Kartleggeren", "short_description": "Kartlegging.", "service_areas": [area.slug], **sandbox.endpoints(),
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sandbox"]["fhir_base_url"] == sandbox.fhir()
    settings.SANDBOX_ALLOWED_HOSTS = []
    response = client.post(f"{API}/products/", {
        "name": "Annen", "short_description": "X", "service_areas": [area.slug],
        "fhir_base_url": "file:///etc/passwd", "app_url": "http://[::ffff:10.0.0.1]/",
    }, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"fhir_base_url", "app_url"}
    assert Product.objects.count() == 1


def test_unqualified_vendor_is_refused_with_403(vendor, vendor_admin, terms):
    from tests.conftest import accept_terms

    accept_terms(vendor, by=vendor_admin)
    response = api(vendor_admin).post(f"{API}/products/", {
        "name": "X", "short_description": "Y", "service_areas": [service_area().slug]}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_qualified"


def test_terms_not_accepted_is_refused_with_403(vendor, vendor_admin, terms):
    from .factories import qualify

    qualify(vendor)
    response = api(vendor_admin).post(f"{API}/products/", {
        "name": "X", "short_description": "Y", "service_areas": [service_area().slug]}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "terms_not_accepted"


def test_declaration_documents_freeze_run_progress_and_submit(vendor_admin, qualified_vendor, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = draft_of(product)
    client = api(vendor_admin)
    url = f"{API}/declarations/{version.pk}/"
    bad = complete_declaration(fhir={"Pasient": ["read"]})
    response = client.patch(url, {"content": bad}, format="json")
    assert response.status_code == 400 and "informasjon.fhir_resources" in response.json()["content"]
    assert client.patch(url, {"content": complete_declaration()}, format="json").status_code == 200
    svg = SimpleUploadedFile("dpia.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="application/pdf")
    response = client.post(f"{url}documents/", {"kind": "dpia", "file": svg}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    for kind in ("dpia", "ros", "dpa", "user_docs"):
        response = client.post(f"{url}documents/", {"kind": kind, "file": pdf(f"{kind}.pdf")}, format="multipart")
        assert response.status_code == 201, response.json()
    assert len(client.get(url).json()["documents"]) == 4
    # A run on the draft is refused: 409.
    response = client.post(f"{API}/runs/", {"version": version.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    response = client.post(f"{url}freeze/", {"start_run": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "in_verification"
    assert client.patch(url, {"content": complete_declaration()}, format="json").status_code == 409
    run = VerificationRun.objects.get(version=version)
    progress = client.get(f"{API}/runs/{run.uuid}/progress/").json()
    assert (progress["status"], progress["finished"], progress["done"], progress["total"]) == ("queued", False, 0, 8)
    run_services.run_execute(run_id=run.pk)
    progress = client.get(f"{API}/runs/{run.uuid}/progress/").json()
    assert (progress["status"], progress["finished"], progress["done"], progress["percent"]) == ("passed", True, 8, 100)
    assert [c["status"] for c in progress["checks"]][:3] == ["pass", "pass", "pass"]
    response = client.post(f"{url}submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert client.post(f"{url}submit/").status_code == 409


def test_other_vendor_cannot_read_a_draft_or_its_run(vendor_admin, qualified_vendor, other_vendor_admin, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    run = freeze_and_run(version, vendor_admin)
    client = api(other_vendor_admin)
    assert client.get(f"{API}/declarations/{version.pk}/").status_code == 404
    assert client.get(f"{API}/runs/{run.uuid}/").status_code == 404
    assert client.get(f"{API}/runs/{run.uuid}/progress/").status_code == 404
    assert client.post(f"{API}/runs/", {"version": version.pk}, format="json").status_code == 404
    assert client.patch(f"{API}/products/{product.pk}/", {"name": "Kapret"}, format="json").status_code == 404
    assert client.get(f"{API}/declarations/").json()["count"] == 0
    assert client.get(f"{API}/runs/").json()["count"] == 0
    product.refresh_from_db()
    assert product.name != "Kapret" and VerificationRun.objects.count() == 1


def test_listing_review_decisions(vendor_admin, qualified_vendor, reviewer, sandbox, other_vendor_admin):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    freeze_and_run(version, vendor_admin)
    admin = api(reviewer)
    # Approving what was not submitted: 409.
    response = admin.post(f"{API}/listing-reviews/{version.pk}/decision/", {"decision": "approve"}, format="json")
    assert response.status_code == 409
    services.version_submit(actor=vendor_admin, version_id=version.pk)
    queue = admin.get(f"{API}/listing-reviews/").json()
    assert [item["id"] for item in queue["results"]] == [version.pk]
    detail = admin.get(f"{API}/listing-reviews/{version.pk}/").json()
    assert detail["latest_run"]["status"] == "passed" and detail["changes_since_listed"] == []
    # The vendor may not decide (403); another vendor does not see it (404); a reason is required to reject (400).
    assert api(vendor_admin).post(f"{API}/listing-reviews/{version.pk}/decision/", {"decision": "approve"},
                                  format="json").status_code == 403
    assert api(other_vendor_admin).post(f"{API}/listing-reviews/{version.pk}/decision/", {"decision": "approve"},
                                        format="json").status_code == 404
    response = admin.post(f"{API}/listing-reviews/{version.pk}/decision/", {"decision": "reject"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = admin.post(f"{API}/listing-reviews/{version.pk}/decision/", {"decision": "sure"}, format="json")
    assert response.status_code == 400 and "decision" in response.json()
    response = admin.post(f"{API}/listing-reviews/{version.pk}/decision/",
                          {"decision": "approve", "reason": "Godkjent."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "listed"
    # Deciding twice: 409, nothing changes.
    response = admin.post(f"{API}/listing-reviews/{version.pk}/decision/",
                          {"decision": "reject", "reason": "Nei likevel."}, format="json")
    assert response.status_code == 409
    assert DeclarationVersion.objects.get(pk=version.pk).status == "listed"
    assert api(vendor_admin).get(f"{API}/listing-reviews/").json()["count"] == 0


def test_new_version_and_withdrawal_through_the_api(vendor_admin, qualified_vendor, reviewer, sandbox):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    client = api(vendor_admin)
    response = client.post(f"{API}/products/{product.pk}/versions/", {}, format="json")
    assert response.status_code == 201 and response.json()["number"] == 2 and len(response.json()["documents"]) == 4
    assert client.post(f"{API}/products/{product.pk}/versions/", {}, format="json").status_code == 409
    listing = product.listing
    assert client.post(f"{API}/listings/{listing.pk}/withdraw/", {}, format="json").status_code == 400
    response = client.post(f"{API}/listings/{listing.pk}/withdraw/", {"reason": "Fases ut."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert Listing.objects.active().count() == 0
    assert api().get(f"{API}/listings/").json()["count"] == 0


def test_product_list_api_costs_the_same_for_few_and_many(vendor_admin, qualified_vendor, reviewer, sandbox,
                                                          django_assert_max_num_queries):
    client = api(vendor_admin)
    for n in range(2):
        register_product(vendor_admin, qualified_vendor, name=f"P{n}")
    client.get(f"{API}/products/")  # warm the per-process caches (content types, permissions)
    with django_assert_max_num_queries(10) as few:
        assert client.get(f"{API}/products/").json()["count"] == 2
    for n in range(2, 12):
        register_product(vendor_admin, qualified_vendor, name=f"P{n}")
    with django_assert_max_num_queries(10) as many:
        assert client.get(f"{API}/products/").json()["count"] == 12
    assert len(many.captured_queries) == len(few.captured_queries)
