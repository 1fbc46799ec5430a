"""The page document: what a listing page shows of Verifikasjon's product, kept on its store entry.

A listing page (STO-2) shows the product, the approved declaration, its documents, service areas and the
needs the product answers. All of it belongs to Verifikasjon, changes only through its services, and reaches
the store through the same hooks as the search document (`store_follow_listing`, `store_follow_product`).
The entry refresh writes it as one JSON document, so that a listing page reads one row instead of joining
six tables and querying documents, areas and needs apart.

What may change without Verifikasjon's product services is not in the document and is read live with it:
the listing's status and dates (re-verification), the report of the latest run, the vendor (its name and
qualification), the store's own figures. A document built from another version than the one listed, or in
an older format, is never shown: the page builds a fresh one in memory instead (`store_entries_sync` writes it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from marketplace.compiled import as_instance
from marketplace.models import Document, Organisation, ServiceArea
from verification.models import DeclarationVersion, Listing, Product, VerificationRun

FORMAT = 1

LISTING_COLUMNS = (
    "id", "product_id", "version_id", "status", "listed_at", "version_listed_at", "last_run_id",
    "last_verified_at", "remediation_since", "remediation_messages",
)
VENDOR_COLUMNS = ("id", "name", "slug", "kind")
PRODUCT_FIELDS = ("name", "short_description", "description", "price_model", "website", "logo_id")
DOCUMENT_FIELDS = ("id", "uuid", "title", "original_name", "kind", "content_type", "extension", "size")


# Building (the entry refresh) ------------------------------------------------------------------------


def page_products(product_ids: Iterable[int]) -> QuerySet[Product]:
    """The products with what their documents and search documents are built from."""
    return (
        Product.objects.filter(pk__in=list(product_ids))
        .select_related("vendor", "listing__version", "logo")
        .prefetch_related("service_areas__category")
    )


def listing_of(product: Product) -> Listing | None:
    try:
        return product.listing
    except Listing.DoesNotExist:
        return None


def areas_of(product: Product) -> list[ServiceArea]:
    """The product's service areas in display order (from the prefetched areas)."""
    return sorted(product.service_areas.all(), key=lambda a: (a.category.order, a.order, a.name))


def page_documents(products: Sequence[Product]) -> dict[int, dict[str, Any]]:
    """The page documents of products loaded by `page_products`, by product id (empty for a product never
    listed). Two queries: the needs they answer and their listed versions' documents."""
    ids = [product.pk for product in products]
    need_ids: dict[int, list[int]] = {}
    for product_id, need_id in Product.needs.through.objects.filter(product_id__in=ids).values_list(
        "product_id", "need_id"
    ):
        need_ids.setdefault(product_id, []).append(need_id)
    listings = {product.pk: listing_of(product) for product in products}
    documents: dict[int, list[Document]] = {}
    version_ids = [listing.version_id for listing in listings.values() if listing is not None]
    if version_ids:
        for document in Document.objects.filter(
            owner_type=ContentType.objects.get_for_model(DeclarationVersion), owner_id__in=version_ids
        ).order_by("kind", "title", "id"):
            documents.setdefault(document.owner_id, []).append(document)
    return {
        product.pk: _document(
            product=product,
            listing=listings[product.pk],
            areas=areas_of(product),
            documents=documents.get(listings[product.pk].version_id, []) if listings[product.pk] else [],
            need_ids=need_ids.get(product.pk, []),
        )
        for product in products
    }


def _document(
    *,
    product: Product,
    listing: Listing | None,
    areas: Iterable[ServiceArea],
    documents: Iterable[Document],
    need_ids: Iterable[int],
) -> dict[str, Any]:
    if listing is None:
        return {}
    logo = product.logo if product.logo_id else None
    return {
        "format": FORMAT,
        "product": {name: getattr(product, name) for name in PRODUCT_FIELDS},
        "logo_uuid": str(logo.uuid) if logo else "",
        "version": {"id": listing.version_id, "number": listing.version.number},
        "declaration": listing.version.content or {},
        "areas": [area.slug for area in areas],
        "needs": sorted(need_ids),
        "documents": [
            {name: str(getattr(d, name)) if name == "uuid" else getattr(d, name) for name in DOCUMENT_FIELDS}
            for d in documents
        ],
    }


# Reading (the listing page) -----------------------------------------------------------------------------


def is_current(document: dict[str, Any], *, version_id: int | None) -> bool:
    """Whether the document was built, in this format, from the listed version."""
    return document.get("format") == FORMAT and document.get("version", {}).get("id") == version_id


def product_from(document: dict[str, Any], *, product_id: int, vendor: Organisation) -> Product:
    product = as_instance(Product, {"id": product_id, "vendor_id": vendor.pk, **document["product"]})
    product.vendor = vendor
    if document.get("logo_uuid"):
        product.logo = as_instance(
            Document, {"id": document["product"]["logo_id"], "uuid": UUID(document["logo_uuid"])}
        )
    return product


def version_from(document: dict[str, Any], *, product_id: int) -> DeclarationVersion:
    version = document["version"]
    return as_instance(
        DeclarationVersion,
        {"id": version["id"], "product_id": product_id, "number": version["number"],
         "content": document["declaration"]},
    )


def documents_from(document: dict[str, Any]) -> list[Document]:
    """The documents, their uuids as the model holds them (UUID, not the document's text)."""
    return [
        as_instance(Document, {**values, "uuid": UUID(values["uuid"])}) for values in document["documents"]
    ]


def listing_from(row: dict[str, Any], prefix: str = "listing__") -> Listing:
    """The listing from the live columns of a row (`LISTING_COLUMNS` under `prefix`)."""
    listing = as_instance(Listing, {name: row[prefix + name] for name in LISTING_COLUMNS})
    run_uuid = row.get(prefix + "last_run__uuid")
    listing.last_run = (
        as_instance(VerificationRun, {"id": row[prefix + "last_run_id"], "uuid": run_uuid}) if run_uuid else None
    )
    return listing


def vendor_from(row: dict[str, Any], prefix: str = "product__vendor__") -> Organisation:
    return as_instance(Organisation, {name: row[prefix + name] for name in VENDOR_COLUMNS})


def prefetched(instance: Model, name: str, objects: list[Model]) -> None:
    """Give `instance.<name>.all()` these objects without a query, as prefetch_related would. (A plain queryset
    of the related model holds them: the related manager's own would cost some 40 µs to build.)"""
    queryset = QuerySet(model=instance._meta.get_field(name).related_model, using=instance._state.db)
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
