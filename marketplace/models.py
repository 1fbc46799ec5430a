"""The core every arena stands on: people, organisations, service areas, Vilkår, audit,
notifications and documents. Business rules live in services.py, not here."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .links import fixed_url
from .validators import county_for_municipality_number, validate_municipality_number, validate_org_number
from .workflow import Workflow


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person; logs in with e-mail and acts for one of their organisations at a time."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nb")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.first_name or self.email.split("@")[0]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        COUNTY = "county", _("County")
        VENDOR = "vendor", _("Vendor")
        NATIONAL = "national", _("National actor")
        INTEREST = "interest", _("Interest organisation")
        OPERATOR = "operator", _("Operator")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    org_number = models.CharField(_("organisation number"), max_length=9, unique=True, validators=[validate_org_number])
    municipality_number = models.CharField(
        _("kommunenummer"), max_length=4, blank=True, validators=[validate_municipality_number]
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    website = models.URLField(_("web site"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_number"],
                condition=~Q(municipality_number=""),
                name="organisation_unique_municipality_number",
            ),
            models.CheckConstraint(
                condition=~Q(kind="municipality") | ~Q(municipality_number=""),
                name="organisation_municipality_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fixed_url("marketplace:organisation_detail", self.slug)

    @property
    def county(self) -> str:
        return county_for_municipality_number(self.municipality_number)

    @property
    def is_operator(self) -> bool:
        return self.kind == self.Kind.OPERATOR

    @property
    def is_vendor(self) -> bool:
        return self.kind == self.Kind.VENDOR

    @property
    def is_municipal(self) -> bool:
        return self.kind in (self.Kind.MUNICIPALITY, self.Kind.COUNTY)


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Organisation admin")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    workflow = Workflow(
        {
            Status.PENDING: {Status.ACCEPTED, Status.REVOKED, Status.EXPIRED},
        }
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], condition=Q(status="pending"), name="invitation_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Category(models.Model):
    """A group of service areas in the store and the innovation arena (INN-1)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class ServiceArea(models.Model):
    """A tjenesteområde: needs and products belong to one or more (INN-1)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="service_areas")
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category__order", "order", "name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Terms(models.Model):
    """One version of the Vilkår for an audience; a published version never changes (TRM-1)."""

    class Audience(models.TextChoices):
        ALL = "all", _("All participants")
        VENDORS = "vendors", _("Vendors")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    workflow = Workflow({Status.DRAFT: {Status.PUBLISHED}})

    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    changes = models.TextField(_("what changed (Markdown)"), blank=True)
    effective_from = models.DateField(_("effective from"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audience", "-effective_from", "-id"]
        verbose_name = _("terms version")
        verbose_name_plural = _("terms versions")
        constraints = [models.UniqueConstraint(fields=["audience", "version"], name="terms_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    def get_absolute_url(self) -> str:
        return fixed_url("marketplace:terms_detail", self.pk)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class TermsAcceptance(models.Model):
    """Who accepted which terms version for which organisation, and when (TRM-2)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="terms_acceptances")
    terms = models.ForeignKey(Terms, on_delete=models.PROTECT, related_name="acceptances")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        constraints = [models.UniqueConstraint(fields=["organisation", "terms"], name="terms_acceptance_unique")]


class AuditEvent(models.Model):
    """One state change or decision, with who, for whom, when, before/after and why (X-4)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    target = GenericForeignKey("target_type", "target_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"], name="audit_target_idx")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_repr}"


class Notification(models.Model):
    """An in-app notification; e-mail follows through a task when the person wants it (X-3)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's choice of e-mail for one kind of notification; absent means e-mail on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=60)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]


def document_upload_to(instance: "Document", filename: str) -> str:
    # Stored under a generated name: the uploader's file name is kept only as metadata.
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Document(models.Model):
    """An uploaded file that belongs to an object; served only through a permission-checking view (X-5)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=200, blank=True)
    kind = models.CharField(_("document type"), max_length=40, blank=True)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="document_owner_idx")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title or self.original_name

    def get_absolute_url(self) -> str:
        return fixed_url("marketplace:document_download", self.uuid)
