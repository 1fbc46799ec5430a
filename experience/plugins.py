"""Sections Erfaringsarena adds to the pages of earlier apps, without those apps importing this one
(ARCHITECTURE: the later app plugs in). Registered from ExperienceConfig.ready().

- Butikken's listing page (STO-2): the product's rating and latest experiences, through `store.plugins`.
- A need's page in Innovasjonsarena: experiences about the need and the products answering it,
  through `innovation.plugins`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from innovation.plugins import register_need_section
from store.plugins import register_listing_section

from . import selectors

LISTING_SECTION_TEMPLATE = "experience/plugins/_listing_section.html"
NEED_SECTION_TEMPLATE = "experience/plugins/_need_section.html"


def listing_section(request, listing) -> dict[str, Any]:
    """The store's listing page: the product's rating and latest experiences (a fixed number of queries)."""
    entry = getattr(listing, "entry", None)
    return selectors.product_section(
        product=listing.product,
        user=request.user,
        rating_count=entry.rating_count if entry is not None else None,
        experience_count=entry.experience_count if entry is not None else None,
    )


def need_section(request, need) -> dict[str, Any]:
    """A need's page: experiences about the need and about products that answer it."""
    return {"need": need, "experiences": selectors.need_experiences(need=need, limit=3)}


def register() -> None:
    """Plug the sections in (idempotent: registering again replaces the section by its key)."""
    register_listing_section(
        "experiences",
        template=LISTING_SECTION_TEMPLATE,
        context=listing_section,
        order=10,
        title=_("Ratings and experiences"),
    )
    register_need_section("experiences", template=NEED_SECTION_TEMPLATE, context=need_section, order=10)
