"""Core team and collaboration (INN-4) and interested vendors (INN-6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.acting import acting_organisation
from marketplace.errors import DomainError
from marketplace.forms import call_service

from .. import selectors, services
from ..forms import CollaborationRequestForm, DecisionForm, InterestForm, InviteForm
from .common import need_page, report


def need_collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    """The core team, requests to join it, and the vendors interested in the need."""
    need = selectors.need_get(user=request.user, pk=pk)
    user = request.user
    organisation = acting_organisation(user)
    form = None
    if user.has_perm("innovation.request_collaboration", need):
        form = CollaborationRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            collaboration = call_service(
                form,
                services.collaboration_request,
                actor=user,
                need_id=need.pk,
                message=form.cleaned_data["message"],
            )
            if collaboration is not None:
                messages.success(
                    request,
                    _("%(organisation)s has asked to collaborate. The owner is told and answers here.")
                    % {"organisation": organisation},
                )
                return redirect("innovation:need_collaboration", pk=need.pk)
    elif request.method == "POST":
        # The request form is not offered: say why, through the same service.
        try:
            services.collaboration_request(
                actor=user, need_id=need.pk, message=request.POST.get("message", "")
            )
        except (DomainError, ValidationError) as error:
            report(request, error)
        return redirect("innovation:need_collaboration", pk=need.pk)
    mine = selectors.collaboration_of(need, organisation)
    is_owner = user.has_perm("innovation.change_need_stage", need)
    pending = list(selectors.pending_collaborations(need)) if is_owner else []
    can_invite = user.has_perm("innovation.invite_collaborator", need)
    context = need_page(
        request,
        need,
        "collaboration",
        request_form=form,
        mine=mine,
        requests=[c for c in pending if not c.is_invitation],
        invitations=[c for c in pending if c.is_invitation],
        invite_form=InviteForm(organisations=selectors.invitable_organisations(need), prefix="invite")
        if can_invite
        else None,
        accepted=getattr(need, "accepted_collaborations", []),
        decision_form=DecisionForm(),
        interest=selectors.interest_of(need, organisation)
        if organisation and organisation.is_vendor
        else None,
        interest_form=InterestForm() if user.has_perm("innovation.register_interest", need) else None,
        vendors=selectors.interested_vendors(need)
        if user.has_perm("innovation.view_interested_vendors", need)
        else None,
        vendor_count=selectors.interested_vendors(need).count(),
        is_vendor=organisation is not None and organisation.is_vendor,
    )
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "innovation/need/collaboration.html", context, status=status)


@login_required
@require_POST
def need_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite an organisation into the core team (owner organisation)."""
    need = selectors.need_get(user=request.user, pk=pk)
    form = InviteForm(request.POST, organisations=selectors.invitable_organisations(need), prefix="invite")
    if form.is_valid():
        try:
            collaboration = services.collaboration_invite(
                actor=request.user,
                need_id=need.pk,
                organisation_id=form.cleaned_data["organisation"].pk,
                message=form.cleaned_data["message"],
            )
            messages.success(
                request,
                _("%(organisation)s is invited to the core team and is told.")
                % {"organisation": collaboration.organisation.name},
            )
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("innovation:need_collaboration", pk=need.pk)


def _collaboration_action(request: HttpRequest, pk: int, func, success: str, **kwargs) -> HttpResponse:
    collaboration = selectors.collaboration_get(user=request.user, pk=pk)
    try:
        func(actor=request.user, collaboration_id=collaboration.pk, **kwargs)
        messages.success(request, success % {"organisation": collaboration.organisation.name})
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect("innovation:need_collaboration", pk=collaboration.need_id)


@login_required
@require_POST
def collaboration_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _collaboration_action(
        request,
        pk,
        services.collaboration_accept,
        _("%(organisation)s is now in the core team."),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def collaboration_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _collaboration_action(
        request,
        pk,
        services.collaboration_decline,
        _("The request of %(organisation)s is declined."),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def collaboration_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _collaboration_action(
        request, pk, services.collaboration_withdraw, _("The request of %(organisation)s is withdrawn.")
    )


@login_required
@require_POST
def collaboration_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _collaboration_action(
        request,
        pk,
        services.collaboration_end,
        _("%(organisation)s is no longer in the core team."),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def need_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """Register or withdraw the acting vendor's interest (INN-6)."""
    try:
        if request.POST.get("withdraw"):
            services.interest_withdraw(actor=request.user, need_id=pk)
            messages.success(request, _("The interest is withdrawn."))
        else:
            form = InterestForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.interest_register(actor=request.user, need_id=pk, note=note)
            messages.success(
                request,
                _(
                    "Your organisation is registered as interested and will be told when the "
                    "need changes stage."
                ),
            )
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect("innovation:need_collaboration", pk=pk)
