"""API of Felleskjøp (PRO-1 … PRO-6, X-6): procurements, participation, questions, offers (sealed), evaluation
and call-offs, with the same permissions as the screens. Thin: parse, call a service or selector, render.

Offers and scores are read only through the selectors' sealed-offer rule: before the offer deadline an offer
exists only for its vendor — lists leave it out and its detail is a 404 for everyone else.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace.acting import acting_organisation
from marketplace.api.inputs import validated_input as _valid
from marketplace.api.serializers import OrganisationRefSerializer
from marketplace.errors import NotFound

from ..models.procurement import (
    CallOff,
    Offer,
    OfferScore,
    Participation,
    Phase,
    Procurement,
    ProcurementCriterion,
    ProcurementQuestion,
    VolumeUnit,
)
from ..selectors import procurement as selectors
from ..services import procurement as services

# Output serializers -----------------------------------------------------------------------------------------


class ProcurementCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcurementCriterion
        fields = ["id", "name", "description", "weight", "order"]


class ProcurementWinnerSerializer(serializers.ModelSerializer):
    vendor = OrganisationRefSerializer(read_only=True)
    product = serializers.IntegerField(source="product_id")
    product_name = serializers.CharField(source="product.name")

    class Meta:
        model = Offer
        fields = ["id", "vendor", "product", "product_name", "rank", "weighted_total"]


class ProcurementSerializer(serializers.ModelSerializer):
    """A joint procurement as everyone who may see it reads it; the award is public once made."""

    need = serializers.IntegerField(source="need_id", read_only=True)
    need_title = serializers.CharField(source="need.title", read_only=True)
    lead = OrganisationRefSerializer(read_only=True)
    criteria = ProcurementCriterionSerializer(many=True, read_only=True)
    participant_count = serializers.SerializerMethodField()
    total_volume = serializers.SerializerMethodField()
    winners = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Procurement
        fields = [
            "id", "title", "summary", "need", "need_title", "lead", "phase", "volume_unit", "desired_declaration",
            "intent_deadline", "questions_deadline", "offer_deadline", "agreement_start", "agreement_end",
            "criteria", "participant_count", "total_volume", "announced_at", "awarded_at", "award_reason", "winners",
            "created_at", "updated_at", "url",
        ]

    def _totals(self, procurement: Procurement) -> dict:
        if hasattr(procurement, "participant_count"):
            return {"count": procurement.participant_count, "volume": procurement.total_volume}
        return selectors.participation_totals(procurement)

    def get_participant_count(self, procurement: Procurement) -> int:
        return self._totals(procurement)["count"]

    def get_total_volume(self, procurement: Procurement) -> int:
        return self._totals(procurement)["volume"]

    @extend_schema_field(ProcurementWinnerSerializer(many=True))
    def get_winners(self, procurement: Procurement) -> list:
        return ProcurementWinnerSerializer(selectors.winning_offers(procurement), many=True).data


class ProcurementParticipationSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    procurement = serializers.IntegerField(source="procurement_id", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "procurement", "organisation", "status", "volume", "note", "declared_at", "withdrawn_at"]


class ProcurementQuestionSerializer(serializers.ModelSerializer):
    """Other vendors read only published answers, with the question as the lead anonymised it; the asking vendor
    also sees its own question; the lead sees who asked."""

    procurement = serializers.IntegerField(source="procurement_id", read_only=True)
    question = serializers.SerializerMethodField(help_text="The anonymised question once published; the original "
                                                           "for the asking vendor and the lead before that.")
    answer = serializers.SerializerMethodField()
    vendor = serializers.SerializerMethodField()

    class Meta:
        model = ProcurementQuestion
        fields = ["id", "procurement", "number", "status", "question", "answer", "vendor", "created_at", "published_at"]

    def _is_lead(self, question: ProcurementQuestion) -> bool:
        organisation = acting_organisation(self.context["request"].user)
        return organisation is not None and (organisation.is_operator or question.procurement.lead_id == organisation.pk)

    def get_question(self, question: ProcurementQuestion) -> str:
        if question.status == ProcurementQuestion.Status.PUBLISHED and not self._is_lead(question):
            return question.public_text
        return question.text

    def get_answer(self, question: ProcurementQuestion) -> str:
        if question.status == ProcurementQuestion.Status.PUBLISHED or self._is_lead(question):
            return question.answer
        return ""  # the asking vendor gets the answer with everyone else

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_vendor(self, question: ProcurementQuestion):
        organisation = acting_organisation(self.context["request"].user)
        if self._is_lead(question) or (organisation is not None and question.vendor_id == organisation.pk):
            return OrganisationRefSerializer(question.vendor).data
        return None


class ProcurementOfferSerializer(serializers.ModelSerializer):
    procurement = serializers.IntegerField(source="procurement_id", read_only=True)
    vendor = OrganisationRefSerializer(read_only=True)
    product = serializers.IntegerField(source="product_id", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    declaration_version = serializers.IntegerField(source="declaration_version.number", read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id", "procurement", "vendor", "product", "product_name", "declaration_version", "price_per_year",
            "price_per_unit", "description", "status", "submitted_at", "updated_at", "withdrawn_at",
            "weighted_total", "rank", "is_winner",
        ]


class OfferScoreSerializer(serializers.ModelSerializer):
    offer = serializers.IntegerField(source="offer_id", read_only=True)
    criterion = serializers.IntegerField(source="criterion_id", read_only=True)
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    weight = serializers.IntegerField(source="criterion.weight", read_only=True)

    class Meta:
        model = OfferScore
        fields = ["id", "offer", "criterion", "criterion_name", "weight", "score", "justification", "scored_at"]


class EvaluationMatrixCellSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.IntegerField(allow_null=True)
    justification = serializers.CharField(allow_blank=True)


class EvaluationMatrixRowSerializer(serializers.Serializer):
    offer = serializers.IntegerField()
    vendor = serializers.CharField()
    product = serializers.CharField()
    scores = EvaluationMatrixCellSerializer(many=True)
    weighted_total = serializers.DecimalField(max_digits=6, decimal_places=2)
    complete = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True)


class EvaluationMatrixSerializer(serializers.Serializer):
    criteria = ProcurementCriterionSerializer(many=True)
    rows = EvaluationMatrixRowSerializer(many=True)
    complete = serializers.BooleanField()


class ProcurementCallOffSerializer(serializers.ModelSerializer):
    procurement = serializers.IntegerField(source="procurement_id", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    offer = serializers.IntegerField(source="offer_id", read_only=True)
    product = serializers.IntegerField(source="offer.product_id", read_only=True)
    product_name = serializers.CharField(source="offer.product.name", read_only=True)
    adoption = serializers.IntegerField(source="adoption_id", read_only=True, allow_null=True)

    class Meta:
        model = CallOff
        fields = ["id", "procurement", "organisation", "offer", "product", "product_name", "volume", "starts_on",
                  "adoption", "created_at"]


# Input serializers ------------------------------------------------------------------------------------------


class ProcurementOpenInput(serializers.Serializer):
    need = serializers.IntegerField()
    lead = serializers.IntegerField(required=False, allow_null=True, help_text="Defaults to the acting organisation.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    volume_unit = serializers.ChoiceField(choices=VolumeUnit.choices, default=VolumeUnit.USERS)
    intent_deadline = serializers.DateTimeField()
    questions_deadline = serializers.DateTimeField(required=False, allow_null=True)
    offer_deadline = serializers.DateTimeField()
    agreement_start = serializers.DateField(required=False, allow_null=True)
    agreement_end = serializers.DateField(required=False, allow_null=True)


class ProcurementUpdateInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    volume_unit = serializers.ChoiceField(choices=VolumeUnit.choices, required=False)
    intent_deadline = serializers.DateTimeField(required=False)
    questions_deadline = serializers.DateTimeField(required=False, allow_null=True)
    offer_deadline = serializers.DateTimeField(required=False)
    agreement_start = serializers.DateField(required=False, allow_null=True)
    agreement_end = serializers.DateField(required=False, allow_null=True)


PHASE_TARGETS = [Phase.MARKET_DIALOGUE, Phase.COMPETITION, Phase.EVALUATION, Phase.AGREEMENT_ACTIVE, Phase.CLOSED,
                 Phase.CANCELLED]


class ProcurementPhaseInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=[(p.value, p.label) for p in PHASE_TARGETS],
                                 help_text="The next phase; awarding has its own endpoint.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ProcurementAwardInput(serializers.Serializer):
    offers = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    reason = serializers.CharField(max_length=10000)
    agreement_start = serializers.DateField(required=False, allow_null=True)
    agreement_end = serializers.DateField(required=False, allow_null=True)


class ProcurementCriterionInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    weight = serializers.IntegerField(min_value=1, max_value=100)


class ProcurementCriteriaInput(serializers.Serializer):
    criteria = ProcurementCriterionInput(many=True)


class ProcurementDeclarationInput(serializers.Serializer):
    desired_declaration = serializers.DictField()


class ProcurementCallOffInput(serializers.Serializer):
    offer = serializers.IntegerField(required=False, allow_null=True, help_text="Needed when several were awarded.")
    volume = serializers.IntegerField(min_value=1)
    starts_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProcurementParticipationInput(serializers.Serializer):
    procurement = serializers.IntegerField()
    volume = serializers.IntegerField(min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProcurementReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ProcurementQuestionInput(serializers.Serializer):
    procurement = serializers.IntegerField()
    text = serializers.CharField(max_length=5000)


class QuestionAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)
    public_text = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                        help_text="The question as every vendor will read it (anonymised).")


class ProcurementOfferInput(serializers.Serializer):
    procurement = serializers.IntegerField()
    product = serializers.IntegerField()
    price_per_year = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    price_per_unit = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    description = serializers.CharField(max_length=10000)


class ProcurementOfferUpdateInput(serializers.Serializer):
    product = serializers.IntegerField(required=False)
    price_per_year = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    price_per_unit = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    description = serializers.CharField(max_length=10000, required=False)


class OfferScoreInput(serializers.Serializer):
    offer = serializers.IntegerField()
    criterion = serializers.IntegerField()
    score = serializers.IntegerField(help_text="0–10")
    justification = serializers.CharField(allow_blank=True, max_length=10000)


# Filters ------------------------------------------------------------------------------------------------------


class ProcurementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search in the title, summary and need")
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    need = django_filters.NumberFilter(field_name="need_id")
    lead = django_filters.NumberFilter(field_name="lead_id")

    class Meta:
        model = Procurement
        fields = ["phase", "need", "lead"]

    def search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word)
                                       | Q(need__title__icontains=word))
        return queryset


class ProcurementChildFilter(django_filters.FilterSet):
    procurement = django_filters.NumberFilter(field_name="procurement_id")


class ParticipationFilter(ProcurementChildFilter):
    status = django_filters.ChoiceFilter(choices=Participation.Status.choices)

    class Meta:
        model = Participation
        fields = ["procurement", "status"]


class QuestionFilter(ProcurementChildFilter):
    status = django_filters.ChoiceFilter(choices=ProcurementQuestion.Status.choices)

    class Meta:
        model = ProcurementQuestion
        fields = ["procurement", "status"]


class OfferFilter(ProcurementChildFilter):
    status = django_filters.ChoiceFilter(choices=Offer.Status.choices)
    product = django_filters.NumberFilter(field_name="product_id")
    vendor = django_filters.NumberFilter(field_name="vendor_id")
    q = django_filters.CharFilter(method="search", label="Search in the product name and the offer text")

    class Meta:
        model = Offer
        fields = ["procurement", "status", "product", "vendor"]

    def search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(product__name__icontains=word) | Q(description__icontains=word))
        return queryset


class ScoreFilter(django_filters.FilterSet):
    offer = django_filters.NumberFilter(field_name="offer_id")
    procurement = django_filters.NumberFilter(field_name="offer__procurement_id")

    class Meta:
        model = OfferScore
        fields = ["offer", "procurement"]


class CallOffFilter(ProcurementChildFilter):
    organisation = django_filters.NumberFilter(field_name="organisation_id")

    class Meta:
        model = CallOff
        fields = ["procurement", "organisation"]


# Viewsets -------------------------------------------------------------------------------------------------------


class ReadPublicWriteAuthenticated(permissions.BasePermission):
    """Public reads (what the screens show anonymous visitors); writes need login, the services check the rest."""

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


def _procurement(request, pk) -> Procurement:
    return selectors.procurement_get(user=request.user, pk=int(pk))


class ProcurementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Joint procurements (PRO-1, PRO-2): public once announced; the lead runs them."""

    serializer_class = ProcurementSerializer
    permission_classes = [ReadPublicWriteAuthenticated]
    filterset_class = ProcurementFilter
    ordering_fields = ["updated_at", "offer_deadline", "intent_deadline", "title"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.procurement_list(user=self.request.user).prefetch_related("criteria",
                                                                                   selectors.prefetch_winners())

    def get_object(self):
        return _procurement(self.request, self.kwargs["pk"])

    @extend_schema(request=ProcurementOpenInput, responses={201: ProcurementSerializer})
    def create(self, request):
        """Open a joint procurement from a published need (owner organisation admin or platform administrator)."""
        data = _valid(ProcurementOpenInput, request)
        need = data.pop("need")
        lead = data.pop("lead", None)
        procurement = services.procurement_open(actor=request.user, need_id=need, lead_id=lead, **data)
        return Response(self._out(procurement), status=status.HTTP_201_CREATED)

    @extend_schema(request=ProcurementUpdateInput, responses={200: ProcurementSerializer})
    def partial_update(self, request, pk=None):
        """Change the text or timeline, as far as the phase allows (lead)."""
        data = _valid(ProcurementUpdateInput, request, partial=True)
        procurement = services.procurement_update(actor=request.user, procurement_id=int(pk), **data)
        return Response(self._out(procurement))

    def _out(self, procurement: Procurement) -> dict:
        return ProcurementSerializer(_procurement(self.request, procurement.pk), context={"request": self.request}).data

    @extend_schema(request=ProcurementPhaseInput, responses={200: ProcurementSerializer})
    @action(detail=True, methods=["post"])
    def phase(self, request, pk=None):
        """Move to the next phase, or cancel (a reason is required to cancel) (lead)."""
        data = _valid(ProcurementPhaseInput, request)
        procurement = services.PHASE_SERVICES[data["to"]](actor=request.user, procurement_id=int(pk),
                                                          reason=data.get("reason", ""))
        return Response(self._out(procurement))

    @extend_schema(request=ProcurementAwardInput, responses={200: ProcurementSerializer})
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        """Award the agreement to the winning offer(s) with reasons, once every offer is scored (lead)."""
        data = _valid(ProcurementAwardInput, request)
        procurement = services.procurement_award(
            actor=request.user, procurement_id=int(pk), offer_ids=data["offers"], reason=data["reason"],
            agreement_start=data.get("agreement_start"), agreement_end=data.get("agreement_end"),
        )
        return Response(self._out(procurement))

    @extend_schema(request=ProcurementCriteriaInput, responses={200: ProcurementCriterionSerializer(many=True)})
    @action(detail=True, methods=["put"])
    def criteria(self, request, pk=None):
        """Replace the weighted evaluation criteria (weights sum to 100), until the competition starts (lead)."""
        data = _valid(ProcurementCriteriaInput, request)
        rows = services.procurement_set_criteria(actor=request.user, procurement_id=int(pk), criteria=data["criteria"])
        return Response(ProcurementCriterionSerializer(rows, many=True).data)

    @extend_schema(request=ProcurementDeclarationInput, responses={200: ProcurementSerializer})
    @action(detail=True, methods=["put"])
    def declaration(self, request, pk=None):
        """Replace the desired product declaration, until the competition starts (lead)."""
        data = _valid(ProcurementDeclarationInput, request)
        procurement = services.procurement_update_declaration(actor=request.user, procurement_id=int(pk),
                                                              declaration=data["desired_declaration"])
        return Response(self._out(procurement))

    @extend_schema(request=None, responses={200: ProcurementQuestionSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="publish-answers")
    def publish_answers(self, request, pk=None):
        """Publish every answered question to all vendors at once (lead)."""
        published = services.questions_publish(actor=request.user, procurement_id=int(pk))
        return Response(ProcurementQuestionSerializer(published, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={200: EvaluationMatrixSerializer})
    @action(detail=True, methods=["get"])
    def evaluation(self, request, pk=None):
        """The evaluation matrix: scores per criterion, weighted totals and ranking (lead, after the deadline)."""
        procurement = _procurement(request, pk)
        if not request.user.has_perm("store.view_evaluation", procurement):
            raise NotFound("Not found.")
        matrix = selectors.evaluation_matrix(procurement)
        return Response(EvaluationMatrixSerializer({
            "criteria": matrix.criteria,
            "complete": matrix.complete,
            "rows": [{
                "offer": row.offer.pk, "vendor": row.offer.vendor.name, "product": row.offer.product.name,
                "scores": [{"criterion": c.pk, "score": cell.score if cell else None,
                            "justification": cell.justification if cell else ""}
                           for c, cell in zip(matrix.criteria, row.cells)],
                "weighted_total": row.total, "complete": row.complete, "rank": row.rank,
            } for row in matrix.rows],
        }).data)

    @extend_schema(request=ProcurementCallOffInput, responses={201: ProcurementCallOffSerializer})
    @action(detail=True, methods=["post"], url_path="call-off")
    def call_off(self, request, pk=None):
        """Call off an awarded product under the active agreement (participating organisation admin)."""
        data = _valid(ProcurementCallOffInput, request)
        record = services.call_off(actor=request.user, procurement_id=int(pk), offer_id=data.get("offer"),
                                   volume=data["volume"], starts_on=data.get("starts_on"), note=data.get("note", ""))
        return Response(ProcurementCallOffSerializer(record).data, status=status.HTTP_201_CREATED)


class ParticipationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Intent to participate, with expected volume (PRO-3): who buys together is public."""

    serializer_class = ProcurementParticipationSerializer
    permission_classes = [ReadPublicWriteAuthenticated]
    filterset_class = ParticipationFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.participations_visible(user=self.request.user).order_by("procurement_id", "organisation__name")

    @extend_schema(request=ProcurementParticipationInput, responses={201: ProcurementParticipationSerializer})
    def create(self, request):
        """Declare (or change) the acting organisation's intent, before the deadline (organisation admin)."""
        data = _valid(ProcurementParticipationInput, request)
        participation = services.participation_declare(actor=request.user, procurement_id=data["procurement"],
                                                       volume=data["volume"], note=data.get("note", ""))
        return Response(ProcurementParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProcurementReasonInput, responses={200: ProcurementParticipationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the acting organisation's intent, until the competition starts."""
        participation = self.get_object()
        organisation = acting_organisation(request.user)
        if organisation is None or participation.organisation_id != organisation.pk:
            raise NotFound("Not found.")
        data = _valid(ProcurementReasonInput, request)
        participation = services.participation_withdraw(actor=request.user, procurement_id=participation.procurement_id,
                                                        reason=data.get("reason", ""))
        return Response(ProcurementParticipationSerializer(participation).data)


class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Market-dialogue questions: published answers for all; own questions for the vendor; all for the lead."""

    serializer_class = ProcurementQuestionSerializer
    permission_classes = [ReadPublicWriteAuthenticated]
    filterset_class = QuestionFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.questions_visible(user=self.request.user)

    @extend_schema(request=ProcurementQuestionInput, responses={201: ProcurementQuestionSerializer})
    def create(self, request):
        """Ask a clarification question (qualified vendor)."""
        data = _valid(ProcurementQuestionInput, request)
        question = services.question_ask(actor=request.user, procurement_id=data["procurement"], text=data["text"])
        return Response(ProcurementQuestionSerializer(question, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuestionAnswerInput, responses={200: ProcurementQuestionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Write the answer and the anonymised question; published later to all vendors at once (lead)."""
        question = self.get_object()
        data = _valid(QuestionAnswerInput, request)
        question = services.question_answer(actor=request.user, question_id=question.pk, answer=data["answer"],
                                            public_text=data.get("public_text", ""))
        return Response(ProcurementQuestionSerializer(question, context={"request": request}).data)


class OfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Offers (PRO-4), sealed: before the deadline only the offering vendor sees its offer; after it, also the
    lead organisation and platform administrators."""

    serializer_class = ProcurementOfferSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = OfferFilter
    ordering_fields = ["submitted_at", "rank", "weighted_total"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Offer.objects.none()
        return selectors.offers_visible(user=self.request.user)

    @extend_schema(request=ProcurementOfferInput, responses={201: ProcurementOfferSerializer})
    def create(self, request):
        """Submit the acting vendor's one offer, before the deadline (qualified vendor)."""
        data = _valid(ProcurementOfferInput, request)
        offer = services.offer_submit(
            actor=request.user, procurement_id=data["procurement"], product_id=data["product"],
            price_per_year=data["price_per_year"], price_per_unit=data["price_per_unit"],
            description=data["description"],
        )
        return Response(ProcurementOfferSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProcurementOfferUpdateInput, responses={200: ProcurementOfferSerializer})
    def partial_update(self, request, pk=None):
        """Change the acting vendor's offer before the deadline."""
        data = _valid(ProcurementOfferUpdateInput, request, partial=True)
        if "product" in data:
            data["product_id"] = data.pop("product")
        offer = services.offer_update(actor=request.user, offer_id=int(pk), **data)
        return Response(ProcurementOfferSerializer(offer).data)

    @extend_schema(request=ProcurementReasonInput, responses={200: ProcurementOfferSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the acting vendor's offer before the deadline."""
        data = _valid(ProcurementReasonInput, request)
        offer = services.offer_withdraw(actor=request.user, offer_id=int(pk), reason=data.get("reason", ""))
        return Response(ProcurementOfferSerializer(offer).data)


class ScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evaluation scores (PRO-5): the lead and platform administrators, after the offer deadline."""

    serializer_class = OfferScoreSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ScoreFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OfferScore.objects.none()
        return selectors.scores_visible(user=self.request.user).order_by("offer_id", "criterion__order", "id")

    @extend_schema(request=OfferScoreInput, responses={201: OfferScoreSerializer})
    def create(self, request):
        """Score one offer on one criterion, 0–10 with a justification (lead, evaluation phase)."""
        data = _valid(OfferScoreInput, request)
        scores = services.offer_score(actor=request.user, offer_id=data["offer"],
                                      scores={data["criterion"]: (data["score"], data["justification"])})
        score = next(s for s in scores if s.criterion_id == data["criterion"])
        return Response(OfferScoreSerializer(score).data, status=status.HTTP_201_CREATED)


class CallOffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Call-offs under joint-procurement agreements (PRO-6): which organisations use the agreement is public."""

    serializer_class = ProcurementCallOffSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = CallOffFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.call_offs_visible(user=self.request.user).order_by("-created_at", "-id")


def register(router) -> None:
    """Add Felleskjøp's routes to the store's router."""
    router.register("procurements", ProcurementViewSet, basename="procurement")
    router.register("procurement-participations", ParticipationViewSet, basename="procurement-participation")
    router.register("procurement-questions", QuestionViewSet, basename="procurement-question")
    router.register("procurement-offers", OfferViewSet, basename="procurement-offer")
    router.register("procurement-scores", ScoreViewSet, basename="procurement-score")
    router.register("procurement-call-offs", CallOffViewSet, basename="procurement-call-off")
