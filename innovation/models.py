"""Innovasjonsarena: needs, their core teams, involvement, readiness, evaluation criteria and discussion
(INN-1 … INN-12). Business rules live in services/, not here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.links import fixed_url
from marketplace.models import Organisation, ServiceArea
from marketplace.workflow import Workflow

from .search import SearchGinIndex


class Stage(models.TextChoices):
    """The stages of a need (INN-3), in the order of the source."""

    IDEA = "idea", _("Idea")
    PRIORITISATION = "prioritisation", _("Prioritisation")
    EVALUATION_CRITERIA = "evaluation_criteria", _("Evaluation criteria")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


STAGE_ORDER = [Stage.IDEA, Stage.PRIORITISATION, Stage.EVALUATION_CRITERIA, Stage.PUBLISHED, Stage.ARCHIVED]
PUBLIC_STAGES = (Stage.PUBLISHED, Stage.ARCHIVED)


class Need(models.Model):
    """A behovsbeskrivelse: what an organisation needs, worked on by a core team (INN-2)."""

    Stage = Stage

    # Forward one step at a time; sensible steps back; archive from anywhere; archived is final.
    workflow = Workflow(
        {
            Stage.IDEA: {Stage.PRIORITISATION, Stage.ARCHIVED},
            Stage.PRIORITISATION: {Stage.IDEA, Stage.EVALUATION_CRITERIA, Stage.ARCHIVED},
            Stage.EVALUATION_CRITERIA: {Stage.PRIORITISATION, Stage.PUBLISHED, Stage.ARCHIVED},
            Stage.PUBLISHED: {Stage.EVALUATION_CRITERIA, Stage.ARCHIVED},
        },
        field="stage",
    )

    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_needs",
        verbose_name=_("owner organisation"),
    )
    service_areas = models.ManyToManyField(ServiceArea, related_name="needs", verbose_name=_("service areas"))
    summary = models.TextField(_("summary"))
    # The user story (brukerhistorie).
    problem_today = models.TextField(_("the problem today"), blank=True)
    desired_situation = models.TextField(_("the desired situation when solved"), blank=True)
    systems_involved = models.TextField(_("systems involved"), blank=True)
    professions_involved = models.TextField(_("service areas and professions involved"), blank=True)
    goals = models.JSONField(_("goals"), default=list, blank=True)
    desired_declaration = models.JSONField(_("desired product declaration"), default=dict, blank=True)
    stage = models.CharField(
        _("stage"), max_length=24, choices=Stage.choices, default=Stage.IDEA, db_index=True
    )
    # Before publication a need is seen by its core team only, unless the owner opens it to the other
    # participants so that they can find it and ask to join ("legge ut ideer og behov for andre deltagere").
    shared = models.BooleanField(
        _("open to other participants"),
        default=False,
        help_text=_(
            "Before it is published, let logged-in participants find the need and ask to join. Published "
            "needs are open to everyone."
        ),
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("retired in favour of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date by the services on PostgreSQL (Norwegian configuration); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [SearchGinIndex(fields=["search_vector"], name="need_search_gin")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(replaced_by=models.F("id")), name="need_not_replaced_by_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return fixed_url("innovation:need_detail", self.pk)

    @property
    def is_public(self) -> bool:
        return self.stage in PUBLIC_STAGES

    @property
    def is_archived(self) -> bool:
        return self.stage == Stage.ARCHIVED


class Collaboration(models.Model):
    """An organisation's way into a need's core team (kjerneteam), and the answer (INN-4).

    Either the organisation asks to join (a request, answered by the owner) or the owner asks the organisation
    to collaborate (an invitation, answered by the invited organisation). Until a need is published only the
    core team and invited organisations can see it, so invitations are how early work gets company.
    """

    class Kind(models.TextChoices):
        REQUEST = "request", _("Asked to join")
        INVITATION = "invitation", _("Invited by the owner")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("In the core team")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    workflow = Workflow(
        {
            Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
            Status.ACCEPTED: {Status.ENDED},
        }
    )

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="collaborations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="need_collaborations"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REQUEST)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("collaboration request")
        verbose_name_plural = _("collaboration requests")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "organisation"],
                condition=Q(status__in=["pending", "accepted"]),
                name="collaboration_one_open_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.need}"

    @property
    def is_invitation(self) -> bool:
        return self.kind == self.Kind.INVITATION


class InterestedVendor(models.Model):
    """A vendor organisation that has registered interest in a published need (INN-6)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="interested_vendors")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="need_interests")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note to the core team"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("interested vendor")
        verbose_name_plural = _("interested vendors")
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="interested_vendor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ♥ {self.need}"


class Follow(models.Model):
    """A person who follows a need and is told of its changes (INN-10)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="follow_unique")]


class InvolvementStep(models.TextChoices):
    """The four involvement steps of the source (INN-5)."""

    CORE_TEAM = "core_team", _("1 Core team")
    HEALTH_PERSONNEL = "health_personnel", _("2 Health personnel, relatives and patients")
    VENDORS = "vendors", _("3 Interested application vendors")
    INFORMATION_MANAGEMENT = "information_management", _("4 FKJ information management")


class InvolvementEntry(models.Model):
    """One involvement activity: a workshop, interview or meeting in one of the four steps (INN-5)."""

    Step = InvolvementStep

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="involvement_entries")
    step = models.CharField(_("involvement step"), max_length=24, choices=InvolvementStep.choices)
    date = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"))
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["step", "-date", "-id"]
        verbose_name = _("involvement entry")
        verbose_name_plural = _("involvement entries")

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return fixed_url("innovation:need_involvement", self.need_id) + f"#entry-{self.pk}"


class ChecklistItem(models.Model):
    """One item of the readiness checklist (INN-7); every item must be ticked before publishing."""

    class Code(models.TextChoices):
        LAWS = "laws", _("Lov og forskrift ok")
        NATIONAL_INITIATIVES = "national_initiatives", _("Nasjonale initiativ?")
        ANCHORED = "anchored", _("Behov er forankret")
        ESTIMATE = "estimate", _("Estimerer")
        CUSTOM = "custom", _("Other item")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="checklist_items")
    code = models.CharField(max_length=24, choices=Code.choices)
    label = models.CharField(
        _("item"), max_length=200, blank=True, help_text=_("Only for items the core team adds.")
    )
    order = models.PositiveSmallIntegerField(default=0)
    checked = models.BooleanField(_("ticked"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "code"], condition=~Q(code="custom"), name="checklist_standard_once"
            ),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label if self.code == self.Code.CUSTOM else str(self.Code(self.code).label)


class EvaluationCriterion(models.Model):
    """A weighted evaluation criterion; a need's weights sum to 100 (INN-8)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="criteria")
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
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"


class Comment(models.Model):
    """A post in a need's discussion thread (INN-10)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class Notice(models.Model):
    """A record that the notifications of one event were sent, so a task delivered twice tells people once."""

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")

    def __str__(self) -> str:
        return self.key
