"""Forms of Erfaringsarena: they parse and display; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innovation.models import PUBLIC_STAGES, Need
from store.models import Procurement

from . import selectors
from .models import ReportReason, SizeBand, Topic

TEXT_HELP = {
    "what_worked": _("What went well: effects for staff and inhabitants, what made the difference."),
    "what_did_not": _("What was hard or did not work, and what you did about it."),
    "advice": _("What you would tell an organisation that is about to do the same."),
    "effort": _("Hours, roles and costs, roughly. For example: about 150 hours, a project lead at 20 %."),
    "timeline": _("From decision to full use. For example: four months from agreement to all zones."),
}


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.vendor.name})"


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.owner.name})"


class ServiceAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ExperienceForm(forms.Form):
    """Write or edit an experience: what it is about, the context, and what was learnt (EXP-1)."""

    topic = forms.ChoiceField(
        label=_("What is the experience about?"),
        choices=Topic.choices,
        widget=forms.RadioSelect,
        initial=Topic.PRODUCT,
    )
    product = ProductChoiceField(
        label=_("Product"),
        queryset=None,
        required=False,
        empty_label=_("Choose a product"),
        help_text=_("For experiences with a product in use or with implementing it."),
    )
    need = NeedChoiceField(
        label=_("Need"),
        queryset=None,
        required=False,
        empty_label=_("Choose a need"),
        help_text=_("For experiences from innovation work on a need."),
    )
    procurement = forms.ModelChoiceField(
        label=_("Joint procurement"),
        queryset=None,
        required=False,
        empty_label=_("Choose a joint procurement"),
        help_text=_("For experiences from a joint procurement (Felleskjøp)."),
    )
    service_area = ServiceAreaChoiceField(
        label=_("Service area"),
        queryset=None,
        required=False,
        empty_label=_("Choose a service area"),
        help_text=_("Where in your organisation the experience comes from. Required to publish."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("One sentence that says what you learnt.")
    )
    what_worked = forms.CharField(
        label=_("What worked"),
        required=False,
        help_text=TEXT_HELP["what_worked"],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    what_did_not = forms.CharField(
        label=_("What did not work"),
        required=False,
        help_text=TEXT_HELP["what_did_not"],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    advice = forms.CharField(
        label=_("Advice to others"),
        required=False,
        help_text=TEXT_HELP["advice"],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    effort = forms.CharField(
        label=_("Effort"),
        required=False,
        help_text=TEXT_HELP["effort"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    timeline = forms.CharField(
        label=_("Timeline"),
        required=False,
        help_text=TEXT_HELP["timeline"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    change_note = forms.CharField(
        label=_("What did you change?"),
        required=False,
        max_length=300,
        help_text=_("Shown in the history of the experience."),
    )

    SUBJECT_FIELDS = ("topic", "product", "need", "procurement")

    def __init__(self, *args: Any, published: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = selectors.product_choices()
        self.fields["need"].queryset = (
            Need.objects.filter(stage__in=PUBLIC_STAGES).select_related("owner").order_by("title")
        )
        self.fields["procurement"].queryset = Procurement.objects.filter(announced_at__isnull=False).order_by(
            "title"
        )
        self.fields["service_area"].queryset = selectors.service_area_choices()
        if published:
            # What a published experience is about no longer changes; a new version records the rest.
            for name in self.SUBJECT_FIELDS:
                del self.fields[name]
        else:
            del self.fields["change_note"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {
            "title": data["title"],
            "service_area_id": data["service_area"].pk if data.get("service_area") else None,
            **{
                name: data.get(name, "")
                for name in ("what_worked", "what_did_not", "advice", "effort", "timeline")
            },
        }
        if "topic" in self.fields:
            kwargs.update(
                topic=data["topic"],
                product_id=data["product"].pk if data.get("product") else None,
                need_id=data["need"].pk if data.get("need") else None,
                procurement_id=data["procurement"].pk if data.get("procurement") else None,
            )
        if "change_note" in self.fields:
            kwargs["change_note"] = data.get("change_note", "")
        return kwargs


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF, Word, Excel, ODT, PNG or JPEG. Never attach personal health information."),
    )
    title = forms.CharField(label=_("Title of the attachment"), max_length=200, required=False)


class FilterForm(forms.Form):
    """Finding experiences (EXP-5): free text, product, service area, topic, organisation size."""

    SORT_CHOICES = (
        ("newest", _("Newest first")),
        ("useful", _("Most useful first")),
        ("relevance", _("Best match first")),
    )

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    produkt = ProductChoiceField(
        label=_("Product"), queryset=None, required=False, empty_label=_("All products")
    )
    omrade = forms.ChoiceField(label=_("Service area"), required=False)
    tema = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics"))] + list(Topic.choices)
    )
    storrelse = forms.ChoiceField(
        label=_("Organisation size"), required=False, choices=[("", _("All sizes"))] + list(SizeBand.choices)
    )
    sorter = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    # Set by links from a need's or an organisation's page; kept while the other filters change.
    behov = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    organisasjon = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["produkt"].queryset = selectors.product_choices()
        self.fields["omrade"].choices = [("", _("All service areas"))] + [
            (area.slug, area.display_name) for area in selectors.service_area_choices()
        ]

    def filters(self) -> dict[str, Any]:
        """The filters that were understood; a value that does not exist is left out, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "need": data.get("behov"),
            "organisation": data.get("organisasjon"),
            "q": data.get("q", ""),
            "product": data.get("produkt"),
            "service_area": data.get("omrade", ""),
            "topic": data.get("tema", ""),
            "size": data.get("storrelse", ""),
            "sort": data.get("sorter") or ("relevance" if data.get("q") else "newest"),
        }

    @property
    def active(self) -> bool:
        return self.is_bound and any(
            self.data.get(name)
            for name in ("q", "produkt", "omrade", "tema", "storrelse", "sorter", "behov", "organisasjon")
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Comments are public. Never write personal health information."),
    )


class VendorReplyForm(forms.Form):
    body = forms.CharField(
        label=_("The vendor's reply"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You reply once, as the vendor. The reply is shown under the experience."),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your organisation's rating"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("5 – very good")),
            (4, _("4 – good")),
            (3, _("3 – acceptable")),
            (2, _("2 – poor")),
            (1, _("1 – very poor")),
        ],
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What is wrong (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author is told)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RestoreForm(forms.Form):
    reason = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
