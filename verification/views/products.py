"""Screens of Verifikasjon (VER-1 … VER-7): the arena's front page, products, declarations, verification
runs with live progress, shareable reports and the listing review. Thin: parse, call a service or
selector, render. Every screen works without JavaScript; htmx only refreshes the run's progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.acting import acting_organisation
from marketplace.declaration import DeclarationForm
from marketplace.errors import DomainError
from marketplace.forms import call_service
from marketplace.views import paginate, show_error

from ..forms.products import DocumentForm, ListingSearchForm, ProductForm, ReasonForm, ReviewDecisionForm
from ..models import DOCUMENT_KINDS, DeclarationVersion, Listing, VerificationRun
from ..selectors import products as selectors
from ..services import listing as listing_services
from ..services import products as services
from ..services import runs as run_services
from ..services.qualification import vendor_is_qualified

VersionStatus = DeclarationVersion.Status


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Verifikasjon"), reverse("verification:home")), *items]


def _product_crumbs(product, *items):
    return _crumbs((_("Products"), reverse("verification:product_list")),
                   (product.name, reverse("verification:product_detail", args=[product.pk])), *items)


def _version_crumbs(version, *items):
    return _product_crumbs(version.product, (_("Version %(number)s") % {"number": version.number},
                                             reverse("verification:version_detail", args=[version.pk])), *items)


def _post_action(request: HttpRequest, action, success: str, **kwargs):
    """Run a service from a button; a refusal becomes a message on the page it came from."""
    try:
        result = action(actor=request.user, **kwargs)
    except DomainError as error:
        show_error(request, error)
        return None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, success)
    return result


# The arena's front page ------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """Verifikasjon: what it is, the vendor's products, the review queue, and the verified products (public)."""
    organisation = acting_organisation(request.user)
    form = ListingSearchForm(request.GET or None)
    search, area = "", None
    if form.is_valid():
        search, area = form.cleaned_data["q"], form.cleaned_data["service_area"]
    context = {
        "breadcrumbs": [(_("Verifikasjon"), None)],
        "form": form,
        "page": paginate(request, selectors.listings_active(search=search, service_area=area)),
        "organisation": organisation,
    }
    if organisation is not None and organisation.is_vendor:
        context["my_products"] = list(selectors.products_of(organisation=organisation)[:10])
        context["qualified"] = vendor_is_qualified(organisation)
        context["can_register"] = request.user.has_perm("verification.add_product")
    if request.user.has_perm("verification.review_listing"):
        context["review_count"] = selectors.review_queue_count()
    return render(request, "verification/products/home.html", context)


# Products (VER-1) ---------------------------------------------------------------------------------------


def product_list(request: HttpRequest) -> HttpResponse:
    """My organisation's products (vendors), every product (platform administrators), listed ones (others)."""
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.product_list(actor=request.user, search=search))
    return render(request, "verification/products/product_list.html", {
        "page": page, "search": search, "organisation": acting_organisation(request.user),
        "can_register": request.user.has_perm("verification.add_product"),
        "breadcrumbs": _crumbs((_("Products"), None)),
    })


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("verification.add_product"):
        raise Http404
    organisation = acting_organisation(request.user)
    form = ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        product = call_service(form, services.product_create, actor=request.user, organisation=organisation,
                               **form.values())
        if product is not None:
            messages.success(request, _("%(product)s is registered. Fill in its declaration (version 1).")
                             % {"product": product.name})
            return redirect("verification:version_edit", pk=product.versions.get(number=1).pk)
    return render(request, "verification/products/product_form.html", {
        "form": form, "title": _("Register a product"), "qualified": vendor_is_qualified(organisation),
        "breadcrumbs": _crumbs((_("Products"), reverse("verification:product_list")), (_("Register"), None)),
    }, status=400 if form.errors else 200)


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(actor=request.user, pk=pk)
    versions = selectors.versions_of(product)
    is_vendor = request.user.has_perm("verification.change_product", product)
    is_admin = request.user.has_perm("verification.review_listing")
    if not (is_vendor or is_admin):
        # Others see only the listed version.
        versions = [v for v in versions if v.status == VersionStatus.LISTED]
    listing = getattr(product, "listing", None)
    return render(request, "verification/products/product_detail.html", {
        "product": product, "versions": versions, "listing": listing, "is_vendor": is_vendor, "is_admin": is_admin,
        "has_draft": any(v.is_draft for v in versions),
        "can_withdraw": listing is not None and listing.is_active
        and request.user.has_perm("verification.withdraw_listing", listing),
        "withdraw_form": ReasonForm(),
        "breadcrumbs": _crumbs((_("Products"), reverse("verification:product_list")), (product.name, None)),
    })


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(actor=request.user, pk=pk)
    if not request.user.has_perm("verification.change_product", product):
        raise Http404
    form = ProductForm(request.POST or None, request.FILES or None, product=product)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.product_update, actor=request.user, product_id=product.pk, **form.values())
        if saved is not None:
            messages.success(request, _("The product's details are saved."))
            return redirect("verification:product_detail", pk=product.pk)
    return render(request, "verification/products/product_form.html", {
        "form": form, "product": product, "title": _("Edit %(product)s") % {"product": product.name}, "qualified": True,
        "breadcrumbs": _product_crumbs(product, (_("Edit"), None)),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    """“Make changes”: a frozen or listed declaration is never edited; a new draft version is started."""
    product = selectors.product_get(actor=request.user, pk=pk)
    based_on = request.POST.get("based_on", "")
    version = _post_action(request, services.version_create, _("A new draft version is started. Make your changes."),
                           product_id=product.pk, based_on_id=int(based_on) if based_on.isdigit() else None)
    if version is None:
        return redirect("verification:product_detail", pk=product.pk)
    return redirect("verification:version_edit", pk=version.pk)


# Declaration versions (VER-2) ------------------------------------------------------------------------


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    product = version.product
    can_change = request.user.has_perm("verification.change_declarationversion", version)
    documents = selectors.version_documents(version)
    present = {d.kind for d in documents}
    runs = list(selectors.runs_of(version)[:20])
    listed, changes = selectors.changes_since_listed(version) if can_change or request.user.has_perm(
        "verification.review_listing") else (None, [])
    return render(request, "verification/products/version_detail.html", {
        "version": version, "product": product, "documents": documents,
        "missing_kinds": [label for kind, label in DOCUMENT_KINDS if kind not in present],
        "runs": runs, "active_run": next((r for r in runs if r.is_active), None),
        "latest_run": runs[0] if runs else None,
        "can_change": can_change,
        "can_run": request.user.has_perm("verification.start_verificationrun", version) and version.is_runnable,
        "can_submit": can_change and version.status == VersionStatus.VERIFIED,
        "document_form": DocumentForm() if can_change and version.is_draft else None,
        "listed": listed, "changed_fields": sum(1 for row in changes if row["differs"]),
        "history": selectors.version_history(version) if can_change or request.user.has_perm(
            "verification.review_listing") else [],
        "breadcrumbs": _product_crumbs(product, (_("Version %(number)s") % {"number": version.number}, None)),
    })


@login_required
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    if not request.user.has_perm("verification.change_declarationversion", version):
        raise Http404
    if not version.is_draft:
        messages.info(request, _("Version %(number)s is frozen. Start a new version to make changes.")
                      % {"number": version.number})
        return redirect("verification:version_detail", pk=version.pk)
    form = DeclarationForm(request.POST or None, initial=version.content)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.version_update, actor=request.user, version_id=version.pk,
                             content=form.declaration())
        if saved is not None:
            messages.success(request, _("The declaration is saved."))
            return redirect("verification:version_detail", pk=version.pk)
    return render(request, "verification/products/version_edit.html", {
        "form": form, "version": version, "product": version.product,
        "breadcrumbs": _version_crumbs(version, (_("Edit declaration"), None)),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def version_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        document = call_service(form, services.version_document_upload, actor=request.user, version_id=version.pk,
                                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
        if document is not None:
            messages.success(request, _("“%(name)s” is uploaded.") % {"name": document.original_name})
            return redirect("verification:version_detail", pk=version.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("verification:version_detail", pk=version.pk)


@login_required
@require_POST
def version_document_delete(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    _post_action(request, services.version_document_delete, _("The document is removed."), version_id=version.pk,
                 document_id=document_id)
    return redirect("verification:version_detail", pk=version.pk)


@login_required
@require_POST
def version_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a draft for verification: freeze it and queue its first run (“Kjør verifisering”)."""
    version = selectors.version_get(actor=request.user, pk=pk)
    frozen = _post_action(request, services.version_freeze,
                          _("Version %(number)s is frozen and its verification has started.") % {"number": version.number},
                          version_id=version.pk)
    if frozen is not None:
        run = selectors.latest_run(frozen)
        if run is not None:
            return redirect(run.get_absolute_url())
    return redirect("verification:version_detail", pk=version.pk)


@login_required
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    run = _post_action(request, run_services.run_start, _("The verification has started."), version_id=version.pk)
    if run is not None:
        return redirect(run.get_absolute_url())
    return redirect("verification:version_detail", pk=version.pk)


@login_required
@require_POST
def version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    _post_action(request, services.version_submit,
                 _("Version %(number)s is submitted for listing. A platform administrator reviews it.")
                 % {"number": version.number}, version_id=version.pk)
    return redirect("verification:version_detail", pk=version.pk)


@login_required
@require_POST
def version_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    _post_action(request, services.version_withdraw, _("Version %(number)s is withdrawn.") % {"number": version.number},
                 version_id=version.pk, reason=request.POST.get("reason", ""))
    return redirect("verification:version_detail", pk=version.pk)


# Runs and reports (VER-3, VER-7) ------------------------------------------------------------------


def _report_context(request: HttpRequest, run: VerificationRun) -> dict:
    rows = selectors.run_results(run)
    return {"run": run, "rows": rows, "progress": selectors.run_progress(rows), "version": run.version,
            "product": run.version.product}


def run_report(request: HttpRequest, uuid) -> HttpResponse:
    """The report of one run, shareable by link: public for the listed version, else vendor and administrators.
    While the run is in progress the page polls a small partial (htmx) and reloads when it is done."""
    run = selectors.run_get(actor=request.user, uuid=uuid)
    context = _report_context(request, run)
    version = run.version
    context.update(
        documents=selectors.version_documents(version),
        is_public=version.status == VersionStatus.LISTED,
        share_url=request.build_absolute_uri(run.get_absolute_url()),
        can_see_product=request.user.has_perm("verification.view_product", version.product),
        breadcrumbs=_crumbs((version.product.name, reverse("verification:product_detail", args=[version.product.pk])),
                            (_("Verification report"), None))
        if request.user.has_perm("verification.view_product", version.product) else _crumbs((_("Verification report"), None)),
    )
    return render(request, "verification/products/report.html", context)


def run_progress(request: HttpRequest, uuid) -> HttpResponse:
    """The live part of the report (polled by htmx every two seconds until the run has finished)."""
    run = selectors.run_get(actor=request.user, uuid=uuid)
    if not getattr(request, "htmx", False):
        return redirect(run.get_absolute_url())
    response = render(request, "verification/products/partials/_run_progress.html", _report_context(request, run))
    if run.is_finished:
        # Show the full report with its evidence; the reloaded page no longer polls.
        response["HX-Refresh"] = "true"
    return response


# Listing review (VER-5) ---------------------------------------------------------------------------


def _require_reviewer(request: HttpRequest) -> None:
    if not request.user.has_perm("verification.review_listing"):
        raise Http404


@login_required
def listing_review_queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.review_queue(search=search))
    return render(request, "verification/products/review_queue.html", {
        "page": page, "search": search, "breadcrumbs": _crumbs((_("Listing review"), None)),
    })


@login_required
def listing_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    version = selectors.version_get(actor=request.user, pk=pk)
    form = ReviewDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided = call_service(form, listing_services.listing_decide, actor=request.user, version_id=version.pk,
                               decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"])
        if decided is not None:
            messages.success(request, _("The decision on %(product)s version %(number)s is recorded.")
                             % {"product": version.product.name, "number": version.number})
            return redirect("verification:listing_review_queue")
        version = selectors.version_get(actor=request.user, pk=pk)
    listed, changes = selectors.changes_since_listed(version)
    latest = selectors.latest_run(version)
    rows = selectors.run_results(latest) if latest else []
    return render(request, "verification/products/review_detail.html", {
        "version": version, "product": version.product, "form": form,
        "documents": selectors.version_documents(version), "listed": listed, "changes": changes,
        "changed_fields": sum(1 for row in changes if row["differs"]),
        "compare_columns": [_("Listed version %(number)s") % {"number": listed.number},
                            _("Version %(number)s for review") % {"number": version.number}] if listed else [],
        "latest_run": latest, "rows": rows, "progress": selectors.run_progress(rows) if rows else None,
        "is_pending": version.status == VersionStatus.SUBMITTED,
        "history": selectors.version_history(version),
        "breadcrumbs": _crumbs((_("Listing review"), reverse("verification:listing_review_queue")),
                               (f"{version.product.name} {version.number}", None)),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def listing_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    listing = Listing.objects.select_related("product").filter(pk=pk).first()
    if listing is None or not request.user.has_perm("verification.view_listing", listing):
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for withdrawing the listing."))
    else:
        _post_action(request, listing_services.listing_withdraw, _("%(product)s is withdrawn from Butikken.")
                     % {"product": listing.product.name}, listing_id=listing.pk, reason=form.cleaned_data["reason"])
    return redirect("verification:product_detail", pk=listing.product_id)
