"""Screens of the core: start page, Vilkår, organisations, invitations, notifications, profile,
audit, help and document downloads. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import difflib

import markdown
import nh3
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from . import dashboard, selectors
from .acting import SESSION_KEY
from .errors import DomainError
from .forms import (
    AuditSearchForm,
    CategoryForm,
    InvitationForm,
    NotificationPreferencesForm,
    OrganisationEditForm,
    OrganisationForm,
    OrganisationSearchForm,
    ProfileForm,
    RoleForm,
    ServiceAreaForm,
    TermsForm,
    call_service,
)
from .models import Document, Terms
from .services import notifications as notification_services
from .services import organisations as organisation_services
from .services import terms as terms_services
from .terms import audiences_for, current_terms, last_accepted

HELP_PAGES = {
    "index": gettext_lazy("Help"),
    "vilkar": gettext_lazy("Vilkår"),
    "kvalifisering": gettext_lazy("Kvalifisering"),
    "innovasjonsarena": gettext_lazy("Innovasjonsarena"),
    "verifikasjon": gettext_lazy("Verifikasjon"),
    "butikken": gettext_lazy("Butikken"),
    "felleskjop": gettext_lazy("Felleskjøp"),
    "erfaringsarena": gettext_lazy("Erfaringsarena"),
    "faq": gettext_lazy("Frequently asked questions"),
    "kontakt": gettext_lazy("Contact"),
}


def render_markdown(text: str) -> str:
    """Markdown to HTML, sanitised: terms and user texts may never inject markup."""
    return mark_safe(nh3.clean(markdown.markdown(text or "", extensions=["sane_lists"])))


def paginate(request: HttpRequest, queryset, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def show_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def _safe_next(request: HttpRequest, default: str, target: str | None = None) -> str:
    """A local URL to go on to (the `next` field by default), never another site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "") if target is None else target
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


# Start page (ORG-6) -------------------------------------------------------------------------


def start(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "marketplace/landing.html", {"categories": selectors.category_list_with_areas()})
    return render(request, "marketplace/start.html", {"panels": dashboard.panels_for(request)})


# Vilkår (TRM-1 … TRM-5) -----------------------------------------------------------------------


def terms_index(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request.user, "acting_organisation", None)
    current = current_terms()
    accepted = {}
    if organisation is not None:
        accepted = {a.terms_id: a for a in selectors.terms_acceptances_for(organisation=organisation)}
    context = {
        "current": [
            {"terms": terms, "body": render_markdown(terms.body), "acceptance": accepted.get(terms.pk),
             "applies": organisation is not None and terms.audience in audiences_for(organisation)}
            for terms in current.values()
        ],
        "history": selectors.terms_history(),
        "drafts": selectors.terms_drafts() if request.user.has_perm("marketplace.manage_terms") else [],
        "breadcrumbs": [(_("Vilkår"), None)],
    }
    return render(request, "marketplace/terms/index.html", context)


def terms_detail(request: HttpRequest, pk: int) -> HttpResponse:
    terms = Terms.objects.filter(pk=pk).first()
    if terms is None or (not terms.is_published and not request.user.has_perm("marketplace.manage_terms")):
        raise Http404
    organisation = getattr(request.user, "acting_organisation", None)
    previous = None
    acceptance = None
    if organisation is not None and terms.audience in audiences_for(organisation):
        acceptance = organisation.terms_acceptances.filter(terms=terms).select_related("accepted_by").first()
        if acceptance is None:
            accepted = last_accepted(organisation, terms.audience)
            # "What changed" since the version the organisation accepted, if that one is older than this one.
            if accepted is not None and accepted.terms.effective_from < terms.effective_from:
                previous = accepted.terms
    if previous is None:
        previous = (
            Terms.objects.filter(audience=terms.audience, status=Terms.Status.PUBLISHED, effective_from__lt=terms.effective_from)
            .order_by("-effective_from").first()
        )
    diff = None
    if previous is not None and previous.pk != terms.pk:
        diff = list(difflib.unified_diff(previous.body.splitlines(), terms.body.splitlines(), lineterm="", n=1))[2:]
    context = {
        "terms": terms,
        "body": render_markdown(terms.body),
        "changes": render_markdown(terms.changes),
        "previous": previous,
        "diff": diff,
        "acceptance": acceptance,
        "is_current": current_terms().get(terms.audience) == terms,
        "can_accept": organisation is not None and request.user.has_perm("marketplace.accept_terms")
        and terms.audience in audiences_for(organisation) and acceptance is None,
        "breadcrumbs": [(_("Vilkår"), reverse("marketplace:terms")), (f"{terms.title} {terms.version}", None)],
    }
    return render(request, "marketplace/terms/detail.html", context)


@login_required
@require_POST
def terms_accept(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        terms_services.terms_accept(actor=request.user, organisation=request.user.acting_organisation, terms_id=pk)
    except DomainError as error:
        show_error(request, error)
        return redirect("marketplace:terms_detail", pk=pk)
    messages.success(request, _("The terms are accepted on behalf of %(organisation)s.") % {"organisation": request.user.acting_organisation})
    return redirect(_safe_next(request, reverse("marketplace:terms")))


@login_required
def terms_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("marketplace.manage_terms"):
        raise Http404
    terms = Terms.objects.filter(pk=pk).first() if pk else None
    if pk and terms is None:
        raise Http404
    form = TermsForm(request.POST or None, instance=terms)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if terms is None:
            saved = call_service(form, terms_services.terms_create, actor=request.user, **data)
        else:
            saved = call_service(form, terms_services.terms_update, actor=request.user, terms_id=terms.pk, **data)
        if saved is not None:
            messages.success(request, _("The draft is saved."))
            return redirect("marketplace:terms_detail", pk=saved.pk)
    return render(request, "marketplace/terms/edit.html", {
        "form": form, "terms": terms,
        "breadcrumbs": [(_("Vilkår"), reverse("marketplace:terms")), (_("Edit draft") if terms else _("New version"), None)],
    })


@login_required
@require_POST
def terms_publish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        terms_services.terms_publish(actor=request.user, terms_id=pk, reason=request.POST.get("reason", ""))
        messages.success(request, _("The version is published."))
    except DomainError as error:
        show_error(request, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("marketplace:terms_detail", pk=pk)


# Organisations and people (ORG-1 … ORG-4) ---------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    search = kind = ""
    if form.is_valid():
        search, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page = paginate(request, selectors.organisation_list(search=search, kind=kind))
    return render(request, "marketplace/organisations/list.html", {
        "form": form, "page": page, "breadcrumbs": [(_("Organisations"), None)],
    })


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    # Platform administrators invite the first organisation admin of an organisation they registered (ORG-3).
    can_invite = request.user.is_authenticated and request.user.has_perm("marketplace.manage_organisation", organisation)
    invite_form = InvitationForm(request.POST or None) if can_invite else None
    if request.method == "POST":
        if not can_invite:
            raise Http404
        if invite_form.is_valid():
            invitation = call_service(
                invite_form, organisation_services.invitation_create, actor=request.user, organisation=organisation,
                email=invite_form.cleaned_data["email"], role=invite_form.cleaned_data["role"],
            )
            if invitation is not None:
                messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
                return redirect(organisation)
    return render(request, "marketplace/organisations/detail.html", {
        "organisation": organisation,
        "invite_form": invite_form,
        "breadcrumbs": [(_("Organisations"), reverse("marketplace:organisations")), (organisation.name, None)],
    }, status=400 if invite_form is not None and invite_form.errors else 200)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("marketplace.create_organisation"):
        raise Http404
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = call_service(form, organisation_services.organisation_create, actor=request.user,
                                    **{k: form.cleaned_data[k] for k in form.Meta.fields})
        if organisation is not None:
            messages.success(request, _("%(organisation)s is registered. Invite its first organisation admin.") % {"organisation": organisation})
            return redirect(organisation)
    return render(request, "marketplace/organisations/form.html", {
        "form": form, "title": _("Register an organisation"),
        "breadcrumbs": [(_("Organisations"), reverse("marketplace:organisations")), (_("Register"), None)],
    })


@login_required
def organisation_mine(request: HttpRequest) -> HttpResponse:
    organisation = request.user.acting_organisation
    if organisation is None:
        return render(request, "marketplace/organisations/none.html", {"breadcrumbs": [(_("My organisation"), None)]})
    can_manage = request.user.has_perm("marketplace.manage_organisation", organisation)
    invite_form = InvitationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if invite_form.is_valid():
            invitation = call_service(
                invite_form, organisation_services.invitation_create, actor=request.user, organisation=organisation,
                email=invite_form.cleaned_data["email"], role=invite_form.cleaned_data["role"],
            )
            if invitation is not None:
                messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
                return redirect("marketplace:organisation_mine")
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(organisation=organisation),
        "invitations": selectors.organisation_invitations(organisation=organisation) if can_manage else [],
        "invite_form": invite_form,
        "role_form": RoleForm(),
        "can_manage": can_manage,
        "breadcrumbs": [(_("My organisation"), None)],
    }
    return render(request, "marketplace/organisations/mine.html", context, status=400 if invite_form is not None and invite_form.errors else 200)


@login_required
def organisation_edit(request: HttpRequest) -> HttpResponse:
    organisation = request.user.acting_organisation
    if organisation is None or not request.user.has_perm("marketplace.manage_organisation", organisation):
        raise Http404
    form = OrganisationEditForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, organisation_services.organisation_update, actor=request.user,
                             organisation_id=organisation.pk, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        if saved is not None:
            messages.success(request, _("The organisation's details are saved."))
            return redirect("marketplace:organisation_mine")
    return render(request, "marketplace/organisations/form.html", {
        "form": form, "title": _("Edit %(organisation)s") % {"organisation": organisation},
        "breadcrumbs": [(_("My organisation"), reverse("marketplace:organisation_mine")), (_("Edit"), None)],
    })


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            organisation_services.membership_set_role(actor=request.user, membership_id=pk, role=form.cleaned_data["role"])
            messages.success(request, _("The role is changed."))
        except DomainError as error:
            show_error(request, error)
    return redirect("marketplace:organisation_mine")


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organisation_services.membership_remove(actor=request.user, membership_id=pk)
        messages.success(request, _("The membership is removed."))
    except DomainError as error:
        show_error(request, error)
    return redirect("marketplace:organisation_mine")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organisation_services.invitation_revoke(actor=request.user, invitation_id=pk)
        messages.success(request, _("The invitation is withdrawn."))
    except DomainError as error:
        show_error(request, error)
    return redirect("marketplace:organisation_mine")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = organisation_services.invitation_get_by_token(token)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = organisation_services.invitation_accept(actor=request.user, token=token)
        except DomainError as error:
            show_error(request, error)
        else:
            request.session[SESSION_KEY] = membership.organisation_id
            messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": membership.organisation})
            return redirect("marketplace:start")
    return render(request, "marketplace/organisations/invitation.html", {
        "invitation": invitation, "breadcrumbs": [(_("Invitation"), None)],
    })


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        organisation = organisation_services.acting_organisation_switch(
            actor=request.user, organisation_id=int(request.POST.get("organisation", 0) or 0)
        )
    except (DomainError, ValueError):
        messages.error(request, _("You can only act for organisations you are a member of."))
        return redirect("marketplace:start")
    request.session[SESSION_KEY] = organisation.pk
    messages.success(request, _("You now act for %(organisation)s.") % {"organisation": organisation})
    target = request.POST.get("next", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("marketplace:start")
    return redirect(target)


# Notifications, profile, language ------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.notifications_for(user=request.user))
    return render(request, "marketplace/notifications.html", {"page": page, "breadcrumbs": [(_("Notifications"), None)]})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_services.notification_mark_read(actor=request.user, notification_id=pk)
    if request.POST.get("open") and notification.url.startswith("/"):
        return redirect(_safe_next(request, reverse("marketplace:notifications"), target=notification.url))
    return redirect("marketplace:notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notification_services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("marketplace:notifications")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST if request.POST.get("form") == "profile" else None,
                       initial={"first_name": user.first_name, "last_name": user.last_name, "language": user.language})
    prefs = NotificationPreferencesForm(
        request.POST if request.POST.get("form") == "notifications" else None,
        initial={"email_kinds": sorted(notification_services.email_kinds_for(user))},
    )
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "profile" and form.is_valid():
            from .services.people import profile_update

            profile_update(actor=user, **form.cleaned_data)
            translation.activate(user.language)
            response = redirect("marketplace:profile")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax",
                                secure=settings.LANGUAGE_COOKIE_SECURE)
            messages.success(request, _("Your profile is saved."))
            return response
        if kind == "notifications" and prefs.is_valid():
            if call_service(prefs, notification_services.notification_preferences_set, actor=user,
                            email_kinds=prefs.cleaned_data["email_kinds"]) is None and not prefs.errors:
                messages.success(request, _("Your e-mail choices are saved."))
                return redirect("marketplace:profile")
        if kind == "token":
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
            messages.success(request, _("A new API token is created. Copy it now: %(key)s") % {"key": token.key})
            return redirect("marketplace:profile")
    return render(request, "marketplace/profile.html", {
        "form": form, "prefs": prefs, "has_token": Token.objects.filter(user=user).exists(),
        "breadcrumbs": [(_("My profile"), None)],
    })


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice is remembered on the person when logged in."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        from .services.people import profile_update

        profile_update(actor=request.user, language=language)
    return response


# Audit, help (HLP-1), documents (X-5) ---------------------------------------------------


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("marketplace.view_audit"):
        raise Http404
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.audit_search(**{k: v for k, v in filters.items() if v}), per_page=50)
    return render(request, "marketplace/audit.html", {"form": form, "page": page, "breadcrumbs": [(_("Audit log"), None)]})


def help_page(request: HttpRequest, page: str = "index") -> HttpResponse:
    if page not in HELP_PAGES:
        raise Http404
    language = "en" if translation.get_language() == "en" else "nb"
    try:
        get_template(f"marketplace/help/{language}/{page}.html")
        content = f"marketplace/help/{language}/{page}.html"
    except TemplateDoesNotExist:
        content = f"marketplace/help/nb/{page}.html"
    crumbs = [(_("Hjelp"), reverse("marketplace:help") if page != "index" else None)]
    if page != "index":
        crumbs.append((HELP_PAGES[page], None))
    return render(request, "marketplace/help.html", {
        "content_template": content, "page": page, "title": HELP_PAGES[page], "pages": HELP_PAGES, "breadcrumbs": crumbs,
    })


def document_download(request: HttpRequest, uuid) -> HttpResponse:
    """Serve a document only to those who may see the object it belongs to."""
    document = Document.objects.select_related("owner_type").filter(uuid=uuid).first()
    if document is None:
        raise Http404
    owner = document.owner
    perm = f"{document.owner_type.app_label}.view_{document.owner_type.model}"
    if owner is None or not request.user.has_perm(perm, owner):
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type=document.content_type, as_attachment=True,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Service areas and categories (INN-1) -------------------------------------------------------


def _taxonomy_guard(request: HttpRequest) -> None:
    if not request.user.has_perm("marketplace.manage_taxonomy"):
        raise Http404


@login_required
def taxonomy(request: HttpRequest) -> HttpResponse:
    _taxonomy_guard(request)
    return render(request, "marketplace/taxonomy/index.html", {
        "categories": selectors.category_list_with_all_areas(),
        "breadcrumbs": [(_("Service areas"), None)],
    })


def _taxonomy_edit(request: HttpRequest, *, form_class, instance, save, id_field: str, title: str) -> HttpResponse:
    _taxonomy_guard(request)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, save, actor=request.user, **{id_field: instance.pk if instance else None},
                             **{k: form.cleaned_data[k] for k in form.Meta.fields})
        if saved is not None:
            messages.success(request, _("“%(name)s” is saved.") % {"name": saved.name})
            return redirect("marketplace:taxonomy")
    return render(request, "marketplace/organisations/form.html", {
        "form": form, "title": title,
        "breadcrumbs": [(_("Service areas"), reverse("marketplace:taxonomy")), (title, None)],
    })


@login_required
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from .models import Category
    from .services.taxonomy import category_save

    instance = Category.objects.filter(pk=pk).first() if pk else None
    if pk and instance is None:
        raise Http404
    return _taxonomy_edit(request, form_class=CategoryForm, instance=instance, save=category_save, id_field="category_id",
                          title=_("Edit category") if instance else _("New category"))


@login_required
def service_area_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from .models import ServiceArea
    from .services.taxonomy import service_area_save

    instance = ServiceArea.objects.filter(pk=pk).first() if pk else None
    if pk and instance is None:
        raise Http404
    return _taxonomy_edit(request, form_class=ServiceAreaForm, instance=instance, save=service_area_save,
                          id_field="service_area_id", title=_("Edit service area") if instance else _("New service area"))
