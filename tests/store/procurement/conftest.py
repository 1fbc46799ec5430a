"""Fixtures of Felleskjøp: Ringsaker owns a published need and leads the procurement; Bodø and a county take
part; two qualified vendors with listed products; KS runs the platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from marketplace.models import Organisation, Role
from store.models import Offer, Procurement
from store.services import procurement as services
from tests.conftest import accept_terms, make_member, make_platform_admin
from tests.factories import OrganisationFactory

from .factories import listed_product, offer, open_procurement, pass_deadline, published_need, qualify, score_all


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    """Services speak the active language; the tests read their messages in English (screens set their own)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def terms(terms_all, terms_vendors):
    return [terms_all, terms_vendors]


@pytest.fixture
def lead(municipality, terms):
    """Kari, organisation admin of Ringsaker: owns the need and leads the procurement."""
    user = make_member(municipality, Role.ADMIN, email="kari@ringsaker.example", first_name="Kari")
    accept_terms(municipality, by=user)
    return user


@pytest.fixture
def lead_member(municipality, lead):
    return make_member(municipality, Role.MEMBER, email="inger@ringsaker.example", first_name="Inger")


@pytest.fixture
def bodo_admin(other_municipality, terms):
    user = make_member(other_municipality, Role.ADMIN, email="siri@bodo.example", first_name="Siri")
    accept_terms(other_municipality, by=user)
    return user


@pytest.fixture
def bodo_member(other_municipality, bodo_admin):
    return make_member(other_municipality, Role.MEMBER, email="per@bodo.example", first_name="Per")


@pytest.fixture
def county(db):
    return OrganisationFactory(name="Innlandet fylkeskommune", slug="innlandet", kind=Organisation.Kind.COUNTY,
                               municipality_number="")


@pytest.fixture
def county_admin(county, terms):
    user = make_member(county, Role.ADMIN, email="guro@innlandet.example", first_name="Guro")
    accept_terms(county, by=user)
    return user


@pytest.fixture
def outsider_admin(terms):
    """Drammen's admin: a municipality that does not take part."""
    drammen = OrganisationFactory(name="Drammen kommune", slug="drammen", kind=Organisation.Kind.MUNICIPALITY,
                                  municipality_number="3301")
    user = make_member(drammen, Role.ADMIN, email="admin@drammen.example", first_name="Dag")
    accept_terms(drammen, by=user)
    return user


@pytest.fixture
def seller(vendor, terms):
    """Vera, admin of Kartleggeren AS: qualified, with a listed product."""
    user = make_member(vendor, Role.ADMIN, email="vera@kartleggeren.example", first_name="Vera")
    accept_terms(vendor, by=user)
    qualify(vendor)
    return user


@pytest.fixture
def other_seller(other_vendor, terms):
    user = make_member(other_vendor, Role.ADMIN, email="olav@omsorgsdata.example", first_name="Olav")
    accept_terms(other_vendor, by=user)
    qualify(other_vendor)
    return user


@pytest.fixture
def unqualified_seller(terms):
    company = OrganisationFactory(name="Nykommer AS", slug="nykommer", kind=Organisation.Kind.VENDOR)
    user = make_member(company, Role.ADMIN, email="nina@nykommer.example", first_name="Nina")
    accept_terms(company, by=user)
    return user


@pytest.fixture
def product(vendor, seller):
    return listed_product(vendor, "Kartleggeren Kognitiv")


@pytest.fixture
def other_product(other_vendor, other_seller):
    return listed_product(other_vendor, "Omsorgsdata Kartlegging")


@pytest.fixture
def ks_admin(operator):
    return make_platform_admin(operator, email="kristin@ks.example", first_name="Kristin")


@pytest.fixture
def need(lead):
    return published_need(lead)


@pytest.fixture
def planning(lead, need) -> Procurement:
    return open_procurement(lead, need)


@pytest.fixture
def dialogue(lead, planning) -> Procurement:
    return services.procurement_start_market_dialogue(actor=lead, procurement_id=planning.pk, reason="Vi inviterer.")


@pytest.fixture
def competition(lead, dialogue, bodo_admin) -> Procurement:
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=300)
    return services.procurement_start_competition(actor=lead, procurement_id=dialogue.pk)


@dataclass
class Offers:
    procurement: Procurement
    first: Offer
    second: Offer


@pytest.fixture
def offers(competition, seller, other_seller, product, other_product) -> Offers:
    first = offer(seller, competition, product, per_year="150000", per_unit="19.90")
    second = offer(other_seller, competition, other_product, per_year="120000", per_unit="25.00")
    return Offers(competition, first, second)


@pytest.fixture
def evaluation(lead, offers) -> Offers:
    pass_deadline(offers.procurement)
    services.procurement_start_evaluation(actor=lead, procurement_id=offers.procurement.pk)
    offers.procurement.refresh_from_db()
    return offers


@pytest.fixture
def scored(lead, evaluation) -> Offers:
    score_all(lead, evaluation.first, [8, 6])
    score_all(lead, evaluation.second, [5, 9])
    for o in (evaluation.first, evaluation.second):
        o.refresh_from_db()
    return evaluation


@pytest.fixture
def awarded(lead, scored) -> Offers:
    services.procurement_award(actor=lead, procurement_id=scored.procurement.pk, offer_ids=[scored.first.pk],
                               reason="Høyest vektet poengsum.")
    scored.procurement.refresh_from_db()
    return scored


@pytest.fixture
def active(lead, awarded) -> Offers:
    from .factories import start_agreement_today

    start_agreement_today(awarded.procurement)
    services.procurement_activate_agreement(actor=lead, procurement_id=awarded.procurement.pk)
    awarded.procurement.refresh_from_db()
    return awarded


def api(user, organisation: Organisation | None = None) -> Any:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    organisation = organisation or user.acting_organisation
    client.credentials(HTTP_X_ORGANISATION=str(organisation.pk))
    return client
