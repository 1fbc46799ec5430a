"""Core API (X-6): organisations, service areas, terms and acceptance, my notifications, me."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors
from ..models import Category, Membership, Notification, Organisation, Terms, TermsAcceptance, User
from ..services import notifications as notification_services
from ..services import terms as terms_services
from . import serializers as s


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search in name and numbers")
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)

    class Meta:
        model = Organisation
        fields = ["kind", "municipality_number"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(org_number__startswith=value))


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations on Markedsplassen; public."""

    lookup_value_regex = r"\d+"
    queryset = Organisation.objects.order_by("name")
    serializer_class = s.OrganisationSerializer
    filterset_class = OrganisationFilter
    permission_classes = [permissions.AllowAny]
    ordering_fields = ["name", "created_at"]


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    queryset = Category.objects.order_by("order", "name")
    serializer_class = s.CategorySerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["slug"]


class ServiceAreaViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    queryset = selectors.service_area_list().order_by("category__order", "order", "name")
    serializer_class = s.ServiceAreaSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = {"category__slug": ["exact"], "slug": ["exact"]}


class TermsViewSet(viewsets.ReadOnlyModelViewSet):
    """Published versions of the Vilkår (TRM-5); organisation admins accept them (TRM-2)."""

    queryset = Terms.objects.filter(status=Terms.Status.PUBLISHED).order_by("audience", "-effective_from", "-id")
    serializer_class = s.TermsSerializer
    lookup_value_regex = r"\d+"  # `accept` takes int(pk): anything else is a 404, never a 500
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ["audience"]

    @extend_schema(request=None, responses={201: s.TermsAcceptanceSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def accept(self, request, pk=None):
        acceptance = terms_services.terms_accept(
            actor=request.user, organisation=request.user.acting_organisation, terms_id=int(pk)
        )
        return Response(s.TermsAcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)


class TermsAcceptanceViewSet(viewsets.ReadOnlyModelViewSet):
    """The acting organisation's acceptances."""

    lookup_value_regex = r"\d+"
    serializer_class = s.TermsAcceptanceSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        organisation = getattr(self.request.user, "acting_organisation", None)
        if organisation is None:
            return TermsAcceptance.objects.none()
        return selectors.terms_acceptances_for(organisation=organisation).select_related("organisation").order_by("-accepted_at")


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Only unread")

    class Meta:
        model = Notification
        fields = ["kind"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My notifications (X-3)."""

    serializer_class = s.NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilter
    lookup_value_regex = r"\d+"  # `read` takes int(pk): anything else is a 404, never a 500

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_for(user=self.request.user)

    @extend_schema(request=None, responses={200: s.NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_services.notification_mark_read(actor=request.user, notification_id=int(pk))
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: s.CountSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"updated": notification_services.notification_mark_all_read(actor=request.user)})


class MeView(generics.RetrieveAPIView):
    """The logged-in person, their memberships and the organisation they act for."""

    serializer_class = s.MeSerializer
    permission_classes = [permissions.IsAuthenticated]
    def get_object(self):
        user = User.objects.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
        ).get(pk=self.request.user.pk)
        user.acting_organisation = self.request.user.acting_organisation
        return user
