"""Butikken reads (STO-1 … STO-6): the front page, search with filters and facets, the listing page,
comparison, fit against a need, shortlists and adoptions, each scoped to what the actor may see.

Every list costs a fixed number of queries whatever the number of listings: filters are EXISTS
subqueries on the facet table, all facet counts come from one grouped query, the figures of the result
set from one aggregate, and the page's rows bring their relations with select_related/prefetch_related.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from innovation.models import Need
from innovation.selectors.access import visibility_filter
from marketplace.acting import acting_organisation
from marketplace.compiled import CompiledQuery, as_instance, rows_together
from marketplace.dates import day_text
from marketplace.declaration import (
    FHIR_R4_RESOURCE_TYPES,
    FIELDS,
    SECTIONS,
    compare_declarations,
    declaration_fit,
    display_value,
    value_of,
)
from marketplace.errors import NotFound
from marketplace.i18n import per_language
from marketplace.models import Category, Document, Organisation, ServiceArea
from verification.models import Listing, Product
from verification.selectors.qualification import latest_qualification, qualification_from_json

from .. import page as page_document
from .. import search
from ..index import StoreIndex, generation_facts, store_generation, store_index
from ..models import Adoption, Shortlist, ShortlistItem, StoreEntry

COMPARE_MIN, COMPARE_MAX = 2, 4
FIT_MAX = 4
PAGE_SIZE = 20
FRONT_PAGE_PRODUCTS_PER_AREA = 3

# Facets ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetDef:
    """One filter of the search: its URL/API parameter, the facet kind it reads, and how values combine.

    `match="all"`: every chosen value must be present (capabilities: national solutions, FHIR resources,
    terminologies). `match="any"`: one of them (category, service area, data location, vendor).
    """

    param: str
    kind: str
    label: str | Promise
    match: str = "any"
    choices: tuple = ()
    path: str = ""


CATEGORY = FacetDef("category", "category", gettext_lazy("Category"))
SERVICE_AREA = FacetDef("service_area", "service_area", gettext_lazy("Service area"))
VENDOR = FacetDef("vendor", "vendor", gettext_lazy("Vendor"))


def _schema_facets() -> tuple[FacetDef, ...]:
    """Filters generated from the declaration schema: every field with a closed vocabulary."""
    facets = []
    for path, spec in FIELDS.items():
        if spec.kind == "fhir":
            choices = tuple((t, t) for t in sorted(FHIR_R4_RESOURCE_TYPES))
        elif spec.kind in ("multichoice", "choice"):
            choices = tuple(spec.choices)
        else:
            continue
        facets.append(
            FacetDef(spec.key, path, spec.label, "any" if spec.kind == "choice" else "all", choices, path)
        )
    return tuple(facets)


SCHEMA_FACETS = _schema_facets()
FACETS: tuple[FacetDef, ...] = (CATEGORY, SERVICE_AREA, *SCHEMA_FACETS, VENDOR)
FACETS_BY_PARAM = {f.param: f for f in FACETS}
RATING_CHOICES = (4, 3, 2, 1)


def schema_facet_values(content: dict | None) -> list[tuple[str, str]]:
    """(kind, value) pairs of a declaration for the schema facets; values outside the vocabularies are
    left out."""
    pairs: list[tuple[str, str]] = []
    for facet in SCHEMA_FACETS:
        spec = FIELDS[facet.path]
        value = value_of(content, facet.path)
        allowed = {code for code, _label in facet.choices}
        if spec.kind == "fhir" and isinstance(value, dict):
            values = list(value)
        elif spec.kind == "multichoice" and isinstance(value, list):
            values = value
        elif spec.kind == "choice" and isinstance(value, str):
            values = [value]
        else:
            values = []
        pairs.extend((facet.kind, str(v)) for v in dict.fromkeys(values) if v in allowed)
    return pairs


# Taxonomy ----------------------------------------------------------------------------------------------


@dataclass
class Taxonomy:
    categories: list[Category]
    areas: list[ServiceArea]

    @property
    def area_by_slug(self) -> dict[str, ServiceArea]:
        return {a.slug: a for a in self.areas}

    @property
    def category_by_slug(self) -> dict[str, Category]:
        return {c.slug: c for c in self.categories}

    @property
    def area_names(self) -> dict[str, str]:
        return {a.slug: a.display_name for a in self.areas}


def _service_areas() -> list[ServiceArea]:
    """Every service area (retired ones too) with its category, in display order: one query per store
    generation and process, shared by the taxonomy and the pages that name areas (read-only)."""
    return generation_facts.get(
        ("areas",),
        lambda: list(
            ServiceArea.objects.select_related("category").order_by(
                "category__order", "category__name", "order", "name"
            )
        ),
    )


def taxonomy() -> Taxonomy:
    """Active service areas with their categories, in display order (read-only; no query of its own)."""

    def active() -> Taxonomy:
        areas = [area for area in _service_areas() if area.is_active]
        categories: dict[int, Category] = {}
        for area in areas:
            categories.setdefault(area.category_id, area.category)
        return Taxonomy(categories=list(categories.values()), areas=areas)

    return generation_facts.get(("taxonomy",), active)


# The query: filters, sort and text, parsed from GET parameters -------------------------------------


SORTS = {
    "relevance": gettext_lazy("Relevance"),
    "name": gettext_lazy("Name"),
    "newest": gettext_lazy("Newest"),
    "most_used": gettext_lazy("Most used"),
}
TRUE_VALUES = {"1", "true", "on", "yes", "ja"}


@dataclass
class StoreQuery:
    """What a search asks for. Unknown values are dropped and listed in `ignored`, never an error."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # param -> values (validated)
    procured: bool = False
    min_rating: int | None = None
    sort: str = ""
    ignored: list[tuple[str, str]] = field(default_factory=list)

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if search.query_words(self.text) else "name"

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or any(self.filters.values()) or self.procured or self.min_rating)

    def values(self, param: str) -> list[str]:
        return self.filters.get(param, [])

    def pairs(
        self,
        *,
        without: tuple[str, str] | None = None,
        with_: tuple[str, str] | None = None,
        sort: bool = True,
    ) -> list[tuple[str, str]]:
        """The query as (param, value) pairs in a stable order, optionally with one value removed or added."""
        items: list[tuple[str, str]] = []
        if self.text and without != ("q", self.text):
            items.append(("q", self.text))
        for facet in FACETS:
            values = list(self.filters.get(facet.param, []))
            if with_ and with_[0] == facet.param and with_[1] not in values:
                values.append(with_[1])
            items.extend((facet.param, v) for v in values if (facet.param, v) != without)
        if self.procured and without != ("procured", "1"):
            items.append(("procured", "1"))
        if self.min_rating and without != ("min_rating", str(self.min_rating)):
            items.append(("min_rating", str(self.min_rating)))
        if sort and self.sort:
            items.append(("sort", self.sort))
        return items

    def querystring(self, **kwargs) -> str:
        return urlencode(self.pairs(**kwargs))

    def url_without(self, base_url: str, param: str, value: str) -> str:
        """The search URL with one value (text, filter, felleskjøpt, rating) removed."""
        qs = self.querystring(without=(param, value))
        return f"{base_url}?{qs}" if qs else base_url


def _as_list(params: Any, key: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(key)
    else:
        value = params.get(key, [])
        raw = value if isinstance(value, (list, tuple)) else [value]
    values: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = search.CONTROL.sub("", part).strip()
            if part:
                values.append(part[:120])
    return list(dict.fromkeys(values))


def parse_store_query(params: Any, *, tax: Taxonomy | None = None) -> StoreQuery:
    """A StoreQuery from request.GET (or a dict). Costs at most two queries (taxonomy, vendors)."""
    tax = tax or taxonomy()
    query = StoreQuery(text=search.clean_query(params.get("q", "") if hasattr(params, "get") else ""))
    known: dict[str, set[str]] = {
        CATEGORY.param: {c.slug for c in tax.categories},
        SERVICE_AREA.param: {a.slug for a in tax.areas},
        **{f.param: {code for code, _label in f.choices} for f in SCHEMA_FACETS},
    }
    for facet in FACETS:
        values = _as_list(params, facet.param)
        if not values:
            continue
        if facet is VENDOR:
            numbers = [int(v) for v in values if re.fullmatch(r"[0-9]{1,12}", v)]
            found = (
                set(
                    Organisation.objects.filter(pk__in=numbers, kind=Organisation.Kind.VENDOR).values_list(
                        "pk", flat=True
                    )
                )
                if numbers
                else set()
            )
            accepted = [v for v in values if re.fullmatch(r"[0-9]{1,12}", v) and int(v) in found]
        else:
            accepted = [v for v in values if v in known[facet.param]]
        query.ignored.extend((facet.param, v) for v in values if v not in accepted)
        if accepted:
            query.filters[facet.param] = accepted
    for value in _as_list(params, "procured"):
        if value.lower() in TRUE_VALUES:
            query.procured = True
        elif value.lower() not in {"0", "false", "off", "no", "nei"}:
            query.ignored.append(("procured", value))
    for value in _as_list(params, "min_rating")[:1]:
        if value in {str(r) for r in RATING_CHOICES}:
            query.min_rating = int(value)
        else:
            query.ignored.append(("min_rating", value))
    for value in _as_list(params, "sort")[:1]:
        if value in SORTS:
            query.sort = value
        else:
            query.ignored.append(("sort", value))
    return query


def ignored_message(query: StoreQuery) -> str:
    """The visible message about filter values that were left out."""
    if not query.ignored:
        return ""
    listed = ", ".join(f"{param}={value}" for param, value in query.ignored[:5])
    return _("Some filter values are not known and were ignored: %(values)s.") % {"values": listed}


# Searching (on the facet index, see store/index.py) --------------------------------------------------


def active_entries() -> QuerySet[StoreEntry]:
    """Entries of listings the store shows (listed, or listed and under remediation)."""
    return StoreEntry.objects.filter(listing__status__in=Listing.ACTIVE_STATES)


def _card_related(qs: QuerySet[StoreEntry]) -> QuerySet[StoreEntry]:
    return (
        qs.select_related("listing", "product__vendor", "product__logo")
        .defer(
            "search_a",
            "search_b",
            "search_c",
            "search_d",
            "search_vector",
            "search_rank_vector",
            "product__description",
        )
        .prefetch_related(
            Prefetch(
                "product__service_areas",
                queryset=ServiceArea.objects.order_by("category__order", "order", "name"),
            )
        )
    )


def _result_related(qs: QuerySet[StoreEntry]) -> QuerySet[StoreEntry]:
    """What a result card and the API's list show, and no more (search results are the hottest query)."""
    return (
        qs.select_related("listing", "product__vendor")
        .only(
            "pk", "product_id", "listing_id", "usage_count", "rating_average", "rating_count", "procured_until",
            "listing__status", "listing__listed_at", "listing__last_verified_at", "listing__remediation_since",
            "product__name", "product__short_description", "product__vendor_id", "product__price_model",
            "product__vendor__name", "product__vendor__slug", "product__vendor__kind",
        )
        .prefetch_related(
            Prefetch(
                "product__service_areas",
                queryset=ServiceArea.objects.only("pk", "slug", "name", "name_en", "category_id", "order")
                .order_by("category__order", "order", "name"),
            )
        )
    )


def evaluate(
    query: StoreQuery, index: StoreIndex | None = None
) -> tuple[StoreIndex, int, dict[int, float] | None]:
    """The entries that match the query, as a bitmask over the index, and the text ranks when there is text.
    No query at all without text; one (the GIN-indexed match) with it."""
    index = index or store_index()
    mask = index.everything
    for facet in FACETS:
        values = query.values(facet.param)
        if not values:
            continue
        if facet.match == "all":
            for value in values:
                mask &= index.value(facet.kind, value)
        else:
            either = 0
            for value in values:
                either |= index.value(facet.kind, value)
            mask &= either
    if query.procured:
        mask &= index.procured
    if query.min_rating:
        mask &= index.rating_at_least[query.min_rating]
    ranks = None
    if search.query_words(query.text):
        text = search.clean_query(query.text)
        matching, ranks = index.remember(("text", text), lambda: _text_match(index, text))
        mask &= matching
    return index, mask, ranks


def _text_match(index: StoreIndex, text: str) -> tuple[int, dict[int, float]]:
    """The entries matching a free text as a mask over the index, and the ranks of those ranked above 0."""
    match = search.text_ranks(text)
    return index.of_entries(match.ids), match.ranks


def ordered_entry_ids(query: StoreQuery) -> tuple[StoreIndex, int, Sequence[int]]:
    """The matching entries' ids in the order asked for (by relevance: all ranked; otherwise found in the
    precomputed order as far as they are read)."""
    index, mask, ranks = evaluate(query)
    if query.effective_sort == "relevance" and ranks is not None:
        return index, mask, index.ranked(mask, ranks)
    sort = query.effective_sort if query.effective_sort in index.orders else "name"
    return index, mask, index.matches(mask, sort)


class EntryResults(SequenceABC):
    """The ordered results, loaded a page at a time with what a card shows (a fixed number of queries
    per slice)."""

    def __init__(self, ids: list[int], *, with_version_number: bool = False):
        self.ids = ids
        self.with_version_number = with_version_number

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        wanted = self.ids[item]
        if not wanted:
            return []
        qs = _result_related(StoreEntry.objects.filter(pk__in=wanted))
        if self.with_version_number:
            qs = qs.annotate(version_number=F("listing__version__number"))
        found = {entry.pk: entry for entry in qs}
        return [found[i] for i in wanted if i in found]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetGroup:
    facet: FacetDef
    options: list[FacetOption]

    @property
    def param(self) -> str:
        return self.facet.param

    @property
    def label(self):
        return self.facet.label

    @property
    def selected_count(self) -> int:
        return sum(1 for o in self.options if o.selected)


def counts(index: StoreIndex, mask: int) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Facet counts in the result, and its figures (total, felleskjøpt, per minimum rating). No query."""
    facet_counts = {
        kind: {value: n for value, bits in values.items() if (n := (mask & bits).bit_count())}
        for kind, values in index.masks.items()
    }
    figures = {
        "total": mask.bit_count(),
        "procured": (mask & index.procured).bit_count(),
        **{f"rating_{r}": (mask & index.rating_at_least[r]).bit_count() for r in RATING_CHOICES},
    }
    return facet_counts, figures


def _organisation_names(ids: Iterable[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if str(i).isdigit()]
    if not numbers:
        return {}
    return {
        str(pk): name for pk, name in Organisation.objects.filter(pk__in=numbers).values_list("pk", "name")
    }


def _vendor_names(index: StoreIndex, ids: Iterable[str]) -> dict[str, str]:
    """Names of the vendors in the store, once per generation (a renamed vendor shows its new name after the
    next change to the store, or within the index's maximum age); one query for any other id."""
    names = generation_facts.get(
        ("vendors", index.token), lambda: _organisation_names(index.values(VENDOR.kind))
    )
    missing = [i for i in ids if i not in names]
    return {**names, **_organisation_names(missing)} if missing else names


def _facet_labels(tax: Taxonomy) -> dict[str, dict[str, str]]:
    """The display names of every filter value but the vendors', in the current language, once per store
    generation (the schema's FHIR resources alone are some 150 translated names)."""

    def labels() -> dict[str, dict[str, str]]:
        return {
            CATEGORY.param: {c.slug: c.display_name for c in tax.categories},
            SERVICE_AREA.param: tax.area_names,
            **{f.param: {code: str(label) for code, label in f.choices} for f in SCHEMA_FACETS},
        }

    return generation_facts.get(("facet-labels", get_language()), labels)


def facet_groups(
    query: StoreQuery,
    facet_counts: dict[str, dict[str, int]],
    tax: Taxonomy,
    base_url: str,
    index: StoreIndex,
) -> list[FacetGroup]:
    """The filters to show, with counts in the current results and a link that toggles each value."""
    vendor_values = set(facet_counts.get(VENDOR.kind, {})) | set(query.values(VENDOR.param))
    labels = {**_facet_labels(tax), VENDOR.param: _vendor_names(index, vendor_values)}
    groups = []
    for facet in FACETS:
        found = facet_counts.get(facet.kind, {})
        selected = set(query.values(facet.param))
        if facet is CATEGORY:
            order = [c.slug for c in tax.categories]
        elif facet is SERVICE_AREA:
            order = [a.slug for a in tax.areas]
        elif facet.choices and facet.param != "fhir_resources":
            order = [code for code, _label in facet.choices]
        else:  # FHIR resources and vendors: the most common first
            order = sorted(
                set(found) | selected, key=lambda v: (-found.get(v, 0), labels[facet.param].get(v, v))
            )
        options = []
        for value in order:
            if not found.get(value) and value not in selected:
                continue
            # The checkboxes of the form toggle values; a link is needed only to remove a chosen one.
            url = query.url_without(base_url, facet.param, value) if value in selected else ""
            options.append(
                FacetOption(
                    value=value,
                    label=labels[facet.param].get(value, value),
                    count=found.get(value, 0),
                    selected=value in selected,
                    url=url,
                )
            )
        if options:
            groups.append(FacetGroup(facet=facet, options=options))
    return groups


def attach_card_data(entries: Sequence[StoreEntry]) -> None:
    """The vendors' qualification (one query) for the cards' badges."""
    from verification.selectors.qualification import qualification_status_for

    status = qualification_status_for(e.product.vendor_id for e in entries)
    for entry in entries:
        entry.qualification = status.get(entry.product.vendor_id)


@dataclass
class SearchResult:
    query: StoreQuery
    page: Any
    total: int
    figures: dict[str, int]
    groups: list[FacetGroup]
    taxonomy: Taxonomy

    @property
    def chosen(self) -> list[FacetOption]:
        """The filter values in use, each with the link that removes it."""
        return [option for group in self.groups for option in group.options if option.selected]


CARD_SECONDS = 600


@dataclass
class Card:
    """A search result as the page shows it: the rendered card (cached) and what the compare box needs."""

    entry_id: int
    product_id: int
    name: str
    html: str


def per_entry(
    kind: str, entry_ids: Sequence[int], make: Callable[[list[StoreEntry]], dict[int, Any]]
) -> list:
    """What `make` makes of each entry (a rendered card, an API item), in the order of `entry_ids`, kept in the
    cache per store generation, `kind` and entry: a page of results costs one cache read, and `make` is called
    only for the entries not kept yet, loaded with what a result shows (three queries)."""
    from django.core.cache import cache

    prefix = f"store:{kind}:{store_generation()}"
    keys = {entry_id: f"{prefix}:{entry_id}" for entry_id in entry_ids}
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [i for i in entry_ids if keys[i] not in found]
    if missing:
        made = make(EntryResults(missing)[0 : len(missing)])
        fresh = {keys[entry_id]: value for entry_id, value in made.items()}
        cache.set_many(fresh, CARD_SECONDS)
        found.update(fresh)
    return [found[keys[i]] for i in entry_ids if keys[i] in found]


def cards(entry_ids: Sequence[int]) -> list[Card]:
    """The result cards of these entries, in order, rendered once per store generation, language and day (the
    vendor's qualification badge depends on the date)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    def render(entries: list[StoreEntry]) -> dict[int, tuple]:
        attach_card_data(entries)
        return {
            entry.pk: (
                entry.pk,
                entry.product_id,
                entry.product.name,
                render_to_string("store/catalogue/partials/_listing_card_body.html", {"entry": entry}),
            )
            for entry in entries
        }

    kind = f"card:{translation.get_language()}:{timezone.localdate().isoformat()}"
    return [Card(*values) for values in per_entry(kind, entry_ids, render)]


def _params_key(params: Any) -> tuple:
    if hasattr(params, "lists"):
        return tuple(sorted((key, tuple(values)) for key, values in params.lists()))
    return tuple(sorted((str(key), str(value)) for key, value in dict(params).items()))


def store_search(params: Any, *, page: Any = 1, base_url: str = "", per_page: int = PAGE_SIZE) -> SearchResult:
    """The search page: the query, one page of result cards, facet groups and figures. The same search in the
    same language costs nothing more within a generation of the store in this process; a new one costs a
    fixed number of queries: taxonomy, the text match, vendor names and three for cards not cached yet."""
    index = store_index()
    key = ("search", get_language(), _params_key(params), str(page), base_url, per_page)
    return index.remember(
        key, lambda: _store_search(params, page=page, base_url=base_url, per_page=per_page)
    )


def _store_search(params: Any, *, page: Any, base_url: str, per_page: int) -> SearchResult:
    from django.core.paginator import Paginator

    tax = taxonomy()
    query = parse_store_query(params, tax=tax)
    index, mask, ids = ordered_entry_ids(query)
    facet_counts, figures = counts(index, mask)
    page_obj = Paginator(ids, per_page).get_page(page)
    page_obj.object_list = cards(list(page_obj.object_list))
    groups = facet_groups(query, facet_counts, tax, base_url or reverse("store:search"), index)
    return SearchResult(
        query=query, page=page_obj, total=figures["total"], figures=figures, groups=groups, taxonomy=tax
    )


def search_export_rows(params: Any, *, limit: int = 5000) -> tuple[StoreQuery, list[StoreEntry]]:
    """All results of a search for CSV export (bounded), with their service areas, in pages of 500."""
    query = parse_store_query(params)
    _index, _mask, ids = ordered_entry_ids(query)
    results = EntryResults(ids[:limit], with_version_number=True)
    rows: list[StoreEntry] = []
    for start in range(0, len(results), 500):
        rows.extend(results[start : start + 500])
    return query, rows


# Front page (STO-1) ------------------------------------------------------------------------------------


def store_version() -> str:
    """What a cached fragment of a store page depends on: the store's generation (new after every change to
    an entry) and the day (felleskjøpt agreements run out by date). One cache read."""
    return f"{store_generation()}-{timezone.localdate().isoformat()}"


@dataclass
class AreaCard:
    area: ServiceArea
    count: int
    products: list[dict]


@dataclass
class CategoryTab:
    category: Category
    count: int
    selected: bool
    url: str


@dataclass
class FrontPage:
    tabs: list[CategoryTab]
    category: Category | None
    cards: list[AreaCard]
    total: int


def front_page(*, category_slug: str = "") -> FrontPage:
    """Categories with counts and a card per service area of the chosen category, with its most used products
    (STO-1). Two queries: the taxonomy, and the few products shown."""
    tax = taxonomy()
    index = store_index()
    chosen = tax.category_by_slug.get(category_slug) or (tax.categories[0] if tax.categories else None)
    home = reverse("store:home")
    tabs = [
        CategoryTab(
            category=c,
            count=index.value(CATEGORY.kind, c.slug).bit_count(),
            selected=c == chosen,
            url=f"{home}?{urlencode({'category': c.slug})}",
        )
        for c in tax.categories
    ]
    areas = [a for a in tax.areas if chosen is not None and a.category_id == chosen.pk]
    top = {
        area.slug: index.matches(index.value(SERVICE_AREA.kind, area.slug), "most_used")[
            :FRONT_PAGE_PRODUCTS_PER_AREA
        ]
        for area in areas
    }
    wanted = {entry_id for entry_ids in top.values() for entry_id in entry_ids}
    rows = (
        {
            row["pk"]: row
            for row in StoreEntry.objects.filter(pk__in=wanted).values(
                "pk", "product_id", "product__name", "product__vendor__name", "usage_count", "listing__status"
            )
        }
        if wanted
        else {}
    )
    cards = []
    for area in areas:
        products = []
        for entry_id in top[area.slug]:
            row = rows.get(entry_id)
            if row is not None:
                products.append(
                    {
                        "product_id": row["product_id"],
                        "name": row["product__name"],
                        "vendor": row["product__vendor__name"],
                        "usage_count": row["usage_count"],
                        "under_remediation": row["listing__status"] == Listing.Status.UNDER_REMEDIATION,
                    }
                )
        cards.append(
            AreaCard(
                area=area, count=index.value(SERVICE_AREA.kind, area.slug).bit_count(), products=products
            )
        )
    return FrontPage(tabs=tabs, category=chosen, cards=cards, total=index.size)


# The compare tray -----------------------------------------------------------------------------------


def parse_ids(values: Sequence[Any]) -> list[int]:
    """Ids from query parameters (repeated or comma separated), unique, in the order given."""
    ids: list[int] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if re.fullmatch(r"[0-9]{1,12}", part) and int(part) not in ids:
                ids.append(int(part))
    return ids


def tray_products(ids: Sequence[int]) -> list[Product]:
    """The listed products in the compare tray, in the order chosen. One query (none when empty)."""
    if not ids:
        return []
    products = {
        p.pk: p
        for p in Product.objects.filter(pk__in=ids, listing__status__in=Listing.ACTIVE_STATES).only(
            "pk", "name"
        )
    }
    return [products[i] for i in ids if i in products]


# The listing page (STO-2) ------------------------------------------------------------------------------


@dataclass
class ListingPage:
    entry: StoreEntry
    listing: Listing
    product: Product
    vendor: Organisation
    qualification: Any
    service_areas: list[ServiceArea]
    needs: list[Any]
    documents: list[Document]
    adopters: list[Organisation]
    own_adoption: Adoption | None
    report_url: str
    # Display names of every service area by slug, for the declaration's "service areas" field.
    area_names: dict[str, str] = field(default_factory=dict)

    @property
    def version(self):
        return self.listing.version

    @property
    def declaration(self) -> dict:
        return self.listing.version.content or {}

    @property
    def usage_count(self) -> int:
        return len(self.adopters)


def report_url_for(listing: Listing) -> str:
    """The shareable verification report of the listing's latest run (VER-7), if there is one."""
    run = listing.last_run
    if run is None:
        return ""
    try:
        return run.get_absolute_url()
    except NoReverseMatch:
        return ""


ENTRY_COLUMNS = (
    "id", "product_id", "listing_id", "usage_count", "rating_average", "rating_count", "experience_count",
    "procured_until", "procurement_label", "procurement_url",
)

# The listing page's one row: the store entry with its page document, and live what Verifikasjon may change
# without touching the product (the listing's status and dates, the latest run, the vendor and its latest
# qualification). Compiled once: compiling this join costs more than running it. The comparison reads 2–4 of
# the same rows.
def _entry_rows(entries: QuerySet[StoreEntry]) -> QuerySet:
    return entries.annotate(vendor_qualification=latest_qualification("product__vendor_id")).values(
        *ENTRY_COLUMNS,
        "page",
        *(f"listing__{name}" for name in page_document.LISTING_COLUMNS),
        "listing__last_run__uuid",
        *(f"product__vendor__{name}" for name in page_document.VENDOR_COLUMNS),
        "vendor_qualification",
    )


_LISTING_ROW = CompiledQuery(lambda product_id: _entry_rows(active_entries().filter(product_id=product_id)))
_COMPARED_ROWS = CompiledQuery(lambda product_ids: _entry_rows(active_entries().filter(product_id__in=product_ids)))


ADOPTION_COLUMNS = ("id", "product_id", "organisation_id", "status", "start_date", "ended_on", "source")
ORGANISATION_COLUMNS = ("id", "name", "slug", "kind")
# The listing page's adoptions: the active ones (its users) and the acting organisation's open one (0: none).
_ADOPTIONS = CompiledQuery(
    lambda product_id, organisation_id: Adoption.objects.filter(
        Q(status=Adoption.Status.ACTIVE)
        | Q(organisation_id=organisation_id, status__in=Adoption.OPEN_STATES),
        product_id=product_id,
    )
    .order_by("organisation__name", "pk")
    .values(*ADOPTION_COLUMNS, *(f"organisation__{name}" for name in ORGANISATION_COLUMNS))
)


def service_areas_by_slug() -> dict[str, ServiceArea]:
    """Every service area by slug, in display order (read-only; read once per store generation)."""
    return generation_facts.get(("areas-by-slug",), lambda: {area.slug: area for area in _service_areas()})


def area_display_names() -> dict[str, str]:
    """Every service area's name in the active language, by slug (read-only; once per store generation)."""

    def names() -> dict[str, str]:
        return {slug: area.display_name for slug, area in service_areas_by_slug().items()}

    return generation_facts.get(("area-names", get_language()), names)


def _entry_from_row(row: dict[str, Any], areas: dict[str, ServiceArea]) -> StoreEntry:
    """The entry of a row of `_entry_rows`, with its listing (version, latest run), product (vendor, service
    areas), the vendor's qualification and its current page document as `page`: what the listing page and the
    comparison show, no query."""
    product_id = row["product_id"]
    listing = page_document.listing_from(row)
    vendor = page_document.vendor_from(row)
    document = _current_document(row, listing.version_id)
    product = page_document.product_from(document, product_id=product_id, vendor=vendor)
    page_document.prefetched(
        product, "service_areas", [areas[slug] for slug in document["areas"] if slug in areas]
    )
    listing.product = product
    listing.version = page_document.version_from(document, product_id=product_id)
    entry = as_instance(StoreEntry, {**{name: row[name] for name in ENTRY_COLUMNS}, "page": document})
    entry.listing, entry.product = listing, product
    entry.qualification = qualification_from_json(row["vendor_qualification"])
    return entry


def _current_document(row: dict[str, Any], version_id: int) -> dict[str, Any]:
    """The entry's page document, or, when it was built from another version or format (a refresh was
    missed; `store_entries_sync` repairs it), one built now."""
    document = row["page"] or {}
    if page_document.is_current(document, version_id=version_id):
        return document
    products = list(page_document.page_products([row["product_id"]]))
    return page_document.page_documents(products)[row["product_id"]]


def listing_page(*, product_id: int, user: Any) -> ListingPage:
    """One listed product with everything its page shows; NotFound unless it is in the store. One query (the
    entry's row), the service areas once per store generation, and the needs and adoptions only when there are
    any."""
    from innovation.selectors import visible_needs

    row = _LISTING_ROW.first(product_id=product_id)
    if row is None:
        raise NotFound(_("This product is not in the store."))
    areas = service_areas_by_slug()
    entry = _entry_from_row(row, areas)
    listing, product, document = entry.listing, entry.product, entry.page
    vendor = product.vendor
    organisation = acting_organisation(user)
    adopters, own = [], None
    if entry.usage_count or organisation is not None:
        acting_id = organisation.pk if organisation else 0
        for row in _ADOPTIONS.rows(product_id=product_id, organisation_id=acting_id):
            adoption = as_instance(Adoption, {name: row[name] for name in ADOPTION_COLUMNS})
            adoption.organisation = as_instance(
                Organisation, {name: row[f"organisation__{name}"] for name in ORGANISATION_COLUMNS}
            )
            if adoption.status == Adoption.Status.ACTIVE:
                adopters.append(adoption.organisation)
            if organisation is not None and adoption.organisation_id == organisation.pk:
                own = adoption
    needs = (
        list(
            visible_needs(user).filter(pk__in=document["needs"]).select_related("owner").order_by("title")
        )
        if document["needs"]
        else []
    )
    return ListingPage(
        entry=entry,
        listing=listing,
        product=product,
        vendor=vendor,
        qualification=entry.qualification,
        service_areas=list(product.service_areas.all()),
        needs=needs,
        documents=page_document.documents_from(document),
        adopters=adopters,
        own_adoption=own,
        report_url=report_url_for(listing),
        area_names=area_display_names(),
    )


# Comparison (STO-4) ------------------------------------------------------------------------------------


def _compare_entries(
    ids: Sequence[int], *, minimum: int, maximum: int, field: str = "products"
) -> list[StoreEntry]:
    ids = _counted_ids(ids, minimum=minimum, maximum=maximum, field=field)
    return _entries_in_order(ids, _COMPARED_ROWS.rows(product_ids=ids))


def _counted_ids(ids: Sequence[int], *, minimum: int, maximum: int, field: str = "products") -> list[int]:
    """The ids without repeats; a field error unless there are `minimum` to `maximum` of them."""
    ids = list(dict.fromkeys(ids))
    if not minimum <= len(ids) <= maximum:
        if minimum == maximum:
            message = _("Choose %(max)s products; you chose %(count)s.")
        elif minimum == 1:
            message = _("Choose between 1 and %(max)s products; you chose %(count)s.")
        else:
            message = _("Choose between %(min)s and %(max)s products to compare; you chose %(count)s.")
        raise ValidationError({field: message % {"min": minimum, "max": maximum, "count": len(ids)}})
    return ids


def _entries_in_order(ids: list[int], rows: list[dict[str, Any]]) -> list[StoreEntry]:
    """The entries of `_COMPARED_ROWS` in the order of `ids`; NotFound when one is not in the store."""
    areas = service_areas_by_slug()
    entries = {row["product_id"]: _entry_from_row(row, areas) for row in rows}
    if any(i not in entries for i in ids):
        raise NotFound(_("One of the chosen products is not in the store."))
    return [entries[i] for i in ids]


def compare_products(*, product_ids: Sequence[int]) -> list[StoreEntry]:
    """2–4 listed products in the order asked; a field error for one or five, NotFound for any not listed."""
    return _compare_entries(product_ids, minimum=COMPARE_MIN, maximum=COMPARE_MAX)


def comparison(*, product_ids: Sequence[int], user: Any) -> tuple[list[StoreEntry], list[NeedChoice]]:
    """The comparison page's reads: `compare_products` and the `fit_need_choices` for the same products. For a
    visitor who acts for no organisation (most of the store's readers) both are compiled reads, asked in one
    round trip."""
    ids = _counted_ids(product_ids, minimum=COMPARE_MIN, maximum=COMPARE_MAX)
    if acting_organisation(user) is not None:
        entries = _entries_in_order(ids, _COMPARED_ROWS.rows(product_ids=ids))
        return entries, fit_need_choices(user=user, product_ids=ids)
    arguments = {"product_ids": ids}
    rows, needs = rows_together((_COMPARED_ROWS, arguments), (_PUBLIC_NEED_CHOICES, arguments))
    return _entries_in_order(ids, rows), [NeedChoice(**row) for row in needs]


FACTS_SECTION = {"key": "butikken", "title": gettext_lazy("In the store")}


@per_language
def _texts() -> dict[str, str]:
    """The comparison's fixed texts in the language: a comparison of four writes some of them four times."""
    return {
        "vendor": _("Vendor"),
        "verification": _("Verification"),
        "version": _("Declaration version"),
        "areas": _("Service areas"),
        "in_use": _("In use by"),
        "rating": _("Rating"),
        "procured": _("Felleskjøpt"),
        "price": _("Price model"),
        "procured_until": _("Felleskjøpt, agreement until %(date)s"),
        "not_procured": _("No"),
        "no_ratings": _("No ratings yet"),
        "rated": _("%(average)s of 5 (%(count)s ratings)"),
        "remediation": _("Under utbedring since %(date)s"),
        "checked": _("Verified, last checked %(date)s"),
        "verified": _("Verified"),
    }


def _yes_no_procured(entry: StoreEntry) -> str:
    if entry.is_procured:
        return _texts()["procured_until"] % {"date": _date(entry.procured_until)}
    return _texts()["not_procured"]


def _date(value: date | None) -> str:
    return day_text(value) if value else ""


def _rating(entry: StoreEntry) -> str:
    if not entry.rating_count:
        return _texts()["no_ratings"]
    return _texts()["rated"] % {"average": _format_decimal(entry.rating_average), "count": entry.rating_count}


def _format_decimal(value: Decimal | None) -> str:
    from django.utils import formats

    return formats.number_format(value, 1) if value is not None else ""


def listing_status_text(entry: StoreEntry) -> str:
    listing = entry.listing
    if listing.is_under_remediation:
        since = listing.remediation_since
        return _texts()["remediation"] % {"date": _date(timezone.localdate(since)) if since else ""}
    if listing.last_verified_at:
        return _texts()["checked"] % {"date": _date(timezone.localdate(listing.last_verified_at))}
    return _texts()["verified"]


def compare_rows(entries: Sequence[StoreEntry]) -> list[dict]:
    """The comparison table: store facts first, then the declarations field by field, differences marked."""
    area_names, texts = area_display_names(), _texts()

    def row(label, values):
        return {
            "section": FACTS_SECTION,
            "label": texts[label],
            "values": values,
            "differs": any(v != values[0] for v in values[1:]),
        }

    facts = [
        row("vendor", [e.product.vendor.name for e in entries]),
        row("verification", [listing_status_text(e) for e in entries]),
        row("version", [str(e.listing.version.number) for e in entries]),
        row(
            "areas",  # the product's, in the order of its page document (as `service_areas.all()`)
            [", ".join(area_names[slug] for slug in e.page["areas"] if slug in area_names) for e in entries],
        ),
        row("in_use", [str(e.usage_count) for e in entries]),
        row("rating", [_rating(e) for e in entries]),
        row("procured", [_yes_no_procured(e) for e in entries]),
        row("price", [e.product.price_model for e in entries]),
    ]
    return facts + compare_declarations([e.listing.version.content for e in entries], area_names=area_names)


# Fit against a need (STO-4) ---------------------------------------------------------------------------

FIT_POINTS = {"met": 1.0, "partly": 0.5, "not_met": 0.0}
FIT_LABELS = {
    "met": gettext_lazy("Meets"),
    "partly": gettext_lazy("Partly"),
    "not_met": gettext_lazy("Does not meet"),
    "not_asked": gettext_lazy("Not asked for"),
}
PRICE = "price"
# Word stems in a criterion's name and description, and the declaration fields that show how a product
# meets it. A criterion that names none of them is judged on the Funksjon section.
CRITERION_TOPICS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("pris", "lisens", "kostnad", "betaling", "price", "cost", "licen"), (PRICE,)),
    (
        (
            "sikkerhet",
            "personvern",
            "risiko",
            "ros",
            "dpia",
            "databehandl",
            "gdpr",
            "security",
            "privacy",
            "risk",
        ),
        ("informasjon.data_location", "informasjon.processor", "innforing.risks"),
    ),
    (
        (
            "fhir",
            "struktur",
            "deling",
            "lagring",
            "integrasjon",
            "epj",
            "journal",
            "samhandl",
            "interoperab",
            "terminolog",
            "kodeverk",
            "snomed",
            "icpc",
            "data",
            "integration",
            "sharing",
            "storage",
        ),
        ("informasjon.fhir_resources", "informasjon.terminologies", "informasjon.national_solutions"),
    ),
    (
        (
            "helsenorge",
            "kjernejournal",
            "resept",
            "helseid",
            "pll",
            "vkp",
            "dokumentdeling",
            "prøvesvar",
            "nasjonal",
            "national",
        ),
        ("informasjon.national_solutions",),
    ),
    (
        (
            "opplæring",
            "trening",
            "innføring",
            "igangkjøring",
            "implementer",
            "brukerstøtte",
            "støtte",
            "forutsetning",
            "training",
            "onboarding",
            "support",
        ),
        ("innforing.prerequisites", "innforing.training", "innforing.onboarding_support"),
    ),
    (
        ("arbeidsprosess", "arbeidsflyt", "yrke", "profesjon", "tjenesteområde", "workflow", "profession"),
        ("funksjon.work_processes", "funksjon.professions", "funksjon.service_areas"),
    ),
)
FUNCTION_FIELDS = tuple(f"funksjon.{spec.key}" for spec in SECTIONS[0].fields)


def criterion_fields(text: str) -> tuple[list[str], bool]:
    """The declaration fields a criterion is judged on, and whether they were found by its words."""
    words = search.query_words(text)
    fields: list[str] = []
    for stems, paths in CRITERION_TOPICS:
        if any(word.startswith(stem) or stem in word for word in words for stem in stems):
            fields.extend(p for p in paths if p not in fields)
    if fields:
        return fields, True
    return list(FUNCTION_FIELDS), False


@dataclass
class CriterionFit:
    criterion: Any
    fields: list[str]
    field_labels: list[str]
    matched: bool
    about_price: bool
    scores: list[float | None]  # per product: share met (0–1), or None when nothing to judge


@dataclass
class NeedFit:
    need: Any
    entries: list[StoreEntry]
    sections: list[
        dict
    ]  # [{"section", "rows": [{"label", "want", "cells": [{"status", "label", "value"}]}]}]
    section_summary: list[dict]  # [{"section", "per_product": [{"met", "partly", "not_met", "asked"}]}]
    criteria: list[CriterionFit]
    totals: list[float | None]  # weighted fit per product, 0–100


class NeedChoice(NamedTuple):
    pk: int
    title: str
    owner__name: str


def _need_choices(needs: QuerySet, *, organisation_id: Any, product_ids: Any, limit: int) -> QuerySet:
    """Needs with a desired declaration, the organisation's own first, then those the products answer."""
    answered = Exists(
        Product.needs.through.objects.filter(need_id=OuterRef("pk"), product_id__in=product_ids)
    )
    whens = [When(answered, then=Value(1))]
    if organisation_id is not None:
        whens.insert(0, When(owner_id=organisation_id, then=Value(0)))
    return (
        needs.exclude(stage="archived")
        .exclude(desired_declaration={})
        .annotate(priority=Case(*whens, default=Value(2), output_field=IntegerField()))
        .order_by("priority", "title", "pk")[:limit]
        .values("pk", "title", "owner__name")
    )


# What a visitor who acts for no organisation may compare against (published needs), compiled once: the
# comparison page offers it on every visit.
NEED_CHOICES = 60
_PUBLIC_NEED_CHOICES = CompiledQuery(
    lambda product_ids: _need_choices(
        Need.objects.filter(visibility_filter(None)), organisation_id=None, product_ids=product_ids,
        limit=NEED_CHOICES,
    )
)


def fit_need_choices(
    *, user: Any, product_ids: Sequence[int] = (), limit: int = NEED_CHOICES
) -> list[NeedChoice]:
    """Needs to compare against: the actor's own and collaborating needs, the needs the products answer,
    then other published needs. One query."""
    from innovation.selectors import visible_needs

    organisation = acting_organisation(user)
    product_ids = list(product_ids)
    if organisation is None and product_ids and limit == NEED_CHOICES:
        rows = _PUBLIC_NEED_CHOICES.rows(product_ids=product_ids)
    else:
        rows = _need_choices(
            visible_needs(user), organisation_id=organisation.pk if organisation else None,
            product_ids=product_ids, limit=limit,
        )
    return [NeedChoice(**row) for row in rows]


def need_fit(*, user: Any, need_id: int, product_ids: Sequence[int]) -> NeedFit:
    """How 1–4 listed products meet a need's desired declaration, per field, per section and per weighted
    evaluation criterion (STO-4). NotFound for a need the actor may not see."""
    from innovation.selectors import criteria as need_criteria
    from innovation.selectors import need_get

    need = need_get(user=user, pk=need_id)
    entries = _compare_entries(product_ids, minimum=1, maximum=FIT_MAX)
    desired = need.desired_declaration or {}
    fits = [declaration_fit(desired, e.listing.version.content) for e in entries]
    by_path = [dict(zip(FIELDS, fit)) for fit in fits]  # declaration_fit walks the fields in FIELDS' order
    area_names = {a.slug: a.display_name for a in ServiceArea.objects.all()}

    sections = []
    summary = []
    for section in SECTIONS:
        rows = []
        for spec in section.fields:
            path = f"{section.key}.{spec.key}"
            want = value_of(desired, path)
            cells = []
            for entry, results in zip(entries, by_path):
                status = results[path]["status"]
                cells.append(
                    {
                        "status": status,
                        "label": FIT_LABELS[status],
                        "value": display_value(
                            spec, value_of(entry.listing.version.content, path), area_names
                        ),
                    }
                )
            rows.append(
                {
                    "path": path,
                    "label": spec.label,
                    "want": display_value(spec, want, area_names),
                    "cells": cells,
                }
            )
        sections.append({"section": section, "rows": rows})
        per_product = []
        for index in range(len(entries)):
            statuses = [r["cells"][index]["status"] for r in rows]
            per_product.append(
                {
                    "met": statuses.count("met"),
                    "partly": statuses.count("partly"),
                    "not_met": statuses.count("not_met"),
                    "asked": sum(1 for s in statuses if s != "not_asked"),
                }
            )
        summary.append({"section": section, "per_product": per_product})

    criteria_fits = []
    for criterion in need_criteria(need):
        paths, matched = criterion_fields(f"{criterion.name} {criterion.description}")
        about_price = PRICE in paths
        paths = [p for p in paths if p != PRICE]
        scores: list[float | None] = []
        for results in by_path:
            asked = [results[p]["status"] for p in paths if results[p]["status"] != "not_asked"]
            scores.append(round(sum(FIT_POINTS[s] for s in asked) / len(asked), 2) if asked else None)
        criteria_fits.append(
            CriterionFit(
                criterion=criterion,
                fields=paths,
                field_labels=[str(FIELDS[p].label) for p in paths],
                matched=matched,
                about_price=about_price,
                scores=scores,
            )
        )
    totals: list[float | None] = []
    for index in range(len(entries)):
        scored = [(c.criterion.weight, c.scores[index]) for c in criteria_fits if c.scores[index] is not None]
        weight = sum(w for w, _s in scored)
        totals.append(round(100 * sum(w * s for w, s in scored) / weight) if weight else None)
    return NeedFit(
        need=need,
        entries=entries,
        sections=sections,
        section_summary=summary,
        criteria=criteria_fits,
        totals=totals,
    )


# Shortlists --------------------------------------------------------------------------------------------


def shortlists_of(*, user: Any) -> QuerySet[Shortlist]:
    """The shortlists of the organisation the person acts for, with their number of products."""
    organisation = acting_organisation(user)
    if organisation is None:
        return Shortlist.objects.none()
    return (
        Shortlist.objects.filter(organisation=organisation)
        .select_related("created_by")
        .annotate(product_count=Count("items"))
        .order_by("name", "pk")
    )


def shortlist_get(*, user: Any, pk: int) -> Shortlist:
    """A shortlist of the acting organisation; NotFound for missing and other organisations' alike."""
    shortlist = Shortlist.objects.select_related("organisation", "created_by").filter(pk=pk).first()
    if shortlist is None or not user.has_perm("store.view_shortlist", shortlist):
        raise NotFound(_("Shortlist not found."))
    return shortlist


def shortlist_items(shortlist: Shortlist) -> list[ShortlistItem]:
    """The products on a shortlist with their store state (listed, under remediation or gone). Two queries."""
    items = list(
        ShortlistItem.objects.filter(shortlist=shortlist)
        .select_related("product__vendor", "product__listing", "product__store_entry", "added_by")
        .order_by("product__name", "pk")
    )
    for item in items:
        listing = getattr(item.product, "listing", None)
        item.listed = listing is not None and listing.is_active
        item.entry = getattr(item.product, "store_entry", None)
    return items


def shortlist_search_count(shortlist: Shortlist) -> int | None:
    """How many products the saved search finds today (None when the shortlist has no saved search)."""
    if not shortlist.search_query:
        return None
    from django.http import QueryDict

    _index, mask, _ranks = evaluate(parse_store_query(QueryDict(shortlist.search_query)))
    return mask.bit_count()


# Adoptions (STO-5) ------------------------------------------------------------------------------------


def adoptions_visible_to(*, user: Any) -> QuerySet[Adoption]:
    """Adoptions of the acting organisation (as customer) and of its products (as vendor); all for operators.
    """
    organisation = acting_organisation(user)
    qs = Adoption.objects.select_related("product__vendor", "organisation", "requested_by", "version")
    if organisation is None:
        return qs.none()
    if organisation.is_operator:
        return qs
    return qs.filter(Q(organisation=organisation) | Q(product__vendor=organisation))


def adoption_get(*, user: Any, pk: int) -> Adoption:
    adoption = (
        Adoption.objects.select_related(
            "product__vendor", "organisation", "requested_by", "decided_by", "ended_by", "version"
        )
        .filter(pk=pk)
        .first()
    )
    if adoption is None or not user.has_perm("store.view_adoption", adoption):
        raise NotFound(_("Adoption not found."))
    return adoption


def adoption_list(*, user: Any, role: str = "", status: str = "") -> QuerySet[Adoption]:
    """role "customer": ours; "vendor": of our products; empty: both."""
    qs = adoptions_visible_to(user=user)
    organisation = acting_organisation(user)
    if organisation is not None and role == "customer":
        qs = qs.filter(organisation=organisation)
    elif organisation is not None and role == "vendor":
        qs = qs.filter(product__vendor=organisation)
    if status in Adoption.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-pk")


def adoption_requests_waiting(*, organisation: Organisation, limit: int = 10) -> list[Adoption]:
    """Requests to take the vendor's products into use that wait for its answer."""
    return list(
        Adoption.objects.filter(product__vendor=organisation, status=Adoption.Status.REQUESTED)
        .select_related("product", "organisation")
        .order_by("requested_at", "pk")[:limit]
    )


def products_in_use(*, organisation: Organisation, limit: int = 12) -> list[Adoption]:
    """The organisation's open adoptions (in use, starting, waiting), in use first."""

    return list(
        Adoption.objects.filter(organisation=organisation, status__in=Adoption.OPEN_STATES)
        .select_related("product__vendor")
        .annotate(
            position=Case(
                When(status=Adoption.Status.ACTIVE, then=Value(0)),
                When(status=Adoption.Status.ACCEPTED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("position", "product__name", "pk")[:limit]
    )


def adoption_history(adoption: Adoption):
    from marketplace.selectors import history_for

    return history_for(adoption).select_related("actor", "organisation").order_by("created_at", "id")
