"""ORG-1 … ORG-4: organisations, memberships, invitations by e-mail and the acting organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.acting import SESSION_KEY
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import AuditEvent, Invitation, Membership, Notification, Organisation, Role
from marketplace.notifications import INVITATION_ACCEPTED, MEMBERSHIP_CHANGED
from marketplace.services.organisations import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    invitations_expire,
    membership_add,
    membership_remove,
    membership_set_role,
    organisation_create,
    organisation_update,
)

from ..conftest import login, make_member
from ..factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory
from .helpers import nb, page, shows

pytestmark = pytest.mark.django_db

NEW_ORG = {
    "name": "Vinje kommune",
    "kind": Organisation.Kind.MUNICIPALITY,
    "org_number": "958935420",
    "municipality_number": "4036",
    "inhabitants": 3700,
    "website": "https://www.vinje.kommune.no",
    "description": "Kommune i Telemark.",
}


def organisation_snapshot():
    return sorted(Organisation.objects.values_list("slug", "name", "org_number", "municipality_number"))


# Registering organisations (ORG-1) ----------------------------------------------------------------


def test_platform_admin_registers_a_municipality_ORG_1(platform_admin):
    organisation = organisation_create(actor=platform_admin, **NEW_ORG)

    organisation.refresh_from_db()
    assert organisation.slug == "vinje-kommune"
    assert organisation.kind == Organisation.Kind.MUNICIPALITY
    assert organisation.county == "Telemark"
    event = AuditEvent.objects.get(verb="organisation.created")
    assert event.actor == platform_admin
    assert event.target == organisation


def test_org_number_with_spaces_is_stored_normalised_ORG_1(platform_admin):
    organisation = organisation_create(actor=platform_admin, **{**NEW_ORG, "org_number": "958 935 420"})
    assert Organisation.objects.get(pk=organisation.pk).org_number == "958935420"


def test_two_organisations_with_the_same_name_get_different_slugs_ORG_1(platform_admin):
    first = organisation_create(actor=platform_admin, **{**NEW_ORG, "kind": "vendor", "municipality_number": ""})
    second = organisation_create(
        actor=platform_admin, **{**NEW_ORG, "kind": "vendor", "municipality_number": "", "org_number": "974760673"}
    )
    assert first.slug == "vinje-kommune"
    assert second.slug == "vinje-kommune-2"


def test_non_municipality_loses_a_kommunenummer_given_by_mistake_ORG_1(platform_admin):
    organisation = organisation_create(actor=platform_admin, **{**NEW_ORG, "kind": Organisation.Kind.VENDOR})
    assert organisation.municipality_number == ""


@pytest.mark.parametrize("who", ["municipal_admin", "vendor_admin", "municipal_member"])
def test_registering_an_organisation_is_refused_for_others_than_platform_admins_ORG_1(who, request):
    actor = request.getfixturevalue(who)
    before = organisation_snapshot()
    with pytest.raises(PermissionRefused):
        organisation_create(actor=actor, **NEW_ORG)
    assert organisation_snapshot() == before
    assert not AuditEvent.objects.filter(verb="organisation.created").exists()


def test_invalid_org_number_is_a_field_error_ORG_1(platform_admin):
    before = organisation_snapshot()
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=platform_admin, **{**NEW_ORG, "org_number": "958935421"})
    assert "org_number" in exc.value.message_dict
    assert organisation_snapshot() == before


def test_municipality_without_kommunenummer_is_a_field_error_ORG_1(platform_admin):
    before = organisation_snapshot()
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=platform_admin, **{**NEW_ORG, "municipality_number": ""})
    assert nb("A municipality must have its kommunenummer.") in exc.value.message_dict["municipality_number"]
    assert organisation_snapshot() == before


def test_invalid_kommunenummer_is_a_field_error_ORG_1(platform_admin):
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=platform_admin, **{**NEW_ORG, "municipality_number": "9936"})
    assert "municipality_number" in exc.value.message_dict
    assert not Organisation.objects.filter(name="Vinje kommune").exists()


def test_duplicate_org_number_is_a_field_error_ORG_1(platform_admin, municipality):
    before = organisation_snapshot()
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=platform_admin, **{**NEW_ORG, "org_number": municipality.org_number})
    assert "org_number" in exc.value.message_dict
    assert organisation_snapshot() == before


def test_duplicate_kommunenummer_is_a_field_error_ORG_1(platform_admin, municipality):
    before = organisation_snapshot()
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=platform_admin, **{**NEW_ORG, "municipality_number": municipality.municipality_number})
    assert exc.value.message_dict == {"municipality_number": [nb(
        "%(organisation)s already has kommunenummer %(number)s.", organisation=municipality.name, number="3411")]}
    assert organisation_snapshot() == before


def test_register_screen_shows_duplicate_kommunenummer_at_the_field_ORG_1(platform_admin, municipality):
    response = login(platform_admin).post(reverse("marketplace:organisation_create"), {**NEW_ORG, "municipality_number": "3411"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"municipality_number": [nb(
        "%(organisation)s already has kommunenummer %(number)s.", organisation=municipality.name, number="3411")]}
    assert not Organisation.objects.filter(name="Vinje kommune").exists()


def test_register_screen_creates_the_organisation_ORG_1(platform_admin):
    client = login(platform_admin)
    assert client.get(reverse("marketplace:organisation_create")).status_code == 200
    response = client.post(reverse("marketplace:organisation_create"), NEW_ORG, follow=True)
    organisation = Organisation.objects.get(org_number="958935420")
    assert response.redirect_chain[-1][0] == organisation.get_absolute_url()
    assert shows(response, nb("%(organisation)s is registered. Invite its first organisation admin.",
                              organisation="Vinje kommune"))


def test_register_screen_shows_invalid_org_number_at_the_field_ORG_1(platform_admin):
    client = login(platform_admin)
    before = organisation_snapshot()
    response = client.post(reverse("marketplace:organisation_create"), {**NEW_ORG, "org_number": "958935421"})
    assert response.status_code == 200
    assert response.context["form"].errors["org_number"]
    assert list(response.context["form"].errors) == ["org_number"]
    assert 'id="id_org_number-error"' in page(response)
    assert 'aria-invalid="true"' in page(response)
    assert organisation_snapshot() == before


def test_register_screen_shows_missing_kommunenummer_at_the_field_ORG_1(platform_admin):
    client = login(platform_admin)
    response = client.post(reverse("marketplace:organisation_create"), {**NEW_ORG, "municipality_number": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"municipality_number": [nb("A municipality must have its kommunenummer.")]}
    assert shows(response, nb("A municipality must have its kommunenummer."))
    assert "organisation_municipality_has_number" not in page(response)  # no technical constraint message
    assert not Organisation.objects.filter(name="Vinje kommune").exists()


def test_register_screen_shows_duplicate_org_number_at_the_field_ORG_1(platform_admin, municipality):
    client = login(platform_admin)
    before = organisation_snapshot()
    response = client.post(reverse("marketplace:organisation_create"), {**NEW_ORG, "org_number": municipality.org_number})
    assert response.status_code == 200
    assert response.context["form"].errors["org_number"]
    assert organisation_snapshot() == before


def test_register_screen_is_hidden_from_org_admins_ORG_1(municipal_admin):
    client = login(municipal_admin)
    assert client.get(reverse("marketplace:organisation_create")).status_code == 404
    assert client.post(reverse("marketplace:organisation_create"), NEW_ORG).status_code == 404
    assert not Organisation.objects.filter(org_number="958935420").exists()


def test_organisations_are_public_ORG_1(client, municipality, vendor):
    response = client.get(reverse("marketplace:organisations"), {"kind": "vendor"})
    assert response.status_code == 200
    assert shows(response, vendor.name)
    assert not shows(response, municipality.name)
    response = client.get(municipality.get_absolute_url())
    assert response.status_code == 200
    assert municipality.org_number in page(response)
    assert municipality.county in page(response)


def test_org_admin_edits_the_organisation_ORG_2(municipal_admin, municipality):
    organisation_update(actor=municipal_admin, organisation_id=municipality.pk, inhabitants=35000)
    municipality.refresh_from_db()
    assert municipality.inhabitants == 35000
    assert AuditEvent.objects.filter(verb="organisation.updated", target_id=str(municipality.pk)).exists()


def test_editing_another_organisation_is_refused_ORG_2(municipal_admin, other_municipality):
    with pytest.raises(PermissionRefused):
        organisation_update(actor=municipal_admin, organisation_id=other_municipality.pk, name="Kapret")
    other_municipality.refresh_from_db()
    assert other_municipality.name == "Bodø kommune"


def test_member_cannot_edit_the_organisation_screen_ORG_2(municipal_member, municipality):
    client = login(municipal_member)
    assert client.get(reverse("marketplace:organisation_edit")).status_code == 404
    response = client.post(reverse("marketplace:organisation_edit"), {"name": "Kapret", "org_number": municipality.org_number})
    assert response.status_code == 404
    municipality.refresh_from_db()
    assert municipality.name == "Ringsaker kommune"


# Invitations (ORG-3) ----------------------------------------------------------------------------------


def test_org_admin_invites_by_email_with_a_link_ORG_3(municipal_admin, municipality, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(actor=municipal_admin, organisation=municipality, email=" Ny.Person@Example.no ",
                                       role=Role.ADMIN)
    assert invitation.email == "ny.person@example.no"
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at > timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS - 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.person@example.no"]
    assert "Ringsaker kommune" in message.subject
    assert f"{settings.SITE_URL}{reverse('marketplace:invitation_accept', args=[invitation.token])}" in message.body
    assert AuditEvent.objects.filter(verb="invitation.created", target_id=str(invitation.pk)).exists()


def test_no_email_is_sent_when_the_transaction_rolls_back_ORG_3(municipal_admin, municipality,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation_create(actor=municipal_admin, organisation=municipality, email="ny@example.no")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_member_cannot_invite_ORG_3(municipal_member, municipality):
    with pytest.raises(PermissionRefused):
        invitation_create(actor=municipal_member, organisation=municipality, email="ny@example.no")
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_admin_cannot_invite_to_another_organisation_ORG_3(municipal_admin, other_municipality):
    with pytest.raises(PermissionRefused):
        invitation_create(actor=municipal_admin, organisation=other_municipality, email="ny@example.no")
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_a_conflict_ORG_3(municipal_admin, municipal_member, municipality):
    with pytest.raises(Conflict) as exc:
        invitation_create(actor=municipal_admin, organisation=municipality, email=municipal_member.email.upper())
    assert exc.value.field == "email"
    assert not Invitation.objects.exists()


def test_inviting_twice_while_pending_is_a_conflict_ORG_3(municipal_admin, municipality):
    invitation_create(actor=municipal_admin, organisation=municipality, email="ny@example.no")
    with pytest.raises(Conflict):
        invitation_create(actor=municipal_admin, organisation=municipality, email="NY@example.no")
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("email", ["not-an-address", ""])
def test_invalid_email_is_a_field_error_ORG_3(municipal_admin, municipality, email):
    with pytest.raises(ValidationError) as exc:
        invitation_create(actor=municipal_admin, organisation=municipality, email=email)
    assert "email" in exc.value.message_dict
    assert not Invitation.objects.exists()


def test_unknown_role_is_a_field_error_ORG_3(municipal_admin, municipality):
    with pytest.raises(ValidationError) as exc:
        invitation_create(actor=municipal_admin, organisation=municipality, email="ny@example.no", role="owner")
    assert "role" in exc.value.message_dict
    assert not Invitation.objects.exists()


def test_accepting_with_the_verified_invited_email_creates_the_membership_ORG_3(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no", role=Role.ADMIN,
                                   invited_by=municipal_admin)
    person = UserFactory(email="ny@example.no")

    membership = invitation_accept(actor=person, token=invitation.token)

    assert membership.organisation == municipality
    assert membership.role == Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == person
    assert invitation.decided_at is not None
    assert AuditEvent.objects.filter(verb="invitation.accepted", from_state="pending", to_state="accepted").exists()
    assert AuditEvent.objects.filter(verb="membership.created", target_id=str(membership.pk)).exists()
    # The organisation's admins hear about it, the new member does not.
    assert Notification.objects.filter(recipient=municipal_admin, kind=INVITATION_ACCEPTED.code).count() == 1
    assert not Notification.objects.filter(recipient=person).exists()


def test_accepting_with_a_verified_secondary_address_works_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="jobb@example.no")
    person = UserFactory(email="privat@example.no")
    EmailAddress.objects.create(user=person, email="Jobb@example.no", verified=True, primary=False)
    invitation_accept(actor=person, token=invitation.token)
    assert Membership.objects.filter(user=person, organisation=municipality).exists()


def assert_nothing_changed(invitation, status, person):
    invitation.refresh_from_db()
    assert invitation.status == status
    assert invitation.accepted_by is None
    assert not Membership.objects.filter(user=person).exists()


def test_expired_invitation_is_refused_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no",
                                   expires_at=timezone.now() - timedelta(minutes=1))
    person = UserFactory(email="ny@example.no")
    with pytest.raises(IllegalTransition) as exc:
        invitation_accept(actor=person, token=invitation.token)
    assert exc.value.message == nb("This invitation has expired. Ask the organisation for a new one.")
    assert_nothing_changed(invitation, Invitation.Status.PENDING, person)


def test_invitation_marked_expired_is_refused_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no", status=Invitation.Status.EXPIRED)
    person = UserFactory(email="ny@example.no")
    with pytest.raises(IllegalTransition):
        invitation_accept(actor=person, token=invitation.token)
    assert_nothing_changed(invitation, Invitation.Status.EXPIRED, person)


def test_used_invitation_cannot_be_used_again_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    person = UserFactory(email="ny@example.no")
    invitation_accept(actor=person, token=invitation.token)
    other = UserFactory(email="ny2@example.no")
    with pytest.raises(IllegalTransition) as exc:
        invitation_accept(actor=other, token=invitation.token)
    assert exc.value.message == nb("This invitation has already been used.")
    assert not Membership.objects.filter(user=other).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == person


def test_revoked_invitation_is_refused_ORG_3(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    invitation_revoke(actor=municipal_admin, invitation_id=invitation.pk)
    person = UserFactory(email="ny@example.no")
    with pytest.raises(IllegalTransition) as exc:
        invitation_accept(actor=person, token=invitation.token)
    assert exc.value.message == nb("This invitation has been withdrawn by the organisation.")
    assert_nothing_changed(invitation, Invitation.Status.REVOKED, person)


def test_invitation_for_another_email_is_refused_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    person = UserFactory(email="noen.andre@example.no")
    with pytest.raises(PermissionRefused) as exc:
        invitation_accept(actor=person, token=invitation.token)
    assert "ny@example.no" in exc.value.message
    assert_nothing_changed(invitation, Invitation.Status.PENDING, person)


def test_invitation_with_unverified_email_is_refused_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    person = UserFactory(email="ny@example.no")
    EmailAddress.objects.filter(user=person).update(verified=False)
    with pytest.raises(PermissionRefused):
        invitation_accept(actor=person, token=invitation.token)
    assert_nothing_changed(invitation, Invitation.Status.PENDING, person)


def test_unknown_token_is_not_found_ORG_3(client):
    person = UserFactory()
    with pytest.raises(NotFound):
        invitation_accept(actor=person, token="no-such-token")
    assert client.get(reverse("marketplace:invitation_accept", args=["no-such-token"])).status_code == 404


def test_accepting_when_already_a_member_is_a_conflict_ORG_3(municipality, municipal_member):
    invitation = InvitationFactory(organisation=municipality, email=municipal_member.email, role=Role.ADMIN)
    with pytest.raises(Conflict):
        invitation_accept(actor=municipal_member, token=invitation.token)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert Membership.objects.get(user=municipal_member, organisation=municipality).role == Role.MEMBER


def test_invitation_screen_accepts_and_acts_for_the_new_organisation_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    person = UserFactory(email="ny@example.no")
    client = login(person)
    response = client.get(reverse("marketplace:invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert shows(response, municipality.name)

    response = client.post(reverse("marketplace:invitation_accept", args=[invitation.token]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("marketplace:start")
    assert shows(response, nb("Welcome to %(organisation)s.", organisation=municipality.name))
    assert client.session[SESSION_KEY] == municipality.pk
    assert Membership.objects.filter(user=person, organisation=municipality, role=Role.MEMBER).exists()


def test_invitation_screen_shows_the_refusal_for_another_email_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    person = UserFactory(email="feil@example.no")
    client = login(person)
    response = client.post(reverse("marketplace:invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert shows(response, nb(
        "This invitation was sent to %(email)s. Log in with that verified e-mail address to accept it.",
        email="ny@example.no"))
    assert_nothing_changed(invitation, Invitation.Status.PENDING, person)


def test_invitation_screen_says_when_the_invitation_is_used_ORG_3(municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no", status=Invitation.Status.ACCEPTED)
    response = login(UserFactory(email="ny@example.no")).get(reverse("marketplace:invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert shows(response, nb("This invitation has already been used."))
    assert not shows(response, nb("Join %(organisation)s", organisation=municipality.name))


def test_anonymous_visitor_is_asked_to_log_in_with_the_invited_address_ORG_3(client, municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    response = client.get(reverse("marketplace:invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert reverse("account_signup") in page(response)
    response = client.post(reverse("marketplace:invitation_accept", args=[invitation.token]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_admin_revokes_an_invitation_on_screen_ORG_3(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    response = login(municipal_admin).post(reverse("marketplace:invitation_revoke", args=[invitation.pk]), follow=True)
    assert shows(response, nb("The invitation is withdrawn."))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert AuditEvent.objects.filter(verb="invitation.revoked", actor=municipal_admin).exists()


def test_revoking_another_organisations_invitation_is_not_found_ORG_3(municipal_admin, other_municipality):
    invitation = InvitationFactory(organisation=other_municipality, email="ny@example.no")
    with pytest.raises(NotFound):
        invitation_revoke(actor=municipal_admin, invitation_id=invitation.pk)
    response = login(municipal_admin).post(reverse("marketplace:invitation_revoke", args=[invitation.pk]), follow=True)
    assert shows(response, nb("Invitation not found."))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_revoking_twice_is_an_illegal_transition_ORG_3(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    invitation_revoke(actor=municipal_admin, invitation_id=invitation.pk)
    with pytest.raises(IllegalTransition):
        invitation_revoke(actor=municipal_admin, invitation_id=invitation.pk)


def test_invitations_expire_is_idempotent_ORG_3(municipality):
    past = timezone.now() - timedelta(hours=1)
    old = [InvitationFactory(organisation=municipality, expires_at=past) for _ in range(2)]
    fresh = InvitationFactory(organisation=municipality)
    used = InvitationFactory(organisation=municipality, expires_at=past, status=Invitation.Status.ACCEPTED)

    assert invitations_expire() == 2
    assert invitations_expire() == 0

    for invitation in old:
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.EXPIRED
        assert invitation.decided_at is not None
    fresh.refresh_from_db()
    used.refresh_from_db()
    assert fresh.status == Invitation.Status.PENDING
    assert used.status == Invitation.Status.ACCEPTED
    assert AuditEvent.objects.filter(verb="invitation.expired").count() == 2


# Memberships (ORG-2) ---------------------------------------------------------------------------------


def test_admin_makes_a_member_admin_and_they_are_told_ORG_2(municipal_admin, municipal_member):
    membership = municipal_member.acting_membership
    membership_set_role(actor=municipal_admin, membership_id=membership.pk, role=Role.ADMIN)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    event = AuditEvent.objects.get(verb="membership.role_changed")
    assert (event.from_state, event.to_state, event.actor) == ("member", "admin", municipal_admin)
    assert Notification.objects.filter(recipient=municipal_member, kind=MEMBERSHIP_CHANGED.code).count() == 1


def test_the_last_admin_cannot_step_down_ORG_2(municipal_admin):
    membership = municipal_admin.acting_membership
    with pytest.raises(Conflict) as exc:
        membership_set_role(actor=municipal_admin, membership_id=membership.pk, role=Role.MEMBER)
    assert exc.value.message == nb("An organisation must keep at least one organisation admin.")
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_may_step_down_when_another_admin_remains_ORG_2(municipal_admin, municipality):
    make_member(municipality, Role.ADMIN)
    membership_set_role(actor=municipal_admin, membership_id=municipal_admin.acting_membership.pk, role=Role.MEMBER)
    assert Membership.objects.get(pk=municipal_admin.acting_membership.pk).role == Role.MEMBER


def test_member_cannot_change_roles_ORG_2(municipal_admin, municipal_member):
    membership = municipal_member.acting_membership
    with pytest.raises(NotFound):
        membership_set_role(actor=municipal_member, membership_id=membership.pk, role=Role.ADMIN)
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_unknown_role_is_refused_ORG_2(municipal_admin, municipal_member):
    with pytest.raises(ValidationError):
        membership_set_role(actor=municipal_admin, membership_id=municipal_member.acting_membership.pk, role="owner")
    assert Membership.objects.get(pk=municipal_member.acting_membership.pk).role == Role.MEMBER


def test_another_organisations_membership_is_not_found_and_unchanged_ORG_2(municipal_admin, other_municipality):
    other = make_member(other_municipality, Role.MEMBER)
    membership = other.acting_membership
    with pytest.raises(NotFound) as exc:
        membership_set_role(actor=municipal_admin, membership_id=membership.pk, role=Role.ADMIN)
    assert exc.value.status_code == 404
    with pytest.raises(NotFound):
        membership_remove(actor=municipal_admin, membership_id=membership.pk)
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_another_organisations_membership_on_screen_is_refused_and_unchanged_ORG_2(municipal_admin, other_municipality):
    other = make_member(other_municipality, Role.MEMBER)
    membership = other.acting_membership
    client = login(municipal_admin)
    response = client.post(reverse("marketplace:membership_role", args=[membership.pk]), {"role": "admin"}, follow=True)
    assert shows(response, nb("Membership not found."))
    response = client.post(reverse("marketplace:membership_remove", args=[membership.pk]), follow=True)
    assert shows(response, nb("Membership not found."))
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
    assert not AuditEvent.objects.filter(verb__startswith="membership.").exists()


def test_admin_removes_a_member_on_screen_ORG_2(municipal_admin, municipal_member):
    membership_id = municipal_member.acting_membership.pk
    response = login(municipal_admin).post(reverse("marketplace:membership_remove", args=[membership_id]), follow=True)
    assert shows(response, nb("The membership is removed."))
    assert not Membership.objects.filter(pk=membership_id).exists()
    assert AuditEvent.objects.filter(verb="membership.removed", from_state="member").exists()


def test_role_change_on_screen_ORG_2(municipal_admin, municipal_member):
    membership_id = municipal_member.acting_membership.pk
    response = login(municipal_admin).post(reverse("marketplace:membership_role", args=[membership_id]), {"role": "admin"},
                                           follow=True)
    assert shows(response, nb("The role is changed."))
    assert Membership.objects.get(pk=membership_id).role == Role.ADMIN


def test_last_admin_cannot_be_removed_on_screen_ORG_2(municipal_admin):
    membership_id = municipal_admin.acting_membership.pk
    client = login(municipal_admin)
    response = client.post(reverse("marketplace:membership_role", args=[membership_id]), {"role": "member"}, follow=True)
    assert shows(response, nb("An organisation must keep at least one organisation admin."))
    response = client.post(reverse("marketplace:membership_remove", args=[membership_id]), follow=True)
    assert shows(response, nb("An organisation must keep at least one organisation admin."))
    assert Membership.objects.get(pk=membership_id).role == Role.ADMIN


def test_a_member_may_leave_ORG_2(municipal_admin, municipal_member):
    membership_remove(actor=municipal_member, membership_id=municipal_member.acting_membership.pk)
    assert not Membership.objects.filter(user=municipal_member).exists()


def test_platform_admin_adds_a_member_directly_and_duplicates_conflict_ORG_2(platform_admin, municipality):
    person = UserFactory()
    membership_add(actor=platform_admin, organisation=municipality, user=person, role=Role.ADMIN)
    with pytest.raises(Conflict):
        membership_add(actor=platform_admin, organisation=municipality, user=person, role=Role.MEMBER)
    assert list(Membership.objects.filter(user=person).values_list("role", flat=True)) == [Role.ADMIN]


def test_org_admin_cannot_add_members_directly_ORG_2(municipal_admin, municipality):
    person = UserFactory()
    with pytest.raises(PermissionRefused):
        membership_add(actor=municipal_admin, organisation=municipality, user=person)
    assert not Membership.objects.filter(user=person).exists()


# The acting organisation (ORG-4) -------------------------------------------------------------------------


def test_switching_to_one_of_my_organisations_ORG_4(municipal_admin, municipality, other_municipality):
    MembershipFactory(user=municipal_admin, organisation=other_municipality, role=Role.MEMBER)
    client = login(municipal_admin, municipality)
    response = client.post(reverse("marketplace:switch_organisation"),
                           {"organisation": other_municipality.pk, "next": reverse("marketplace:terms")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("marketplace:terms")
    assert shows(response, nb("You now act for %(organisation)s.", organisation=other_municipality.name))
    assert client.session[SESSION_KEY] == other_municipality.pk
    assert response.context["acting_organisation"] == other_municipality


def test_switching_never_redirects_to_another_site_ORG_4(municipal_admin, municipality, other_municipality):
    MembershipFactory(user=municipal_admin, organisation=other_municipality, role=Role.MEMBER)
    response = login(municipal_admin).post(reverse("marketplace:switch_organisation"),
                                           {"organisation": other_municipality.pk, "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == reverse("marketplace:start")


@pytest.mark.parametrize("target", ["other", "missing", "garbage"])
def test_switching_to_an_organisation_i_am_not_a_member_of_is_refused_ORG_4(target, municipal_admin, municipality,
                                                                          other_municipality):
    value = {"other": other_municipality.pk, "missing": 999999, "garbage": "abc"}[target]
    client = login(municipal_admin, municipality)
    response = client.post(reverse("marketplace:switch_organisation"), {"organisation": value}, follow=True)
    assert response.status_code == 200
    assert shows(response, nb("You can only act for organisations you are a member of."))
    assert client.session[SESSION_KEY] == municipality.pk
    assert response.context["acting_organisation"] == municipality
    assert not Membership.objects.filter(user=municipal_admin, organisation=other_municipality).exists()


def test_stale_session_organisation_falls_back_to_a_membership_ORG_4(municipal_member, municipality, other_municipality):
    client = login(municipal_member, other_municipality)  # e.g. removed from it since
    response = client.get(reverse("marketplace:organisation_mine"))
    assert response.status_code == 200
    assert response.context["organisation"] == municipality


# "My organisation" page (ORG-2, ORG-3) --------------------------------------------------------------------


def test_my_organisation_page_lists_members_and_invitations_ORG_2(municipal_admin, municipal_member, municipality):
    InvitationFactory(organisation=municipality, email="venter@example.no")
    response = login(municipal_admin).get(reverse("marketplace:organisation_mine"))
    assert response.status_code == 200
    assert shows(response, municipal_member.email)
    assert shows(response, "venter@example.no")
    assert response.context["invite_form"] is not None


def test_invite_form_sends_the_invitation_ORG_3(municipal_admin, municipality, django_capture_on_commit_callbacks):
    client = login(municipal_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("marketplace:organisation_mine"), {"email": "ny@example.no", "role": "member"},
                               follow=True)
    assert shows(response, nb("An invitation has been sent to %(email)s.", email="ny@example.no"))
    assert Invitation.objects.filter(organisation=municipality, email="ny@example.no", invited_by=municipal_admin).exists()
    assert len(mail.outbox) == 1


def test_invite_form_shows_a_bad_address_at_the_field_with_400_ORG_3(municipal_admin):
    response = login(municipal_admin).post(reverse("marketplace:organisation_mine"), {"email": "ikke-en-adresse", "role": "member"})
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"]
    assert 'id="id_email-error"' in page(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invite_form_shows_an_existing_member_at_the_field_with_400_ORG_3(municipal_admin, municipal_member, municipality):
    response = login(municipal_admin).post(reverse("marketplace:organisation_mine"),
                                           {"email": municipal_member.email, "role": "member"})
    assert response.status_code == 400
    message = nb("%(email)s is already a member of %(organisation)s.", email=municipal_member.email,
                 organisation=municipality.name)
    assert response.context["invite_form"].errors["email"] == [message]
    assert 'id="id_email-error"' in page(response)
    assert not Invitation.objects.exists()


def test_invite_form_refuses_an_unknown_role_at_the_field_with_400_ORG_3(municipal_admin):
    response = login(municipal_admin).post(reverse("marketplace:organisation_mine"), {"email": "ny@example.no", "role": "owner"})
    assert response.status_code == 400
    assert response.context["invite_form"].errors["role"]
    assert not Invitation.objects.exists()


def test_member_sees_members_but_cannot_invite_ORG_2(municipal_admin, municipal_member):
    client = login(municipal_member)
    response = client.get(reverse("marketplace:organisation_mine"))
    assert response.status_code == 200
    assert response.context["invite_form"] is None
    assert shows(response, municipal_admin.email)
    assert reverse("marketplace:membership_remove", args=[municipal_admin.acting_membership.pk]) not in page(response)
    response = client.post(reverse("marketplace:organisation_mine"), {"email": "ny@example.no", "role": "admin"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_person_without_organisation_is_told_how_to_join_ORG_3():
    response = login(UserFactory()).get(reverse("marketplace:organisation_mine"))
    assert response.status_code == 200
    assert shows(response, nb("You are not a member of any organisation yet. Ask your organisation admin for an "
                              "invitation, or open the invitation link you received by e-mail."))


def test_my_organisation_needs_login_ORG_2(client):
    response = client.get(reverse("marketplace:organisation_mine"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_organisation_factory_numbers_are_valid():
    organisation = OrganisationFactory(kind=Organisation.Kind.VENDOR)
    organisation.full_clean()


def test_platform_admin_invites_the_first_admin_of_a_new_organisation_ORG_3(platform_admin,
                                                                          django_capture_on_commit_callbacks):
    organisation = organisation_create(actor=platform_admin, **NEW_ORG)
    client = login(platform_admin)
    response = client.get(organisation.get_absolute_url())
    assert response.context["invite_form"] is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(organisation.get_absolute_url(), {"email": "leder@vinje.example", "role": "admin"},
                               follow=True)
    assert shows(response, nb("An invitation has been sent to %(email)s.", email="leder@vinje.example"))
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role, invitation.invited_by) == ("leder@vinje.example", Role.ADMIN, platform_admin)
    assert mail.outbox[0].to == ["leder@vinje.example"]


def test_organisation_page_invite_errors_are_field_level_with_400_ORG_3(platform_admin, municipality):
    response = login(platform_admin).post(municipality.get_absolute_url(), {"email": "", "role": "admin"})
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "municipal_member", "vendor_admin"])
def test_others_cannot_invite_from_the_organisation_page_ORG_3(who, request, municipality):
    client = Client() if who == "anonymous" else login(request.getfixturevalue(who))
    response = client.get(municipality.get_absolute_url())
    assert response.status_code == 200
    assert response.context["invite_form"] is None
    response = client.post(municipality.get_absolute_url(), {"email": "ny@example.no", "role": "admin"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def edit_data(organisation, **changes):
    data = {"name": organisation.name, "org_number": organisation.org_number,
            "municipality_number": organisation.municipality_number, "inhabitants": "", "website": "", "description": ""}
    return {**data, **changes}


def test_org_admin_edits_details_on_screen_ORG_2(municipal_admin, municipality):
    response = login(municipal_admin).post(reverse("marketplace:organisation_edit"),
                                           edit_data(municipality, inhabitants="35000"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("marketplace:organisation_mine")
    assert shows(response, nb("The organisation's details are saved."))
    municipality.refresh_from_db()
    assert municipality.inhabitants == 35000


def test_edit_screen_shows_a_taken_kommunenummer_at_the_field_ORG_1(municipal_admin, municipality, other_municipality):
    response = login(municipal_admin).post(reverse("marketplace:organisation_edit"),
                                           edit_data(municipality, municipality_number="1804"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["municipality_number"]
    municipality.refresh_from_db()
    assert municipality.municipality_number == "3411"
