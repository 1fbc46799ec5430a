"""Innovasjonsarena on the start page (ORG-6): needs we collaborate on, requests waiting for our answer,
and new comments on needs I follow. Each panel costs a fixed number of queries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.dashboard import Panel, register

from . import selectors


@register(order=30)
def needs_panel(request) -> Panel | None:
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None:
        return None
    needs = selectors.needs_collaborating(organisation=organisation)
    if not needs:
        return None
    return Panel(
        title=_("Needs we collaborate on"),
        template="innovation/panels/_needs.html",
        context={"needs": needs, "organisation": organisation},
        count=len(needs),
    )


@register(order=31)
def requests_panel(request) -> Panel | None:
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None:
        return None
    waiting = selectors.requests_waiting(organisation=organisation)
    if not waiting:
        return None
    return Panel(
        title=_("Collaboration requests waiting for our answer"),
        template="innovation/panels/_requests.html",
        context={"requests": waiting},
        count=len(waiting),
    )


@register(order=32)
def comments_panel(request) -> Panel | None:
    comments = selectors.new_comments_on_followed(user=request.user)
    if not comments:
        return None
    return Panel(
        title=_("New comments on needs I follow"),
        template="innovation/panels/_comments.html",
        context={"comments": comments},
        count=len(comments),
    )
