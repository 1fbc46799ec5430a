"""Erfaringsarena in Django admin: read-only inspection. Every change goes through the services (the screens
and the moderation queue), so that permissions, history and notifications are the same everywhere."""

from django.contrib import admin

from .models import Comment, Experience, ExperienceVersion, Follow, Rating, Report, UsefulMark


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = ExperienceVersion
    extra = 0
    fields = ["number", "title", "change_note", "edited_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Experience)
class ExperienceAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "topic",
        "status",
        "organisation",
        "product",
        "published_at",
        "useful_count",
        "comment_count",
    ]
    list_filter = ["status", "topic", "service_area"]
    search_fields = ["title", "organisation__name", "product__name"]
    list_select_related = ["organisation", "product"]
    inlines = [VersionInline]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["product", "organisation", "score", "updated_at"]
    list_select_related = ["product", "organisation"]
    search_fields = ["product__name", "organisation__name"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["experience", "author", "organisation", "is_vendor_reply", "status", "created_at"]
    list_filter = ["status", "is_vendor_reply"]
    list_select_related = ["experience", "author", "organisation"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["reason", "status", "experience", "comment", "reporter", "created_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["experience", "comment", "reporter"]


admin.site.register(UsefulMark, ReadOnlyAdmin)
admin.site.register(Follow, ReadOnlyAdmin)
