"""Reads of Erfaringsarena for screens, API and plug-ins, scoped to what the actor may see, with fixed
query counts. Hidden content is returned to platform administrators only (EXP-4)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.acting import acting_membership, acting_organisation
from marketplace.compiled import CompiledQuery
from marketplace.errors import NotFound
from marketplace.models import Document, ServiceArea
from verification.models import Listing, Product

from . import search, store_bridge
from .models import (
    PRODUCT_TOPICS,
    SIZE_BOUNDS,
    Comment,
    Experience,
    ExperienceVersion,
    Follow,
    Rating,
    Report,
    SizeBand,
    UsefulMark,
)

SORTS = ("newest", "useful", "relevance")
FRONT_PAGE_SIZE = 5
SECTION_SIZE = 3


def is_moderator(user: Any) -> bool:
    organisation = acting_organisation(user)
    return organisation is not None and organisation.is_operator


def _with_related(qs: QuerySet[Experience]) -> QuerySet[Experience]:
    return qs.select_related(
        "organisation", "author", "product", "product__vendor", "need", "procurement", "service_area"
    )


def visible_experiences(user: Any, *, include_hidden: bool = False) -> QuerySet[Experience]:
    """Published experiences; hidden ones too for platform administrators who ask for them."""
    statuses = [Experience.Status.PUBLISHED]
    if include_hidden and is_moderator(user):
        statuses.append(Experience.Status.HIDDEN)
    return Experience.objects.filter(status__in=statuses)


def size_filter(band: str) -> Q:
    low, high = SIZE_BOUNDS[band]
    condition = Q(inhabitants__gte=low)
    if high is not None:
        condition &= Q(inhabitants__lt=high)
    return condition


def need_filter(need: Any) -> Q:
    """About the need, or about a product that answers it (a subquery: no join, no duplicates)."""
    need_id = getattr(need, "pk", need)
    answering = Product.needs.through.objects.filter(need_id=need_id).values("product_id")
    return Q(need_id=need_id) | Q(topic__in=PRODUCT_TOPICS, product_id__in=answering)


def experience_list(
    *,
    user: Any,
    q: str = "",
    product: Any = None,
    need: Any = None,
    procurement: Any = None,
    service_area: Any = None,
    topic: str = "",
    size: str = "",
    organisation: Any = None,
    sort: str = "newest",
    include_hidden: bool = False,
) -> QuerySet[Experience]:
    """Experiences anyone may read, filtered (EXP-5); most relevant first when searching on PostgreSQL."""
    qs = _with_related(visible_experiences(user, include_hidden=include_hidden))
    if product:
        qs = qs.filter(product_id=getattr(product, "pk", product))
    if need:
        qs = qs.filter(need_filter(need))
    if procurement:
        qs = qs.filter(procurement_id=getattr(procurement, "pk", procurement))
    if service_area:
        qs = qs.filter(service_area__slug=getattr(service_area, "slug", service_area))
    if topic:
        qs = qs.filter(topic=topic)
    if size in SizeBand.values:
        qs = qs.filter(size_filter(size))
    if organisation:
        qs = qs.filter(organisation_id=getattr(organisation, "pk", organisation))
    searching = bool((q or "").strip())
    qs = search.apply_search(qs, q)
    if sort == "useful":
        return qs.order_by("-useful_count", "-published_at", "-id")
    if sort == "relevance" and searching and settings.IS_POSTGRES:
        return qs.order_by("-rank", "-published_at", "-id")
    return qs.order_by("-published_at", "-id")


def front_page(*, user: Any) -> dict[str, Any]:
    """The arena's front page: newest, most useful and the service areas with experiences (EXP-5)."""
    published = _with_related(Experience.objects.published())
    areas = (
        ServiceArea.objects.filter(is_active=True)
        .annotate(
            experience_count=Count("experiences", filter=Q(experiences__status=Experience.Status.PUBLISHED))
        )
        .filter(experience_count__gt=0)
        .select_related("category")
        .order_by("category__order", "order", "name")
    )
    return {
        "newest": list(published.order_by("-published_at", "-id")[:FRONT_PAGE_SIZE]),
        "most_useful": list(
            published.filter(useful_count__gt=0).order_by("-useful_count", "-published_at", "-id")[
                :FRONT_PAGE_SIZE
            ]
        ),
        "areas": list(areas),
    }


def experience_get(*, user: Any, pk: Any) -> Experience:
    """One experience the actor may see; NotFound for missing and forbidden alike."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(_("Experience not found.")) from None
    experience = _with_related(Experience.objects.filter(pk=pk)).first()
    if experience is None or not user.has_perm("experience.view_experience", experience):
        raise NotFound(_("Experience not found."))
    return experience


def comments_for(*, experience: Experience, user: Any) -> list[Comment]:
    """The comments of an experience, oldest first; hidden ones only for platform administrators."""
    qs = Comment.objects.filter(experience=experience).select_related("author", "organisation")
    if not is_moderator(user):
        qs = qs.filter(status=Comment.Status.VISIBLE)
    return list(qs.order_by("created_at", "id"))


def comment_list(*, user: Any, experience: Any = None, include_hidden: bool = False) -> QuerySet[Comment]:
    """Comments on experiences anyone may read (for the API)."""
    qs = Comment.objects.select_related("author", "organisation", "experience")
    if include_hidden and is_moderator(user):
        qs = qs.filter(experience__status__in=[Experience.Status.PUBLISHED, Experience.Status.HIDDEN])
    else:
        qs = qs.filter(status=Comment.Status.VISIBLE, experience__status=Experience.Status.PUBLISHED)
    if experience:
        qs = qs.filter(experience_id=getattr(experience, "pk", experience))
    return qs.order_by("created_at", "id")


def documents(experience: Experience) -> QuerySet[Document]:
    return (
        Document.objects.filter(
            owner_type=ContentType.objects.get_for_model(Experience), owner_id=experience.pk
        )
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def versions(experience: Experience) -> QuerySet[ExperienceVersion]:
    return experience.versions.select_related("edited_by", "service_area").order_by("-number")


def is_following(experience: Experience, user: Any) -> bool:
    return bool(user.is_authenticated) and Follow.objects.filter(experience=experience, user=user).exists()


def has_marked_useful(experience: Experience, user: Any) -> bool:
    return (
        bool(user.is_authenticated) and UsefulMark.objects.filter(experience=experience, user=user).exists()
    )


def reported_by(user: Any, *, experience: Experience) -> dict[str, Any]:
    """What this person has already reported on the page: the experience, and comment ids."""
    if not user.is_authenticated:
        return {"experience": False, "comments": set()}
    rows = (
        Report.objects.filter(reporter=user)
        .filter(Q(experience=experience) | Q(comment__experience=experience))
        .values_list("experience_id", "comment_id")
    )
    return {
        "experience": any(e for e, _c in rows),
        "comments": {c for _e, c in rows if c},
    }


# Ratings (EXP-2) -----------------------------------------------------------------------------------


# Compiled once: the store's listing page shows the summary of every rated product.
_RATINGS_BY_SCORE = CompiledQuery(
    lambda product_id: Rating.objects.filter(product_id=product_id)
    .order_by()
    .values("score")
    .annotate(count=Count("pk"))
)


def rating_summary(*, product_id: int) -> dict[str, Any]:
    """Average, count and the distribution of a product's ratings, in one query."""
    by_score = {row["score"]: row["count"] for row in _RATINGS_BY_SCORE.rows(product_id=product_id)}
    counts = {f"s{score}": by_score.get(score, 0) for score in range(1, 6)}
    return _summary({"count": sum(counts.values()), **counts})


def _no_ratings() -> dict[str, Any]:
    return _summary({"count": 0, **{f"s{score}": 0 for score in range(1, 6)}})


def _summary(counts: dict[str, int]) -> dict[str, Any]:
    count = counts["count"] or 0
    total = sum(score * counts[f"s{score}"] for score in range(1, 6))
    average = round(total / count, 1) if count else None
    distribution = [
        {
            "score": score,
            "count": counts[f"s{score}"],
            "percent": round(100 * counts[f"s{score}"] / count) if count else 0,
        }
        for score in range(5, 0, -1)
    ]
    return {"average": average, "count": count, "distribution": distribution}


def my_rating(*, user: Any, product_id: int) -> Rating | None:
    organisation = acting_organisation(user)
    if organisation is None:
        return None
    return Rating.objects.filter(organisation=organisation, product_id=product_id).first()


def can_rate(*, user: Any, product: Product) -> bool:
    """Whether the acting organisation may rate the product now (an active adoption, not its vendor)."""
    organisation = acting_organisation(user)
    if organisation is None or product.vendor_id == organisation.pk:
        return False
    return store_bridge.has_active_adoption(organisation_id=organisation.pk, product_id=product.pk)


def product_get(*, pk: Any) -> Product:
    """A product that is (or was) in Butikken; NotFound otherwise (drafts of vendors stay private)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(_("Product not found.")) from None
    product = Product.objects.filter(pk=pk, listing__isnull=False).select_related("vendor", "listing").first()
    if product is None:
        raise NotFound(_("Product not found."))
    return product


def product_section(
    *,
    product: Product,
    user: Any,
    limit: int = SECTION_SIZE,
    rating_count: int | None = None,
    experience_count: int | None = None,
) -> dict[str, Any]:
    """What the listing page shows of Erfaringsarena: rating and the latest experiences (a fixed number of
    queries, whatever the number of ratings and experiences; fewer when there is little to show).

    `rating_count` and `experience_count`, when the caller knows them (the store keeps them on its entry),
    spare the queries for a product nobody has rated or written about yet."""
    latest = (
        list(
            Experience.objects.published()
            .filter(product=product)
            # The product is known: join only what the cards show besides it.
            .select_related("organisation", "need", "procurement", "service_area")
            .order_by("-published_at", "-id")[:limit]
        )
        if experience_count is None or experience_count > 0
        else []
    )
    for experience in latest:
        experience.product = product
    total = (
        len(latest)
        if len(latest) < limit
        else Experience.objects.published().filter(product=product).count()
    )
    rating = (
        rating_summary(product_id=product.pk) if rating_count is None or rating_count > 0 else _no_ratings()
    )
    return {
        "product": product,
        "rating": rating,
        "experiences": latest,
        "experience_total": total,
        "my_rating": my_rating(user=user, product_id=product.pk),
        "can_rate": can_rate(user=user, product=product),
    }


# Filter choices ------------------------------------------------------------------------------------


def product_choices() -> QuerySet[Product]:
    """Products in Butikken, for the experience form and the filters."""
    return (
        Product.objects.filter(listing__status__in=Listing.ACTIVE_STATES)
        .select_related("vendor")
        .order_by("name")
    )


def products_with_experiences() -> QuerySet[Product]:
    return (
        Product.objects.filter(experiences__status=Experience.Status.PUBLISHED)
        .distinct()
        .select_related("vendor")
        .order_by("name")
    )


def service_area_choices() -> QuerySet[ServiceArea]:
    return (
        ServiceArea.objects.filter(is_active=True)
        .select_related("category")
        .order_by("category__order", "order", "name")
    )


# The organisation's own experiences, the start page and the need page --------------------------------


def my_experiences(*, user: Any) -> QuerySet[Experience]:
    """What the acting organisation has written that this person may edit: their own, or all as org admin."""
    membership = acting_membership(user)
    if membership is None:
        return Experience.objects.none()
    qs = Experience.objects.filter(organisation_id=membership.organisation_id)
    if not membership.is_admin:
        qs = qs.filter(author=user)
    return _with_related(qs).order_by("-updated_at", "-id")


def new_on_used_products(*, organisation: Any, days: int = 30, limit: int = 5) -> list[Experience]:
    """Recent experiences from other organisations on the products this organisation uses (ORG-6)."""
    since = timezone.now() - timedelta(days=days)
    return list(
        _with_related(
            Experience.objects.published()
            .filter(
                topic__in=PRODUCT_TOPICS,
                product_id__in=store_bridge.products_used_by(organisation_id=organisation.pk),
                published_at__gte=since,
            )
            .exclude(organisation=organisation)
        ).order_by("-published_at", "-id")[:limit]
    )


def awaiting_vendor_reply(*, organisation: Any, limit: int = 5) -> list[Experience]:
    """Published experiences about this vendor's products that it has not replied to."""
    replied = Comment.objects.filter(experience=OuterRef("pk"), is_vendor_reply=True)
    return list(
        _with_related(
            Experience.objects.published()
            .filter(topic__in=PRODUCT_TOPICS, product__vendor=organisation)
            .exclude(pk__in=Subquery(replied.values("experience_id")))
        ).order_by("-published_at", "-id")[:limit]
    )


def need_experiences(*, need: Any, limit: int = 5) -> list[Experience]:
    """Experiences about a need, and about products that answer it, newest first."""
    return list(
        _with_related(Experience.objects.published().filter(need_filter(need))).order_by(
            "-published_at", "-id"
        )[:limit]
    )


# Moderation (EXP-4) --------------------------------------------------------------------------------


def open_reports() -> list[dict[str, Any]]:
    """Open reports grouped by what was reported, the most reported first."""
    reports = (
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related(
            "reporter",
            "organisation",
            "experience",
            "experience__organisation",
            "comment",
            "comment__author",
            "comment__organisation",
            "comment__experience",
        )
        .order_by("created_at", "id")
    )
    groups: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()
    for report in reports:
        key = ("comment", report.comment_id) if report.comment_id else ("experience", report.experience_id)
        group = groups.setdefault(key, {"kind": key[0], "target": report.target, "reports": []})
        group["reports"].append(report)
    return sorted(groups.values(), key=lambda g: (-len(g["reports"]), g["reports"][0].created_at))


def hidden_content() -> dict[str, list]:
    return {
        "experiences": list(
            Experience.objects.filter(status=Experience.Status.HIDDEN)
            .select_related("organisation", "hidden_by")
            .order_by("-hidden_at")[:50]
        ),
        "comments": list(
            Comment.objects.filter(status=Comment.Status.HIDDEN)
            .select_related("author", "organisation", "experience", "hidden_by")
            .order_by("-hidden_at")[:50]
        ),
    }


def open_report_count() -> int:
    return Report.objects.filter(status=Report.Status.OPEN).count()


def report_list(*, user: Any, status: str = "") -> QuerySet[Report]:
    """Reports for the API: moderators see all, others their own."""
    qs = Report.objects.select_related("reporter", "experience", "comment")
    if not is_moderator(user):
        qs = qs.filter(reporter=user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def topic_counts() -> dict[str, int]:
    rows = Experience.objects.published().values("topic").annotate(n=Count("pk"))
    return {row["topic"]: row["n"] for row in rows}
