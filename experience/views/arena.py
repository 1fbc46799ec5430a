"""Finding experiences (EXP-5): the front page, search and filters, a product's experiences and rating, a
need's experiences, and my organisation's experiences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innovation.models import PUBLIC_STAGES, Need
from marketplace.errors import DomainError, NotFound
from marketplace.views import paginate

from .. import selectors, services, store_bridge
from ..forms import FilterForm, RatingForm
from .common import arena_crumb, report, safe_next


def home(request: HttpRequest) -> HttpResponse:
    """The arena's front page: newest, most useful and by service area; with filters, the results."""
    form = FilterForm(request.GET or None)
    context = {"form": form, "breadcrumbs": [(_("Erfaringsarena"), None)]}
    if form.is_bound and not form.is_valid():
        # A filter value that does not exist is ignored with a message, never a server error.
        messages.warning(request, _("Some filters were not understood and are ignored."))
    if form.active:
        filters = form.filters()
        qs = selectors.experience_list(
            user=request.user, include_hidden=request.user.has_perm("experience.view_hidden"), **filters
        )
        page = paginate(request, qs, per_page=20)
        context.update(page=page, results=page.object_list, filters=filters, searching=True)
    else:
        context.update(selectors.front_page(user=request.user), searching=False)
    context["can_write"] = request.user.has_perm("experience.add_experience")
    return render(request, "experience/home.html", context)


def product(request: HttpRequest, pk: int) -> HttpResponse:
    """A product's rating and every experience about it (EXP-2, EXP-5)."""
    item = selectors.product_get(pk=pk)
    section = selectors.product_section(product=item, user=request.user)
    page = paginate(request, selectors.experience_list(user=request.user, product=item), per_page=20)
    rating_form = None
    if section["can_rate"]:
        rating_form = RatingForm(
            initial={"score": section["my_rating"].score if section["my_rating"] else None}
        )
    return render(
        request,
        "experience/product.html",
        {
            **section,
            "page": page,
            "rating_form": rating_form,
            "store_url": store_bridge.listing_url(item),
            "breadcrumbs": [arena_crumb(), (item.name, None)],
        },
    )


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate a product for my organisation, or change the rating (EXP-2)."""
    form = RatingForm(request.POST)
    target = reverse("experience:product", args=[pk])
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect(target)
    try:
        rating = services.rating_set(actor=request.user, product_id=pk, score=form.cleaned_data["score"])
        messages.success(
            request,
            _("%(organisation)s rates %(product)s %(score)s of 5.")
            % {
                "organisation": rating.organisation.name,
                "product": rating.product.name,
                "score": rating.score,
            },
        )
    except NotFound:
        raise  # the refusal page, as for a product that does not exist
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect(safe_next(request, target))


def need(request: HttpRequest, pk: int) -> HttpResponse:
    """Experiences about a published need, and about the products that answer it."""
    item = Need.objects.filter(pk=pk, stage__in=PUBLIC_STAGES).select_related("owner").first()
    if item is None:
        raise NotFound(_("Need not found."))
    experiences = selectors.need_experiences(need=item, limit=50)
    return render(
        request,
        "experience/need.html",
        {
            "need": item,
            "experiences": experiences,
            "can_write": request.user.has_perm("experience.add_experience"),
            "breadcrumbs": [arena_crumb(), (item.title, None)],
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My organisation's experiences: drafts, published and hidden (with the moderator's reason)."""
    page = paginate(request, selectors.my_experiences(user=request.user), per_page=25)
    return render(
        request,
        "experience/mine.html",
        {
            "page": page,
            "breadcrumbs": [arena_crumb(), (_("Our experiences"), None)],
        },
    )
