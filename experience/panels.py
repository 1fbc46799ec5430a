"""Erfaringsarena on the start page (ORG-6): new experiences on products my organisation uses, experiences
about our products that wait for the vendor's reply, my drafts, and the moderation queue. Each panel
costs a fixed number of queries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.dashboard import Panel, register

from . import selectors
from .models import Experience


@register(order=70)
def used_products_panel(request) -> Panel | None:
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or organisation.is_vendor or organisation.is_operator:
        return None
    experiences = selectors.new_on_used_products(organisation=organisation)
    if not experiences:
        return None
    return Panel(
        title=_("New experiences on products we use"),
        template="experience/panels/_used_products.html",
        context={"experiences": experiences},
        count=len(experiences),
    )


@register(order=71)
def vendor_reply_panel(request) -> Panel | None:
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or not organisation.is_vendor:
        return None
    experiences = selectors.awaiting_vendor_reply(organisation=organisation)
    if not experiences:
        return None
    return Panel(
        title=_("Experiences with our products waiting for our reply"),
        template="experience/panels/_awaiting_reply.html",
        context={"experiences": experiences},
        count=len(experiences),
    )


@register(order=72)
def drafts_panel(request) -> Panel | None:
    if getattr(request.user, "acting_organisation", None) is None:
        return None
    drafts = list(selectors.my_experiences(user=request.user).filter(status=Experience.Status.DRAFT)[:5])
    if not drafts:
        return None
    return Panel(
        title=_("Experiences not yet published"),
        template="experience/panels/_drafts.html",
        context={"experiences": drafts},
        count=len(drafts),
    )


@register(order=73)
def moderation_panel(request) -> Panel | None:
    if not request.user.has_perm("experience.moderate"):
        return None
    count = selectors.open_report_count()
    if not count:
        return None
    return Panel(
        title=_("Reports waiting for moderation"),
        template="experience/panels/_moderation.html",
        context={"count": count},
        count=count,
    )
