"""Butikken screens (STO-1 … STO-6): front page, search, listing page, compare tray and comparisons,
shortlists, Ta i bruk and CSV exports. Thin: parse, call a service or selector, render. Every screen
works without JavaScript; htmx updates the search results and the compare tray in place."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.acting import acting_organisation
from marketplace.errors import DomainError, NotFound
from marketplace.forms import call_service
from marketplace.views import paginate

from .. import plugins
from ..forms.catalogue import (
    AdoptionAcceptForm,
    AdoptionDeclineForm,
    AdoptionEndForm,
    AdoptionRequestForm,
    AdoptionWithdrawForm,
    ShortlistAddForm,
    ShortlistCreateForm,
)
from ..models import Adoption
from ..selectors import catalogue as selectors
from ..services import catalogue as services

TRAY_KEY = "store_compare"
SLUG = re.compile(r"[-a-z0-9_]{1,60}")
# How long a rendered fragment of the front page or the search page may be reused within one store version
# (after any change to the store the version changes, so this bounds only what the store does not follow:
# a renamed service area or vendor).
FRAGMENT_SECONDS = 300


def store_crumb():
    return (_("Butikken"), reverse("store:home"))


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _report(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, DomainError):
        messages.error(request, error.message)
    elif isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))


# The compare tray (session) ------------------------------------------------------------------------


def tray_ids(request: HttpRequest) -> list[int]:
    return selectors.parse_ids(request.session.get(TRAY_KEY, []))[: selectors.COMPARE_MAX]


def _tray_context(request: HttpRequest, *, notice: str = "") -> dict[str, Any]:
    products = selectors.tray_products(tray_ids(request))
    if request.method == "POST":  # the tray updated by htmx: come back to the page it is on
        current = getattr(request.htmx, "current_url_abs_path", None) if request.htmx else None
        back = _safe_next(request, "") or current or reverse("store:home")
    else:
        back = request.get_full_path()
    return {
        "tray": products,
        "tray_ids": ",".join(str(p.pk) for p in products),
        "tray_ids_list": [p.pk for p in products],
        "tray_next": back,
        "tray_notice": notice,
        "tray_max": selectors.COMPARE_MAX,
    }


@require_POST
def tray_update(request: HttpRequest) -> HttpResponse:
    """Add a product to the compare tray, take one out, or empty it (htmx: the tray; otherwise back)."""
    ids = tray_ids(request)
    notice = ""
    toggle = selectors.parse_ids([request.POST.get("toggle", "")])
    remove = selectors.parse_ids([request.POST.get("remove", "")])
    add = selectors.parse_ids([request.POST.get("add", "")])
    if request.POST.get("clear"):
        ids = []
    elif remove or (toggle and request.POST.get("checked") == "0"):
        ids = [i for i in ids if i not in (remove or toggle)]
    elif add or toggle:
        product_id = (add or toggle)[0]
        if product_id not in ids:
            if len(ids) >= selectors.COMPARE_MAX:
                notice = _("You can compare at most %(max)s products. Take one out first.") % {
                    "max": selectors.COMPARE_MAX
                }
            elif selectors.tray_products([product_id]):
                ids.append(product_id)
            else:
                notice = _("That product is not in the store.")
    request.session[TRAY_KEY] = ids
    if request.htmx:
        return render(
            request, "store/catalogue/partials/_compare_tray.html", _tray_context(request, notice=notice)
        )
    if notice:
        messages.warning(request, notice)
    return redirect(_safe_next(request, reverse("store:home")))


# Front page (STO-1) ---------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """Butikken as in the mock-up: categories with counts, a card per service area, the compare tray."""
    category = request.GET.get("category", "")
    category = category if SLUG.fullmatch(category) else ""
    context = {
        # Rendered once per store version, language, category and compare tray, then kept for FRAGMENT_SECONDS
        # (the template caches its fragments): most visits cost no query and no card rendering.
        "front": SimpleLazyObject(lambda: selectors.front_page(category_slug=category)),
        "front_category": category,
        "store_version": selectors.store_version(),
        "FRAGMENT_SECONDS": FRAGMENT_SECONDS,
        "breadcrumbs": [(_("Butikken"), None)],
        **_tray_context(request),
    }
    if request.user.is_authenticated and acting_organisation(request.user) is not None:
        context["can_request"] = request.user.has_perm("store.request_adoption")
    return render(request, "store/home.html", context)


# Search (STO-3) -------------------------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    """Search and filter the listed products; shareable GET URLs; unknown filter values are ignored with a
    message."""
    result = selectors.store_search(
        request.GET, page=request.GET.get("page"), base_url=reverse("store:search")
    )
    ignored = selectors.ignored_message(result.query)
    base = reverse("store:search")
    query = result.query
    context = {
        "chips": {
            "text": query.url_without(base, "q", query.text),
            "procured": query.url_without(base, "procured", "1"),
            "rating": query.url_without(base, "min_rating", str(query.min_rating or "")),
        },
        "result": result,
        "query": result.query,
        "page": result.page,
        "ignored": ignored,
        "sorts": selectors.SORTS,
        "ratings": selectors.RATING_CHOICES,
        "querystring": result.query.querystring(),
        # The fragments are cached by the query as asked (pagination links repeat it).
        "raw_query": request.GET.urlencode(),
        "store_version": selectors.store_version(),
        "FRAGMENT_SECONDS": FRAGMENT_SECONDS,
        "breadcrumbs": [store_crumb(), (_("Search"), None)],
        "shortlist_form": ShortlistCreateForm(initial={"search_query": result.query.querystring()}),
        "can_save": request.user.is_authenticated and request.user.has_perm("store.add_shortlist"),
        **_tray_context(request),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "store/catalogue/partials/_search_body.html", context)
    return render(request, "store/catalogue/search.html", context)


def _safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # Excel reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    return response


def _entry_row(request: HttpRequest, entry) -> list[Any]:
    return [
        entry.product.name,
        entry.product.vendor.name,
        entry.product.short_description,
        ", ".join(a.display_name for a in entry.product.service_areas.all()),
        selectors.listing_status_text(entry),
        getattr(entry, "version_number", ""),
        entry.usage_count,
        entry.rating_average if entry.rating_count else "",
        entry.rating_count,
        entry.procured_until.isoformat() if entry.is_procured else "",
        entry.product.price_model,
        request.build_absolute_uri(reverse("store:listing", args=[entry.product_id])),
    ]


def _entry_header() -> list[str]:
    return [
        _("Product"),
        _("Vendor"),
        _("Short description"),
        _("Service areas"),
        _("Verification"),
        _("Declaration version"),
        _("In use by"),
        _("Average rating"),
        _("Ratings"),
        _("Felleskjøpt until"),
        _("Price model"),
        _("Link"),
    ]


@require_GET
def search_csv(request: HttpRequest) -> HttpResponse:
    """The search results as CSV (STO-6), with the same filters as the page."""
    _query, entries = selectors.search_export_rows(request.GET)
    stamp = timezone.localdate().isoformat()
    return _csv_response(
        f"butikken-sok-{stamp}.csv", _entry_header(), (_entry_row(request, e) for e in entries)
    )


# The listing page (STO-2) ---------------------------------------------------------------------------


def listing(request: HttpRequest, pk: int) -> HttpResponse:
    """One listed product: vendor, declaration by section, verification, documents, needs, users, plug-ins."""
    page = selectors.listing_page(product_id=pk, user=request.user)
    user = request.user
    context = {
        "listing": page,
        "entry": page.entry,
        "product": page.product,
        "plugin_sections": plugins.rendered_listing_sections(request, page),
        "has_experiences_section": plugins.has_listing_section("experiences"),
        "breadcrumbs": [store_crumb(), (page.product.name, None)],
        "in_tray": page.product.pk in tray_ids(request),
        **_tray_context(request),
    }
    if user.is_authenticated and acting_organisation(user) is not None:
        shortlists = list(selectors.shortlists_of(user=user))
        context.update(
            can_request=user.has_perm("store.request_adoption"),
            shortlists=shortlists,
            shortlist_add_form=ShortlistAddForm(shortlists=shortlists) if shortlists else None,
            shortlist_form=ShortlistCreateForm(),
            can_save=user.has_perm("store.add_shortlist"),
        )
    return render(request, "store/catalogue/listing.html", context)


# Comparison (STO-4) ----------------------------------------------------------------------------------


def _compare_ids(request: HttpRequest) -> list[int]:
    return selectors.parse_ids(request.GET.getlist("produkt"))


def _compare_error(request: HttpRequest, error: Exception, crumbs) -> HttpResponse:
    if isinstance(error, ValidationError):
        message = (
            " ".join(sum(error.message_dict.values(), []))
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
        status = 400
    else:
        message, status = error.message, error.status_code
    return render(
        request,
        "store/catalogue/compare.html",
        {"error": message, "breadcrumbs": crumbs, **_tray_context(request)},
        status=status,
    )


def compare(request: HttpRequest) -> HttpResponse:
    """Sammenlikne: 2–4 products side by side by declaration section, differences marked."""
    crumbs = [store_crumb(), (_("Sammenlikne"), None)]
    try:
        entries, need_choices = selectors.comparison(product_ids=_compare_ids(request), user=request.user)
    except (ValidationError, NotFound) as error:
        return _compare_error(request, error, crumbs)
    rows = selectors.compare_rows(entries)
    return render(
        request,
        "store/catalogue/compare.html",
        {
            "entries": entries,
            "rows": rows,
            "columns": [e.product.name for e in entries],
            "differences": sum(1 for r in rows if r["differs"]),
            "need_choices": need_choices,
            "breadcrumbs": crumbs,
            "shortlist_form": ShortlistCreateForm(),
            "can_save": request.user.is_authenticated and request.user.has_perm("store.add_shortlist"),
            **_tray_context(request),
        },
    )


@require_GET
def compare_csv(request: HttpRequest) -> HttpResponse:
    """The comparison as CSV (STO-6): one row per field, one column per product, and whether they differ."""
    try:
        entries = selectors.compare_products(product_ids=_compare_ids(request))
    except (ValidationError, NotFound) as error:
        return _compare_error(request, error, [store_crumb(), (_("Sammenlikne"), None)])
    rows = selectors.compare_rows(entries)
    header = [_("Section"), _("Field"), *[e.product.name for e in entries], _("Differs")]
    body = (
        [
            str(r["section"]["title"] if isinstance(r["section"], dict) else r["section"].title),
            str(r["label"]),
            *r["values"],
            _("yes") if r["differs"] else _("no"),
        ]
        for r in rows
    )
    return _csv_response(f"butikken-sammenlikning-{timezone.localdate().isoformat()}.csv", header, body)


def _need_id(request: HttpRequest) -> int | None:
    ids = selectors.parse_ids([request.GET.get("behov", "")])
    return ids[0] if ids else None


def compare_need(request: HttpRequest) -> HttpResponse:
    """Products against a need: how each meets the need's desired declaration, per section and per
    weighted evaluation criterion (STO-4)."""
    crumbs = [store_crumb(), (_("Compare with a need"), None)]
    ids = _compare_ids(request)
    need_id = _need_id(request)
    choices = selectors.fit_need_choices(user=request.user, product_ids=ids)
    context = {
        "breadcrumbs": crumbs,
        "need_choices": choices,
        "product_ids": ids,
        "need_id": need_id,
        **_tray_context(request),
    }
    if need_id is None:
        if ids and len(ids) > selectors.FIT_MAX:
            context["error"] = _("Choose between 1 and %(max)s products; you chose %(count)s.") % {
                "max": selectors.FIT_MAX,
                "count": len(ids),
            }
            return render(request, "store/catalogue/compare_need.html", context, status=400)
        return render(request, "store/catalogue/compare_need.html", context)
    try:
        fit = selectors.need_fit(user=request.user, need_id=need_id, product_ids=ids)
    except ValidationError as error:
        context["error"] = " ".join(sum(error.message_dict.values(), []))
        return render(request, "store/catalogue/compare_need.html", context, status=400)
    except NotFound as error:
        context["error"] = error.message
        return render(request, "store/catalogue/compare_need.html", context, status=404)
    context.update(fit=fit, ids_query="&".join(f"produkt={e.product_id}" for e in fit.entries))
    return render(request, "store/catalogue/compare_need.html", context)


@require_GET
def compare_need_csv(request: HttpRequest) -> HttpResponse:
    need_id = _need_id(request)
    try:
        if need_id is None:
            raise NotFound(_("Need not found."))
        fit = selectors.need_fit(user=request.user, need_id=need_id, product_ids=_compare_ids(request))
    except (ValidationError, NotFound) as error:
        return _compare_error(request, error, [store_crumb(), (_("Compare with a need"), None)])
    names = [e.product.name for e in fit.entries]
    rows: list[list[Any]] = []
    for section in fit.sections:
        for row in section["rows"]:
            rows.append(
                [
                    str(section["section"].title),
                    str(row["label"]),
                    row["want"],
                    *[
                        f"{cell['label']}: {cell['value']}" if cell["value"] else str(cell["label"])
                        for cell in row["cells"]
                    ],
                ]
            )
    for criterion in fit.criteria:
        rows.append(
            [
                _("Evaluation criteria"),
                f"{criterion.criterion.name} ({criterion.criterion.weight} %)",
                ", ".join(criterion.field_labels),
                *["" if s is None else f"{round(s * 100)} %" for s in criterion.scores],
            ]
        )
    rows.append(
        [
            _("Evaluation criteria"),
            _("Weighted fit"),
            "",
            *["" if t is None else f"{t} %" for t in fit.totals],
        ]
    )
    header = [_("Section"), _("Field"), _("The need asks for"), *names]
    filename = f"butikken-behov-{slugify(fit.need.title)[:40]}-{timezone.localdate().isoformat()}.csv"
    return _csv_response(filename, header, rows)


# Shortlists -----------------------------------------------------------------------------------------


@login_required
def shortlist_list(request: HttpRequest) -> HttpResponse:
    """The acting organisation's shortlists; create one from the chosen products."""
    form = ShortlistCreateForm()
    return render(
        request,
        "store/catalogue/shortlists.html",
        {
            "shortlists": selectors.shortlists_of(user=request.user),
            "organisation": acting_organisation(request.user),
            "form": form,
            "breadcrumbs": [store_crumb(), (_("Shortlists"), None)],
            **_tray_context(request),
        },
    )


@login_required
@require_POST
def shortlist_create(request: HttpRequest) -> HttpResponse:
    """Save a search or a set of products (the hidden "product" fields) as a shortlist."""
    form = ShortlistCreateForm(request.POST)
    product_ids = selectors.parse_ids(request.POST.getlist("product"))
    shortlist = None
    if form.is_valid():
        shortlist = call_service(
            form,
            services.shortlist_create,
            actor=request.user,
            organisation=acting_organisation(request.user),
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            search_query=form.cleaned_data["search_query"],
            product_ids=product_ids,
        )
    if shortlist is not None:
        messages.success(
            request,
            _("The shortlist “%(name)s” is saved for %(organisation)s.")
            % {"name": shortlist.name, "organisation": shortlist.organisation},
        )
        return redirect(shortlist.get_absolute_url())
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, " ".join(errors) or _("The shortlist could not be saved."))
    return redirect(_safe_next(request, reverse("store:shortlists")))


@login_required
def shortlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = selectors.shortlist_get(user=request.user, pk=pk)
    items = selectors.shortlist_items(shortlist)
    listed_ids = [i.product_id for i in items if i.listed]
    return render(
        request,
        "store/catalogue/shortlist_detail.html",
        {
            "shortlist": shortlist,
            "items": items,
            "search_count": selectors.shortlist_search_count(shortlist),
            "compare_query": "&".join(f"produkt={i}" for i in listed_ids[: selectors.COMPARE_MAX]),
            "can_compare": selectors.COMPARE_MIN <= len(listed_ids) <= selectors.COMPARE_MAX,
            "breadcrumbs": [
                store_crumb(),
                (_("Shortlists"), reverse("store:shortlists")),
                (shortlist.name, None),
            ],
        },
    )


@login_required
@require_GET
def shortlist_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """A shortlist as CSV (STO-6): its products with their store state, and the saved search."""
    shortlist = selectors.shortlist_get(user=request.user, pk=pk)
    rows = []
    for item in selectors.shortlist_items(shortlist):
        entry = item.entry
        rows.append(
            [
                item.product.name,
                item.product.vendor.name,
                _("Listed") if item.listed else _("No longer in the store"),
                entry.usage_count if entry else "",
                entry.rating_average if entry and entry.rating_count else "",
                entry.procured_until.isoformat() if entry and entry.is_procured else "",
                item.product.price_model,
                request.build_absolute_uri(reverse("store:listing", args=[item.product_id]))
                if item.listed
                else "",
            ]
        )
    if shortlist.search_query:
        rows.append(
            [_("Saved search"), "", "", "", "", "", "", request.build_absolute_uri(shortlist.search_url)]
        )
    header = [
        _("Product"),
        _("Vendor"),
        _("In the store"),
        _("In use by"),
        _("Average rating"),
        _("Felleskjøpt until"),
        _("Price model"),
        _("Link"),
    ]
    return _csv_response(f"huskeliste-{slugify(shortlist.name)[:40] or shortlist.pk}.csv", header, rows)


@login_required
@require_POST
def shortlist_add(request: HttpRequest, product_id: int) -> HttpResponse:
    """Put a product on one of the organisation's shortlists (from the listing page)."""
    shortlists = list(selectors.shortlists_of(user=request.user))
    form = ShortlistAddForm(request.POST, shortlists=shortlists)
    default = reverse("store:listing", args=[product_id])
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisation's shortlists."))
        return redirect(_safe_next(request, default))
    try:
        shortlist = services.shortlist_add_product(
            actor=request.user, shortlist_id=form.cleaned_data["shortlist"], product_id=product_id
        )
    except (DomainError, ValidationError) as error:
        _report(request, error)
    else:
        messages.success(request, _("Added to the shortlist “%(name)s”.") % {"name": shortlist.name})
    return redirect(_safe_next(request, default))


@login_required
@require_POST
def shortlist_remove(request: HttpRequest, pk: int, product_id: int) -> HttpResponse:
    try:
        services.shortlist_remove_product(actor=request.user, shortlist_id=pk, product_id=product_id)
    except (DomainError, ValidationError) as error:
        _report(request, error)
    else:
        messages.success(request, _("The product was taken off the shortlist."))
    return redirect(reverse("store:shortlist_detail", args=[pk]))


@login_required
@require_POST
def shortlist_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.shortlist_delete(actor=request.user, shortlist_id=pk)  # NotFound becomes a 404 page
    messages.success(request, _("The shortlist was deleted."))
    return redirect("store:shortlists")


# Ta i bruk (STO-5) ------------------------------------------------------------------------------------


@login_required
def adoption_request(request: HttpRequest, product_id: int) -> HttpResponse:
    """A municipality's organisation admin asks the vendor to take a listed product into use."""
    page = selectors.listing_page(product_id=product_id, user=request.user)
    organisation = acting_organisation(request.user)
    form = AdoptionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        adoption = call_service(
            form,
            services.adoption_request,
            actor=request.user,
            organisation=organisation,
            product_id=product_id,
            wanted_start=form.cleaned_data["wanted_start"],
            message=form.cleaned_data["message"],
        )
        if adoption is not None:
            messages.success(
                request,
                _("The request is sent to %(vendor)s. You will be told when they answer.")
                % {"vendor": page.vendor.name},
            )
            return redirect(adoption.get_absolute_url())
    return render(
        request,
        "store/catalogue/adoption_request.html",
        {
            "listing": page,
            "form": form,
            "organisation": organisation,
            "can_request": request.user.has_perm("store.request_adoption"),
            "breadcrumbs": [
                store_crumb(),
                (page.product.name, reverse("store:listing", args=[product_id])),
                (_("Ta i bruk"), None),
            ],
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
def adoption_list(request: HttpRequest) -> HttpResponse:
    """Adoptions of the acting organisation: as a customer, and (vendors) of its products."""
    organisation = acting_organisation(request.user)
    role = request.GET.get("rolle", "")
    role = {"kunde": "customer", "leverandor": "vendor"}.get(role, "")
    status = request.GET.get("status", "")
    page = paginate(
        request, selectors.adoption_list(user=request.user, role=role, status=status), per_page=25
    )
    return render(
        request,
        "store/catalogue/adoptions.html",
        {
            "page": page,
            "organisation": organisation,
            "status": status if status in Adoption.Status.values else "",
            "statuses": Adoption.Status.choices,
            "role": request.GET.get("rolle", ""),
            "breadcrumbs": [store_crumb(), (_("Adoptions"), None)],
        },
    )


def _adoption_forms(request: HttpRequest, adoption: Adoption, **bound) -> dict[str, Any]:
    user = request.user
    forms: dict[str, Any] = {}
    if adoption.status == Adoption.Status.REQUESTED and user.has_perm("store.answer_adoption", adoption):
        forms["accept_form"] = bound.get("accept_form") or AdoptionAcceptForm(adoption=adoption)
        forms["decline_form"] = bound.get("decline_form") or AdoptionDeclineForm()
    if adoption.status == Adoption.Status.REQUESTED and user.has_perm("store.withdraw_adoption", adoption):
        forms["withdraw_form"] = bound.get("withdraw_form") or AdoptionWithdrawForm()
    if adoption.status in (Adoption.Status.ACCEPTED, Adoption.Status.ACTIVE) and user.has_perm(
        "store.end_adoption", adoption
    ):
        forms["end_form"] = bound.get("end_form") or AdoptionEndForm()
    return forms


def _adoption_page(request: HttpRequest, adoption: Adoption, *, status: int = 200, **bound) -> HttpResponse:
    organisation = acting_organisation(request.user)
    return render(
        request,
        "store/catalogue/adoption_detail.html",
        {
            "adoption": adoption,
            "events": selectors.adoption_history(adoption),
            "is_vendor_side": organisation is not None and adoption.product.vendor_id == organisation.pk,
            "breadcrumbs": [
                store_crumb(),
                (_("Adoptions"), reverse("store:adoptions")),
                (str(adoption.product), None),
            ],
            **_adoption_forms(request, adoption, **bound),
        },
        status=status,
    )


@login_required
def adoption_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _adoption_page(request, selectors.adoption_get(user=request.user, pk=pk))


def _adoption_step(
    request: HttpRequest, pk: int, form_class, form_name: str, func, success: str
) -> HttpResponse:
    """Run one workflow step from its form; a refusal is shown on the adoption page with its status code."""
    adoption = selectors.adoption_get(user=request.user, pk=pk)
    kwargs = {"adoption": adoption} if form_class is AdoptionAcceptForm else {}
    form = form_class(request.POST, **kwargs)
    status = 400
    if form.is_valid():
        try:
            result = func(actor=request.user, adoption_id=adoption.pk, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in (
                error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            messages.success(request, success)
            return redirect(result.get_absolute_url())
    adoption = selectors.adoption_get(user=request.user, pk=pk)
    return _adoption_page(request, adoption, status=status, **{form_name: form})


@login_required
@require_POST
def adoption_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _adoption_step(
        request,
        pk,
        AdoptionAcceptForm,
        "accept_form",
        services.adoption_accept,
        _("The request is accepted and the municipality is told."),
    )


@login_required
@require_POST
def adoption_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _adoption_step(
        request,
        pk,
        AdoptionDeclineForm,
        "decline_form",
        services.adoption_decline,
        _("The request is declined and the municipality is told."),
    )


@login_required
@require_POST
def adoption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _adoption_step(
        request,
        pk,
        AdoptionWithdrawForm,
        "withdraw_form",
        services.adoption_withdraw,
        _("The request is withdrawn."),
    )


@login_required
@require_POST
def adoption_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _adoption_step(
        request,
        pk,
        AdoptionEndForm,
        "end_form",
        services.adoption_end,
        _("The adoption is ended and the other side is told."),
    )
