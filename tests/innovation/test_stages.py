"""Stages (INN-3) through the workflow table, the readiness gate (INN-7, INN-8) and retiring in favour of
another need."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from innovation import services
from innovation.models import Collaboration, Follow, InterestedVendor, Need, Stage
from marketplace.errors import Conflict, IllegalTransition, PermissionRefused
from marketplace.models import AuditEvent, Notification

from .factories import advance, invite, make_need, tick_all

pytestmark = pytest.mark.django_db


def test_stages_move_forward_one_step_at_a_time_and_are_audited(need, owner):
    """INN-3: each stage change records actor, organisation, before, after and reason."""
    services.need_change_stage(
        actor=owner, need_id=need.pk, to=Stage.PRIORITISATION, reason="Kommunalsjef sa ja."
    )
    need.refresh_from_db()
    assert need.stage == Stage.PRIORITISATION
    event = AuditEvent.objects.get(verb="need.prioritisation", target_id=str(need.pk))
    assert (event.actor, event.organisation, event.from_state, event.to_state, event.reason) == (
        owner,
        owner.acting_organisation,
        "idea",
        "prioritisation",
        "Kommunalsjef sa ja.",
    )


def test_a_stage_jump_the_table_does_not_allow_is_refused(need, owner):
    """INN-3: Idé cannot jump straight to Publisert; nothing changes."""
    with pytest.raises(IllegalTransition):
        services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.PUBLISHED)
    need.refresh_from_db()
    assert need.stage == Stage.IDEA
    assert not AuditEvent.objects.filter(verb="need.published").exists()


def test_an_archived_need_is_final(need, owner):
    services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.ARCHIVED, reason="Dekkes nasjonalt.")
    with pytest.raises(IllegalTransition):
        services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.IDEA, reason="Angret.")


def test_a_step_back_needs_a_reason(need, owner):
    advance(owner, need, Stage.EVALUATION_CRITERIA)
    with pytest.raises(ValidationError) as refused:
        services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.PRIORITISATION)
    assert "reason" in refused.value.message_dict
    services.need_change_stage(
        actor=owner, need_id=need.pk, to=Stage.PRIORITISATION, reason="Må prioritere på nytt."
    )
    need.refresh_from_db()
    assert need.stage == Stage.PRIORITISATION


def test_only_the_owner_changes_the_stage(need, owner, bodo):
    invite(need, owner=owner, invitee=bodo)
    with pytest.raises(PermissionRefused):
        services.need_change_stage(actor=bodo, need_id=need.pk, to=Stage.PRIORITISATION)
    need.refresh_from_db()
    assert need.stage == Stage.IDEA


def test_publish_refused_while_checklist_incomplete(need, owner):
    """INN-7: publishing is refused until every checklist item is ticked; the message names the missing."""
    advance(owner, need, Stage.EVALUATION_CRITERIA)
    with pytest.raises(Conflict) as refused:
        services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.PUBLISHED)
    assert "Lov og forskrift ok" in str(refused.value)
    need.refresh_from_db()
    assert need.stage == Stage.EVALUATION_CRITERIA
    assert need.published_at is None


def test_publish_refused_without_evaluation_criteria(need, owner):
    """INN-8: a need is published only with criteria whose weights sum to 100."""
    services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.PRIORITISATION)
    services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.EVALUATION_CRITERIA)
    tick_all(owner, need)
    with pytest.raises(Conflict) as refused:
        services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.PUBLISHED)
    assert "evalueringskriterier" in str(refused.value)
    need.refresh_from_db()
    assert need.stage == Stage.EVALUATION_CRITERIA


def test_publish_with_checklist_and_criteria_sets_published_at(need, owner):
    need = advance(owner, need, Stage.PUBLISHED)
    assert need.stage == Stage.PUBLISHED
    assert need.published_at is not None


def test_stage_change_tells_followers_and_interested_vendors_once(
    need, owner, inger, vendor_user, django_capture_on_commit_callbacks
):
    """INN-6, INN-10: followers and interested vendors hear of stage changes; the actor does not."""
    advance(owner, need, Stage.PUBLISHED)
    services.need_follow(actor=inger, need_id=need.pk)
    services.interest_register(actor=vendor_user, need_id=need.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.need_change_stage(
            actor=owner, need_id=need.pk, to=Stage.ARCHIVED, reason="Løst av et produkt."
        )
    assert Notification.objects.filter(recipient=inger, kind="innovation.stage_changed").count() == 1
    assert Notification.objects.filter(recipient=vendor_user, kind="innovation.stage_changed").count() == 1
    assert not Notification.objects.filter(recipient=owner, kind="innovation.stage_changed").exists()
    assert any("Kognitiv kartlegging" in m.subject for m in mail.outbox)
    # A task delivered twice tells people once.
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(recipient=inger, kind="innovation.stage_changed").count() == 1


def test_retire_in_favour_moves_followers_proposes_collaborators_and_tells_them(
    owner, bodo, inger, area, django_capture_on_commit_callbacks
):
    """INN-3: Bodø retires its idea in favour of Innlandet's published need."""
    target = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    retired = make_need(bodo, areas=[area], title="Selvregistrering")
    invite(retired, owner=bodo, invitee=inger)
    with django_capture_on_commit_callbacks(execute=True):
        services.need_retire(actor=bodo, need_id=retired.pk, replaced_by_id=target.pk, reason="Samme behov.")
    retired.refresh_from_db()
    assert retired.stage == Stage.ARCHIVED
    assert retired.replaced_by == target
    assert set(Follow.objects.filter(need=target).values_list("user_id", flat=True)) >= {bodo.pk, inger.pk}
    proposed = Collaboration.objects.filter(need=target, status=Collaboration.Status.PENDING)
    assert {c.organisation_id for c in proposed} == {
        bodo.acting_organisation.pk,
        inger.acting_organisation.pk,
    }
    assert Notification.objects.filter(recipient=inger, kind="innovation.need_retired").exists()
    assert Notification.objects.filter(recipient=owner, kind="innovation.collaboration_requested").exists()


def test_retire_refuses_itself_and_archived_targets(need, owner, area):
    with pytest.raises(ValidationError) as refused:
        services.need_retire(actor=owner, need_id=need.pk, replaced_by_id=need.pk, reason="?")
    assert "replaced_by" in refused.value.message_dict
    other = make_need(owner, areas=[area], title="Annet")
    services.need_change_stage(actor=owner, need_id=other.pk, to=Stage.ARCHIVED, reason="Gammelt.")
    with pytest.raises(ValidationError):
        services.need_retire(actor=owner, need_id=need.pk, replaced_by_id=other.pk, reason="?")
    need.refresh_from_db()
    assert need.stage == Stage.IDEA


def test_retire_refuses_a_target_the_owner_cannot_see(need, owner, bodo, area):
    hidden = make_need(bodo, areas=[area], title="Bodøs idé")
    with pytest.raises(ValidationError):
        services.need_retire(actor=owner, need_id=need.pk, replaced_by_id=hidden.pk, reason="Samme.")
    assert Need.objects.get(pk=need.pk).stage == Stage.IDEA


def test_retire_moves_vendor_interest_to_a_published_target(owner, vendor_user, area):
    first = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    second = advance(owner, make_need(owner, areas=[area], title="Kartlegging 2"), Stage.PUBLISHED)
    services.interest_register(actor=vendor_user, need_id=first.pk)
    services.need_retire(actor=owner, need_id=first.pk, replaced_by_id=second.pk, reason="Slått sammen.")
    assert InterestedVendor.objects.filter(need=second, organisation=vendor_user.acting_organisation).exists()
