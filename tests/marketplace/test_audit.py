"""X-4: the audit log — every decision recorded, a searchable view for platform administrators only."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.audit import audit_record
from marketplace.models import AuditEvent
from marketplace.selectors import audit_search

from ..conftest import login
from ..factories import InvitationFactory, UserFactory
from .helpers import shows

pytestmark = pytest.mark.django_db


def at(days_ago: int, hour: int = 12) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def events(municipal_admin, vendor_admin, municipality, vendor):
    invitation = InvitationFactory(organisation=municipality, email="ny@example.no")
    made = [
        audit_record(actor=municipal_admin, verb="invitation.created", target=invitation, organisation=municipality),
        audit_record(actor=vendor_admin, verb="terms.accepted", organisation=vendor, reason="Godkjent av styret"),
        audit_record(actor=None, verb="terms.announced", data={"admins": 3}),
        audit_record(actor=municipal_admin, verb="membership.removed", organisation=municipality, reason="Sluttet"),
    ]
    for event, days_ago in zip(made, [10, 5, 2, 0]):
        AuditEvent.objects.filter(pk=event.pk).update(created_at=at(days_ago))
    return {e.verb: e for e in made}


def verbs(response) -> set[str]:
    return {e.verb for e in response.context["page"]}


def test_platform_admin_sees_the_log_newest_first_X_4(events, platform_admin):
    response = login(platform_admin).get(reverse("marketplace:audit"))
    assert response.status_code == 200
    assert [e.verb for e in response.context["page"]] == [
        "membership.removed", "terms.announced", "terms.accepted", "invitation.created"]
    assert shows(response, "Godkjent av styret")
    assert shows(response, "ny@example.no")


@pytest.mark.parametrize("who", ["municipal_admin", "vendor_admin", "municipal_member"])
def test_log_is_hidden_from_everyone_else_X_4(events, who, request):
    response = login(request.getfixturevalue(who)).get(reverse("marketplace:audit"))
    assert response.status_code == 404
    assert not shows(response, "Godkjent av styret")


def test_log_needs_login_X_4(client, events):
    response = client.get(reverse("marketplace:audit"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"text": "styret"}, {"terms.accepted"}),           # reason
        ({"text": "ny@example"}, {"invitation.created"}),   # the object
        ({"text": "ANNOUNCED"}, {"terms.announced"}),       # the event name, any case
        ({"verb": "terms."}, {"terms.accepted", "terms.announced"}),
        ({"verb": "terms.accepted"}, {"terms.accepted"}),
        ({"actor": "admin@kartleggeren"}, {"terms.accepted"}),
        ({"actor": "ringsaker"}, {"invitation.created", "membership.removed"}),
    ],
)
def test_filters_on_text_event_and_person_X_4(events, platform_admin, params, expected):
    response = login(platform_admin).get(reverse("marketplace:audit"), params)
    assert response.status_code == 200
    assert verbs(response) == expected


def test_filters_on_dates_inclusive_X_4(events, platform_admin):
    client = login(platform_admin)
    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    until = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert verbs(client.get(reverse("marketplace:audit"), {"since": since})) == {
        "terms.accepted", "terms.announced", "membership.removed"}
    assert verbs(client.get(reverse("marketplace:audit"), {"until": until})) == {
        "invitation.created", "terms.accepted", "terms.announced"}
    assert verbs(client.get(reverse("marketplace:audit"), {"since": since, "until": until})) == {
        "terms.accepted", "terms.announced"}


def test_filters_combine_X_4(events, platform_admin):
    response = login(platform_admin).get(reverse("marketplace:audit"), {"verb": "terms.", "actor": "kartleggeren"})
    assert verbs(response) == {"terms.accepted"}


def test_no_match_says_so_X_4(events, platform_admin):
    response = login(platform_admin).get(reverse("marketplace:audit"), {"text": "finnes ikke"})
    assert list(response.context["page"]) == []


def test_invalid_date_is_shown_at_the_field_and_nothing_is_filtered_X_4(events, platform_admin):
    response = login(platform_admin).get(reverse("marketplace:audit"), {"since": "ikke-en-dato"})
    assert response.status_code == 200
    assert response.context["form"].errors["since"]
    assert len(verbs(response)) == 4


def test_selector_filters_by_organisation_X_4(events, municipality):
    assert {e.verb for e in audit_search(organisation_id=municipality.pk)} == {"invitation.created", "membership.removed"}


def test_audit_record_takes_the_actors_acting_organisation_X_4(municipal_admin, municipality):
    event = audit_record(actor=municipal_admin, verb="x.y")
    assert event.organisation == municipality
    assert audit_record(actor=None, verb="x.z").organisation is None


def make_events(n: int) -> None:
    people = [UserFactory() for _ in range(3)]
    for i in range(n):
        audit_record(actor=people[i % 3], verb=f"demo.event{i}", target=people[i % 3], reason="r")


def test_log_costs_the_same_queries_for_5_and_50_events_X_4(platform_admin, django_assert_max_num_queries):
    client = login(platform_admin)
    make_events(5)
    with django_assert_max_num_queries(15) as few:
        assert len(client.get(reverse("marketplace:audit")).context["page"]) == 5
    make_events(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("marketplace:audit")).context["page"]) == 50


def test_log_is_paginated_X_4(platform_admin):
    make_events(60)
    client = login(platform_admin)
    assert len(client.get(reverse("marketplace:audit")).context["page"]) == 50
    second = client.get(reverse("marketplace:audit"), {"page": 2, "verb": "demo."})
    assert len(second.context["page"]) == 10
