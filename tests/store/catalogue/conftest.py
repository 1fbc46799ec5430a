"""Fixtures of Butikken: Ringsaker (Inger's municipality) and Bodø take products into use; two qualified
vendors with listed products in two categories; KS runs the platform."""

from __future__ import annotations

import pytest

from marketplace.models import Organisation, Role
from tests.conftest import accept_terms, make_member, make_platform_admin
from tests.factories import OrganisationFactory
from tests.verification.products.factories import qualify

from .factories import area, category, declaration, listed


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def terms(terms_all, terms_vendors):
    return [terms_all, terms_vendors]


@pytest.fixture
def areas(db):
    health = category()
    gp = category("fastlege", "Fastlege", order=2)
    return {
        "tjenestetildeling": area("tjenestetildeling", "Tjenestetildeling", cat=health, order=1),
        "hjemmetjenester": area("hjemmetjenester", "Hjemmetjenester", cat=health, order=2),
        "legevakt": area("legevakt", "Legevakt", cat=health, order=3),
        "fastlege": area("fastlege", "Fastlege", cat=gp, order=1),
    }


@pytest.fixture
def admin(municipality, terms):
    """Kari, organisation admin of Ringsaker (terms accepted)."""
    user = make_member(municipality, Role.ADMIN, email="kari@ringsaker.example", first_name="Kari")
    accept_terms(municipality, by=user)
    return user


@pytest.fixture
def member(municipality, admin):
    """Inger, an ordinary member of Ringsaker."""
    return make_member(municipality, Role.MEMBER, email="inger@ringsaker.example", first_name="Inger")


@pytest.fixture
def bodo_admin(other_municipality, terms):
    user = make_member(other_municipality, Role.ADMIN, email="siri@bodo.example", first_name="Siri")
    accept_terms(other_municipality, by=user)
    return user


@pytest.fixture
def county_admin(terms):
    county = OrganisationFactory(
        name="Innlandet fylkeskommune",
        slug="innlandet",
        kind=Organisation.Kind.COUNTY,
        municipality_number="",
    )
    user = make_member(county, Role.ADMIN, email="guro@innlandet.example", first_name="Guro")
    accept_terms(county, by=user)
    return user


@pytest.fixture
def seller(vendor, terms):
    """Vera, organisation admin of Kartleggeren AS, a qualified vendor (terms accepted)."""
    user = make_member(vendor, Role.ADMIN, email="vera@kartleggeren.example", first_name="Vera")
    accept_terms(vendor, by=user)
    qualify(vendor)
    return user


@pytest.fixture
def seller_member(vendor, seller):
    return make_member(vendor, Role.MEMBER, email="magnus@kartleggeren.example", first_name="Magnus")


@pytest.fixture
def other_seller(other_vendor, terms):
    """Camilla, organisation admin of Omsorgsdata AS, another qualified vendor."""
    user = make_member(other_vendor, Role.ADMIN, email="camilla@omsorgsdata.example", first_name="Camilla")
    accept_terms(other_vendor, by=user)
    qualify(other_vendor)
    return user


@pytest.fixture
def operator_admin(operator, terms):
    return make_platform_admin(operator, email="marte@ks.example", first_name="Marte")


@pytest.fixture
def kognitiv(vendor, seller, areas):
    return listed(
        vendor,
        "Kartleggeren Kognitiv",
        areas=[areas["tjenestetildeling"], areas["hjemmetjenester"]],
        short="Standardisert kognitiv kartlegging på nettbrett.",
        content=declaration(national_solutions=["HelseID", "Helsenorge"]),
    )


@pytest.fixture
def legemiddel(other_vendor, other_seller, areas):
    return listed(
        other_vendor,
        "Omsorgsdata Legemiddel",
        areas=[areas["hjemmetjenester"]],
        short="Legemiddelhåndtering i hjemmetjenesten.",
        content=declaration(
            national_solutions=["HelseID", "Kjernejournal", "e-resept", "PLL"],
            data_location="eea",
            fhir_resources={"MedicationRequest": ["read", "search-type"], "Patient": ["read"]},
            terminologies=["SNOMED CT", "ICD-10"],
        ),
    )


@pytest.fixture
def fastlege_app(vendor, seller, areas):
    return listed(
        vendor,
        "Kartleggeren Fysio",
        areas=[areas["fastlege"]],
        short="Henvisninger til fysioterapi.",
        content=declaration(national_solutions=[], fhir_resources={"ServiceRequest": ["create"]}),
    )
