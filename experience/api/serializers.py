"""Output and input serializers of Erfaringsarena's API; thin, no business rules.

Choice fields are plain strings with their values in the help text, so that the published schema names
no enum that collides with another arena's "status" or "reason".
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.serializers import OrganisationRefSerializer
from marketplace.models import Document

from .. import selectors
from ..models import Comment, Experience, ExperienceVersion, Rating, Report, ReportReason, SizeBand, Topic

TOPICS = ", ".join(Topic.values)
REASONS = ", ".join(ReportReason.values)


class ExperienceServiceAreaRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ExperienceProductRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    vendor = serializers.CharField(source="vendor.name")


class ExperienceSubjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ExperienceAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Document
        fields = ["id", "uuid", "title", "name", "content_type", "size", "created_at", "url"]


class ExperienceSerializer(serializers.ModelSerializer):
    topic = serializers.CharField(read_only=True, help_text=f"What it is about: {TOPICS}")
    status = serializers.CharField(read_only=True, help_text="draft, published or hidden (moderators only)")
    organisation = OrganisationRefSerializer(read_only=True)
    author = serializers.SerializerMethodField()
    size = serializers.CharField(
        source="size_band",
        read_only=True,
        help_text=f"Size band of the organisation: {', '.join(SizeBand.values)}",
    )
    service_area = ExperienceServiceAreaRefSerializer(read_only=True, allow_null=True)
    product = ExperienceProductRefSerializer(read_only=True, allow_null=True)
    need = ExperienceSubjectRefSerializer(read_only=True, allow_null=True)
    procurement = ExperienceSubjectRefSerializer(read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Experience
        fields = [
            "id",
            "topic",
            "status",
            "title",
            "organisation",
            "author",
            "inhabitants",
            "size",
            "service_area",
            "product",
            "need",
            "procurement",
            "what_worked",
            "what_did_not",
            "advice",
            "effort",
            "timeline",
            "version",
            "useful_count",
            "comment_count",
            "published_at",
            "updated_at",
            "hidden_reason",
            "url",
        ]

    def get_author(self, experience) -> str:
        return str(experience.author) if experience.author_id else ""


class ExperienceDetailSerializer(ExperienceSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta(ExperienceSerializer.Meta):
        fields = [*ExperienceSerializer.Meta.fields, "attachments"]

    @extend_schema_field(ExperienceAttachmentSerializer(many=True))
    def get_attachments(self, experience) -> list[dict]:
        return ExperienceAttachmentSerializer(selectors.documents(experience), many=True).data


class ExperienceVersionSerializer(serializers.ModelSerializer):
    edited_by = serializers.SerializerMethodField()
    service_area = ExperienceServiceAreaRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ExperienceVersion
        fields = [
            "number",
            "title",
            "what_worked",
            "what_did_not",
            "advice",
            "effort",
            "timeline",
            "service_area",
            "change_note",
            "edited_by",
            "created_at",
        ]

    def get_edited_by(self, version) -> str:
        return str(version.edited_by) if version.edited_by_id else ""


class ExperienceCommentSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="visible, or hidden (moderators only)")
    author = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "experience",
            "author",
            "organisation",
            "body",
            "is_vendor_reply",
            "status",
            "created_at",
            "hidden_reason",
        ]

    def get_author(self, comment) -> str:
        return str(comment.author) if comment.author_id else ""


class ExperienceRatingSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    product = ExperienceProductRefSerializer(read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "organisation", "product", "score", "created_at", "updated_at"]


class RatingDistributionSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class ProductRatingSummarySerializer(serializers.Serializer):
    product = serializers.IntegerField()
    average = serializers.FloatField(
        allow_null=True, help_text="Average of 1–5, one decimal; null when unrated"
    )
    count = serializers.IntegerField()
    distribution = RatingDistributionSerializer(many=True)


class ExperienceReportSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(read_only=True, help_text=f"One of: {REASONS}")
    status = serializers.CharField(read_only=True, help_text="open, upheld (content hidden) or dismissed")

    class Meta:
        model = Report
        fields = ["id", "experience", "comment", "reason", "note", "status", "created_at", "decided_at"]


# Input ------------------------------------------------------------------------------------------------


class ExperienceInput(serializers.Serializer):
    topic = serializers.CharField(help_text=f"What it is about: {TOPICS}")
    title = serializers.CharField(max_length=200)
    product = serializers.IntegerField(
        required=False, allow_null=True, help_text="For topics product and implementation"
    )
    need = serializers.IntegerField(required=False, allow_null=True, help_text="For the topic need")
    procurement = serializers.IntegerField(
        required=False, allow_null=True, help_text="For the topic procurement"
    )
    service_area = serializers.IntegerField(required=False, allow_null=True, help_text="Required to publish")
    what_worked = serializers.CharField(required=False, allow_blank=True, default="")
    what_did_not = serializers.CharField(required=False, allow_blank=True, default="")
    advice = serializers.CharField(required=False, allow_blank=True, default="")
    effort = serializers.CharField(required=False, allow_blank=True, default="")
    timeline = serializers.CharField(required=False, allow_blank=True, default="")


class ExperienceUpdateInput(serializers.Serializer):
    topic = serializers.CharField(required=False, help_text="Only while a draft")
    title = serializers.CharField(max_length=200, required=False)
    product = serializers.IntegerField(required=False, allow_null=True, help_text="Only while a draft")
    need = serializers.IntegerField(required=False, allow_null=True, help_text="Only while a draft")
    procurement = serializers.IntegerField(required=False, allow_null=True, help_text="Only while a draft")
    service_area = serializers.IntegerField(required=False, allow_null=True)
    what_worked = serializers.CharField(required=False, allow_blank=True)
    what_did_not = serializers.CharField(required=False, allow_blank=True)
    advice = serializers.CharField(required=False, allow_blank=True)
    effort = serializers.CharField(required=False, allow_blank=True)
    timeline = serializers.CharField(required=False, allow_blank=True)
    change_note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="What changed; shown in the history of a published experience",
    )


class ExperienceAttachmentInput(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ExperienceCommentInput(serializers.Serializer):
    experience = serializers.IntegerField()
    body = serializers.CharField(max_length=4000)


class VendorReplyInput(serializers.Serializer):
    body = serializers.CharField(max_length=4000)


class ExperienceRatingInput(serializers.Serializer):
    product = serializers.IntegerField()
    score = serializers.IntegerField(help_text="1 to 5")


class ExperienceReportInput(serializers.Serializer):
    reason = serializers.CharField(help_text=f"One of: {REASONS}")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ModerationReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
