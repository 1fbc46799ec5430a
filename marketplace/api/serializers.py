"""Output and input serializers of the core API; thin, no business rules."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Category, Membership, Notification, Organisation, ServiceArea, Terms, TermsAcceptance, User


class OrganisationSerializer(serializers.ModelSerializer):
    county = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "kind", "org_number", "municipality_number", "county", "inhabitants", "website", "description"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "kind"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name", "name_en", "order"]


class ServiceAreaSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ServiceArea
        fields = ["id", "slug", "name", "name_en", "category", "description", "order"]


class TermsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Terms
        fields = ["id", "audience", "version", "title", "body", "changes", "effective_from", "published_at"]


class TermsAcceptanceSerializer(serializers.ModelSerializer):
    terms = TermsSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    accepted_by = serializers.EmailField(source="accepted_by.email", read_only=True)

    class Meta:
        model = TermsAcceptance
        fields = ["id", "terms", "organisation", "accepted_by", "accepted_at"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    acting_organisation = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "language", "memberships", "acting_organisation"]

    def get_acting_organisation(self, user) -> int | None:
        organisation = getattr(user, "acting_organisation", None)
        return organisation.pk if organisation else None


class CountSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
