"""Builders for Erfaringsarena tests.

Products in the store and active adoptions belong to Verifikasjon and Butikken: they are written directly
as those arenas' finished results. Everything of Erfaringsarena is made through its services.
"""

from __future__ import annotations

import itertools

from django.utils import timezone

from experience import services
from experience.models import Experience, Topic
from marketplace.declaration import empty_declaration
from store.models import Adoption
from tests.factories import OrganisationFactory, ServiceAreaFactory
from verification import hooks
from verification.models import DeclarationVersion, Listing, Product

_municipality_numbers = itertools.count()


def municipality(**fields):
    """A municipality with a kommunenummer of its own (Vestland's numbers, not the fixtures')."""
    return OrganisationFactory(municipality_number=f"46{10 + next(_municipality_numbers) % 90:02d}", **fields)


TEXTS = {
    "what_worked": "Alle kartlegger etter de samme kriteriene, og saksbehandlerne får resultatet samme dag.",
    "what_did_not": "Frakoblet modus fungerte dårlig i starten i områder uten dekning.",
    "advice": "Bli enige om kartleggingskriteriene før dere tar løsningen i bruk.",
    "effort": "Ca. 150 timer.",
    "timeline": "Fire måneder fra avtale til full drift.",
}


def listed_product(
    vendor, *, name: str = "Kartleggeren Kognitiv", areas=None, status: str = Listing.Status.LISTED
):
    """A product of `vendor` approved for Butikken (Verifikasjon's result)."""
    product = Product.objects.create(vendor=vendor, name=name, short_description=f"{name}: kort beskrivelse.")
    product.service_areas.set(areas or [ServiceAreaFactory()])
    now = timezone.now()
    version = DeclarationVersion.objects.create(
        product=product,
        number=1,
        content=empty_declaration(),
        status=DeclarationVersion.Status.LISTED,
        frozen_at=now,
        submitted_at=now,
        decided_at=now,
    )
    Listing.objects.create(
        product=product, version=version, status=status, listed_at=now, version_listed_at=now
    )
    hooks.listing_changed(product_id=product.pk, fields=None)  # Butikken follows, as after listing_approve
    return product


def adopt(organisation, product, *, status: str = Adoption.Status.ACTIVE) -> Adoption:
    """An adoption of `product` by `organisation` (Butikken's result), active by default."""
    return Adoption.objects.create(
        product=product,
        organisation=organisation,
        status=status,
        start_date=timezone.localdate() if status == Adoption.Status.ACTIVE else None,
    )


def write(
    actor,
    *,
    product=None,
    topic: str = Topic.PRODUCT,
    title: str = "Felles kartlegging ga likere vurderinger",
    publish: bool = True,
    area=None,
    **fields,
) -> Experience:
    """An experience written (and published) by `actor` through the services."""
    texts = {**TEXTS, **fields}
    subject = {}
    if product is not None:
        subject["product_id"] = product.pk
    for name in ("need_id", "procurement_id"):
        if name in texts:
            subject[name] = texts.pop(name)
    experience = services.experience_create(
        actor=actor,
        topic=topic,
        title=title,
        service_area_id=(area or ServiceAreaFactory()).pk,
        **subject,
        **texts,
    )
    if publish:
        experience = services.experience_publish(actor=actor, experience_id=experience.pk)
    experience.refresh_from_db()
    return experience
