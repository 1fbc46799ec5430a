"""Django admin for the operator's staff: read and correct content. Changes of stage and collaboration
decisions go through the services (screens and API), so they are read-only here."""

from django.contrib import admin

from .models import (
    ChecklistItem,
    Collaboration,
    Comment,
    EvaluationCriterion,
    InterestedVendor,
    InvolvementEntry,
    Need,
)


class CollaborationInline(admin.TabularInline):
    model = Collaboration
    extra = 0
    can_delete = False
    fields = ["organisation", "kind", "status", "created_at", "decided_at"]
    readonly_fields = fields


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    can_delete = False
    fields = ["code", "label", "checked", "checked_by", "checked_organisation", "checked_at", "comment"]
    readonly_fields = fields


class CriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    extra = 0
    can_delete = False
    fields = ["name", "weight", "order"]
    readonly_fields = fields


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "stage", "shared", "updated_at"]
    list_filter = ["stage", "shared", "service_areas"]
    search_fields = ["title", "summary", "owner__name"]
    readonly_fields = [
        "owner",
        "stage",
        "replaced_by",
        "created_by",
        "created_at",
        "updated_at",
        "published_at",
    ]
    filter_horizontal = ["service_areas"]
    exclude = ["search_vector"]
    inlines = [CollaborationInline, ChecklistInline, CriterionInline]

    def has_add_permission(self, request):
        return False  # needs are posted through the arena, where the Vilkår gate and checklist apply


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["need", "organisation", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["need__title", "organisation__name"]
    readonly_fields = [f.name for f in Collaboration._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(InvolvementEntry)
class InvolvementEntryAdmin(admin.ModelAdmin):
    list_display = ["need", "step", "date", "organisation"]
    list_filter = ["step"]
    search_fields = ["need__title", "participants", "notes"]
    readonly_fields = ["need", "organisation", "created_by", "created_at"]


@admin.register(InterestedVendor)
class InterestedVendorAdmin(admin.ModelAdmin):
    list_display = ["need", "organisation", "created_at"]
    search_fields = ["need__title", "organisation__name"]
    readonly_fields = ["need", "organisation", "registered_by", "created_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["need", "author", "organisation", "created_at"]
    search_fields = ["need__title", "body"]
    readonly_fields = ["need", "author", "organisation", "created_at"]
