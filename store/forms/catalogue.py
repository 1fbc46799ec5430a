"""Butikken forms: they parse and display; the services decide (STO-3, STO-5)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ShortlistCreateForm(forms.Form):
    """Save the current search or the chosen products as a named shortlist."""

    name = forms.CharField(label=_("Name of the shortlist"), max_length=120)
    description = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The saved search (a query string); the chosen products come as repeated hidden "product" fields.
    search_query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class ShortlistAddForm(forms.Form):
    """Put one product on an existing shortlist."""

    shortlist = forms.TypedChoiceField(label=_("Shortlist"), coerce=int)

    def __init__(self, *args, shortlists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shortlist"].choices = [(s.pk, s.name) for s in shortlists]


class AdoptionRequestForm(forms.Form):
    wanted_start = forms.DateField(
        label=_("Desired start"),
        required=False,
        widget=DATE,
        help_text=_("When you would like to start using the product. The vendor confirms the start date."),
    )
    message = forms.CharField(
        label=_("Message to the vendor"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the services and the number of users it is for, and who to contact."),
    )


class AdoptionAcceptForm(forms.Form):
    start_date = forms.DateField(label=_("In use from"), widget=DATE)
    message = forms.CharField(
        label=_("Message to the municipality"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, adoption=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        wanted = getattr(adoption, "wanted_start", None)
        self.fields["start_date"].initial = wanted if wanted and wanted >= today else today


class AdoptionDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdoptionWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdoptionEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the adoption ends"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
