"""Filters of the needs API (INN-12): the same search and filters as the screens, through one selector."""

from __future__ import annotations

import django_filters

from .. import selectors
from ..models import Collaboration, Comment, InvolvementEntry, InvolvementStep, Need, Stage


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Free text (PostgreSQL: Norwegian full-text search, ranked)", method="keep"
    )
    service_area = django_filters.CharFilter(label="Service area slug", method="keep")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, method="keep")
    organisation = django_filters.NumberFilter(
        label="Owner or collaborating organisation (id)", method="keep"
    )
    county = django_filters.ChoiceFilter(
        choices=selectors.county_choices(), label="County number of the owner", method="keep"
    )

    class Meta:
        model = Need
        fields = ["q", "service_area", "stage", "organisation", "county"]

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.need_list(
            user=self.request.user,
            q=data.get("q") or "",
            service_area=data.get("service_area") or "",
            stage=data.get("stage") or "",
            organisation=data.get("organisation"),
            county=data.get("county") or "",
        )


class CollaborationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Collaboration.Status.choices)

    class Meta:
        model = Collaboration
        fields = ["need", "status"]


class InvolvementFilter(django_filters.FilterSet):
    step = django_filters.ChoiceFilter(choices=InvolvementStep.choices)

    class Meta:
        model = InvolvementEntry
        fields = ["need", "step"]


class CommentFilter(django_filters.FilterSet):
    class Meta:
        model = Comment
        fields = ["need"]
