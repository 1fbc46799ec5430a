"""`{{ value|long_date }}`, a built-in filter of every template (settings.TEMPLATES "builtins"): the house's
date, `{{ value|date:"j. F Y" }}` ("4. mars 2025"), remembered per day and language (marketplace.dates). A
datetime is first put in the current time zone, as the date filter does; anything else reads as nothing."""

from __future__ import annotations

from django import template

from ..dates import long_date_text

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def long_date(value) -> str:
    return long_date_text(value)
