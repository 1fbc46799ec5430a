"""The house's long date: `|long_date` reads as Django's `|date:"j. F Y"` in every language and time zone, and
is a built-in of every template."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from django.template import engines
from django.utils import translation

SAME_AS_DATE = '{{ value|long_date }}|{{ value|date:"j. F Y" }}'


def _both(value) -> tuple[str, str]:
    long, django = engines["django"].from_string(SAME_AS_DATE).render({"value": value}).split("|")
    return long, django


@pytest.mark.parametrize("language, expected", [("nb", "4. mars 2025"), ("en", "4. March 2025")])
def test_a_day_reads_in_the_active_language(language, expected):
    with translation.override(language):
        assert _both(date(2025, 3, 4)) == (expected, expected)


def test_a_time_is_the_day_in_the_current_time_zone():
    """23:30 UTC on 31 December is New Year's Day in Oslo."""
    with translation.override("nb"):
        new_year = _both(datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert new_year == ("1. januar 2026", "1. januar 2026")


def test_the_same_day_in_another_language_is_not_remembered_from_the_first():
    day = date(2024, 5, 17)
    with translation.override("nb"):
        assert _both(day)[0] == "17. mai 2024"
    with translation.override("en"):
        assert _both(day)[0] == "17. May 2024"


@pytest.mark.parametrize("value", [None, "", "2025-03-04", 17])
def test_what_is_not_a_date_reads_as_nothing(value):
    assert _both(value)[0] == ""


def test_day_text_is_django_s_date_format_in_the_active_language():
    from django.utils import formats

    from marketplace.dates import day_text

    for language in ("nb", "en"):
        with translation.override(language):
            assert day_text(date(2025, 3, 4)) == formats.date_format(date(2025, 3, 4), "DATE_FORMAT")


def test_long_date_text_in_code_puts_a_time_in_the_current_time_zone():
    """What the Python-written store sections and the vendor mark use: the filter's text without a template."""
    from marketplace.dates import long_date_text

    with translation.override("nb"):
        assert long_date_text(datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)) == "1. januar 2026"
        assert long_date_text(date(2025, 3, 4)) == "4. mars 2025"
        assert long_date_text(None) == ""
