"""Fixtures of Erfaringsarena: Ringsaker uses Kartleggeren's product and writes about it; Bodø reads,
marks it useful and comments; the vendor replies; KS moderates."""

from __future__ import annotations

import pytest

from marketplace.models import Role
from tests.conftest import accept_terms, make_member, make_platform_admin
from tests.factories import ServiceAreaFactory

from .factories import adopt, listed_product, write


@pytest.fixture(autouse=True)
def _listing_section():
    """The store's listing page shows our section (another app's test may have swapped it out)."""
    from experience.plugins import register

    register()


@pytest.fixture
def area(db):
    return ServiceAreaFactory(slug="hjemmetjenester", name="Hjemmetjenester")


@pytest.fixture
def inger(municipality, terms_all):
    """Inger, a member of Ringsaker (which has accepted the terms)."""
    municipality.inhabitants = 35_000
    municipality.save(update_fields=["inhabitants"])
    user = make_member(municipality, Role.MEMBER, email="inger@ringsaker.example", first_name="Inger")
    accept_terms(municipality, by=user)
    return user


@pytest.fixture
def kari(municipality, inger):
    """Kari, an organisation admin of Ringsaker."""
    return make_member(municipality, Role.ADMIN, email="kari@ringsaker.example", first_name="Kari")


@pytest.fixture
def colleague(municipality, inger):
    """Another member of Ringsaker, not an admin."""
    return make_member(municipality, Role.MEMBER, email="per@ringsaker.example", first_name="Per")


@pytest.fixture
def siri(other_municipality, terms_all):
    """Siri, a member of Bodø (which has accepted the terms)."""
    other_municipality.inhabitants = 53_000
    other_municipality.save(update_fields=["inhabitants"])
    user = make_member(other_municipality, Role.MEMBER, email="siri@bodo.example", first_name="Siri")
    accept_terms(other_municipality, by=user)
    return user


@pytest.fixture
def vera(vendor, terms_all, terms_vendors):
    """Vera, an admin of Kartleggeren AS, the vendor of the product."""
    user = make_member(vendor, Role.ADMIN, email="vera@kartleggeren.example", first_name="Vera")
    accept_terms(vendor, by=user)
    return user


@pytest.fixture
def moderator(operator):
    return make_platform_admin(operator, email="kristin@ks.example", first_name="Kristin")


@pytest.fixture
def product(vendor, area):
    return listed_product(vendor, areas=[area])


@pytest.fixture
def in_use(product, municipality):
    """Ringsaker uses the product (an active adoption)."""
    return adopt(municipality, product)


@pytest.fixture
def experience(inger, product, in_use, area):
    """Inger's published experience with the product."""
    return write(inger, product=product, area=area)
