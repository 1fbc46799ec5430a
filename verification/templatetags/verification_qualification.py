"""Template helpers of Kvalifisering: mark a vendor's qualification wherever its name appears (QUA-4).

In a view:   statuses = qualification_status_for(listing.vendor for listing in page)   # one query
In a page:   {% load verification_qualification %}
             {% vendor_badge listing.vendor statuses|qualification_of:listing.vendor %}
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from marketplace.dates import long_date_text

register = template.Library()

EXPIRY_WARNING_DAYS = 30


@register.simple_tag
def vendor_badge(organisation, qualification=None) -> SafeString:
    """{% vendor_badge organisation qualification %}: the mark beside a vendor's name (QUA-4, QUA-5):
    qualified (until when; a warning in its last month), revoked, expired or not qualified. Nothing for an
    organisation that is not a vendor. `qualification` is the vendor's latest (qualification_status_for) or
    None.

    In Python rather than as an included template: a comparison or a result list shows one per product, and
    an include costs some 80 µs."""
    if organisation is None or not organisation.is_vendor:
        return mark_safe("")
    if qualification is None:
        return _badge("neutral", gettext("Not qualified"))
    if qualification.is_valid:
        expires = long_date_text(qualification.expires_on)
        if qualification.days_left <= EXPIRY_WARNING_DAYS:
            return _badge("warning", gettext("Qualified, expires %(date)s") % {"date": expires})
        qualified = conditional_escape(gettext("Qualified"))
        until = conditional_escape(gettext("until %(date)s") % {"date": expires})
        return mark_safe(  # noqa: S308 (both texts escaped)
            f'<span class="ds-tag vendor-badge" data-color="success">{qualified}'
            f'<span class="ds-sr-only"> {until}</span></span>'
        )
    if qualification.status == "revoked":
        ended = long_date_text(qualification.ended_on)
        return _badge("danger", gettext("Qualification revoked %(date)s") % {"date": ended})
    expired = long_date_text(qualification.expires_on)
    return _badge("danger", gettext("Qualification expired %(date)s") % {"date": expired})


def _badge(color: str, text: str) -> SafeString:
    return mark_safe(  # noqa: S308 (the text escaped)
        f'<span class="ds-tag vendor-badge" data-color="{color}">{conditional_escape(text)}</span>'
    )


@register.filter
def qualification_of(statuses, organisation):
    """The entry for `organisation` (or its id) in a qualification_status_for(...) dict, or None."""
    if not statuses or organisation is None:
        return None
    return statuses.get(getattr(organisation, "pk", organisation))
