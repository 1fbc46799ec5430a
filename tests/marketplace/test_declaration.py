"""The shared Produktdeklarasjon schema (INN-2, VER-2, STO-4): validation, the form, comparison and fit."""

from __future__ import annotations

import copy

import pytest

from marketplace.declaration import (
    FIELDS,
    NOT_APPLICABLE_REASONS,
    DeclarationForm,
    compare_declarations,
    declaration_fit,
    declaration_sections,
    display_value,
    empty_declaration,
    fhir_from_text,
    fhir_to_text,
    risks_from_text,
    risks_to_text,
    validate_declaration,
)

from ..factories import ServiceAreaFactory

FHIR = "informasjon.fhir_resources"
RISKS = "innforing.risks"


def complete() -> dict:
    return {
        "funksjon": {
            "description": "Kognitiv kartlegging med MoCA og MMSE-NR, med resultater rett i journalen.",
            "work_processes": ["Kartlegging", "Oppfølging"],
            "professions": ["sykepleier", "ergoterapeut"],
            "service_areas": ["hjemmetjenester"],
        },
        "informasjon": {
            "fhir_resources": {"Patient": ["read", "search-type"], "Observation": ["read", "create"]},
            "terminologies": ["SNOMED CT", "ICPC-2"],
            "national_solutions": ["Helsenorge"],
            "data_location": "norway",
            "processor": "Kartleggeren AS, drift hos Basefarm",
        },
        "innforing": {
            "prerequisites": "EPJ med FHIR-grensesnitt.",
            "training": "To timers e-læring.",
            "onboarding_support": {"not_applicable": "by_partner"},
            "risks": [
                {"title": "Feil pasient", "likelihood": 1, "consequence": 5, "mitigation": "Dobbel identifisering"},
                {"title": "Nedetid", "likelihood": 3, "consequence": 2, "mitigation": "Papirrutine"},
            ],
        },
    }


def with_value(path: str, value) -> dict:
    declaration = complete()
    section, key = path.split(".")
    declaration[section][key] = value
    return declaration


# validate_declaration ------------------------------------------------------------------------------------


def test_complete_declaration_is_valid():
    assert validate_declaration(complete(), require_complete=True) == {}


def test_not_an_object_is_refused():
    assert list(validate_declaration(["funksjon"])) == ["__all__"]


def test_unknown_section_is_refused():
    declaration = complete()
    declaration["hemmelig"] = {}
    assert list(validate_declaration(declaration)) == ["hemmelig"]


def test_unknown_fhir_resource_type_is_refused():
    errors = validate_declaration(with_value(FHIR, {"Patient": ["read"], "Pasient": ["read"]}))
    assert list(errors) == [FHIR]
    assert "Pasient" in errors[FHIR][0]


@pytest.mark.parametrize("interactions", [["read", "fly"], ["READ"], [], "read"])
def test_bad_fhir_interactions_are_refused(interactions):
    errors = validate_declaration(with_value(FHIR, {"Patient": interactions}))
    assert list(errors) == [FHIR]


def test_fhir_must_map_types_to_interactions():
    assert list(validate_declaration(with_value(FHIR, ["Patient"]))) == [FHIR]


@pytest.mark.parametrize("reason", ["", None, "lazy", "Not offered"])
def test_does_not_apply_needs_a_permitted_justification(reason):
    errors = validate_declaration(with_value("innforing.training", {"not_applicable": reason}))
    assert list(errors) == ["innforing.training"]


@pytest.mark.parametrize("reason", ["not_offered", "by_customer", "by_partner"])
def test_does_not_apply_with_a_permitted_justification_is_valid(reason):
    declaration = with_value("innforing.training", {"not_applicable": reason})
    assert validate_declaration(declaration, require_complete=True) == {}


@pytest.mark.parametrize("path", ["innforing.prerequisites", "funksjon.description", FHIR, RISKS])
def test_does_not_apply_is_refused_where_the_field_does_not_allow_it(path):
    errors = validate_declaration(with_value(path, {"not_applicable": "not_offered"}))
    assert list(errors) == [path]


def test_incomplete_declaration_passes_as_draft_but_not_when_complete_is_required():
    assert validate_declaration(empty_declaration()) == {}
    errors = validate_declaration(empty_declaration(), require_complete=True)
    required = {path for path, spec in FIELDS.items() if spec.required}
    either = {path for path, spec in FIELDS.items() if spec.allow_not_applicable}
    assert set(errors) == required | either
    assert "informasjon.terminologies" not in errors  # optional


@pytest.mark.parametrize("value", [0, 6, "3", 2.5, None, -1])
def test_risk_likelihood_and_consequence_must_be_1_to_5(value):
    risks = [{"title": "Feil", "likelihood": value, "consequence": 3, "mitigation": "Rutine"}]
    assert list(validate_declaration(with_value(RISKS, risks))) == [RISKS]
    risks = [{"title": "Feil", "likelihood": 3, "consequence": value, "mitigation": "Rutine"}]
    assert list(validate_declaration(with_value(RISKS, risks))) == [RISKS]


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_risk_scale_accepts_1_to_5(value):
    risks = [{"title": "Feil", "likelihood": value, "consequence": value, "mitigation": "Rutine"}]
    assert validate_declaration(with_value(RISKS, risks)) == {}


@pytest.mark.parametrize("risk", [{"title": "", "likelihood": 1, "consequence": 1, "mitigation": "x"},
                                  {"title": "Feil", "likelihood": 1, "consequence": 1, "mitigation": " "},
                                  "Feil | 1 | 1 | x"])
def test_risk_needs_title_and_mitigation(risk):
    assert list(validate_declaration(with_value(RISKS, [risk]))) == [RISKS]


@pytest.mark.parametrize(("path", "value"), [
    ("informasjon.data_location", "mars"),
    ("informasjon.terminologies", ["SNOMED CT", "Egen kodeliste"]),
    ("informasjon.terminologies", "SNOMED CT"),
    ("funksjon.work_processes", "Kartlegging"),
    ("funksjon.work_processes", ["Kartlegging", " "]),
    ("funksjon.description", ["ikke tekst"]),
])
def test_wrong_shapes_and_unknown_values_are_refused(path, value):
    assert list(validate_declaration(with_value(path, value))) == [path]


# The form ----------------------------------------------------------------------------------------------


@pytest.fixture
def areas(db):
    return [ServiceAreaFactory(slug="hjemmetjenester", name="Hjemmetjenester"),
            ServiceAreaFactory(slug="sykehjem", name="Sykehjem")]


def form_data(form: DeclarationForm) -> dict:
    """What the browser sends back for a form shown with its initial values."""
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if isinstance(value, list):
            data[name] = value
        elif value not in (None, ""):
            data[name] = str(value)
    return data


@pytest.mark.django_db
def test_form_shows_fhir_and_risks_as_text():
    form = DeclarationForm(initial=complete())
    assert form.fields["informasjon__fhir_resources"].initial == "Patient: read, search-type\nObservation: read, create"
    assert form.fields["innforing__risks"].initial == ("Feil pasient | 1 | 5 | Dobbel identifisering\n"
                                                      "Nedetid | 3 | 2 | Papirrutine")
    assert form.fields["innforing__onboarding_support__na"].initial == "by_partner"
    assert form.fields["innforing__onboarding_support"].initial == ""
    assert "innforing__prerequisites__na" not in form.fields  # only where "does not apply" is allowed


def test_form_round_trip_gives_the_same_declaration(areas):
    shown = DeclarationForm(initial=complete())
    form = DeclarationForm(form_data(shown), require_complete=True)
    assert form.is_valid(), form.errors
    assert form.declaration() == complete()


def test_form_reads_the_text_formats(areas):
    data = form_data(DeclarationForm(initial=complete()))
    data["informasjon__fhir_resources"] = "Patient: read\n\n  Encounter :  read , search-type  \n"
    data["innforing__risks"] = "Tap av data | 2 | 4 | Sikkerhetskopi\n"
    form = DeclarationForm(data)
    assert form.is_valid(), form.errors
    assert form.declaration()["informasjon"]["fhir_resources"] == {"Patient": ["read"], "Encounter": ["read", "search-type"]}
    assert form.declaration()["innforing"]["risks"] == [
        {"title": "Tap av data", "likelihood": 2, "consequence": 4, "mitigation": "Sikkerhetskopi"}]


@pytest.mark.parametrize(("text", "message_part"), [("Pasient: read", "Pasient"), ("Patient: fly", "fly"),
                                                    ("Patient", "Patient")])
def test_form_shows_fhir_errors_at_the_field(areas, text, message_part):
    data = form_data(DeclarationForm(initial=complete()))
    data["informasjon__fhir_resources"] = text
    form = DeclarationForm(data)
    assert not form.is_valid()
    assert list(form.errors) == ["informasjon__fhir_resources"]
    assert message_part in form.errors["informasjon__fhir_resources"][0]


@pytest.mark.parametrize("text", ["Tap av data | 7 | 2 | Backup", "Tap av data | to | 2 | Backup", "Tap av data | 2 | 2",
                                  " | 2 | 2 | Backup"])
def test_form_shows_risk_errors_at_the_field(areas, text):
    data = form_data(DeclarationForm(initial=complete()))
    data["innforing__risks"] = text
    form = DeclarationForm(data)
    assert not form.is_valid()
    assert list(form.errors) == ["innforing__risks"]


def test_form_does_not_apply_with_a_value_is_refused_at_the_justification(areas):
    data = form_data(DeclarationForm(initial=complete()))
    data["innforing__training__na"] = "not_offered"  # training is also filled in
    form = DeclarationForm(data)
    assert not form.is_valid()
    assert list(form.errors) == ["innforing__training__na"]


def test_form_does_not_apply_without_a_value_is_stored_as_such(areas):
    data = form_data(DeclarationForm(initial=complete()))
    data["innforing__training"] = ""
    data["innforing__training__na"] = "by_customer"
    form = DeclarationForm(data, require_complete=True)
    assert form.is_valid(), form.errors
    assert form.declaration()["innforing"]["training"] == {"not_applicable": "by_customer"}


def test_form_refuses_an_unknown_justification_and_unknown_service_area(areas):
    data = form_data(DeclarationForm(initial=complete()))
    data["innforing__onboarding_support__na"] = "lazy"
    data["funksjon__service_areas"] = ["hjemmetjenester", "finnes-ikke"]
    form = DeclarationForm(data)
    assert not form.is_valid()
    assert set(form.errors) == {"innforing__onboarding_support__na", "funksjon__service_areas"}


def test_empty_form_is_a_valid_draft_but_not_a_complete_declaration(areas):
    draft = DeclarationForm({})
    assert draft.is_valid()
    assert draft.declaration() == empty_declaration()
    final = DeclarationForm({}, require_complete=True)
    assert not final.is_valid()
    assert "funksjon__description" in final.errors
    assert "innforing__training" in final.errors  # fill it in or say why it does not apply


def test_text_formats_round_trip():
    fhir = {"Patient": ["read", "search-type"], "Observation": ["create"]}
    assert fhir_from_text(fhir_to_text(fhir)) == fhir
    risks = complete()["innforing"]["risks"]
    assert risks_from_text(risks_to_text(risks)) == risks


# Display, comparison and fit ------------------------------------------------------------------------------


def test_display_shows_labels_and_does_not_apply_reasons(areas):
    sections = declaration_sections(complete())
    rows = {row["key"]: row["value"] for section in sections for row in section["rows"]}
    assert rows["service_areas"] == "Hjemmetjenester"
    assert rows["fhir_resources"] == "Patient: read, search-type\nObservation: read, create"
    assert rows["data_location"] == str(dict(FIELDS["informasjon.data_location"].choices)["norway"])
    assert rows["onboarding_support"].endswith(str(dict(NOT_APPLICABLE_REASONS)["by_partner"]))
    assert "Feil pasient" in rows["risks"] and "5" in rows["risks"]
    assert display_value(FIELDS["funksjon.description"], "") == ""


@pytest.mark.django_db
def test_compare_flags_only_real_differences():
    first = complete()
    second = copy.deepcopy(first)
    second["informasjon"]["data_location"] = "eea"
    second["informasjon"]["terminologies"] = ["ICPC-2", "SNOMED CT"]  # same set, other order
    second["informasjon"]["fhir_resources"] = {"Observation": ["create", "read"], "Patient": ["search-type", "read"]}
    second["innforing"]["training"] = {"not_applicable": "not_offered"}
    rows = {str(row["label"]): row for row in compare_declarations([first, second, copy.deepcopy(first)])}
    differs = {label for label, row in rows.items() if row["differs"]}
    assert differs == {str(FIELDS["informasjon.data_location"].label), str(FIELDS["innforing.training"].label)}
    assert len(rows[str(FIELDS["informasjon.data_location"].label)]["values"]) == 3


@pytest.mark.django_db
def test_display_and_compare_follow_the_active_language():
    """Labels and choices are translated once per language (field_texts), and each language gets its own."""
    from django.utils import translation

    for language, label, value in (("nb", "Hvor dataene lagres", "Norge"), ("en", "Where data is stored", "Norway"),
                                   ("nb", "Hvor dataene lagres", "Norge")):
        with translation.override(language):
            rows = {row["label"]: row for row in compare_declarations([complete(), complete()])}
            assert rows[label]["values"] == [value, value]
            shown = {row["label"]: row["value"] for item in declaration_sections(complete()) for row in item["rows"]}
            assert shown[label] == value


@pytest.mark.django_db
def test_compare_with_a_missing_declaration():
    rows = compare_declarations([complete(), None])
    assert all(row["values"][1] == "" for row in rows)
    assert all(row["differs"] for row in rows)


def fit(desired, offered) -> dict[str, str]:
    return {f"{r['section'].key}.{spec_key}": r["status"]
            for r, spec_key in zip(declaration_fit(desired, offered), [p.split(".")[1] for p in FIELDS])}


def test_fit_of_a_declaration_with_itself_is_all_met():
    statuses = fit(complete(), complete())
    assert statuses["funksjon.description"] == "met"
    assert statuses[FHIR] == "met"
    assert statuses["innforing.onboarding_support"] == "not_asked"  # "does not apply" is not asked for
    assert set(statuses.values()) == {"met", "not_asked"}


@pytest.mark.parametrize(("path", "want", "have", "status"), [
    ("informasjon.terminologies", ["SNOMED CT", "ICPC-2"], ["SNOMED CT", "ICPC-2", "LOINC"], "met"),
    ("informasjon.terminologies", ["SNOMED CT", "ICPC-2"], ["SNOMED CT"], "partly"),
    ("informasjon.terminologies", ["SNOMED CT", "ICPC-2"], [], "not_met"),
    ("informasjon.terminologies", ["SNOMED CT"], None, "not_met"),
    (FHIR, {"Patient": ["read", "search-type"]}, {"Patient": ["read", "search-type", "create"]}, "met"),
    (FHIR, {"Patient": ["read", "search-type"]}, {"Patient": ["read"]}, "partly"),
    (FHIR, {"Patient": ["read"], "Observation": ["read"]}, {"Patient": ["read"]}, "partly"),
    (FHIR, {"Patient": ["read"]}, {"Observation": ["read"]}, "not_met"),
    (FHIR, {"Patient": ["read"]}, None, "not_met"),
    ("informasjon.data_location", "norway", "norway", "met"),
    ("informasjon.data_location", "norway", "eea", "not_met"),
    ("innforing.training", "Kurs for alle ansatte", "E-læring", "met"),
    ("innforing.training", "Kurs for alle ansatte", {"not_applicable": "not_offered"}, "not_met"),
    ("innforing.training", "Kurs for alle ansatte", "", "not_met"),
    ("innforing.training", "", "E-læring", "not_asked"),
    ("innforing.training", {"not_applicable": "by_customer"}, "", "not_asked"),
])
def test_fit_per_field(path, want, have, status):
    desired = with_value(path, want)
    offered = with_value(path, have)
    assert fit(desired, offered)[path] == status


def test_fit_against_nothing_offered():
    statuses = fit(complete(), None)
    assert statuses["funksjon.description"] == "not_met"
    assert statuses["innforing.onboarding_support"] == "not_asked"


@pytest.mark.parametrize(
    "value",
    [
        "Én linje & <mer>",
        "Første\nandre",
        "Første\r\nandre\rtredje",
        "Slutter med linjeskift\n",
        "",
    ],
)
def test_values_are_written_as_html_as_the_linebreaksbr_filter_writes_them(value):
    """The Python-written declaration and comparison show a value as `{{ value|linebreaksbr }}` would."""
    from django.template import engines

    from marketplace.templatetags.declarations import lines_html

    expected = engines["django"].from_string("{{ value|linebreaksbr }}").render({"value": value})
    assert lines_html(value) == expected


@pytest.mark.django_db
def test_risks_are_shown_one_per_line_in_the_active_language():
    from django.utils import translation

    risks = [
        {"title": "Feil pasient", "likelihood": 2, "consequence": 5, "mitigation": "Dobbel identifikasjon."},
        {"title": "Nedetid", "likelihood": 3, "consequence": 3, "mitigation": "Papirrutine."},
    ]
    with translation.override("en"):
        shown = display_value(FIELDS["innforing.risks"], risks)
    assert shown == (
        "Feil pasient (likelihood 2, consequence 5): Dobbel identifikasjon.\n"
        "Nedetid (likelihood 3, consequence 3): Papirrutine."
    )
    with translation.override("nb"):
        assert display_value(FIELDS["innforing.risks"], risks[:1]) != shown.split("\n")[0]


def test_choices_of_a_field_outside_the_schema_are_shown_by_their_labels_too():
    """The schema's fields read their choice labels from field_texts; any other field translates its own."""
    from django.utils import translation

    from marketplace.declaration import DATA_LOCATIONS, FieldSpec

    other = FieldSpec("where", "Where", "choice", choices=DATA_LOCATIONS)
    with translation.override("nb"):
        assert display_value(other, "norway") == "Norge"
        assert display_value(FIELDS["informasjon.data_location"], "norway") == "Norge"
        assert display_value(other, "unknown") == "unknown"
    with translation.override("en"):
        assert display_value(other, "eea") == "EU/EEA"
