"""Felleskjøp: joint procurement from a shared need to call-off (PRO-1 … PRO-6).

A joint procurement (felleskjøp) is opened from a published need and takes over its desired product
declaration and weighted evaluation criteria. Municipalities declare intent to participate, qualified
vendors ask questions in the market dialogue and offer one product each, the lead organisation scores
the offers, awards the agreement and participating organisations call off (avrop) under it.

Business rules live in `store/services/procurement.py`; the models hold fields, constraints and the
state tables. Offers are sealed until the offer deadline: every read goes through
`store/selectors/procurement.py`, which is the one place that decides who sees an offer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.links import fixed_url
from marketplace.models import Organisation
from marketplace.workflow import Workflow

__all__ = [
    "Phase",
    "PHASE_ORDER",
    "VolumeUnit",
    "Procurement",
    "ProcurementCriterion",
    "Participation",
    "ProcurementQuestion",
    "Offer",
    "OfferScore",
    "CallOff",
    "ProcurementNotice",
    "SCORE_MIN",
    "SCORE_MAX",
]

SCORE_MIN, SCORE_MAX = 0, 10


class Phase(models.TextChoices):
    """The phases of a joint procurement (PRO-2), in order; cancelled ends any open phase."""

    PLANNING = "planning", _("Planning")
    MARKET_DIALOGUE = "market_dialogue", _("Market dialogue")
    COMPETITION = "competition", _("Competition")
    EVALUATION = "evaluation", _("Evaluation")
    AWARDED = "awarded", _("Awarded")
    AGREEMENT_ACTIVE = "agreement_active", _("Agreement active")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


PHASE_ORDER = [
    Phase.PLANNING, Phase.MARKET_DIALOGUE, Phase.COMPETITION, Phase.EVALUATION, Phase.AWARDED,
    Phase.AGREEMENT_ACTIVE, Phase.CLOSED,
]


class VolumeUnit(models.TextChoices):
    """What participants count when they state their expected volume, and what a unit price is per."""

    USERS = "users", _("users")
    INHABITANTS = "inhabitants", _("inhabitants")


class Procurement(models.Model):
    """A joint procurement (felleskjøp) opened from a published need (PRO-1, PRO-2)."""

    Phase = Phase

    # Forward one phase at a time; every phase before the agreement can be cancelled; the agreement ends closed.
    workflow = Workflow(
        {
            Phase.PLANNING: {Phase.MARKET_DIALOGUE, Phase.CANCELLED},
            Phase.MARKET_DIALOGUE: {Phase.COMPETITION, Phase.CANCELLED},
            Phase.COMPETITION: {Phase.EVALUATION, Phase.CANCELLED},
            Phase.EVALUATION: {Phase.AWARDED, Phase.CANCELLED},
            Phase.AWARDED: {Phase.AGREEMENT_ACTIVE, Phase.CANCELLED},
            Phase.AGREEMENT_ACTIVE: {Phase.CLOSED},
        },
        field="phase",
    )
    OPEN_PHASES = (Phase.PLANNING, Phase.MARKET_DIALOGUE, Phase.COMPETITION, Phase.EVALUATION, Phase.AWARDED)
    # The declaration and the criteria are the basis of the competition: they change only before it starts.
    EDITABLE_PHASES = (Phase.PLANNING, Phase.MARKET_DIALOGUE)
    # Intent is declared and withdrawn before the competition starts (PRO-3).
    PARTICIPATION_PHASES = (Phase.PLANNING, Phase.MARKET_DIALOGUE)
    QUESTION_PHASES = (Phase.MARKET_DIALOGUE, Phase.COMPETITION)
    FINISHED_PHASES = (Phase.CLOSED, Phase.CANCELLED)

    need = models.ForeignKey(
        "innovation.Need", on_delete=models.PROTECT, related_name="procurements", verbose_name=_("need")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_procurements", verbose_name=_("lead organisation")
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PLANNING, db_index=True)
    desired_declaration = models.JSONField(_("desired product declaration"), default=dict, blank=True)
    volume_unit = models.CharField(
        _("volume is counted in"), max_length=12, choices=VolumeUnit.choices, default=VolumeUnit.USERS
    )
    # The timeline.
    intent_deadline = models.DateTimeField(_("deadline for declaring intent"))
    questions_deadline = models.DateTimeField(_("deadline for questions"), null=True, blank=True)
    offer_deadline = models.DateTimeField(_("deadline for offers"))
    agreement_start = models.DateField(_("agreement starts"), null=True, blank=True)
    agreement_end = models.DateField(_("agreement ends"), null=True, blank=True)
    # The award (PRO-5): the reasons, and the evaluation matrix as it stood when the award was made.
    award_reason = models.TextField(_("reasons for the award"), blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_matrix = models.JSONField(_("evaluation matrix at the award"), default=dict, blank=True, editable=False)
    # Public from the start of the market dialogue; a procurement cancelled while planning stays private.
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    answers_published_at = models.DateTimeField(_("answers last published"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("joint procurement")
        verbose_name_plural = _("joint procurements")
        constraints = [
            models.UniqueConstraint(
                fields=["need"],
                condition=~Q(phase__in=["closed", "cancelled"]),
                name="procurement_one_open_per_need",
            ),
            models.CheckConstraint(
                condition=Q(agreement_start__isnull=True) | Q(agreement_end__isnull=True)
                | Q(agreement_end__gt=models.F("agreement_start")),
                name="procurement_agreement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return fixed_url("store:procurement_detail", self.pk)

    @property
    def is_public(self) -> bool:
        return self.announced_at is not None

    @property
    def is_open(self) -> bool:
        return self.phase in self.OPEN_PHASES

    @property
    def is_editable(self) -> bool:
        return self.phase in self.EDITABLE_PHASES

    @property
    def offers_sealed(self) -> bool:
        """True until the offer deadline has passed: nobody but the offering vendor sees an offer (PRO-4)."""
        return timezone.now() < self.offer_deadline

    @property
    def intent_open(self) -> bool:
        return self.phase in self.PARTICIPATION_PHASES and timezone.now() < self.intent_deadline

    @property
    def questions_open(self) -> bool:
        now = timezone.now()
        deadline = self.questions_deadline or self.offer_deadline
        return self.phase in self.QUESTION_PHASES and now < deadline and now < self.offer_deadline

    @property
    def offers_open(self) -> bool:
        return self.phase == Phase.COMPETITION and timezone.now() < self.offer_deadline

    def agreement_in_force_on(self, day: date) -> bool:
        return (
            self.phase == Phase.AGREEMENT_ACTIVE
            and self.agreement_start is not None and self.agreement_end is not None
            and self.agreement_start <= day <= self.agreement_end
        )

    @property
    def agreement_in_force(self) -> bool:
        return self.agreement_in_force_on(timezone.localdate())


class ProcurementCriterion(models.Model):
    """A weighted evaluation criterion of a procurement, taken over from the need; weights sum to 100 (PRO-5)."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="procurement_criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"


class Participation(models.Model):
    """A municipality's or county's intent to participate, with its expected volume (PRO-3)."""

    class Status(models.TextChoices):
        DECLARED = "declared", _("Intends to participate")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workflow = Workflow({Status.DECLARED: {Status.WITHDRAWN}, Status.WITHDRAWN: {Status.DECLARED}})

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="procurement_participations",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DECLARED)
    volume = models.PositiveIntegerField(_("expected volume"), validators=[MinValueValidator(1)])
    note = models.TextField(_("note to the lead organisation"), blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["procurement", "organisation"], name="participation_once_per_organisation"),
            models.CheckConstraint(condition=Q(volume__gte=1), name="participation_volume_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.procurement}"

    @property
    def is_declared(self) -> bool:
        return self.status == self.Status.DECLARED


class ProcurementQuestion(models.Model):
    """A vendor's clarification question in the market dialogue; answers are published to all vendors at once,
    with the question as the lead organisation anonymised it (PRO-2, market dialogue)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered, not yet published")
        PUBLISHED = "published", _("Answer published")

    workflow = Workflow({Status.OPEN: {Status.ANSWERED}, Status.ANSWERED: {Status.PUBLISHED}})

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="questions")
    vendor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="procurement_questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("question"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    # What every vendor reads: the question without anything that tells who asked.
    public_text = models.TextField(_("question as published"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number", "created_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "number"], condition=Q(number__isnull=False), name="question_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return (self.public_text or self.text)[:60]


class Offer(models.Model):
    """A qualified vendor's offer: one of its products that is listed or in verification, with prices (PRO-4).

    Sealed until the procurement's offer deadline: only the offering vendor sees it before then.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workflow = Workflow({Status.SUBMITTED: {Status.WITHDRAWN}})

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="offers")
    vendor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="procurement_offers")
    product = models.ForeignKey(
        "verification.Product", on_delete=models.PROTECT, related_name="procurement_offers", verbose_name=_("product")
    )
    declaration_version = models.ForeignKey(
        "verification.DeclarationVersion", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("declaration version offered"),
    )
    price_per_year = models.DecimalField(
        _("fixed price per year (NOK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    price_per_unit = models.DecimalField(
        _("price per unit of volume per year (NOK)"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    description = models.TextField(_("the offer"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by the evaluation services (PRO-5): the weighted total (0–100) and the rank once every offer is scored.
    weighted_total = models.DecimalField(_("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    is_winner = models.BooleanField(_("awarded"), default=False)

    class Meta:
        ordering = ["rank", "submitted_at", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "vendor"], condition=Q(status="submitted"), name="offer_one_per_vendor"
            ),
            models.CheckConstraint(
                condition=Q(price_per_year__gte=0) & Q(price_per_unit__gte=0), name="offer_prices_not_negative"
            ),
        ]

    def __str__(self) -> str:
        # Neutral on purpose: the text lands in audit trails and logs while the offer is sealed.
        return str(_("Offer %(id)s") % {"id": self.pk})

    def get_absolute_url(self) -> str:
        return fixed_url("store:procurement_offer_detail", self.procurement_id, self.pk)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class OfferScore(models.Model):
    """The lead's score (0–10) of one offer on one weighted criterion, with a justification (PRO-5)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ProcurementCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score (0–10)"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    justification = models.TextField(_("justification"))
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["offer", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=10), name="score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}/{self.criterion_id}: {self.score}"


class CallOff(models.Model):
    """A participating organisation's call-off (avrop) of an awarded product under the agreement (PRO-6).

    It creates an adoption of the product in Butikken without the vendor's usual acceptance step.
    """

    procurement = models.ForeignKey(Procurement, on_delete=models.PROTECT, related_name="call_offs")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="call_offs", verbose_name=_("awarded offer"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="procurement_call_offs")
    volume = models.PositiveIntegerField(_("volume"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("in use from"))
    note = models.TextField(_("note"), blank=True)
    adoption = models.OneToOneField(
        "store.Adoption", on_delete=models.PROTECT, null=True, blank=True, related_name="call_off",
        verbose_name=_("adoption"),
    )
    called_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("called off"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("call-off")
        verbose_name_plural = _("call-offs")
        constraints = [
            models.UniqueConstraint(fields=["offer", "organisation"], name="calloff_once_per_product_and_organisation"),
            models.CheckConstraint(condition=Q(volume__gte=1), name="calloff_volume_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ← {self.offer.product}"


class ProcurementNotice(models.Model):
    """A record that the notifications of one event were sent, so that a task delivered twice tells people once."""

    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent procurement notice")
        verbose_name_plural = _("sent procurement notices")

    def __str__(self) -> str:
        return self.key
