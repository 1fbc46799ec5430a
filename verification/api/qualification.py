"""API of Kvalifisering (X-6): criteria (public), applications (own organisation), review decisions
(platform administrators) and qualified vendors (public). Thin: parse, call a service or selector, render."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from marketplace.api.inputs import validated_input as _valid
from marketplace.api.serializers import OrganisationRefSerializer
from marketplace.models import Document

from ..models import Criterion, CriterionSet, Qualification, QualificationApplication
from ..selectors import qualification as selectors
from ..services import qualification as services

# Serializers (output) ---------------------------------------------------------------------------------


OUTCOME_HELP = "pass, fail or judgement (left for the reviewer)"


class QualificationCriterionSerializer(serializers.ModelSerializer):
    criterion_set = serializers.CharField(source="criterion_set.version", read_only=True)
    rule_yes = serializers.CharField(
        read_only=True, help_text=f"Assessment of the answer yes: {OUTCOME_HELP}"
    )
    rule_no = serializers.CharField(read_only=True, help_text=f"Assessment of the answer no: {OUTCOME_HELP}")
    rule_summary = serializers.CharField(read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "criterion_set",
            "code",
            "section",
            "order",
            "text",
            "help_text",
            "answer_type",
            "evidence_required",
            "evidence_valid_months",
            "rule_yes",
            "rule_no",
            "max_age_months",
            "rule_summary",
        ]


class QualificationCriterionSetSerializer(serializers.ModelSerializer):
    criteria = QualificationCriterionSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, active (in force) or retired")

    class Meta:
        model = CriterionSet
        fields = ["id", "version", "title", "description", "status", "activated_at", "retired_at", "criteria"]


class QualificationEvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Document
        fields = ["id", "uuid", "name", "content_type", "size", "created_at", "url"]


class QualificationReviewCommentSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    review_round = serializers.IntegerField()
    text = serializers.CharField()
    requires_change = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class QualificationAnswerSerializer(serializers.Serializer):
    """One criterion of an application: the answer, its automatic assessment, evidence and comments."""

    criterion = serializers.IntegerField(source="criterion.pk")
    code = serializers.CharField(source="criterion.code")
    text = serializers.CharField(source="criterion.text")
    answer_type = serializers.CharField(source="criterion.answer_type")
    value_bool = serializers.BooleanField(source="answer.value_bool", allow_null=True, default=None)
    value_text = serializers.CharField(source="answer.value_text", default="")
    value_date = serializers.DateField(source="answer.value_date", allow_null=True, default=None)
    outcome = serializers.ChoiceField(
        source="assessment.outcome", choices=[o.value for o in services.Outcome]
    )
    explanation = serializers.CharField(source="assessment.explanation")
    evidence_required = serializers.BooleanField(source="criterion.evidence_required")
    evidence_missing = serializers.BooleanField()
    evidence_needs_renewal = serializers.BooleanField(source="answer.evidence_needs_renewal", default=False)
    evidence = QualificationEvidenceSerializer(source="documents", many=True)
    comments = QualificationReviewCommentSerializer(many=True)


class QualificationTimelineEventSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name", default="")
    reason = serializers.CharField()

    def get_actor(self, event) -> str:
        return str(event.actor) if event.actor else ""


@extend_schema_field(
    {
        "type": "string",
        "description": "One of "
        + ", ".join(QualificationApplication.Status.values)
        + ". The workflow: draft → "
        "submitted → in_review → changes_requested → resubmitted → in_review → qualified / rejected.",
    }
)
class ApplicationStatusField(serializers.CharField):
    """The application's state. Described, not an enum component: the enum name "status" is taken by
    other arenas, and naming it would need a project-wide ENUM_NAME_OVERRIDES entry."""


class QualificationApplicationSerializer(serializers.ModelSerializer):
    status = ApplicationStatusField(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    criterion_set = serializers.CharField(source="criterion_set.version", read_only=True)
    reviewer = serializers.SerializerMethodField()

    class Meta:
        model = QualificationApplication
        fields = [
            "id",
            "organisation",
            "criterion_set",
            "status",
            "created_at",
            "first_submitted_at",
            "submitted_at",
            "review_round",
            "reviewer",
            "decided_at",
            "decision_reason",
            "previous",
        ]

    def get_reviewer(self, application) -> str:
        return str(application.reviewer) if application.reviewer_id else ""


class QualificationAssessmentSummarySerializer(serializers.Serializer):
    passed = serializers.IntegerField(source="pass")
    failed = serializers.IntegerField(source="fail")
    judgement = serializers.IntegerField()
    unanswered = serializers.IntegerField()
    evidence_missing = serializers.IntegerField()


class QualificationApplicationDetailSerializer(QualificationApplicationSerializer):
    answers = serializers.SerializerMethodField()
    assessment = serializers.SerializerMethodField()

    class Meta(QualificationApplicationSerializer.Meta):
        fields = [
            *QualificationApplicationSerializer.Meta.fields,
            *QualificationApplication.COMPANY_FIELDS,
            "answers",
            "assessment",
        ]

    def _rows(self, application):
        if not hasattr(application, "_api_rows"):
            application._api_rows = selectors.application_rows(application)
        return application._api_rows

    @extend_schema_field(QualificationAnswerSerializer(many=True))
    def get_answers(self, application) -> list[dict]:
        return QualificationAnswerSerializer(self._rows(application), many=True).data

    @extend_schema_field(QualificationAssessmentSummarySerializer)
    def get_assessment(self, application) -> dict:
        return QualificationAssessmentSummarySerializer(
            selectors.assessment_summary(self._rows(application))
        ).data


class QualifiedVendorSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    org_number = serializers.CharField(source="organisation.org_number", read_only=True)

    class Meta:
        model = Qualification
        fields = ["id", "organisation", "org_number", "qualified_on", "expires_on"]


# Serializers (input) ----------------------------------------------------------------------------------


class QualificationApplicationStartInput(serializers.Serializer):
    reuse_previous = serializers.BooleanField(default=True)


class QualificationCompanyDetailsInput(serializers.Serializer):
    company_name = serializers.CharField(required=False, allow_blank=True)
    org_number = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)


class QualificationAnswerInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    value = serializers.JSONField(
        allow_null=True,
        help_text="yes/no (or true/false), a date as YYYY-MM-DD, or text; null clears the answer",
    )


class QualificationAnswersInput(serializers.Serializer):
    answers = QualificationAnswerInput(many=True)


class QualificationEvidenceInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    file = serializers.FileField()


class QualificationCommentInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)
    requires_change = serializers.BooleanField(default=False)


class QualificationCommentsInput(serializers.Serializer):
    comments = QualificationCommentInput(many=True)


class QualificationDecisionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    comments = QualificationCommentInput(many=True, required=False)


class QualificationReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _comments(data: dict) -> dict[int, tuple[str, bool]] | None:
    if not data.get("comments"):
        return None
    return {c["criterion"]: (c["text"], c["requires_change"]) for c in data["comments"]}


# Filters ------------------------------------------------------------------------------------------


class QualificationCriterionFilter(django_filters.FilterSet):
    criterion_set = django_filters.NumberFilter(
        method="filter_set", label="Criterion set id (default: the one in force)"
    )

    class Meta:
        model = Criterion
        fields = ["answer_type", "evidence_required", "section"]

    def filter_set(self, queryset, name, value):
        return queryset  # applied in get_queryset, which also checks the version is visible


class QualificationApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=QualificationApplication.Status.choices)
    organisation = django_filters.NumberFilter(field_name="organisation_id")

    class Meta:
        model = QualificationApplication
        fields = ["status", "organisation"]


class QualifiedVendorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search in name, organisation number and description"
    )

    class Meta:
        model = Qualification
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(organisation__org_number__startswith=value.replace(" ", ""))
            | Q(organisation__description__icontains=value)
        )


# Viewsets -----------------------------------------------------------------------------------------


class CriterionSetViewSet(viewsets.ReadOnlyModelViewSet):
    """Versions of the qualification criteria (QUA-1); drafts only for platform administrators."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, never a 500

    serializer_class = QualificationCriterionSetSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["status"]

    def get_queryset(self):
        qs = CriterionSet.objects.prefetch_related("criteria").order_by("-created_at", "-id")
        if not self.request.user.has_perm("verification.manage_criteria"):
            qs = qs.exclude(status=CriterionSet.Status.DRAFT)
        return qs


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """The criteria in force (or of the version given by `criterion_set`), with their assessment rules."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, never a 500

    serializer_class = QualificationCriterionSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = QualificationCriterionFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Criterion.objects.none()
        set_id = self.request.query_params.get("criterion_set")
        if set_id and self.action == "list":
            criterion_set = CriterionSet.objects.filter(pk=set_id).first() if set_id.isdigit() else None
            if criterion_set is None or not self.request.user.has_perm(
                "verification.view_criterionset", criterion_set
            ):
                return Criterion.objects.none()
            return selectors.criteria_list(criterion_set=criterion_set)
        if self.action == "list":
            return selectors.criteria_list()
        qs = Criterion.objects.select_related("criterion_set")
        if not self.request.user.has_perm("verification.manage_criteria"):
            qs = qs.exclude(criterion_set__status=CriterionSet.Status.DRAFT)
        return qs


DETAIL = {200: QualificationApplicationDetailSerializer}


@extend_schema_view(
    list=extend_schema(
        summary="Qualification applications: your organisation's, or all for platform administrators"
    ),
    retrieve=extend_schema(
        summary="One application with answers, automatic assessment, evidence and comments"
    ),
)
class QualificationApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Qualification applications (QUA-2, QUA-3), with the same permissions as the screens."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, never a 500

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = QualificationApplicationFilter
    ordering_fields = ["submitted_at", "created_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QualificationApplication.objects.none()
        return selectors.applications_visible_to(actor=self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        return (
            QualificationApplicationSerializer
            if self.action == "list"
            else QualificationApplicationDetailSerializer
        )

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        application = selectors.application_get(actor=self.request.user, pk=int(pk))
        return Response(
            QualificationApplicationDetailSerializer(application, context={"request": self.request}).data,
            status=status_code,
        )

    @extend_schema(
        request=QualificationApplicationStartInput,
        responses={201: QualificationApplicationDetailSerializer},
        summary="Start an application for the organisation you act for (organisation admins of vendors)",
    )
    def create(self, request, *args, **kwargs):
        data = _valid(QualificationApplicationStartInput, request)
        application = services.application_start(
            actor=request.user,
            organisation=request.user.acting_organisation,
            reuse_previous=data["reuse_previous"],
        )
        return self._detail(application.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=QualificationCompanyDetailsInput, responses=DETAIL, summary="Save the company details"
    )
    def partial_update(self, request, pk=None):
        data = _valid(QualificationCompanyDetailsInput, request)
        services.application_update_details(actor=request.user, application_id=int(pk), **data)
        return self._detail(pk)

    @extend_schema(request=QualificationAnswersInput, responses=DETAIL, summary="Save answers to criteria")
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        data = _valid(QualificationAnswersInput, request)
        services.answers_save(
            actor=request.user,
            application_id=int(pk),
            answers={a["criterion"]: a["value"] for a in data["answers"]},
        )
        return self._detail(pk)

    @extend_schema(
        request={"multipart/form-data": QualificationEvidenceInput},
        responses={201: QualificationEvidenceSerializer},
        summary="Upload an evidence document for one criterion",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        data = _valid(QualificationEvidenceInput, request)
        document = services.evidence_upload(
            actor=request.user, application_id=int(pk), criterion_id=data["criterion"], upload=data["file"]
        )
        return Response(QualificationEvidenceSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Removed")},
        summary="Remove an evidence document",
    )
    @action(detail=True, methods=["delete"], url_path=r"evidence/(?P<document_id>[0-9]+)")
    def evidence_remove(self, request, pk=None, document_id=None):
        services.evidence_delete(actor=request.user, application_id=int(pk), document_id=int(document_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=DETAIL, summary="Submit (or resubmit) the application")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        services.application_submit(actor=request.user, application_id=int(pk))
        return self._detail(pk)

    @extend_schema(
        request=QualificationReasonInput,
        responses=DETAIL,
        summary="Withdraw a draft or an application sent back",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = _valid(QualificationReasonInput, request)
        services.application_withdraw(actor=request.user, application_id=int(pk), reason=data["reason"])
        return self._detail(pk)

    @extend_schema(
        request=None,
        responses=QualificationTimelineEventSerializer(many=True),
        summary="The application's timeline",
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        application = selectors.application_get(actor=request.user, pk=int(pk))
        return Response(
            QualificationTimelineEventSerializer(selectors.application_timeline(application), many=True).data
        )

    @extend_schema(
        request=None, responses=DETAIL, summary="Take the application into review (platform administrators)"
    )
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        services.application_start_review(actor=request.user, application_id=int(pk))
        return self._detail(pk)

    @extend_schema(
        request=QualificationCommentsInput,
        responses=DETAIL,
        summary="Comment per criterion (platform administrators)",
    )
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        data = _valid(QualificationCommentsInput, request)
        services.review_comments_save(
            actor=request.user, application_id=int(pk), comments=_comments(data) or {}
        )
        return self._detail(pk)

    @extend_schema(
        request=QualificationDecisionInput,
        responses=DETAIL,
        summary="Request changes (platform administrators)",
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        data = _valid(QualificationDecisionInput, request)
        services.application_request_changes(
            actor=request.user, application_id=int(pk), reason=data["reason"], comments=_comments(data)
        )
        return self._detail(pk)

    @extend_schema(
        request=QualificationDecisionInput,
        responses=DETAIL,
        summary="Qualify the vendor (platform administrators)",
    )
    @action(detail=True, methods=["post"])
    def qualify(self, request, pk=None):
        data = _valid(QualificationDecisionInput, request)
        services.application_qualify(
            actor=request.user, application_id=int(pk), reason=data["reason"], comments=_comments(data)
        )
        return self._detail(pk)

    @extend_schema(
        request=QualificationDecisionInput,
        responses=DETAIL,
        summary="Reject the application (platform administrators)",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = _valid(QualificationDecisionInput, request)
        services.application_reject(
            actor=request.user, application_id=int(pk), reason=data["reason"], comments=_comments(data)
        )
        return self._detail(pk)


class QualifiedVendorViewSet(viewsets.ReadOnlyModelViewSet):
    """Vendors qualified today, with qualification date and expiry (QUA-6); public."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, never a 500

    serializer_class = QualifiedVendorSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = QualifiedVendorFilter

    def get_queryset(self):
        return selectors.qualified_vendor_list()
