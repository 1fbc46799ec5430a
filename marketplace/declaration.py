"""The product-declaration schema (Produktdeklarasjon), shared by a need's desired declaration and a
product's declaration (INN-2, VER-2): one structure, one form, one display, one comparison.

A declaration is a JSON dict: {section_key: {field_key: value}}. Optional fields may instead hold
{"not_applicable": <justification code>} — "does not apply", only with a permitted justification.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .i18n import per_language

# Known vocabularies -------------------------------------------------------------------------------------

# Every resource type of FHIR R4 (4.0.1), from the specification's resource list.
FHIR_R4_RESOURCE_TYPES = frozenset(
    """Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse AuditEvent Basic Binary
    BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement CarePlan CareTeam CatalogEntry ChargeItem
    ChargeItemDefinition Claim ClaimResponse ClinicalImpression CodeSystem Communication CommunicationRequest
    CompartmentDefinition Composition ConceptMap Condition Consent Contract Coverage CoverageEligibilityRequest
    CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric DeviceRequest DeviceUseStatement
    DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis Encounter Endpoint EnrollmentRequest
    EnrollmentResponse EpisodeOfCare EventDefinition Evidence EvidenceVariable ExampleScenario ExplanationOfBenefit
    FamilyMemberHistory Flag Goal GraphDefinition Group GuidanceResponse HealthcareService ImagingStudy Immunization
    ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide InsurancePlan Invoice Library Linkage List
    Location Measure MeasureReport Media Medication MedicationAdministration MedicationDispense MedicationKnowledge
    MedicationRequest MedicationStatement MedicinalProduct MedicinalProductAuthorization MedicinalProductContraindication
    MedicinalProductIndication MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured
    MedicinalProductPackaged MedicinalProductPharmaceutical MedicinalProductUndesirableEffect MessageDefinition
    MessageHeader MolecularSequence NamingSystem NutritionOrder Observation ObservationDefinition OperationDefinition
    OperationOutcome Organization OrganizationAffiliation Parameters Patient PaymentNotice PaymentReconciliation Person
    PlanDefinition Practitioner PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse RelatedPerson
    RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject RiskAssessment
    RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen SpecimenDefinition StructureDefinition
    StructureMap Subscription Substance SubstanceNucleicAcid SubstancePolymer SubstanceProtein
    SubstanceReferenceInformation SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task
    TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription""".split()
)
# RESTful interaction codes of a CapabilityStatement's resource.interaction (R4).
FHIR_INTERACTIONS = ("read", "vread", "update", "patch", "delete", "history-instance", "history-type", "create", "search-type")

TERMINOLOGIES = (
    ("SNOMED CT", "SNOMED CT"),
    ("ICPC-2", "ICPC-2"),
    ("ICD-10", "ICD-10"),
    ("LOINC", "LOINC"),
    ("NCMP", "NCMP"),
    ("Kodeverk for helsepersonell", "Kodeverk for helsepersonell"),
)
NATIONAL_SOLUTIONS = (
    ("Kjernejournal", "Kjernejournal"),
    ("e-resept", "e-resept"),
    ("PLL", _("PLL (pasientens legemiddelliste)")),
    ("Helsenorge", "Helsenorge"),
    ("HelseID", "HelseID"),
    ("VKP", _("VKP (velferdsteknologisk knutepunkt)")),
    ("Dokumentdeling", "Dokumentdeling"),
    ("Pasientens prøvesvar", "Pasientens prøvesvar"),
    ("Adresseregisteret", "Adresseregisteret"),
)
DATA_LOCATIONS = (("norway", _("Norway")), ("eea", _("EU/EEA")), ("other", _("Outside the EU/EEA")))
NOT_APPLICABLE_REASONS = (
    ("not_offered", _("Not offered: the solution is self-explanatory and needs none")),
    ("by_customer", _("Provided by the customer organisation itself")),
    ("by_partner", _("Provided by a named partner (described in Forutsetninger)")),
)
RISK_SCALE = range(1, 6)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str | Promise
    kind: str  # text | textarea | lines | choice | multichoice | fhir | risks | service_areas
    required: bool = True
    help: str | Promise = ""
    choices: tuple = ()
    allow_not_applicable: bool = False

    @property
    def is_list(self) -> bool:
        return self.kind in ("lines", "multichoice", "risks", "service_areas")


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)
    help: str | Promise = ""


SECTIONS: tuple[Section, ...] = (
    Section(
        "funksjon",
        _("Funksjon"),
        (
            FieldSpec("description", _("What the solution does"), "textarea"),
            FieldSpec("work_processes", _("Supported work processes"), "lines", help=_("One per line.")),
            FieldSpec("professions", _("Target professions"), "lines", help=_("One per line, e.g. sykepleier, fastlege.")),
            FieldSpec("service_areas", _("Service areas"), "service_areas"),
        ),
        help=_("What it does, for whom and in which services."),
    ),
    Section(
        "informasjon",
        _("Informasjon"),
        (
            FieldSpec(
                "fhir_resources", _("FHIR R4 resources and interactions"), "fhir",
                help=_("One resource per line: “Patient: read, search-type”. Interactions: %(codes)s.")
                % {"codes": ", ".join(FHIR_INTERACTIONS)},
            ),
            FieldSpec("terminologies", _("Terminologies"), "multichoice", required=False, choices=TERMINOLOGIES),
            FieldSpec("national_solutions", _("National solutions integrated"), "multichoice", required=False,
                      choices=NATIONAL_SOLUTIONS),
            FieldSpec("data_location", _("Where data is stored"), "choice", choices=DATA_LOCATIONS),
            FieldSpec("processor", _("Who processes the data"), "text", help=_("Data processor and any sub-processors.")),
        ),
        help=_("Information the solution reads and writes, and where it lives."),
    ),
    Section(
        "innforing",
        _("Innføring"),
        (
            FieldSpec("prerequisites", _("Forutsetninger"), "textarea",
                      help=_("Technical and organisational prerequisites.")),
            FieldSpec("training", _("Trening"), "textarea", required=False, allow_not_applicable=True,
                      help=_("Training offered to staff.")),
            FieldSpec("onboarding_support", _("Igangkjøringstøtte"), "textarea", required=False, allow_not_applicable=True,
                      help=_("Support while taking the solution into use.")),
            FieldSpec("risks", _("Standard risikolandskap"), "risks",
                      help=_("One risk per line: “Title | likelihood 1–5 | consequence 1–5 | mitigation”.")),
        ),
        help=_("What it takes to take the solution into use, and its standard risk assessment."),
    ),
)

FIELDS: dict[str, FieldSpec] = {f"{s.key}.{f.key}": f for s in SECTIONS for f in s.fields}


def empty_declaration() -> dict:
    return {s.key: {} for s in SECTIONS}


def value_of(declaration: dict | None, path: str) -> Any:
    section, key = path.split(".", 1)
    return value_at(declaration, section, key)


def value_at(declaration: dict | None, section: str, key: str) -> Any:
    """`value_of` with the path already split (the displays walk every field of every declaration)."""
    return ((declaration or {}).get(section) or {}).get(key)


def is_not_applicable(value: Any) -> bool:
    return isinstance(value, dict) and "not_applicable" in value


def _is_empty(value: Any) -> bool:
    return value in (None, "", [], {}) or (isinstance(value, str) and not value.strip())


# Validation -------------------------------------------------------------------------------------------


def validate_declaration(declaration: Any, *, require_complete: bool = False) -> dict[str, list[str]]:
    """Errors by field path ("informasjon.fhir_resources"); empty when well-formed (and complete if asked)."""
    errors: dict[str, list[str]] = {}

    def add(path: str, message) -> None:
        errors.setdefault(path, []).append(str(message))

    if not isinstance(declaration, dict):
        return {"__all__": [str(_("A declaration must be an object with one entry per section."))]}
    known_sections = {s.key for s in SECTIONS}
    for key in declaration:
        if key not in known_sections:
            add(key, _("Unknown section “%(key)s”.") % {"key": key})
    for path, spec in FIELDS.items():
        section_key = path.split(".")[0]
        section = declaration.get(section_key) or {}
        if not isinstance(section, dict):
            add(section_key, _("This section must be an object."))
            continue
        value = section.get(spec.key)
        if is_not_applicable(value):
            reasons = {code for code, _label in NOT_APPLICABLE_REASONS}
            if not spec.allow_not_applicable:
                add(path, _("“%(field)s” cannot be answered with “does not apply”.") % {"field": spec.label})
            elif value.get("not_applicable") not in reasons:
                add(path, _("“Does not apply” needs one of the permitted justifications."))
            continue
        if _is_empty(value):
            if require_complete and spec.required:
                add(path, _("“%(field)s” must be filled in.") % {"field": spec.label})
            elif require_complete and spec.allow_not_applicable:
                add(path, _("Fill in “%(field)s” or say why it does not apply.") % {"field": spec.label})
            continue
        for message in _validate_value(spec, value):
            add(path, message)
    return errors


def _validate_value(spec: FieldSpec, value: Any) -> Iterable:
    if spec.kind in ("text", "textarea"):
        if not isinstance(value, str):
            yield _("Must be text.")
    elif spec.kind in ("lines", "service_areas"):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            yield _("Must be a list of texts.")
    elif spec.kind == "choice":
        if value not in {code for code, _label in spec.choices}:
            yield _("“%(value)s” is not one of the allowed values.") % {"value": value}
    elif spec.kind == "multichoice":
        allowed = {code for code, _label in spec.choices}
        if not isinstance(value, list):
            yield _("Must be a list.")
        else:
            for item in value:
                if item not in allowed:
                    yield _("“%(value)s” is not in the known list.") % {"value": item}
    elif spec.kind == "fhir":
        yield from _validate_fhir(value)
    elif spec.kind == "risks":
        yield from _validate_risks(value)


def _validate_fhir(value: Any) -> Iterable:
    if not isinstance(value, dict):
        yield _("Must map FHIR resource types to interactions.")
        return
    for resource_type, interactions in value.items():
        if resource_type not in FHIR_R4_RESOURCE_TYPES:
            yield _("“%(type)s” is not a FHIR R4 resource type.") % {"type": resource_type}
        if not isinstance(interactions, list) or not interactions:
            yield _("%(type)s needs at least one interaction.") % {"type": resource_type}
            continue
        for interaction in interactions:
            if interaction not in FHIR_INTERACTIONS:
                yield _("“%(interaction)s” is not a FHIR interaction (%(type)s).") % {"interaction": interaction, "type": resource_type}


def _validate_risks(value: Any) -> Iterable:
    if not isinstance(value, list):
        yield _("Must be a list of risks.")
        return
    for number, risk in enumerate(value, start=1):
        if not isinstance(risk, dict) or not str(risk.get("title", "")).strip():
            yield _("Risk %(n)s needs a title.") % {"n": number}
            continue
        for key in ("likelihood", "consequence"):
            if risk.get(key) not in RISK_SCALE:
                yield _("Risk %(n)s: %(what)s must be a whole number from 1 to 5.") % {
                    "n": number, "what": _("likelihood") if key == "likelihood" else _("consequence")}
        if not str(risk.get("mitigation", "")).strip():
            yield _("Risk %(n)s needs a mitigation.") % {"n": number}


# Text formats used by the form (work without JavaScript) ------------------------------------------------


def fhir_to_text(value: dict) -> str:
    return "\n".join(f"{rtype}: {', '.join(interactions)}" for rtype, interactions in (value or {}).items())


def fhir_from_text(text: str) -> dict:
    result: dict[str, list[str]] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        rtype, _sep, rest = line.partition(":")
        interactions = [i.strip() for i in rest.split(",") if i.strip()]
        result[rtype.strip()] = interactions
    return result


def risks_to_text(value: list) -> str:
    return "\n".join(
        f"{r.get('title', '')} | {r.get('likelihood', '')} | {r.get('consequence', '')} | {r.get('mitigation', '')}"
        for r in (value or [])
    )


def risks_from_text(text: str) -> list[dict]:
    risks = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]

        def number(raw: str):
            return int(raw) if raw.isdigit() else raw

        risks.append({"title": parts[0], "likelihood": number(parts[1]), "consequence": number(parts[2]), "mitigation": parts[3]})
    return risks


# The form ---------------------------------------------------------------------------------------------


def _service_area_choices() -> list[tuple[str, str]]:
    from .models import ServiceArea

    return [(a.slug, a.display_name) for a in ServiceArea.objects.filter(is_active=True).order_by("category__order", "order")]


class DeclarationForm(forms.Form):
    """All sections as one form; field names are "<section>__<field>" (plus "__na" for "does not apply")."""

    def __init__(self, data=None, *, initial: dict | None = None, require_complete: bool = False, prefix=None):
        super().__init__(data=data, prefix=prefix)
        self.require_complete = require_complete
        self.sections = []
        areas = None
        for section in SECTIONS:
            names = []
            for spec in section.fields:
                name = f"{section.key}__{spec.key}"
                current = value_of(initial, f"{section.key}.{spec.key}")
                if spec.kind == "service_areas" and areas is None:
                    areas = _service_area_choices()
                self.fields[name] = self._form_field(spec, current, areas)
                names.append(name)
                if spec.allow_not_applicable:
                    na_name = f"{name}__na"
                    self.fields[na_name] = forms.ChoiceField(
                        label=_("Does not apply: justification for “%(field)s”") % {"field": spec.label},
                        choices=[("", _("— it applies —"))] + list(NOT_APPLICABLE_REASONS),
                        required=False,
                        initial=current.get("not_applicable") if is_not_applicable(current) else "",
                    )
                    names.append(na_name)
            self.sections.append((section, names))

    @staticmethod
    def _form_field(spec: FieldSpec, current: Any, areas) -> forms.Field:
        common = {"label": spec.label, "required": False, "help_text": spec.help}
        if is_not_applicable(current):
            current = None
        if spec.kind == "text":
            return forms.CharField(max_length=500, initial=current or "", **common)
        if spec.kind == "textarea":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, initial=current or "", **common)
        if spec.kind == "lines":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="\n".join(current or []), **common)
        if spec.kind == "choice":
            return forms.ChoiceField(choices=[("", "—")] + list(spec.choices), initial=current or "", **common)
        if spec.kind == "multichoice":
            return forms.MultipleChoiceField(choices=spec.choices, widget=forms.CheckboxSelectMultiple, initial=current or [], **common)
        if spec.kind == "service_areas":
            return forms.MultipleChoiceField(choices=areas or [], widget=forms.CheckboxSelectMultiple, initial=current or [], **common)
        if spec.kind == "fhir":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), initial=fhir_to_text(current or {}), **common)
        if spec.kind == "risks":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), initial=risks_to_text(current or []), **common)
        raise ValueError(spec.kind)

    def _value(self, spec: FieldSpec, raw: Any) -> Any:
        if spec.kind in ("text", "textarea"):
            return (raw or "").strip()
        if spec.kind == "lines":
            return [line.strip() for line in (raw or "").splitlines() if line.strip()]
        if spec.kind in ("multichoice", "service_areas"):
            return list(raw or [])
        if spec.kind == "choice":
            return raw or ""
        if spec.kind == "fhir":
            return fhir_from_text(raw)
        if spec.kind == "risks":
            return risks_from_text(raw)
        raise ValueError(spec.kind)

    def clean(self):
        cleaned = super().clean()
        declaration = empty_declaration()
        for section in SECTIONS:
            for spec in section.fields:
                name = f"{section.key}__{spec.key}"
                value = self._value(spec, cleaned.get(name))
                reason = cleaned.get(f"{name}__na") if spec.allow_not_applicable else ""
                if reason:
                    if not _is_empty(value):
                        self.add_error(f"{name}__na", _("Leave “%(field)s” empty when it does not apply.") % {"field": spec.label})
                    value = {"not_applicable": reason}
                if not _is_empty(value):
                    declaration[section.key][spec.key] = value
        for path, messages in validate_declaration(declaration, require_complete=self.require_complete).items():
            name = path.replace(".", "__")
            self.add_error(name if name in self.fields else None, messages)
        self._declaration = declaration
        return cleaned

    def declaration(self) -> dict:
        """The cleaned declaration dict (call after is_valid())."""
        return self._declaration


# Display and comparison -------------------------------------------------------------------------------


def display_value(
    spec: FieldSpec,
    value: Any,
    area_names: dict[str, str] | None = None,
    *,
    choice_labels: dict[str, str] | None = None,
) -> str:
    """The value as text in the active language. `choice_labels` are the field's, when the caller has them
    (`field_texts`)."""
    if is_not_applicable(value):
        reason = dict(NOT_APPLICABLE_REASONS).get(value.get("not_applicable"), value.get("not_applicable"))
        return str(_("Does not apply: %(reason)s") % {"reason": reason})
    if _is_empty(value):
        return ""
    if spec.kind in ("choice",):
        return str((choice_labels or _choice_labels(spec)).get(value, value))
    if spec.kind == "multichoice":
        labels = choice_labels or _choice_labels(spec)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if spec.kind == "service_areas":
        return ", ".join((area_names or {}).get(v, v) for v in value)
    if spec.kind == "lines":
        return "\n".join(value)
    if spec.kind == "fhir":
        return fhir_to_text(value)
    if spec.kind == "risks":
        line = _risk_line()
        return "\n".join(
            line % {"title": r.get("title"), "l": r.get("likelihood"), "c": r.get("consequence"),
                    "mitigation": r.get("mitigation")}
            for r in value
        )
    return str(value)


@per_language
def _risk_line() -> str:
    return gettext("%(title)s (likelihood %(l)s, consequence %(c)s): %(mitigation)s")


def _choice_labels(spec: FieldSpec) -> dict[str, str]:
    """The field's choice labels in the active language: for a field of SECTIONS those `field_texts` keeps
    (translated once per language and process), for any other translated now."""
    labels = _choice_labels_by_field().get(id(spec))
    return labels if labels is not None else _translated_choices(spec)


def _translated_choices(spec: FieldSpec) -> dict[str, str]:
    return {value: str(label) for value, label in spec.choices}


class FieldText(NamedTuple):
    """A field of the schema with its texts in one language: what a display of every field needs per field."""

    section: Section
    spec: FieldSpec
    label: str
    choice_labels: dict[str, str]


@per_language
def field_texts() -> tuple[FieldText, ...]:
    """Every field of SECTIONS, in order, with its label and choice labels in the active language; translated
    once per language and process (a comparison of four shows each field's label once and its choices four
    times)."""
    return tuple(
        FieldText(section, spec, str(spec.label), _translated_choices(spec))
        for section in SECTIONS
        for spec in section.fields
    )


@per_language
def _choice_labels_by_field() -> dict[int, dict[str, str]]:
    """field_texts' choice labels by field (SECTIONS holds its fields for good, so their ids stay theirs)."""
    return {id(text.spec): text.choice_labels for text in field_texts()}


def _area_names() -> dict[str, str]:
    from .models import ServiceArea

    return {a.slug: a.display_name for a in ServiceArea.objects.all()}


def declaration_sections(declaration: dict | None, *, area_names: dict[str, str] | None = None) -> list[dict]:
    """The declaration as [{"section", "rows": [{"label", "value", "help"}]}] for display."""
    names = area_names if area_names is not None else _area_names()
    sections: list[dict] = []
    for text in field_texts():
        if not sections or sections[-1]["section"] is not text.section:
            sections.append({"section": text.section, "rows": []})
        value = value_at(declaration, text.section.key, text.spec.key)
        sections[-1]["rows"].append({
            "key": text.spec.key,
            "label": text.label,
            "value": display_value(text.spec, value, names, choice_labels=text.choice_labels),
        })
    return sections


def _comparable(spec: FieldSpec, value: Any) -> Any:
    if isinstance(value, list) and spec.kind in ("multichoice", "service_areas", "lines"):
        return sorted(value)
    if spec.kind == "fhir" and isinstance(value, dict):
        return {k: sorted(v) for k, v in value.items()}
    return value


def compare_declarations(
    declarations: list[dict | None], *, area_names: dict[str, str] | None = None
) -> list[dict]:
    """Rows for a side-by-side table: one per field, values per declaration, `differs` when they are not all equal.
    `area_names` (slug → display name) spares the query for the service areas when the caller has them."""
    names = area_names if area_names is not None else _area_names()
    rows = []
    for section, spec, label, choice_labels in field_texts():
        raw = [value_at(d, section.key, spec.key) for d in declarations]
        comparable = [_comparable(spec, v) for v in raw]
        rows.append({
            "section": section,
            "label": label,
            "values": [display_value(spec, v, names, choice_labels=choice_labels) for v in raw],
            "differs": any(c != comparable[0] for c in comparable[1:]),
        })
    return rows


def declaration_fit(desired: dict | None, offered: dict | None) -> list[dict]:
    """How an offered declaration meets a desired one, per field: met, partly, not met or not asked (STO-4)."""
    results = []
    for section in SECTIONS:
        for spec in section.fields:
            want = value_of(desired, f"{section.key}.{spec.key}")
            have = value_of(offered, f"{section.key}.{spec.key}")
            if _is_empty(want) or is_not_applicable(want):
                status = "not_asked"
            elif spec.kind in ("multichoice", "service_areas", "lines"):
                missing = set(want) - set(have or [])
                status = "met" if not missing else ("partly" if missing != set(want) else "not_met")
            elif spec.kind == "fhir":
                have = have or {}
                missing = [(r, i) for r, ints in want.items() for i in ints if i not in have.get(r, [])]
                total = sum(len(ints) for ints in want.values())
                status = "met" if not missing else ("partly" if len(missing) < total else "not_met")
            elif spec.kind == "choice":
                status = "met" if want == have else "not_met"
            else:
                status = "met" if not _is_empty(have) and not is_not_applicable(have) else "not_met"
            results.append({"section": section, "label": spec.label, "status": status})
    return results
