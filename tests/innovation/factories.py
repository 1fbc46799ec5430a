"""Factories and helpers for Innovasjonsarena tests. State that has rules is made through the services."""

from __future__ import annotations

import factory

from innovation import services
from innovation.models import ChecklistItem, Need, Stage
from marketplace.models import Organisation
from tests.factories import OrganisationFactory, ServiceAreaFactory

DEFAULT_CRITERIA = [
    {"name": "Støtte for omforente kartleggingskriterier", "description": "", "weight": 60},
    {"name": "Pris og lisensmodell", "description": "", "weight": 40},
]


class CountyFactory(OrganisationFactory):
    kind = Organisation.Kind.COUNTY
    name = factory.Sequence(lambda n: f"Fylkeskommune {n}")
    municipality_number = ""


def make_need(actor, *, areas=None, title="Kognitiv kartlegging", summary=None, **fields) -> Need:
    """A need posted by `actor`'s organisation through the service."""
    areas = areas or [ServiceAreaFactory()]
    return services.need_create(
        actor=actor,
        title=title,
        summary=summary or f"{title}: en felles og strukturert måte å jobbe på i hjemmetjenesten.",
        service_areas=areas,
        **fields,
    )


def tick_all(actor, need: Need) -> None:
    for item in ChecklistItem.objects.filter(need=need, checked=False):
        services.checklist_set(
            actor=actor, need_id=need.pk, item_id=item.pk, checked=True, comment="Sjekket."
        )


def advance(actor, need: Need, to: str) -> Need:
    """Walk a need forward to `to` through the services, doing what each step requires."""
    order = [Stage.IDEA, Stage.PRIORITISATION, Stage.EVALUATION_CRITERIA, Stage.PUBLISHED]
    for stage in order[order.index(need.stage) + 1 :]:
        need.refresh_from_db()
        if need.stage == to:
            break
        if stage == Stage.PUBLISHED:
            tick_all(actor, need)
        if stage == Stage.EVALUATION_CRITERIA:
            services.criteria_set(actor=actor, need_id=need.pk, criteria=DEFAULT_CRITERIA)
        services.need_change_stage(actor=actor, need_id=need.pk, to=stage)
    need.refresh_from_db()
    return need


def join(need: Need, *, asker, owner):
    """The asker's organisation asks to join and the owner accepts (for a need the asker can see)."""
    collaboration = services.collaboration_request(actor=asker, need_id=need.pk, message="Vi vil være med.")
    return services.collaboration_accept(actor=owner, collaboration_id=collaboration.pk)


def invite(need: Need, *, owner, invitee):
    """The owner invites the invitee's organisation and it accepts."""
    collaboration = services.collaboration_invite(
        actor=owner, need_id=need.pk, organisation_id=invitee.acting_organisation.pk
    )
    return services.collaboration_accept(actor=invitee, collaboration_id=collaboration.pk)


__all__ = ["ServiceAreaFactory"]
