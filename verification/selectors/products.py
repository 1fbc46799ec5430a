"""Reads of Verifikasjon for screens, API and the store, scoped to what the actor may see, with fixed query
counts (VER-1 … VER-7).

For the store: `listings_active()` is the queryset of products to show, each with its listed declaration
version (`listing.version`), vendor, logo, service areas, needs and latest run — one query plus two
prefetches, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from marketplace.acting import acting_organisation
from marketplace.declaration import compare_declarations
from marketplace.errors import NotFound
from marketplace.models import AuditEvent, Document, Organisation, ServiceArea
from marketplace.selectors import history_for

from ..checks import get_check
from ..models import CheckResult, DeclarationVersion, Listing, Product, VerificationRun

VersionStatus = DeclarationVersion.Status
RunStatus = VerificationRun.Status


# The store's view: active listings ------------------------------------------------------------------


def listings_active(*, service_area: ServiceArea | str | None = None, vendor: Organisation | None = None,
                    search: str = "") -> QuerySet[Listing]:
    """Listings the store shows (listed, or listed and under utbedring), each with its listed version.

    `listing.version.content` is the approved declaration; `listing.product` the product with `vendor`,
    `logo`, `service_areas` and `needs` loaded; `listing.last_run` the latest run of the listed version
    (link its report with `listing.last_run.get_absolute_url`). Costs 3 queries for any number of rows.
    """
    qs = Listing.objects.active().select_related("product", "product__vendor", "product__logo", "version", "last_run")
    if service_area is not None:
        slug = service_area.slug if isinstance(service_area, ServiceArea) else service_area
        qs = qs.filter(product__service_areas__slug=slug)
    if vendor is not None:
        qs = qs.filter(product__vendor=vendor)
    if search:
        qs = qs.filter(Q(product__name__icontains=search) | Q(product__short_description__icontains=search)
                       | Q(product__vendor__name__icontains=search))
    return qs.prefetch_related(
        Prefetch("product__service_areas", queryset=ServiceArea.objects.select_related("category").order_by("order")),
        "product__needs",
    ).order_by("product__name", "pk").distinct()


def listing_active_for(*, product_id: int) -> Listing | None:
    """The product's active listing (with its listed version), or None."""
    return listings_active().filter(product_id=product_id).first()


# Products and versions -----------------------------------------------------------------------------


def _latest_version_subquery(field: str) -> Subquery:
    return Subquery(
        DeclarationVersion.objects.filter(product=OuterRef("pk")).order_by("-number").values(field)[:1]
    )


def products_of(*, organisation: Organisation) -> QuerySet[Product]:
    """A vendor's products with their latest version (number, status) and listing, in one query."""
    return (
        Product.objects.filter(vendor=organisation)
        .select_related("listing", "listing__version", "logo")
        .annotate(
            latest_version_id=_latest_version_subquery("pk"),
            latest_version_number=_latest_version_subquery("number"),
            latest_version_status=_latest_version_subquery("status"),
        )
        .order_by("name", "pk")
    )


def products_visible_to(*, actor: Any) -> QuerySet[Product]:
    """Platform administrators see every product; vendors their own and listed ones; others listed ones."""
    qs = Product.objects.select_related(
        "vendor", "listing", "listing__version", "listing__last_run", "logo"
    ).prefetch_related("service_areas", "needs")
    if actor.has_perm("verification.review_listing"):
        return qs
    listed = Q(listing__status__in=Listing.ACTIVE_STATES)
    organisation = acting_organisation(actor)
    if organisation is not None:
        return qs.filter(listed | Q(vendor=organisation))
    return qs.filter(listed)


def product_list(*, actor: Any, search: str = "") -> QuerySet[Product]:
    """Products the actor may see, with vendor, listing and latest version (number, status); one query plus a
    prefetch of service areas, whatever the number of rows."""
    qs = products_visible_to(actor=actor)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(short_description__icontains=search)
                       | Q(vendor__name__icontains=search))
    return qs.annotate(
        latest_version_id=_latest_version_subquery("pk"),
        latest_version_number=_latest_version_subquery("number"),
        latest_version_status=_latest_version_subquery("status"),
    ).order_by("name", "pk")


def product_get(*, actor: Any, pk: int) -> Product:
    """A product the actor may see; missing and forbidden are the same 404."""
    product = (
        Product.objects.select_related("vendor", "logo", "listing", "listing__version", "listing__last_run")
        .prefetch_related(Prefetch("service_areas", queryset=ServiceArea.objects.order_by("order")), "needs")
        .filter(pk=pk)
        .first()
    )
    if product is None or not actor.has_perm("verification.view_product", product):
        raise NotFound(_("Product not found."))
    return product


def versions_of(product: Product) -> list[DeclarationVersion]:
    """Every version of a product, newest first, each with its latest run (two queries)."""
    versions = list(DeclarationVersion.objects.filter(product=product).order_by("-number"))
    latest = {}
    for run in VerificationRun.objects.filter(version__product=product).order_by("version_id", "-created_at", "-id"):
        latest.setdefault(run.version_id, run)
    for version in versions:
        version.product = product
        version.latest_run = latest.get(version.pk)
    return versions


def version_get(*, actor: Any, pk: int) -> DeclarationVersion:
    """A declaration version the actor may see; missing and forbidden are the same 404."""
    version = (
        DeclarationVersion.objects.select_related("product", "product__vendor", "product__logo", "based_on",
                                                  "decided_by", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    if version is None or not actor.has_perm("verification.view_declarationversion", version):
        raise NotFound(_("Declaration not found."))
    return version


def version_documents(version: DeclarationVersion) -> list[Document]:
    return list(
        Document.objects.filter(owner_type=ContentType.objects.get_for_model(DeclarationVersion), owner_id=version.pk)
        .order_by("kind", "created_at")
    )


def runs_of(version: DeclarationVersion) -> QuerySet[VerificationRun]:
    return VerificationRun.objects.filter(version=version).select_related("requested_by").order_by("-created_at", "-id")


def latest_run(version: DeclarationVersion) -> VerificationRun | None:
    return VerificationRun.objects.filter(version=version).order_by("-created_at", "-id").first()


def listed_version(product: Product) -> DeclarationVersion | None:
    return DeclarationVersion.objects.filter(product=product, status=VersionStatus.LISTED).first()


STATE_LABELS = {
    **dict(DeclarationVersion.Status.choices), **dict(Listing.Status.choices), **dict(VerificationRun.Status.choices)
}


def version_history(version: DeclarationVersion) -> list[AuditEvent]:
    events = list(history_for(version))
    for event in events:
        event.from_state = STATE_LABELS.get(event.from_state, event.from_state)
        event.to_state = STATE_LABELS.get(event.to_state, event.to_state)
    return events


# Runs and reports (VER-3, VER-7) ---------------------------------------------------------------------


@dataclass
class ResultRow:
    """A check result with its check's title and description from the registry."""

    result: CheckResult
    title: str
    description: str


def run_get(*, actor: Any, uuid: Any) -> VerificationRun:
    """A run by its shareable id: anyone for the listed version, else the vendor and administrators (404)."""
    run = (
        VerificationRun.objects.select_related("version", "version__product", "version__product__vendor",
                                               "requested_by")
        .filter(uuid=uuid)
        .first()
    )
    if run is None or not actor.has_perm("verification.view_verificationrun", run):
        raise NotFound(_("Verification report not found."))
    return run


def run_results(run: VerificationRun) -> list[ResultRow]:
    rows = []
    for result in run.results.order_by("order", "id"):
        check = get_check(result.check_id)
        rows.append(ResultRow(result=result, title=str(check.title) if check else result.check_id,
                              description=str(check.description) if check else ""))
    return rows


@dataclass
class Progress:
    total: int
    done: int
    counts: dict[str, int]

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


def run_progress(rows: list[ResultRow]) -> Progress:
    counts: dict[str, int] = {status: 0 for status in CheckResult.Status.values}
    for row in rows:
        counts[row.result.status] += 1
    done = sum(counts[s] for s in CheckResult.FINAL_STATES)
    return Progress(total=len(rows), done=done, counts=counts)


def runs_for_organisation(*, organisation: Organisation, statuses: tuple[str, ...], limit: int = 5) -> list[VerificationRun]:
    return list(
        VerificationRun.objects.filter(version__product__vendor=organisation, status__in=statuses)
        .select_related("version", "version__product")
        .order_by("-created_at", "-id")[:limit]
    )


def failed_runs_for(*, organisation: Organisation, limit: int = 5) -> list[VerificationRun]:
    """The latest run of each working or listed version, where that run failed or ended in error."""
    latest_ids = Subquery(
        VerificationRun.objects.filter(version=OuterRef("version")).order_by("-created_at", "-id").values("pk")[:1]
    )
    return list(
        VerificationRun.objects.filter(
            version__product__vendor=organisation,
            status__in=(RunStatus.FAILED, RunStatus.ERROR),
            version__status__in=(*DeclarationVersion.OPEN_STATES, VersionStatus.LISTED),
        )
        .filter(pk=latest_ids)
        .select_related("version", "version__product")
        .order_by("-finished_at", "-id")[:limit]
    )


# Listing review (VER-5) -------------------------------------------------------------------------------


def review_queue(*, search: str = "") -> QuerySet[DeclarationVersion]:
    """Versions awaiting listing review, oldest submission first, with product, vendor, the listed version
    (for “new version of a listed product”) and the latest run's status; one query."""
    qs = DeclarationVersion.objects.filter(status=VersionStatus.SUBMITTED)
    if search:
        qs = qs.filter(Q(product__name__icontains=search) | Q(product__vendor__name__icontains=search))
    latest_run = VerificationRun.objects.filter(version=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        qs.select_related("product", "product__vendor", "product__listing", "product__listing__version", "submitted_by")
        .annotate(
            latest_run_status=Subquery(latest_run.values("status")[:1]),
            latest_run_uuid=Subquery(latest_run.values("uuid")[:1]),
        )
        .order_by("submitted_at", "pk")
    )


def review_queue_count() -> int:
    return DeclarationVersion.objects.filter(status=VersionStatus.SUBMITTED).count()


def changes_since_listed(version: DeclarationVersion) -> tuple[DeclarationVersion | None, list[dict]]:
    """For a new version of a listed product: the listed version and the field-by-field comparison."""
    listed = listed_version(version.product)
    if listed is None or listed.pk == version.pk:
        return None, []
    return listed, compare_declarations([listed.content, version.content])


def under_remediation_for(*, organisation: Organisation) -> list[Listing]:
    return list(
        Listing.objects.filter(product__vendor=organisation, status=Listing.Status.UNDER_REMEDIATION)
        .select_related("product", "version", "last_run")
        .order_by("-remediation_since")
    )


def listing_counts() -> dict[str, int]:
    rows = Listing.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
