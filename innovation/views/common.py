"""What every page of one need shares: breadcrumbs, the tabs, the header and the actor's rights."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.acting import acting_organisation
from marketplace.errors import DomainError

from .. import selectors
from ..models import STAGE_ORDER, Need, Stage
from ..services.stages import is_back_step

TABS = (
    ("overview", gettext_lazy("Overview"), "innovation:need_detail"),
    ("declaration", gettext_lazy("Produktdeklarasjon"), "innovation:need_declaration"),
    ("collaboration", gettext_lazy("Core team and collaboration"), "innovation:need_collaboration"),
    ("involvement", gettext_lazy("Involvement"), "innovation:need_involvement"),
    ("checklist", gettext_lazy("Readiness checklist"), "innovation:need_checklist"),
    ("criteria", gettext_lazy("Evaluation criteria"), "innovation:need_criteria"),
    ("history", gettext_lazy("History"), "innovation:need_history"),
)


def primary_area(request: HttpRequest, need: Need):
    """The service area the reader came from (?omrade=), else the need's first."""
    areas = list(need.service_areas.all())
    wanted = request.GET.get("omrade")
    for area in areas:
        if area.slug == wanted:
            return area
    return areas[0] if areas else None


def need_breadcrumbs(
    request: HttpRequest, need: Need, tab: str = "overview", extra: str | None = None
) -> list:
    crumbs = [(_("Innovasjonsarena"), reverse("innovation:home"))]
    area = primary_area(request, need)
    if area is not None:
        crumbs.append((area.display_name, reverse("innovation:service_area", args=[area.slug])))
    if tab == "overview" and extra is None:
        crumbs.append((need.title, None))
    else:
        crumbs.append((need.title, need.get_absolute_url()))
        label = extra or str(dict((k, v) for k, v, _u in TABS)[tab])
        crumbs.append((label, None))
    return crumbs


def stage_steps(need: Need) -> list[dict]:
    """The stage track for the header: done, current or ahead."""
    current = STAGE_ORDER.index(need.stage)
    return [
        {
            "value": value,
            "label": Stage(value).label,
            "state": "current" if i == current else ("done" if i < current else "ahead"),
        }
        for i, value in enumerate(STAGE_ORDER)
    ]


def stage_moves(need: Need) -> list[dict]:
    moves = sorted(Need.workflow.targets(need.stage), key=STAGE_ORDER.index)
    return [
        {
            "value": to,
            "label": Stage(to).label,
            "back": is_back_step(need.stage, to),
            "archive": to == Stage.ARCHIVED,
        }
        for to in moves
    ]


def need_page(request: HttpRequest, need: Need, tab: str, **extra: Any) -> dict:
    """The context every tab of a need page needs."""
    user = request.user
    organisation = acting_organisation(user)
    context = {
        "need": need,
        "tab": tab,
        "tabs": [(key, label, reverse(name, args=[need.pk])) for key, label, name in TABS],
        "breadcrumbs": need_breadcrumbs(request, need, tab),
        "core_team": selectors.core_team(need),
        "in_core_team": organisation is not None and organisation.pk in selectors.core_team_ids(need),
        "is_owner": organisation is not None and need.owner_id == organisation.pk,
        "invited": organisation is not None and organisation.pk in selectors.invited_ids(need),
        "can_edit": user.has_perm("innovation.change_need", need),
        "following": selectors.is_following(need, user),
        "steps": stage_steps(need),
    }
    context.update(extra)
    return context


def report(request: HttpRequest, error: Exception) -> None:
    """Show a refusal from a service as a message on the page."""
    if isinstance(error, DomainError):
        messages.error(request, error.message)
    elif isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
