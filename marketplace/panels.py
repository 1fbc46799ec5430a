"""The core's panels on the start page (ORG-6)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .dashboard import Panel, register
from .models import Invitation


@register(order=10)
def terms_panel(request) -> Panel | None:
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None:
        return None
    from .terms import terms_pending_for

    pending = terms_pending_for(organisation)
    if not pending:
        return None
    return Panel(
        title=_("Terms to accept"),
        template="marketplace/panels/_terms.html",
        context={"pending": pending, "organisation": organisation},
        count=len(pending),
    )


@register(order=15)
def invitations_panel(request) -> Panel | None:
    invitations = list(
        Invitation.objects.filter(email__iexact=request.user.email, status=Invitation.Status.PENDING)
        .select_related("organisation")
        .order_by("-created_at")[:10]
    )
    if not invitations:
        return None
    return Panel(
        title=_("Invitations waiting for you"),
        template="marketplace/panels/_invitations.html",
        context={"invitations": invitations},
        count=len(invitations),
    )


@register(order=900)
def notifications_panel(request) -> Panel | None:
    latest = list(request.user.notifications.filter(read_at=None).order_by("-created_at", "-id")[:5])
    if not latest:
        return None
    # The badge counts every unread notification, not only the five shown.
    count = request.user.notifications.filter(read_at=None).count()
    return Panel(
        title=_("Unread notifications"),
        template="marketplace/panels/_notifications.html",
        context={"notifications": latest},
        count=count,
    )


@register(order=5)
def operator_panel(request) -> Panel | None:
    if not request.user.has_perm("marketplace.view_audit"):
        return None
    return Panel(title=_("Operator tools"), template="marketplace/panels/_operator.html")
