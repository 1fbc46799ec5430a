"""`{{ value|long_date }}`, a built-in filter of every template (settings.TEMPLATES "builtins"): the house's
date, `{{ value|date:"j. F Y" }}` ("4. mars 2025"), remembered per day and language (marketplace.dates). A
datetime is first put in the current time zone, as the date filter does; anything else reads as nothing."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from ..dates import LONG_DATE, day_text

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def long_date(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    elif not isinstance(value, date):
        return ""
    return day_text(value, LONG_DATE)
