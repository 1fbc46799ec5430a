"""Needs (INN-2): posting, editing, the desired declaration, visibility and the Vilkår gate (TRM-3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from innovation import services
from innovation.models import ChecklistItem, Follow, Need, Stage
from marketplace.errors import Conflict, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Role
from tests.conftest import make_member
from tests.factories import OrganisationFactory

from .factories import advance, invite

pytestmark = pytest.mark.django_db


def test_need_create_posts_an_idea_with_the_checklist_ready_and_the_author_following(owner, area, other_area):
    """INN-2, INN-7: a new need is an idea of the acting organisation, with the four checklist items."""
    need = services.need_create(
        actor=owner,
        title="Kognitiv kartlegging",
        summary="Felles kartlegging.",
        service_areas=[area, other_area],
        problem_today="Papir.",
        desired_situation="App.",
        systems_involved="EPJ",
        professions_involved="Sykepleiere",
        goals="Lik behandling av innbygger\n- Omforente kriterier\n\n",
    )
    assert need.owner == owner.acting_organisation
    assert need.stage == Stage.IDEA
    assert need.goals == ["Lik behandling av innbygger", "Omforente kriterier"]
    assert set(need.service_areas.all()) == {area, other_area}
    assert list(ChecklistItem.objects.filter(need=need).values_list("code", flat=True)) == [
        "laws",
        "national_initiatives",
        "anchored",
        "estimate",
    ]
    assert Follow.objects.filter(need=need, user=owner).exists()
    assert AuditEvent.objects.filter(verb="need.created", target_id=str(need.pk)).exists()


def test_need_create_refused_when_the_organisation_has_not_accepted_the_terms(area, terms_all):
    """TRM-3: an organisation that has not accepted the terms cannot post a need; nothing is stored."""
    organisation = OrganisationFactory(name="Vinje kommune")
    user = make_member(organisation, Role.ADMIN)
    with pytest.raises(TermsNotAccepted) as refused:
        services.need_create(actor=user, title="Idé", summary="Noe.", service_areas=[area])
    assert "/vilkar/" in str(refused.value)  # the message links the terms
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"summary": ""}, "summary"),
        ({"service_areas": []}, "service_areas"),
        ({"goals": ["x" * 201]}, "goals"),
        ({"desired_declaration": {"informasjon": {"data_location": "mars"}}}, "desired_declaration"),
    ],
)
def test_need_create_refuses_bad_input_field_by_field(owner, area, fields, field):
    """X-7: bad input gives a field-level message and stores nothing."""
    values = {"title": "Kognitiv kartlegging", "summary": "Felles kartlegging.", "service_areas": [area]}
    values.update(fields)
    with pytest.raises(ValidationError) as refused:
        services.need_create(actor=owner, **values)
    assert field in refused.value.message_dict
    assert not Need.objects.exists()


def test_core_team_member_edits_the_description(need, owner, bodo, other_area):
    """INN-4: the core team (here an invited and accepted collaborator) edits the need."""
    invite(need, owner=owner, invitee=bodo)
    services.need_update(
        actor=bodo, need_id=need.pk, summary="Ny oppsummering.", goals=["Mål"], service_areas=[other_area]
    )
    need.refresh_from_db()
    assert need.summary == "Ny oppsummering."
    assert need.goals == ["Mål"]
    assert list(need.service_areas.all()) == [other_area]
    assert AuditEvent.objects.filter(verb="need.updated", actor=bodo).exists()


def test_editing_a_published_need_one_does_not_collaborate_on_is_refused(need, owner, inger):
    """INN-4: Inger can read the published need but not edit it; nothing changes."""
    advance(owner, need, Stage.PUBLISHED)
    with pytest.raises(PermissionRefused):
        services.need_update(actor=inger, need_id=need.pk, title="Kapret")
    need.refresh_from_db()
    assert need.title == "Kognitiv kartlegging"


def test_editing_a_need_not_visible_to_the_organisation_is_not_found(need, inger):
    """ORG-4: an idea of another organisation is a 404 for Inger, as if it did not exist."""
    with pytest.raises(NotFound):
        services.need_update(actor=inger, need_id=need.pk, title="Kapret")
    need.refresh_from_db()
    assert need.title == "Kognitiv kartlegging"


def test_an_archived_need_no_longer_changes(need, owner):
    services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.ARCHIVED, reason="Dekkes nasjonalt.")
    with pytest.raises(Conflict):
        services.need_update(actor=owner, need_id=need.pk, title="Ny")


def test_desired_declaration_is_validated_with_the_shared_schema_and_saved(need, owner):
    """INN-2: the desired declaration uses the product-declaration schema of marketplace."""
    declaration = {
        "funksjon": {"description": "Kartlegging ute hos innbyggeren", "professions": ["Sykepleier"]},
        "informasjon": {
            "fhir_resources": {"QuestionnaireResponse": ["create", "read"]},
            "data_location": "norway",
        },
    }
    services.need_update_declaration(actor=owner, need_id=need.pk, declaration=declaration)
    need.refresh_from_db()
    assert need.desired_declaration == declaration

    with pytest.raises(ValidationError) as refused:
        services.need_update_declaration(
            actor=owner,
            need_id=need.pk,
            declaration={"informasjon": {"fhir_resources": {"Pasient": ["read"]}}},
        )
    assert "desired_declaration" in refused.value.message_dict
    need.refresh_from_db()
    assert need.desired_declaration == declaration


def test_visibility_follows_stage_and_core_team(need, owner, inger, bodo, platform_admin):
    """Ideas are seen by the core team and platform admins; published needs by everyone."""
    assert owner.has_perm("innovation.view_need", need)
    assert platform_admin.has_perm("innovation.view_need", need)
    assert not inger.has_perm("innovation.view_need", need)
    invite(need, owner=owner, invitee=bodo)
    need = Need.objects.get(pk=need.pk)
    assert bodo.has_perm("innovation.view_need", need)
    advance(owner, need, Stage.PUBLISHED)
    need = Need.objects.get(pk=need.pk)
    assert inger.has_perm("innovation.view_need", need)
    from django.contrib.auth.models import AnonymousUser

    assert AnonymousUser().has_perm("innovation.view_need", need)


def test_an_owner_can_open_an_unpublished_need_to_other_participants(need, owner, inger):
    """An idea opened to participants is found by logged-in organisations (to ask to join), not by anonymous
    readers, and they still cannot edit it."""
    from django.contrib.auth.models import AnonymousUser

    from innovation import selectors

    assert need.pk not in [n.pk for n in selectors.need_list(user=inger)]
    services.need_update(actor=owner, need_id=need.pk, shared=True)
    need = Need.objects.get(pk=need.pk)
    assert inger.has_perm("innovation.view_need", need)
    assert not AnonymousUser().has_perm("innovation.view_need", need)
    assert need.pk in [n.pk for n in selectors.need_list(user=inger)]
    assert inger.has_perm("innovation.request_collaboration", need)
    assert not inger.has_perm("innovation.change_need", need)
    services.collaboration_request(actor=inger, need_id=need.pk)
