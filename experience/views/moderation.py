"""The moderators' queue (EXP-4): reports grouped by target; hide with a reason, restore, dismiss."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError, NotFound, PermissionRefused

from .. import selectors, services
from ..forms import ModerationForm, RestoreForm
from .common import arena_crumb, report, safe_next

QUEUE = "experience:moderation"


def _ensure_moderator(request: HttpRequest) -> None:
    if not request.user.has_perm("experience.moderate"):
        raise PermissionRefused(_("Only platform administrators moderate Erfaringsarena."))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _ensure_moderator(request)
    return render(
        request,
        "experience/moderation.html",
        {
            "groups": selectors.open_reports(),
            "hidden": selectors.hidden_content(),
            "hide_form": ModerationForm(),
            "restore_form": RestoreForm(),
            "breadcrumbs": [arena_crumb(), (_("Moderation"), None)],
        },
    )


def _act(request: HttpRequest, func, done: str, **kwargs) -> HttpResponse:
    _ensure_moderator(request)
    try:
        func(actor=request.user, reason=request.POST.get("reason", ""), **kwargs)
        messages.success(request, done)
    except NotFound:
        raise
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect(safe_next(request, reverse(QUEUE)))


@login_required
@require_POST
def experience_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        services.experience_hide,
        _("The experience is hidden. The author is told why."),
        experience_id=pk,
    )


@login_required
@require_POST
def experience_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, services.experience_restore, _("The experience is shown again."), experience_id=pk)


@login_required
@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, services.comment_hide, _("The comment is hidden. The author is told why."), comment_id=pk
    )


@login_required
@require_POST
def comment_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, services.comment_restore, _("The comment is shown again."), comment_id=pk)


@login_required
@require_POST
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, services.report_dismiss, _("The report is dismissed."), report_id=pk)
