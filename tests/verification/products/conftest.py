"""Fixtures for Verifikasjon: a local FHIR sandbox (allow-listed), qualified vendors, products in each state."""

from __future__ import annotations

import pytest

from marketplace.models import Role
from tests.conftest import accept_terms, make_member, make_platform_admin

from ..sandbox import Sandbox
from .factories import qualify


@pytest.fixture(scope="session")
def sandbox():
    with Sandbox() as server:
        yield server


@pytest.fixture(autouse=True)
def _outbound(settings, tmp_path):
    """Only the tests' sandbox host is allow-listed; short limits keep the faulty modes quick."""
    settings.SANDBOX_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_TIMEOUT_SECONDS = 1.5
    settings.OUTBOUND_MAX_BYTES = 512 * 1024
    settings.OUTBOUND_MAX_REDIRECTS = 3
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def terms(terms_all, terms_vendors):
    return [terms_all, terms_vendors]


@pytest.fixture
def qualified_vendor(vendor, vendor_admin, terms):
    accept_terms(vendor, by=vendor_admin)
    qualify(vendor)
    return vendor


@pytest.fixture
def vendor_member(qualified_vendor):
    return make_member(qualified_vendor, Role.MEMBER, email="utvikler@kartleggeren.example", first_name="Ola")


@pytest.fixture
def other_vendor_admin(other_vendor, terms):
    admin = make_member(other_vendor, Role.ADMIN, email="admin@omsorgsdata.example", first_name="Olav")
    accept_terms(other_vendor, by=admin)
    qualify(other_vendor)
    return admin


@pytest.fixture
def reviewer(operator):
    return make_platform_admin(operator, email="reviewer@ks.example", first_name="Kristin")
