"""Validators for Norwegian identifiers (ORG-1)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

# County by the first two digits of the kommunenummer (the 2024 county structure).
COUNTIES = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "55": "Troms",
    "56": "Finnmark",
}


def org_number_is_valid(value: str) -> bool:
    """Nine digits whose last is the MOD11 check digit of the first eight."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()):  # no other scripts' digits
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:8], ORG_NUMBER_WEIGHTS)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(value[8])


def normalise_org_number(value: str) -> str:
    return "".join(value.split())


def validate_org_number(value: str) -> None:
    if not org_number_is_valid(normalise_org_number(value or "")):
        raise ValidationError(
            _("%(value)s is not a valid organisation number: it must be 9 digits with a correct check digit."),
            code="invalid_org_number",
            params={"value": value},
        )


def validate_municipality_number(value: str) -> None:
    if not (len(value) == 4 and value.isascii() and value.isdigit() and value[:2] in COUNTIES):
        raise ValidationError(
            _("%(value)s is not a valid kommunenummer: it must be 4 digits starting with a county number."),
            code="invalid_municipality_number",
            params={"value": value},
        )


def county_for_municipality_number(value: str) -> str:
    return COUNTIES.get((value or "")[:2], "")
