"""Plug-in points of Butikken for the arenas to its right (ARCHITECTURE: later apps plug in).

The listing page (STO-2) renders, after its own sections, every registered *listing section*, ordered by
`order`. Erfaringsarena registers its experiences and ratings there; Felleskjøp may register agreement
details. The store never imports those apps: they register from their AppConfig.ready():

    from store.plugins import register_listing_section

    def experiences_context(request, listing):
        # `listing` is store.selectors.catalogue.ListingPage: .product, .entry, .listing, .vendor …
        # Must cost a fixed number of queries (the listing page is pinned in tests).
        return {"experiences": experiences_for_product(product_id=listing.product.pk, user=request.user)}

    register_listing_section(
        "experiences", template="experience/store/_listing_experiences.html",
        context=experiences_context, order=10, title=_("Erfaringer"),
    )

The template is included with the context the function returns plus `listing` (the ListingPage) and
`section` (the ListingSection); its first heading should be an h2. While no section with the key
"experiences" is registered, the page shows the rating figures the store holds and says that no
experiences are shared yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

ContextFunction = Callable[[HttpRequest, Any], dict[str, Any]]


@dataclass(frozen=True)
class ListingSection:
    key: str
    template: str
    context: ContextFunction | None = None
    order: int = 100
    title: str | Promise = ""


_listing_sections: dict[str, ListingSection] = {}


def register_listing_section(
    key: str,
    *,
    template: str,
    context: ContextFunction | None = None,
    order: int = 100,
    title: str | Promise = "",
) -> ListingSection:
    """Add (or replace, by key) a section of the listing page."""
    section = ListingSection(key=key, template=template, context=context, order=order, title=title)
    _listing_sections[key] = section
    return section


def unregister_listing_section(key: str) -> None:
    _listing_sections.pop(key, None)


def listing_sections() -> list[ListingSection]:
    return sorted(_listing_sections.values(), key=lambda s: (s.order, s.key))


def has_listing_section(key: str) -> bool:
    return key in _listing_sections


def rendered_listing_sections(request: HttpRequest, listing: Any) -> list[dict[str, Any]]:
    """[{"section", "template", "context"}] for the listing page to include, in order."""
    result = []
    for section in listing_sections():
        context = dict(section.context(request, listing) if section.context else {})
        context.setdefault("listing", listing)
        context["section"] = section
        result.append({"section": section, "template": section.template, "context": context})
    return result
