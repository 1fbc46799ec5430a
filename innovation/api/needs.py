"""Needs API (INN-2, INN-3, INN-7, INN-8, INN-11): needs, their stages, checklist, criteria, comparison."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace.models import ServiceArea

from .. import selectors, services
from ..comparison import comparison_rows, section_key, section_title
from ..models import STAGE_ORDER, Need, Stage
from . import serializers as s
from .filters import NeedFilter


def _areas(slugs: list[str]) -> list[ServiceArea]:
    areas = list(ServiceArea.objects.filter(slug__in=slugs, is_active=True))
    unknown = sorted(set(slugs) - {a.slug for a in areas})
    if unknown:
        raise ValidationError(
            {"service_areas": _("Unknown service area: %(slugs)s") % {"slugs": ", ".join(unknown)}}
        )
    return areas


def _detail(request, need_id: int) -> dict:
    need = selectors.need_get(user=request.user, pk=need_id)
    context = {
        "criteria": selectors.criteria(need),
        "documents": selectors.need_documents(need),
        "request": request,
    }
    need.document_count = len(context["documents"])
    need.comment_count = selectors.comments(need).count()
    return s.NeedDetailSerializer(need, context=context).data


IDS = OpenApiParameter(
    "ids", OpenApiTypes.STR, description="2–4 need ids, comma separated (or repeated).", required=True
)
TEXT = OpenApiParameter("text", OpenApiTypes.STR, description="A draft's title and summary.", required=True)
EMPTY = inline_serializer("InnovationEmpty", fields={})


class NeedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Needs (INN-2): published and archived needs are public; the rest only for the core team."""

    serializer_class = s.NeedListSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = NeedFilter
    ordering_fields = ["updated_at", "created_at", "title"]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Need.objects.none()
        return selectors.need_list(user=self.request.user)

    @extend_schema(responses=s.NeedDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(_detail(request, int(pk)))

    @extend_schema(request=s.NeedInputSerializer, responses={201: s.NeedDetailSerializer})
    def create(self, request):
        data = s.NeedInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["service_areas"] = _areas(values["service_areas"])
        values["desired_declaration"] = values.get("desired_declaration") or None
        need = services.need_create(actor=request.user, **values)
        return Response(_detail(request, need.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NeedInputSerializer(partial=True), responses=s.NeedDetailSerializer)
    def partial_update(self, request, pk=None):
        data = s.NeedInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in request.data}
        declaration = values.pop("desired_declaration", None)
        if "service_areas" in values:
            values["service_areas"] = _areas(values["service_areas"])
        if values:
            services.need_update(actor=request.user, need_id=int(pk), **values)
        if declaration is not None:
            services.need_update_declaration(actor=request.user, need_id=int(pk), declaration=declaration)
        if not values and declaration is None:
            selectors.need_get(user=request.user, pk=int(pk))
        return Response(_detail(request, int(pk)))

    @extend_schema(request=s.NeedStageInputSerializer, responses=s.NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move the need to another stage (owner); publishing needs the checklist and the criteria."""
        data = s.NeedStageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.need_change_stage(
            actor=request.user,
            need_id=int(pk),
            to=data.validated_data["stage"],
            reason=data.validated_data["reason"],
        )
        return Response(_detail(request, int(pk)))

    @extend_schema(request=s.NeedRetireInputSerializer, responses=s.NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire the need in favour of another one (owner organisation)."""
        data = s.NeedRetireInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.need_retire(
            actor=request.user,
            need_id=int(pk),
            replaced_by_id=data.validated_data["replaced_by"],
            reason=data.validated_data["reason"],
        )
        return Response(_detail(request, int(pk)))

    @extend_schema(request=None, responses={200: EMPTY, 204: None})
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request, pk=None):
        """Follow (POST) or stop following (DELETE) a need."""
        if request.method == "DELETE":
            services.need_unfollow(actor=request.user, need_id=int(pk))
            return Response(status=status.HTTP_204_NO_CONTENT)
        services.need_follow(actor=request.user, need_id=int(pk))
        return Response({})

    @extend_schema(request=s.NeedInterestInputSerializer, responses={201: EMPTY, 204: None})
    @action(detail=True, methods=["post", "delete"])
    def interest(self, request, pk=None):
        """Register (POST) or withdraw (DELETE) the acting vendor organisation's interest (INN-6)."""
        if request.method == "DELETE":
            services.interest_withdraw(actor=request.user, need_id=int(pk))
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = s.NeedInterestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.interest_register(actor=request.user, need_id=int(pk), note=data.validated_data["note"])
        return Response({}, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.NeedCriterionSerializer(many=True))
    @extend_schema(
        methods=["PUT"], request=s.NeedCriteriaInputSerializer, responses=s.NeedCriterionSerializer(many=True)
    )
    @action(detail=True, methods=["get", "put"], pagination_class=None, filterset_class=None)
    def criteria(self, request, pk=None):
        """Evaluation criteria (INN-8); PUT replaces them and the weights must sum to 100."""
        if request.method == "PUT":
            data = s.NeedCriteriaInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.criteria_set(
                actor=request.user, need_id=int(pk), criteria=data.validated_data["criteria"]
            )
        need = selectors.need_get(user=request.user, pk=int(pk))
        return Response(s.NeedCriterionSerializer(selectors.criteria(need), many=True).data)

    @extend_schema(responses=s.NeedChecklistItemSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def checklist(self, request, pk=None):
        """The readiness checklist (INN-7)."""
        need = selectors.need_get(user=request.user, pk=int(pk))
        return Response(s.NeedChecklistItemSerializer(selectors.checklist(need), many=True).data)

    @extend_schema(request=s.NeedChecklistInputSerializer, responses=s.NeedChecklistItemSerializer)
    @action(
        detail=True, methods=["post"], url_path=r"checklist/(?P<item_id>[0-9]{1,18})", filterset_class=None
    )
    def checklist_item(self, request, pk=None, item_id=None):
        """Tick or untick one checklist item, with a comment."""
        data = s.NeedChecklistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.checklist_set(
            actor=request.user, need_id=int(pk), item_id=int(item_id), **data.validated_data
        )
        return Response(s.NeedChecklistItemSerializer(item).data)

    @extend_schema(responses=s.NeedHistoryEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        """The need's timeline: stages, decisions, checklist and criteria (X-4)."""
        need = selectors.need_get(user=request.user, pk=int(pk))
        events = [
            {
                "created_at": e.created_at,
                "verb": e.verb,
                "actor": str(e.actor) if e.actor else None,
                "organisation": str(e.organisation) if e.organisation else None,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "reason": e.reason,
            }
            for e in selectors.need_history(
                need, full=request.user.has_perm("innovation.view_involvement", need)
            )
        ]
        return Response(s.NeedHistoryEventSerializer(events, many=True).data)

    @extend_schema(parameters=[IDS], responses=s.NeedCompareSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def compare(self, request):
        """Sammenligne behov (INN-11): 2–4 needs side by side, by section, differing rows marked."""
        ids = selectors.parse_ids(request.query_params.getlist("ids"))
        needs = selectors.compare_needs(user=request.user, ids=ids)
        return Response(
            {
                "needs": s.NeedListSerializer(needs, many=True).data,
                "rows": [
                    {
                        "section": section_key(row),
                        "section_title": section_title(row),
                        "label": str(row["label"]),
                        "values": [str(v) for v in row["values"]],
                        "differs": row["differs"],
                    }
                    for row in comparison_rows(needs)
                ],
            }
        )

    @extend_schema(parameters=[TEXT], responses=s.NeedListSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def similar(self, request):
        """Needs that look like a draft (title and summary), so that people join rather than duplicate."""
        needs = selectors.similar_needs(user=request.user, text=request.query_params.get("text", "")[:2000])
        for need in needs:
            need.document_count = need.comment_count = 0
        return Response(s.NeedListSerializer(needs, many=True).data)


class StageViewSet(viewsets.ViewSet):
    """The stages of a need and the allowed moves between them (INN-3)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.NeedStageSerializer

    @extend_schema(responses=s.NeedStageSerializer(many=True))
    def list(self, request):
        rows = [
            {
                "value": stage,
                "label": str(Stage(stage).label),
                "transitions": sorted(Need.workflow.targets(stage), key=STAGE_ORDER.index),
            }
            for stage in STAGE_ORDER
        ]
        return Response(s.NeedStageSerializer(rows, many=True).data)
