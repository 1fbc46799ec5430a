"""Filters of Erfaringsarena's API (EXP-5), the same as the screens'. Unknown values are ignored."""

from __future__ import annotations

import django_filters
from django.conf import settings

from .. import search
from ..models import Comment, Experience, Report, SizeBand, Topic
from ..selectors import need_filter, size_filter


class ExperienceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Free text (Norwegian full-text search on PostgreSQL)"
    )
    product = django_filters.NumberFilter(field_name="product_id", label="Product id")
    need = django_filters.NumberFilter(
        method="filter_need", label="Need id: experiences about the need and about products that answer it"
    )
    procurement = django_filters.NumberFilter(field_name="procurement_id", label="Joint procurement id")
    organisation = django_filters.NumberFilter(field_name="organisation_id", label="Organisation id")
    service_area = django_filters.CharFilter(field_name="service_area__slug", label="Service area (slug)")
    topic = django_filters.CharFilter(method="filter_topic", label=f"Topic: {', '.join(Topic.values)}")
    size = django_filters.CharFilter(
        method="filter_size", label=f"Organisation size: {', '.join(SizeBand.values)}"
    )
    sort = django_filters.CharFilter(
        method="filter_sort", label="newest (default), useful or relevance (with q)"
    )

    class Meta:
        model = Experience
        fields = [
            "q",
            "product",
            "need",
            "procurement",
            "organisation",
            "service_area",
            "topic",
            "size",
            "sort",
        ]

    def filter_q(self, queryset, name, value):
        return search.apply_search(queryset, value)

    def filter_need(self, queryset, name, value):
        return queryset.filter(need_filter(value))

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topic=value) if value in Topic.values else queryset

    def filter_size(self, queryset, name, value):
        return queryset.filter(size_filter(value)) if value in SizeBand.values else queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied in filter_queryset, after the search has annotated the rank

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        if sort == "useful":
            return queryset.order_by("-useful_count", "-published_at", "-id")
        if sort == "relevance" and self.form.cleaned_data.get("q") and settings.IS_POSTGRES:
            return queryset.order_by("-rank", "-published_at", "-id")
        return queryset.order_by("-published_at", "-id")


class CommentFilter(django_filters.FilterSet):
    experience = django_filters.NumberFilter(field_name="experience_id", label="Experience id")

    class Meta:
        model = Comment
        fields = ["experience", "is_vendor_reply"]


class ReportFilter(django_filters.FilterSet):
    status = django_filters.CharFilter(method="filter_status", label="open, upheld or dismissed")

    class Meta:
        model = Report
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value in Report.Status.values else queryset
