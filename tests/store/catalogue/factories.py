"""Builders for Butikken tests. Store state (adoptions, shortlists) is made through the store's services; what
belongs to Verifikasjon (a listed product with its approved declaration) is written as its finished result,
and the store follows it as it does in real use (through the hook Verifikasjon's services call).
`test_follows_verification.py` walks the real services."""

from __future__ import annotations

import copy
from datetime import timedelta

from django.utils import timezone

from marketplace.models import Category, ServiceArea
from tests.factories import CategoryFactory, ServiceAreaFactory
from verification import hooks
from verification.models import DeclarationVersion, Listing, Product, VerificationRun

BASE_DECLARATION = {
    "funksjon": {
        "description": "Veiledet kartlegging på nettbrett, også uten nett.",
        "work_processes": ["Kartleggingsbesøk hos innbygger"],
        "professions": ["Sykepleier"],
        "service_areas": ["tjenestetildeling"],
    },
    "informasjon": {
        "fhir_resources": {"Patient": ["read", "search-type"], "Observation": ["read", "create"]},
        "terminologies": ["SNOMED CT"],
        "national_solutions": ["HelseID"],
        "data_location": "norway",
        "processor": "Leverandøren, drift i Norge.",
    },
    "innforing": {
        "prerequisites": "Nettbrett og HelseID.",
        "training": "E-læring på 45 minutter.",
        "onboarding_support": "Fast kontaktperson i tre måneder.",
        "risks": [
            {
                "title": "Nettbrett på avveie",
                "likelihood": 3,
                "consequence": 4,
                "mitigation": "Fjernsletting.",
            }
        ],
    },
}


def declaration(**informasjon) -> dict:
    """The base declaration with some `informasjon` fields replaced."""
    content = copy.deepcopy(BASE_DECLARATION)
    content["informasjon"].update(informasjon)
    return content


def category(
    slug: str = "kommunale-helsetjenester", name: str = "Kommunale helsetjenester", order: int = 1
) -> Category:
    return CategoryFactory(slug=slug, name=name, order=order)


def area(slug: str, name: str | None = None, *, cat: Category | None = None, order: int = 0) -> ServiceArea:
    existing = ServiceArea.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    return ServiceAreaFactory(
        slug=slug, name=name or slug.capitalize(), category=cat or category(), order=order
    )


def listed(
    vendor,
    name: str,
    *,
    areas: list[ServiceArea] | None = None,
    content: dict | None = None,
    short: str | None = None,
    description: str = "",
    price_model: str = "Årlig lisens.",
    status: str = Listing.Status.LISTED,
    listed_days_ago: int = 10,
    with_run: bool = True,
) -> Product:
    """A product of `vendor` listed in the store with declaration version 1 (Verifikasjon's result)."""
    product = Product.objects.create(
        vendor=vendor,
        name=name,
        short_description=short or f"{name} for kommunene.",
        description=description,
        price_model=price_model,
    )
    product.service_areas.set(areas or [area("tjenestetildeling", "Tjenestetildeling")])
    now = timezone.now()
    version = DeclarationVersion.objects.create(
        product=product,
        number=1,
        content=content or declaration(),
        status=DeclarationVersion.Status.LISTED,
        frozen_at=now,
    )
    run = None
    if with_run:
        run = VerificationRun.objects.create(
            version=version, status=VerificationRun.Status.PASSED, started_at=now, finished_at=now
        )
    listed_at = now - timedelta(days=listed_days_ago)
    Listing.objects.create(
        product=product,
        version=version,
        status=status,
        listed_at=listed_at,
        version_listed_at=listed_at,
        last_run=run,
        last_verified_at=now if run else None,
        remediation_since=now if status == Listing.Status.UNDER_REMEDIATION else None,
    )
    hooks.listing_changed(product_id=product.pk, fields=None)
    return product


def withdraw(product: Product) -> None:
    """Verifikasjon withdrew the listing."""
    listing = product.listing
    listing.status = Listing.Status.WITHDRAWN
    listing.withdrawn_at = timezone.now()
    listing.save(update_fields=["status", "withdrawn_at", "updated_at"])
    hooks.listing_changed(product_id=product.pk, fields=["status", "withdrawn_at"])
