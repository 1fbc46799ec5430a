"""Lists, search, one need, its history and comparison (INN-1, INN-2, INN-11, INN-12)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from marketplace.acting import acting_organisation
from marketplace.errors import NotFound
from marketplace.models import AuditEvent, Category, Document, Organisation, ServiceArea
from marketplace.validators import COUNTIES

from .. import search
from ..models import (
    Collaboration,
    Comment,
    EvaluationCriterion,
    Need,
    Stage,
)
from .access import _accepted_prefetch, _document_count, visible_needs

COMPARE_MIN, COMPARE_MAX = 2, 4


# Lists and search (INN-1, INN-12) ---------------------------------------------------------------


def county_choices() -> list[tuple[str, str]]:
    return sorted(COUNTIES.items(), key=lambda item: item[1])


def need_list(
    *,
    user: Any,
    q: str = "",
    service_area: ServiceArea | str | None = None,
    stage: str = "",
    organisation: Organisation | int | None = None,
    county: str = "",
    mine: bool = False,
) -> QuerySet[Need]:
    """Needs the actor may see, filtered; ranked by relevance when searching, newest first otherwise."""
    qs = visible_needs(user)
    if service_area:
        qs = qs.filter(service_areas__slug=getattr(service_area, "slug", service_area))
    if stage:
        qs = qs.filter(stage=stage)
    if organisation:
        org_id = as_id(getattr(organisation, "pk", organisation))
        if org_id is None:
            return Need.objects.none()
        involved = Collaboration.objects.filter(organisation_id=org_id, status=Collaboration.Status.ACCEPTED)
        qs = qs.filter(Q(owner_id=org_id) | Q(pk__in=involved.values("need_id")))
    if county:
        name = COUNTIES.get(county, "")
        condition = Q(owner__municipality_number__startswith=county)
        if name:
            condition |= Q(owner__kind=Organisation.Kind.COUNTY, owner__name__icontains=name)
        qs = qs.filter(condition) if name else qs.none()
    if mine:
        own = acting_organisation(user)
        if own is None:
            return Need.objects.none()
        involved = Collaboration.objects.filter(organisation=own, status=Collaboration.Status.ACCEPTED)
        qs = qs.filter(Q(owner=own) | Q(pk__in=involved.values("need_id")))
    if service_area:
        qs = qs.distinct()
    qs = qs.order_by("-updated_at", "-id")
    qs = search.apply_search(qs, q)
    return _list_related(qs)


def _list_related(qs: QuerySet[Need]) -> QuerySet[Need]:
    return (
        qs.select_related("owner")
        .prefetch_related(
            Prefetch(
                "service_areas", queryset=ServiceArea.objects.order_by("category__order", "order", "name")
            ),
            _accepted_prefetch(),
        )
        .annotate(
            document_count=_document_count(Need),
            comment_count=Coalesce(
                Subquery(
                    Comment.objects.filter(need=OuterRef("pk"))
                    .order_by()
                    .values("need_id")
                    .annotate(c=Count("pk"))
                    .values("c"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
    )


def service_area_cards(*, user: Any) -> list[Category]:
    """Categories with their active service areas; each area and category is annotated with the number of
    needs the actor sees (a need in two areas of a category counts once for the category)."""
    visible = visible_needs(user).values("pk")
    areas = (
        ServiceArea.objects.filter(is_active=True)
        .annotate(need_count=Count("needs", filter=Q(needs__pk__in=visible), distinct=True))
        .order_by("order", "name")
    )
    categories = list(
        Category.objects.annotate(
            need_count=Count(
                "service_areas__needs", filter=Q(service_areas__needs__pk__in=visible), distinct=True
            )
        )
        .prefetch_related(Prefetch("service_areas", queryset=areas, to_attr="areas"))
        .order_by("order", "name")
    )
    return [c for c in categories if c.areas]


def service_area_get(*, slug: str) -> ServiceArea:
    area = ServiceArea.objects.select_related("category").filter(slug=slug, is_active=True).first()
    if area is None:
        raise NotFound(_("Service area not found."))
    return area


def similar_needs(*, user: Any, text: str, exclude_pk: int | None = None, limit: int = 5) -> list[Need]:
    """Open needs that look like a draft (title and summary), so that people join rather than duplicate."""
    qs = visible_needs(user).exclude(stage=Stage.ARCHIVED).select_related("owner")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return search.similar(qs, text, limit=limit)


# One need --------------------------------------------------------------------------------------


def need_get(*, user: Any, pk: int) -> Need:
    """A need the actor may see, with its core team loaded; NotFound for missing and forbidden alike."""
    need = (
        Need.objects.filter(pk=pk)
        .select_related("owner", "replaced_by", "created_by")
        .prefetch_related(
            Prefetch(
                "service_areas",
                queryset=ServiceArea.objects.select_related("category").order_by(
                    "category__order", "order", "name"
                ),
            ),
            _accepted_prefetch(),
        )
        .first()
    )
    if need is None or not user.has_perm("innovation.view_need", need):
        raise NotFound(_("Need not found."))
    return need


def need_documents(need: Need) -> QuerySet[Document]:
    return (
        Document.objects.filter(owner_type=ContentType.objects.get_for_model(Need), owner_id=need.pk)
        .select_related("uploaded_by", "organisation")
        .order_by("-created_at")
    )


# Events the core team sees but other readers do not: who asked, was declined or withdrew, and vendors'
# commercial interest are between the organisations concerned.
PRIVATE_VERBS = (
    "collaboration.requested",
    "collaboration.invited",
    "collaboration.declined",
    "collaboration.withdrawn",
    "need.vendor_interested",
    "need.vendor_interest_withdrawn",
)


def need_history(need: Need, *, full: bool = True) -> QuerySet[AuditEvent]:
    """The need's timeline: its own events and those of collaborations on it, oldest first.

    `full=False` (readers outside the core team) leaves out requests, declines and vendor interest.
    """
    need_type = ContentType.objects.get_for_model(Need)
    collab_type = ContentType.objects.get_for_model(Collaboration)
    collaboration_ids = [
        str(pk) for pk in Collaboration.objects.filter(need=need).values_list("pk", flat=True)
    ]
    events = AuditEvent.objects.filter(
        Q(target_type=need_type, target_id=str(need.pk))
        | Q(target_type=collab_type, target_id__in=collaboration_ids)
    )
    if not full:
        events = events.exclude(verb__in=PRIVATE_VERBS)
    return events.select_related("actor", "organisation", "target_type").order_by("created_at", "id")


# Comparison (INN-11) ----------------------------------------------------------------------------


MAX_ID = 2**63 - 1


def as_id(value: Any) -> int | None:
    """A database id from user input, or None when it is not a whole number the database can hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Sequence[Any]) -> list[int]:
    """Ids from query parameters (repeated or comma separated), unique, in the order given; ids that are
    not whole numbers the database can hold are left out."""
    ids: list[int] = []
    for value in values:
        for part in str(value).split(","):
            number = as_id(part) if part.strip().isdigit() else None
            if number is not None and number not in ids:
                ids.append(number)
    return ids


def compare_needs(*, user: Any, ids: Sequence[int]) -> list[Need]:
    """2–4 visible needs in the order asked; a field error for too few or many, NotFound for any hidden."""
    ids = list(dict.fromkeys(ids))
    if not COMPARE_MIN <= len(ids) <= COMPARE_MAX:
        raise ValidationError(
            {
                "needs": _("Choose between %(min)s and %(max)s needs to compare; you chose %(count)s.")
                % {"min": COMPARE_MIN, "max": COMPARE_MAX, "count": len(ids)}
            }
        )
    found = {n.pk: n for n in _list_related(visible_needs(user).filter(pk__in=ids))}
    if len(found) != len(ids):
        raise NotFound(_("One of the needs to compare was not found."))
    needs = [found[pk] for pk in ids]
    criteria_by_need: dict[int, list[EvaluationCriterion]] = defaultdict(list)
    for criterion in EvaluationCriterion.objects.filter(need_id__in=ids).order_by("order", "id"):
        criteria_by_need[criterion.need_id].append(criterion)
    for need in needs:
        need.criteria_list = criteria_by_need.get(need.pk, [])
    return needs
