"""Fixtures shared by every arena's tests: organisations of each kind, people with roles, current terms."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from marketplace.acting import SESSION_KEY, act_for
from marketplace.models import Organisation, Role, Terms, TermsAcceptance

from .factories import MembershipFactory, OrganisationFactory, TermsFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Norwegian), whatever an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def terms_all(db) -> Terms:
    return TermsFactory(audience=Terms.Audience.ALL, version="1.0", title="Vilkår for deltakelse")


@pytest.fixture
def terms_vendors(db) -> Terms:
    return TermsFactory(audience=Terms.Audience.VENDORS, version="1.0", title="Leverandørvilkår")


@pytest.fixture
def operator(db) -> Organisation:
    return OrganisationFactory(name="KS", slug="ks", kind=Organisation.Kind.OPERATOR)


@pytest.fixture
def municipality(db) -> Organisation:
    return OrganisationFactory(name="Ringsaker kommune", slug="ringsaker", kind=Organisation.Kind.MUNICIPALITY, municipality_number="3411")


@pytest.fixture
def other_municipality(db) -> Organisation:
    return OrganisationFactory(name="Bodø kommune", slug="bodo", kind=Organisation.Kind.MUNICIPALITY, municipality_number="1804")


@pytest.fixture
def vendor(db) -> Organisation:
    return OrganisationFactory(name="Kartleggeren AS", slug="kartleggeren", kind=Organisation.Kind.VENDOR)


@pytest.fixture
def other_vendor(db) -> Organisation:
    return OrganisationFactory(name="Omsorgsdata AS", slug="omsorgsdata", kind=Organisation.Kind.VENDOR)


def make_member(organisation: Organisation, role: str = Role.MEMBER, **user_fields):
    """A person with one membership, acting for that organisation."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return act_for(user, organisation)


def make_platform_admin(operator: Organisation, **user_fields):
    from allauth.mfa.models import Authenticator

    user = make_member(operator, Role.ADMIN, **user_fields)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def accept_terms(organisation: Organisation, by) -> None:
    from marketplace.terms import audiences_for, current_terms, forget_pending_terms

    for audience, terms in current_terms().items():
        if audience in audiences_for(organisation):
            TermsAcceptance.objects.get_or_create(organisation=organisation, terms=terms, defaults={"accepted_by": by})
    forget_pending_terms(organisation)


@pytest.fixture
def municipal_admin(municipality):
    return make_member(municipality, Role.ADMIN, email="admin@ringsaker.example", first_name="Kari")


@pytest.fixture
def municipal_member(municipality):
    return make_member(municipality, Role.MEMBER, email="inger@ringsaker.example", first_name="Inger")


@pytest.fixture
def vendor_admin(vendor):
    return make_member(vendor, Role.ADMIN, email="admin@kartleggeren.example", first_name="Vera")


@pytest.fixture
def platform_admin(operator):
    return make_platform_admin(operator, email="admin@ks.example", first_name="Kristin")


def login(user, organisation: Organisation | None = None) -> Client:
    """A test client logged in as `user`, acting for `organisation` (or their first)."""
    client = Client()
    client.force_login(user)
    organisation = organisation or getattr(user, "acting_organisation", None)
    if organisation is not None:
        session = client.session
        session[SESSION_KEY] = organisation.pk
        session.save()
    return client
