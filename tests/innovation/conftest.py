"""Fixtures of Innovasjonsarena: Inger's municipality, Innlandet (the owner), Bodø and a vendor."""

from __future__ import annotations

import pytest

from marketplace.models import Role
from tests.conftest import accept_terms, make_member
from tests.factories import ServiceAreaFactory

from .factories import CountyFactory, make_need


@pytest.fixture
def area(db):
    return ServiceAreaFactory(slug="tjenestetildeling", name="Tjenestetildeling")


@pytest.fixture
def other_area(db):
    return ServiceAreaFactory(slug="hjemmetjenester", name="Hjemmetjenester")


@pytest.fixture
def county(db):
    return CountyFactory(name="Innlandet fylkeskommune", slug="innlandet")


@pytest.fixture
def owner(county, terms_all):
    """An organisation admin of Innlandet, which has accepted the terms."""
    user = make_member(county, Role.ADMIN, email="guro@innlandet.example", first_name="Guro")
    accept_terms(county, by=user)
    return user


@pytest.fixture
def owner_member(county, owner):
    return make_member(county, Role.MEMBER, email="ola@innlandet.example", first_name="Ola")


@pytest.fixture
def inger(municipality, terms_all):
    """Inger, a member of Ringsaker, which has accepted the terms."""
    user = make_member(municipality, Role.MEMBER, email="inger@ringsaker.example", first_name="Inger")
    accept_terms(municipality, by=user)
    return user


@pytest.fixture
def bodo(other_municipality, terms_all):
    user = make_member(other_municipality, Role.ADMIN, email="siri@bodo.example", first_name="Siri")
    accept_terms(other_municipality, by=user)
    return user


@pytest.fixture
def vendor_user(vendor, terms_all, terms_vendors):
    user = make_member(vendor, Role.ADMIN, email="ida@kartleggeren.example", first_name="Ida")
    accept_terms(vendor, by=user)
    return user


@pytest.fixture
def need(owner, area):
    """Innlandet's need, still an idea (visible to its core team only)."""
    return make_need(owner, areas=[area])
