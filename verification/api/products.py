"""API of Verifikasjon (X-6, VER-1 … VER-7): products, declaration versions and their documents, verification
runs (start, progress, report), the listing review and listings. Thin: parse, call a service or selector,
render. The same permissions as the screens; another organisation's private objects are 404."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from marketplace.api.serializers import OrganisationRefSerializer
from marketplace.declaration import validate_declaration
from marketplace.models import Document, ServiceArea

from ..models import DOCUMENT_KINDS, DeclarationVersion, Listing, Product, VerificationRun
from ..selectors import products as selectors
from ..services import listing as listing_services
from ..services import products as services
from ..services import runs as run_services

VersionStatus = DeclarationVersion.Status


# Output serializers ---------------------------------------------------------------------------------


class DeclarationDocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Document
        fields = ["id", "uuid", "kind", "title", "name", "content_type", "size", "sha256", "created_at", "url"]


class VerificationRunRefSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="queued, running, passed, failed or error")
    report_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = VerificationRun
        fields = ["uuid", "status", "created_at", "finished_at", "report_url"]


class ProductListingSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    vendor = OrganisationRefSerializer(source="product.vendor", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True, help_text="The listed version number")
    version_id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="listed, under_remediation (under utbedring) or withdrawn")
    remediation_reason = serializers.CharField(read_only=True)
    last_run = VerificationRunRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Listing
        fields = ["id", "product", "product_name", "vendor", "status", "version", "version_id", "listed_at",
                  "version_listed_at", "last_verified_at", "remediation_since", "remediation_reason", "withdrawn_at",
                  "last_run"]


class SandboxEndpointsSerializer(serializers.Serializer):
    fhir_base_url = serializers.CharField()
    oidc_issuer = serializers.CharField()
    app_url = serializers.CharField()


class VerificationProductSerializer(serializers.ModelSerializer):
    vendor = OrganisationRefSerializer(read_only=True)
    service_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    needs = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    logo_url = serializers.SerializerMethodField()
    listing = serializers.SerializerMethodField()
    sandbox = serializers.SerializerMethodField(help_text="The sandbox endpoints; only for the vendor and administrators")

    class Meta:
        model = Product
        fields = ["id", "name", "vendor", "short_description", "description", "service_areas", "needs",
                  "price_model", "website", "logo_url", "listing", "sandbox", "created_at", "updated_at"]

    def get_logo_url(self, product) -> str | None:
        return product.logo.get_absolute_url() if product.logo_id else None

    @extend_schema_field(ProductListingSerializer(allow_null=True))
    def get_listing(self, product):
        listing = getattr(product, "listing", None)
        return ProductListingSerializer(listing).data if listing is not None and listing.is_active else None

    @extend_schema_field(SandboxEndpointsSerializer(allow_null=True))
    def get_sandbox(self, product):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not (user.has_perm("verification.change_product", product)
                                or user.has_perm("verification.review_listing")):
            return None
        return {"fhir_base_url": product.fhir_base_url, "oidc_issuer": product.oidc_issuer, "app_url": product.app_url}


class DeclarationVersionSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(VersionStatus.values))
    based_on = serializers.IntegerField(source="based_on.number", read_only=True, allow_null=True)
    content = serializers.JSONField(read_only=True, help_text="The declaration (marketplace.declaration schema)")

    class Meta:
        model = DeclarationVersion
        fields = ["id", "product", "product_name", "number", "status", "based_on", "content", "created_at",
                  "updated_at", "frozen_at", "submitted_at", "decided_at", "decision_reason"]


class DeclarationVersionDetailSerializer(DeclarationVersionSerializer):
    documents = serializers.SerializerMethodField()

    class Meta(DeclarationVersionSerializer.Meta):
        fields = [*DeclarationVersionSerializer.Meta.fields, "documents"]

    @extend_schema_field(DeclarationDocumentSerializer(many=True))
    def get_documents(self, version):
        return DeclarationDocumentSerializer(selectors.version_documents(version), many=True).data


class CheckProgressSerializer(serializers.Serializer):
    check_id = serializers.CharField(source="result.check_id")
    title = serializers.CharField()
    mandatory = serializers.BooleanField(source="result.mandatory")
    status = serializers.CharField(source="result.status", help_text="pending, running, pass, warn, fail, error, skipped")
    message = serializers.CharField(source="result.message")
    started_at = serializers.DateTimeField(source="result.started_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="result.finished_at", allow_null=True)
    duration_ms = serializers.IntegerField(source="result.duration_ms", allow_null=True)
    network_ms = serializers.IntegerField(source="result.network_ms", allow_null=True)


class CheckEvidenceSerializer(CheckProgressSerializer):
    evidence = serializers.JSONField(source="result.evidence",
                                     help_text="HTTP exchanges (request, status, headers, body excerpt), notes, findings")


class RunProgressSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="queued, running, passed, failed or error")
    finished = serializers.BooleanField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    checks = CheckProgressSerializer(many=True)


class VerificationRunSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version_id", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    product = serializers.IntegerField(source="version.product_id", read_only=True)
    status = serializers.CharField(read_only=True, help_text="queued, running, passed, failed or error")
    trigger = serializers.CharField(read_only=True, help_text="manual or scheduled (re-verification)")
    report_url = serializers.CharField(source="get_absolute_url", read_only=True)
    error_reason = serializers.CharField(read_only=True)

    class Meta:
        model = VerificationRun
        fields = ["uuid", "version", "version_number", "product", "status", "trigger", "created_at", "started_at",
                  "finished_at", "error_reason", "report_url"]


class VerificationRunReportSerializer(VerificationRunSerializer):
    checks = serializers.SerializerMethodField()
    declaration = serializers.JSONField(source="version.content", read_only=True)

    class Meta(VerificationRunSerializer.Meta):
        fields = [*VerificationRunSerializer.Meta.fields, "declaration", "checks"]

    @extend_schema_field(CheckEvidenceSerializer(many=True))
    def get_checks(self, run):
        return CheckEvidenceSerializer(selectors.run_results(run), many=True).data


class ListingReviewItemSerializer(DeclarationVersionSerializer):
    vendor = OrganisationRefSerializer(source="product.vendor", read_only=True)
    latest_run_status = serializers.CharField(read_only=True, allow_null=True)
    listed_version = serializers.SerializerMethodField()

    class Meta(DeclarationVersionSerializer.Meta):
        fields = ["id", "product", "product_name", "vendor", "number", "status", "submitted_at", "latest_run_status",
                  "listed_version"]

    def get_listed_version(self, version) -> int | None:
        listing = getattr(version.product, "listing", None)
        return listing.version.number if listing is not None and listing.is_active else None


class DeclarationChangeSerializer(serializers.Serializer):
    section = serializers.CharField(source="section.key")
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField(allow_blank=True))
    differs = serializers.BooleanField()


class ListingReviewDetailSerializer(DeclarationVersionDetailSerializer):
    latest_run = serializers.SerializerMethodField()
    changes_since_listed = serializers.SerializerMethodField(
        help_text="Field-by-field comparison with the listed version (values: [listed, this])")

    class Meta(DeclarationVersionDetailSerializer.Meta):
        fields = [*DeclarationVersionDetailSerializer.Meta.fields, "latest_run", "changes_since_listed"]

    @extend_schema_field(VerificationRunRefSerializer(allow_null=True))
    def get_latest_run(self, version):
        run = selectors.latest_run(version)
        return VerificationRunRefSerializer(run).data if run else None

    @extend_schema_field(DeclarationChangeSerializer(many=True))
    def get_changes_since_listed(self, version):
        _listed, rows = selectors.changes_since_listed(version)
        return DeclarationChangeSerializer(rows, many=True).data


# Input serializers ------------------------------------------------------------------------------------


def _needs_queryset():
    from innovation.models import Need

    return Need.objects.all()


class VerificationProductInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    short_description = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    service_areas = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=ServiceArea.objects.all())
    needs = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=ServiceArea.objects.none(),
                                               help_text="Ids of published needs")
    price_model = serializers.CharField(required=False, allow_blank=True, default="")
    website = serializers.CharField(required=False, allow_blank=True, default="")
    fhir_base_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    oidc_issuer = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    app_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].child_relation.queryset = _needs_queryset()


class DeclarationVersionCreateInput(serializers.Serializer):
    based_on = serializers.IntegerField(required=False, allow_null=True, help_text="Id of the version to copy")


class DeclarationContentInput(serializers.Serializer):
    content = serializers.JSONField(help_text="The declaration: {section: {field: value}} (marketplace.declaration)")

    def validate_content(self, value):
        errors = validate_declaration(value, require_complete=False)
        if errors:
            raise serializers.ValidationError(errors)
        return value


class DeclarationFreezeInput(serializers.Serializer):
    start_run = serializers.BooleanField(default=True, help_text="Queue the first verification run at once")


class DeclarationDocumentInput(serializers.Serializer):
    kind = serializers.CharField(help_text="One of: " + ", ".join(code for code, _label in DOCUMENT_KINDS))
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class VersionWithdrawInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ListingWithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class VerificationRunStartInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="Id of the frozen declaration version to verify")


class ListingDecisionInput(serializers.Serializer):
    decision = serializers.CharField(help_text="approve, request_changes or reject")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000,
                                   help_text="Required to reject or request changes; the vendor sees it")


# Filters ----------------------------------------------------------------------------------------------------


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search in name, description and vendor")
    vendor = django_filters.NumberFilter(field_name="vendor_id")
    service_area = django_filters.CharFilter(field_name="service_areas__slug", distinct=True)
    listed = django_filters.BooleanFilter(method="filter_listed", label="Only products listed in the store")

    class Meta:
        model = Product
        fields = ["vendor", "service_area", "listed"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_description__icontains=value)
                               | Q(vendor__name__icontains=value))

    def filter_listed(self, queryset, name, value):
        listed = Q(listing__status__in=Listing.ACTIVE_STATES)
        return queryset.filter(listed) if value else queryset.exclude(listed)


class VersionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices)

    class Meta:
        model = DeclarationVersion
        fields = ["product", "status"]


class RunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VerificationRun.Status.choices)
    product = django_filters.NumberFilter(field_name="version__product_id")

    class Meta:
        model = VerificationRun
        fields = ["version", "product", "status"]


class ListingFilter(django_filters.FilterSet):
    service_area = django_filters.CharFilter(field_name="product__service_areas__slug", distinct=True)
    vendor = django_filters.NumberFilter(field_name="product__vendor_id")
    status = django_filters.ChoiceFilter(choices=[(s, s) for s in Listing.ACTIVE_STATES])

    class Meta:
        model = Listing
        fields = ["service_area", "vendor", "status"]


# Viewsets -------------------------------------------------------------------------------------------------


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


@extend_schema_view(
    list=extend_schema(summary="Products: listed ones for everybody, your own, or all for platform administrators"),
    retrieve=extend_schema(summary="One product"),
    create=extend_schema(summary="Register a product (qualified vendors)", request=VerificationProductInput,
                         responses={201: VerificationProductSerializer}),
    partial_update=extend_schema(summary="Change a product's details or sandbox endpoints", request=VerificationProductInput,
                                 responses={200: VerificationProductSerializer}),
)
class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = VerificationProductSerializer
    filterset_class = ProductFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if _fake(self):
            return Product.objects.none()
        return selectors.products_visible_to(actor=self.request.user).order_by("name", "pk")

    def create(self, request):
        data = VerificationProductInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(actor=request.user, organisation=request.user.acting_organisation,
                                          **data.validated_data)
        return Response(VerificationProductSerializer(product, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        product = self.get_object()
        data = VerificationProductInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = services.product_update(actor=request.user, product_id=product.pk, **data.validated_data)
        return Response(VerificationProductSerializer(selectors.product_get(actor=request.user, pk=product.pk),
                                          context={"request": request}).data)

    def update(self, request, *args, **kwargs):  # only PATCH: a product is never replaced wholesale
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(summary="Start a new draft version of the declaration (copies the latest or `based_on`)",
                   request=DeclarationVersionCreateInput, responses={201: DeclarationVersionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="versions", permission_classes=[permissions.IsAuthenticated])
    def new_version(self, request, pk=None):
        product = self.get_object()
        data = DeclarationVersionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_create(actor=request.user, product_id=product.pk,
                                          based_on_id=data.validated_data.get("based_on"))
        return Response(DeclarationVersionDetailSerializer(version).data, status=status.HTTP_201_CREATED)


def _versions_visible_to(user):
    qs = DeclarationVersion.objects.select_related("product", "based_on")
    if user.has_perm("verification.review_listing"):
        return qs
    listed = Q(status=VersionStatus.LISTED)
    organisation = getattr(user, "acting_organisation", None) if user.is_authenticated else None
    if organisation is not None:
        return qs.filter(listed | Q(product__vendor=organisation))
    return qs.filter(listed)


@extend_schema_view(
    list=extend_schema(summary="Declaration versions you may see (your own, listed ones)"),
    retrieve=extend_schema(summary="One declaration version with its documents"),
    partial_update=extend_schema(summary="Save the declaration of a draft", request=DeclarationContentInput,
                                 responses={200: DeclarationVersionDetailSerializer}),
)
class DeclarationVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                                viewsets.GenericViewSet):
    filterset_class = VersionFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    ordering_fields = ["number", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        return DeclarationVersionDetailSerializer if self.action != "list" else DeclarationVersionSerializer

    def get_queryset(self):
        if _fake(self):
            return DeclarationVersion.objects.none()
        return _versions_visible_to(self.request.user).order_by("product_id", "-number")

    def _detail(self, version, code=status.HTTP_200_OK):
        fresh = selectors.version_get(actor=self.request.user, pk=version.pk)
        return Response(DeclarationVersionDetailSerializer(fresh).data, status=code)

    def partial_update(self, request, pk=None):
        version = self.get_object()
        data = DeclarationContentInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.version_update(actor=request.user, version_id=version.pk, content=data.validated_data["content"])
        return self._detail(version)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(summary="Submit the draft for verification: freeze it and (by default) queue its first run",
                   request=DeclarationFreezeInput, responses={200: DeclarationVersionDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def freeze(self, request, pk=None):
        version = self.get_object()
        data = DeclarationFreezeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.version_freeze(actor=request.user, version_id=version.pk, start_run=data.validated_data["start_run"])
        return self._detail(version)

    @extend_schema(summary="Submit a verified version for listing in the store", request=None,
                   responses={200: DeclarationVersionDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def submit(self, request, pk=None):
        version = self.get_object()
        services.version_submit(actor=request.user, version_id=version.pk)
        return self._detail(version)

    @extend_schema(summary="Withdraw a version that is not listed", request=VersionWithdrawInput,
                   responses={200: DeclarationVersionDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def withdraw(self, request, pk=None):
        version = self.get_object()
        data = VersionWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.version_withdraw(actor=request.user, version_id=version.pk, reason=data.validated_data["reason"])
        return self._detail(version)

    @extend_schema(summary="Upload a required document to a draft (replaces one of the same kind)",
                   request={"multipart/form-data": DeclarationDocumentInput}, responses={201: DeclarationDocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser],
            permission_classes=[permissions.IsAuthenticated])
    def documents(self, request, pk=None):
        version = self.get_object()
        data = DeclarationDocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.version_document_upload(
            actor=request.user, version_id=version.pk, kind=data.validated_data["kind"],
            upload=data.validated_data["file"], title=data.validated_data["title"],
        )
        return Response(DeclarationDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove a document from a draft", request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"documents/(?P<document_id>\d+)",
            permission_classes=[permissions.IsAuthenticated])
    def document_delete(self, request, pk=None, document_id=None):
        version = self.get_object()
        services.version_document_delete(actor=request.user, version_id=version.pk, document_id=int(document_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _runs_visible_to(user):
    qs = VerificationRun.objects.select_related("version", "version__product")
    if user.has_perm("verification.review_listing"):
        return qs
    listed = Q(version__status=VersionStatus.LISTED)
    organisation = getattr(user, "acting_organisation", None) if user.is_authenticated else None
    if organisation is not None:
        return qs.filter(listed | Q(version__product__vendor=organisation))
    return qs.filter(listed)


@extend_schema_view(
    list=extend_schema(summary="Verification runs you may see"),
    retrieve=extend_schema(summary="The full report of a run: every check with its outcome, message and evidence",
                           responses={200: VerificationRunReportSerializer}),
    create=extend_schema(summary="“Kjør verifisering”: queue a run of a frozen version", request=VerificationRunStartInput,
                         responses={201: VerificationRunSerializer}),
)
class VerificationRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             viewsets.GenericViewSet):
    filterset_class = RunFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_field = "uuid"
    ordering_fields = ["created_at"]

    def get_serializer_class(self):
        return VerificationRunReportSerializer if self.action == "retrieve" else VerificationRunSerializer

    def get_queryset(self):
        if _fake(self):
            return VerificationRun.objects.none()
        return _runs_visible_to(self.request.user).order_by("-created_at", "-id")

    def create(self, request):
        data = VerificationRunStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_services.run_start(actor=request.user, version_id=data.validated_data["version"])
        return Response(VerificationRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Live progress of a run, per check (poll until `finished`)", responses={200: RunProgressSerializer})
    @action(detail=True, methods=["get"])
    def progress(self, request, uuid=None):
        run = self.get_object()
        rows = selectors.run_results(run)
        progress = selectors.run_progress(rows)
        return Response(RunProgressSerializer({
            "status": run.status, "finished": run.is_finished, "total": progress.total, "done": progress.done,
            "percent": progress.percent, "counts": progress.counts, "checks": rows,
        }).data)


@extend_schema_view(
    list=extend_schema(summary="Declaration versions awaiting listing review, oldest first (platform administrators)"),
    retrieve=extend_schema(summary="A version under review: declaration, documents, latest run and what changed "
                                   "since the listed version"),
)
class ListingReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]

    def get_serializer_class(self):
        return ListingReviewDetailSerializer if self.action == "retrieve" else ListingReviewItemSerializer

    def get_queryset(self):
        if _fake(self) or not self.request.user.has_perm("verification.review_listing"):
            return DeclarationVersion.objects.none()
        if self.action == "list":
            return selectors.review_queue()
        return DeclarationVersion.objects.select_related("product", "product__vendor").filter(
            status__in=[VersionStatus.SUBMITTED, VersionStatus.LISTED, VersionStatus.REJECTED,
                        VersionStatus.CHANGES_REQUESTED, VersionStatus.SUPERSEDED, VersionStatus.WITHDRAWN])

    @extend_schema(summary="Approve, reject or request changes, with a reason", request=ListingDecisionInput,
                   responses={200: DeclarationVersionDetailSerializer})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        data = ListingDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The service finds the version, answers 404 to non-administrators and 409 when it is not submitted.
        listing_services.listing_decide(actor=request.user, version_id=int(pk), **data.validated_data)
        version = selectors.version_get(actor=request.user, pk=int(pk))
        return Response(DeclarationVersionDetailSerializer(version).data)


@extend_schema_view(
    list=extend_schema(summary="Products listed in the store, each with its listed declaration version"),
    retrieve=extend_schema(summary="One active listing"),
)
class ListingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductListingSerializer
    filterset_class = ListingFilter
    permission_classes = [permissions.AllowAny]
    ordering_fields = ["version_listed_at", "listed_at"]

    def get_queryset(self):
        if _fake(self):
            return Listing.objects.none()
        return selectors.listings_active()

    @extend_schema(summary="Withdraw a listing from the store (the vendor's organisation admin or a platform "
                           "administrator)", request=ListingWithdrawInput, responses={200: ProductListingSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def withdraw(self, request, pk=None):
        listing = self.get_object()
        data = ListingWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        listing = listing_services.listing_withdraw(actor=request.user, listing_id=listing.pk,
                                                    reason=data.validated_data["reason"])
        return Response(ProductListingSerializer(listing).data)


__all__ = [
    "ProductViewSet", "DeclarationVersionViewSet", "VerificationRunViewSet", "ListingReviewViewSet", "ListingViewSet",
]
