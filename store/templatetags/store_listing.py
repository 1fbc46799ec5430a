"""The listing page's sections that are the same for everyone who sees the product (STO-2): its header, the
facts about it, its documents, the needs it answers and the municipalities that use it; and the heading of a
comparison (STO-4).

Written in Python rather than as template nodes, for the reason of store_catalogue.result_cards: the listing
page is the store's most visited page after the search, and these sections were a hundred and fifty template
nodes (some 20 µs each) of its budget of a few milliseconds. The texts are the templates' own, escaped as the
tags escape them: `_e(gettext(...))` is `{% translate %}` and `_format(gettext(...), ...)` is
`{% blocktranslate %}`, so the catalogue of translations is unchanged. The sections that depend on the
visitor (taking it into use, the compare tray, shortlists) stay in store/catalogue/listing.html.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from marketplace.dates import long_date_text
from marketplace.i18n import per_language
from marketplace.links import fixed_url
from marketplace.templatetags.declarations import escape as _e  # a variable's escaping, no lazy wrapper
from marketplace.templatetags.declarations import lines_html
from verification.templatetags.verification_qualification import vendor_badge

register = template.Library()


@register.simple_tag
def listing_header(page) -> SafeString:
    """{% listing_header listing %}: logo, name, short description, vendor with its qualification mark, and
    the tags: verified or "Under utbedring", felleskjøpt, "Brukes av N kommuner"."""
    product, entry = page.product, page.entry
    logo = (
        f'<img class="store-listing__logo" src="{_e(product.logo.get_absolute_url())}" alt="" width="72" '
        'height="72">'
        if product.logo_id
        else ""
    )
    if page.listing.is_under_remediation:
        status = f'<li><span class="ds-tag" data-color="warning">{_e(gettext("Under utbedring"))}</span></li>'
    else:
        status = f'<li><span class="ds-tag" data-color="success">{_e(gettext("Verified"))}</span></li>'
    procured = ""
    if entry.is_procured:
        procured = f'<li><span class="ds-tag" data-color="info">{_e(gettext("Felleskjøpt"))}</span></li>'
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<header class="store-listing__header">\n  {logo}\n  <div>\n'
        f'    <h1 class="ds-heading" data-size="xl">{_e(product.name)}</h1>\n'
        f'    <p class="ds-paragraph lead">{_e(product.short_description)}</p>\n'
        f'    <p class="ds-paragraph">{_format(gettext("From %(vendor)s"), vendor=page.vendor.name)} '
        f"{vendor_badge(page.vendor, page.qualification)}</p>\n"
        f'    <ul class="store-card__tags">\n      {status}\n      {procured}\n'
        f'      <li><span class="ds-tag" data-color="neutral">{_used_by(page.usage_count)}</span></li>\n'
        "    </ul>\n  </div>\n</header>"
    )


@register.simple_tag
def listing_facts(page) -> SafeString:
    """{% listing_facts listing %}: "About the product": the description, then vendor and qualification,
    verification, declaration version, dates, service areas, joint procurement, price model and web site."""
    product, listing, entry = page.product, page.listing, page.entry
    terms = _fact_terms()
    rows = [
        (terms["vendor"], _vendor_fact(page)),
        (terms["verification"], _verification_fact(page)),
        (
            terms["declaration"],
            _format(gettext("Version %(number)s, approved %(date)s"),
                number=page.version.number,
                date=long_date_text(listing.version_listed_at),
            ),
        ),
        (terms["since"], _e(long_date_text(listing.listed_at))),
        (terms["areas"], _area_links(page.service_areas)),
        (terms["procurement"], _procurement_fact(entry)),
        (terms["price"], lines_html(product.price_model or gettext("Ask the vendor"))),
    ]
    if product.website:
        website = _e(product.website)
        link = f'<a class="ds-link" href="{website}" rel="noopener">{website}</a>'
        rows.append((terms["website"], link))
    facts = "\n".join(f"    <dt>{term}</dt>\n    <dd>{value}</dd>" for term, value in rows)
    return mark_safe(  # noqa: S308 (every value escaped)
        '<section class="store-listing__facts" aria-labelledby="facts-title">\n'
        f'  <h2 class="ds-heading" data-size="md" id="facts-title">{terms["title"]}</h2>\n'
        f'  <p class="ds-paragraph prose">{lines_html(product.description)}</p>\n'
        f'  <dl class="facts">\n{facts}\n  </dl>\n</section>'
    )


@register.simple_tag
def listing_documents(page) -> SafeString:
    """{% listing_documents listing %}: the declaration's documents, each with its type and size."""
    items = [
        f'<li><a class="ds-link" href="{_e(document.get_absolute_url())}">{_e(document)}</a> '
        f'<span class="muted">({_e(document.extension.upper())}, {_e(filesizeformat(document.size))})'
        "</span></li>"
        for document in page.documents
    ]
    return _list_section("documents-title", _e(gettext("Documents")), items, empty=gettext("No documents."))


@register.simple_tag
def listing_needs(page) -> SafeString:
    """{% listing_needs listing %}: the published needs the product answers, each with a link to see how it
    fits the need (STO-4)."""
    fit = fixed_url("store:compare_need")
    items = [
        f'<li><a class="ds-link" href="{_e(need.get_absolute_url())}">{_e(need.title)}</a> '
        f'<span class="muted">({_e(need.owner.name)})</span>\n'
        f'      · <a class="ds-link" href="{fit}?behov={need.pk}&amp;produkt={page.product.pk}">'
        f'{_e(gettext("See how it fits"))}<span class="ds-sr-only"> {_e(need.title)}</span></a></li>'
        for need in page.needs
    ]
    empty = gettext("The vendor has not linked the product to a published need.")
    return _list_section("needs-title", _e(gettext("Needs it answers")), items, empty=empty)


@register.simple_tag
def listing_users(page) -> SafeString:
    """{% listing_users listing %}: "Brukes av N kommuner" with the municipalities' names (STO-2, STO-5)."""
    items = [
        f'<li><a class="ds-link" href="{_e(organisation.get_absolute_url())}">'
        f"{_e(organisation.name)}</a></li>"
        for organisation in page.adopters
    ]
    empty = gettext("No municipality has taken it into use through Markedsplassen yet.")
    title = _used_by(page.usage_count)
    return _list_section("users-title", title, items, empty=empty, list_class="store-users")


@register.simple_tag
def compared_products(entries, differences) -> SafeString:
    """{% compared_products entries differences %}: the comparison's heading: how many rows differ, then a
    card per product: its name linking to its listing page, its vendor with the qualification mark, and
    "Under utbedring" when it applies (STO-4)."""
    lead = ngettext(
        "The approved declarations side by side. %(counter)s row differs and is marked.",
        "The approved declarations side by side. %(counter)s rows differ and are marked.",
        differences,
    ) % {"counter": differences}
    remediation = f' <span class="ds-tag" data-color="warning">{_e(gettext("Under utbedring"))}</span>'
    cards = "".join(
        '\n  <li class="ds-card">\n'
        f'    <h2 class="ds-heading" data-size="xs"><a class="ds-link" '
        f'href="{fixed_url("store:listing", entry.product_id)}">{_e(entry.product.name)}</a></h2>\n'
        f'    <p class="ds-paragraph" data-size="sm">{_e(entry.product.vendor.name)} '
        f"{vendor_badge(entry.product.vendor, entry.qualification)}</p>"
        f"{remediation if entry.listing.is_under_remediation else ''}\n  </li>"
        for entry in entries
    )
    return mark_safe(  # noqa: S308 (every value escaped; the translation is not, as in blocktranslate)
        f'<p class="ds-paragraph lead">{lead}</p>\n<ul class="compare-products">{cards}\n</ul>'
    )



@register.simple_tag
def comparison_tools(entries, need_choices) -> SafeString:
    """{% comparison_tools entries need_choices %}: under a comparison's heading cards, the link that
    downloads it as CSV (STO-6) and the form that compares the same products with a need (STO-4)."""
    ids = "&amp;".join(f"produkt={entry.product_id}" for entry in entries)
    hidden = "".join(f'<input type="hidden" name="produkt" value="{entry.product_id}">' for entry in entries)
    options = "".join(
        f'<option value="{need.pk}">{_e(need.title)} ({_e(need.owner__name)})</option>'
        for need in need_choices
    )
    return mark_safe(  # noqa: S308 (every value escaped)
        '<div class="actions">\n'
        f'  <a class="ds-link" href="{fixed_url("store:compare_csv")}?{ids}" download>'
        f'{_e(gettext("Download the comparison as CSV"))}</a>\n</div>\n'
        f'<form method="get" action="{fixed_url("store:compare_need")}" '
        'class="filter-form store-need-picker">\n'
        f"  {hidden}\n"
        '  <div class="ds-field field">\n'
        f'    <label class="ds-label" for="need-pick">{_e(gettext("Compare these with a need"))}</label>\n'
        '    <select class="ds-input" id="need-pick" name="behov" required>\n'
        f'      <option value="">{_e(gettext("Choose a need"))}</option>\n'
        f"      {options}\n"
        "    </select>\n  </div>\n"
        '  <button class="ds-button" data-variant="secondary" type="submit">'
        f'{_e(gettext("Compare with the need"))}</button>\n</form>'
    )

# The facts ------------------------------------------------------------------------------------------------


@per_language
def _fact_terms() -> dict[str, str]:
    """The facts' title and terms, escaped, in the language (the same on every listing page)."""
    return {
        "title": _e(gettext("About the product")),
        "vendor": _e(gettext("Vendor")),
        "verification": _e(gettext("Verification")),
        "declaration": _e(gettext("Declaration")),
        "since": _e(gettext("In the store since")),
        "areas": _e(gettext("Service areas")),
        "procurement": _e(gettext("Joint procurement")),
        "price": _e(gettext("Price model")),
        "website": _e(gettext("Web site")),
    }


def _vendor_fact(page) -> str:
    vendor, qualification = page.vendor, page.qualification
    if qualification is None:
        status = _e(gettext("not qualified"))
    elif qualification.is_valid:
        status = _format(gettext("qualified since %(since)s, valid until %(until)s"),
            since=long_date_text(qualification.qualified_on),
            until=long_date_text(qualification.expires_on),
        )
    else:
        lapsed = qualification.ended_on or qualification.expires_on
        status = _format(gettext("qualification lapsed %(date)s"), date=long_date_text(lapsed))
    return (
        f"{_e(vendor.name)} · {status}\n"
        f'      · <a class="ds-link" href="{_e(vendor.get_absolute_url())}">{_e(gettext("About the vendor"))}'
        f'<span class="ds-sr-only"> {_e(vendor.name)}</span></a>'
    )


def _verification_fact(page) -> str:
    listing = page.listing
    status = gettext("Under utbedring") if listing.is_under_remediation else gettext("Verified and approved")
    parts = [_e(status)]
    if listing.last_verified_at:
        day = long_date_text(listing.last_verified_at)
        parts.append(" · " + _format(gettext("last checked %(date)s"), date=day))
    if page.report_url:
        report = _e(gettext("Verification report"))
        parts.append(f' · <a class="ds-link" href="{_e(page.report_url)}">{report}</a>')
    return "".join(parts)


def _area_links(areas) -> str:
    if not areas:
        return "—"
    search = fixed_url("store:search")
    return ", ".join(
        f'<a class="ds-link" href="{search}?service_area={_e(area.slug)}">{_e(area.display_name)}</a>'
        for area in areas
    )


def _procurement_fact(entry) -> str:
    if not entry.is_procured:
        return _e(gettext("Not felleskjøpt: take it into use with your own agreement with the vendor."))
    until = long_date_text(entry.procured_until)
    text = _format(gettext("Felleskjøpt, agreement until %(date)s"), date=until)
    if entry.procurement_url:
        return f'<a class="ds-link" href="{_e(entry.procurement_url)}">{text}</a>'
    return text


# Helpers ----------------------------------------------------------------------------------------------


def _list_section(
    title_id: str, title: str, items: list[str], *, empty: str, list_class: str = "ds-list"
) -> SafeString:
    """A headed section with the items as a list, or the `empty` text when there are none."""
    if items:
        body = f'<ul class="{list_class}">{"".join(items)}</ul>'
    else:
        body = f'<p class="ds-paragraph">{_e(empty)}</p>'
    return _section(title_id, title, body)


def _section(title_id: str, title: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 (title and body escaped by the callers)
        f'<section aria-labelledby="{title_id}">\n'
        f'  <h2 class="ds-heading" data-size="md" id="{title_id}">{title}</h2>\n  {body}\n</section>'
    )


def _used_by(count: int) -> str:
    """{% blocktranslate count counter=... %}Used by {{ counter }} municipality{% plural %}…"""
    return ngettext("Used by %(counter)s municipality", "Used by %(counter)s municipalities", count) % {
        "counter": count
    }


def _format(translation: str, **values: Any) -> str:
    """{% blocktranslate with ... %}: the translation with its values escaped (the translation itself is not,
    as in the template tag)."""
    return translation % {name: _e(value) for name, value in values.items()}
