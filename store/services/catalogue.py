"""Butikken writes: the store's read model of listings, shortlists and adoption (STO-1 … STO-6).

APIs for the arenas to the right (they call these; the store never imports them):

    # Erfaringsarena, after a rating is added, changed or hidden (EXP-2):
    store_entry_set_rating(product_id=…, average=Decimal("4.33") | None, count=3)
    # Erfaringsarena, after an experience about a product is published, hidden or shown again (EXP-1):
    store_entry_set_experience_count(product_id=…, count=2)

    # Felleskjøp, when an agreement comes into force, changes or ends (PRO-6); None: no agreement any more:
    store_entry_set_procured(product_id=…, agreement_until=date(2027, 6, 30) | None,
                             label="Felleskjøp: Kognitiv kartlegging", url="/butikken/felleskjop/…")
    store_entry_clear_procured(product_id=…)

    # Felleskjøp, when a participating municipality calls off under an active agreement (PRO-6, STO-5):
    # an accepted adoption without the vendor's answer, active from `starts_on` (default today).
    adoption_create_call_off(actor=…, organisation=…, product_id=…, procurement_id=…, starts_on=…,
                             agreement_until=…)

    # Any write above, and every adoption step, bumps the store's generation: the facet index and the
    # cached result cards of every process follow on their next request.

Verification cannot call the store (it is to the left), so the store follows listings through the hooks
verification's services call (`verification.hooks`; registered in StoreConfig.ready(), no model signals:
STYLE, "no signals for domain flow"). `store_follow_listing` and `store_follow_product` refresh the entry in
the caller's transaction (in a savepoint, so that a store problem never breaks a verification step), and
`store_entries_sync()` repairs anything missed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import audit_record
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import Organisation, ServiceArea, User
from marketplace.notifications import lazy_message
from marketplace.permissions import ensure_allowed
from marketplace.services.notifications import notify, org_admins
from marketplace.terms import ensure_terms_accepted
from marketplace.workflow import transition
from verification.models import Listing, Product

from .. import search
from ..index import new_generation
from ..page import FORMAT as PAGE_FORMAT
from ..page import areas_of, listing_of, page_documents, page_products
from ..models import Adoption, Shortlist, ShortlistItem, StoreEntry, StoreFacet
from ..notifications import ADOPTION_ANSWERED, ADOPTION_ENDED, ADOPTION_REQUESTED, ADOPTION_STARTED
from ..selectors.catalogue import CATEGORY, SERVICE_AREA, VENDOR, schema_facet_values

logger = logging.getLogger(__name__)

SHORTLIST_MAX_PRODUCTS = 200
MESSAGE_MAX = 4000
Status = Adoption.Status


# The store's generation: cached figures (front page, whole-store counts) are keyed by it ------------------


def bump_store_generation() -> None:
    """Invalidate the store's facet index and cached figures, now and again when the transaction commits
    (a process that rebuilt in between, from data not yet committed, rebuilds once more)."""
    new_generation()
    transaction.on_commit(new_generation)


# Store entries: the read model of listed products ------------------------------------------------------


ENTRY_FIELDS = ["listing", "indexed_version", "search_a", "search_b", "search_c", "search_d", "page"]


def _chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def store_entries_rebuild(*, product_ids: Iterable[int] | None = None, batch_size: int = 500) -> int:
    """Build or rebuild the entries of these products (default: every listed product): search document,
    facets and vector. Batched: a few queries per `batch_size` products. Returns the number of entries."""
    if product_ids is None:
        ids = sorted(Listing.objects.values_list("product_id", flat=True))
    else:
        ids = sorted(set(product_ids))
    if not ids:
        return 0
    # Norwegian names: the search document is Norwegian whatever the language of the request.
    area_names = {slug: name for slug, name in ServiceArea.objects.values_list("slug", "name")}
    done = 0
    for batch in _chunks(ids, batch_size):
        products = list(page_products(batch))
        pages = page_documents(products)
        existing = {
            e.product_id: e
            for e in StoreEntry.objects.filter(product_id__in=batch).defer(
                "search_vector", "search_rank_vector"
            )
        }
        new, changed, facets = [], [], {}
        for product in products:
            listing = listing_of(product)
            areas = areas_of(product)
            document = search.document_for(
                product=product,
                content=listing.version.content if listing else None,
                vendor_name=product.vendor.name,
                area_names=area_names,
                product_area_names=[a.name for a in areas],
            )
            entry = existing.get(product.pk) or StoreEntry(product=product)
            entry.listing = listing
            entry.indexed_version = listing.version if listing else None
            for key, value in document.items():
                setattr(entry, key, value)
            entry.page = pages[product.pk]
            (changed if entry.pk else new).append(entry)
            pairs = {(CATEGORY.kind, a.category.slug) for a in areas} | {
                (SERVICE_AREA.kind, a.slug) for a in areas
            }
            pairs.add((VENDOR.kind, str(product.vendor_id)))
            if listing is not None:
                pairs.update(schema_facet_values(listing.version.content))
            facets[product.pk] = pairs
        StoreEntry.objects.bulk_create(new)
        if changed:
            StoreEntry.objects.bulk_update(changed, ENTRY_FIELDS)
        entries = {e.product_id: e for e in [*new, *changed]}
        if any(e.pk is None for e in entries.values()):  # backends that return no ids from bulk_create
            entries = {
                e.product_id: e
                for e in StoreEntry.objects.filter(product_id__in=batch).only("pk", "product_id")
            }
        entry_ids = [e.pk for e in entries.values()]
        StoreFacet.objects.filter(entry_id__in=entry_ids).delete()
        StoreFacet.objects.bulk_create(
            StoreFacet(entry_id=entries[pid].pk, kind=kind, value=value[:120])
            for pid, pairs in facets.items()
            for kind, value in sorted(pairs)
        )
        search.refresh_vectors(StoreEntry.objects.filter(pk__in=entry_ids))
        done += len(entry_ids)
    bump_store_generation()
    return done


def store_entry_refresh(*, product_id: int) -> StoreEntry | None:
    """Rebuild one product's entry from its listing (idempotent)."""
    store_entries_rebuild(product_ids=[product_id])
    return (
        StoreEntry.objects.filter(product_id=product_id).defer("search_vector", "search_rank_vector").first()
    )


def store_entries_sync() -> int:
    """Repair the read model: build entries for listings that have none or whose listed version changed,
    and recount usage. Safe to run at any time (Celery beat, after demo data, after a bulk import)."""
    stale = Listing.objects.filter(
        Q(store_entry__isnull=True)
        | ~Q(store_entry__indexed_version=F("version"))
        # A page document missing or in an older format (a missing key compares as NULL: asked apart).
        | Q(store_entry__page__format__isnull=True)
        | ~Q(store_entry__page__format=PAGE_FORMAT)
    ).values_list("product_id", flat=True)
    rebuilt = store_entries_rebuild(product_ids=list(stale))
    _recount_usage(product_ids=None)
    return rebuilt


def _entry_for_update(product_id: int) -> StoreEntry:
    entry = (
        StoreEntry.objects.select_for_update()
        .filter(product_id=product_id)
        .defer("search_vector", "search_rank_vector")
        .first()
    )
    if entry is not None:
        return entry
    if not Product.objects.filter(pk=product_id).exists():
        raise NotFound(_("Product not found."))
    store_entries_rebuild(product_ids=[product_id])
    return (
        StoreEntry.objects.select_for_update()
        .defer("search_vector", "search_rank_vector")
        .get(product_id=product_id)
    )


@transaction.atomic
def store_entry_set_experience_count(*, product_id: int, count: int) -> StoreEntry:
    """Erfaringsarena: how many published experiences are about the product (EXP-1)."""
    if count < 0:
        raise ValidationError({"count": _("The number of experiences cannot be negative.")})
    entry = _entry_for_update(product_id)
    entry.experience_count = count
    entry.save(update_fields=["experience_count", "updated_at"])
    return entry


@transaction.atomic
def store_entry_set_rating(*, product_id: int, average: Decimal | float | None, count: int) -> StoreEntry:
    """Erfaringsarena's ratings of a product (EXP-2): the average (1–5) and how many; the average is None
    when the count is 0."""
    try:
        count = int(count)
        value = None if average is None else Decimal(str(average)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationError({"average": _("The rating must be a number from 1 to 5.")}) from exc
    if count < 0:
        raise ValidationError({"count": _("The number of ratings cannot be negative.")})
    if count == 0:
        value = None
    elif value is None or not Decimal(1) <= value <= Decimal(5):
        raise ValidationError({"average": _("The rating must be a number from 1 to 5.")})
    entry = _entry_for_update(product_id)
    entry.rating_average, entry.rating_count = value, count
    entry.save(update_fields=["rating_average", "rating_count", "updated_at"])
    bump_store_generation()
    return entry


@transaction.atomic
def store_entry_set_procured(
    *, product_id: int, agreement_until: date | None, label: str = "", url: str = ""
) -> StoreEntry:
    """Felleskjøp: the product is felleskjøpt under an agreement until `agreement_until` (PRO-6); None: no
    agreement covers it any longer. With several agreements, pass the one that lasts longest."""
    if agreement_until is None:
        return store_entry_clear_procured(product_id=product_id)
    if not isinstance(agreement_until, date):
        raise ValidationError({"agreement_until": _("Give the date the agreement ends.")})
    entry = _entry_for_update(product_id)
    entry.procured_until = agreement_until
    entry.procurement_label = (label or "")[:200]
    entry.procurement_url = url if (url or "").startswith("/") else ""
    entry.save(update_fields=["procured_until", "procurement_label", "procurement_url", "updated_at"])
    bump_store_generation()
    return entry


@transaction.atomic
def store_entry_clear_procured(*, product_id: int) -> StoreEntry:
    """Felleskjøp: no agreement covers the product any longer."""
    entry = _entry_for_update(product_id)
    entry.procured_until, entry.procurement_label, entry.procurement_url = None, "", ""
    entry.save(update_fields=["procured_until", "procurement_label", "procurement_url", "updated_at"])
    bump_store_generation()
    return entry


def _recount_usage(*, product_ids: Iterable[int] | None) -> None:
    """usage_count = organisations with an active adoption ("Brukes av N kommuner")."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    active = (
        Adoption.objects.filter(product_id=OuterRef("product_id"), status=Status.ACTIVE)
        .order_by()
        .values("product_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entries = StoreEntry.objects.all()
    if product_ids is not None:
        entries = entries.filter(product_id__in=list(product_ids))
    entries.update(usage_count=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)))
    bump_store_generation()


# Following verification: listings and products change on the left, the store follows --------------------

LISTING_FIELDS = {"version", "status", "product", "product_id", "version_id"}
# What the search document, the facets and the page document (store.page) are built from.
PRODUCT_FIELDS = {
    "name", "short_description", "description", "vendor", "vendor_id", "logo", "logo_id", "service_areas",
    "price_model", "website", "needs",
}


def _refresh_quietly(product_id: int) -> None:
    """Refresh an entry inside the caller's transaction without ever breaking it."""
    try:
        with transaction.atomic():
            store_entries_rebuild(product_ids=[product_id])
    except Exception:  # noqa: BLE001  (the sync task repairs it; the verification step must go on)
        logger.exception("Butikken: could not refresh the store entry of product %s", product_id)


def store_follow_listing(*, product_id: int, fields: frozenset[str] | None) -> None:
    """Verification changed a listing (`fields`, None: created): rebuild its entry, or only bump the generation
    when nothing indexed changed (e.g. last_verified_at: shown, not indexed)."""
    if fields is not None and not (fields & LISTING_FIELDS):
        bump_store_generation()
        return
    _refresh_quietly(product_id)


def store_follow_product(*, product_id: int, fields: frozenset[str] | None) -> None:
    """Verification changed a product (`fields`, "service_areas" for its areas; None: created): rebuild its
    entry, if it has one, when something indexed changed."""
    if fields is not None and not (fields & PRODUCT_FIELDS):
        return
    if StoreEntry.objects.filter(product_id=product_id).exists():
        _refresh_quietly(product_id)


# Shortlists -------------------------------------------------------------------------------------------


def _ensure_member(actor: User, organisation: Organisation | None) -> Organisation:
    if organisation is None or getattr(actor, "acting_organisation", None) != organisation:
        raise PermissionRefused(_("You can only keep shortlists for the organisation you act for."))
    ensure_allowed(actor, "store.add_shortlist")
    return organisation


def _listed_products(product_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in product_ids))
    found = set(
        Product.objects.filter(pk__in=ids, listing__status__in=Listing.ACTIVE_STATES).values_list(
            "pk", flat=True
        )
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(_("One of the chosen products is not in the store."))
    return ids


def _clean_query_string(search_query: str) -> str:
    """The saved search in canonical form: only known filters, as the search page writes them."""
    from django.http import QueryDict

    from ..selectors.catalogue import parse_store_query

    search_query = (search_query or "").lstrip("?").strip()
    if not search_query:
        return ""
    return parse_store_query(QueryDict(search_query[:2000])).querystring()[:1000]


@transaction.atomic
def shortlist_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    description: str = "",
    search_query: str = "",
    product_ids: Iterable[int] = (),
) -> Shortlist:
    """Save a search and/or a set of products as a named shortlist of the organisation."""
    _ensure_member(actor, organisation)
    ensure_terms_accepted(organisation)
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ValidationError({"name": _("Give the shortlist a name.")})
    query = _clean_query_string(search_query)
    ids = _listed_products(product_ids)
    if not query and not ids:
        raise ValidationError({"name": _("A shortlist needs a saved search or at least one product.")})
    if len(ids) > SHORTLIST_MAX_PRODUCTS:
        raise ValidationError(
            {"name": _("A shortlist can hold at most %(max)s products.") % {"max": SHORTLIST_MAX_PRODUCTS}}
        )
    if Shortlist.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            {
                "name": _("%(organisation)s has a shortlist called “%(name)s” already.")
                % {"organisation": organisation, "name": name}
            }
        )
    try:
        with transaction.atomic():
            shortlist = Shortlist.objects.create(
                organisation=organisation,
                name=name,
                description=(description or "")[:MESSAGE_MAX],
                search_query=query,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {
                "name": _("%(organisation)s has a shortlist called “%(name)s” already.")
                % {"organisation": organisation, "name": name}
            }
        ) from exc
    ShortlistItem.objects.bulk_create(
        ShortlistItem(shortlist=shortlist, product_id=i, added_by=actor) for i in ids
    )
    audit_record(
        actor=actor,
        verb="shortlist.created",
        target=shortlist,
        organisation=organisation,
        data={"products": ids, "search": query},
    )
    return shortlist


def _lock_shortlist(actor: User, shortlist_id: int) -> Shortlist:
    shortlist = (
        Shortlist.objects.select_for_update().select_related("organisation").filter(pk=shortlist_id).first()
    )
    if shortlist is None or not actor.has_perm("store.change_shortlist", shortlist):
        raise NotFound(_("Shortlist not found."))
    return shortlist


@transaction.atomic
def shortlist_add_product(*, actor: User, shortlist_id: int, product_id: int) -> Shortlist:
    """Put a listed product on one of the organisation's shortlists (no change if it is there already)."""
    shortlist = _lock_shortlist(actor, shortlist_id)
    ensure_terms_accepted(shortlist.organisation)
    _listed_products([product_id])
    if ShortlistItem.objects.filter(shortlist=shortlist, product_id=product_id).exists():
        return shortlist
    if ShortlistItem.objects.filter(shortlist=shortlist).count() >= SHORTLIST_MAX_PRODUCTS:
        raise Conflict(_("A shortlist can hold at most %(max)s products.") % {"max": SHORTLIST_MAX_PRODUCTS})
    ShortlistItem.objects.create(shortlist=shortlist, product_id=product_id, added_by=actor)
    shortlist.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        verb="shortlist.product_added",
        target=shortlist,
        organisation=shortlist.organisation,
        data={"product": product_id},
    )
    return shortlist


@transaction.atomic
def shortlist_remove_product(*, actor: User, shortlist_id: int, product_id: int) -> Shortlist:
    """Take a product off a shortlist (also one that is no longer listed)."""
    shortlist = _lock_shortlist(actor, shortlist_id)
    deleted, _rows = ShortlistItem.objects.filter(shortlist=shortlist, product_id=product_id).delete()
    if not deleted:
        raise NotFound(_("That product is not on the shortlist."))
    shortlist.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        verb="shortlist.product_removed",
        target=shortlist,
        organisation=shortlist.organisation,
        data={"product": product_id},
    )
    return shortlist


@transaction.atomic
def shortlist_delete(*, actor: User, shortlist_id: int) -> None:
    """Delete one of the organisation's shortlists."""
    shortlist = _lock_shortlist(actor, shortlist_id)
    audit_record(
        actor=actor,
        verb="shortlist.deleted",
        target=shortlist,
        organisation=shortlist.organisation,
        data={"name": shortlist.name},
    )
    shortlist.delete()


# Adoption: Ta i bruk (STO-5) ------------------------------------------------------------------------------


def _date(value: date) -> str:
    from django.utils import formats

    return formats.date_format(value, "DATE_FORMAT")


def _ensure_may_adopt(actor: User, organisation: Organisation | None) -> Organisation:
    if organisation is None or getattr(actor, "acting_organisation", None) != organisation:
        raise PermissionRefused(_("You can only take products into use for the organisation you act for."))
    if not organisation.is_municipal:
        raise PermissionRefused(
            _("Only municipalities and counties take products into use; %(organisation)s is not one.")
            % {"organisation": organisation}
        )
    ensure_allowed(
        actor,
        "store.request_adoption",
        message=_("Only an organisation admin of %(organisation)s can take products into use.")
        % {"organisation": organisation},
    )
    return organisation


def _listing_for_adoption(product_id: int) -> Listing:
    listing = (
        Listing.objects.select_related("product__vendor", "version").filter(product_id=product_id).first()
    )
    if listing is None:
        raise NotFound(_("This product is not in the store."))
    if not listing.is_active:
        raise Conflict(
            _("%(product)s has been withdrawn from the store and cannot be taken into use.")
            % {"product": listing.product.name},
            code="not_listed",
        )
    return listing


def _ensure_no_open_adoption(product: Product, organisation: Organisation) -> None:
    current = Adoption.objects.filter(
        product=product, organisation=organisation, status__in=Adoption.OPEN_STATES
    ).first()
    if current is None:
        return
    if current.status == Status.ACTIVE:
        message = _("%(organisation)s already uses %(product)s.")
    elif current.status == Status.ACCEPTED:
        message = _("%(organisation)s has an accepted adoption of %(product)s that has not started yet.")
    else:
        message = _(
            "%(organisation)s has asked to take %(product)s into use already; "
            "the vendor has not answered yet."
        )
    raise Conflict(message % {"organisation": organisation, "product": product.name}, code="already_adopted")


def _clean_start(value: date | None, *, field: str, today: date) -> date | None:
    if value is not None and value < today:
        raise ValidationError({field: _("The start date cannot be in the past.")})
    return value


def _create_adoption(**fields: Any) -> Adoption:
    try:
        with transaction.atomic():
            return Adoption.objects.create(**fields)
    except IntegrityError as exc:
        raise Conflict(
            _("%(organisation)s already has an open adoption of this product.")
            % {"organisation": fields["organisation"]},
            code="already_adopted",
        ) from exc


def _adoption_url(adoption: Adoption) -> str:
    return adoption.get_absolute_url()


@transaction.atomic
def adoption_request(
    *,
    actor: User,
    organisation: Organisation,
    product_id: int,
    wanted_start: date | None = None,
    message: str = "",
) -> Adoption:
    """Ask the vendor to take a listed product into use (STO-5): an organisation admin of a municipality or
    county."""
    _ensure_may_adopt(actor, organisation)
    ensure_terms_accepted(organisation)
    today = timezone.localdate()
    listing = _listing_for_adoption(product_id)
    product = listing.product
    _clean_start(wanted_start, field="wanted_start", today=today)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one request at a time
    _ensure_no_open_adoption(product, organisation)
    adoption = _create_adoption(
        product=product,
        organisation=organisation,
        version=listing.version,
        status=Status.REQUESTED,
        source=Adoption.Source.REQUEST,
        message=(message or "").strip()[:MESSAGE_MAX],
        wanted_start=wanted_start,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb="adoption.requested",
        target=adoption,
        organisation=organisation,
        to_state=adoption.status,
        reason=adoption.message,
        data={
            "product": product.pk,
            "version": listing.version.number,
            "wanted_start": wanted_start.isoformat() if wanted_start else None,
        },
    )
    notify(
        recipients=org_admins(product.vendor),
        kind=ADOPTION_REQUESTED.code,
        organisation=product.vendor,
        title=lazy_message(
            _("%(organisation)s asks to take %(product)s into use"),
            organisation=organisation.name,
            product=product.name,
        ),
        body=adoption.message,
        url=_adoption_url(adoption),
        exclude=actor,
    )
    return adoption


def _lock_adoption(actor: User | None, adoption_id: int) -> Adoption:
    """The adoption, locked; NotFound when the actor may not see it (another vendor's, another
    municipality's)."""
    adoption = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("product__vendor", "organisation")
        .filter(pk=adoption_id)
        .first()
    )
    if adoption is None or (actor is not None and not actor.has_perm("store.view_adoption", adoption)):
        raise NotFound(_("Adoption not found."))
    return adoption


def _ensure_step(adoption: Adoption, to: str) -> None:
    if not Adoption.workflow.allows(adoption.status, to):
        raise IllegalTransition(
            _("This step is not possible now: “%(source)s” cannot change to “%(target)s”.")
            % {"source": adoption.get_status_display(), "target": Status(to).label}
        )


def _customer_recipients(adoption: Adoption) -> list[User]:
    people = org_admins(adoption.organisation)
    if adoption.requested_by_id and all(p.pk != adoption.requested_by_id for p in people):
        people.append(adoption.requested_by)
    return people


@transaction.atomic
def adoption_accept(*, actor: User, adoption_id: int, start_date: date, message: str = "") -> Adoption:
    """The vendor accepts a request with a start date; from that date the product is in use (STO-5)."""
    adoption = _lock_adoption(actor, adoption_id)
    ensure_allowed(
        actor,
        "store.answer_adoption",
        adoption,
        message=_("Only an organisation admin of %(vendor)s can answer this request.")
        % {"vendor": adoption.product.vendor},
    )
    _ensure_step(adoption, Status.ACCEPTED)
    ensure_terms_accepted(adoption.product.vendor)
    today = timezone.localdate()
    if start_date is None:
        raise ValidationError({"start_date": _("Give the date the product is in use from.")})
    _clean_start(start_date, field="start_date", today=today)
    listing = Listing.objects.filter(product_id=adoption.product_id).first()
    if listing is None or not listing.is_active:
        raise Conflict(
            _("%(product)s is no longer listed in the store; the request cannot be accepted.")
            % {"product": adoption.product.name},
            code="not_listed",
        )
    adoption.start_date = start_date
    adoption.decided_by, adoption.decided_at = actor, timezone.now()
    adoption.decision_reason = (message or "").strip()[:MESSAGE_MAX]
    transition(
        adoption,
        to=Status.ACCEPTED,
        actor=actor,
        organisation=adoption.product.vendor,
        reason=adoption.decision_reason,
        update_fields=["start_date", "decided_by", "decided_at", "decision_reason"],
        data={"start_date": start_date.isoformat()},
    )
    notify(
        recipients=_customer_recipients(adoption),
        kind=ADOPTION_ANSWERED.code,
        organisation=adoption.organisation,
        title=lazy_message(
            _("%(vendor)s accepted: %(product)s from %(date)s"),
            vendor=adoption.product.vendor.name,
            product=adoption.product.name,
            date=_date(start_date),
        ),
        body=adoption.decision_reason,
        url=_adoption_url(adoption),
        exclude=actor,
    )
    if start_date <= today:
        _activate(adoption, actor=actor)
    return adoption


def _activate(adoption: Adoption, *, actor: User | None) -> None:
    transition(
        adoption,
        to=Status.ACTIVE,
        actor=actor,
        organisation=adoption.organisation if actor is None else None,
        data={"start_date": adoption.start_date.isoformat() if adoption.start_date else None},
    )
    _recount_usage(product_ids=[adoption.product_id])
    notify(
        recipients=[*org_admins(adoption.organisation), *org_admins(adoption.product.vendor)],
        kind=ADOPTION_STARTED.code,
        organisation=adoption.organisation,
        title=lazy_message(
            _("%(organisation)s now uses %(product)s"),
            organisation=adoption.organisation.name,
            product=adoption.product.name,
        ),
        url=_adoption_url(adoption),
        exclude=actor,
    )


@transaction.atomic
def adoption_decline(*, actor: User, adoption_id: int, reason: str) -> Adoption:
    """The vendor declines a request, with a reason the municipality sees."""
    adoption = _lock_adoption(actor, adoption_id)
    ensure_allowed(
        actor,
        "store.answer_adoption",
        adoption,
        message=_("Only an organisation admin of %(vendor)s can answer this request.")
        % {"vendor": adoption.product.vendor},
    )
    _ensure_step(adoption, Status.DECLINED)
    reason = (reason or "").strip()[:MESSAGE_MAX]
    if not reason:
        raise ValidationError({"reason": _("Say why, so that the municipality knows what to do next.")})
    adoption.decided_by, adoption.decided_at, adoption.decision_reason = actor, timezone.now(), reason
    transition(
        adoption,
        to=Status.DECLINED,
        actor=actor,
        organisation=adoption.product.vendor,
        reason=reason,
        update_fields=["decided_by", "decided_at", "decision_reason"],
    )
    notify(
        recipients=_customer_recipients(adoption),
        kind=ADOPTION_ANSWERED.code,
        organisation=adoption.organisation,
        title=lazy_message(
            _("%(vendor)s declined the request for %(product)s"),
            vendor=adoption.product.vendor.name,
            product=adoption.product.name,
        ),
        body=reason,
        url=_adoption_url(adoption),
        exclude=actor,
    )
    return adoption


@transaction.atomic
def adoption_withdraw(*, actor: User, adoption_id: int, reason: str = "") -> Adoption:
    """The municipality withdraws its request before the vendor answers."""
    adoption = _lock_adoption(actor, adoption_id)
    ensure_allowed(
        actor,
        "store.withdraw_adoption",
        adoption,
        message=_("Only an organisation admin of %(organisation)s can withdraw this request.")
        % {"organisation": adoption.organisation},
    )
    _ensure_step(adoption, Status.WITHDRAWN)
    reason = (reason or "").strip()[:MESSAGE_MAX]
    transition(adoption, to=Status.WITHDRAWN, actor=actor, organisation=adoption.organisation, reason=reason)
    notify(
        recipients=org_admins(adoption.product.vendor),
        kind=ADOPTION_ENDED.code,
        organisation=adoption.product.vendor,
        title=lazy_message(
            _("%(organisation)s withdrew the request for %(product)s"),
            organisation=adoption.organisation.name,
            product=adoption.product.name,
        ),
        body=reason,
        url=_adoption_url(adoption),
        exclude=actor,
    )
    return adoption


@transaction.atomic
def adoption_end(*, actor: User, adoption_id: int, reason: str) -> Adoption:
    """End an adoption that is in use (or cancel one that has not started), by either side, with a reason."""
    adoption = _lock_adoption(actor, adoption_id)
    ensure_allowed(
        actor,
        "store.end_adoption",
        adoption,
        message=_("Only an organisation admin of %(organisation)s or of %(vendor)s can end this adoption.")
        % {"organisation": adoption.organisation, "vendor": adoption.product.vendor},
    )
    _ensure_step(adoption, Status.ENDED)
    reason = (reason or "").strip()[:MESSAGE_MAX]
    if not reason:
        raise ValidationError({"reason": _("Say why the adoption ends.")})
    was_active = adoption.status == Status.ACTIVE
    acting = actor.acting_organisation
    adoption.ended_on, adoption.ended_by, adoption.end_reason = timezone.localdate(), actor, reason
    transition(
        adoption,
        to=Status.ENDED,
        actor=actor,
        organisation=acting,
        reason=reason,
        update_fields=["ended_on", "ended_by", "end_reason"],
    )
    if was_active:
        _recount_usage(product_ids=[adoption.product_id])
    other = adoption.product.vendor if acting == adoption.organisation else adoption.organisation
    notify(
        recipients=org_admins(other),
        kind=ADOPTION_ENDED.code,
        organisation=other,
        title=lazy_message(
            _("%(organisation)s ended the adoption of %(product)s"),
            organisation=acting.name if acting else "",
            product=adoption.product.name,
        ),
        body=reason,
        url=_adoption_url(adoption),
        exclude=actor,
    )
    return adoption


@transaction.atomic
def adoption_activate(*, adoption_id: int) -> Adoption:
    """Start an accepted adoption whose start date has come (the daily task; idempotent)."""
    adoption = _lock_adoption(None, adoption_id)
    if (
        adoption.status != Status.ACCEPTED
        or adoption.start_date is None
        or adoption.start_date > timezone.localdate()
    ):
        return adoption
    _activate(adoption, actor=None)
    return adoption


def adoptions_activate_due() -> int:
    """Start every accepted adoption whose start date has come. Returns how many started."""
    due = Adoption.objects.filter(status=Status.ACCEPTED, start_date__lte=timezone.localdate()).values_list(
        "pk", flat=True
    )
    started = 0
    for adoption_id in list(due):
        if adoption_activate(adoption_id=adoption_id).status == Status.ACTIVE:
            started += 1
    return started


def _start_without_answer(
    *,
    actor: User,
    organisation: Organisation,
    listing: Listing,
    source: str,
    start_date: date,
    message: str,
    verb: str,
    agreement_label: str = "",
    agreement_url: str = "",
    agreement_until: date | None = None,
) -> Adoption:
    product = listing.product
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    _ensure_no_open_adoption(product, organisation)
    now = timezone.now()
    adoption = _create_adoption(
        product=product,
        organisation=organisation,
        version=listing.version,
        status=Status.REQUESTED,
        source=source,
        message=message,
        requested_by=actor,
        requested_at=now,
        start_date=start_date,
        agreement_label=agreement_label[:200],
        agreement_url=agreement_url if agreement_url.startswith("/") else "",
        agreement_until=agreement_until,
    )
    audit_record(
        actor=actor,
        verb=verb,
        target=adoption,
        organisation=actor.acting_organisation,
        to_state=adoption.status,
        reason=message,
        data={"product": product.pk, "version": listing.version.number, "agreement": agreement_label},
    )
    adoption.decided_by, adoption.decided_at = actor, now
    transition(
        adoption,
        to=Status.ACCEPTED,
        actor=actor,
        reason=message,
        update_fields=["decided_by", "decided_at"],
        data={"start_date": start_date.isoformat()},
    )
    if start_date <= timezone.localdate():
        _activate(adoption, actor=actor)
    return adoption


@transaction.atomic
def adoption_create_call_off(
    *,
    actor: User,
    organisation: Organisation,
    product_id: int,
    procurement_id: int | None = None,
    starts_on: date | None = None,
    agreement_until: date | None = None,
    agreement_label: str = "",
    agreement_url: str = "",
    message: str = "",
) -> Adoption:
    """Avrop (PRO-6, STO-5): a participating municipality takes a felleskjøpt product into use under an active
    joint-procurement agreement, without the vendor's answer. Felleskjøp checks participation, the agreement
    and its dates before calling this; the store checks the actor, the terms, the listing and duplicates. The
    agreement is named by `procurement_id` (its title and page) or by `agreement_label`/`agreement_url`."""
    _ensure_may_adopt(actor, organisation)
    ensure_terms_accepted(organisation)
    listing = _listing_for_adoption(product_id)
    today = timezone.localdate()
    start = _clean_start(starts_on, field="starts_on", today=today) or today
    label, url = (agreement_label or "").strip(), agreement_url or ""
    if procurement_id is not None:
        from ..models import Procurement

        procurement = Procurement.objects.filter(pk=procurement_id).first()
        if procurement is None:
            raise NotFound(_("Joint procurement not found."))
        label, url = label or procurement.title, url or procurement.get_absolute_url()
    if not label:
        raise ValidationError({"agreement_label": _("Name the agreement the call-off is made under.")})
    adoption = _start_without_answer(
        actor=actor,
        organisation=organisation,
        listing=listing,
        source=Adoption.Source.CALL_OFF,
        start_date=start,
        message=(message or "").strip()[:MESSAGE_MAX],
        verb="adoption.called_off",
        agreement_label=label,
        agreement_url=url,
        agreement_until=agreement_until,
    )
    notify(
        recipients=org_admins(listing.product.vendor),
        kind=ADOPTION_REQUESTED.code,
        organisation=listing.product.vendor,
        title=lazy_message(
            _("%(organisation)s called off %(product)s under %(agreement)s"),
            organisation=organisation.name,
            product=listing.product.name,
            agreement=label,
        ),
        url=_adoption_url(adoption),
        exclude=actor,
    )
    return adoption


@transaction.atomic
def adoption_register_existing(
    *, actor: User, organisation: Organisation, product_id: int, start_date: date, reason: str
) -> Adoption:
    """The operator records an adoption agreed outside Markedsplassen (e.g. before it existed), so that the
    store counts it and the municipality may share experiences. Platform administrators only; audited."""
    ensure_allowed(
        actor,
        "store.register_adoption",
        message=_("Only platform administrators can register adoptions agreed elsewhere."),
    )
    if not organisation.is_municipal:
        raise ValidationError({"organisation": _("Only municipalities and counties take products into use.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say where the adoption was agreed.")})
    if start_date is None or start_date > timezone.localdate():
        raise ValidationError({"start_date": _("Registered adoptions must have started already.")})
    listing = _listing_for_adoption(product_id)
    adoption = _start_without_answer(
        actor=actor,
        organisation=organisation,
        listing=listing,
        source=Adoption.Source.REGISTERED,
        start_date=start_date,
        message=reason[:MESSAGE_MAX],
        verb="adoption.registered",
    )
    return adoption
