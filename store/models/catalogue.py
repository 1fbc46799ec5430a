"""Butikken: store entries, shortlists and adoption (STO-1 … STO-6).

`StoreEntry` is the store's read model of one listed product: the search document, the facet values
taken from the approved declaration, and denormalised figures that later arenas keep up to date through
store services only (usage count from adoptions here, ratings from Erfaringsarena, the "felleskjøpt"
agreement period from Felleskjøp). Business rules live in `store/services/catalogue.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovation.search import SearchGinIndex
from marketplace.links import fixed_url
from marketplace.models import Organisation
from marketplace.workflow import Workflow

__all__ = ["StoreEntry", "StoreFacet", "Shortlist", "ShortlistItem", "Adoption"]


class StoreEntry(models.Model):
    """The store's view of one product: search document, facets and figures other arenas maintain.

    Written only by `store.services.catalogue` (entry refresh, `store_entry_set_rating`,
    `store_entry_set_procured`, the adoption services). One row per product that is or was listed.
    """

    product = models.OneToOneField(
        "verification.Product",
        on_delete=models.CASCADE,
        related_name="store_entry",
        verbose_name=_("product"),
    )
    listing = models.OneToOneField(
        "verification.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="store_entry",
        verbose_name=_("listing"),
    )
    # The declaration version the search document and facets were built from.
    indexed_version = models.ForeignKey(
        "verification.DeclarationVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The search document, lower-cased, by weight: A name, B short description, C description and declaration,
    # D vendor and service areas. PostgreSQL searches `search_vector` (GIN); SQLite searches these texts.
    search_a = models.TextField(blank=True, editable=False)
    search_b = models.TextField(blank=True, editable=False)
    search_c = models.TextField(blank=True, editable=False)
    search_d = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Name and short description only: small enough to rank thousands of matches quickly.
    search_rank_vector = SearchVectorField(null=True, editable=False)
    # The listing page's document of Verifikasjon's product (store.page): built with the search document.
    page = models.JSONField(default=dict, blank=True, editable=False)
    # Adoption: the number of organisations with an active adoption ("Brukes av N kommuner").
    usage_count = models.PositiveIntegerField(_("organisations using it"), default=0)
    # Erfaringsarena keeps these up to date through store_entry_set_rating().
    rating_average = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    # Erfaringsarena keeps this up to date through store_entry_set_experience_count(): published experiences
    # about the product (the listing page asks for them only when there are any).
    experience_count = models.PositiveIntegerField(_("number of experiences"), default=0)
    # Felleskjøp keeps these up to date through store_entry_set_procured() / store_entry_clear_procured().
    procured_until = models.DateField(_("joint-procurement agreement until"), null=True, blank=True)
    procurement_label = models.CharField(_("joint-procurement agreement"), max_length=200, blank=True)
    procurement_url = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("store entry")
        verbose_name_plural = _("store entries")
        indexes = [
            SearchGinIndex(fields=["search_vector"], name="storeentry_search_gin"),
            models.Index(fields=["-usage_count"], name="storeentry_usage_idx"),
        ]

    def __str__(self) -> str:
        return self.search_a or str(self.product_id)

    def get_absolute_url(self) -> str:
        return fixed_url("store:listing", self.product_id)

    @property
    def is_procured(self) -> bool:
        """Felleskjøpt: an active joint-procurement agreement covers the product (PRO-6)."""
        return self.procured_until is not None and self.procured_until >= timezone.localdate()


class StoreFacet(models.Model):
    """One filterable value of an entry: category, service area, vendor, or a declaration value
    (national solution, FHIR resource, terminology, data location). One table serves every facet, so
    that filters are EXISTS subqueries and all facet counts come from one grouped query."""

    entry = models.ForeignKey(StoreEntry, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=60)
    value = models.CharField(max_length=120)

    class Meta:
        verbose_name = _("store facet")
        verbose_name_plural = _("store facets")
        constraints = [models.UniqueConstraint(fields=["entry", "kind", "value"], name="storefacet_unique")]
        indexes = [models.Index(fields=["kind", "value", "entry"], name="storefacet_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"


class Shortlist(models.Model):
    """A named list an organisation keeps: a saved search, a set of products, or both (STO-3, STO-6)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="store_shortlists",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("note"), blank=True)
    # The saved search as a canonical query string (the store's search URL without "?").
    search_query = models.CharField(_("saved search"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="shortlist_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fixed_url("store:shortlist_detail", self.pk)

    @property
    def search_url(self) -> str:
        return f"{reverse('store:search')}?{self.search_query}" if self.search_query else ""


class ShortlistItem(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("verification.Product", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("shortlist item")
        verbose_name_plural = _("shortlist items")
        constraints = [models.UniqueConstraint(fields=["shortlist", "product"], name="shortlistitem_unique")]

    def __str__(self) -> str:
        return f"{self.shortlist_id}: {self.product_id}"


class Adoption(models.Model):
    """Ta i bruk: an organisation takes a listed product into use (STO-5).

    A municipality's (or county's) organisation admin requests; the vendor's admin accepts with a start
    date or declines; an accepted adoption becomes active on its start date and can be ended by either
    side. A call-off under a joint-procurement agreement (PRO-6) starts accepted, without a vendor answer.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the vendor")
        ACCEPTED = "accepted", _("Accepted, not started")
        ACTIVE = "active", _("In use")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    class Source(models.TextChoices):
        REQUEST = "request", _("Request to the vendor")
        CALL_OFF = "call_off", _("Call-off under a joint-procurement agreement")
        REGISTERED = "registered", _("Registered by the operator")

    workflow = Workflow(
        {
            Status.REQUESTED: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
            # Ending an accepted adoption before its start date cancels it.
            Status.ACCEPTED: {Status.ACTIVE, Status.ENDED},
            Status.ACTIVE: {Status.ENDED},
        }
    )
    OPEN_STATES = (Status.REQUESTED, Status.ACCEPTED, Status.ACTIVE)
    CLOSED_STATES = (Status.DECLINED, Status.WITHDRAWN, Status.ENDED)

    product = models.ForeignKey(
        "verification.Product", on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("product")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="store_adoptions", verbose_name=_("organisation")
    )
    # The declaration version the store showed when the adoption was asked for: what they chose.
    version = models.ForeignKey(
        "verification.DeclarationVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declaration version"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    source = models.CharField(_("how"), max_length=12, choices=Source.choices, default=Source.REQUEST)
    message = models.TextField(_("message to the vendor"), blank=True)
    wanted_start = models.DateField(_("desired start"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    start_date = models.DateField(_("active from"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decision_reason = models.TextField(_("the vendor's answer"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(_("reason for ending"), blank=True)
    # Call-off (avrop): the joint-procurement agreement it was made under.
    agreement_label = models.CharField(_("agreement"), max_length=200, blank=True)
    agreement_url = models.CharField(max_length=500, blank=True)
    agreement_until = models.DateField(_("agreement until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "organisation"],
                condition=Q(status__in=["requested", "accepted", "active"]),
                name="adoption_one_open_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["product", "status"], name="adoption_product_status_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.product}"

    def get_absolute_url(self) -> str:
        return fixed_url("store:adoption_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
