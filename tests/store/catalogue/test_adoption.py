"""Ta i bruk (STO-5): a municipality's organisation admin requests, the vendor accepts or declines, an
accepted adoption is active from its start date and can be ended; every step audited and notified; the
usage count follows. Call-off under a joint-procurement agreement and adoptions registered by the operator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Notification, Role
from store.models import Adoption, StoreEntry
from store.services import catalogue as services
from tests.conftest import make_member
from tests.factories import OrganisationFactory

from .factories import listed, withdraw

pytestmark = pytest.mark.django_db
Status = Adoption.Status


def usage(product) -> int:
    return StoreEntry.objects.get(product=product).usage_count


def request(actor, product, **kwargs) -> Adoption:
    return services.adoption_request(
        actor=actor, organisation=actor.acting_organisation, product_id=product.pk, **kwargs
    )


def verbs(adoption) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(adoption.pk), target_type__model="adoption")
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


def test_request_accept_today_makes_it_active_counts_it_and_tells_everybody(
    admin, member, seller, seller_member, kognitiv
):
    adoption = request(admin, kognitiv, message="For hjemmetjenesten, 40 brukere.")
    assert adoption.status == Status.REQUESTED and adoption.version == kognitiv.listing.version
    assert Notification.objects.filter(recipient=seller, kind="store.adoption_requested").exists()
    assert not Notification.objects.filter(recipient=seller_member, kind="store.adoption_requested").exists()
    assert usage(kognitiv) == 0

    adoption = services.adoption_accept(
        actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate(), message="Velkommen!"
    )
    assert adoption.status == Status.ACTIVE and adoption.start_date == timezone.localdate()
    assert usage(kognitiv) == 1
    assert Notification.objects.filter(recipient=admin, kind="store.adoption_answered").exists()
    assert verbs(adoption) == ["adoption.requested", "adoption.accepted", "adoption.active"]
    started = AuditEvent.objects.get(verb="adoption.accepted", target_id=str(adoption.pk))
    assert started.actor == seller and started.organisation == seller.acting_organisation
    assert started.from_state == "requested" and started.to_state == "accepted"


def test_accepted_with_a_later_start_becomes_active_on_that_day(admin, seller, kognitiv):
    adoption = request(admin, kognitiv, wanted_start=timezone.localdate() + timedelta(days=14))
    later = timezone.localdate() + timedelta(days=14)
    adoption = services.adoption_accept(actor=seller, adoption_id=adoption.pk, start_date=later)
    assert adoption.status == Status.ACCEPTED and usage(kognitiv) == 0
    assert services.adoptions_activate_due() == 0  # not yet
    Adoption.objects.filter(pk=adoption.pk).update(start_date=timezone.localdate())  # the day comes
    assert services.adoptions_activate_due() == 1
    assert services.adoptions_activate_due() == 0  # idempotent
    adoption.refresh_from_db()
    assert adoption.status == Status.ACTIVE and usage(kognitiv) == 1
    assert AuditEvent.objects.filter(verb="adoption.active", target_id=str(adoption.pk), actor=None).exists()


def test_decline_needs_a_reason_and_tells_the_municipality(admin, seller, kognitiv):
    adoption = request(admin, kognitiv)
    with pytest.raises(ValidationError) as error:
        services.adoption_decline(actor=seller, adoption_id=adoption.pk, reason="  ")
    assert "reason" in error.value.message_dict
    adoption = services.adoption_decline(
        actor=seller, adoption_id=adoption.pk, reason="Vi støtter ikke deres EPJ ennå."
    )
    assert adoption.status == Status.DECLINED and adoption.decision_reason.startswith("Vi støtter")
    assert Notification.objects.filter(recipient=admin, kind="store.adoption_answered").exists()
    # Declined is closed: a new request may be made.
    assert request(admin, kognitiv).status == Status.REQUESTED


def test_withdraw_and_end(admin, seller, kognitiv, legemiddel, other_seller):
    first = request(admin, kognitiv)
    services.adoption_withdraw(actor=admin, adoption_id=first.pk, reason="Feil produkt.")
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN
    assert Notification.objects.filter(recipient=seller, kind="store.adoption_ended").exists()

    second = request(admin, kognitiv)
    services.adoption_accept(actor=seller, adoption_id=second.pk, start_date=timezone.localdate())
    assert usage(kognitiv) == 1
    with pytest.raises(ValidationError):
        services.adoption_end(actor=admin, adoption_id=second.pk, reason="")
    ended = services.adoption_end(actor=admin, adoption_id=second.pk, reason="Vi bytter løsning.")
    assert ended.status == Status.ENDED and ended.ended_on == timezone.localdate() and usage(kognitiv) == 0
    assert Notification.objects.filter(recipient=seller, kind="store.adoption_ended").count() == 2

    # The vendor may end too.
    third = request(admin, legemiddel)
    services.adoption_accept(actor=other_seller, adoption_id=third.pk, start_date=timezone.localdate())
    services.adoption_end(actor=other_seller, adoption_id=third.pk, reason="Avtalen er sagt opp.")
    assert Notification.objects.filter(recipient=admin, kind="store.adoption_ended").exists()


def test_a_county_may_take_products_into_use(county_admin, seller, kognitiv):
    adoption = request(county_admin, kognitiv)
    services.adoption_accept(actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate())
    assert usage(kognitiv) == 1


# Refusals -----------------------------------------------------------------------------------------------


def test_a_vendor_cannot_request_adoption(seller, other_seller, kognitiv):
    with pytest.raises(PermissionRefused, match="Bare kommuner og fylkeskommuner"):
        request(other_seller, kognitiv)
    assert not Adoption.objects.exists()


def test_an_ordinary_member_cannot_request_adoption(member, kognitiv):
    with pytest.raises(PermissionRefused, match="organisasjonsadministrator"):
        request(member, kognitiv)
    assert not Adoption.objects.exists()


def test_terms_not_accepted_refuses_the_request(municipality, terms, kognitiv):
    newcomer = make_member(municipality, Role.ADMIN, email="ny@ringsaker.example")
    with pytest.raises(TermsNotAccepted):
        request(newcomer, kognitiv)
    assert not Adoption.objects.exists()


def test_unlisted_and_withdrawn_products_cannot_be_adopted(admin, vendor, seller, kognitiv):
    from verification.models import Product

    draft = Product.objects.create(vendor=vendor, name="Uferdig", short_description="Ikke verifisert.")
    with pytest.raises(NotFound):
        request(admin, draft)
    withdraw(kognitiv)
    with pytest.raises(Conflict, match="trukket fra Butikken"):
        request(admin, kognitiv)
    assert not Adoption.objects.exists()


def test_a_second_open_adoption_of_the_same_product_is_refused(admin, seller, kognitiv):
    first = request(admin, kognitiv)
    with pytest.raises(Conflict, match="har allerede bedt om"):
        request(admin, kognitiv)
    services.adoption_accept(actor=seller, adoption_id=first.pk, start_date=timezone.localdate())
    with pytest.raises(Conflict, match="bruker allerede"):
        request(admin, kognitiv)
    assert Adoption.objects.filter(product=kognitiv).count() == 1


def test_a_vendor_cannot_answer_for_another_vendors_product(admin, kognitiv, other_seller):
    adoption = request(admin, kognitiv)
    with pytest.raises(NotFound):
        services.adoption_accept(actor=other_seller, adoption_id=adoption.pk, start_date=timezone.localdate())
    with pytest.raises(NotFound):
        services.adoption_decline(actor=other_seller, adoption_id=adoption.pk, reason="Nei.")
    adoption.refresh_from_db()
    assert adoption.status == Status.REQUESTED and adoption.decided_by is None


def test_the_municipality_cannot_answer_its_own_request_nor_a_vendor_member(
    admin, seller, seller_member, kognitiv
):
    adoption = request(admin, kognitiv)
    with pytest.raises(PermissionRefused):
        services.adoption_accept(actor=admin, adoption_id=adoption.pk, start_date=timezone.localdate())
    with pytest.raises(PermissionRefused):
        services.adoption_accept(
            actor=seller_member, adoption_id=adoption.pk, start_date=timezone.localdate()
        )
    adoption.refresh_from_db()
    assert adoption.status == Status.REQUESTED


def test_other_municipalities_see_nothing(admin, bodo_admin, seller, kognitiv):
    adoption = request(admin, kognitiv)
    for step in (
        lambda: services.adoption_withdraw(actor=bodo_admin, adoption_id=adoption.pk),
        lambda: services.adoption_end(actor=bodo_admin, adoption_id=adoption.pk, reason="x"),
    ):
        with pytest.raises(NotFound):
            step()
    adoption.refresh_from_db()
    assert adoption.status == Status.REQUESTED


def test_illegal_transitions_are_refused(admin, seller, kognitiv):
    adoption = request(admin, kognitiv)
    services.adoption_accept(actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate())
    with pytest.raises(IllegalTransition):
        services.adoption_accept(actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate())
    with pytest.raises(IllegalTransition):
        services.adoption_withdraw(actor=admin, adoption_id=adoption.pk)
    services.adoption_end(actor=admin, adoption_id=adoption.pk, reason="Slutt.")
    with pytest.raises(IllegalTransition):
        services.adoption_end(actor=admin, adoption_id=adoption.pk, reason="Igjen.")


def test_bad_dates_are_field_errors(admin, seller, kognitiv):
    with pytest.raises(ValidationError) as error:
        request(admin, kognitiv, wanted_start=timezone.localdate() - timedelta(days=1))
    assert "wanted_start" in error.value.message_dict
    adoption = request(admin, kognitiv)
    with pytest.raises(ValidationError) as error:
        services.adoption_accept(
            actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate() - timedelta(days=3)
        )
    assert "start_date" in error.value.message_dict
    adoption.refresh_from_db()
    assert adoption.status == Status.REQUESTED


def test_a_request_for_a_product_withdrawn_meanwhile_cannot_be_accepted(admin, seller, kognitiv):
    adoption = request(admin, kognitiv)
    withdraw(kognitiv)
    with pytest.raises(Conflict):
        services.adoption_accept(actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate())


# Call-off and registration ---------------------------------------------------------------------------------


def test_call_off_starts_without_the_vendors_answer(admin, seller, kognitiv):
    """PRO-6: a call-off under an active joint-procurement agreement creates an active adoption."""
    until = timezone.localdate() + timedelta(days=700)
    adoption = services.adoption_create_call_off(
        actor=admin,
        organisation=admin.acting_organisation,
        product_id=kognitiv.pk,
        agreement_label="Felleskjøp Kognitiv kartlegging",
        agreement_url="/butikken/felleskjop/1/",
        agreement_until=until,
    )
    assert adoption.status == Status.ACTIVE and adoption.source == Adoption.Source.CALL_OFF
    assert adoption.agreement_until == until and usage(kognitiv) == 1
    assert verbs(adoption) == ["adoption.called_off", "adoption.accepted", "adoption.active"]
    assert Notification.objects.filter(recipient=seller, kind="store.adoption_requested").exists()
    with pytest.raises(Conflict):
        services.adoption_create_call_off(
            actor=admin,
            organisation=admin.acting_organisation,
            product_id=kognitiv.pk,
            agreement_label="Igjen",
        )


def test_call_off_refusals(member, seller, kognitiv, admin):
    with pytest.raises(PermissionRefused):
        services.adoption_create_call_off(
            actor=member,
            organisation=member.acting_organisation,
            product_id=kognitiv.pk,
            agreement_label="Avtale",
        )
    with pytest.raises(ValidationError):
        services.adoption_create_call_off(
            actor=admin, organisation=admin.acting_organisation, product_id=kognitiv.pk, agreement_label=""
        )
    assert not Adoption.objects.exists()


def test_operator_registers_an_adoption_agreed_elsewhere(operator_admin, municipality, admin, kognitiv):
    start = timezone.localdate() - timedelta(days=400)
    adoption = services.adoption_register_existing(
        actor=operator_admin,
        organisation=municipality,
        product_id=kognitiv.pk,
        start_date=start,
        reason="Avtale inngått i 2023, før Markedsplassen.",
    )
    assert adoption.status == Status.ACTIVE and adoption.start_date == start and usage(kognitiv) == 1
    with pytest.raises(PermissionRefused):
        services.adoption_register_existing(
            actor=admin, organisation=municipality, product_id=kognitiv.pk, start_date=start, reason="x"
        )
    vendor_org = OrganisationFactory(kind="vendor")
    with pytest.raises(ValidationError):
        services.adoption_register_existing(
            actor=operator_admin,
            organisation=vendor_org,
            product_id=kognitiv.pk,
            start_date=start,
            reason="x",
        )


def test_usage_count_counts_only_active_adoptions(admin, bodo_admin, county_admin, seller, vendor, areas):
    product = listed(vendor, "Telleren")
    for actor in (admin, bodo_admin, county_admin):
        adoption = request(actor, product)
        services.adoption_accept(actor=seller, adoption_id=adoption.pk, start_date=timezone.localdate())
    assert usage(product) == 3
    last = Adoption.objects.get(organisation=county_admin.acting_organisation)
    services.adoption_end(actor=county_admin, adoption_id=last.pk, reason="Ferdig.")
    assert usage(product) == 2
