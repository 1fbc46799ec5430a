"""PRO-1: opening a joint procurement from a published need; planning (declaration, criteria, timeline,
documents) until the competition starts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from innovation.models import Stage
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Notification, TermsAcceptance
from store.models import Procurement, ProcurementCriterion
from store.services import procurement as services
from tests.innovation.factories import make_need

from .factories import CRITERIA, open_procurement, timeline
from .uploads import pdf_upload

pytestmark = pytest.mark.django_db


def test_owner_admin_opens_from_published_need_taking_over_declaration_and_criteria(lead, need):
    """PRO-1: the owner organisation's admin opens it; declaration and weighted criteria come from the need."""
    procurement = open_procurement(lead, need)
    assert procurement.phase == Procurement.Phase.PLANNING
    assert procurement.lead == need.owner
    assert procurement.title == need.title
    assert procurement.desired_declaration == need.desired_declaration
    assert list(procurement.criteria.values("name", "weight")) == [
        {"name": c["name"], "weight": c["weight"]} for c in CRITERIA
    ]
    assert not procurement.is_public
    event = AuditEvent.objects.get(verb="procurement.opened")
    assert event.target == procurement and event.actor == lead and event.to_state == "planning"


def test_platform_admin_opens_and_may_choose_a_municipality_of_the_core_team_as_lead(ks_admin, need, municipality):
    procurement = services.procurement_open(actor=ks_admin, need_id=need.pk, lead_id=municipality.pk, **timeline())
    assert procurement.lead == municipality
    procurement_ks = Procurement.objects.get(pk=procurement.pk)
    assert procurement_ks.opened_by == ks_admin


def test_platform_admin_cannot_make_an_outside_organisation_lead(ks_admin, need, outsider_admin):
    with pytest.raises(ValidationError) as error:
        services.procurement_open(actor=ks_admin, need_id=need.pk, lead_id=outsider_admin.acting_organisation.pk,
                                  **timeline())
    assert "lead_id" in error.value.message_dict
    assert not Procurement.objects.exists()


def test_opening_from_an_unpublished_need_is_refused(lead):
    """Refusal: opening from an unpublished need (409, nothing created)."""
    draft = make_need(lead, title="Uferdig behov")
    assert draft.stage == Stage.IDEA
    with pytest.raises(Conflict, match="published"):
        open_procurement(lead, draft)
    assert not Procurement.objects.exists()


@pytest.mark.parametrize("who", ["member", "other_municipality", "vendor"])
def test_only_the_owners_admin_or_a_platform_admin_may_open(who, lead, need, lead_member, bodo_admin, seller):
    actor = {"member": lead_member, "other_municipality": bodo_admin, "vendor": seller}[who]
    with pytest.raises(PermissionRefused):
        open_procurement(actor, need)
    assert not Procurement.objects.exists()


def test_opening_needs_accepted_terms(lead, need, municipality):
    TermsAcceptance.objects.filter(organisation=municipality).delete()
    from marketplace.terms import forget_pending_terms

    forget_pending_terms(lead.acting_organisation)
    with pytest.raises(TermsNotAccepted):
        open_procurement(lead, need)
    assert not Procurement.objects.exists()


def test_a_need_has_one_open_procurement_at_a_time(lead, planning, need):
    with pytest.raises(Conflict):
        open_procurement(lead, need)
    services.procurement_cancel(actor=lead, procurement_id=planning.pk, reason="Vi starter på nytt.")
    assert open_procurement(lead, need).pk != planning.pk


@pytest.mark.parametrize("field,values", [
    ("intent_deadline", {"intent_deadline": timezone.now() + timedelta(days=40)}),
    ("offer_deadline", {"offer_deadline": timezone.now() - timedelta(days=1)}),
    ("agreement_end", {"agreement_end": (timezone.now() + timedelta(days=35)).date()}),
    ("agreement_end", {"agreement_end": None}),
    ("questions_deadline", {"questions_deadline": timezone.now() + timedelta(days=60)}),
])
def test_bad_timeline_gives_field_level_messages(lead, need, field, values):
    with pytest.raises(ValidationError) as error:
        open_procurement(lead, need, **values)
    assert field in error.value.message_dict
    assert not Procurement.objects.exists()


def test_planning_procurement_is_private_to_lead_need_owner_and_platform_admins(planning, lead, bodo_admin, ks_admin,
                                                                                 seller):
    from store.selectors.procurement import procurement_get

    assert procurement_get(user=lead, pk=planning.pk) == planning
    assert procurement_get(user=ks_admin, pk=planning.pk) == planning
    for outsider in (bodo_admin, seller):
        with pytest.raises(NotFound):
            procurement_get(user=outsider, pk=planning.pk)


def test_criteria_and_declaration_editable_until_competition_starts(lead, dialogue, bodo_admin):
    """Editable in planning and market dialogue; fixed (409) once the competition has started."""
    rows = services.procurement_set_criteria(actor=lead, procurement_id=dialogue.pk, criteria=[
        {"name": "Funksjonalitet", "weight": 50}, {"name": "Pris", "weight": 30}, {"name": "Sikkerhet", "weight": 20},
    ])
    assert [c.weight for c in rows] == [50, 30, 20]
    services.procurement_update_declaration(actor=lead, procurement_id=dialogue.pk,
                                            declaration={"informasjon": {"data_location": "norway"}})
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=100)
    services.procurement_start_competition(actor=lead, procurement_id=dialogue.pk)
    with pytest.raises(Conflict):
        services.procurement_set_criteria(actor=lead, procurement_id=dialogue.pk, criteria=CRITERIA)
    with pytest.raises(Conflict):
        services.procurement_update_declaration(actor=lead, procurement_id=dialogue.pk, declaration={})
    assert [c.weight for c in ProcurementCriterion.objects.filter(procurement=dialogue)] == [50, 30, 20]
    dialogue.refresh_from_db()
    assert dialogue.desired_declaration == {"informasjon": {"data_location": "norway"}}


def test_criteria_weights_must_sum_to_100(lead, planning):
    with pytest.raises(ValidationError) as error:
        services.procurement_set_criteria(actor=lead, procurement_id=planning.pk,
                                          criteria=[{"name": "A", "weight": 50}, {"name": "B", "weight": 40}])
    assert "criteria" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.procurement_set_criteria(actor=lead, procurement_id=planning.pk, criteria=[])
    assert sum(c.weight for c in planning.criteria.all()) == 100


def test_bad_declaration_is_refused_with_field_message(lead, planning):
    with pytest.raises(ValidationError) as error:
        services.procurement_update_declaration(actor=lead, procurement_id=planning.pk,
                                                declaration={"informasjon": {"data_location": "mars"}})
    assert "desired_declaration" in error.value.message_dict


def test_only_the_lead_changes_the_procurement(planning, bodo_admin, ks_admin, lead_member):
    with pytest.raises(NotFound):  # not even visible to Bodø while planning
        services.procurement_set_criteria(actor=bodo_admin, procurement_id=planning.pk, criteria=CRITERIA)
    # Any member of the lead organisation, and platform admins, run it.
    services.procurement_update(actor=lead_member, procurement_id=planning.pk, title="Felles kognitiv kartlegging")
    services.procurement_update(actor=ks_admin, procurement_id=planning.pk, summary="Oppdatert av KS.")
    planning.refresh_from_db()
    assert (planning.title, planning.summary) == ("Felles kognitiv kartlegging", "Oppdatert av KS.")


def test_visible_but_not_lead_is_refused_with_403(dialogue, bodo_admin):
    before = dialogue.title
    with pytest.raises(PermissionRefused):
        services.procurement_update(actor=bodo_admin, procurement_id=dialogue.pk, title="Kapret")
    dialogue.refresh_from_db()
    assert dialogue.title == before


def test_during_competition_the_offer_deadline_can_only_be_extended(lead, competition):
    later = competition.offer_deadline + timedelta(days=7)
    services.procurement_update(actor=lead, procurement_id=competition.pk, offer_deadline=later)
    competition.refresh_from_db()
    assert competition.offer_deadline == later
    with pytest.raises(ValidationError) as error:
        services.procurement_update(actor=lead, procurement_id=competition.pk,
                                    offer_deadline=later - timedelta(days=3))
    assert "offer_deadline" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.procurement_update(actor=lead, procurement_id=competition.pk,
                                    intent_deadline=timezone.now() + timedelta(days=2))
    assert "intent_deadline" in error.value.message_dict


def test_timeline_change_is_told_to_participants_and_vendors(lead, competition, bodo_admin, seller,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_update(actor=lead, procurement_id=competition.pk,
                                    offer_deadline=competition.offer_deadline + timedelta(days=7))
    assert Notification.objects.filter(recipient=bodo_admin, kind="store.procurement_phase").exists()
    assert Notification.objects.filter(recipient=seller, kind="store.procurement_phase").exists()


def test_documents_are_attached_by_the_lead_and_served_to_those_who_see_the_procurement(lead, dialogue, seller):
    from tests.conftest import login

    document = services.procurement_document_add(actor=lead, procurement_id=dialogue.pk, upload=pdf_upload(),
                                                 title="Konkurransegrunnlag")
    assert login(seller).get(document.get_absolute_url()).status_code == 200
    with pytest.raises(PermissionRefused):
        services.procurement_document_add(actor=seller, procurement_id=dialogue.pk, upload=pdf_upload())


def test_document_of_a_planning_procurement_is_hidden_from_others(lead, planning, bodo_admin):
    from django.test import Client

    from tests.conftest import login

    document = services.procurement_document_add(actor=lead, procurement_id=planning.pk, upload=pdf_upload())
    assert login(bodo_admin).get(document.get_absolute_url()).status_code == 404
    assert Client().get(document.get_absolute_url()).status_code == 404
    assert login(lead).get(document.get_absolute_url()).status_code == 200


def test_documents_cannot_be_removed_after_competition_starts(lead, dialogue, bodo_admin):
    document = services.procurement_document_add(actor=lead, procurement_id=dialogue.pk, upload=pdf_upload())
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=10)
    services.procurement_start_competition(actor=lead, procurement_id=dialogue.pk)
    with pytest.raises(Conflict):
        services.procurement_document_delete(actor=lead, procurement_id=dialogue.pk, document_id=document.pk)


def test_opening_tells_the_lead_organisation(lead, lead_member, need, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_procurement(lead, need)
    assert Notification.objects.filter(recipient=lead_member, kind="store.procurement_phase").exists()
    assert not Notification.objects.filter(recipient=lead).exists()  # not the actor


def test_illegal_transition_from_planning_straight_to_competition(lead, planning, bodo_admin):
    with pytest.raises(IllegalTransition):
        services.procurement_start_competition(actor=lead, procurement_id=planning.pk)
    planning.refresh_from_db()
    assert planning.phase == "planning"




def test_changed_criteria_are_told_to_vendors_and_participants_once_public(lead, dialogue, bodo_admin, seller,
                                                                          django_capture_on_commit_callbacks):
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_set_criteria(actor=lead, procurement_id=dialogue.pk, criteria=[
            {"name": "Funksjonalitet", "weight": 70}, {"name": "Pris", "weight": 30}])
    for person in (bodo_admin, seller):
        assert Notification.objects.filter(recipient=person, title__contains="criteria").exists(), person


def test_changes_while_planning_tell_nobody_outside(lead, planning, seller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_set_criteria(actor=lead, procurement_id=planning.pk, criteria=[
            {"name": "Funksjonalitet", "weight": 70}, {"name": "Pris", "weight": 30}])
    assert not Notification.objects.filter(recipient=seller).exists()
