"""PRO-6: with the agreement active the awarded product is Felleskjøpt in Butikken; participating organisations
take it into use by call-off (avrop) — an adoption without the vendor's acceptance step; non-participants see
the agreement but cannot call off; only within the agreement period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.errors import Conflict, PermissionRefused
from marketplace.models import Notification
from store.models import Adoption, CallOff, Procurement
from store.services import procurement as services

pytestmark = pytest.mark.django_db


def test_a_participant_calls_off_and_the_adoption_is_active_at_once(active, bodo_admin, lead,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call = services.call_off(actor=bodo_admin, procurement_id=active.procurement.pk, volume=250,
                                 note="Hjemmetjenesten først.")
    adoption = Adoption.objects.get(pk=call.adoption_id)
    assert adoption.status == Adoption.Status.ACTIVE and adoption.source == Adoption.Source.CALL_OFF
    assert adoption.organisation == bodo_admin.acting_organisation and adoption.product == active.first.product
    assert adoption.agreement_url == active.procurement.get_absolute_url()
    assert (call.offer, call.volume, call.starts_on) == (active.first, 250, timezone.localdate())
    assert Notification.objects.filter(recipient=lead, kind="store.procurement_call_off").exists()


def test_a_later_start_date_within_the_period(active, bodo_admin):
    start = timezone.localdate() + timedelta(days=30)
    call = services.call_off(actor=bodo_admin, procurement_id=active.procurement.pk, volume=10, starts_on=start)
    assert call.adoption.status == Adoption.Status.ACCEPTED and call.adoption.start_date == start


def test_a_non_participant_sees_the_agreement_but_cannot_call_off(active, outsider_admin):
    """Refusal: calling off as a non-participant (403, no adoption)."""
    with pytest.raises(PermissionRefused, match="declared intent"):
        services.call_off(actor=outsider_admin, procurement_id=active.procurement.pk, volume=10)
    assert not CallOff.objects.exists() and not Adoption.objects.exists()


def test_calling_off_before_the_agreement_is_active_is_refused(awarded, bodo_admin):
    """Refusal: calling off outside the agreement period (awarded, not yet active)."""
    with pytest.raises(Conflict, match="active"):
        services.call_off(actor=bodo_admin, procurement_id=awarded.procurement.pk, volume=10)
    assert not CallOff.objects.exists()


def test_calling_off_after_the_agreement_period_is_refused(active, bodo_admin):
    """Refusal: calling off outside the agreement period (the end date has passed)."""
    today = timezone.localdate()
    Procurement.objects.filter(pk=active.procurement.pk).update(agreement_start=today - timedelta(days=400),
                                                               agreement_end=today - timedelta(days=1))
    with pytest.raises(Conflict):
        services.call_off(actor=bodo_admin, procurement_id=active.procurement.pk, volume=10)
    assert not Adoption.objects.exists()


def test_start_date_outside_the_period_is_a_field_error(active, bodo_admin):
    with pytest.raises(ValidationError) as error:
        services.call_off(actor=bodo_admin, procurement_id=active.procurement.pk, volume=10,
                          starts_on=active.procurement.agreement_end + timedelta(days=1))
    assert "starts_on" in error.value.message_dict


def test_only_an_organisation_admin_calls_off(active, bodo_member):
    with pytest.raises(PermissionRefused):
        services.call_off(actor=bodo_member, procurement_id=active.procurement.pk, volume=10)


def test_one_call_off_per_product_and_organisation(active, bodo_admin):
    services.call_off(actor=bodo_admin, procurement_id=active.procurement.pk, volume=10)
    with pytest.raises(Conflict):
        services.call_off(actor=bodo_admin, procurement_id=active.procurement.pk, volume=10)
    assert CallOff.objects.count() == 1


def test_a_losing_offer_cannot_be_called_off(active, bodo_admin):
    with pytest.raises(ValidationError) as error:
        services.call_off(actor=bodo_admin, procurement_id=active.procurement.pk, volume=10,
                          offer_id=active.second.pk)
    assert "offer_id" in error.value.message_dict


def test_the_listing_shows_felleskjopt_with_the_agreement_period(active, bodo_admin, outsider_admin):
    from django.test import Client

    from tests.conftest import login

    url = f"/butikken/produkt/{active.first.product_id}/"
    html = login(bodo_admin).get(url).content.decode()
    assert "Felleskjøpt" in html
    assert f"/butikken/felleskjop/{active.procurement.pk}/avtale/" in html
    anonymous = Client().get(url).content.decode()
    assert "Felleskjøpt" in anonymous
    assert active.procurement.agreement_end.strftime("%Y") in anonymous


def test_the_listing_s_agreement_section_says_who_leads_it_and_who_may_call_off(
    active, bodo_admin, outsider_admin
):
    """The "Felleskjøpt" section of the winning product's listing page (PRO-6, STO-2): the lead and the period
    for everyone; a participating municipality may call off, others read about the agreement; the losing
    offer's product has no such section."""
    from django.test import Client
    from django.utils import translation

    from marketplace.dates import long_date_text
    from tests.conftest import login

    procurement = active.procurement
    with translation.override("nb"):
        start, end = long_date_text(procurement.agreement_start), long_date_text(procurement.agreement_end)
    period = f"Under en felleskjøpsavtale ledet av {procurement.lead.name}, {start} – {end}."
    link = f'<a class="ds-link" href="/butikken/felleskjop/{procurement.pk}/avtale/">'
    url = f"/butikken/produkt/{active.first.product_id}/"
    participant = login(bodo_admin).get(url).content.decode()
    assert period in participant
    assert link + "Gjør avrop på avtalen" in participant
    for other in (login(outsider_admin), Client()):
        page = other.get(url).content.decode()
        assert period in page and link + "Om avtalen" in page
    loser = Client().get(f"/butikken/produkt/{active.second.product_id}/").content.decode()
    assert 'id="listing-procurement-title"' not in loser
