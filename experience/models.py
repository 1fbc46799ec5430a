"""Erfaringsarena: experiences, their edit history, ratings, the conversation around them and moderation
(EXP-1 … EXP-5). Business rules live in services/, not here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innovation.search import SearchGinIndex
from marketplace.links import fixed_url
from marketplace.models import Organisation, ServiceArea
from marketplace.workflow import Workflow


class Topic(models.TextChoices):
    """What an experience is about (EXP-1), after the source's "innovasjonsarbeid, felles
    forhåndsanskaffelse, butikken, implementering"."""

    PRODUCT = "product", _("A product in use")
    IMPLEMENTATION = "implementation", _("Implementing a product")
    NEED = "need", _("A need or innovation work")
    PROCUREMENT = "procurement", _("A joint procurement")


# Topics that are about one product, and those about one need.
PRODUCT_TOPICS = (Topic.PRODUCT, Topic.IMPLEMENTATION)
NEED_TOPICS = (Topic.NEED,)
PROCUREMENT_TOPICS = (Topic.PROCUREMENT,)


class SizeBand(models.TextChoices):
    """Organisation size in inhabitants, for filtering (EXP-5). Bounds are in SIZE_BOUNDS."""

    XS = "xs", _("Under 5,000 inhabitants")
    S = "s", _("5,000–19,999 inhabitants")
    M = "m", _("20,000–49,999 inhabitants")
    L = "l", _("50,000–99,999 inhabitants")
    XL = "xl", _("100,000 inhabitants or more")


# Lower bound inclusive, upper bound exclusive (None: open).
SIZE_BOUNDS: dict[str, tuple[int, int | None]] = {
    SizeBand.XS: (0, 5_000),
    SizeBand.S: (5_000, 20_000),
    SizeBand.M: (20_000, 50_000),
    SizeBand.L: (50_000, 100_000),
    SizeBand.XL: (100_000, None),
}


def size_band_for(inhabitants: int | None) -> str:
    if inhabitants is None:
        return ""
    for band, (low, high) in SIZE_BOUNDS.items():
        if inhabitants >= low and (high is None or inhabitants < high):
            return band
    return ""


class ReportReason(models.TextChoices):
    """Why someone reports an experience or a comment (EXP-4)."""

    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or harassing")
    OFF_TOPIC = "off_topic", _("Does not belong here")
    HEALTH_DATA = "health_data", _("Contains personal health information")


class ExperienceQuerySet(models.QuerySet):
    def published(self) -> ExperienceQuerySet:
        """What everybody may read: published and not hidden by a moderator."""
        return self.filter(status=Experience.Status.PUBLISHED)


class Experience(models.Model):
    """One organisation's experience, written by one person, about a product, a need, a joint
    procurement or an implementation (EXP-1)."""

    Topic = Topic

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by a moderator")

    # A draft is published once; a moderator hides a published experience and may restore it.
    workflow = Workflow(
        {
            Status.DRAFT: {Status.PUBLISHED},
            Status.PUBLISHED: {Status.HIDDEN},
            Status.HIDDEN: {Status.PUBLISHED},
        }
    )

    topic = models.CharField(
        _("what it is about"), max_length=20, choices=Topic.choices, default=Topic.PRODUCT
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="experiences", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    product = models.ForeignKey(
        "verification.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiences",
        verbose_name=_("product"),
    )
    need = models.ForeignKey(
        "innovation.Need",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiences",
        verbose_name=_("need"),
    )
    procurement = models.ForeignKey(
        "store.Procurement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiences",
        verbose_name=_("joint procurement"),
    )
    # Structured context: where and at what scale this was learnt.
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiences",
        verbose_name=_("service area"),
    )
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"),
        null=True,
        blank=True,
        help_text=_("The organisation's size when the experience was published."),
    )
    title = models.CharField(_("title"), max_length=200)
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    advice = models.TextField(_("advice to others"), blank=True)
    effort = models.TextField(_("effort"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    # The number of the latest published version (0 while a draft).
    version = models.PositiveIntegerField(_("version"), default=0)
    # Kept right by the services (recounted from the rows), so that lists sort without joins.
    useful_count = models.PositiveIntegerField(_("marked useful"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # Kept up to date by the services on PostgreSQL (Norwegian configuration); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        indexes = [
            SearchGinIndex(fields=["search_vector"], name="experience_search_gin"),
            models.Index(fields=["status", "-published_at"], name="experience_newest_idx"),
            models.Index(fields=["status", "-useful_count"], name="experience_useful_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(topic__in=["product", "implementation"]) | Q(product__isnull=False),
                name="experience_product_topic_has_product",
            ),
            models.CheckConstraint(
                condition=~Q(topic="need") | Q(need__isnull=False), name="experience_need_topic_has_need"
            ),
            models.CheckConstraint(
                condition=~Q(topic="procurement") | Q(procurement__isnull=False),
                name="experience_procurement_topic_has_procurement",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return fixed_url("experience:detail", self.pk)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN

    @property
    def size_band(self) -> str:
        return size_band_for(self.inhabitants)

    @property
    def size_label(self) -> str:
        band = self.size_band
        return str(SizeBand(band).label) if band else ""

    @property
    def subject(self):
        """The product, need or joint procurement the experience is about."""
        if self.topic in PRODUCT_TOPICS:
            return self.product
        if self.topic in NEED_TOPICS:
            return self.need
        return self.procurement


class ExperienceVersion(models.Model):
    """The content of an experience as published, one row per publication or edit (EXP-1 history)."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    advice = models.TextField(_("advice to others"), blank=True)
    effort = models.TextField(_("effort"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    CONTENT_FIELDS = ("title", "what_worked", "what_did_not", "advice", "effort", "timeline")

    class Meta:
        ordering = ["experience", "-number"]
        verbose_name = _("experience version")
        verbose_name_plural = _("experience versions")
        constraints = [
            models.UniqueConstraint(fields=["experience", "number"], name="experienceversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Rating(models.Model):
    """An organisation's rating (1–5) of a product it uses; one per organisation and product (EXP-2)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="product_ratings")
    product = models.ForeignKey("verification.Product", on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("rating"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "product"], name="rating_once_per_organisation"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.product} {self.score}/5"


class Comment(models.Model):
    """A comment on an experience, or the product vendor's one reply (EXP-3)."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a moderator")

    workflow = Workflow({Status.VISIBLE: {Status.HIDDEN}, Status.HIDDEN: {Status.VISIBLE}})

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"))
    is_vendor_reply = models.BooleanField(_("the vendor's reply"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VISIBLE)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            # The vendor replies once, even when the reply was later hidden (EXP-3).
            models.UniqueConstraint(
                fields=["experience"], condition=Q(is_vendor_reply=True), name="comment_one_vendor_reply"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return fixed_url("experience:detail", self.experience_id) + f"#comment-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN


class UsefulMark(models.Model):
    """A person's "nyttig" mark on an experience (EXP-3)."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("useful mark")
        verbose_name_plural = _("useful marks")
        constraints = [
            models.UniqueConstraint(fields=["experience", "user"], name="usefulmark_once_per_person")
        ]


class Follow(models.Model):
    """A person who follows an experience and is told of comments, the vendor's reply and edits (EXP-3)."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experience_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["experience", "user"], name="experience_follow_unique")
        ]


class Report(models.Model):
    """Someone's report of an experience or a comment, and the moderator's decision (EXP-4)."""

    Reason = ReportReason

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    workflow = Workflow({Status.OPEN: {Status.UPHELD, Status.DISMISSED}})

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    note = models.TextField(_("what is wrong"), blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=(Q(experience__isnull=False) & Q(comment__isnull=True))
                | (Q(experience__isnull=True) & Q(comment__isnull=False)),
                name="report_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "experience"],
                condition=Q(experience__isnull=False),
                name="report_once_per_person_experience",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="report_once_per_person_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self):
        return self.experience if self.experience_id else self.comment


class Notice(models.Model):
    """A record that the notifications of one event were sent, so a task delivered twice tells people once."""

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")

    def __str__(self) -> str:
        return self.key
