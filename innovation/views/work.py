"""The core team's work: the involvement log (INN-5), the readiness checklist (INN-7) and the evaluation
criteria (INN-8)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from marketplace.forms import call_service

from .. import selectors, services
from ..forms import ChecklistAddForm, ChecklistItemForm, CriteriaFormSet, DocumentForm, InvolvementForm
from ..models import Stage
from ..services.stages import publish_blockers
from .common import need_page, report


def need_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    """The involvement log by step; the full entries are for the core team, the summary for everyone."""
    need = selectors.need_get(user=request.user, pk=pk)
    can_see = request.user.has_perm("innovation.view_involvement", need)
    can_edit = request.user.has_perm("innovation.change_need", need)
    form = InvolvementForm(request.POST or None, request.FILES or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            try:
                services.involvement_add(
                    actor=request.user, need_id=need.pk, step="", date=None, participants="", notes=""
                )
            except (DomainError, ValidationError) as error:
                report(request, error)
            return redirect("innovation:need_involvement", pk=need.pk)
        if form.is_valid():
            data = form.cleaned_data
            entry = call_service(
                form,
                services.involvement_add,
                actor=request.user,
                need_id=need.pk,
                step=data["step"],
                date=data["date"],
                participants=data["participants"],
                notes=data["notes"],
                upload=data.get("file"),
                document_title=data.get("document_title", ""),
            )
            if entry is not None:
                messages.success(request, _("The involvement entry is added."))
                return redirect(entry.get_absolute_url())
    entries = selectors.involvement_entries(need) if can_see else []
    by_step = [
        {**row, "entries": [e for e in entries if e.step == row["step"]]}
        for row in selectors.involvement_summary(need)
    ]
    context = need_page(
        request,
        need,
        "involvement",
        form=form,
        steps_log=by_step,
        can_see_entries=can_see,
        document_form=DocumentForm(prefix="entry") if can_edit else None,
    )
    return render(
        request,
        "innovation/need/involvement.html",
        context,
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def involvement_document_add(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES, prefix="entry")
    if form.is_valid():
        try:
            services.involvement_document_add(
                actor=request.user,
                entry_id=entry_id,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("The document is attached."))
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("innovation:need_involvement", args=[pk]) + f"#entry-{entry_id}")


def need_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The readiness checklist: every item ticked, with who and a comment, before publishing (INN-7)."""
    need = selectors.need_get(user=request.user, pk=pk)
    can_edit = request.user.has_perm("innovation.change_need", need)
    items = selectors.checklist(need)
    context = need_page(
        request,
        need,
        "checklist",
        items=items,
        done=sum(1 for i in items if i.checked),
        # A published need keeps its complete checklist; it changes only after a step back.
        item_form=ChecklistItemForm() if can_edit and need.stage != Stage.PUBLISHED else None,
        add_form=ChecklistAddForm() if can_edit and need.stage != Stage.PUBLISHED else None,
        blockers=publish_blockers(need) if not need.is_public else [],
    )
    return render(request, "innovation/need/checklist.html", context)


@login_required
@require_POST
def checklist_set(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    form = ChecklistItemForm(request.POST)
    checked = request.POST.get("checked") == "1"
    if form.is_valid():
        try:
            item = services.checklist_set(
                actor=request.user,
                need_id=pk,
                item_id=item_id,
                checked=checked,
                comment=form.cleaned_data["comment"],
            )
            messages.success(
                request,
                (_("“%(item)s” is ticked.") if checked else _("“%(item)s” is no longer ticked."))
                % {"item": item.display_label},
            )
        except (DomainError, ValidationError) as error:
            report(request, error)
    return redirect(reverse("innovation:need_checklist", args=[pk]) + f"#item-{item_id}")


@login_required
@require_POST
def checklist_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = ChecklistAddForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_add_item(actor=request.user, need_id=pk, label=form.cleaned_data["label"])
            messages.success(request, _("The item is added to the checklist."))
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, _("Write the item."))
    return redirect("innovation:need_checklist", pk=pk)


def need_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    """Evaluation criteria with weights that sum to 100 (INN-8)."""
    need = selectors.need_get(user=request.user, pk=pk)
    criteria = selectors.criteria(need)
    can_edit = request.user.has_perm("innovation.change_need", need)
    formset = None
    error = None
    if can_edit:
        initial = [{"name": c.name, "description": c.description, "weight": c.weight} for c in criteria]
        formset = CriteriaFormSet(request.POST or None, initial=initial, prefix="criteria")
        if request.method == "POST" and formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            try:
                services.criteria_set(actor=request.user, need_id=need.pk, criteria=rows)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("The evaluation criteria are saved."))
                return redirect("innovation:need_criteria", pk=need.pk)
    elif request.method == "POST":
        try:
            services.criteria_set(actor=request.user, need_id=need.pk, criteria=[])
        except (DomainError, ValidationError) as exc:
            report(request, exc)
        return redirect("innovation:need_criteria", pk=need.pk)
    context = need_page(
        request,
        need,
        "criteria",
        criteria=criteria,
        total=sum(c.weight for c in criteria),
        formset=formset,
        error=error,
    )
    invalid = request.method == "POST" and (error or (formset is not None and not formset.is_valid()))
    return render(request, "innovation/need/criteria.html", context, status=400 if invalid else 200)
