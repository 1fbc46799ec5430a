"""Verifikasjon: products, product declarations, verification runs and listing review (VER-1 … VER-7).

Business rules live in `verification/services/products.py`, `runs.py` and `listing.py`; the models hold
fields, constraints and the state tables. The store reads `Listing` (an approved declaration version of a
product) through `verification.selectors.products.listings_active()`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from marketplace.declaration import empty_declaration
from marketplace.links import fixed_url
from marketplace.models import Document, Organisation, ServiceArea
from marketplace.workflow import Workflow

__all__ = [
    "DOCUMENT_KINDS",
    "DOCUMENT_TYPES",
    "LOGO_TYPES",
    "Product",
    "DeclarationVersion",
    "VerificationRun",
    "CheckResult",
    "Listing",
]

# The documents every declaration version must carry (VER-2), and the file types each may have.
DOCUMENT_KINDS = (
    ("dpia", _("DPIA (personvernkonsekvensvurdering)")),
    ("ros", _("Risk assessment (ROS)")),
    ("dpa", _("Data-processing agreement")),
    ("user_docs", _("User documentation")),
)
DOCUMENT_TYPES: dict[str, tuple[str, ...]] = {
    "dpia": ("pdf", "docx", "odt"),
    "ros": ("pdf", "docx", "odt", "xlsx"),
    "dpa": ("pdf", "docx", "odt"),
    "user_docs": ("pdf", "docx", "odt"),
}
LOGO_TYPES = ("png", "jpg")


def _localized(messages: dict | None) -> str:
    """The text for the active language from {"nb": …, "en": …}, falling back to the default language."""
    if not messages:
        return ""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return messages.get(language) or messages.get(settings.LANGUAGE_CODE) or next(iter(messages.values()), "")


class Product(models.Model):
    """An end-user application (sluttbrukerløsning) registered by a qualified vendor (VER-1)."""

    vendor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="products", verbose_name=_("vendor")
    )
    name = models.CharField(_("name"), max_length=120)
    short_description = models.CharField(_("short description"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    logo = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("logo")
    )
    service_areas = models.ManyToManyField(ServiceArea, related_name="products", verbose_name=_("service areas"))
    needs = models.ManyToManyField(
        "innovation.Need", related_name="products", blank=True, verbose_name=_("needs it answers")
    )
    price_model = models.TextField(_("price model"), blank=True)
    website = models.URLField(_("web site"), blank=True)
    # Sandbox endpoints the verification runs check (VER-3); fetched only through verification.safe_http.
    fhir_base_url = models.URLField(_("FHIR base URL (sandbox)"), max_length=500, blank=True)
    oidc_issuer = models.URLField(_("OpenID Connect issuer (sandbox)"), max_length=500, blank=True)
    app_url = models.URLField(_("application URL (sandbox)"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [models.UniqueConstraint(fields=["vendor", "name"], name="product_unique_name_per_vendor")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fixed_url("verification:product_detail", self.pk)


class DeclarationVersion(models.Model):
    """One version of a product's declaration (Produktdeklarasjon, VER-2).

    `content` follows the shared schema in `marketplace.declaration`. A version is frozen when it is
    submitted for verification; every later change is a new version, so that a report always says
    exactly what was checked and the store shows exactly what was approved.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_VERIFICATION = "in_verification", _("In verification")
        VERIFIED = "verified", _("Verified")
        SUBMITTED = "submitted", _("Awaiting listing review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        LISTED = "listed", _("Published")
        SUPERSEDED = "superseded", _("Replaced by a newer version")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workflow = Workflow(
        {
            Status.DRAFT: {Status.IN_VERIFICATION, Status.WITHDRAWN},
            # Runs move a frozen version between these two: the latest run decides.
            Status.IN_VERIFICATION: {Status.VERIFIED, Status.WITHDRAWN},
            Status.VERIFIED: {Status.IN_VERIFICATION, Status.SUBMITTED, Status.WITHDRAWN},
            Status.SUBMITTED: {Status.LISTED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN},
            # After a change request the vendor may run the same version again (e.g. a fixed sandbox).
            Status.CHANGES_REQUESTED: {Status.IN_VERIFICATION, Status.WITHDRAWN},
            Status.LISTED: {Status.SUPERSEDED, Status.WITHDRAWN},
        }
    )
    # A product has at most one version being worked on, and at most one listed version.
    OPEN_STATES = (
        Status.DRAFT, Status.IN_VERIFICATION, Status.VERIFIED, Status.SUBMITTED, Status.CHANGES_REQUESTED,
    )
    # A run may check these (all frozen and not retired).
    RUNNABLE_STATES = (
        Status.IN_VERIFICATION, Status.VERIFIED, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.LISTED,
    )
    CLOSED_STATES = (Status.REJECTED, Status.SUPERSEDED, Status.WITHDRAWN)

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("declaration"), default=empty_declaration, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted for listing"), null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["product", "-number"]
        verbose_name = _("declaration version")
        verbose_name_plural = _("declaration versions")
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="declarationversion_unique_number"),
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(status__in=["draft", "in_verification", "verified", "submitted", "changes_requested"]),
                name="declarationversion_one_open",
            ),
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="listed"), name="declarationversion_one_listed"
            ),
        ]

    def __str__(self) -> str:
        return str(_("%(product)s, version %(number)s") % {"product": self.product.name, "number": self.number})

    def get_absolute_url(self) -> str:
        return fixed_url("verification:version_detail", self.pk)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_runnable(self) -> bool:
        return self.status in self.RUNNABLE_STATES

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES


class VerificationRun(models.Model):
    """One run of the check suite against one frozen declaration version (VER-3).

    The row is the source of truth: the task takes only its id, claims it with a lease (worker_token and
    heartbeat_at), and a reaper ends runs whose worker died.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        ERROR = "error", _("Error")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Started by a person")
        SCHEDULED = "scheduled", _("Scheduled re-verification")

    workflow = Workflow(
        {
            Status.QUEUED: {Status.RUNNING, Status.ERROR},
            Status.RUNNING: {Status.PASSED, Status.FAILED, Status.ERROR},
        }
    )
    ACTIVE_STATES = (Status.QUEUED, Status.RUNNING)
    FINISHED_STATES = (Status.PASSED, Status.FAILED, Status.ERROR)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(DeclarationVersion, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker_token = models.CharField(max_length=64, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    enqueued_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # Why the run ended in error, in every configured language ({"nb": …, "en": …}).
    error_messages = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="verificationrun_reaper_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["version"], condition=Q(status__in=["queued", "running"]), name="verificationrun_one_active"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Verification run %(id)s of %(version)s") % {"id": self.pk, "version": self.version})

    def get_absolute_url(self) -> str:
        return fixed_url("verification:run_report", self.uuid)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATES

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATES

    @property
    def error_reason(self) -> str:
        return _localized(self.error_messages)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None


class CheckResult(models.Model):
    """The outcome of one check in one run: written once, even if the task is delivered twice (VER-3)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        PASS = "pass", _("Pass")
        WARN = "warn", _("Warning")
        FAIL = "fail", _("Fail")
        ERROR = "error", _("Error")
        SKIPPED = "skipped", _("Skipped")

    OPEN_STATES = (Status.PENDING, Status.RUNNING)
    FINAL_STATES = (Status.PASS, Status.WARN, Status.FAIL, Status.ERROR, Status.SKIPPED)
    # Outcomes that satisfy a mandatory check.
    ACCEPTED_STATES = (Status.PASS, Status.WARN)

    run = models.ForeignKey(VerificationRun, on_delete=models.CASCADE, related_name="results")
    check_id = models.CharField(_("check"), max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    status = models.CharField(_("outcome"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # The message in every configured language ({"nb": …, "en": …}), rendered when the check ran.
    messages = models.JSONField(default=dict, blank=True)
    # What the check did: HTTP exchanges (request, status, headers, bounded body excerpt), notes, findings.
    evidence = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # Of duration_ms, the time spent waiting for the network (the rest is our own overhead).
    network_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["run", "order", "id"]
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        constraints = [models.UniqueConstraint(fields=["run", "check_id"], name="checkresult_once_per_run")]

    def __str__(self) -> str:
        return f"{self.check_id}: {self.status}"

    @property
    def message(self) -> str:
        return _localized(self.messages)

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATES

    @property
    def is_accepted(self) -> bool:
        return self.status in self.ACCEPTED_STATES


class ListingQuerySet(models.QuerySet):
    def active(self) -> "ListingQuerySet":
        """Listings the store shows: listed, or listed and under remediation (marked)."""
        return self.filter(status__in=Listing.ACTIVE_STATES)


class Listing(models.Model):
    """A product approved for the store, with the declaration version that was approved (VER-5, VER-6).

    The store shows active listings with `version` (the listed version) until a newer version is approved.
    A regression found by re-verification marks the listing "under utbedring" until a later run passes.
    """

    class Status(models.TextChoices):
        LISTED = "listed", _("Listed")
        UNDER_REMEDIATION = "under_remediation", _("Under utbedring")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workflow = Workflow(
        {
            Status.LISTED: {Status.UNDER_REMEDIATION, Status.WITHDRAWN},
            Status.UNDER_REMEDIATION: {Status.LISTED, Status.WITHDRAWN},
            Status.WITHDRAWN: {Status.LISTED},
        }
    )
    ACTIVE_STATES = (Status.LISTED, Status.UNDER_REMEDIATION)

    product = models.OneToOneField(Product, on_delete=models.PROTECT, related_name="listing")
    version = models.ForeignKey(
        DeclarationVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("listed version")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LISTED, db_index=True)
    listed_at = models.DateTimeField(_("first listed"))
    version_listed_at = models.DateTimeField(_("this version listed"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The latest finished run of the listed version: the store links its report.
    last_run = models.ForeignKey(
        VerificationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    remediation_since = models.DateTimeField(_("under utbedring since"), null=True, blank=True)
    # What regressed, in every configured language ({"nb": …, "en": …}).
    remediation_messages = models.JSONField(default=dict, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-version_listed_at", "-id"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")

    def __str__(self) -> str:
        return str(self.product)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATES

    @property
    def is_under_remediation(self) -> bool:
        return self.status == self.Status.UNDER_REMEDIATION

    @property
    def remediation_reason(self) -> str:
        return _localized(self.remediation_messages)
