"""Ta i bruk on screen (STO-5): the request form, the adoption page with the vendor's answer, refusals shown
with their messages, and the start-page panels (ORG-6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from store.models import Adoption
from store.services import catalogue as services
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_admin_requests_and_the_vendor_accepts_on_screen(admin, seller, kognitiv):
    client = login(admin)
    url = reverse("store:adoption_request", args=[kognitiv.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "For hjemmetjenesten.", "wanted_start": ""})
    adoption = Adoption.objects.get()
    assert response.status_code == 302 and response["Location"] == adoption.get_absolute_url()

    vendor_client = login(seller)
    page = vendor_client.get(adoption.get_absolute_url()).content.decode()
    assert reverse("store:adoption_accept", args=[adoption.pk]) in page
    today = timezone.localdate().isoformat()
    response = vendor_client.post(reverse("store:adoption_accept", args=[adoption.pk]), {"start_date": today})
    assert response.status_code == 302
    adoption.refresh_from_db()
    assert adoption.status == Adoption.Status.ACTIVE
    listing = login(admin).get(reverse("store:listing", args=[kognitiv.pk])).content.decode()
    assert "Brukes av 1 kommune" in listing


def test_request_form_shows_field_errors_and_refusals(admin, member, kognitiv):
    client = login(admin)
    url = reverse("store:adoption_request", args=[kognitiv.pk])
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = client.post(url, {"wanted_start": past})
    assert response.status_code == 400 and not Adoption.objects.exists()
    assert "aria-invalid" in response.content.decode()
    member_page = login(member).get(url).content.decode()
    assert '<form method="post" class="form"' not in member_page
    response = login(member).post(url, {"message": "Kan vi?"})
    assert response.status_code == 400 and not Adoption.objects.exists()


def test_answering_twice_shows_the_refusal_with_409(admin, seller, kognitiv):
    adoption = services.adoption_request(
        actor=admin, organisation=admin.acting_organisation, product_id=kognitiv.pk
    )
    services.adoption_decline(actor=seller, adoption_id=adoption.pk, reason="Ikke nå.")
    response = login(seller).post(
        reverse("store:adoption_accept", args=[adoption.pk]), {"start_date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 409
    adoption.refresh_from_db()
    assert adoption.status == Adoption.Status.DECLINED


def test_other_vendors_and_municipalities_get_404(admin, bodo_admin, other_seller, kognitiv):
    adoption = services.adoption_request(
        actor=admin, organisation=admin.acting_organisation, product_id=kognitiv.pk
    )
    for outsider in (bodo_admin, other_seller):
        client = login(outsider)
        assert client.get(adoption.get_absolute_url()).status_code == 404
        assert (
            client.post(reverse("store:adoption_decline", args=[adoption.pk]), {"reason": "Nei"}).status_code
            == 404
        )
    adoption.refresh_from_db()
    assert adoption.status == Adoption.Status.REQUESTED


def test_lists_and_start_page_panels(admin, seller, kognitiv, legemiddel):
    first = services.adoption_request(
        actor=admin, organisation=admin.acting_organisation, product_id=kognitiv.pk
    )
    services.adoption_request(actor=admin, organisation=admin.acting_organisation, product_id=legemiddel.pk)
    vendor_start = login(seller).get(reverse("marketplace:start")).content.decode()
    assert "Ringsaker kommune: Kartleggeren Kognitiv" in vendor_start
    assert "Omsorgsdata Legemiddel" not in vendor_start  # another vendor's product
    services.adoption_accept(actor=seller, adoption_id=first.pk, start_date=timezone.localdate())
    municipal_start = login(admin).get(reverse("marketplace:start")).content.decode()
    assert "Kartleggeren Kognitiv" in municipal_start and "Omsorgsdata Legemiddel" in municipal_start
    listing = login(seller).get(reverse("store:adoptions")).content.decode()
    assert "Kartleggeren Kognitiv" in listing and "Omsorgsdata Legemiddel" not in listing


def test_adoption_pages_need_login(client, admin, kognitiv):
    assert client.get(reverse("store:adoptions")).status_code == 302
    assert client.get(reverse("store:adoption_request", args=[kognitiv.pk])).status_code == 302
