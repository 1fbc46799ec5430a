"""Screens of Verifikasjon: the vendor's path through forms and buttons, live progress, the shareable report
(VER-7), the review queue (VER-5), refusals shown on the page, 404 for other organisations' drafts, and fixed
query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import Role
from tests.conftest import login, make_member
from tests.marketplace.helpers import nb, page, shows
from verification.models import DeclarationVersion, Listing, Product, VerificationRun
from verification.services import products as services
from verification.services import runs as run_services

from .factories import (
    draft_of,
    fill,
    freeze_and_run,
    listed_product,
    pdf,
    register_product,
    service_area,
)

pytestmark = pytest.mark.django_db
Status = DeclarationVersion.Status


def test_front_page_is_public_and_lists_verified_products(client, vendor_admin, qualified_vendor, reviewer, sandbox):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    response = client.get(reverse("verification:home"))
    assert response.status_code == 200
    assert shows(response, product.name)
    assert product.listing.last_run.get_absolute_url() in page(response)


def test_vendor_registers_a_product_through_the_form(vendor_admin, qualified_vendor, sandbox):
    area = service_area()
    client = login(vendor_admin)
    assert client.get(reverse("verification:product_create")).status_code == 200
    response = client.post(reverse("verification:product_create"), {
        "name": "Kartleggeren Kognitiv", "short_description": "Kartlegging på nettbrett.", "service_areas": [area.pk],
        **sandbox.endpoints(),
    })
    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:version_edit", args=[draft_of(product).pk])


def test_product_form_shows_the_refusal_of_a_private_sandbox_address(vendor_admin, qualified_vendor, settings):
    settings.SANDBOX_ALLOWED_HOSTS = []
    response = login(vendor_admin).post(reverse("verification:product_create"), {
        "name": "X", "short_description": "Y", "service_areas": [service_area().pk],
        "fhir_base_url": "http://192.168.0.10/fhir", "app_url": "file:///etc/passwd",
    })
    assert response.status_code == 400
    reason = "This address cannot be used for a sandbox: %(reason)s."
    assert shows(response, nb(reason, reason=nb("the host is a private network address")))
    assert shows(response, nb(reason, reason=nb("only http and https addresses can be fetched")))
    assert not Product.objects.exists()


def test_unqualified_vendor_sees_why_and_cannot_register(vendor, vendor_admin, terms):
    from tests.conftest import accept_terms

    accept_terms(vendor, by=vendor_admin)
    client = login(vendor_admin)
    response = client.get(reverse("verification:product_create"))
    assert shows(response, nb("Only qualified vendors can register products."))
    response = client.post(reverse("verification:product_create"), {
        "name": "X", "short_description": "Y", "service_areas": [service_area().pk]})
    assert response.status_code == 400 and shows(response, nb("Kvalifisering"))
    assert response.context["form"].non_field_errors()
    assert not Product.objects.exists()


def test_declaration_form_saves_and_shows_field_errors(vendor_admin, qualified_vendor):
    product = register_product(vendor_admin, qualified_vendor)
    version = draft_of(product)
    client = login(vendor_admin)
    url = reverse("verification:version_edit", args=[version.pk])
    assert client.get(url).status_code == 200
    data = {
        "funksjon__description": "Kartlegging.", "funksjon__work_processes": "Kartlegging",
        "funksjon__professions": "Sykepleier", "funksjon__service_areas": [product.service_areas.get().slug],
        "informasjon__fhir_resources": "Pasient: read", "informasjon__data_location": "norway",
        "informasjon__processor": "Oss", "innforing__prerequisites": "Nettbrett",
        "innforing__risks": "Tap | 2 | 3 | Kryptering",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert shows(response, nb("“%(type)s” is not a FHIR R4 resource type.", type="Pasient"))
    data["informasjon__fhir_resources"] = "Patient: read, search-type"
    response = client.post(url, data)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.content["informasjon"]["fhir_resources"] == {"Patient": ["read", "search-type"]}


def test_document_upload_and_kjor_verifisering_through_buttons(vendor_admin, qualified_vendor, sandbox,
                                                                django_capture_on_commit_callbacks):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin, documents=False)
    client = login(vendor_admin)
    for kind in ("dpia", "ros", "dpa", "user_docs"):
        response = client.post(reverse("verification:version_document_upload", args=[version.pk]),
                               {"kind": kind, "file": pdf(f"{kind}.pdf")})
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("verification:version_freeze", args=[version.pk]))
    run = VerificationRun.objects.get(version=version)
    assert response["Location"] == run.get_absolute_url()
    report = client.get(run.get_absolute_url())
    assert report.status_code == 200 and shows(report, nb("Passed"))
    version.refresh_from_db()
    assert version.status == Status.VERIFIED


def test_starting_a_run_on_a_draft_shows_the_refusal(vendor_admin, qualified_vendor):
    product = register_product(vendor_admin, qualified_vendor)
    client = login(vendor_admin)
    response = client.post(reverse("verification:run_start", args=[draft_of(product).pk]), follow=True)
    assert shows(response, nb("Version %(number)s is a draft. Submit it for verification first: a run checks a "
                              "frozen version, so that its report says exactly what was checked.", number=1))
    assert not VerificationRun.objects.exists()


def test_running_report_polls_a_small_partial_and_stops_when_finished(vendor_admin, qualified_vendor, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    services.version_freeze(actor=vendor_admin, version_id=version.pk)
    run = VerificationRun.objects.get(version=version)
    client = login(vendor_admin)
    progress_url = reverse("verification:run_progress", args=[run.uuid])
    report = page(client.get(run.get_absolute_url()))
    assert f'hx-get="{progress_url}"' in report and 'hx-trigger="every 2s"' in report
    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    assert "<html" not in page(partial) and 'data-run-status="queued"' in page(partial)
    # Without htmx the progress address leads to the full report.
    assert client.get(progress_url)["Location"] == run.get_absolute_url()
    run_services.run_execute(run_id=run.pk)
    finished = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"
    report = page(client.get(run.get_absolute_url()))
    assert "hx-trigger" not in report
    assert nb("Evidence per check") in report and 'id="check-fhir_capability_statement"' in report


def test_report_of_a_listed_version_is_public_and_others_are_not(client, vendor_admin, qualified_vendor, reviewer,
                                                                 sandbox, other_vendor_admin):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    public_run = product.listing.last_run
    response = client.get(public_run.get_absolute_url())
    assert response.status_code == 200 and shows(response, product.name)
    assert shows(response, nb("The version is listed in Butikken: anyone with the link can read this report."))
    # A draft's run of the next version stays private: 404 for anonymous and other vendors.
    draft = services.version_create(actor=vendor_admin, product_id=product.pk)
    private_run = freeze_and_run(draft, vendor_admin)
    assert client.get(private_run.get_absolute_url()).status_code == 404
    assert login(other_vendor_admin).get(private_run.get_absolute_url()).status_code == 404
    assert login(vendor_admin).get(private_run.get_absolute_url()).status_code == 200
    assert login(reviewer).get(private_run.get_absolute_url()).status_code == 200


def test_other_vendor_gets_404_for_drafts_and_products(vendor_admin, qualified_vendor, other_vendor_admin):
    product = register_product(vendor_admin, qualified_vendor)
    version = draft_of(product)
    client = login(other_vendor_admin)
    for url in (reverse("verification:product_detail", args=[product.pk]),
                reverse("verification:version_detail", args=[version.pk]),
                reverse("verification:version_edit", args=[version.pk]),
                reverse("verification:product_edit", args=[product.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("verification:version_freeze", args=[version.pk]))
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == Status.DRAFT


def test_review_queue_and_decision(vendor_admin, qualified_vendor, reviewer, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    freeze_and_run(version, vendor_admin)
    client = login(vendor_admin)
    response = client.post(reverse("verification:version_submit", args=[version.pk]), follow=True)
    assert response.status_code == 200
    admin = login(reviewer)
    queue = admin.get(reverse("verification:listing_review_queue"))
    assert queue.status_code == 200 and shows(queue, product.name)
    detail_url = reverse("verification:listing_review_detail", args=[version.pk])
    assert admin.get(detail_url).status_code == 200
    response = admin.post(detail_url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400 and shows(response, nb("Give a reason: the vendor sees it."))
    response = admin.post(detail_url, {"decision": "approve", "reason": "Godkjent."})
    assert response.status_code == 302
    assert Listing.objects.get(product=product).version == version
    # Deciding again shows the refusal, nothing changes.
    response = admin.post(detail_url, {"decision": "reject", "reason": "Ombestemt."})
    assert response.status_code == 400
    assert shows(response, nb("Version %(number)s of %(product)s is “%(status)s”, not awaiting listing review: it has "
                              "been decided already or was never submitted.", number=1, product=product.name,
                              status=nb("Published")))
    version.refresh_from_db()
    assert version.status == Status.LISTED


def test_review_pages_are_for_platform_administrators_only(vendor_admin, qualified_vendor, municipal_admin):
    product = register_product(vendor_admin, qualified_vendor)
    for user in (vendor_admin, municipal_admin):
        client = login(user)
        assert client.get(reverse("verification:listing_review_queue")).status_code == 404
        assert client.get(reverse("verification:listing_review_detail", args=[draft_of(product).pk])).status_code == 404


def test_pages_render_for_each_state(vendor_admin, qualified_vendor, reviewer, sandbox):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    draft = services.version_create(actor=vendor_admin, product_id=product.pk)
    client = login(vendor_admin)
    for url in (reverse("verification:home"), reverse("verification:product_list"),
                reverse("verification:product_detail", args=[product.pk]),
                reverse("verification:product_edit", args=[product.pk]),
                reverse("verification:version_detail", args=[draft.pk]),
                reverse("verification:version_detail", args=[product.listing.version_id]),
                reverse("verification:version_edit", args=[draft.pk]), reverse("marketplace:start")):
        assert client.get(url).status_code == 200, url
    admin = login(reviewer)
    for url in (reverse("verification:home"), reverse("verification:product_list"), reverse("marketplace:start"),
                reverse("verification:product_detail", args=[product.pk])):
        assert admin.get(url).status_code == 200, url


def _many_products(vendor_admin, vendor, reviewer, sandbox, count, start=0):
    for n in range(start, start + count):
        product = register_product(vendor_admin, vendor, endpoints=sandbox.endpoints(), name=f"Produkt {n}")
        version = fill(draft_of(product), vendor_admin, documents=False)
        services.version_freeze(actor=vendor_admin, version_id=version.pk, start_run=False)


def test_product_list_costs_the_same_queries_for_2_and_12_products(vendor_admin, qualified_vendor, reviewer, sandbox,
                                                                   django_assert_max_num_queries):
    client = login(vendor_admin)
    url = reverse("verification:product_list")
    _many_products(vendor_admin, qualified_vendor, reviewer, sandbox, 2)
    client.get(url)
    with django_assert_max_num_queries(12) as two:
        assert client.get(url).status_code == 200
    _many_products(vendor_admin, qualified_vendor, reviewer, sandbox, 10, start=2)
    with django_assert_max_num_queries(12) as twelve:
        response = client.get(url)
    assert shows(response, "Produkt 11")
    assert len(twelve.captured_queries) == len(two.captured_queries)


def test_review_queue_costs_the_same_queries_for_2_and_10(vendor_admin, qualified_vendor, reviewer, sandbox,
                                                          django_assert_max_num_queries):
    def submit(n):
        product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints(), name=f"Produkt {n}")
        version = fill(draft_of(product), vendor_admin)
        freeze_and_run(version, vendor_admin)
        services.version_submit(actor=vendor_admin, version_id=version.pk)

    client = login(reviewer)
    url = reverse("verification:listing_review_queue")
    for n in range(2):
        submit(n)
    client.get(url)
    with django_assert_max_num_queries(12) as two:
        assert client.get(url).status_code == 200
    for n in range(2, 10):
        submit(n)
    with django_assert_max_num_queries(12) as ten:
        response = client.get(url)
    assert shows(response, "Produkt 9")
    assert len(ten.captured_queries) == len(two.captured_queries)


def test_report_page_costs_a_fixed_number_of_queries(client, vendor_admin, qualified_vendor, reviewer, sandbox,
                                                     django_assert_max_num_queries):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    url = product.listing.last_run.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    for check in ("fhir_capability_statement", "fhir_search_bundles", "oidc_discovery"):
        assert f'id="check-{check}"' in page(response)


def test_vendor_member_cannot_withdraw_a_listing_but_the_admin_can(vendor_admin, qualified_vendor, reviewer, sandbox):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    member = make_member(qualified_vendor, Role.MEMBER)
    url = reverse("verification:listing_withdraw", args=[product.listing.pk])
    response = login(member).post(url, {"reason": "Nei"}, follow=True)
    assert shows(response, nb("You do not have permission to do this."))
    assert Listing.objects.get(pk=product.listing.pk).status == Listing.Status.LISTED
    login(vendor_admin).post(url, {"reason": "Fases ut."})
    assert Listing.objects.get(pk=product.listing.pk).status == Listing.Status.WITHDRAWN


def test_start_page_panels_for_vendor_and_reviewer(vendor_admin, qualified_vendor, reviewer, sandbox,
                                                   django_assert_max_num_queries):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints("stu3"))
    version = fill(draft_of(product), vendor_admin)
    freeze_and_run(version, vendor_admin)
    response = login(vendor_admin).get(reverse("marketplace:start"))
    assert shows(response, nb("Failed verification")) and shows(response, product.name)
    ok = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints(), name="Godkjent")
    ok_version = fill(draft_of(ok), vendor_admin)
    freeze_and_run(ok_version, vendor_admin)
    services.version_submit(actor=vendor_admin, version_id=ok_version.pk)
    response = login(reviewer).get(reverse("marketplace:start"))
    assert shows(response, nb("Listings to review")) and shows(response, "Godkjent")
