"""Forms parse and display; the services decide. `call_service` maps refusals onto the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import Category, Organisation, Role, ServiceArea, Terms
from .notifications import KINDS
from .validators import normalise_org_number, validate_org_number

T = TypeVar("T")


def call_service(form: forms.Form, func: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Run a service; its ValidationError or DomainError becomes a field-level or form-level error."""
    try:
        return func(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "org_number", "municipality_number", "inhabitants", "website", "description"]
        help_texts = {
            "org_number": _("9 digits, as in Brønnøysundregistrene."),
            "municipality_number": _("4 digits; required for municipalities."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_org_number(self) -> str:
        value = normalise_org_number(self.cleaned_data["org_number"])
        validate_org_number(value)
        return value

    def validate_unique(self) -> None:  # the service reports duplicates
        pass

    def _get_validation_exclusions(self):
        # The service reports a missing or duplicate kommunenummer at the field; the model's constraints on it
        # would only add a technical non-field message ("Constraint … is violated").
        return super()._get_validation_exclusions() | {"municipality_number"}


class OrganisationEditForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = ["name", "org_number", "municipality_number", "inhabitants", "website", "description"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TermsForm(forms.ModelForm):
    class Meta:
        model = Terms
        fields = ["audience", "version", "title", "effective_from", "body", "changes"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "body": forms.Textarea(attrs={"rows": 16}),
            "changes": forms.Textarea(attrs={"rows": 5}),
        }

    def validate_unique(self) -> None:
        pass


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("nb", "Norsk bokmål"), ("en", "English")])


class NotificationPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me e-mail about"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = [(code, kind.label) for code, kind in KINDS.items()]


class AuditSearchForm(forms.Form):
    text = forms.CharField(label=_("Search"), required=False)
    verb = forms.CharField(label=_("Event"), required=False, help_text=_("For example terms.accepted"))
    actor = forms.CharField(label=_("Person (e-mail)"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds"))] + list(Organisation.Kind.choices))


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form: people appear by name to their collaborators."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request, user) -> None:
        from .services.people import profile_update

        profile_update(actor=user, first_name=self.cleaned_data["first_name"], last_name=self.cleaned_data["last_name"])


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "name_en", "order"]


class ServiceAreaForm(forms.ModelForm):
    class Meta:
        model = ServiceArea
        fields = ["name", "name_en", "category", "description", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
