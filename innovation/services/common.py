"""Helpers shared by the services of Innovasjonsarena: the acting organisation, locking and access checks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from marketplace.acting import acting_organisation
from marketplace.errors import Conflict, NotFound, PermissionRefused
from marketplace.models import Organisation
from marketplace.permissions import ensure_allowed

from ..models import Need


def acting(actor: Any) -> Organisation:
    """The organisation the actor acts for; refused when there is none."""
    organisation = acting_organisation(actor)
    if organisation is None:
        raise PermissionRefused(_("Choose an organisation to act for first."))
    return organisation


def lock_need(actor: Any, need_id: int) -> Need:
    """Lock a need the actor may see; NotFound for missing and forbidden alike."""
    need = Need.objects.select_for_update().filter(pk=need_id).first()
    if need is None or not actor.has_perm("innovation.view_need", need):
        raise NotFound(_("Need not found."))
    return need


def ensure_can_edit(actor: Any, need: Need) -> None:
    """Only the core team edits a need, and an archived need no longer changes."""
    if need.is_archived:
        raise Conflict(_("The need is archived and can no longer be changed."))
    ensure_allowed(
        actor,
        "innovation.change_need",
        need,
        message=_("Only the core team of this need can change it. Ask to collaborate first."),
    )
