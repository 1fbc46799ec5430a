"""Reads for screens and API, scoped to what the actor may see, with fixed query counts."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    AuditEvent,
    Category,
    Invitation,
    Membership,
    Notification,
    Organisation,
    ServiceArea,
    Terms,
    TermsAcceptance,
    User,
)


def organisation_list(*, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    """Organisations are public (name, kind, numbers); memberships are not."""
    qs = Organisation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(org_number__startswith=search.replace(" ", "")) |
                       Q(municipality_number=search))
    return qs.order_by("name")


def organisation_get(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")


def organisation_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).select_related("invited_by").order_by("-created_at")


def category_list_with_areas() -> QuerySet[Category]:
    return Category.objects.prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.filter(is_active=True).order_by("order", "name"))
    ).order_by("order", "name")


def category_list_with_all_areas() -> QuerySet[Category]:
    """For the operator: retired service areas too."""
    return Category.objects.prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.order_by("order", "name"))
    ).order_by("order", "name")


def service_area_list() -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(is_active=True).select_related("category")


def terms_history(*, audience: str | None = None) -> QuerySet[Terms]:
    qs = Terms.objects.filter(status=Terms.Status.PUBLISHED).annotate(acceptance_count=Count("acceptances"))
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("audience", "-effective_from", "-id")


def terms_drafts() -> QuerySet[Terms]:
    return Terms.objects.filter(status=Terms.Status.DRAFT).order_by("-created_at")


def terms_acceptances_for(*, organisation: Organisation) -> QuerySet[TermsAcceptance]:
    return TermsAcceptance.objects.filter(organisation=organisation).select_related("terms", "accepted_by")


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def audit_search(
    *,
    text: str = "",
    verb: str = "",
    actor: str = "",
    organisation_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The operator's view of the audit log (X-4)."""
    qs = AuditEvent.objects.select_related("actor", "organisation", "target_type")
    if text:
        qs = qs.filter(Q(target_repr__icontains=text) | Q(reason__icontains=text) | Q(verb__icontains=text))
    if verb:
        qs = qs.filter(verb__startswith=verb)
    if actor:
        qs = qs.filter(actor__email__icontains=actor)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(created_at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs.order_by("-created_at", "-id")


def history_for(obj) -> QuerySet[AuditEvent]:
    """The timeline of one object: every recorded event, oldest first."""
    from django.contrib.contenttypes.models import ContentType

    return (
        AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
        .select_related("actor", "organisation")
        .order_by("created_at", "id")
    )
