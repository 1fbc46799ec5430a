"""Forms of Verifikasjon (VER-1 … VER-5). They parse and display; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import ServiceArea

from ..models import DOCUMENT_KINDS, Product


def _published_needs():
    from innovation.models import Need

    return Need.objects.filter(stage=Need.Stage.PUBLISHED).order_by("title")


class ProductForm(forms.Form):
    """A product's details and sandbox endpoints (VER-1)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    short_description = forms.CharField(label=_("Short description"), max_length=300,
                                        help_text=_("One sentence, shown in lists and in Butikken."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    logo = forms.FileField(label=_("Logo"), required=False, help_text=_("PNG or JPEG. Leave empty to keep the current logo."))
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"), queryset=ServiceArea.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs it answers"), queryset=ServiceArea.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Published needs in Innovasjonsarena."),
    )
    price_model = forms.CharField(label=_("Price model"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.URLField(label=_("Web site"), required=False, assume_scheme="https")
    # Plain text fields: the service checks them (scheme, private addresses …) and explains any refusal.
    fhir_base_url = forms.CharField(
        label=_("FHIR base URL (sandbox)"), required=False, max_length=500,
        help_text=_("The base of the sandbox's FHIR R4 API, e.g. https://sandbox.example/fhir."),
    )
    oidc_issuer = forms.CharField(
        label=_("OpenID Connect issuer (sandbox)"), required=False, max_length=500,
        help_text=_("The issuer whose /.well-known/openid-configuration the verification reads."),
    )
    app_url = forms.CharField(label=_("Application URL (sandbox)"), required=False, max_length=500,
                              help_text=_("Where the application answers; its security headers are checked."))

    FIELDS = ("name", "short_description", "description", "price_model", "website", "fhir_base_url", "oidc_issuer",
              "app_url")

    def __init__(self, *args, product: Product | None = None, **kwargs):
        if product is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{key: getattr(product, key) for key in self.FIELDS},
                "service_areas": list(product.service_areas.all()),
                "needs": list(product.needs.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["service_areas"].queryset = ServiceArea.objects.filter(is_active=True).select_related(
            "category").order_by("category__order", "order", "name")
        self.fields["needs"].queryset = _published_needs()
        self.fields["needs"].label_from_instance = lambda need: need.title

    def values(self) -> dict:
        data = {key: self.cleaned_data[key] for key in self.FIELDS}
        data["service_areas"] = list(self.cleaned_data["service_areas"])
        data["needs"] = list(self.cleaned_data["needs"])
        if self.cleaned_data.get("logo"):
            data["logo"] = self.cleaned_data["logo"]
        return data


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DOCUMENT_KINDS)
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX or ODT (the risk assessment may also be XLSX)."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
        help_text=_("The vendor sees it. Required when you reject or request changes."),
    )

    def __init__(self, *args, **kwargs):
        from ..services.listing import DECISIONS

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = DECISIONS


class ListingSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    service_area = forms.ModelChoiceField(
        label=_("Service area"), required=False, queryset=ServiceArea.objects.none(), to_field_name="slug",
        empty_label=_("All service areas"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_area"].queryset = ServiceArea.objects.filter(is_active=True).order_by(
            "category__order", "order", "name")
