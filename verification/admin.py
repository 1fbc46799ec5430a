"""Django admin for the operator's staff. State changes go through the services, as in the screens."""

from django.contrib import admin, messages

from marketplace.errors import DomainError

from .models import (
    Criterion,
    CriterionSet,
    Qualification,
    QualificationAnswer,
    QualificationApplication,
    QualificationReminder,
    ReviewComment,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = [
        "order",
        "section",
        "code",
        "text",
        "answer_type",
        "rule_yes",
        "rule_no",
        "max_age_months",
        "evidence_required",
        "evidence_valid_months",
    ]

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(CriterionSet)
class CriterionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "status", "activated_at", "retired_at"]
    list_filter = ["status"]
    inlines = [CriterionInline]
    actions = ["activate"]

    def get_readonly_fields(self, request, obj=None):
        # Versions that have been in force never change (QUA-1).
        if obj is not None and not obj.is_draft:
            return [f.name for f in obj._meta.fields]
        return ["status", "based_on", "created_by", "activated_at", "retired_at"]

    @admin.action(description="Put the selected draft in force")
    def activate(self, request, queryset):
        from .services.qualification import criterion_set_activate

        for criterion_set in queryset:
            try:
                criterion_set_activate(actor=request.user, criterion_set_id=criterion_set.pk, reason="admin")
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)


class AnswerInline(admin.TabularInline):
    model = QualificationAnswer
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "criterion",
        "value_bool",
        "value_text",
        "value_date",
        "outcome",
        "evidence_needs_renewal",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QualificationApplication)
class QualificationApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications move only through the review screens and API."""

    list_display = ["organisation", "status", "criterion_set", "submitted_at", "decided_at", "reviewer"]
    list_filter = ["status", "criterion_set"]
    search_fields = ["organisation__name", "organisation__org_number"]
    inlines = [AnswerInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "status", "qualified_on", "expires_on", "ended_on"]
    list_filter = ["status"]
    search_fields = ["organisation__name"]
    actions = ["run_expiry_sweep"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send due expiry reminders and expire what has run out (all qualifications)")
    def run_expiry_sweep(self, request, queryset):
        from .services.qualification import qualifications_expire_and_remind

        result = qualifications_expire_and_remind()
        self.message_user(request, f"Expired: {result['expired']}, reminded: {result['reminded']}.")


@admin.register(QualificationReminder)
class QualificationReminderAdmin(admin.ModelAdmin):
    list_display = ["qualification", "days_before", "sent_at", "recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["application", "criterion", "review_round", "requires_change", "author", "created_at"]
    readonly_fields = ["application", "criterion", "review_round", "text", "requires_change", "author"]

    def has_add_permission(self, request):
        return False
