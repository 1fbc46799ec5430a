"""API of Butikken (X-6): public read of listings with the same search, filters and sorting as the screens,
facet counts, comparison and fit against a need; the adoption workflow (STO-5) and shortlists for members.
Thin: parse, call a selector or service, render. Unknown filter values are ignored, as on the screens, and
named in the X-Ignored-Filters response header."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace.acting import acting_organisation
from marketplace.api.serializers import OrganisationRefSerializer

from ..index import store_index
from ..models import Adoption, Shortlist, StoreEntry
from ..selectors import catalogue as selectors
from ..services import catalogue as services

# Output -----------------------------------------------------------------------------------------------


class ListingSerializer(serializers.ModelSerializer):
    """One product in the store (a listing), as search results show it."""

    id = serializers.IntegerField(source="product_id", read_only=True, help_text="The product's id")
    name = serializers.CharField(source="product.name")
    short_description = serializers.CharField(source="product.short_description")
    vendor = OrganisationRefSerializer(source="product.vendor")
    service_areas = serializers.SerializerMethodField()
    status = serializers.CharField(
        source="listing.status", help_text="listed or under_remediation (Under utbedring)"
    )
    listed_at = serializers.DateTimeField(source="listing.listed_at")
    last_verified_at = serializers.DateTimeField(source="listing.last_verified_at", allow_null=True)
    procured = serializers.BooleanField(
        source="is_procured", help_text="Felleskjøpt: under an active agreement"
    )
    procured_until = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = StoreEntry
        fields = [
            "id",
            "name",
            "short_description",
            "vendor",
            "service_areas",
            "status",
            "listed_at",
            "last_verified_at",
            "usage_count",
            "rating_average",
            "rating_count",
            "procured",
            "procured_until",
            "url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_service_areas(self, entry) -> list[str]:
        return [a.slug for a in entry.product.service_areas.all()]

    def get_url(self, entry) -> str:
        return reverse("store:listing", args=[entry.product_id])


def _serialized(entries: list[StoreEntry]) -> dict[int, dict]:
    """The API's listings (language-neutral), kept per store generation by `selectors.per_entry`."""
    return {entry.pk: dict(ListingSerializer(entry).data) for entry in entries}


class DocumentRefSerializer(serializers.Serializer):
    title = serializers.CharField(source="__str__")
    kind = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")


class NeedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class ListingDetailSerializer(serializers.Serializer):
    """The listing page (STO-2) as data."""

    listing = ListingSerializer(source="entry")
    description = serializers.CharField(source="product.description")
    price_model = serializers.CharField(source="product.price_model")
    website = serializers.CharField(source="product.website")
    declaration_version = serializers.IntegerField(source="version.number")
    declaration = serializers.JSONField(
        help_text="The approved declaration, in the schema of marketplace.declaration"
    )
    remediation_since = serializers.DateTimeField(source="listing.remediation_since", allow_null=True)
    report_url = serializers.CharField(
        help_text="The shareable verification report of the latest run, or empty"
    )
    vendor_qualified_on = serializers.SerializerMethodField()
    vendor_qualification_expires_on = serializers.SerializerMethodField()
    documents = DocumentRefSerializer(many=True)
    needs = NeedRefSerializer(many=True)
    used_by = OrganisationRefSerializer(source="adopters", many=True)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_vendor_qualified_on(self, page):
        return page.qualification.qualified_on if page.qualification else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_vendor_qualification_expires_on(self, page):
        return page.qualification.expires_on if page.qualification else None


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetGroupSerializer(serializers.Serializer):
    param = serializers.CharField()
    label = serializers.CharField()
    match = serializers.CharField(source="facet.match", help_text="all: every chosen value; any: one of them")
    options = FacetOptionSerializer(many=True)


class FacetsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    procured = serializers.IntegerField(help_text="How many of the results are felleskjøpt")
    ratings = serializers.DictField(
        child=serializers.IntegerField(), help_text="Results rated at least 4, 3, 2, 1"
    )
    groups = FacetGroupSerializer(many=True)
    ignored = serializers.ListField(
        child=serializers.CharField(), help_text="Filter values that were not known"
    )


class CompareRowSerializer(serializers.Serializer):
    section = serializers.CharField()
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField(allow_blank=True))
    differs = serializers.BooleanField()


class CompareSerializer(serializers.Serializer):
    products = ListingSerializer(many=True)
    rows = CompareRowSerializer(many=True)


class FitCriterionSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    weight = serializers.IntegerField()
    fields = serializers.ListField(child=serializers.CharField())
    about_price = serializers.BooleanField()
    scores = serializers.ListField(
        child=serializers.FloatField(allow_null=True), help_text="Share met per product, 0–1"
    )


class FitSerializer(serializers.Serializer):
    need = NeedRefSerializer()
    products = ListingSerializer(many=True)
    fields = serializers.ListField(
        child=serializers.DictField(), help_text="Per field: path, label, status per product"
    )
    criteria = FitCriterionSerializer(many=True)
    totals = serializers.ListField(
        child=serializers.IntegerField(allow_null=True), help_text="Weighted fit, 0–100"
    )


# Filters: the screens' query, documented for the schema -------------------------------------------------

MULTI = "One or more values: repeat the parameter or separate with commas. Unknown values are ignored."


class ListingFilter(django_filters.FilterSet):
    """The same search and filters as the store's search page (STO-3)."""

    q = django_filters.CharFilter(method="noop", label="Free text over names, descriptions and declarations")
    category = django_filters.CharFilter(method="noop", label=f"Category slug. {MULTI}")
    service_area = django_filters.CharFilter(method="noop", label=f"Service area slug. {MULTI}")
    vendor = django_filters.CharFilter(method="noop", label=f"Vendor organisation id. {MULTI}")
    national_solutions = django_filters.CharFilter(
        method="noop", label=f"National solution integrated (all must match). {MULTI}"
    )
    fhir_resources = django_filters.CharFilter(
        method="noop", label=f"FHIR R4 resource type (all must match). {MULTI}"
    )
    terminologies = django_filters.CharFilter(method="noop", label=f"Terminology (all must match). {MULTI}")
    data_location = django_filters.CharFilter(
        method="noop", label=f"Where data is stored: norway, eea or other. {MULTI}"
    )
    procured = django_filters.CharFilter(method="noop", label="1: only felleskjøpt products")
    min_rating = django_filters.CharFilter(method="noop", label="Minimum average rating: 1, 2, 3 or 4")
    sort = django_filters.CharFilter(method="noop", label="relevance, name, newest or most_used")

    class Meta:
        model = StoreEntry
        fields: list[str] = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        # The store's own query (store.selectors.catalogue) does the work, on the facet index: see
        # ListingViewSet.
        return queryset


def _ignored_header(query) -> str:
    return ", ".join(quote(f"{param}={value}", safe="=") for param, value in query.ignored)


# Listings -----------------------------------------------------------------------------------------------


class ListingViewSet(viewsets.ReadOnlyModelViewSet):
    """Products listed in Butikken; readable without login (STO-2, STO-3)."""

    serializer_class = ListingSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ListingFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    lookup_field = "product_id"
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[StoreEntry]:
        return selectors.active_entries()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "X-Ignored-Filters",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=True,
                description="Unknown filter values that were ignored (param=value, comma-separated)",
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        self.filter_queryset(self.get_queryset())  # validates the parameters (400 for a NUL character)
        # The same request in the same language answers from this process's memory until the store changes.
        data, ignored = store_index().remember(
            ("api-listings", get_language(), request.build_absolute_uri()), lambda: self._page(request)
        )
        response = Response(data)
        if ignored:
            response["X-Ignored-Filters"] = ignored
        return response

    def _page(self, request) -> tuple[Any, str]:
        query = selectors.parse_store_query(request.query_params)
        _index, _mask, ids = selectors.ordered_entry_ids(query)
        items = selectors.per_entry("api-listing", self.paginate_queryset(ids), _serialized)
        data = self.get_paginated_response(items).data
        return data, _ignored_header(query) if query.ignored else ""

    @extend_schema(
        responses={200: ListingDetailSerializer, 404: OpenApiResponse(description="Not in the store")}
    )
    def retrieve(self, request, product_id=None):
        page = selectors.listing_page(product_id=int(product_id), user=request.user)
        return Response(ListingDetailSerializer(page).data)

    @extend_schema(filters=True, responses={200: FacetsSerializer})
    @action(detail=False, methods=["get"])
    def facets(self, request):
        """Facet counts for the search (same parameters as the list)."""
        result = selectors.store_search(request.query_params, per_page=1)
        return Response(
            FacetsSerializer(
                {
                    "total": result.total,
                    "procured": result.figures["procured"],
                    "ratings": {str(r): result.figures[f"rating_{r}"] for r in selectors.RATING_CHOICES},
                    "groups": result.groups,
                    "ignored": [f"{p}={v}" for p, v in result.query.ignored],
                }
            ).data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "product",
                OpenApiTypes.INT,
                many=True,
                required=True,
                description="2–4 product ids (repeat the parameter)",
            )
        ],
        responses={
            200: CompareSerializer,
            400: OpenApiResponse(description="Fewer than 2 or more than 4"),
            404: OpenApiResponse(description="A product is not in the store"),
        },
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def compare(self, request):
        """2–4 products side by side by declaration section, differences marked (STO-4)."""
        entries = selectors.compare_products(
            product_ids=selectors.parse_ids(request.query_params.getlist("product"))
        )
        rows = selectors.compare_rows(entries)
        return Response(
            CompareSerializer(
                {
                    "products": entries,
                    "rows": [
                        {
                            "section": str(
                                r["section"]["title"]
                                if isinstance(r["section"], dict)
                                else r["section"].title
                            ),
                            "label": str(r["label"]),
                            "values": [str(v) for v in r["values"]],
                            "differs": r["differs"],
                        }
                        for r in rows
                    ],
                }
            ).data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("need", OpenApiTypes.INT, required=True, description="The need's id"),
            OpenApiParameter(
                "product", OpenApiTypes.INT, many=True, required=True, description="1–4 product ids"
            ),
        ],
        responses={
            200: FitSerializer,
            400: OpenApiResponse(description="No need, or not 1–4 products"),
            404: OpenApiResponse(description="Need or product not found"),
        },
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def fit(self, request):
        """How 1–4 products meet a need's desired declaration and weighted criteria (STO-4)."""
        need_ids = selectors.parse_ids([request.query_params.get("need", "")])
        if not need_ids:
            raise ValidationError({"need": "Give the id of a need."})
        fit = selectors.need_fit(
            user=request.user,
            need_id=need_ids[0],
            product_ids=selectors.parse_ids(request.query_params.getlist("product")),
        )
        fields = [
            {
                "path": row["path"],
                "label": str(row["label"]),
                "wanted": row["want"],
                "status": [cell["status"] for cell in row["cells"]],
            }
            for section in fit.sections
            for row in section["rows"]
        ]
        return Response(
            FitSerializer(
                {
                    "need": fit.need,
                    "products": fit.entries,
                    "fields": fields,
                    "totals": fit.totals,
                    "criteria": [
                        {
                            "criterion": c.criterion.name,
                            "weight": c.criterion.weight,
                            "fields": c.fields,
                            "about_price": c.about_price,
                            "scores": c.scores,
                        }
                        for c in fit.criteria
                    ],
                }
            ).data
        )


# Adoptions (STO-5) ------------------------------------------------------------------------------------


class AdoptionSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    vendor = OrganisationRefSerializer(source="product.vendor", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    declaration_version = serializers.IntegerField(source="version.number", read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True, help_text="requested, accepted, active, declined, withdrawn or ended"
    )
    source = serializers.CharField(read_only=True, help_text="request, call_off or registered")

    class Meta:
        model = Adoption
        fields = [
            "id",
            "product",
            "product_name",
            "vendor",
            "organisation",
            "declaration_version",
            "status",
            "source",
            "message",
            "wanted_start",
            "requested_at",
            "start_date",
            "decided_at",
            "decision_reason",
            "ended_on",
            "end_reason",
            "agreement_label",
            "agreement_until",
        ]


class AdoptionRequestInput(serializers.Serializer):
    product = serializers.IntegerField(help_text="The listed product's id")
    wanted_start = serializers.DateField(required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class AdoptionAcceptInput(serializers.Serializer):
    start_date = serializers.DateField()
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class OptionalReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class AdoptionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Adoption.Status.choices)
    role = django_filters.ChoiceFilter(
        choices=[("customer", "customer"), ("vendor", "vendor")],
        method="by_role",
        label="customer: our adoptions; vendor: adoptions of our products",
    )

    class Meta:
        model = Adoption
        fields = ["status", "product"]

    def by_role(self, queryset, name, value):
        organisation = acting_organisation(self.request.user)
        if organisation is None:
            return queryset.none()
        if value == "customer":
            return queryset.filter(organisation=organisation)
        return queryset.filter(product__vendor=organisation)


class AdoptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Ta i bruk (STO-5): the acting organisation's adoptions (as customer) and of its products (as vendor).
    """

    serializer_class = AdoptionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AdoptionFilter
    lookup_value_regex = r"[0-9]{1,12}"
    ordering_fields = ["requested_at", "start_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Adoption.objects.none()
        return selectors.adoptions_visible_to(user=self.request.user).order_by("-requested_at", "-pk")

    @extend_schema(request=AdoptionRequestInput, responses={201: AdoptionSerializer})
    def create(self, request, *args, **kwargs):
        data = AdoptionRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        adoption = services.adoption_request(
            actor=request.user,
            organisation=acting_organisation(request.user),
            product_id=data.validated_data["product"],
            wanted_start=data.validated_data.get("wanted_start"),
            message=data.validated_data.get("message", ""),
        )
        return Response(AdoptionSerializer(adoption).data, status=status.HTTP_201_CREATED)

    def _step(self, request, pk, input_class, func):
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        adoption = func(actor=request.user, adoption_id=int(pk), **data.validated_data)
        adoption = selectors.adoption_get(user=request.user, pk=adoption.pk)
        return Response(AdoptionSerializer(adoption).data)

    @extend_schema(request=AdoptionAcceptInput, responses={200: AdoptionSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The vendor accepts, with the date the product is in use from."""
        return self._step(request, pk, AdoptionAcceptInput, services.adoption_accept)

    @extend_schema(request=ReasonInput, responses={200: AdoptionSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The vendor declines, with a reason."""
        return self._step(request, pk, ReasonInput, services.adoption_decline)

    @extend_schema(request=OptionalReasonInput, responses={200: AdoptionSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The municipality withdraws its request before the vendor answers."""
        return self._step(request, pk, OptionalReasonInput, services.adoption_withdraw)

    @extend_schema(request=ReasonInput, responses={200: AdoptionSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Either side ends an adoption (or cancels one that has not started), with a reason."""
        return self._step(request, pk, ReasonInput, services.adoption_end)


# Shortlists --------------------------------------------------------------------------------------------


class ShortlistSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    products = serializers.SerializerMethodField()
    search_url = serializers.CharField(read_only=True)

    class Meta:
        model = Shortlist
        fields = [
            "id",
            "organisation",
            "name",
            "description",
            "search_query",
            "search_url",
            "products",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_products(self, shortlist) -> list[int]:
        return [item.product_id for item in shortlist.items.all()]


class ShortlistInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    search_query = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="A store search as a query string, e.g. q=kartlegging&category=…",
    )
    products = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=200)


class ProductInput(serializers.Serializer):
    product = serializers.IntegerField()


class ShortlistViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The acting organisation's shortlists: saved searches and sets of products."""

    serializer_class = ShortlistSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"[0-9]{1,12}"
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Shortlist.objects.none()
        return (
            selectors.shortlists_of(user=self.request.user)
            .select_related("organisation")
            .prefetch_related("items")
        )

    @extend_schema(request=ShortlistInput, responses={201: ShortlistSerializer})
    def create(self, request, *args, **kwargs):
        data = ShortlistInput(data=request.data)
        data.is_valid(raise_exception=True)
        shortlist = services.shortlist_create(
            actor=request.user,
            organisation=acting_organisation(request.user),
            name=data.validated_data["name"],
            description=data.validated_data.get("description", ""),
            search_query=data.validated_data.get("search_query", ""),
            product_ids=data.validated_data.get("products", []),
        )
        return Response(
            ShortlistSerializer(self.get_queryset().get(pk=shortlist.pk)).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, *args, **kwargs):
        services.shortlist_delete(actor=request.user, shortlist_id=int(kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ProductInput, responses={200: ShortlistSerializer})
    @action(detail=True, methods=["post"], url_path="add-product")
    def add_product(self, request, pk=None):
        data = ProductInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.shortlist_add_product(
            actor=request.user, shortlist_id=int(pk), product_id=data.validated_data["product"]
        )
        return Response(ShortlistSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=ProductInput, responses={200: ShortlistSerializer})
    @action(detail=True, methods=["post"], url_path="remove-product")
    def remove_product(self, request, pk=None):
        data = ProductInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.shortlist_remove_product(
            actor=request.user, shortlist_id=int(pk), product_id=data.validated_data["product"]
        )
        return Response(ShortlistSerializer(self.get_queryset().get(pk=pk)).data)


def register(router) -> None:
    """Add Butikken's routes to the store's router."""
    router.register("store/listings", ListingViewSet, basename="store-listing")
    router.register("store/adoptions", AdoptionViewSet, basename="store-adoption")
    router.register("store/shortlists", ShortlistViewSet, basename="store-shortlist")
