"""Forms of Kvalifisering. They parse and display; the services in services/qualification.py decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Criterion, CriterionSet, QualificationAnswer, QualificationApplication
from ..selectors.qualification import QUEUE_ALL, QUEUE_OPEN
from ..services.qualification import answer_field

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def style_inputs(form: forms.BaseForm) -> None:
    """Designsystemet's look on every input, select, textarea, radio and checkbox of the form."""
    for field in form.fields.values():
        if not isinstance(field.widget, (forms.FileInput, forms.HiddenInput)):
            field.widget.attrs["class"] = " ".join(
                filter(None, [field.widget.attrs.get("class"), "ds-input"])
            )


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_inputs(self)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_inputs(self)


class CriterionSetForm(StyledModelForm):
    class Meta:
        model = CriterionSet
        fields = ["version", "title", "description"]
        help_texts = {"version": _("For example 2.0. Each version number is used once.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def validate_unique(self) -> None:  # the service reports duplicates
        pass


class CriterionSetCreateForm(CriterionSetForm):
    copy_from = forms.ModelChoiceField(
        label=_("Start from"),
        required=False,
        queryset=CriterionSet.objects.none(),
        empty_label=_("An empty version"),
        help_text=_("Copy the criteria of an earlier version and change what is new."),
    )

    class Meta(CriterionSetForm.Meta):
        fields = ["version", "title", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = CriterionSet.objects.order_by("-created_at")


class CriterionForm(StyledModelForm):
    class Meta:
        model = Criterion
        fields = [
            "section",
            "order",
            "code",
            "text",
            "help_text",
            "answer_type",
            "rule_yes",
            "rule_no",
            "max_age_months",
            "evidence_required",
            "evidence_valid_months",
        ]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self) -> None:
        pass


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ApplicationStartForm(StyledForm):
    reuse_previous = forms.BooleanField(
        label=_("Start from the answers and evidence of our previous application"),
        required=False,
        initial=True,
        help_text=_("Evidence older than its period of validity is not carried over and must be renewed."),
    )


class CompanyDetailsForm(StyledModelForm):
    """Section 1. Nothing is required while drafting; submission checks what is missing."""

    class Meta:
        model = QualificationApplication
        fields = list(QualificationApplication.COMPANY_FIELDS)
        widgets = {
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["org_number"].help_text = _("9 digits, as in Brønnøysundregistrene.")
        self.fields["contact_name"].help_text = _("The person KS contacts about the application.")


YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


def evidence_field(criterion_id: int) -> str:
    return f"evidence_{criterion_id}"


class SectionForm(StyledForm):
    """The answers to the criteria of one section, and an evidence upload per criterion."""

    def __init__(
        self,
        *args,
        criteria: Iterable[Criterion],
        answers: dict[int, QualificationAnswer],
        assess_url: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            answer = answers.get(criterion.pk)
            name = answer_field(criterion.pk)
            if criterion.answer_type == Criterion.AnswerType.YES_NO:
                field: forms.Field = forms.ChoiceField(
                    choices=YES_NO_CHOICES, widget=forms.RadioSelect, required=False
                )
                if answer is not None and answer.value_bool is not None:
                    field.initial = "yes" if answer.value_bool else "no"
            elif criterion.answer_type == Criterion.AnswerType.DATE:
                field = forms.DateField(widget=DATE_WIDGET, required=False)
                field.initial = answer.value_date if answer else None
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
                )
                field.initial = answer.value_text if answer else ""
            field.label = criterion.text  # the template shows the criterion's help text and rule beside it
            if assess_url:
                # htmx: show the assessment of an answer as it changes, before it is saved.
                field.widget.attrs.update(
                    {"hx-post": assess_url, "hx-trigger": "change", "hx-swap": "none", "hx-params": name}
                )
            self.fields[name] = field
            self.fields[evidence_field(criterion.pk)] = forms.FileField(
                label=_("Evidence document")
                if criterion.evidence_required
                else _("Evidence document (optional)"),
                required=False,
            )
        style_inputs(self)

    def answers(self) -> dict[int, Any]:
        """Raw answers by criterion id, as the service takes them."""
        return {c.pk: self.cleaned_data.get(answer_field(c.pk)) for c in self.criteria}

    def uploads(self) -> dict[int, Any]:
        return {
            c.pk: self.cleaned_data[evidence_field(c.pk)]
            for c in self.criteria
            if self.cleaned_data.get(evidence_field(c.pk))
        }


class ReviewForm(StyledForm):
    """The reviewer's comment per criterion, whether it must change, and the reason for a decision."""

    SAVE = "save"
    REQUEST_CHANGES = "request_changes"
    QUALIFY = "qualify"
    REJECT = "reject"
    DECISIONS = (SAVE, REQUEST_CHANGES, QUALIFY, REJECT)

    reason = forms.CharField(
        label=_("Reason for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The vendor reads it. Required when you request changes or reject."),
    )

    def __init__(self, *args, criteria: Iterable[Criterion], current: dict[int, Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            comment = current.get(criterion.pk)
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment to the vendor"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=comment.text if comment else "",
            )
            self.fields[f"change_{criterion.pk}"] = forms.BooleanField(
                label=_("Must be changed"),
                required=False,
                initial=bool(comment and comment.requires_change),
            )

        style_inputs(self)

    def comments(self) -> dict[int, tuple[str, bool]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"comment_{c.pk}", ""),
                self.cleaned_data.get(f"change_{c.pk}", False),
            )
            for c in self.criteria
        }

    def comment_fields(self, criterion: Criterion):
        return self[f"comment_{criterion.pk}"], self[f"change_{criterion.pk}"]


class QueueFilterForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Vendor"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(QUEUE_OPEN, _("Waiting for review"))]
        choices += [
            (status.value, status.label)
            for status in QualificationApplication.Status
            if status != QualificationApplication.Status.DRAFT
        ]
        choices.append((QUEUE_ALL, _("All")))
        self.fields["status"].choices = choices


class VendorSearchForm(StyledForm):
    q = forms.CharField(label=_("Search qualified vendors"), required=False)
