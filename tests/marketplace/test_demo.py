"""X-8: `manage.py seed_demo` fills an empty database with the core's demo data, once."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace import demo_data
from marketplace.models import Category, Membership, Organisation, Role, ServiceArea, Terms, TermsAcceptance, User
from marketplace.terms import current_terms, terms_pending_for

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MUNICIPALITIES = {"Bodø", "Bærum", "Bergen", "Kristiansand", "Oslo", "Stavanger", "Ringsaker", "Vinje", "Hammerfest",
                  "Drammen"}


def test_seed_demo_on_an_empty_database_and_again_with_if_empty_X_8(django_capture_on_commit_callbacks):
    """One run (seeding is slow): the core's data, then `--if-empty` changes nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    check_organisations()
    check_people()
    check_service_areas_and_terms()
    check_if_empty_changes_nothing()


def check_organisations():
    ks = Organisation.objects.get(kind=Organisation.Kind.OPERATOR)
    assert ks.org_number == "971032146"
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    assert {m.name.replace(" kommune", "") for m in municipalities} == MUNICIPALITIES
    assert all(m.municipality_number for m in municipalities)
    assert Organisation.objects.get(kind=Organisation.Kind.COUNTY).name.startswith("Innlandet")
    assert Organisation.objects.filter(kind=Organisation.Kind.VENDOR).count() >= 3
    for organisation in Organisation.objects.all():
        organisation.full_clean()  # valid org numbers, kommunenummer
    assert {o.slug for o in Organisation.objects.all()} >= {o["key"] for o in demo_data.ORGANISATIONS}


def check_people():
    inger = User.objects.get(first_name="Inger")
    membership = Membership.objects.get(user=inger)
    assert membership.organisation.slug == "ringsaker"
    assert membership.role == Role.MEMBER
    assert EmailAddress.objects.filter(user=inger, verified=True).exists()
    assert inger.check_password("demo-passord")

    admins = Membership.objects.filter(role=Role.ADMIN)
    assert admins.filter(organisation__kind=Organisation.Kind.MUNICIPALITY).exists()
    assert admins.filter(organisation__kind=Organisation.Kind.VENDOR).exists()
    assert Membership.objects.filter(role=Role.MEMBER, organisation__kind=Organisation.Kind.VENDOR).exists()
    operators = User.objects.filter(memberships__organisation__kind=Organisation.Kind.OPERATOR)
    assert operators.exists()
    for admin in operators:  # platform administrators have two-factor set up
        assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    emails = set(User.objects.values_list("email", flat=True))
    assert {p["email"] for p in demo_data.PEOPLE} <= emails  # arenas' seeders may add more


def check_service_areas_and_terms():
    assert Category.objects.count() == len(demo_data.CATEGORIES)
    assert ServiceArea.objects.count() == len(demo_data.SERVICE_AREAS)
    current = current_terms()
    assert set(current) == {Terms.Audience.ALL, Terms.Audience.VENDORS}
    assert current[Terms.Audience.ALL].version == "2.0"
    assert not Terms.objects.filter(status=Terms.Status.DRAFT).exists()
    # Most organisations have accepted; a couple are left to show the Vilkår gate.
    ringsaker = Organisation.objects.get(slug="ringsaker")
    assert terms_pending_for(ringsaker) == []
    assert terms_pending_for(Organisation.objects.get(slug="vinje"))
    assert TermsAcceptance.objects.exists()


def check_if_empty_changes_nothing():
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count(), Terms.objects.count())
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count(),
            Terms.objects.count()) == counts
    assert "nothing to do" in out.getvalue()


def test_seed_refuses_a_database_that_is_not_empty_X_8():
    OrganisationFactory(kind=Organisation.Kind.VENDOR)
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert Organisation.objects.count() == 1
    assert not User.objects.exists()
