"""VER-5: submitting for listing, the administrators' review (approve, reject, request changes), listing a new
version only after its own approval, withdrawal — and the store's view of listings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import AuditEvent, Notification
from tests.marketplace.helpers import nb
from verification.models import DeclarationVersion, Listing, Qualification, VerificationRun
from verification.selectors import products as selectors
from verification.services import listing as listing_services
from verification.services import products as services

from .factories import (
    complete_declaration,
    draft_of,
    fill,
    freeze_and_run,
    listed_product,
    register_product,
    run_again,
)

pytestmark = pytest.mark.django_db
Status = DeclarationVersion.Status


@pytest.fixture
def submitted(vendor_admin, qualified_vendor, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    freeze_and_run(version, vendor_admin)
    return services.version_submit(actor=vendor_admin, version_id=version.pk)


def test_submitting_a_verified_version_asks_the_administrators(reviewer, submitted):
    assert submitted.status == Status.SUBMITTED and submitted.submitted_at is not None
    notification = Notification.objects.get(recipient=reviewer, kind="verification.listing_submitted")
    assert submitted.product.name in notification.title
    assert list(selectors.review_queue()) == [submitted]


def test_expired_vendor_cannot_submit(vendor_admin, qualified_vendor, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    freeze_and_run(version, vendor_admin)
    Qualification.objects.filter(organisation=qualified_vendor).update(status=Qualification.Status.EXPIRED)
    with pytest.raises(PermissionRefused):
        services.version_submit(actor=vendor_admin, version_id=version.pk)
    version.refresh_from_db()
    assert version.status == Status.VERIFIED


def test_submitting_a_version_whose_last_run_failed_is_refused(vendor_admin, qualified_vendor, sandbox):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints("stu3"))
    version = fill(draft_of(product), vendor_admin)
    assert freeze_and_run(version, vendor_admin).status == VerificationRun.Status.FAILED
    with pytest.raises(Conflict):
        services.version_submit(actor=vendor_admin, version_id=version.pk)
    version.refresh_from_db()
    assert version.status == Status.IN_VERIFICATION


def test_approval_lists_the_product_with_that_version(submitted, reviewer, vendor_admin):
    listing = listing_services.listing_approve(actor=reviewer, version_id=submitted.pk, reason="Ser bra ut.")
    submitted.refresh_from_db()
    assert submitted.status == Status.LISTED and submitted.decided_by == reviewer
    assert (listing.status, listing.version, listing.approved_by) == (Listing.Status.LISTED, submitted, reviewer)
    assert listing.last_run == VerificationRun.objects.get(version=submitted)
    assert list(selectors.listings_active()) == [listing]
    assert Notification.objects.filter(recipient=vendor_admin, kind="verification.listing_decided").exists()
    assert AuditEvent.objects.filter(verb="declarationversion.listed", target_id=str(submitted.pk), actor=reviewer).exists()


def test_deciding_twice_is_refused(submitted, reviewer):
    listing_services.listing_approve(actor=reviewer, version_id=submitted.pk)
    with pytest.raises(IllegalTransition):
        listing_services.listing_reject(actor=reviewer, version_id=submitted.pk, reason="For sent.")
    with pytest.raises(IllegalTransition):
        listing_services.listing_approve(actor=reviewer, version_id=submitted.pk)
    submitted.refresh_from_db()
    assert submitted.status == Status.LISTED


def test_approving_a_version_that_was_not_submitted_is_refused(vendor_admin, qualified_vendor, sandbox, reviewer):
    product = register_product(vendor_admin, qualified_vendor, endpoints=sandbox.endpoints())
    version = fill(draft_of(product), vendor_admin)
    freeze_and_run(version, vendor_admin)
    with pytest.raises(IllegalTransition) as refusal:
        listing_services.listing_approve(actor=reviewer, version_id=version.pk)
    assert refusal.value.message == nb(
        "Version %(number)s of %(product)s is “%(status)s”, not awaiting listing review: it has been decided already "
        "or was never submitted.", number=1, product=product.name, status=nb("Verified"))
    assert not Listing.objects.exists()
    version.refresh_from_db()
    assert version.status == Status.VERIFIED


def test_only_platform_administrators_decide(submitted, vendor_admin, other_vendor_admin, municipal_admin):
    with pytest.raises(PermissionRefused):
        listing_services.listing_approve(actor=vendor_admin, version_id=submitted.pk)
    with pytest.raises(NotFound):
        listing_services.listing_approve(actor=other_vendor_admin, version_id=submitted.pk)
    with pytest.raises(NotFound):
        listing_services.listing_approve(actor=municipal_admin, version_id=submitted.pk)
    assert not Listing.objects.exists()


@pytest.mark.parametrize("decide", [listing_services.listing_reject, listing_services.listing_request_changes])
def test_reject_and_request_changes_need_a_reason(submitted, reviewer, decide):
    with pytest.raises(ValidationError) as error:
        decide(actor=reviewer, version_id=submitted.pk, reason="  ")
    assert "reason" in error.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_rejection_is_final_for_the_version(submitted, reviewer, vendor_admin):
    listing_services.listing_reject(actor=reviewer, version_id=submitted.pk, reason="Dekker ikke behovet.")
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED and submitted.decision_reason == "Dekker ikke behovet."
    with pytest.raises(IllegalTransition):
        services.version_submit(actor=vendor_admin, version_id=submitted.pk)
    # The vendor may start over with a new version.
    assert services.version_create(actor=vendor_admin, product_id=submitted.product_id).number == 2


def test_changes_requested_then_verified_again_and_resubmitted(submitted, reviewer, vendor_admin):
    listing_services.listing_request_changes(actor=reviewer, version_id=submitted.pk, reason="Sandkassen var nede.")
    submitted.refresh_from_db()
    assert submitted.status == Status.CHANGES_REQUESTED
    assert run_again(submitted, vendor_admin).status == VerificationRun.Status.PASSED
    submitted.refresh_from_db()
    assert submitted.status == Status.VERIFIED
    services.version_submit(actor=vendor_admin, version_id=submitted.pk)
    listing_services.listing_approve(actor=reviewer, version_id=submitted.pk)


def test_approval_refused_while_the_vendor_is_not_qualified(submitted, reviewer, qualified_vendor):
    Qualification.objects.filter(organisation=qualified_vendor).update(status=Qualification.Status.REVOKED)
    with pytest.raises(Conflict):
        listing_services.listing_approve(actor=reviewer, version_id=submitted.pk)
    assert not Listing.objects.exists()


def test_a_new_version_is_listed_only_after_its_own_approval(vendor_admin, qualified_vendor, reviewer, sandbox):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    first = product.listing.version
    second = services.version_create(actor=vendor_admin, product_id=product.pk)
    content = complete_declaration()
    content["funksjon"]["description"] = "Ny og bedre beskrivelse."
    services.version_update(actor=vendor_admin, version_id=second.pk, content=content)
    freeze_and_run(second, vendor_admin)
    services.version_submit(actor=vendor_admin, version_id=second.pk)
    # The store still shows version 1, and the reviewer sees what changed.
    assert selectors.listing_active_for(product_id=product.pk).version == first
    second.refresh_from_db()
    listed, rows = selectors.changes_since_listed(second)
    assert listed == first
    changed = [row for row in rows if row["differs"]]
    assert [str(row["label"]) for row in changed] == [nb("What the solution does")]
    assert changed[0]["values"][1] == "Ny og bedre beskrivelse."

    listing_services.listing_approve(actor=reviewer, version_id=second.pk)
    listing = selectors.listing_active_for(product_id=product.pk)
    assert listing.version == second and listing.listed_at < listing.version_listed_at
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED


def test_withdrawal_by_the_vendor_admin_and_relisting(vendor_admin, vendor_member, qualified_vendor, reviewer, sandbox):
    product = listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints())
    listing = product.listing
    with pytest.raises(PermissionRefused):
        listing_services.listing_withdraw(actor=vendor_member, listing_id=listing.pk, reason="Nei.")
    with pytest.raises(ValidationError):
        listing_services.listing_withdraw(actor=vendor_admin, listing_id=listing.pk, reason="")
    listing_services.listing_withdraw(actor=vendor_admin, listing_id=listing.pk, reason="Produktet fases ut.")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.WITHDRAWN and listing.withdrawn_at is not None
    assert not selectors.listings_active().exists()
    assert listing.version.status == Status.WITHDRAWN
    assert Notification.objects.filter(recipient=reviewer, kind="verification.listing_withdrawn").exists()
    # A new, approved version lists it again.
    version = services.version_create(actor=vendor_admin, product_id=product.pk)
    freeze_and_run(version, vendor_admin)
    services.version_submit(actor=vendor_admin, version_id=version.pk)
    listing_services.listing_approve(actor=reviewer, version_id=version.pk)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LISTED and listing.version == version


def test_listings_active_costs_the_same_few_queries_for_any_number(vendor_admin, qualified_vendor, reviewer, sandbox,
                                                                   django_assert_max_num_queries):
    def read_all():
        return [(l.product.name, l.product.vendor.name, l.product.logo, [a.name for a in l.product.service_areas.all()],
                 list(l.product.needs.all()), l.version.number, l.last_run.uuid) for l in selectors.listings_active()]

    for n in range(2):
        listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints(), name=f"Produkt {n}")
    with django_assert_max_num_queries(3):
        assert len(read_all()) == 2
    for n in range(2, 10):
        listed_product(vendor_admin, qualified_vendor, reviewer, endpoints=sandbox.endpoints(), name=f"Produkt {n}")
    with django_assert_max_num_queries(3):
        assert len(read_all()) == 10
