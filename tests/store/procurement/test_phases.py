"""PRO-2: phases planning → market dialogue → competition → evaluation → awarded → agreement active → closed,
and cancelled from any open phase; each change recorded (who, when, from, to, reason) and told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.errors import Conflict, IllegalTransition, PermissionRefused
from marketplace.models import AuditEvent, Notification
from store.models import Procurement, StoreEntry
from store.services import procurement as services

from .factories import pass_deadline

pytestmark = pytest.mark.django_db


def _phase_events(procurement):
    return list(AuditEvent.objects.filter(target_id=str(procurement.pk), verb__startswith="procurement.",
                                          to_state__in=Procurement.Phase.values)
                .exclude(verb="procurement.opened").order_by("id").values_list("from_state", "to_state"))


def test_the_whole_way_through_is_recorded(active, lead):
    """Every phase change has an audit event with actor, from, to and reason."""
    procurement = active.procurement
    assert _phase_events(procurement) == [
        ("planning", "market_dialogue"), ("market_dialogue", "competition"), ("competition", "evaluation"),
        ("evaluation", "awarded"), ("awarded", "agreement_active"),
    ]
    dialogue_event = AuditEvent.objects.get(verb="procurement.market_dialogue")
    assert dialogue_event.actor == lead and dialogue_event.reason == "Vi inviterer."
    award_event = AuditEvent.objects.get(verb="procurement.awarded")
    assert award_event.reason == "Høyest vektet poengsum."
    assert award_event.data["winners"][0]["product"] == "Kartleggeren Kognitiv"
    services.procurement_close(actor=lead, procurement_id=procurement.pk, reason="Avtalen er sagt opp.")
    procurement.refresh_from_db()
    assert procurement.phase == "closed"
    assert _phase_events(procurement)[-1] == ("agreement_active", "closed")


def test_market_dialogue_makes_the_procurement_public_and_announces_it(lead, planning, bodo_admin, seller,
                                                                       outsider_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_start_market_dialogue(actor=lead, procurement_id=planning.pk)
    planning.refresh_from_db()
    assert planning.is_public and planning.announced_at is not None
    # Municipal admins are invited to declare intent, qualified vendors to ask.
    for person in (bodo_admin, outsider_admin, seller):
        assert Notification.objects.filter(recipient=person, kind="store.procurement_announced").exists(), person


def test_every_phase_change_and_the_award_is_told_to_participants_and_offering_vendors(
        lead, scored, bodo_admin, seller, other_seller, django_capture_on_commit_callbacks):
    from .factories import start_agreement_today

    procurement = scored.procurement
    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_award(actor=lead, procurement_id=procurement.pk, offer_ids=[scored.first.pk],
                                   reason="Best på brukervennlighet.")
    for person in (bodo_admin, seller, other_seller):
        award = Notification.objects.get(recipient=person, kind="store.procurement_award")
        assert "Kartleggeren Kognitiv" in award.title and "Best på brukervennlighet." in award.body
    start_agreement_today(procurement)
    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_activate_agreement(actor=lead, procurement_id=procurement.pk)
    assert Notification.objects.filter(recipient=bodo_admin, kind="store.procurement_phase",
                                       title__contains="active").exists()
    assert Notification.objects.filter(recipient=seller, kind="store.procurement_phase").exists()
    # The losing vendor hears of the award, not of the winner's agreement.
    assert not Notification.objects.filter(recipient=other_seller, kind="store.procurement_phase",
                                           title__contains="active").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_close(actor=lead, procurement_id=procurement.pk, reason="Oppsagt.")
    assert Notification.objects.filter(recipient=bodo_admin, title__contains="closed").exists()


def test_competition_needs_a_participant(lead, dialogue):
    with pytest.raises(Conflict, match="intent"):
        services.procurement_start_competition(actor=lead, procurement_id=dialogue.pk)
    dialogue.refresh_from_db()
    assert dialogue.phase == "market_dialogue"


def test_evaluation_waits_for_the_offer_deadline(lead, offers):
    with pytest.raises(Conflict, match="sealed"):
        services.procurement_start_evaluation(actor=lead, procurement_id=offers.procurement.pk)
    offers.procurement.refresh_from_db()
    assert offers.procurement.phase == "competition"


def test_evaluation_without_offers_is_refused_with_advice_to_cancel(lead, competition):
    pass_deadline(competition)
    with pytest.raises(Conflict, match="No offers"):
        services.procurement_start_evaluation(actor=lead, procurement_id=competition.pk)


@pytest.mark.parametrize("fixture", ["planning", "dialogue", "competition", "evaluation", "awarded"])
def test_cancel_from_any_open_phase_with_a_reason(request, lead, fixture):
    value = request.getfixturevalue(fixture)
    procurement = getattr(value, "procurement", value)
    with pytest.raises(ValidationError) as error:
        services.procurement_cancel(actor=lead, procurement_id=procurement.pk, reason="  ")
    assert "reason" in error.value.message_dict
    services.procurement_cancel(actor=lead, procurement_id=procurement.pk, reason="Behovet er endret.")
    procurement.refresh_from_db()
    assert procurement.phase == "cancelled"
    assert AuditEvent.objects.filter(verb="procurement.cancelled", reason="Behovet er endret.").exists()


def test_an_active_agreement_is_closed_not_cancelled(lead, active):
    with pytest.raises(IllegalTransition):
        services.procurement_cancel(actor=lead, procurement_id=active.procurement.pk, reason="Nei.")
    with pytest.raises(ValidationError):
        services.procurement_close(actor=lead, procurement_id=active.procurement.pk, reason="")


@pytest.mark.parametrize("service", ["procurement_start_market_dialogue", "procurement_cancel"])
def test_a_finished_procurement_does_not_move(lead, planning, service):
    services.procurement_cancel(actor=lead, procurement_id=planning.pk, reason="Avlyst.")
    with pytest.raises(IllegalTransition):
        getattr(services, service)(actor=lead, procurement_id=planning.pk, reason="Igjen.")


def test_non_lead_cannot_change_phase(dialogue, bodo_admin, seller):
    for actor in (bodo_admin, seller):
        with pytest.raises(PermissionRefused):
            services.procurement_cancel(actor=actor, procurement_id=dialogue.pk, reason="Nei.")
    dialogue.refresh_from_db()
    assert dialogue.phase == "market_dialogue"


def test_platform_admin_can_run_the_phases(ks_admin, planning):
    services.procurement_start_market_dialogue(actor=ks_admin, procurement_id=planning.pk)
    planning.refresh_from_db()
    assert planning.phase == "market_dialogue"


def test_agreement_is_activated_within_its_period_and_marks_the_product_felleskjopt(lead, awarded):
    """PRO-6: before the start date activation is refused; then the store entry shows Felleskjøpt until the end."""
    procurement = awarded.procurement
    with pytest.raises(Conflict, match="starts"):
        services.procurement_activate_agreement(actor=lead, procurement_id=procurement.pk)
    from .factories import start_agreement_today

    start_agreement_today(procurement)
    services.procurement_activate_agreement(actor=lead, procurement_id=procurement.pk)
    entry = StoreEntry.objects.get(product=awarded.first.product)
    assert entry.procured_until == procurement.agreement_end and entry.is_procured
    assert entry.procurement_label == procurement.title
    assert entry.procurement_url == procurement.get_absolute_url()
    assert not StoreEntry.objects.filter(product=awarded.second.product, procured_until__isnull=False).exists()


def test_closing_clears_the_badge(lead, active):
    services.procurement_close(actor=lead, procurement_id=active.procurement.pk, reason="Oppsagt etter avtale.")
    entry = StoreEntry.objects.get(product=active.first.product)
    assert entry.procured_until is None and not entry.is_procured


def test_agreements_past_their_end_are_closed_by_the_daily_task(active):
    from store.tasks import procurements_close_expired_task

    procurement = active.procurement
    Procurement.objects.filter(pk=procurement.pk).update(
        agreement_start=timezone.localdate() - timedelta(days=800), agreement_end=timezone.localdate() - timedelta(days=1)
    )
    assert procurements_close_expired_task.delay().get() == 1
    procurement.refresh_from_db()
    assert procurement.phase == "closed"
    assert StoreEntry.objects.get(product=active.first.product).procured_until is None
    assert procurements_close_expired_task.delay().get() == 0  # idempotent


def test_notifications_of_one_event_are_sent_once(lead, planning, django_capture_on_commit_callbacks):
    from store.services.procurement import notify_event

    with django_capture_on_commit_callbacks(execute=True):
        services.procurement_start_market_dialogue(actor=lead, procurement_id=planning.pk)
    event = AuditEvent.objects.get(verb="procurement.market_dialogue")
    assert notify_event(event_id=event.pk) == 0  # the task ran after commit already
