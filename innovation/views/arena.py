"""The arena's front page, service areas, the list of needs with search and filters (INN-1, INN-12),
similar needs while writing, and comparison (INN-11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.views import paginate

from .. import selectors
from ..comparison import comparison_rows
from ..forms import NeedFilterForm


def arena_crumb():
    return (_("Innovasjonsarena"), reverse("innovation:home"))


def home(request: HttpRequest) -> HttpResponse:
    """Front page as in the mock-up: a card per service area with its number of needs, by category (INN-1)."""
    categories = selectors.service_area_cards(user=request.user)
    return render(
        request,
        "innovation/home.html",
        {
            "categories": categories,
            "total": selectors.visible_needs(request.user).count(),
            "breadcrumbs": [(_("Innovasjonsarena"), None)],
            "can_add": request.user.has_perm("innovation.add_need"),
        },
    )


def _listing(request: HttpRequest, *, service_area=None) -> dict:
    form = NeedFilterForm(request.GET or None)
    filters = form.filters()
    if service_area is not None:
        filters["service_area"] = service_area.slug
    page = paginate(request, selectors.need_list(user=request.user, **filters), per_page=20)
    filtered = any(v for k, v in filters.items() if not (service_area is not None and k == "service_area"))
    return {"form": form, "page": page, "filtered": filtered, "chosen": request.GET.getlist("behov")}


def need_list(request: HttpRequest) -> HttpResponse:
    """Search and filter needs (INN-12), with boxes to pick needs to compare (INN-11)."""
    context = _listing(request)
    context["breadcrumbs"] = [arena_crumb(), (_("All needs"), None)]
    context["can_add"] = request.user.has_perm("innovation.add_need")
    return render(request, "innovation/need_list.html", context)


def service_area(request: HttpRequest, slug: str) -> HttpResponse:
    """The needs of one service area: Innovasjonsarena › <service area>."""
    area = selectors.service_area_get(slug=slug)
    context = _listing(request, service_area=area)
    context.update(
        {
            "area": area,
            "breadcrumbs": [arena_crumb(), (area.display_name, None)],
            "can_add": request.user.has_perm("innovation.add_need"),
        }
    )
    return render(request, "innovation/service_area.html", context)


def similar(request: HttpRequest) -> HttpResponse:
    """htmx partial: existing needs that look like the draft's title and summary."""
    text = f"{request.GET.get('title', '')} {request.GET.get('summary', '')}"[:2000]
    exclude = request.GET.get("exclude")
    needs = selectors.similar_needs(
        user=request.user, text=text, exclude_pk=int(exclude) if exclude and exclude.isdigit() else None
    )
    return render(
        request, "innovation/partials/_similar.html", {"similar": needs, "asked": bool(text.strip())}
    )


def compare(request: HttpRequest) -> HttpResponse:
    """Sammenligne behov: 2–4 needs side by side, section by section, differences marked (INN-11)."""
    ids = selectors.parse_ids(request.GET.getlist("behov"))
    crumbs = [arena_crumb(), (_("Sammenligne behov"), None)]
    try:
        needs = selectors.compare_needs(user=request.user, ids=ids)
    except ValidationError as error:
        return render(
            request,
            "innovation/compare.html",
            {
                "error": " ".join(error.message_dict.get("needs", error.messages)),
                "breadcrumbs": crumbs,
            },
            status=400,
        )
    rows = comparison_rows(needs)
    areas = {a.pk: a for a in needs[0].service_areas.all()}
    common = [a for pk, a in areas.items() if all(pk in {x.pk for x in n.service_areas.all()} for n in needs)]
    if common:
        crumbs.insert(1, (common[0].display_name, reverse("innovation:service_area", args=[common[0].slug])))
    return render(
        request,
        "innovation/compare.html",
        {
            "needs": needs,
            "rows": rows,
            "columns": [n.title for n in needs],
            "differences": sum(1 for r in rows if r["differs"]),
            "breadcrumbs": crumbs,
        },
    )
