"""Template helpers of Kvalifisering: mark a vendor's qualification wherever its name appears (QUA-4).

In a view:   statuses = qualification_status_for(listing.vendor for listing in page)   # one query
In a page:   {% load verification_qualification %}
             {% include "verification/partials/_vendor_badge.html" with organisation=listing.vendor
                qualification=statuses|qualification_of:listing.vendor %}     (on one line in the template)
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def qualification_of(statuses, organisation):
    """The entry for `organisation` (or its id) in a qualification_status_for(...) dict, or None."""
    if not statuses or organisation is None:
        return None
    return statuses.get(getattr(organisation, "pk", organisation))
