"""Shortlists: a logged-in person saves a search or a set of products as a named shortlist for the
organisation, reopens it later and exports it (STO-6). Other organisations' shortlists are not found."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marketplace.errors import NotFound, TermsNotAccepted
from marketplace.models import Role
from store.models import Shortlist, ShortlistItem
from store.services import catalogue as services
from tests.conftest import login, make_member

from .factories import withdraw

pytestmark = pytest.mark.django_db


def create(actor, **kwargs) -> Shortlist:
    return services.shortlist_create(actor=actor, organisation=actor.acting_organisation, **kwargs)


def test_member_saves_a_search_and_reopens_it(member, kognitiv, legemiddel):
    client = login(member)
    response = client.post(
        reverse("store:shortlist_create"),
        {
            "name": "Integrerer med Kjernejournal",
            "search_query": "national_solutions=Kjernejournal&tull=1&sort=name",
        },
    )
    shortlist = Shortlist.objects.get()
    assert response.status_code == 302 and response["Location"] == shortlist.get_absolute_url()
    assert shortlist.organisation == member.acting_organisation and shortlist.created_by == member
    assert (
        shortlist.search_query == "national_solutions=Kjernejournal&sort=name"
    )  # canonical, unknown left out
    page = client.get(shortlist.get_absolute_url()).content.decode()
    assert "1 produkt passer i dag" in page
    assert shortlist.search_url.replace("&", "&amp;") in page


def test_save_a_set_of_products_add_remove_export_delete(admin, member, kognitiv, legemiddel, fastlege_app):
    shortlist = create(member, name="Til vurdering", product_ids=[kognitiv.pk, legemiddel.pk])
    assert set(shortlist.items.values_list("product_id", flat=True)) == {kognitiv.pk, legemiddel.pk}
    client = login(admin)  # everybody in the organisation sees it
    response = client.post(
        reverse("store:shortlist_add", args=[fastlege_app.pk]), {"shortlist": shortlist.pk}
    )
    assert response.status_code == 302 and shortlist.items.count() == 3
    client.post(reverse("store:shortlist_remove", args=[shortlist.pk, legemiddel.pk]))
    assert shortlist.items.count() == 2
    withdraw(kognitiv)
    page = client.get(shortlist.get_absolute_url()).content.decode()
    assert "Kartleggeren Kognitiv" in page and "Ikke lenger i Butikken" in page
    exported = client.get(reverse("store:shortlist_csv", args=[shortlist.pk]))
    body = exported.content.decode("utf-8-sig")
    assert exported.status_code == 200 and "Kartleggeren Fysio" in body and "Kartleggeren Kognitiv" in body
    client.post(reverse("store:shortlist_delete", args=[shortlist.pk]))
    assert not Shortlist.objects.exists()


def test_other_organisations_shortlists_are_not_found(member, bodo_admin, kognitiv, legemiddel):
    shortlist = create(member, name="Vår liste", product_ids=[kognitiv.pk])
    bodo = login(bodo_admin)
    assert bodo.get(shortlist.get_absolute_url()).status_code == 404
    assert bodo.get(reverse("store:shortlist_csv", args=[shortlist.pk])).status_code == 404
    assert bodo.post(reverse("store:shortlist_delete", args=[shortlist.pk])).status_code == 404
    bodo.post(reverse("store:shortlist_add", args=[legemiddel.pk]), {"shortlist": shortlist.pk})
    with pytest.raises(NotFound):
        services.shortlist_add_product(actor=bodo_admin, shortlist_id=shortlist.pk, product_id=legemiddel.pk)
    assert list(shortlist.items.values_list("product_id", flat=True)) == [kognitiv.pk]
    assert "Vår liste" not in bodo.get(reverse("store:shortlists")).content.decode()


def test_shortlist_refusals(member, municipality, terms, kognitiv):
    with pytest.raises(ValidationError) as error:
        create(member, name="   ", product_ids=[kognitiv.pk])
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError):
        create(member, name="Tom")  # neither a search nor products
    create(member, name="Liste", product_ids=[kognitiv.pk])
    with pytest.raises(ValidationError) as error:
        create(member, name="liste", product_ids=[kognitiv.pk])
    assert "name" in error.value.message_dict
    with pytest.raises(NotFound):
        create(member, name="Ukjent", product_ids=[9999999])
    assert Shortlist.objects.count() == 1


def test_shortlists_need_the_terms_and_a_login(client, terms, kognitiv):
    from tests.factories import OrganisationFactory

    newcomer_org = OrganisationFactory(name="Vinje kommune", slug="vinje")
    newcomer = make_member(newcomer_org, Role.MEMBER)
    with pytest.raises(TermsNotAccepted):
        create(newcomer, name="Liste", product_ids=[kognitiv.pk])
    response = client.post(reverse("store:shortlist_create"), {"name": "x", "product": kognitiv.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ShortlistItem.objects.exists()


def test_save_search_form_on_the_search_page(member, kognitiv):
    page = login(member).get(reverse("store:search"), {"q": "kognitiv"}).content.decode()
    assert 'name="search_query" value="q=kognitiv"' in page
