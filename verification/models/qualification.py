"""Kvalifisering: criteria, applications, reviews and qualifications of vendors (QUA-1 … QUA-6).

Business rules live in `verification/services/qualification.py`; the models hold fields, constraints,
state tables and the pure assessment of one answer against its criterion's rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from marketplace.links import fixed_url
from marketplace.models import Organisation
from marketplace.workflow import Workflow

__all__ = [
    "Outcome",
    "Assessment",
    "CriterionSet",
    "Criterion",
    "QualificationApplication",
    "QualificationAnswer",
    "ReviewComment",
    "Qualification",
    "QualificationReminder",
    "add_months",
]


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the last day of a shorter month."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Outcome(models.TextChoices):
    """What the automatic assessment says about one answer (QUA-1)."""

    PASS = "pass", _("Passes")
    FAIL = "fail", _("Fails")
    JUDGEMENT = "judgement", _("Reviewer's judgement")
    UNANSWERED = "unanswered", _("Not answered")


@dataclass(frozen=True)
class Assessment:
    outcome: str
    explanation: str | Promise = ""

    @property
    def label(self) -> str:
        return str(Outcome(self.outcome).label)


class CriterionSet(models.Model):
    """One version of the qualification criteria; only one version is active at a time (QUA-1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    workflow = Workflow({Status.DRAFT: {Status.ACTIVE}, Status.ACTIVE: {Status.RETIRED}})

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("criterion set")
        verbose_name_plural = _("criterion sets")
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="criterionset_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    def get_absolute_url(self) -> str:
        return fixed_url("verification:criterion_set_detail", self.pk)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Criterion(models.Model):
    """One requirement a vendor answers, with its answer type, evidence and assessment rule (QUA-1)."""

    class AnswerType(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Text")
        DATE = "date", _("Date")

    criterion_set = models.ForeignKey(CriterionSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_(
            "A short stable key. Keep it across versions: answers to the same code are offered for reuse."
        ),
    )
    section = models.CharField(
        _("section"), max_length=120, help_text=_("Criteria with the same section are answered on one page.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("criterion"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=10, choices=AnswerType.choices)
    evidence_required = models.BooleanField(_("evidence document required"), default=False)
    evidence_valid_months = models.PositiveSmallIntegerField(
        _("evidence valid for (months)"),
        null=True,
        blank=True,
        help_text=_(
            "On requalification, evidence older than this must be renewed. Empty: it does not go stale."
        ),
    )
    rule_yes = models.CharField(
        _("when the answer is yes"),
        max_length=10,
        default=Outcome.PASS,
        choices=[
            (Outcome.PASS, Outcome.PASS.label),
            (Outcome.FAIL, Outcome.FAIL.label),
            (Outcome.JUDGEMENT, Outcome.JUDGEMENT.label),
        ],
    )
    rule_no = models.CharField(
        _("when the answer is no"),
        max_length=10,
        default=Outcome.FAIL,
        choices=[
            (Outcome.PASS, Outcome.PASS.label),
            (Outcome.FAIL, Outcome.FAIL.label),
            (Outcome.JUDGEMENT, Outcome.JUDGEMENT.label),
        ],
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("date passes when younger than (months)"),
        null=True,
        blank=True,
        help_text=_(
            "For date answers: a date this many months old or older fails, as does a date in the future. "
            "Empty: the reviewer judges the date."
        ),
    )

    class Meta:
        ordering = ["criterion_set", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["criterion_set", "code"], name="criterion_unique_code"),
        ]

    def __str__(self) -> str:
        return self.text

    def assess(self, answer: "QualificationAnswer | None", *, on: date) -> Assessment:
        """The automatic assessment of `answer` on day `on`: pass, fail, judgement or unanswered."""
        if answer is None or not answer.has_value:
            return Assessment(Outcome.UNANSWERED, _("Not answered yet."))
        if self.answer_type == self.AnswerType.YES_NO:
            if answer.value_bool:
                return Assessment(self.rule_yes, _("Answered yes."))
            return Assessment(self.rule_no, _("Answered no."))
        if self.answer_type == self.AnswerType.DATE:
            if self.max_age_months is None:
                return Assessment(Outcome.JUDGEMENT, _("The reviewer judges the date."))
            if answer.value_date > on:
                return Assessment(Outcome.FAIL, _("The date is in the future."))
            limit = add_months(on, -self.max_age_months)
            if answer.value_date <= limit:
                return Assessment(
                    Outcome.FAIL,
                    _("The date is %(months)s months old or older (on or before %(limit)s).")
                    % {"months": self.max_age_months, "limit": limit.strftime("%d.%m.%Y")},
                )
            return Assessment(
                Outcome.PASS,
                _("The date is less than %(months)s months old.") % {"months": self.max_age_months},
            )
        return Assessment(Outcome.JUDGEMENT)  # the rule summary says the reviewer judges it

    @property
    def rule_summary(self) -> str:
        """The rule in words, for vendors and reviewers."""
        if self.answer_type == self.AnswerType.YES_NO:
            return str(
                _("Yes: %(yes)s. No: %(no)s.")
                % {
                    "yes": str(Outcome(self.rule_yes).label).lower(),
                    "no": str(Outcome(self.rule_no).label).lower(),
                }
            )
        if self.answer_type == self.AnswerType.DATE:
            if self.max_age_months is None:
                return str(_("The reviewer judges the date."))
            return str(
                _("Passes when the date is less than %(months)s months old; otherwise fails.")
                % {"months": self.max_age_months}
            )
        return str(_("The reviewer judges the answer."))


class QualificationApplication(models.Model):
    """A vendor's application to be qualified, pinned to the criterion set version it answers (QUA-2/3)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        QUALIFIED = "qualified", _("Qualified")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workflow = Workflow(
        {
            Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
            Status.SUBMITTED: {Status.IN_REVIEW},
            Status.IN_REVIEW: {Status.CHANGES_REQUESTED, Status.QUALIFIED, Status.REJECTED},
            Status.CHANGES_REQUESTED: {Status.RESUBMITTED, Status.WITHDRAWN},
            Status.RESUBMITTED: {Status.IN_REVIEW},
        }
    )
    OPEN_STATES = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.RESUBMITTED,
    )
    EDITABLE_STATES = (Status.DRAFT, Status.CHANGES_REQUESTED)
    WAITING_STATES = (Status.SUBMITTED, Status.IN_REVIEW, Status.RESUBMITTED)
    DECIDED_STATES = (Status.QUALIFIED, Status.REJECTED)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="qualification_applications"
    )
    criterion_set = models.ForeignKey(CriterionSet, on_delete=models.PROTECT, related_name="applications")
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous application"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # Company details (the first section of the application).
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    org_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    address = models.CharField(_("business address"), max_length=300, blank=True)
    website = models.URLField(_("web site"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)

    review_round = models.PositiveSmallIntegerField(default=0, editable=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    changes_requested_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    COMPANY_FIELDS = (
        "company_name",
        "org_number",
        "address",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
    )
    REQUIRED_COMPANY_FIELDS = ("company_name", "org_number", "address", "contact_name", "contact_email")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("qualification application")
        verbose_name_plural = _("qualification applications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(
                    status__in=["draft", "submitted", "in_review", "changes_requested", "resubmitted"]
                ),
                name="qualificationapplication_one_open",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Qualification application %(number)s from %(organisation)s")
            % {"number": self.pk, "organisation": self.organisation.name}
        )

    def get_absolute_url(self) -> str:
        return fixed_url("verification:application_detail", self.pk)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED_STATES

    @property
    def assessment_date(self) -> date:
        """Dates are judged as of submission; drafts as of today."""
        from django.utils import timezone

        if self.submitted_at and not self.is_editable:
            return timezone.localtime(self.submitted_at).date()
        return timezone.localdate()


class QualificationAnswer(models.Model):
    """The answer to one criterion; evidence documents belong to it (marketplace.Document)."""

    application = models.ForeignKey(
        QualificationApplication, on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    value_bool = models.BooleanField(null=True, blank=True)
    value_text = models.TextField(blank=True)
    value_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.UNANSWERED)
    reused_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence_needs_renewal = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="qualificationanswer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.criterion.code}"

    @property
    def has_value(self) -> bool:
        kind = self.criterion.answer_type
        if kind == Criterion.AnswerType.YES_NO:
            return self.value_bool is not None
        if kind == Criterion.AnswerType.DATE:
            return self.value_date is not None
        return bool(self.value_text.strip())

    @property
    def display_value(self) -> str:
        kind = self.criterion.answer_type
        if not self.has_value:
            return ""
        if kind == Criterion.AnswerType.YES_NO:
            return str(_("Yes") if self.value_bool else _("No"))
        if kind == Criterion.AnswerType.DATE:
            return self.value_date.strftime("%d.%m.%Y")
        return self.value_text


class ReviewComment(models.Model):
    """A reviewer's comment on one criterion in one review round; the applicant sees it (QUA-3)."""

    application = models.ForeignKey(
        QualificationApplication, on_delete=models.CASCADE, related_name="comments"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    review_round = models.PositiveSmallIntegerField()
    text = models.TextField(_("comment"))
    requires_change = models.BooleanField(_("must be changed"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review_round", "created_at", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "review_round"], name="reviewcomment_one_per_round"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Qualification(models.Model):
    """A vendor's qualification: from the decision until it expires, is revoked or superseded (QUA-4)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Qualified")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Renewed")

    workflow = Workflow({Status.ACTIVE: {Status.EXPIRED, Status.REVOKED, Status.SUPERSEDED}})

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="qualifications")
    application = models.OneToOneField(
        QualificationApplication, on_delete=models.PROTECT, related_name="qualification"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    qualified_on = models.DateField(_("qualified on"))
    expires_on = models.DateField(_("expires on"), db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-qualified_on", "-id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(status="active"), name="qualification_one_active"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("qualified_on")), name="qualification_expires_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.qualified_on:%d.%m.%Y}–{self.expires_on:%d.%m.%Y}"

    def is_valid_on(self, day: date) -> bool:
        return self.status == self.Status.ACTIVE and day < self.expires_on

    @property
    def is_valid(self) -> bool:
        from django.utils import timezone

        return self.is_valid_on(timezone.localdate())

    @property
    def days_left(self) -> int:
        from django.utils import timezone

        return (self.expires_on - timezone.localdate()).days


class QualificationReminder(models.Model):
    """A record that an expiry reminder was sent, so that the scheduled task never sends one twice (QUA-4)."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["qualification", "days_before"], name="qualificationreminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qualification_id}: {self.days_before}"
