"""Dates as text, remembered per day, format and language.

Django builds a formatter for every value it formats and looks up the month's name through the active
translation (some 80 µs); a listing page shows half a dozen dates, a comparison a dozen and a list of
qualifications dozens, and they are days that recur. `day_text` gives the same text once per day, format and
language and process.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.utils import formats, timezone
from django.utils.translation import get_language

LONG_DATE = "j. F Y"  # "4. mars 2025", the house's date in pages


def day_text(day: date, format_name: str = "DATE_FORMAT") -> str:
    """`formats.date_format(day, format_name)` of a day (not a time of day), in the active language."""
    return _formatted(day, format_name, get_language())


def long_date_text(value: date | datetime | None) -> str:
    """The house's date ("4. mars 2025") of a day, or of the day a time falls on in the current time zone;
    nothing for anything else."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif not isinstance(value, date):
        return ""
    return day_text(value, LONG_DATE)


@lru_cache(maxsize=4096)
def _formatted(day: date, format_name: str, _language: str | None) -> str:
    return formats.date_format(day, format_name)
