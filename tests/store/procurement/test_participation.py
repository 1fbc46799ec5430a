"""PRO-3: municipalities and counties declare intent with expected volume before a deadline; the total is
shown; withdrawing is possible until the competition starts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from marketplace.errors import Conflict, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Notification, TermsAcceptance
from store.models import Participation
from store.selectors.procurement import participation_totals
from store.services import procurement as services

from .factories import pass_deadline

pytestmark = pytest.mark.django_db


def test_municipalities_and_counties_declare_intent_and_the_total_adds_up(dialogue, bodo_admin, county_admin,
                                                                          outsider_admin):
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=300, note="Hjemmetjenesten.")
    services.participation_declare(actor=county_admin, procurement_id=dialogue.pk, volume=1200)
    services.participation_declare(actor=outsider_admin, procurement_id=dialogue.pk, volume=500)
    assert participation_totals(dialogue) == {"count": 3, "volume": 2000}
    event = AuditEvent.objects.get(verb="participation.declared", organisation=bodo_admin.acting_organisation)
    assert event.actor == bodo_admin and event.data == {"volume": 300}


def test_changing_the_volume_replaces_it(dialogue, bodo_admin):
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=300)
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=450)
    assert participation_totals(dialogue) == {"count": 1, "volume": 450}
    assert AuditEvent.objects.filter(verb="participation.changed").exists()


def test_withdraw_and_declare_again_before_competition(dialogue, bodo_admin):
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=300)
    services.participation_withdraw(actor=bodo_admin, procurement_id=dialogue.pk, reason="Ikke budsjett.")
    assert participation_totals(dialogue) == {"count": 0, "volume": 0}
    withdrawn = Participation.objects.get()
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at
    services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=200)
    assert participation_totals(dialogue) == {"count": 1, "volume": 200}
    assert Participation.objects.count() == 1


def test_intent_can_be_declared_while_planning(lead, planning):
    """The lead municipality may declare its own volume while it plans."""
    services.participation_declare(actor=lead, procurement_id=planning.pk, volume=120)
    assert participation_totals(planning)["count"] == 1


def test_declaring_intent_after_the_deadline_is_refused(dialogue, bodo_admin):
    """Refusal: declaring intent after the deadline."""
    pass_deadline(dialogue, "intent_deadline")
    with pytest.raises(Conflict, match="deadline"):
        services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=300)
    assert not Participation.objects.exists()


def test_withdrawing_after_the_competition_started_is_refused(competition, bodo_admin, county_admin):
    with pytest.raises(Conflict):
        services.participation_withdraw(actor=bodo_admin, procurement_id=competition.pk)
    with pytest.raises(Conflict):
        services.participation_declare(actor=county_admin, procurement_id=competition.pk, volume=10)
    assert Participation.objects.get().status == "declared"


@pytest.mark.parametrize("who", ["vendor", "member", "platform_admin"])
def test_only_organisation_admins_of_municipalities_and_counties_declare(who, dialogue, seller, bodo_member, ks_admin):
    actor = {"vendor": seller, "member": bodo_member, "platform_admin": ks_admin}[who]
    with pytest.raises(PermissionRefused):
        services.participation_declare(actor=actor, procurement_id=dialogue.pk, volume=100)
    assert not Participation.objects.exists()


def test_terms_must_be_accepted(dialogue, bodo_admin, other_municipality):
    from marketplace.terms import forget_pending_terms

    TermsAcceptance.objects.filter(organisation=other_municipality).delete()
    forget_pending_terms(bodo_admin.acting_organisation)
    with pytest.raises(TermsNotAccepted):
        services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=100)


@pytest.mark.parametrize("volume", [0, -5, "mange", None, 10_000_001])
def test_bad_volume_is_a_field_error(dialogue, bodo_admin, volume):
    with pytest.raises(ValidationError) as error:
        services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=volume)
    assert "volume" in error.value.message_dict


def test_a_planning_procurement_is_not_found_by_others(planning, bodo_admin):
    with pytest.raises(NotFound):
        services.participation_declare(actor=bodo_admin, procurement_id=planning.pk, volume=100)


def test_withdrawing_without_intent_is_not_found(dialogue, bodo_admin):
    with pytest.raises(NotFound):
        services.participation_withdraw(actor=bodo_admin, procurement_id=dialogue.pk)


def test_the_lead_is_told_of_intent_and_withdrawal(dialogue, bodo_admin, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_declare(actor=bodo_admin, procurement_id=dialogue.pk, volume=300)
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_withdraw(actor=bodo_admin, procurement_id=dialogue.pk)
    titles = list(Notification.objects.filter(recipient=lead, kind="store.procurement_participation")
                  .values_list("title", flat=True))
    assert len(titles) == 2 and all("Bodø" in t for t in titles)
