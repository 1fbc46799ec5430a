"""Screens of one experience: write, edit, publish, attachments, history, and the conversation around it
(EXP-1, EXP-3, EXP-4)."""

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
from marketplace.forms import call_service
from marketplace.selectors import history_for

from .. import selectors, services
from ..forms import (
    AttachmentForm,
    CommentForm,
    ExperienceForm,
    ModerationForm,
    ReportForm,
    RestoreForm,
    VendorReplyForm,
)
from ..models import Comment, Rating, Topic
from .common import arena_crumb, experience_crumbs, report


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An experience with its context, attachments, the vendor's reply and the comments."""
    user = request.user
    experience = selectors.experience_get(user=user, pk=pk)
    comments = selectors.comments_for(experience=experience, user=user)
    vendor_reply = next((c for c in comments if c.is_vendor_reply), None)
    can_reply = user.has_perm("experience.reply_experience", experience)
    has_reply = vendor_reply is not None or (
        can_reply and Comment.objects.filter(experience=experience, is_vendor_reply=True).exists()
    )
    moderator = user.has_perm("experience.moderate")
    organisation_rating = None
    if experience.product_id and experience.is_published:
        organisation_rating = Rating.objects.filter(
            organisation_id=experience.organisation_id, product_id=experience.product_id
        ).first()
    context = {
        "experience": experience,
        "documents": selectors.documents(experience),
        "comments": [c for c in comments if not c.is_vendor_reply],
        "vendor_reply": vendor_reply,
        "can_edit": user.has_perm("experience.change_experience", experience),
        "can_delete": user.has_perm("experience.delete_experience", experience),
        "blockers": services.publish_blockers(experience) if experience.is_draft else {},
        "comment_form": CommentForm() if user.has_perm("experience.comment_experience", experience) else None,
        "reply_form": VendorReplyForm() if can_reply and not has_reply else None,
        "attachment_form": AttachmentForm()
        if user.has_perm("experience.change_experience", experience)
        else None,
        "can_mark_useful": user.has_perm("experience.mark_useful_experience", experience),
        "marked_useful": selectors.has_marked_useful(experience, user),
        "can_follow": user.has_perm("experience.follow_experience", experience),
        "following": selectors.is_following(experience, user),
        "reported": selectors.reported_by(user, experience=experience),
        "can_report": user.has_perm("experience.report_experience", experience),
        "organisation_rating": organisation_rating,
        "moderator": moderator,
        "hide_form": ModerationForm() if moderator and experience.is_published else None,
        "restore_form": RestoreForm() if moderator and experience.is_hidden else None,
        "breadcrumbs": experience_crumbs(experience),
    }
    return render(request, "experience/detail.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Write a new experience; it is a draft until published."""
    if not request.user.has_perm("experience.add_experience"):
        raise NotFound(_("Choose an organisation to act for first."))
    initial = {}
    for key, name in (("produkt", "product"), ("behov", "need"), ("felleskjop", "procurement")):
        if request.GET.get(key, "").isdigit():
            initial[name] = int(request.GET[key])
            initial["topic"] = {
                "product": Topic.PRODUCT,
                "need": Topic.NEED,
                "procurement": Topic.PROCUREMENT,
            }[name]
    form = ExperienceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        experience = call_service(
            form, services.experience_create, actor=request.user, **form.service_kwargs()
        )
        if experience is not None:
            messages.success(
                request,
                _("The draft is saved. Only you and your organisation admins see it until you publish it."),
            )
            return redirect(experience)
    return render(
        request,
        "experience/form.html",
        {
            "form": form,
            "creating": True,
            "breadcrumbs": [arena_crumb(), (_("Share an experience"), None)],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an experience (its author or an organisation admin); a published one gets a new version."""
    experience = selectors.experience_get(user=request.user, pk=pk)
    if not request.user.has_perm("experience.change_experience", experience):
        raise PermissionRefused(
            _("Only the author or an organisation admin of %(organisation)s can change this experience.")
            % {"organisation": experience.organisation.name}
        )
    initial = {
        "topic": experience.topic,
        "product": experience.product_id,
        "need": experience.need_id,
        "procurement": experience.procurement_id,
        "service_area": experience.service_area_id,
        **{
            name: getattr(experience, name)
            for name in ("title", "what_worked", "what_did_not", "advice", "effort", "timeline")
        },
    }
    form = ExperienceForm(request.POST or None, initial=initial, published=not experience.is_draft)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.experience_update,
            actor=request.user,
            experience_id=experience.pk,
            **form.service_kwargs(),
        )
        if saved is not None:
            messages.success(request, _("The experience is saved."))
            return redirect(saved)
    return render(
        request,
        "experience/form.html",
        {
            "form": form,
            "creating": False,
            "experience": experience,
            "breadcrumbs": experience_crumbs(experience, extra=_("Edit")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.experience_publish(actor=request.user, experience_id=pk)
        messages.success(request, _("The experience is published. Thank you for sharing!"))
    except NotFound:
        raise
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect("experience:detail", pk=pk)


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft, after asking."""
    experience = selectors.experience_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.experience_delete(actor=request.user, experience_id=experience.pk)
            messages.success(request, _("The draft is deleted."))
            return redirect("experience:mine")
        except NotFound:
            raise
        except (DomainError, ValidationError) as error:
            report(request, error)
            return redirect(experience)
    if not request.user.has_perm("experience.delete_experience", experience):
        raise PermissionRefused(_("Only drafts can be deleted, by their author or an organisation admin."))
    return render(
        request,
        "experience/delete.html",
        {
            "experience": experience,
            "breadcrumbs": experience_crumbs(experience, extra=_("Delete the draft")),
        },
    )


def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every published version of an experience, newest first, and its timeline (EXP-1)."""
    experience = selectors.experience_get(user=request.user, pk=pk)
    return render(
        request,
        "experience/history.html",
        {
            "experience": experience,
            "versions": selectors.versions(experience),
            "events": history_for(experience) if request.user.has_perm("experience.moderate") else None,
            "breadcrumbs": experience_crumbs(experience, extra=_("History")),
        },
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.experience_document_add(
                actor=request.user,
                experience_id=pk,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("The attachment is added."))
        except NotFound:
            raise
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("experience:detail", args=[pk]) + "#attachments")


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    try:
        services.experience_document_remove(actor=request.user, experience_id=pk, document_id=document_pk)
        messages.success(request, _("The attachment is removed."))
    except NotFound:
        raise
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect(reverse("experience:detail", args=[pk]) + "#attachments")


@login_required
@require_POST
def useful(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark or unmark as useful ("nyttig"); htmx swaps the button, without JavaScript the page reloads."""
    try:
        if request.POST.get("useful") == "0":
            experience = services.useful_unmark(actor=request.user, experience_id=pk)
        else:
            experience = services.useful_mark(actor=request.user, experience_id=pk)
    except NotFound:
        raise
    except (DomainError, ValidationError) as error:
        report(request, error)
        return redirect("experience:detail", pk=pk)
    if request.htmx:
        return render(
            request,
            "experience/partials/_useful.html",
            {
                "experience": experience,
                "marked_useful": selectors.has_marked_useful(experience, request.user),
                "can_mark_useful": True,
                "announce": True,
            },
        )
    return redirect("experience:detail", pk=pk)


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        if request.POST.get("follow") == "0":
            services.unfollow(actor=request.user, experience_id=pk)
        else:
            services.follow(actor=request.user, experience_id=pk)
    except NotFound:
        raise
    except (DomainError, ValidationError) as error:
        report(request, error)
        return redirect("experience:detail", pk=pk)
    experience = selectors.experience_get(user=request.user, pk=pk)
    if request.htmx:
        return render(
            request,
            "experience/partials/_follow.html",
            {
                "experience": experience,
                "following": selectors.is_following(experience, request.user),
                "announce": True,
            },
        )
    return redirect(experience)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        saved = call_service(
            form, services.comment_add, actor=request.user, experience_id=pk, body=form.cleaned_data["body"]
        )
        if saved is not None:
            messages.success(request, _("Your comment is posted."))
            return redirect(saved.get_absolute_url())
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("experience:detail", args=[pk]) + "#comments")


@login_required
@require_POST
def vendor_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = VendorReplyForm(request.POST)
    if form.is_valid():
        saved = call_service(
            form,
            services.vendor_reply_add,
            actor=request.user,
            experience_id=pk,
            body=form.cleaned_data["body"],
        )
        if saved is not None:
            messages.success(request, _("Your reply is published as the vendor's reply."))
            return redirect(reverse("experience:detail", args=[pk]) + "#vendor-reply")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("experience:detail", args=[pk]) + "#vendor-reply")


@login_required
def report_experience(request: HttpRequest, pk: int) -> HttpResponse:
    """Report an experience to the moderators (EXP-4)."""
    experience = selectors.experience_get(user=request.user, pk=pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.report_experience,
            actor=request.user,
            experience_id=experience.pk,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(experience)
    return render(
        request,
        "experience/report.html",
        {
            "form": form,
            "experience": experience,
            "comment": None,
            "breadcrumbs": experience_crumbs(experience, extra=_("Report")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a comment to the moderators (EXP-4)."""
    target = (
        Comment.objects.filter(pk=pk, status=Comment.Status.VISIBLE)
        .select_related("experience", "author", "organisation")
        .first()
    )
    if target is None:
        raise NotFound(_("Comment not found."))
    experience = selectors.experience_get(user=request.user, pk=target.experience_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.report_comment, actor=request.user, comment_id=target.pk, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(experience)
    return render(
        request,
        "experience/report.html",
        {
            "form": form,
            "experience": experience,
            "comment": target,
            "breadcrumbs": experience_crumbs(experience, extra=_("Report a comment")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
