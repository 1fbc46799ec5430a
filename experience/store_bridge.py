"""The one place where Erfaringsarena reads and writes Butikken: adoptions, the store entry's rating fields
and the listing page. Everything else in this app asks these functions, so that a change in the store
touches one module here."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse

from store.models import Adoption
from verification.models import Listing


def is_in_store(product) -> bool:
    """The product has been listed (it may have been withdrawn since; its users may still rate it)."""
    return Listing.objects.filter(product_id=product.pk).exists()


def _active() -> QuerySet[Adoption]:
    return Adoption.objects.filter(status=Adoption.Status.ACTIVE)


def has_active_adoption(*, organisation_id: int, product_id: int) -> bool:
    """Whether the organisation uses the product now: an active adoption (EXP-2)."""
    return _active().filter(organisation_id=organisation_id, product_id=product_id).exists()


def adopter_ids(*, product_id: int) -> QuerySet:
    """The organisations that use the product now (values of organisation_id, usable as a subquery)."""
    return _active().filter(product_id=product_id).values("organisation_id")


def products_used_by(*, organisation_id: int) -> QuerySet:
    """The products an organisation uses now (a values queryset of product_id, usable as a subquery)."""
    return _active().filter(organisation_id=organisation_id).values("product_id")


def set_store_rating(*, product_id: int, average: Decimal | None, count: int) -> None:
    """Hand the rating totals to the store, which keeps them on its entry for filters and sorting."""
    from store.services.catalogue import store_entry_set_rating

    store_entry_set_rating(product_id=product_id, average=average, count=count)


def set_store_experience_count(*, product_id: int, count: int) -> None:
    """Hand the number of published experiences about the product to the store (its listing page asks for
    experiences only when there are any)."""
    from store.services.catalogue import store_entry_set_experience_count

    store_entry_set_experience_count(product_id=product_id, count=count)


def listing_url(product) -> str:
    """The product's page in Butikken."""
    return reverse("store:listing", args=[product.pk])
