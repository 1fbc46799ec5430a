"""Django admin for the operator's staff. Changes of state still go through the services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .errors import DomainError
from .models import AuditEvent, Category, Document, Invitation, Membership, Notification, Organisation, ServiceArea, Terms, TermsAcceptance, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "language")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_number", "municipality_number"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number", "municipality_number"]
    readonly_fields = ["slug", "created_at"]
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "order", "is_active"]
    list_filter = ["category", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Terms)
class TermsAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "audience", "status", "effective_from"]
    list_filter = ["audience", "status"]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # Published versions never change (TRM-1).
        if obj is not None and obj.is_published:
            return [f.name for f in obj._meta.fields]
        return ["status", "published_at", "announced_at", "created_by"]

    @admin.action(description="Publish selected drafts")
    def publish(self, request, queryset):
        from .services.terms import terms_publish

        for terms in queryset:
            try:
                terms_publish(actor=request.user, terms_id=terms.pk, reason="admin")
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "terms", "accepted_by", "accepted_at"]
    readonly_fields = ["organisation", "terms", "accepted_by", "accepted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "verb", "target_repr", "actor", "organisation", "from_state", "to_state"]
    list_filter = ["verb"]
    search_fields = ["target_repr", "reason", "actor__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "expires_at"]
    list_filter = ["status"]
    readonly_fields = ["organisation", "email", "role", "token", "status", "invited_by", "accepted_by", "expires_at",
                       "decided_at"]

    def has_add_permission(self, request):
        # Invitations are made by the service (token, expiry, e-mail, audit): on the organisation's page.
        return False


admin.site.register(Notification)
admin.site.register(Document)
