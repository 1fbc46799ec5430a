"""Forms of Felleskjøp: they parse and display; the services in store/services/procurement.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models.procurement import SCORE_MAX, SCORE_MIN, Phase, VolumeUnit

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

    def format_value(self, value):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
        return super().format_value(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _datetime(label, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, help_text=help_text, widget=DateTimeLocalInput(),
                               input_formats=DATETIME_INPUT_FORMATS)


def _date(label, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput(),
                           input_formats=["%Y-%m-%d", "%d.%m.%Y"])


class TimelineFields(forms.Form):
    volume_unit = forms.ChoiceField(
        label=_("Expected volume is counted in"), choices=VolumeUnit.choices, initial=VolumeUnit.USERS,
        help_text=_("Participants state how many users or inhabitants they cover; unit prices are per this unit."),
    )
    intent_deadline = _datetime(_("Deadline for declaring intent"))
    questions_deadline = _datetime(_("Deadline for questions"), required=False,
                                   help_text=_("Optional. Without it, questions are taken until the offer deadline."))
    offer_deadline = _datetime(_("Deadline for offers"),
                               help_text=_("Offers stay sealed until this moment: nobody but the vendor sees them."))
    agreement_start = _date(_("Agreement starts"), help_text=_("Can be set later, at the latest with the award."))
    agreement_end = _date(_("Agreement ends"))

    timeline_fields = ("volume_unit", "intent_deadline", "questions_deadline", "offer_deadline", "agreement_start",
                       "agreement_end")


class ProcurementOpenForm(TimelineFields):
    """Open a joint procurement from a published need (PRO-1)."""

    need = forms.TypedChoiceField(label=_("Published need"), coerce=int,
                                  help_text=_("The declaration and the weighted evaluation criteria are taken over from it."))
    lead = forms.TypedChoiceField(label=_("Lead organisation"), coerce=int,
                                  help_text=_("Runs the procurement: timeline, dialogue, evaluation and award."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the title of the need."))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Leave empty to use the summary of the need."))

    field_order = ["need", "lead", "title", "summary", *TimelineFields.timeline_fields]

    def __init__(self, *args, needs=(), leads=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", "—")] + [(n.pk, f"{n.title} ({n.owner.name})") for n in needs]
        self.fields["lead"].choices = [(o.pk, o.name) for o in leads]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "need_id": data["need"], "lead_id": data["lead"], "title": data["title"], "summary": data["summary"],
            **{name: data[name] for name in self.timeline_fields},
        }


class ProcurementForm(TimelineFields):
    """Edit the procurement's text and timeline (lead); the service refuses what the phase no longer allows."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["title", "summary", *TimelineFields.timeline_fields]

    def __init__(self, *args, editable: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editable = editable
        if editable is not None:
            for name in list(self.fields):
                if name not in editable:
                    del self.fields[name]

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class AwardForm(forms.Form):
    """Award the agreement to the winning offer(s) with reasons (PRO-5)."""

    offers = forms.TypedMultipleChoiceField(label=_("Winning offers"), coerce=int, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reasons for the award"), widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("Published to participants and vendors together with the result."))
    agreement_start = _date(_("Agreement starts"), required=True)
    agreement_end = _date(_("Agreement ends"), required=True)

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].choices = [
            (o.pk, f"{o.product.name} ({o.vendor.name}) – {o.weighted_total or 0} p, #{o.rank or '–'}") for o in offers
        ]


class ParticipationForm(forms.Form):
    """Declare intent to participate, with expected volume (PRO-3)."""

    volume = forms.IntegerField(label=_("Expected volume"), min_value=1, max_value=10_000_000)
    note = forms.CharField(label=_("Note to the lead organisation"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if unit_label:
            self.fields["volume"].help_text = _("Number of %(unit)s the agreement will cover for you.") % {"unit": unit_label}


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("The lead organisation answers all vendors at once; your name is not shown."))


class AnswerForm(forms.Form):
    public_text = forms.CharField(
        label=_("The question as every vendor will read it"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Remove anything that tells who asked. Names of the vendor and its products are removed already."),
    )
    answer = forms.CharField(label=_("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))


class OfferForm(forms.Form):
    """A vendor's offer (PRO-4)."""

    product = forms.TypedChoiceField(label=_("Product offered"), coerce=int,
                                     help_text=_("A product of yours that is listed in Butikken or in verification."))
    price_per_year = forms.DecimalField(label=_("Fixed price per year (NOK)"), min_value=0, max_digits=12,
                                        decimal_places=2)
    price_per_unit = forms.DecimalField(label=_("Price per unit of volume per year (NOK)"), min_value=0, max_digits=10,
                                        decimal_places=2)
    description = forms.CharField(label=_("The offer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("How the product meets the need and the criteria; terms and conditions."))

    def __init__(self, *args, products=(), unit_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "—")] + [
            (p.pk, f"{p.name} – " + (str(_("listed")) if p.offer_is_listed else str(_("in verification"))))
            for p in products
        ]
        if unit_label:
            self.fields["price_per_unit"].label = _("Price per %(unit)s per year (NOK)") % {"unit": unit_label}

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"product_id": data["product"], "price_per_year": data["price_per_year"],
                "price_per_unit": data["price_per_unit"], "description": data["description"]}


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG, DOCX, XLSX or ODT, at most 20 MB."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class ScoreForm(forms.Form):
    """Score one offer on every criterion: 0–10 with a justification (PRO-5)."""

    def __init__(self, *args, criteria=(), scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.rows = []
        for criterion in criteria:
            current = scores.get(criterion.pk)
            score_name, text_name = f"score_{criterion.pk}", f"justification_{criterion.pk}"
            self.fields[score_name] = forms.IntegerField(
                label=_("Score for “%(criterion)s” (%(min)s–%(max)s)") % {
                    "criterion": criterion.name, "min": SCORE_MIN, "max": SCORE_MAX},
                required=False, initial=current.score if current else None,
            )
            self.fields[text_name] = forms.CharField(
                label=_("Justification for “%(criterion)s”") % {"criterion": criterion.name}, required=False,
                max_length=10000, widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.justification if current else "",
            )
            self.rows.append((criterion, score_name, text_name))

    def scores(self) -> dict[int, tuple[Any, str]]:
        """The filled-in rows (a score or a justification given) for the service to check."""
        result = {}
        for criterion, score_name, text_name in self.rows:
            score, text = self.cleaned_data.get(score_name), self.cleaned_data.get(text_name, "")
            if score is not None or text:
                result[criterion.pk] = (score, text)
        return result


class CallOffForm(forms.Form):
    """Call off an awarded product under the agreement (PRO-6)."""

    offer = forms.TypedChoiceField(label=_("Product"), coerce=int)
    volume = forms.IntegerField(label=_("Volume"), min_value=1, max_value=10_000_000)
    starts_on = _date(_("In use from"), required=False, help_text=_("Empty: from today."))
    note = forms.CharField(label=_("Note to the vendor"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = [(o.pk, f"{o.product.name} ({o.vendor.name})") for o in offers]
        if len(self.fields["offer"].choices) == 1:
            self.fields["offer"].initial = self.fields["offer"].choices[0][0]


class ProcurementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", _("All phases"))] + list(Phase.choices))
    mine = forms.BooleanField(label=_("Only ours"), required=False)
