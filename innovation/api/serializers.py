"""Input and output serializers of the Innovasjonsarena API; thin, no business rules."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.serializers import OrganisationRefSerializer
from marketplace.models import Document

from ..models import (
    ChecklistItem,
    Collaboration,
    Comment,
    EvaluationCriterion,
    InvolvementEntry,
    InvolvementStep,
    Need,
    Stage,
)


class NeedDocumentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = Document
        fields = ["uuid", "title", "name", "content_type", "size", "created_at", "url"]


class NeedCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = ["name", "description", "weight"]
        extra_kwargs = {"description": {"required": False, "allow_blank": True}}


class NeedCriteriaInputSerializer(serializers.Serializer):
    criteria = NeedCriterionSerializer(
        many=True, help_text="Replaces all criteria; the weights must sum to 100."
    )


class NeedChecklistItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        read_only=True, help_text="laws, national_initiatives, anchored, estimate or custom"
    )
    label = serializers.CharField(source="display_label", read_only=True)
    checked_by = serializers.SerializerMethodField()
    checked_organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "code",
            "label",
            "checked",
            "checked_by",
            "checked_organisation",
            "checked_at",
            "comment",
        ]

    def get_checked_by(self, item) -> str | None:
        return str(item.checked_by) if item.checked_by else None


class NeedChecklistInputSerializer(serializers.Serializer):
    checked = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _core_team(need) -> list:
    accepted = getattr(need, "accepted_collaborations", [])
    return [need.owner, *[c.organisation for c in accepted]]


class NeedListSerializer(serializers.ModelSerializer):
    owner = OrganisationRefSerializer(read_only=True)
    service_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    core_team = serializers.SerializerMethodField()
    document_count = serializers.IntegerField(read_only=True)
    comment_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "owner",
            "service_areas",
            "stage",
            "stage_label",
            "summary",
            "core_team",
            "document_count",
            "comment_count",
            "created_at",
            "updated_at",
            "published_at",
            "url",
        ]

    @extend_schema_field(OrganisationRefSerializer(many=True))
    def get_core_team(self, need):
        return OrganisationRefSerializer(_core_team(need), many=True).data


class NeedDetailSerializer(NeedListSerializer):
    replaced_by = serializers.PrimaryKeyRelatedField(read_only=True)
    criteria = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta(NeedListSerializer.Meta):
        fields = NeedListSerializer.Meta.fields + [
            "problem_today",
            "desired_situation",
            "systems_involved",
            "professions_involved",
            "goals",
            "desired_declaration",
            "shared",
            "replaced_by",
            "criteria",
            "documents",
        ]

    @extend_schema_field(NeedCriterionSerializer(many=True))
    def get_criteria(self, need):
        return NeedCriterionSerializer(self.context.get("criteria", []), many=True).data

    @extend_schema_field(NeedDocumentSerializer(many=True))
    def get_documents(self, need):
        return NeedDocumentSerializer(self.context.get("documents", []), many=True).data


class NeedInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    service_areas = serializers.ListField(
        child=serializers.SlugField(), allow_empty=False, help_text="Slugs of service areas."
    )
    problem_today = serializers.CharField(required=False, allow_blank=True, default="")
    desired_situation = serializers.CharField(required=False, allow_blank=True, default="")
    systems_involved = serializers.CharField(required=False, allow_blank=True, default="")
    professions_involved = serializers.CharField(required=False, allow_blank=True, default="")
    goals = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)
    shared = serializers.BooleanField(
        required=False, default=False, help_text="Open to logged-in participants before publication."
    )
    desired_declaration = serializers.JSONField(
        required=False, default=dict, help_text="The desired product declaration: {section: {field: value}}."
    )


class NeedStageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, help_text="The stage to move to.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NeedRetireInputSerializer(serializers.Serializer):
    replaced_by = serializers.IntegerField(help_text="The need that carries on.")
    reason = serializers.CharField()


class NeedInterestInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NeedStageSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    transitions = serializers.ListField(child=serializers.CharField())


class NeedCompareRowSerializer(serializers.Serializer):
    section = serializers.CharField()
    section_title = serializers.CharField()
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField(allow_blank=True))
    differs = serializers.BooleanField()


class NeedCompareSerializer(serializers.Serializer):
    needs = NeedListSerializer(many=True)
    rows = NeedCompareRowSerializer(many=True)


class NeedHistoryEventSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    verb = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    organisation = serializers.CharField(allow_null=True)
    from_state = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class NeedCollaborationSerializer(serializers.ModelSerializer):
    need_title = serializers.CharField(source="need.title", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    kind = serializers.CharField(
        read_only=True, help_text="request (asked to join) or invitation (by the owner)"
    )
    status = serializers.CharField(
        read_only=True, help_text="pending, accepted, declined, withdrawn or ended"
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Collaboration
        fields = [
            "id",
            "need",
            "need_title",
            "organisation",
            "kind",
            "status",
            "status_label",
            "message",
            "created_at",
            "decided_at",
            "decision_reason",
        ]


class NeedCollaborationInputSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    message = serializers.CharField(required=False, allow_blank=True, default="")


class NeedInvitationInputSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    organisation = serializers.IntegerField(help_text="The organisation to invite into the core team.")
    message = serializers.CharField(required=False, allow_blank=True, default="")


class NeedDecisionInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NeedInvolvementEntrySerializer(serializers.ModelSerializer):
    step = serializers.ChoiceField(choices=InvolvementStep.choices, read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = InvolvementEntry
        fields = [
            "id",
            "need",
            "step",
            "date",
            "participants",
            "notes",
            "organisation",
            "created_at",
            "documents",
        ]

    @extend_schema_field(NeedDocumentSerializer(many=True))
    def get_documents(self, entry):
        return NeedDocumentSerializer(getattr(entry, "documents", []), many=True).data


class NeedInvolvementInputSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    step = serializers.ChoiceField(choices=InvolvementStep.choices)
    date = serializers.DateField()
    participants = serializers.CharField()
    notes = serializers.CharField()
    file = serializers.FileField(required=False, help_text="An optional document (multipart).")
    document_title = serializers.CharField(required=False, allow_blank=True, default="")


class NeedCommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "need", "author", "organisation", "body", "created_at"]

    def get_author(self, comment) -> str | None:
        return str(comment.author) if comment.author else None


class NeedCommentInputSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    body = serializers.CharField(max_length=5000)
