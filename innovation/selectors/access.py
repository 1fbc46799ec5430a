"""Who is in a core team, and which needs an actor may see (ORG-4)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from marketplace.acting import acting_organisation
from marketplace.models import Document

from ..models import (
    PUBLIC_STAGES,
    Collaboration,
    Need,
)

# Who is in the core team, and who may see what ------------------------------------------------------


def core_team_ids(need: Need) -> set[int]:
    """Ids of the owner and the accepted collaborators, loaded once per need instance."""
    cached = getattr(need, "_core_team_ids", None)
    if cached is None:
        accepted = getattr(need, "accepted_collaborations", None)
        if accepted is None:
            accepted = Collaboration.objects.filter(need=need, status=Collaboration.Status.ACCEPTED)
            ids = set(accepted.values_list("organisation_id", flat=True))
        else:
            ids = {c.organisation_id for c in accepted}
        cached = {need.owner_id, *ids}
        need._core_team_ids = cached
    return cached


def invited_ids(need: Need) -> set[int]:
    """Ids of organisations with an unanswered invitation to the core team, loaded once per need instance."""
    cached = getattr(need, "_invited_ids", None)
    if cached is None:
        cached = set(
            Collaboration.objects.filter(
                need=need, kind=Collaboration.Kind.INVITATION, status=Collaboration.Status.PENDING
            ).values_list("organisation_id", flat=True)
        )
        need._invited_ids = cached
    return cached


def visibility_filter(user: Any) -> Q:
    """Published and archived needs for all; shared ones for participants; the rest for the core team,
    invited organisations and platform admins."""
    public = Q(stage__in=PUBLIC_STAGES)
    organisation = acting_organisation(user)
    if organisation is None:
        return public
    if organisation.is_operator:
        return Q()
    involved = Collaboration.objects.filter(organisation=organisation).filter(
        Q(status=Collaboration.Status.ACCEPTED)
        | Q(status=Collaboration.Status.PENDING, kind=Collaboration.Kind.INVITATION)
    )
    return public | Q(shared=True) | Q(owner=organisation) | Q(pk__in=involved.values("need_id"))


def visible_needs(user: Any) -> QuerySet[Need]:
    return Need.objects.filter(visibility_filter(user))


def _accepted_prefetch() -> Prefetch:
    return Prefetch(
        "collaborations",
        queryset=Collaboration.objects.filter(status=Collaboration.Status.ACCEPTED)
        .select_related("organisation")
        .order_by("organisation__name"),
        to_attr="accepted_collaborations",
    )


def _document_count(model) -> Coalesce:
    documents = (
        Document.objects.filter(owner_type=ContentType.objects.get_for_model(model), owner_id=OuterRef("pk"))
        .order_by()
        .values("owner_id")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Coalesce(Subquery(documents, output_field=IntegerField()), Value(0))
