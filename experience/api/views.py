"""API of Erfaringsarena (X-6): experiences, comments, ratings and reports, with the screens' permissions.

Published experiences and visible comments are public. Drafts are seen by their writers (`mine=true`);
hidden content only by platform administrators (`include_hidden=true`), and is a 404 for everyone else.
Thin: parse, call a service or selector, render.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from marketplace.api.inputs import validated_input as _valid
from marketplace.errors import NotFound

from .. import selectors, services
from ..models import Comment, Experience, Rating, Report
from . import serializers as s
from .filters import CommentFilter, ExperienceFilter, ReportFilter

ID = r"\d+"
INCLUDE_HIDDEN = OpenApiParameter(
    "include_hidden",
    OpenApiTypes.BOOL,
    description="Platform administrators: include content hidden by a moderator",
)
MINE = OpenApiParameter(
    "mine", OpenApiTypes.BOOL, description="Only what I may edit for my organisation, drafts included"
)


def _flag(request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true", "yes"}


DETAIL = {200: s.ExperienceDetailSerializer}


@extend_schema_view(
    list=extend_schema(summary="Published experiences, filtered (EXP-5)", parameters=[INCLUDE_HIDDEN, MINE]),
    retrieve=extend_schema(summary="One experience with its attachments"),
)
class ExperienceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Experiences about products, needs, joint procurements and implementations (EXP-1)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExperienceFilter
    lookup_value_regex = ID
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Experience.objects.none()
        user = self.request.user
        if self.action == "list" and _flag(self.request, "mine") and user.is_authenticated:
            return selectors.my_experiences(user=user)
        return selectors.experience_list(user=user, include_hidden=_flag(self.request, "include_hidden"))

    def get_serializer_class(self):
        return s.ExperienceSerializer if self.action == "list" else s.ExperienceDetailSerializer

    def get_object(self):
        return selectors.experience_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        experience = selectors.experience_get(user=self.request.user, pk=pk)
        return Response(s.ExperienceDetailSerializer(experience).data, status=status_code)

    @extend_schema(
        request=s.ExperienceInput,
        responses={201: s.ExperienceDetailSerializer},
        summary="Start an experience as a draft for the organisation you act for",
    )
    def create(self, request, *args, **kwargs):
        data = _valid(s.ExperienceInput, request)
        experience = services.experience_create(
            actor=request.user,
            topic=data["topic"],
            title=data["title"],
            product_id=data.get("product"),
            need_id=data.get("need"),
            procurement_id=data.get("procurement"),
            service_area_id=data.get("service_area"),
            **{name: data[name] for name in ("what_worked", "what_did_not", "advice", "effort", "timeline")},
        )
        return self._detail(experience.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ExperienceUpdateInput,
        responses=DETAIL,
        summary="Change an experience (its author or an organisation admin); a published one gets a new "
        "version",
    )
    def partial_update(self, request, pk=None):
        data = _valid(s.ExperienceUpdateInput, request, partial=True)
        current = selectors.experience_get(user=request.user, pk=pk)
        fields = {
            name: data.get(name, getattr(current, name))
            for name in ("title", "what_worked", "what_did_not", "advice", "effort", "timeline")
        }
        services.experience_update(
            actor=request.user,
            experience_id=current.pk,
            topic=data.get("topic", current.topic),
            product_id=data.get("product", current.product_id),
            need_id=data.get("need", current.need_id),
            procurement_id=data.get("procurement", current.procurement_id),
            service_area_id=data.get("service_area", current.service_area_id),
            change_note=data.get("change_note", ""),
            **fields,
        )
        return self._detail(current.pk)

    @extend_schema(
        request=None, responses={204: OpenApiResponse(description="Deleted")}, summary="Delete a draft"
    )
    def destroy(self, request, pk=None):
        services.experience_delete(actor=request.user, experience_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=DETAIL, summary="Publish a draft")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        services.experience_publish(actor=request.user, experience_id=int(pk))
        return self._detail(pk)

    @extend_schema(
        request=None,
        responses=s.ExperienceVersionSerializer(many=True),
        summary="Every published version, newest first",
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny], pagination_class=None)
    def versions(self, request, pk=None):
        experience = selectors.experience_get(user=request.user, pk=pk)
        return Response(s.ExperienceVersionSerializer(selectors.versions(experience), many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.ExperienceAttachmentInput},
        responses={201: s.ExperienceAttachmentSerializer},
        summary="Attach a document (PDF, DOCX, XLSX, ODT, PNG, JPEG)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        data = _valid(s.ExperienceAttachmentInput, request)
        document = services.experience_document_add(
            actor=request.user, experience_id=int(pk), upload=data["file"], title=data["title"]
        )
        return Response(s.ExperienceAttachmentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={204: OpenApiResponse(description="Removed")}, summary="Remove an attachment"
    )
    @action(detail=True, methods=["delete"], url_path=r"attachments/(?P<document_id>[0-9]+)")
    def attachment_remove(self, request, pk=None, document_id=None):
        services.experience_document_remove(
            actor=request.user, experience_id=int(pk), document_id=int(document_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None, responses=DETAIL, summary="Mark as useful (POST) or take the mark back (DELETE)"
    )
    @action(detail=True, methods=["post", "delete"])
    def useful(self, request, pk=None):
        if request.method == "DELETE":
            services.useful_unmark(actor=request.user, experience_id=int(pk))
        else:
            services.useful_mark(actor=request.user, experience_id=int(pk))
        return self._detail(pk)

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Done")},
        summary="Follow (POST) or stop following (DELETE)",
    )
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request, pk=None):
        if request.method == "DELETE":
            services.unfollow(actor=request.user, experience_id=int(pk))
        else:
            services.follow(actor=request.user, experience_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=s.VendorReplyInput,
        responses={201: s.ExperienceCommentSerializer},
        summary="The product vendor's one reply (EXP-3)",
    )
    @action(detail=True, methods=["post"], url_path="vendor-reply")
    def vendor_reply(self, request, pk=None):
        data = _valid(s.VendorReplyInput, request)
        reply = services.vendor_reply_add(actor=request.user, experience_id=int(pk), body=data["body"])
        return Response(s.ExperienceCommentSerializer(reply).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ExperienceReportInput,
        responses={201: s.ExperienceReportSerializer},
        summary="Report the experience to the moderators, once (EXP-4)",
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        data = _valid(s.ExperienceReportInput, request)
        report = services.report_experience(actor=request.user, experience_id=int(pk), **data)
        return Response(s.ExperienceReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ModerationReasonInput,
        responses=DETAIL,
        summary="Hide with a reason (platform administrators)",
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        data = _valid(s.ModerationReasonInput, request)
        services.experience_hide(actor=request.user, experience_id=int(pk), reason=data["reason"])
        return self._detail(pk)

    @extend_schema(
        request=s.ModerationReasonInput, responses=DETAIL, summary="Show again (platform administrators)"
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        data = _valid(s.ModerationReasonInput, request)
        services.experience_restore(actor=request.user, experience_id=int(pk), reason=data["reason"])
        return self._detail(pk)


@extend_schema_view(
    list=extend_schema(summary="Comments on published experiences", parameters=[INCLUDE_HIDDEN]),
    retrieve=extend_schema(summary="One comment"),
)
class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Comments and vendor replies (EXP-3)."""

    serializer_class = s.ExperienceCommentSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CommentFilter
    lookup_value_regex = ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        include_hidden = _flag(self.request, "include_hidden") or self.action != "list"
        return selectors.comment_list(user=self.request.user, include_hidden=include_hidden)

    @extend_schema(
        request=s.ExperienceCommentInput,
        responses={201: s.ExperienceCommentSerializer},
        summary="Comment on a published experience",
    )
    def create(self, request, *args, **kwargs):
        data = _valid(s.ExperienceCommentInput, request)
        comment = services.comment_add(
            actor=request.user, experience_id=data["experience"], body=data["body"]
        )
        return Response(s.ExperienceCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ExperienceReportInput,
        responses={201: s.ExperienceReportSerializer},
        summary="Report the comment to the moderators, once (EXP-4)",
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        data = _valid(s.ExperienceReportInput, request)
        report = services.report_comment(actor=request.user, comment_id=int(pk), **data)
        return Response(s.ExperienceReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ModerationReasonInput,
        responses=s.ExperienceCommentSerializer,
        summary="Hide with a reason (platform administrators)",
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        data = _valid(s.ModerationReasonInput, request)
        comment = services.comment_hide(actor=request.user, comment_id=int(pk), reason=data["reason"])
        return Response(s.ExperienceCommentSerializer(comment).data)

    @extend_schema(
        request=s.ModerationReasonInput,
        responses=s.ExperienceCommentSerializer,
        summary="Show again (platform administrators)",
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        data = _valid(s.ModerationReasonInput, request)
        comment = services.comment_restore(actor=request.user, comment_id=int(pk), reason=data["reason"])
        return Response(s.ExperienceCommentSerializer(comment).data)


@extend_schema_view(list=extend_schema(summary="The ratings of the organisation you act for"))
class RatingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Ratings (EXP-2): an organisation with an active adoption rates a product 1–5, once (or changes it)."""

    serializer_class = s.ExperienceRatingSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["product"]
    lookup_value_regex = ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Rating.objects.none()
        organisation = getattr(self.request.user, "acting_organisation", None)
        return (
            Rating.objects.filter(organisation=organisation)
            .select_related("organisation", "product__vendor")
            .order_by("-updated_at", "-id")
        )

    @extend_schema(
        request=s.ExperienceRatingInput,
        responses={200: s.ExperienceRatingSerializer, 201: s.ExperienceRatingSerializer},
        summary="Rate a product, or change the rating (201 when new, 200 when changed)",
    )
    def create(self, request, *args, **kwargs):
        data = _valid(s.ExperienceRatingInput, request)
        organisation = getattr(request.user, "acting_organisation", None)
        existed = Rating.objects.filter(organisation=organisation, product_id=data["product"]).exists()
        rating = services.rating_set(actor=request.user, product_id=data["product"], score=data["score"])
        return Response(
            s.ExperienceRatingSerializer(rating).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Withdrawn")},
        summary="Withdraw the organisation's rating",
    )
    def destroy(self, request, pk=None):
        rating = self.get_queryset().filter(pk=pk).first()
        if rating is None:
            raise NotFound("Rating not found.")
        services.rating_withdraw(actor=request.user, product_id=rating.product_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductRatingViewSet(viewsets.GenericViewSet):
    """A product's rating: average, count and distribution (public)."""

    serializer_class = s.ProductRatingSummarySerializer
    permission_classes = [permissions.AllowAny]
    lookup_value_regex = ID
    lookup_url_kwarg = "product"

    @extend_schema(summary="A product's average rating, number of ratings and their distribution")
    def retrieve(self, request, product=None):
        item = selectors.product_get(pk=product)
        summary = selectors.rating_summary(product_id=item.pk)
        return Response(s.ProductRatingSummarySerializer({"product": item.pk, **summary}).data)


@extend_schema_view(
    list=extend_schema(summary="Reports: all for platform administrators, your own otherwise")
)
class ReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reports of experiences and comments, and the moderators' decisions (EXP-4)."""

    serializer_class = s.ExperienceReportSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilter
    lookup_value_regex = ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        return selectors.report_list(user=self.request.user)

    @extend_schema(
        request=s.ModerationReasonInput,
        responses=s.ExperienceReportSerializer,
        summary="Dismiss a report; the content stays (platform administrators)",
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        data = _valid(s.ModerationReasonInput, request)
        report = services.report_dismiss(actor=request.user, report_id=int(pk), reason=data["reason"])
        return Response(s.ExperienceReportSerializer(report).data)
