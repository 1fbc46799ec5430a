"""The workflow helper: transition table, IllegalTransition, audit event; history_for; how refusals surface."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from marketplace.api.exceptions import exception_handler
from marketplace.audit import audit_record
from marketplace.errors import Conflict, DomainError, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.forms import call_service
from marketplace.models import AuditEvent, Invitation, Role, Terms
from marketplace.selectors import history_for
from marketplace.workflow import Workflow, transition

from ..factories import InvitationFactory, TermsFactory
from .helpers import nb

pytestmark = pytest.mark.django_db

TABLE = Workflow({"idea": {"prioritisation", "archived"}, "prioritisation": {"published", "archived"}})


# The table -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), [("idea", "prioritisation"), ("idea", "archived"),
                                                 ("prioritisation", "published")])
def test_table_allows_listed_steps(source, target):
    assert TABLE.allows(source, target)


@pytest.mark.parametrize(("source", "target"), [("idea", "published"), ("published", "idea"), ("archived", "idea"),
                                                 ("idea", "idea"), ("unknown", "idea")])
def test_table_refuses_everything_else(source, target):
    assert not TABLE.allows(source, target)


def test_table_knows_its_states_and_targets():
    assert TABLE.states() == {"idea", "prioritisation", "published", "archived"}
    assert TABLE.targets("idea") == frozenset({"prioritisation", "archived"})
    assert TABLE.targets("published") == frozenset()
    assert TABLE.field == "status"
    assert Workflow({"a": {"b"}}, field="stage").field == "stage"


def test_table_accepts_text_choices():
    assert Invitation.workflow.allows(Invitation.Status.PENDING, "accepted")
    assert not Invitation.workflow.allows("accepted", Invitation.Status.PENDING)


# transition() ---------------------------------------------------------------------------------------------


def test_transition_saves_and_audits_who_for_whom_from_to_and_why(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality)
    invitation.decided_at = timezone.now()
    event = transition(invitation, to=Invitation.Status.REVOKED, actor=municipal_admin, organisation=municipality,
                       reason="Sendt til feil person", update_fields=["decided_at"], data={"source": "test"})

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.decided_at is not None
    event.refresh_from_db()
    assert event.verb == "invitation.revoked"
    assert (event.from_state, event.to_state) == ("pending", "revoked")
    assert (event.actor, event.organisation, event.target) == (municipal_admin, municipality, invitation)
    assert event.target_repr == str(invitation)
    assert event.reason == "Sendt til feil person"
    assert event.data == {"source": "test"}


def test_transition_saves_only_the_state_and_the_named_fields(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality, email="riktig@example.no")
    invitation.email = "endret-i-minnet@example.no"
    transition(invitation, to=Invitation.Status.REVOKED, actor=municipal_admin)
    assert Invitation.objects.get(pk=invitation.pk).email == "riktig@example.no"


def test_transition_uses_the_actors_organisation_and_a_custom_verb(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality)
    event = transition(invitation, to="expired", actor=municipal_admin, verb="invitation.timed_out")
    assert event.verb == "invitation.timed_out"
    assert event.organisation == municipality  # the organisation the actor acts for


def test_transition_by_the_system_has_no_actor(municipality):
    invitation = InvitationFactory(organisation=municipality)
    event = transition(invitation, to="expired", actor=None)
    assert event.actor is None
    assert event.organisation is None


def test_illegal_transition_is_refused_with_a_message_and_changes_nothing(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality, status=Invitation.Status.ACCEPTED)
    with pytest.raises(IllegalTransition) as exc:
        transition(invitation, to=Invitation.Status.REVOKED, actor=municipal_admin)
    assert exc.value.status_code == 409
    assert exc.value.code == "illegal_transition"
    assert exc.value.message == nb("This step is not possible now: “%(source)s” cannot change to “%(target)s”.",
                                   source=nb("Accepted"), target=nb("Revoked"))
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED
    assert not AuditEvent.objects.exists()


def test_a_workflow_on_another_field(municipal_admin, municipality):
    roles = Workflow({Role.MEMBER: {Role.ADMIN}}, field="role")
    invitation = InvitationFactory(organisation=municipality, role=Role.MEMBER)
    event = transition(invitation, to=Role.ADMIN, actor=municipal_admin, workflow=roles)
    assert Invitation.objects.get(pk=invitation.pk).role == Role.ADMIN
    assert (event.from_state, event.to_state, event.verb) == ("member", "admin", "invitation.admin")
    with pytest.raises(IllegalTransition):
        transition(invitation, to=Role.MEMBER, actor=municipal_admin, workflow=roles)


def test_terms_workflow_is_draft_to_published_only(platform_admin):
    terms = TermsFactory(status=Terms.Status.DRAFT)
    transition(terms, to=Terms.Status.PUBLISHED, actor=platform_admin)
    with pytest.raises(IllegalTransition):
        transition(terms, to=Terms.Status.DRAFT, actor=platform_admin)


# history_for() ---------------------------------------------------------------------------------------------


def test_history_is_the_objects_events_oldest_first(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality)
    other = InvitationFactory(organisation=municipality)
    created = audit_record(actor=municipal_admin, verb="invitation.created", target=invitation, to_state="pending")
    transition(invitation, to="revoked", actor=municipal_admin, reason="Feil adresse")
    audit_record(actor=municipal_admin, verb="invitation.created", target=other)
    # An event recorded later but dated earlier (e.g. imported) is placed by its time.
    backdated = audit_record(actor=None, verb="invitation.note", target=invitation)
    AuditEvent.objects.filter(pk=backdated.pk).update(created_at=created.created_at - timedelta(minutes=5))

    events = list(history_for(invitation))

    assert [e.verb for e in events] == ["invitation.note", "invitation.created", "invitation.revoked"]
    assert all(e.target_id == str(invitation.pk) for e in events)


def test_history_orders_events_at_the_same_instant_by_id(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality)
    moment = timezone.now()
    ids = [audit_record(actor=municipal_admin, verb=f"step.{i}", target=invitation).pk for i in range(3)]
    AuditEvent.objects.filter(pk__in=ids).update(created_at=moment)
    assert [e.verb for e in history_for(invitation)] == ["step.0", "step.1", "step.2"]


def test_history_of_one_model_does_not_include_another_models_object_with_the_same_id(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality)
    terms = TermsFactory()
    audit_record(actor=municipal_admin, verb="terms.created", target=terms)
    AuditEvent.objects.update(target_id=str(invitation.pk))
    assert list(history_for(invitation)) == []


def test_timeline_partial_shows_who_and_why(municipal_admin, municipality):
    invitation = InvitationFactory(organisation=municipality)
    transition(invitation, to="revoked", actor=municipal_admin, reason="Sendt til feil person")
    transition(InvitationFactory(organisation=municipality), to="expired", actor=None)
    html = render_to_string("partials/_timeline.html", {"events": history_for(invitation)})
    assert "Sendt til feil person" in html
    assert str(municipal_admin) in html
    assert "pending → <strong>revoked</strong>" in html
    empty = render_to_string("partials/_timeline.html", {"events": []})
    assert nb("Nothing has happened yet.") in empty


# How refusals surface ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [(DomainError("x"), 400), (PermissionRefused("x"), 403), (TermsNotAccepted("x"), 403), (NotFound("x"), 404),
     (IllegalTransition("x"), 409), (Conflict("x"), 409)],
)
def test_api_maps_domain_errors_to_status_and_body(error, status):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"detail": "x", "code": error.code}


def test_api_maps_field_errors_to_400_with_the_field():
    response = exception_handler(ValidationError({"org_number": ["Ugyldig."]}), {})
    assert response.status_code == 400
    assert response.data == {"org_number": ["Ugyldig."]}
    response = exception_handler(Conflict("Finnes", field="email"), {})
    assert response.data == {"detail": "Finnes", "code": "conflict", "field": "email"}


class _Form(forms.Form):
    email = forms.CharField()


def _raise(error):
    raise error


@pytest.mark.parametrize(
    ("error", "field"),
    [(ValidationError({"email": "Feil adresse"}), "email"), (ValidationError({"other": "Feil"}), "__all__"),
     (ValidationError("Feil"), "__all__"), (Conflict("Finnes", field="email"), "email"),
     (PermissionRefused("Nei"), "__all__")],
)
def test_call_service_puts_refusals_on_the_form(error, field):
    form = _Form({"email": "a@b.no"})
    assert form.is_valid()
    assert call_service(form, _raise, error=error) is None
    assert list(form.errors) == [field]


def test_unhandled_refusal_in_a_screen_is_a_page_with_the_message_not_a_500(client):
    response = client.get(reverse("marketplace:invitation_accept", args=["finnes-ikke"]))
    assert response.status_code == 404
    assert nb("This invitation does not exist. Ask the organisation for a new one.") in response.content.decode()
    response = client.get(reverse("marketplace:invitation_accept", args=["finnes-ikke"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert "<html" not in response.content.decode()  # htmx gets the fragment only
