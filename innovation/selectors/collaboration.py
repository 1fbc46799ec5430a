"""Core teams, collaboration requests and invitations, interested vendors, start-page reads (INN-4, INN-6)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.acting import acting_organisation
from marketplace.errors import NotFound
from marketplace.models import Organisation

from ..models import (
    Collaboration,
    Comment,
    Follow,
    InterestedVendor,
    Need,
    Stage,
)
from .access import core_team_ids


def core_team(need: Need) -> list[Organisation]:
    """The owner first, then the accepted collaborators by name."""
    accepted = getattr(need, "accepted_collaborations", None)
    if accepted is None:
        accepted = list(
            Collaboration.objects.filter(need=need, status=Collaboration.Status.ACCEPTED)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    return [need.owner, *[c.organisation for c in accepted]]


def pending_collaborations(need: Need) -> QuerySet[Collaboration]:
    """Unanswered requests and invitations on a need (for its owner)."""
    return (
        Collaboration.objects.filter(need=need, status=Collaboration.Status.PENDING)
        .select_related("organisation", "requested_by")
        .order_by("kind", "created_at")
    )


def invitable_organisations(need: Need) -> QuerySet[Organisation]:
    """Organisations the owner can invite: no vendors or operator, not in the core team, nothing pending."""
    pending = Collaboration.objects.filter(need=need, status=Collaboration.Status.PENDING).values(
        "organisation_id"
    )
    return (
        Organisation.objects.exclude(kind__in=[Organisation.Kind.VENDOR, Organisation.Kind.OPERATOR])
        .exclude(pk__in=core_team_ids(need))
        .exclude(pk__in=pending)
        .order_by("name")
    )


def collaboration_of(need: Need, organisation: Organisation | None) -> Collaboration | None:
    """The open (pending or accepted) collaboration of an organisation on a need, or the latest closed one."""
    if organisation is None:
        return None
    return (
        Collaboration.objects.filter(need=need, organisation=organisation)
        .order_by("-created_at", "-id")
        .first()
    )


def collaboration_get(*, user: Any, pk: int) -> Collaboration:
    collaboration = (
        Collaboration.objects.select_related("need", "need__owner", "organisation").filter(pk=pk).first()
    )
    if collaboration is None or not user.has_perm("innovation.view_collaboration", collaboration):
        raise NotFound(_("Collaboration request not found."))
    return collaboration


def collaborations_for(*, user: Any, need: Need | None = None, status: str = "") -> QuerySet[Collaboration]:
    """Requests the actor's organisation made or must answer (platform admins: all)."""
    qs = Collaboration.objects.select_related(
        "need", "need__owner", "organisation", "requested_by", "decided_by"
    )
    organisation = acting_organisation(user)
    if organisation is None:
        return qs.none()
    if not organisation.is_operator:
        qs = qs.filter(Q(organisation=organisation) | Q(need__owner=organisation))
    if need is not None:
        qs = qs.filter(need=need)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def interested_vendors(need: Need) -> QuerySet[InterestedVendor]:
    return InterestedVendor.objects.filter(need=need).select_related("organisation", "registered_by")


def interest_of(need: Need, organisation: Organisation | None) -> InterestedVendor | None:
    if organisation is None:
        return None
    return InterestedVendor.objects.filter(need=need, organisation=organisation).first()


# Start page (ORG-6) -----------------------------------------------------------------------------


def needs_collaborating(*, organisation: Organisation, limit: int = 8) -> list[Need]:
    """Open needs the organisation owns or collaborates on, most recently changed first."""
    involved = Collaboration.objects.filter(organisation=organisation, status=Collaboration.Status.ACCEPTED)
    return list(
        Need.objects.filter(Q(owner=organisation) | Q(pk__in=involved.values("need_id")))
        .exclude(stage=Stage.ARCHIVED)
        .select_related("owner")
        .order_by("-updated_at", "-id")[:limit]
    )


def requests_waiting(*, organisation: Organisation, limit: int = 10) -> list[Collaboration]:
    """Requests to join our needs, and invitations to our organisation, that wait for our answer."""
    return list(
        Collaboration.objects.filter(status=Collaboration.Status.PENDING)
        .filter(
            Q(kind=Collaboration.Kind.REQUEST, need__owner=organisation)
            | Q(kind=Collaboration.Kind.INVITATION, organisation=organisation)
        )
        .select_related("need", "need__owner", "organisation")
        .order_by("created_at", "id")[:limit]
    )


def new_comments_on_followed(*, user: Any, days: int = 14, limit: int = 5) -> list[Comment]:
    """Recent comments by others on needs the person follows."""
    since = timezone.now() - timedelta(days=days)
    followed = Follow.objects.filter(user=user).values("need_id")
    return list(
        Comment.objects.filter(need_id__in=followed, created_at__gte=since)
        .exclude(author=user)
        .select_related("need", "author", "organisation")
        .order_by("-created_at", "-id")[:limit]
    )
