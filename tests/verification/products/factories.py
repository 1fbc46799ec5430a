"""Builders for Verifikasjon tests: qualified vendors, complete declarations, documents, products in each state.

State is set through the services (as a vendor or administrator would); only the qualification of a vendor,
which belongs to Kvalifisering, is written directly as its finished result.
"""

from __future__ import annotations

import copy
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.models import Organisation, ServiceArea
from tests.factories import ServiceAreaFactory
from verification.demo import demo_pdf
from verification.models import (
    DOCUMENT_KINDS,
    CriterionSet,
    DeclarationVersion,
    Qualification,
    QualificationApplication,
    VerificationRun,
)
from verification.services import listing as listing_services
from verification.services import products as services
from verification.services import runs as run_services

DECLARED_FHIR = {
    "Patient": ["read", "search-type"],
    "Observation": ["read", "search-type"],
    "Questionnaire": ["read", "search-type"],
}


def qualify(organisation: Organisation, *, expired: bool = False) -> Qualification:
    """Kvalifisering's result for `organisation`: valid for a year from a month ago, or expired."""
    today = timezone.localdate()
    criterion_set = CriterionSet.objects.filter(status=CriterionSet.Status.ACTIVE).first() or CriterionSet.objects.create(
        version=f"test-{organisation.pk}", title="Kriterier", status=CriterionSet.Status.ACTIVE, activated_at=timezone.now()
    )
    application = QualificationApplication.objects.create(
        organisation=organisation, criterion_set=criterion_set, status=QualificationApplication.Status.QUALIFIED,
        company_name=organisation.name, org_number=organisation.org_number, decided_at=timezone.now(),
    )
    if expired:
        return Qualification.objects.create(
            organisation=organisation, application=application, status=Qualification.Status.EXPIRED,
            qualified_on=today - timedelta(days=400), expires_on=today - timedelta(days=35),
        )
    return Qualification.objects.create(
        organisation=organisation, application=application, qualified_on=today - timedelta(days=30),
        expires_on=today + timedelta(days=335),
    )


def service_area(slug: str = "tjenestetildeling", name: str = "Tjenestetildeling") -> ServiceArea:
    return ServiceArea.objects.filter(slug=slug).first() or ServiceAreaFactory(slug=slug, name=name)


def complete_declaration(*, areas: list[str] | None = None, fhir: dict | None = None) -> dict:
    """A declaration with every section answered, declaring resources the conformant sandbox supports."""
    return {
        "funksjon": {
            "description": "Veiledet kognitiv kartlegging på nettbrett, også uten nett.",
            "work_processes": ["Kartleggingsbesøk hos innbygger", "Behandling av søknad"],
            "professions": ["Sykepleier", "Ergoterapeut"],
            "service_areas": areas or ["tjenestetildeling"],
        },
        "informasjon": {
            "fhir_resources": copy.deepcopy(fhir if fhir is not None else DECLARED_FHIR),
            "terminologies": ["SNOMED CT", "ICPC-2"],
            "national_solutions": ["HelseID"],
            "data_location": "norway",
            "processor": "Kartleggeren AS, drift i Norge.",
        },
        "innforing": {
            "prerequisites": "Nettbrett og HelseID.",
            "training": {"not_applicable": "by_customer"},
            "onboarding_support": "Fast kontaktperson i tre måneder.",
            "risks": [{"title": "Nettbrett på avveie", "likelihood": 3, "consequence": 4,
                       "mitigation": "Kryptert lagring og fjernsletting."}],
        },
    }


def pdf(name: str = "dokument.pdf", title: str = "Dokument") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(title, ["Testdokument"]), content_type="application/pdf")


def png(name: str = "logo.png") -> SimpleUploadedFile:
    # The smallest valid PNG: 1×1 pixel.
    data = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    return SimpleUploadedFile(name, data, content_type="image/png")


def register_product(actor, organisation, *, endpoints: dict | None = None, name: str = "Kartleggeren Kognitiv",
                     areas: list[ServiceArea] | None = None, **fields):
    return services.product_create(
        actor=actor, organisation=organisation, name=name,
        short_description="Kognitiv kartlegging på nettbrett.", service_areas=areas or [service_area()],
        **(endpoints or {}), **fields,
    )


def fill(version: DeclarationVersion, actor, *, content: dict | None = None, documents: bool = True) -> DeclarationVersion:
    """Write a complete declaration and upload the four required documents to a draft."""
    version = services.version_update(actor=actor, version_id=version.pk, content=content or complete_declaration())
    if documents:
        for kind, label in DOCUMENT_KINDS:
            services.version_document_upload(actor=actor, version_id=version.pk, kind=kind,
                                             upload=pdf(f"{kind}.pdf", str(label)))
    return version


def draft_of(product) -> DeclarationVersion:
    return product.versions.get(status=DeclarationVersion.Status.DRAFT)


def freeze_and_run(version: DeclarationVersion, actor) -> VerificationRun:
    """Freeze a draft, queue its first run and execute it here (what the worker does)."""
    services.version_freeze(actor=actor, version_id=version.pk)
    run = VerificationRun.objects.filter(version=version).latest("created_at")
    run_services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def run_again(version: DeclarationVersion, actor) -> VerificationRun:
    run = run_services.run_start(actor=actor, version_id=version.pk)
    run_services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def listed_product(vendor_actor, organisation, admin, *, endpoints: dict, name: str = "Kartleggeren Kognitiv"):
    """A product whose version 1 passed verification and was approved by `admin`."""
    product = register_product(vendor_actor, organisation, endpoints=endpoints, name=name)
    version = fill(draft_of(product), vendor_actor)
    run = freeze_and_run(version, vendor_actor)
    assert run.status == VerificationRun.Status.PASSED, [(r.check_id, r.status, r.message) for r in run.results.all()]
    services.version_submit(actor=vendor_actor, version_id=version.pk)
    listing_services.listing_approve(actor=admin, version_id=version.pk, reason="Godkjent.")
    product.refresh_from_db()
    return product
