"""ORG-1: organisation numbers (MOD11) and kommunenummer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from marketplace.validators import (
    ORG_NUMBER_WEIGHTS,
    county_for_municipality_number,
    normalise_org_number,
    org_number_is_valid,
    validate_municipality_number,
    validate_org_number,
)


def weighted_remainder(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, ORG_NUMBER_WEIGHTS)) % 11


@pytest.mark.parametrize(
    "number",
    [
        "971032146",  # KS
        "958935420",  # Oslo kommune (check digit 0: remainder 0)
        "974760673",  # Brønnøysundregistrene
        "972418013",  # Bodø kommune
        "964338531",  # Bergen kommune
    ],
)
def test_real_organisation_numbers_are_valid_ORG_1(number):
    assert org_number_is_valid(number)
    validate_org_number(number)  # does not raise


def test_org_number_with_spaces_is_normalised_before_the_check_ORG_1():
    assert normalise_org_number("971 032 146") == "971032146"
    validate_org_number("971 032 146")


@pytest.mark.parametrize("number", ["971032145", "971032147", "958935421", "974760670"])
def test_wrong_check_digit_is_refused_ORG_1(number):
    assert not org_number_is_valid(number)
    with pytest.raises(ValidationError) as exc:
        validate_org_number(number)
    assert exc.value.code == "invalid_org_number"
    assert number in exc.value.messages[0]


def test_check_digit_ten_makes_every_number_with_that_base_invalid_ORG_1():
    base = "10000013"
    assert weighted_remainder(base) == 1  # 11 - 1 = 10: no single check digit exists
    for last in "0123456789":
        assert not org_number_is_valid(base + last), base + last


def test_remainder_zero_gives_check_digit_zero_ORG_1():
    base = "10000004"
    assert weighted_remainder(base) == 0
    assert org_number_is_valid(base + "0")
    assert not org_number_is_valid(base + "1")


@pytest.mark.parametrize("value", ["", "97103214", "9710321460", "97103214a", "abcdefghi", "-71032146", "９７１０３２１４６"])
def test_wrong_length_or_non_digits_are_refused_ORG_1(value):
    assert not org_number_is_valid(value)
    with pytest.raises(ValidationError):
        validate_org_number(value)


@pytest.mark.parametrize(
    ("number", "county"),
    [("0301", "Oslo"), ("1804", "Nordland"), ("3411", "Innlandet"), ("4601", "Vestland"), ("5601", "Finnmark")],
)
def test_kommunenummer_is_valid_and_gives_the_county_ORG_1(number, county):
    validate_municipality_number(number)
    assert county_for_municipality_number(number) == county


@pytest.mark.parametrize("value", ["", "301", "03011", "03a1", "9901", "0001", "abcd", "０３０１"])
def test_invalid_kommunenummer_is_refused_ORG_1(value):
    with pytest.raises(ValidationError) as exc:
        validate_municipality_number(value)
    assert exc.value.code == "invalid_municipality_number"


def test_unknown_county_prefix_gives_no_county():
    assert county_for_municipality_number("9901") == ""
    assert county_for_municipality_number("") == ""
