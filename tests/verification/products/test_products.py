"""VER-1, VER-2: products and versioned declarations, through the services, with the gates and refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Document, Organisation, Role
from marketplace.services.documents import documents_for
from tests.conftest import make_member
from tests.factories import OrganisationFactory
from tests.marketplace.helpers import nb
from verification.safe_http import REFUSALS
from verification.models import DeclarationVersion, Product, VerificationRun
from verification.services import products as services

from .factories import (
    complete_declaration,
    draft_of,
    fill,
    freeze_and_run,
    pdf,
    png,
    qualify,
    register_product,
    service_area,
)

pytestmark = pytest.mark.django_db
Status = DeclarationVersion.Status


def test_qualified_vendor_registers_product_with_a_first_draft_declaration(vendor_admin, qualified_vendor, sandbox):
    """VER-1: name, logo, descriptions, service areas, price model, web site and sandbox endpoints."""
    area = service_area()
    product = register_product(
        vendor_admin, qualified_vendor, endpoints=sandbox.endpoints(), areas=[area], description="Lang tekst.",
        price_model="1,90 kr per innbygger", website="https://kartleggeren.example", logo=png(),
    )
    assert product.vendor == qualified_vendor and product.created_by == vendor_admin
    assert product.fhir_base_url == sandbox.fhir() and product.app_url == sandbox.app()
    assert list(product.service_areas.all()) == [area]
    assert product.logo is not None and product.logo.content_type == "image/png"
    version = product.versions.get()
    assert (version.number, version.status) == (1, Status.DRAFT)
    assert version.content["funksjon"]["service_areas"] == [area.slug]
    assert AuditEvent.objects.filter(verb="product.registered", target_id=str(product.pk)).exists()


def test_product_may_answer_published_needs_only(vendor_admin, qualified_vendor, municipality):
    from innovation.models import Need

    published = Need.objects.create(title="Kognitiv kartlegging", owner=municipality, summary="…", stage=Need.Stage.PUBLISHED)
    idea = Need.objects.create(title="Hemmelig idé", owner=municipality, summary="…", stage=Need.Stage.IDEA)
    product = register_product(vendor_admin, qualified_vendor, needs=[published])
    assert list(product.needs.all()) == [published]
    assert list(published.products.all()) == [product]
    with pytest.raises(ValidationError) as error:
        services.product_update(actor=vendor_admin, product_id=product.pk, needs=[published, idea])
    assert "needs" in error.value.message_dict
    assert list(product.needs.all()) == [published]


def test_unqualified_vendor_cannot_register(vendor, vendor_admin, terms):
    from tests.conftest import accept_terms

    accept_terms(vendor, by=vendor_admin)
    with pytest.raises(PermissionRefused) as refusal:
        register_product(vendor_admin, vendor)
    assert refusal.value.code == "not_qualified"
    assert not Product.objects.exists()


def test_vendor_with_expired_qualification_cannot_register(vendor, vendor_admin, terms):
    from tests.conftest import accept_terms

    accept_terms(vendor, by=vendor_admin)
    qualify(vendor, expired=True)
    with pytest.raises(PermissionRefused):
        register_product(vendor_admin, vendor)
    assert not Product.objects.exists()


def test_vendor_that_has_not_accepted_the_terms_cannot_register(vendor, vendor_admin, terms):
    qualify(vendor)
    with pytest.raises(TermsNotAccepted):
        register_product(vendor_admin, vendor)
    assert not Product.objects.exists()


def test_only_vendors_register_products(municipal_admin, municipality, terms):
    from tests.conftest import accept_terms

    accept_terms(municipality, by=municipal_admin)
    with pytest.raises(PermissionRefused):
        register_product(municipal_admin, municipality)
    assert not Product.objects.exists()


@pytest.mark.parametrize("field,url,code", [
    ("fhir_base_url", "file:///etc/passwd", "scheme"),
    ("fhir_base_url", "http://10.0.0.5/fhir", "private"),
    ("oidc_issuer", "http://169.254.169.254/latest", "metadata"),
    ("app_url", "http://[::ffff:127.0.0.1]/", "ipv4_mapped"),
    ("app_url", "http://2130706433/", "ip_encoding"),
    ("fhir_base_url", "http://localhost:8080/fhir", "localhost"),
    ("fhir_base_url", "not a url", None),
])
def test_sandbox_endpoint_on_a_forbidden_address_is_refused_with_a_field_message(
        vendor_admin, qualified_vendor, settings, field, url, code):
    """VER-4 at registration: private, loopback, metadata and file:// endpoints are refused."""
    settings.SANDBOX_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError) as error:
        register_product(vendor_admin, qualified_vendor, endpoints={field: url})
    expected = (nb("This address cannot be used for a sandbox: %(reason)s.", reason=str(REFUSALS[code])) if code
                else nb("Enter a valid web address that starts with https://."))
    assert error.value.message_dict[field] == [expected]
    assert not Product.objects.exists()


def test_duplicate_name_and_missing_fields_are_field_errors(vendor_admin, qualified_vendor):
    register_product(vendor_admin, qualified_vendor, name="Kartleggeren")
    with pytest.raises(ValidationError) as error:
        register_product(vendor_admin, qualified_vendor, name="kartleggeren")
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.product_create(actor=vendor_admin, organisation=qualified_vendor, name="", short_description="",
                                service_areas=[])
    assert {"name", "short_description", "service_areas"} <= set(error.value.message_dict)
    assert Product.objects.count() == 1


def test_another_vendor_cannot_change_a_product(vendor_admin, qualified_vendor, other_vendor_admin):
    product = register_product(vendor_admin, qualified_vendor)
    with pytest.raises(NotFound):
        services.product_update(actor=other_vendor_admin, product_id=product.pk, name="Kapret")
    with pytest.raises(NotFound):
        services.version_update(actor=other_vendor_admin, version_id=draft_of(product).pk, content=complete_declaration())
    product.refresh_from_db()
    assert product.name == "Kartleggeren Kognitiv"
    assert draft_of(product).content["informasjon"] == {}


def test_draft_declaration_is_saved_and_must_be_well_formed(vendor_admin, qualified_vendor):
    """VER-2: unknown FHIR resource types and “does not apply” without a permitted justification are refused."""
    product = register_product(vendor_admin, qualified_vendor)
    version = draft_of(product)
    services.version_update(actor=vendor_admin, version_id=version.pk, content=complete_declaration())
    version.refresh_from_db()
    assert version.content["informasjon"]["fhir_resources"]["Patient"] == ["read", "search-type"]

    unknown = complete_declaration(fhir={"Pasient": ["read"]})
    with pytest.raises(ValidationError) as error:
        services.version_update(actor=vendor_admin, version_id=version.pk, content=unknown)
    assert error.value.message_dict["informasjon.fhir_resources"] == [
        nb("“%(type)s” is not a FHIR R4 resource type.", type="Pasient")]

    unjustified = complete_declaration()
    unjustified["innforing"]["training"] = {"not_applicable": "we could not be bothered"}
    with pytest.raises(ValidationError) as error:
        services.version_update(actor=vendor_admin, version_id=version.pk, content=unjustified)
    assert error.value.message_dict["innforing.training"] == [
        nb("“Does not apply” needs one of the permitted justifications.")]

    not_allowed = complete_declaration()
    not_allowed["innforing"]["prerequisites"] = {"not_applicable": "by_customer"}
    with pytest.raises(ValidationError) as error:
        services.version_update(actor=vendor_admin, version_id=version.pk, content=not_allowed)
    assert "innforing.prerequisites" in error.value.message_dict
    version.refresh_from_db()
    assert version.content == complete_declaration()


def test_documents_are_sniffed_and_one_per_kind(vendor_admin, qualified_vendor):
    product = register_product(vendor_admin, qualified_vendor)
    version = draft_of(product)
    first = services.version_document_upload(actor=vendor_admin, version_id=version.pk, kind="dpia", upload=pdf("a.pdf"))
    second = services.version_document_upload(actor=vendor_admin, version_id=version.pk, kind="dpia", upload=pdf("b.pdf"))
    assert list(documents_for(version)) == [second]
    assert not Document.objects.filter(pk=first.pk).exists()
    with pytest.raises(ValidationError) as error:
        services.version_document_upload(actor=vendor_admin, version_id=version.pk, kind="ros", upload=png("ros.pdf"))
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.version_document_upload(actor=vendor_admin, version_id=version.pk, kind="brochure", upload=pdf())
    assert "kind" in error.value.message_dict


def test_freezing_is_for_qualified_vendors_and_is_final(vendor_admin, qualified_vendor, sandbox):
    """VER-2: a version is frozen once submitted; editing a frozen version is refused."""
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    services.version_freeze(actor=vendor_admin, version_id=version.pk, start_run=False)
    version.refresh_from_db()
    assert version.status == Status.IN_VERIFICATION and version.frozen_by == vendor_admin
    with pytest.raises(IllegalTransition):
        services.version_update(actor=vendor_admin, version_id=version.pk, content=complete_declaration(areas=["x"]))
    with pytest.raises(IllegalTransition):
        services.version_document_upload(actor=vendor_admin, version_id=version.pk, kind="dpia", upload=pdf())
    with pytest.raises(IllegalTransition):
        services.version_freeze(actor=vendor_admin, version_id=version.pk)


def test_freezing_queues_the_first_run_after_commit(vendor_admin, qualified_vendor, sandbox,
                                                    django_capture_on_commit_callbacks):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.version_freeze(actor=vendor_admin, version_id=version.pk)
        assert VerificationRun.objects.get(version=version).status == VerificationRun.Status.QUEUED
    assert callbacks  # the task was enqueued on commit, and (eager in tests) ran the suite
    run = VerificationRun.objects.get(version=version)
    assert run.status == VerificationRun.Status.PASSED
    version.refresh_from_db()
    assert version.status == Status.VERIFIED


def test_expired_vendor_cannot_freeze(vendor_admin, qualified_vendor):
    from verification.models import Qualification

    product = register_product(vendor_admin, qualified_vendor)
    version = fill(draft_of(product), vendor_admin)
    Qualification.objects.filter(organisation=qualified_vendor).update(status=Qualification.Status.EXPIRED)
    with pytest.raises(PermissionRefused):
        services.version_freeze(actor=vendor_admin, version_id=version.pk)
    version.refresh_from_db()
    assert version.status == Status.DRAFT


def test_editing_a_frozen_version_starts_a_new_version_with_copies_of_the_documents(vendor_admin, qualified_vendor, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    first = fill(draft_of(product), vendor_admin)
    freeze_and_run(first, vendor_admin)
    second = services.version_create(actor=vendor_admin, product_id=product.pk)
    assert (second.number, second.status, second.based_on) == (2, Status.DRAFT, first)
    assert second.content == first.content
    old_docs, new_docs = list(documents_for(first)), list(documents_for(second))
    assert sorted(d.kind for d in new_docs) == sorted(d.kind for d in old_docs)
    assert {d.sha256 for d in new_docs} == {d.sha256 for d in old_docs}
    assert not {d.file.name for d in new_docs} & {d.file.name for d in old_docs}  # own files: a draft may delete them
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN  # the working version it replaces
    with pytest.raises(Conflict):
        services.version_create(actor=vendor_admin, product_id=product.pk)
    # Removing a copied document from the draft leaves the frozen version's file alone.
    services.version_document_delete(actor=vendor_admin, version_id=second.pk, document_id=new_docs[0].pk)
    assert all(d.file.storage.exists(d.file.name) for d in documents_for(first))


def test_member_of_the_vendor_may_work_on_declarations(vendor_member, qualified_vendor, vendor_admin, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_member)
    assert freeze_and_run(version, vendor_member).status == VerificationRun.Status.PASSED


def test_withdrawing_a_draft(vendor_admin, qualified_vendor):
    product = register_product(vendor_admin, qualified_vendor)
    version = services.version_withdraw(actor=vendor_admin, version_id=draft_of(product).pk, reason="Feil produkt.")
    assert version.status == Status.WITHDRAWN
    assert services.version_create(actor=vendor_admin, product_id=product.pk).number == 2


def test_municipality_cannot_see_a_draft(vendor_admin, qualified_vendor, municipal_admin):
    product = register_product(vendor_admin, qualified_vendor)
    with pytest.raises(NotFound):
        services.version_update(actor=municipal_admin, version_id=draft_of(product).pk, content=complete_declaration())


def test_vendor_organisations_products_are_their_own(vendor_admin, qualified_vendor):
    stranger_org = OrganisationFactory(kind=Organisation.Kind.VENDOR)
    stranger = make_member(stranger_org, Role.ADMIN)
    product = register_product(vendor_admin, qualified_vendor)
    with pytest.raises(NotFound):
        services.version_create(actor=stranger, product_id=product.pk)
    assert product.versions.count() == 1


def test_logo_must_be_an_image(vendor_admin, qualified_vendor):
    with pytest.raises(ValidationError) as error:
        register_product(vendor_admin, qualified_vendor, logo=pdf("logo.png"))
    assert "logo" in error.value.message_dict
    assert not Product.objects.exists()
