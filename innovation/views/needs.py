"""Screens of one need: overview, create and edit, the desired declaration, stages, retiring, documents,
following and the discussion (INN-2, INN-3, INN-9, INN-10)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.declaration import DeclarationForm
from marketplace.errors import DomainError, PermissionRefused
from marketplace.forms import call_service

from ..plugins import rendered_need_sections
from .. import selectors, services
from ..forms import SIMILAR_URL, CommentForm, DocumentForm, NeedForm, RetireForm, StageForm
from ..models import Stage
from ..services.stages import publish_blockers
from .arena import arena_crumb
from .common import need_breadcrumbs, need_page, report, stage_moves


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The need: description, user story, goals, documents, stage, similar needs and the discussion."""
    need = selectors.need_get(user=request.user, pk=pk)
    is_owner_moves = request.user.has_perm("innovation.change_need_stage", need)
    moves = stage_moves(need) if is_owner_moves else []
    context = need_page(
        request,
        need,
        "overview",
        documents=selectors.need_documents(need),
        comments=selectors.comments(need),
        comment_form=CommentForm() if request.user.has_perm("innovation.comment_need", need) else None,
        document_form=DocumentForm() if request.user.has_perm("innovation.change_need", need) else None,
        moves=moves,
        stage_form=StageForm() if moves else None,
        blockers=publish_blockers(need) if any(m["value"] == Stage.PUBLISHED for m in moves) else [],
        similar=selectors.similar_needs(
            user=request.user, text=f"{need.title} {need.summary}", exclude_pk=need.pk, limit=3
        ),
        can_retire=request.user.has_perm("innovation.retire_need", need),
        can_request=request.user.has_perm("innovation.request_collaboration", need),
        can_register_interest=request.user.has_perm("innovation.register_interest", need),
        plugin_sections=rendered_need_sections(request, need),
    )
    return render(request, "innovation/need/detail.html", context)


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    """Post a new need; similar needs are shown while the title and summary are written."""
    if not request.user.has_perm("innovation.add_need"):
        raise Http404
    form = NeedForm(request.POST or None, similar_url=str(SIMILAR_URL))
    similar = None
    if request.method == "POST" and "check_similar" in request.POST:
        # Without JavaScript: the button lists similar needs and gives the draft back, without error messages.
        text = f"{request.POST.get('title', '')} {request.POST.get('summary', '')}"
        similar = selectors.similar_needs(user=request.user, text=text)
        draft = {
            name: request.POST.getlist(name) if name == "service_areas" else request.POST.get(name, "")
            for name in NeedForm.base_fields
        }
        form = NeedForm(initial=draft, similar_url=str(SIMILAR_URL))
    elif request.method == "POST" and form.is_valid():
        need = call_service(form, services.need_create, actor=request.user, **form.service_kwargs())
        if need is not None:
            messages.success(
                request, _("The need is posted as an idea. Invite others to collaborate when you are ready.")
            )
            return redirect(need)
    return render(
        request,
        "innovation/need/form.html",
        {
            "form": form,
            "similar": similar,
            "creating": True,
            "breadcrumbs": [arena_crumb(), (_("New need"), None)],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the description of a need (core team)."""
    need = selectors.need_get(user=request.user, pk=pk)
    if not request.user.has_perm("innovation.change_need", need):
        raise PermissionRefused(_("Only the core team of this need can change it. Ask to collaborate first."))
    initial = {
        "title": need.title,
        "summary": need.summary,
        "problem_today": need.problem_today,
        "desired_situation": need.desired_situation,
        "systems_involved": need.systems_involved,
        "professions_involved": need.professions_involved,
        "goals": "\n".join(need.goals or []),
        "service_areas": [a.pk for a in need.service_areas.all()],
        "shared": need.shared,
    }
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.need_update, actor=request.user, need_id=need.pk, **form.service_kwargs()
        )
        if saved is not None:
            messages.success(request, _("The need is saved."))
            return redirect(saved)
    return render(
        request,
        "innovation/need/form.html",
        {
            "form": form,
            "need": need,
            "creating": False,
            "breadcrumbs": need_breadcrumbs(request, need, extra=_("Edit")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def need_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """The desired product declaration, by section (INN-2)."""
    need = selectors.need_get(user=request.user, pk=pk)
    return render(request, "innovation/need/declaration.html", need_page(request, need, "declaration"))


@login_required
def need_declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the desired product declaration with the shared form (core team)."""
    need = selectors.need_get(user=request.user, pk=pk)
    if not request.user.has_perm("innovation.change_need", need):
        raise PermissionRefused(_("Only the core team of this need can change it. Ask to collaborate first."))
    form = DeclarationForm(request.POST or None, initial=need.desired_declaration)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.need_update_declaration,
            actor=request.user,
            need_id=need.pk,
            declaration=form.declaration(),
        )
        if saved is not None:
            messages.success(request, _("The desired product declaration is saved."))
            return redirect("innovation:need_declaration", pk=need.pk)
    context = need_page(request, need, "declaration", form=form)
    context["breadcrumbs"] = need_breadcrumbs(request, need, extra=_("Edit the desired product declaration"))
    return render(
        request,
        "innovation/need/declaration_form.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def need_stage(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the need to another stage (owner organisation)."""
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            need = services.need_change_stage(
                actor=request.user, need_id=pk, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The need is now at the stage %(stage)s.") % {"stage": need.get_stage_display()}
            )
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, _("Choose a stage."))
    return redirect("innovation:need_detail", pk=pk)


@login_required
def need_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire the need in favour of another one (owner organisation)."""
    need = selectors.need_get(user=request.user, pk=pk)
    if not request.user.has_perm("innovation.retire_need", need):
        raise PermissionRefused(
            _("Only the owner organisation can retire a need, and only while it is not archived.")
        )
    candidates = [
        n for n in selectors.need_list(user=request.user).exclude(stage=Stage.ARCHIVED).exclude(pk=need.pk)
    ]
    form = RetireForm(
        request.POST or None, candidates=candidates, initial={"replaced_by": request.GET.get("til")}
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.need_retire,
            actor=request.user,
            need_id=need.pk,
            replaced_by_id=form.cleaned_data["replaced_by"],
            reason=form.cleaned_data["reason"],
        )
        if saved is not None:
            messages.success(
                request,
                _("The need is retired in favour of “%(other)s”. Its followers now follow that need.")
                % {"other": saved.replaced_by.title},
            )
            return redirect(saved.replaced_by)
    context = need_page(request, need, "overview", form=form)
    context["breadcrumbs"] = need_breadcrumbs(request, need, extra=_("Retire in favour of another need"))
    return render(
        request, "innovation/need/retire.html", context, status=400 if form.is_bound and form.errors else 200
    )


@login_required
@require_POST
def need_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.need_document_add(
                actor=request.user,
                need_id=pk,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("The document is attached."))
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("innovation:need_detail", args=[pk]) + "#documents")


@login_required
@require_POST
def need_document_delete(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    try:
        services.need_document_delete(actor=request.user, need_id=pk, document_id=document_id)
        messages.success(request, _("The document is removed."))
    except DomainError as error:
        report(request, error)
    return redirect(reverse("innovation:need_detail", args=[pk]) + "#documents")


@login_required
@require_POST
def need_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or stop following (INN-10); htmx swaps the button, without JavaScript the page reloads."""
    try:
        if request.POST.get("follow") == "0":
            services.need_unfollow(actor=request.user, need_id=pk)
            following = False
            messages.success(request, _("You no longer follow this need."))
        else:
            services.need_follow(actor=request.user, need_id=pk)
            following = True
            messages.success(request, _("You follow this need and will be told of its changes."))
    except DomainError as error:
        report(request, error)
        return redirect("innovation:need_detail", pk=pk)
    if request.htmx:
        list(messages.get_messages(request))  # the swapped button says it; no message on the next page
        need = selectors.need_get(user=request.user, pk=pk)
        return render(
            request,
            "innovation/partials/_follow.html",
            {"need": need, "following": following, "announce": True},
        )
    return redirect("innovation:need_detail", pk=pk)


@login_required
@require_POST
def need_comment(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = call_service(
            form, services.comment_add, actor=request.user, need_id=pk, body=form.cleaned_data["body"]
        )
        if comment is not None:
            messages.success(request, _("Your comment is posted."))
            return redirect(reverse("innovation:need_detail", args=[pk]) + f"#comment-{comment.pk}")
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("innovation:need_detail", args=[pk]) + "#discussion")


def need_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that happened to the need: stages, decisions, checklist and criteria (INN-3, X-4)."""
    need = selectors.need_get(user=request.user, pk=pk)
    return render(
        request,
        "innovation/need/history.html",
        need_page(
            request,
            need,
            "history",
            events=selectors.need_history(
                need, full=request.user.has_perm("innovation.view_involvement", need)
            ),
        ),
    )
