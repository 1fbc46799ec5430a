"""Django admin of the store app: read-only views for support; every change goes through the services."""

from __future__ import annotations

from django.contrib import admin

from .models import Adoption, Shortlist, ShortlistItem, StoreEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Butikken (STO-1 … STO-6) ----------------------------------------------------------------------------


@admin.register(StoreEntry)
class StoreEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "product", "listing", "usage_count", "rating_average", "rating_count", "procured_until", "updated_at",
    ]
    search_fields = ["product__name", "product__vendor__name"]
    list_select_related = ["product", "listing"]
    exclude = ["search_vector", "search_rank_vector"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["product", "organisation", "status", "source", "requested_at", "start_date", "ended_on"]
    list_filter = ["status", "source"]
    search_fields = ["product__name", "organisation__name"]
    list_select_related = ["product", "organisation"]


class ShortlistItemInline(admin.TabularInline):
    model = ShortlistItem
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Shortlist)
class ShortlistAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "created_by", "updated_at"]
    search_fields = ["name", "organisation__name"]
    inlines = [ShortlistItemInline]


# Felleskjøp (PRO-1 … PRO-6) --------------------------------------------------------------------------------

from django.utils import timezone  # noqa: E402

from .models import (  # noqa: E402
    CallOff,
    Offer,
    OfferScore,
    Participation,
    Procurement,
    ProcurementCriterion,
    ProcurementQuestion,
)


class ProcurementCriterionInline(admin.TabularInline):
    model = ProcurementCriterion
    extra = 0
    can_delete = False
    fields = ["order", "name", "weight", "description"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Procurement)
class ProcurementAdmin(ReadOnlyAdmin):
    list_display = ["title", "lead", "phase", "intent_deadline", "offer_deadline", "agreement_start", "agreement_end"]
    list_filter = ["phase"]
    search_fields = ["title", "need__title", "lead__name"]
    list_select_related = ["lead", "need"]
    inlines = [ProcurementCriterionInline]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "organisation", "status", "volume", "declared_at"]
    list_filter = ["status"]
    search_fields = ["procurement__title", "organisation__name"]
    list_select_related = ["procurement", "organisation"]


@admin.register(ProcurementQuestion)
class ProcurementQuestionAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "number", "status", "vendor", "created_at", "published_at"]
    list_filter = ["status"]
    list_select_related = ["procurement", "vendor"]


class UnsealedOnly:
    """Offers are sealed until the offer deadline (PRO-4), in the admin too."""

    offer_path = ""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**{f"{self.offer_path}procurement__offer_deadline__lte": timezone.now()})


@admin.register(Offer)
class OfferAdmin(UnsealedOnly, ReadOnlyAdmin):
    list_display = ["procurement", "vendor", "product", "status", "weighted_total", "rank", "is_winner"]
    list_filter = ["status", "is_winner"]
    list_select_related = ["procurement", "vendor", "product"]


@admin.register(OfferScore)
class OfferScoreAdmin(UnsealedOnly, ReadOnlyAdmin):
    offer_path = "offer__"
    list_display = ["offer", "criterion", "score", "scored_by", "scored_at"]
    list_select_related = ["offer", "criterion", "scored_by"]


@admin.register(CallOff)
class CallOffAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "organisation", "offer", "volume", "starts_on", "created_at"]
    list_select_related = ["procurement", "organisation", "offer"]
