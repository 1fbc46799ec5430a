"""Forms of Innovasjonsarena: they parse and display; the services decide."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import Organisation, ServiceArea

from .models import InvolvementStep, Stage
from .selectors import county_choices


def _area_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for area in (
        ServiceArea.objects.filter(is_active=True)
        .select_related("category")
        .order_by("category__order", "order", "name")
    ):
        groups.setdefault(area.category.display_name, []).append((area.pk, area.display_name))
    return list(groups.items())


class NeedForm(forms.Form):
    """The description of a need: title, service areas, summary, the user story and goals (INN-2)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what is needed and why."),
    )
    service_areas = forms.TypedMultipleChoiceField(
        label=_("Service areas"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    problem_today = forms.CharField(
        label=_("The problem today"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How is the work done today, and what goes wrong?"),
    )
    desired_situation = forms.CharField(
        label=_("The desired situation when solved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    systems_involved = forms.CharField(
        label=_("Systems involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the EPJ, Helsenorge, Kjernejournal, HelseID."),
    )
    professions_involved = forms.CharField(
        label=_("Service areas and professions involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One goal per line, for example “Lik behandling av innbygger”."),
    )
    shared = forms.BooleanField(
        label=_("Open to other participants before publication"),
        required=False,
        help_text=_(
            "Logged-in participants can find the need and ask to join. Otherwise only the core team and the "
            "organisations you invite see it until it is published."
        ),
    )

    def __init__(self, *args, similar_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_areas"].choices = _area_choices()
        if similar_url:
            # While the title and summary are written, htmx asks for needs that look similar.
            for name in ("title", "summary"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": similar_url,
                        "hx-trigger": "input changed delay:500ms",
                        "hx-include": "#id_title, #id_summary",
                        "hx-target": "#similar-needs",
                        "hx-sync": "closest form:replace",
                    }
                )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["goals"] = data.get("goals") or ""
        return data


class NeedFilterForm(forms.Form):
    """Free text, service area, stage, organisation and county (INN-12)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    service_area = forms.ChoiceField(label=_("Service area"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages"))] + list(Stage.choices)
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_area"].choices = [("", _("All service areas"))] + [
            (area.slug, area.display_name)
            for area in ServiceArea.objects.filter(is_active=True).order_by(
                "category__order", "order", "name"
            )
        ]
        self.fields["organisation"].queryset = (
            organisations
            if organisations is not None
            else Organisation.objects.filter(owned_needs__isnull=False).distinct().order_by("name")
        )
        self.fields["county"].choices = [("", _("All counties"))] + county_choices()

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "service_area": data.get("service_area") or "",
            "stage": data.get("stage") or "",
            "organisation": data.get("organisation"),
            "county": data.get("county") or "",
        }


class StageForm(forms.Form):
    to = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the need goes back a stage or is archived."),
    )


class RetireForm(forms.Form):
    replaced_by = forms.TypedChoiceField(label=_("The need that carries on"), coerce=int)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].choices = [("", "—")] + [
            (n.pk, f"{n.title} ({n.owner.name}, {n.get_stage_display()})") for n in candidates
        ]


class CollaborationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What your organisation brings to the work, and who will take part."),
    )


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the core team"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG, DOCX, XLSX or ODT."))


class InvolvementForm(forms.Form):
    step = forms.ChoiceField(label=_("Involvement step"), choices=InvolvementStep.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Roles and organisations; do not write the names of patients or relatives."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(
        label=_("Document (optional)"), required=False, help_text=_("PDF, PNG, JPEG, DOCX, XLSX or ODT.")
    )
    document_title = forms.CharField(label=_("Document title"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ChecklistItemForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChecklistAddForm(forms.Form):
    label = forms.CharField(label=_("New item"), max_length=200)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.IntegerField(label=_("Weight (%)"), required=False, min_value=1, max_value=100)


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=20, absolute_max=20)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


SIMILAR_URL = reverse_lazy("innovation:similar")
