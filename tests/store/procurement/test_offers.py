"""PRO-4: during the competition qualified vendors submit one offer each, for one of their products that is
listed or in verification, with price per year and per volume, and documents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from marketplace.errors import Conflict, NotFound, PermissionRefused
from marketplace.models import AuditEvent, Notification
from store.models import Offer
from store.services import procurement as services
from verification.models import DeclarationVersion

from .factories import listed_product, offer, pass_deadline, product_in_state
from .uploads import pdf_upload

pytestmark = pytest.mark.django_db


def test_qualified_vendor_offers_a_listed_product(competition, seller, product):
    made = offer(seller, competition, product, per_year="150000", per_unit="19.90")
    assert made.status == "submitted" and made.vendor == seller.acting_organisation
    assert made.declaration_version == product.listing.version
    assert (made.price_per_year, made.price_per_unit) == (Decimal("150000.00"), Decimal("19.90"))


@pytest.mark.parametrize("state", ["in_verification", "verified", "submitted"])
def test_a_product_in_verification_may_be_offered(competition, seller, vendor, state):
    verifying = product_in_state(vendor, "Kartleggeren Neste", state)
    made = offer(seller, competition, verifying)
    assert made.declaration_version.status == state


@pytest.mark.parametrize("state", ["draft", "rejected", "withdrawn"])
def test_a_product_neither_listed_nor_in_verification_is_refused(competition, seller, vendor, state):
    other = product_in_state(vendor, "Kartleggeren Skisse", state)
    with pytest.raises(ValidationError) as error:
        offer(seller, competition, other)
    assert "product" in error.value.message_dict
    assert not Offer.objects.exists()


def test_another_vendors_product_is_refused(competition, seller, other_product):
    with pytest.raises(ValidationError) as error:
        offer(seller, competition, other_product)
    assert "product" in error.value.message_dict


def test_a_second_offer_from_the_same_vendor_is_refused(competition, seller, product, vendor):
    """Refusal: a second offer from the same vendor (409); one offer per vendor."""
    offer(seller, competition, product)
    second_product = listed_product(vendor, "Kartleggeren Egenrapport")
    with pytest.raises(Conflict, match="one offer"):
        offer(seller, competition, second_product)
    assert Offer.objects.count() == 1


def test_a_vendor_that_is_not_qualified_cannot_offer(competition, unqualified_seller):
    """Refusal: a vendor that is not qualified offering."""
    product = listed_product(unqualified_seller.acting_organisation, "Nykommer App")
    with pytest.raises(PermissionRefused, match="not qualified"):
        offer(unqualified_seller, competition, product)
    assert not Offer.objects.exists()


def test_an_expired_qualification_cannot_offer(competition, seller, product, vendor):
    from verification.models import Qualification

    Qualification.objects.filter(organisation=vendor).update(status=Qualification.Status.EXPIRED)
    with pytest.raises(PermissionRefused):
        offer(seller, competition, product)


def test_municipalities_do_not_offer(competition, bodo_admin, product):
    with pytest.raises(PermissionRefused):
        offer(bodo_admin, competition, product)


def test_offers_only_in_the_competition_before_the_deadline(dialogue, lead, bodo_admin, seller, product):
    with pytest.raises(Conflict, match="competition"):
        offer(seller, dialogue, product)
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=10)
    services.procurement_start_competition(actor=lead, procurement_id=dialogue.pk)
    pass_deadline(dialogue)
    with pytest.raises(Conflict, match="deadline"):
        offer(seller, dialogue, product)
    assert not Offer.objects.exists()


@pytest.mark.parametrize("field,kwargs", [
    ("price_per_year", {"per_year": "-1"}),
    ("price_per_unit", {"per_unit": "abc"}),
    ("description", {"text": "  "}),
])
def test_bad_offer_input_gives_field_errors(competition, seller, product, field, kwargs):
    with pytest.raises(ValidationError) as error:
        offer(seller, competition, product, **kwargs)
    assert field in error.value.message_dict


def test_vendor_changes_and_withdraws_before_the_deadline_then_offers_anew(competition, seller, product):
    made = offer(seller, competition, product)
    services.offer_update(actor=seller, offer_id=made.pk, price_per_year="140000", description="Bedre tilbud.")
    made.refresh_from_db()
    assert made.price_per_year == Decimal("140000.00") and made.description == "Bedre tilbud."
    services.offer_withdraw(actor=seller, offer_id=made.pk, reason="Feil produkt.")
    made.refresh_from_db()
    assert made.status == "withdrawn"
    again = offer(seller, competition, product)
    assert again.pk != made.pk


def test_after_the_deadline_the_offer_is_fixed(offers, seller):
    pass_deadline(offers.procurement)
    with pytest.raises(Conflict):
        services.offer_update(actor=seller, offer_id=offers.first.pk, price_per_year="1")
    with pytest.raises(Conflict):
        services.offer_withdraw(actor=seller, offer_id=offers.first.pk)
    with pytest.raises(Conflict):
        services.offer_document_add(actor=seller, offer_id=offers.first.pk, upload=pdf_upload())
    offers.first.refresh_from_db()
    assert offers.first.price_per_year == Decimal("150000.00")


def test_another_vendor_cannot_touch_an_offer(offers, other_seller, seller):
    with pytest.raises(NotFound):
        services.offer_update(actor=other_seller, offer_id=offers.first.pk, price_per_year="1")
    with pytest.raises(NotFound):
        services.offer_withdraw(actor=other_seller, offer_id=offers.first.pk)


def test_documents_attach_to_the_own_offer(offers, seller):
    document = services.offer_document_add(actor=seller, offer_id=offers.first.pk, upload=pdf_upload("pris.pdf"),
                                           title="Prisskjema")
    assert document.owner == offers.first


def test_the_receipt_goes_to_the_vendor_only_and_the_audit_trail_holds_no_content(
        competition, seller, product, lead, ks_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = offer(seller, competition, product, per_year="150000")
    receipt = Notification.objects.get(kind="store.procurement_offer")
    assert receipt.recipient == seller
    assert not Notification.objects.filter(recipient__in=[lead, ks_admin], kind="store.procurement_offer").exists()
    event = AuditEvent.objects.get(verb="offer.submitted")
    assert event.data == {} and "Kartleggeren Kognitiv" not in event.target_repr and "150000" not in str(event.data)
    assert str(made) == event.target_repr


def test_offer_points_to_the_listed_version_even_when_a_newer_one_is_in_verification(competition, seller, product):
    DeclarationVersion.objects.create(product=product, number=2, content={}, status="in_verification")
    made = offer(seller, competition, product)
    assert made.declaration_version.number == 1
