"""Collaboration (INN-4): asking to join, invitations, answers, leaving; interested vendors (INN-6)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from innovation import services
from innovation.models import Collaboration, Follow, InterestedVendor, Need, Stage
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Notification, Role
from tests.conftest import make_member
from tests.factories import OrganisationFactory

from .factories import advance, invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(need, owner):
    return advance(owner, need, Stage.PUBLISHED)


def test_inger_asks_to_join_and_the_owner_accepts(
    published, owner, inger, django_capture_on_commit_callbacks
):
    """INN-4: the request reaches the owner; on acceptance Ringsaker is in the core team and may edit."""
    with django_capture_on_commit_callbacks(execute=True):
        request = services.collaboration_request(
            actor=inger, need_id=published.pk, message="Ringsaker vil bidra."
        )
    assert request.status == Collaboration.Status.PENDING
    assert Notification.objects.filter(recipient=owner, kind="innovation.collaboration_requested").exists()
    assert not inger.has_perm("innovation.change_need", Need.objects.get(pk=published.pk))

    with django_capture_on_commit_callbacks(execute=True):
        services.collaboration_accept(actor=owner, collaboration_id=request.pk, reason="Velkommen!")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_reason) == ("accepted", owner, "Velkommen!")
    assert Follow.objects.filter(need=published, user=inger).exists()
    assert Notification.objects.filter(recipient=inger, kind="innovation.collaboration_decided").exists()
    assert inger.has_perm("innovation.change_need", Need.objects.get(pk=published.pk))
    assert AuditEvent.objects.filter(verb="collaboration.accepted", actor=owner).exists()


def test_joining_refused_when_the_organisation_has_not_accepted_the_terms(published, terms_all):
    """TRM-3: an organisation without accepted terms cannot ask to join; nothing is stored."""
    organisation = OrganisationFactory(name="Vinje kommune")
    user = make_member(organisation, Role.ADMIN)
    with pytest.raises(TermsNotAccepted):
        services.collaboration_request(actor=user, need_id=published.pk)
    assert not Collaboration.objects.exists()


def test_asking_twice_is_refused(published, inger):
    services.collaboration_request(actor=inger, need_id=published.pk)
    with pytest.raises(Conflict):
        services.collaboration_request(actor=inger, need_id=published.pk)
    assert Collaboration.objects.count() == 1


def test_asking_to_join_an_idea_one_cannot_see_is_not_found(need, inger):
    with pytest.raises(NotFound):
        services.collaboration_request(actor=inger, need_id=need.pk)
    assert not Collaboration.objects.exists()


def test_vendors_register_interest_instead_of_joining(published, vendor_user):
    with pytest.raises(PermissionRefused) as refused:
        services.collaboration_request(actor=vendor_user, need_id=published.pk)
    assert "interesse" in str(refused.value)  # "register interest instead", in Norwegian
    assert not Collaboration.objects.exists()


def test_answering_a_request_for_someone_elses_need_is_refused(published, inger, bodo):
    """INN-4: only the owner answers; Bodø cannot accept Ringsaker's request to Innlandet's need."""
    request = services.collaboration_request(actor=inger, need_id=published.pk)
    with pytest.raises(NotFound):
        services.collaboration_accept(actor=bodo, collaboration_id=request.pk)
    request.refresh_from_db()
    assert request.status == Collaboration.Status.PENDING


def test_the_asker_cannot_accept_its_own_request(published, inger):
    request = services.collaboration_request(actor=inger, need_id=published.pk)
    with pytest.raises(PermissionRefused):
        services.collaboration_accept(actor=inger, collaboration_id=request.pk)
    request.refresh_from_db()
    assert request.status == Collaboration.Status.PENDING


def test_a_decided_request_cannot_be_answered_again(published, owner, inger):
    request = services.collaboration_request(actor=inger, need_id=published.pk)
    services.collaboration_decline(actor=owner, collaboration_id=request.pk, reason="Ikke nå.")
    with pytest.raises(IllegalTransition):
        services.collaboration_accept(actor=owner, collaboration_id=request.pk)
    request.refresh_from_db()
    assert request.status == Collaboration.Status.DECLINED


def test_declined_requester_is_told_and_can_ask_again(
    published, owner, inger, django_capture_on_commit_callbacks
):
    request = services.collaboration_request(actor=inger, need_id=published.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.collaboration_decline(actor=owner, collaboration_id=request.pk, reason="Ikke nå.")
    assert Notification.objects.filter(recipient=inger, kind="innovation.collaboration_decided").exists()
    again = services.collaboration_request(actor=inger, need_id=published.pk)
    assert again.pk != request.pk


def test_the_asker_withdraws_and_the_owner_cannot(published, owner, inger):
    request = services.collaboration_request(actor=inger, need_id=published.pk)
    with pytest.raises(PermissionRefused):
        services.collaboration_withdraw(actor=owner, collaboration_id=request.pk)
    services.collaboration_withdraw(actor=inger, collaboration_id=request.pk)
    request.refresh_from_db()
    assert request.status == Collaboration.Status.WITHDRAWN


def test_invited_organisation_sees_the_idea_and_answers(
    need, owner, bodo, django_capture_on_commit_callbacks
):
    """INN-4: the owner asks Bodø to collaborate on an idea; Bodø may read it, and accepts."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.collaboration_invite(
            actor=owner, need_id=need.pk, organisation_id=bodo.acting_organisation.pk, message="Bli med?"
        )
    assert Notification.objects.filter(recipient=bodo, kind="innovation.collaboration_requested").exists()
    assert bodo.has_perm("innovation.view_need", Need.objects.get(pk=need.pk))
    with pytest.raises(PermissionRefused):
        services.collaboration_accept(actor=owner, collaboration_id=invitation.pk)
    services.collaboration_accept(actor=bodo, collaboration_id=invitation.pk)
    assert bodo.has_perm("innovation.change_need", Need.objects.get(pk=need.pk))


def test_invitations_are_for_the_owner_and_not_for_vendors(need, owner, bodo, vendor, vendor_user):
    with pytest.raises(ValidationError):
        services.collaboration_invite(actor=owner, need_id=need.pk, organisation_id=vendor.pk)
    invite(need, owner=owner, invitee=bodo)
    with pytest.raises(PermissionRefused):
        services.collaboration_invite(actor=bodo, need_id=need.pk, organisation_id=vendor.pk)
    assert Collaboration.objects.filter(organisation=vendor).count() == 0


def test_a_collaborator_leaves_and_loses_the_right_to_edit(need, owner, bodo):
    collaboration = invite(need, owner=owner, invitee=bodo)
    services.collaboration_end(actor=bodo, collaboration_id=collaboration.pk, reason="Andre prioriteringer.")
    collaboration.refresh_from_db()
    assert collaboration.status == Collaboration.Status.ENDED
    with pytest.raises(NotFound):
        services.need_update(actor=bodo, need_id=need.pk, title="Ny")


def test_vendor_registers_interest_in_a_published_need(
    published, owner, vendor_user, django_capture_on_commit_callbacks
):
    """INN-6: any vendor that has accepted the terms may register interest; the owner is told."""
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_register(actor=vendor_user, need_id=published.pk, note="Vi har et produkt.")
    assert InterestedVendor.objects.filter(
        need=published, organisation=vendor_user.acting_organisation
    ).exists()
    assert Notification.objects.filter(recipient=owner, kind="innovation.vendor_interest").exists()
    with pytest.raises(Conflict):
        services.interest_register(actor=vendor_user, need_id=published.pk)
    services.interest_withdraw(actor=vendor_user, need_id=published.pk)
    assert not InterestedVendor.objects.exists()


def test_interest_refused_for_non_vendors_unpublished_needs_and_without_terms(
    need, owner, inger, vendor, terms_all, terms_vendors
):
    advance(owner, need, Stage.EVALUATION_CRITERIA)
    with pytest.raises(NotFound):  # the vendor cannot even see the unpublished need
        services.interest_register(actor=make_member(vendor, Role.MEMBER), need_id=need.pk)
    advance(owner, need, Stage.PUBLISHED)
    with pytest.raises(PermissionRefused):
        services.interest_register(actor=inger, need_id=need.pk)
    with pytest.raises(TermsNotAccepted):
        services.interest_register(actor=make_member(vendor, Role.ADMIN), need_id=need.pk)
    assert not InterestedVendor.objects.exists()


def test_owner_cannot_ask_to_join_its_own_need(published, owner):
    with pytest.raises(Conflict):
        services.collaboration_request(actor=owner, need_id=published.pk)


def test_outsiders_cannot_touch_a_request_between_two_others(published, inger, bodo):
    request = services.collaboration_request(actor=inger, need_id=published.pk)
    with pytest.raises(NotFound):
        services.collaboration_withdraw(actor=bodo, collaboration_id=request.pk)
    request.refresh_from_db()
    assert request.status == Collaboration.Status.PENDING
