"""Screens of Kvalifisering (QUA-1 … QUA-6). Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from marketplace.forms import call_service
from marketplace.permissions import ensure_allowed
from marketplace.views import paginate, show_error

from ..forms.qualification import (
    ApplicationStartForm,
    CompanyDetailsForm,
    CriterionForm,
    CriterionSetCreateForm,
    CriterionSetForm,
    QueueFilterForm,
    ReasonForm,
    RequiredReasonForm,
    ReviewForm,
    SectionForm,
    VendorSearchForm,
    evidence_field,
)
from ..models import Criterion, Qualification, QualificationApplication
from ..selectors import qualification as selectors
from ..services import qualification as services

Status = QualificationApplication.Status


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Kvalifisering"), reverse("verification:qualification_home")), *items]


def _posted(request: HttpRequest):
    """Form data when the request is a POST (even an empty one), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _require_reviewer(request: HttpRequest) -> None:
    if not request.user.has_perm("verification.review_qualificationapplication"):
        raise Http404


def _require_criteria_admin(request: HttpRequest) -> None:
    if not request.user.has_perm("verification.manage_criteria"):
        raise Http404


# Front page and public pages (QUA-1, QUA-6) --------------------------------------------------------


def qualification_home(request: HttpRequest) -> HttpResponse:
    """What Kvalifisering is; a vendor's own status; the administrators' entry points."""
    organisation = getattr(request.user, "acting_organisation", None)
    context: dict = {"breadcrumbs": [(_("Kvalifisering"), None)], "organisation": organisation}
    if organisation is not None and organisation.is_vendor:
        context.update(
            qualification=selectors.qualification_current(organisation=organisation),
            application=selectors.application_open_for(organisation=organisation),
            has_applications=selectors.applications_of(organisation=organisation).exists(),
            can_apply=request.user.has_perm("verification.apply_qualification"),
        )
    if request.user.has_perm("verification.review_qualificationapplication"):
        context["queue_counts"] = selectors.review_queue_counts()
    context["active_set"] = selectors.criterion_set_active()
    context["qualified_count"] = selectors.qualified_vendor_list().count()
    context["valid_months"] = settings.QUALIFICATION_VALID_MONTHS
    return render(request, "verification/qualification/home.html", context)


def criteria(request: HttpRequest) -> HttpResponse:
    """The criteria in force, grouped in sections, with their rules (public)."""
    criterion_set = selectors.criterion_set_active()
    return render(
        request,
        "verification/qualification/criteria.html",
        {
            "criterion_set": criterion_set,
            "sections": selectors.sections_for(criterion_set.criteria.all()) if criterion_set else [],
            "versions": selectors.criterion_set_list(),
            "breadcrumbs": _crumbs((_("Criteria"), None)),
        },
    )


def qualified_vendors(request: HttpRequest) -> HttpResponse:
    """The public list of qualified vendors with qualification date and expiry (QUA-6)."""
    form = VendorSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, selectors.qualified_vendor_list(search=search))
    return render(
        request,
        "verification/qualification/qualified_vendors.html",
        {
            "form": form,
            "page": page,
            "search": search,
            "breadcrumbs": _crumbs((_("Qualified vendors"), None)),
        },
    )


# The vendor's application (QUA-2) ------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    organisation = request.user.acting_organisation
    if organisation is None or not organisation.is_vendor:
        raise Http404
    return render(
        request,
        "verification/qualification/application_list.html",
        {
            "applications": selectors.applications_of(organisation=organisation),
            "qualifications": selectors.qualifications_of(organisation=organisation),
            "breadcrumbs": _crumbs((_("Our applications"), None)),
        },
    )


@login_required
def application_start(request: HttpRequest) -> HttpResponse:
    organisation = request.user.acting_organisation
    if organisation is not None and organisation.is_vendor:
        current = selectors.application_open_for(organisation=organisation)
        if current is not None:
            messages.info(request, _("You have an application in progress already."))
            return redirect(current)
    previous = selectors.application_previous_for(organisation=organisation) if organisation else None
    form = ApplicationStartForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        application = call_service(
            form,
            services.application_start,
            actor=request.user,
            organisation=organisation,
            reuse_previous=bool(previous) and form.cleaned_data["reuse_previous"],
        )
        if application is not None:
            messages.success(request, _("The application is started. It is saved as a draft as you go."))
            return redirect("verification:application_details", pk=application.pk)
    return render(
        request,
        "verification/qualification/application_start.html",
        {
            "form": form,
            "previous": previous,
            "organisation": organisation,
            "criterion_set": selectors.criterion_set_active(),
            "breadcrumbs": _crumbs((_("New application"), None)),
        },
        status=400 if form.errors else 200,
    )


def _application_context(request: HttpRequest, application: QualificationApplication, **extra) -> dict:
    rows = selectors.application_rows(application)
    sections = selectors.sections_for(row.criterion for row in rows)
    return {
        "application": application,
        "rows": rows,
        "summary": selectors.assessment_summary(rows),
        "sections": sections,
        "can_change": application.is_editable
        and request.user.has_perm("verification.change_qualificationapplication", application),
        **extra,
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The application with its answers, assessment, reviewer comments and timeline (QUA-2, QUA-3)."""
    application = selectors.application_get(actor=request.user, pk=pk)
    timeline = selectors.application_timeline(application)
    context = _application_context(
        request,
        application,
        timeline=timeline,
        request_reason=next(
            (e.reason for e in reversed(timeline) if e.to_state == Status.CHANGES_REQUESTED), ""
        ),
        qualification=Qualification.objects.filter(application=application).first(),
        can_withdraw=QualificationApplication.workflow.allows(application.status, Status.WITHDRAWN)
        and request.user.has_perm("verification.change_qualificationapplication", application),
        withdraw_form=ReasonForm(),
        breadcrumbs=_crumbs((_("Application %(number)s") % {"number": application.pk}, None)),
    )
    return render(request, "verification/qualification/application_detail.html", context)


def _editable_or_redirect(request: HttpRequest, pk: int) -> QualificationApplication | HttpResponse:
    application = selectors.application_get(actor=request.user, pk=pk)
    ensure_allowed(
        request.user,
        "verification.change_qualificationapplication",
        application,
        message=_(
            "Only an organisation admin of %(organisation)s can change or submit "
            "its qualification application."
        )
        % {"organisation": application.organisation},
    )
    if not application.is_editable:
        messages.info(
            request,
            _("The application is %(status)s and cannot be changed now.")
            % {"status": application.get_status_display().lower()},
        )
        return redirect(application)
    return application


def _steps(application: QualificationApplication, sections, current: int | str) -> list[dict]:
    steps = [
        {
            "number": 1,
            "title": _("Company details"),
            "url": reverse("verification:application_details", args=[application.pk]),
            "current": current == 1,
        }
    ]
    steps += [
        {
            "number": s.number,
            "title": s.title,
            "current": current == s.number,
            "url": reverse("verification:application_section", args=[application.pk, s.number]),
        }
        for s in sections
    ]
    steps.append(
        {
            "number": len(steps) + 1,
            "title": _("Check and submit"),
            "current": current == "submit",
            "url": reverse("verification:application_submit", args=[application.pk]),
        }
    )
    return steps


@login_required
def application_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Section 1: company details."""
    application = _editable_or_redirect(request, pk)
    if isinstance(application, HttpResponse):
        return application
    form = CompanyDetailsForm(_posted(request), instance=application)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.application_update_details,
            actor=request.user,
            application_id=application.pk,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("The company details are saved."))
            sections = selectors.sections_for(application.criterion_set.criteria.all())
            if request.POST.get("go") == "next" and sections:
                return redirect(
                    "verification:application_section", pk=application.pk, number=sections[0].number
                )
            return redirect("verification:application_details", pk=application.pk)
    sections = selectors.sections_for(application.criterion_set.criteria.all())
    return render(
        request,
        "verification/qualification/application_details.html",
        {
            "application": application,
            "form": form,
            "steps": _steps(application, sections, 1),
            "next_step": sections[0] if sections else None,
            "breadcrumbs": _crumbs(
                (_("Application %(number)s") % {"number": application.pk}, application.get_absolute_url()),
                (_("Company details"), None),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def application_section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One section of criteria: answers, evidence uploads and what each answer will be assessed as."""
    application = _editable_or_redirect(request, pk)
    if isinstance(application, HttpResponse):
        return application
    rows = selectors.application_rows(application)
    sections = selectors.sections_for(row.criterion for row in rows)
    section = next((s for s in sections if s.number == number), None)
    if section is None:
        raise Http404
    section_ids = {c.pk for c in section.criteria}
    answers = {row.criterion.pk: row.answer for row in rows if row.answer is not None}
    form = SectionForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        criteria=section.criteria,
        answers=answers,
        assess_url=reverse("verification:application_assess", args=[application.pk]),
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.answers_save,
            actor=request.user,
            application_id=application.pk,
            answers=form.answers(),
        )
        if saved is not None:
            for criterion_id, upload in form.uploads().items():
                try:
                    services.evidence_upload(
                        actor=request.user,
                        application_id=application.pk,
                        criterion_id=criterion_id,
                        upload=upload,
                    )
                except ValidationError as error:
                    form.add_error(evidence_field(criterion_id), error.messages)
                except DomainError as error:
                    form.add_error(evidence_field(criterion_id), error.message)
        if not form.errors:
            messages.success(request, _("Your answers are saved."))
            following = next((s for s in sections if s.number > number), None)
            if request.POST.get("go") == "next":
                if following is not None:
                    return redirect(
                        "verification:application_section", pk=application.pk, number=following.number
                    )
                return redirect("verification:application_submit", pk=application.pk)
            return redirect("verification:application_section", pk=application.pk, number=number)
        # Show what was saved before the upload failed; the form keeps what was typed.
        rows = selectors.application_rows(application)
    section_rows = [row for row in rows if row.criterion.pk in section_ids]
    for row in section_rows:
        row.field = form[f"criterion_{row.criterion.pk}"]
        row.evidence = form[evidence_field(row.criterion.pk)]
    previous_number = max((s.number for s in sections if s.number < number), default=1)
    return render(
        request,
        "verification/qualification/application_section.html",
        {
            "application": application,
            "form": form,
            "section": section,
            "rows": section_rows,
            "steps": _steps(application, sections, number),
            "previous_url": reverse("verification:application_details", args=[application.pk])
            if previous_number == 1
            else reverse("verification:application_section", args=[application.pk, previous_number]),
            "breadcrumbs": _crumbs(
                (_("Application %(number)s") % {"number": application.pk}, application.get_absolute_url()),
                (section.title, None),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def application_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: how the answers being typed would be assessed, before they are saved (nothing is written)."""
    application = selectors.application_get(actor=request.user, pk=pk)
    ensure_allowed(request.user, "verification.change_qualificationapplication", application)
    answers = {}
    for key, value in request.POST.items():
        if key.startswith("criterion_") and key[len("criterion_") :].isdigit():
            answers[int(key[len("criterion_") :])] = value
    assessments = services.answers_assess(application=application, answers=answers)
    return render(
        request,
        "verification/qualification/partials/_assessment_live.html",
        {
            "items": [
                {
                    "pk": pk,
                    "assessment": a if not isinstance(a, str) else None,
                    "error": a if isinstance(a, str) else "",
                }
                for pk, a in assessments.items()
            ],
        },
    )


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one evidence document (a button inside the section form posts here)."""
    back = request.POST.get("next") or reverse("verification:application_detail", args=[pk])
    try:
        document_id = int(request.POST.get("document", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.evidence_delete(actor=request.user, application_id=pk, document_id=document_id)
        messages.success(request, _("The document is removed."))
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from None
        show_error(request, error)
    return redirect(
        back
        if back.startswith("/") and not back.startswith("//")
        else reverse("verification:qualification_home")
    )


@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the automatic assessment and what is missing, then submit (QUA-2)."""
    application = _editable_or_redirect(request, pk)
    if isinstance(application, HttpResponse):
        return application
    failed = False
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.application_submit(actor=request.user, application_id=application.pk)
        except ValidationError as error:
            failed, problems = (
                True,
                error.message_dict if hasattr(error, "error_dict") else {"": error.messages},
            )
        except DomainError as error:
            failed, problems = True, {"": [error.message]}
        else:
            messages.success(
                request, _("The application is submitted. KS will review it, and you will be notified.")
            )
            return redirect(application)
    else:
        problems = services.submission_problems(application)
    context = _application_context(
        request,
        application,
        failed=failed,
        breadcrumbs=_crumbs(
            (_("Application %(number)s") % {"number": application.pk}, application.get_absolute_url()),
            (_("Check and submit"), None),
        ),
    )
    context["steps"] = _steps(application, context["sections"], "submit")
    context["problems"] = _problems_with_links(application, problems, context["sections"])
    return render(
        request, "verification/qualification/application_submit.html", context, status=400 if failed else 200
    )


def _problems_with_links(application, problems: dict[str, list[str]], sections) -> list[tuple[str, str]]:
    """Each message with the part of the application where it is put right."""
    section_of = {f"criterion_{c.pk}": s.number for s in sections for c in s.criteria}
    details = reverse("verification:application_details", args=[application.pk])
    linked = []
    for field, field_messages in problems.items():
        if field in section_of:
            url = reverse("verification:application_section", args=[application.pk, section_of[field]])
        elif field in QualificationApplication.COMPANY_FIELDS:
            url = details
        else:
            url = ""
        linked.extend((message, url) for message in field_messages)
    return linked


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(actor=request.user, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.application_withdraw(
            actor=request.user, application_id=application.pk, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(request, _("The application is withdrawn."))
    except DomainError as error:
        show_error(request, error)
    return redirect(application)


# Review (QUA-3) ------------------------------------------------------------------------------------------


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Applications waiting for review, oldest first, with filters (QUA-3)."""
    _require_reviewer(request)
    counts = selectors.review_queue_counts()
    form = QueueFilterForm(request.GET or None, initial={"status": selectors.QUEUE_OPEN})
    status, search = selectors.QUEUE_OPEN, ""
    if form.is_valid():
        status = form.cleaned_data["status"] or selectors.QUEUE_OPEN
        search = form.cleaned_data["q"]
    page = paginate(request, selectors.review_queue(status=status, search=search))
    statuses = selectors.qualification_status_for(application.organisation for application in page)
    for application in page:
        application.current_qualification = statuses.get(application.organisation_id)
    return render(
        request,
        "verification/qualification/review_queue.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "status": status,
            "breadcrumbs": _crumbs((_("Review"), None)),
        },
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's page: automatic assessment per criterion, comments, decision (QUA-3)."""
    _require_reviewer(request)
    application = selectors.application_get(actor=request.user, pk=pk)
    rows = selectors.application_rows(application)
    current = {
        row.criterion.pk: row.current_comment
        for row in rows
        if row.current_comment is not None and row.current_comment.review_round == application.review_round
    }
    form = ReviewForm(_posted(request), criteria=[row.criterion for row in rows], current=current)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        common = {"actor": request.user, "application_id": application.pk, "comments": form.comments()}
        reason = form.cleaned_data["reason"]
        done = None
        if decision == ReviewForm.SAVE:
            done = call_service(form, services.review_comments_save, **common)
            success = _("Your comments are saved.")
        elif decision == ReviewForm.REQUEST_CHANGES:
            done = call_service(form, services.application_request_changes, reason=reason, **common)
            success = _("Changes are requested. The vendor is notified.")
        elif decision == ReviewForm.QUALIFY:
            done = call_service(form, services.application_qualify, reason=reason, **common)
            success = _("%(organisation)s is qualified. The vendor is notified.") % {
                "organisation": application.organisation
            }
        elif decision == ReviewForm.REJECT:
            done = call_service(form, services.application_reject, reason=reason, **common)
            success = _("The application is rejected. The vendor is notified.")
        else:
            form.add_error(None, _("Choose what to do with the application."))
        if done is not None:
            messages.success(request, success)
            return redirect("verification:review_detail", pk=application.pk)
        application = selectors.application_get(actor=request.user, pk=pk)
    for row in rows:
        row.comment_field, row.change_field = form.comment_fields(row.criterion)
        row.changed_since_request = bool(
            application.changes_requested_at
            and row.answer is not None
            and (
                row.answer.updated_at > application.changes_requested_at
                or any(d.created_at > application.changes_requested_at for d in row.documents)
            )
        )
    qualification = Qualification.objects.filter(application=application).first()
    return render(
        request,
        "verification/qualification/review_detail.html",
        {
            "application": application,
            "rows": rows,
            "summary": selectors.assessment_summary(rows),
            "form": form,
            "timeline": selectors.application_timeline(application),
            "qualification": qualification,
            "current_qualification": selectors.qualification_current(organisation=application.organisation),
            "revoke_form": RequiredReasonForm(),
            "in_review": application.status == Status.IN_REVIEW,
            "can_start": application.status in (Status.SUBMITTED, Status.RESUBMITTED),
            "breadcrumbs": _crumbs(
                (_("Review"), reverse("verification:review_queue")), (application.organisation.name, None)
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    try:
        services.application_start_review(actor=request.user, application_id=pk)
        messages.success(
            request, _("You are reviewing the application. The vendor sees that it is in review.")
        )
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from None
        show_error(request, error)
    return redirect("verification:review_detail", pk=pk)


@login_required
@require_POST
def qualification_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("verification.revoke_qualification"):
        raise Http404
    qualification = Qualification.objects.filter(pk=pk).first()
    if qualification is None:
        raise Http404
    form = RequiredReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explain why the qualification is revoked."))
    else:
        try:
            services.qualification_revoke(
                actor=request.user, qualification_id=pk, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The qualification is revoked. The vendor is notified."))
        except (DomainError, ValidationError) as error:
            messages.error(
                request, error.message if isinstance(error, DomainError) else " ".join(error.messages)
            )
    return redirect("verification:review_detail", pk=qualification.application_id)


# Criterion sets, for platform administrators (QUA-1) ------------------------------------------------------


@login_required
def criterion_set_list(request: HttpRequest) -> HttpResponse:
    _require_criteria_admin(request)
    return render(
        request,
        "verification/qualification/criterion_set_list.html",
        {
            "sets": selectors.criterion_set_list(include_drafts=True),
            "breadcrumbs": _crumbs((_("Criterion sets"), None)),
        },
    )


@login_required
def criterion_set_create(request: HttpRequest) -> HttpResponse:
    _require_criteria_admin(request)
    active = selectors.criterion_set_active()
    form = CriterionSetCreateForm(
        _posted(request), initial={"copy_from": active, "title": active.title if active else ""}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        criterion_set = call_service(
            form,
            services.criterion_set_create,
            actor=request.user,
            version=data["version"],
            title=data["title"],
            description=data["description"],
            copy_from_id=data["copy_from"].pk if data["copy_from"] else None,
        )
        if criterion_set is not None:
            messages.success(request, _("The draft version is created."))
            return redirect(criterion_set)
    return render(
        request,
        "verification/qualification/criterion_set_form.html",
        {
            "form": form,
            "title": _("New version of the criteria"),
            "breadcrumbs": _crumbs(
                (_("Criterion sets"), reverse("verification:criterion_set_list")), (_("New version"), None)
            ),
        },
        status=400 if form.errors else 200,
    )


CRITERION_SET_EVENTS = {
    "criterionset.created": gettext_lazy("Version created"),
    "criterionset.updated": gettext_lazy("Title or version changed"),
    "criterionset.active": gettext_lazy("Put in force"),
    "criterionset.retired": gettext_lazy("Retired"),
    "criterion.added": gettext_lazy("Criterion added"),
    "criterion.updated": gettext_lazy("Criterion changed"),
    "criterion.removed": gettext_lazy("Criterion removed"),
}


def _labelled(events):
    events = list(events)
    for event in events:
        event.label = CRITERION_SET_EVENTS.get(event.verb, event.verb)
    return events


def criterion_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version with its criteria; drafts are edited here by platform administrators."""
    criterion_set = selectors.criterion_set_get(actor=request.user, pk=pk)
    can_manage = request.user.has_perm("verification.manage_criteria")
    crumbs = (
        [(_("Criterion sets"), reverse("verification:criterion_set_list"))]
        if can_manage
        else [(_("Criteria"), reverse("verification:criteria"))]
    )
    return render(
        request,
        "verification/qualification/criterion_set_detail.html",
        {
            "criterion_set": criterion_set,
            "sections": selectors.sections_for(criterion_set.criteria.all()),
            "can_edit": can_manage and criterion_set.is_draft,
            "can_manage": can_manage,
            "activate_form": ReasonForm(),
            "history": _labelled(selectors.history_for(criterion_set)) if can_manage else [],
            "breadcrumbs": _crumbs(*crumbs, (f"{criterion_set.title} {criterion_set.version}", None)),
        },
    )


@login_required
def criterion_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_criteria_admin(request)
    criterion_set = selectors.criterion_set_get(actor=request.user, pk=pk)
    form = CriterionSetForm(_posted(request), instance=criterion_set)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.criterion_set_update, actor=request.user, criterion_set_id=pk, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The version is saved."))
            return redirect(saved)
    return render(
        request,
        "verification/qualification/criterion_set_form.html",
        {
            "form": form,
            "title": _("Edit version %(version)s") % {"version": criterion_set.version},
            "breadcrumbs": _crumbs(
                (_("Criterion sets"), reverse("verification:criterion_set_list")),
                (criterion_set.version, criterion_set.get_absolute_url()),
                (_("Edit"), None),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def criterion_set_activate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_criteria_admin(request)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        criterion_set = services.criterion_set_activate(
            actor=request.user, criterion_set_id=pk, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(
            request,
            _("Version %(version)s is now in force. New applications answer it.")
            % {"version": criterion_set.version},
        )
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from None
        show_error(request, error)
    return redirect("verification:criterion_set_detail", pk=pk)


@login_required
def criterion_edit(request: HttpRequest, pk: int | None = None, set_pk: int | None = None) -> HttpResponse:
    """Add a criterion to a draft version (set_pk) or change one (pk)."""
    _require_criteria_admin(request)
    criterion = None
    if pk is not None:
        criterion = Criterion.objects.select_related("criterion_set").filter(pk=pk).first()
        if criterion is None:
            raise Http404
        criterion_set = criterion.criterion_set
    else:
        criterion_set = selectors.criterion_set_get(actor=request.user, pk=set_pk)
    if not criterion_set.is_draft:
        messages.info(
            request, _("Only draft versions can be changed. Make a new version to change the criteria.")
        )
        return redirect(criterion_set)
    form = CriterionForm(_posted(request), instance=criterion)
    if criterion is None and not request.POST:
        form.initial["section"] = (
            criterion_set.criteria.order_by("-order").values_list("section", flat=True).first() or ""
        )
        form.initial["order"] = (
            criterion_set.criteria.order_by("-order").values_list("order", flat=True).first() or 0
        ) + 10
    if request.method == "POST" and form.is_valid():
        if criterion is None:
            saved = call_service(
                form,
                services.criterion_add,
                actor=request.user,
                criterion_set_id=criterion_set.pk,
                **form.cleaned_data,
            )
        else:
            saved = call_service(
                form,
                services.criterion_update,
                actor=request.user,
                criterion_id=criterion.pk,
                **form.cleaned_data,
            )
        if saved is not None:
            messages.success(request, _("The criterion is saved."))
            return redirect(criterion_set)
    return render(
        request,
        "verification/qualification/criterion_form.html",
        {
            "form": form,
            "criterion": criterion,
            "criterion_set": criterion_set,
            "breadcrumbs": _crumbs(
                (_("Criterion sets"), reverse("verification:criterion_set_list")),
                (criterion_set.version, criterion_set.get_absolute_url()),
                (_("Edit criterion") if criterion else _("New criterion"), None),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_criteria_admin(request)
    criterion = Criterion.objects.filter(pk=pk).first()
    if criterion is None:
        raise Http404
    try:
        services.criterion_delete(actor=request.user, criterion_id=pk)
        messages.success(request, _("The criterion is removed."))
    except DomainError as error:
        show_error(request, error)
    return redirect("verification:criterion_set_detail", pk=criterion.criterion_set_id)
