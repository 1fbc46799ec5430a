"""Check 2: the declaration is consistent (VER-3.2): FHIR R4 resource types and interactions are valid,
terminologies and national solutions come from the known lists, the risk assessment is well-formed, and the
declared service areas match the product's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.declaration import FIELDS, SECTIONS, validate_declaration

from . import _fhir
from .base import FAIL, PASS, WARN, Check, CheckContext, Outcome, localize, register


@register
class DeclarationConsistent(Check):
    id = "declaration_consistent"
    title = _("Declaration consistent")
    description = _("Declared FHIR R4 resource types and interactions are valid, terminologies and national "
                    "solutions are from the known lists, and the risk assessment is well-formed.")
    order = 20

    def run(self, context: CheckContext) -> Outcome:
        errors = validate_declaration(context.declaration, require_complete=False)
        titles = {s.key: s.title for s in SECTIONS}
        problems = []
        for path, messages in errors.items():
            label = FIELDS[path].label if path in FIELDS else path
            section = titles.get(path.split(".")[0], "")
            for message in messages:
                problems.append(localize("%(section)s – %(field)s: %(message)s",
                                         {"section": section, "field": label, "message": message}))
        if problems:
            context.problems(_("Inconsistencies"), problems)
            return Outcome(FAIL, ngettext_lazy("The declaration has %(count)s inconsistency.",
                                                       "The declaration has %(count)s inconsistencies.", "count"), {"count": len(problems)})

        warnings = []
        r4_only = sorted(t for t in context.declared_fhir if not _fhir.has_r4b_model(t))
        if r4_only:
            warnings.append(localize(
                _("%(types)s exist in FHIR R4 but not in the R4B models used to validate content; their content "
                  "is checked for structure only."), {"types": ", ".join(r4_only)}))
        declared_areas = set(((context.declaration.get("funksjon") or {}).get("service_areas")) or [])
        product_areas = {area.slug for area in context.product.service_areas.all()}
        if declared_areas and product_areas and declared_areas != product_areas:
            warnings.append(localize(
                _("The declaration's service areas (%(declared)s) differ from the product's (%(product)s)."),
                {"declared": ", ".join(sorted(declared_areas)), "product": ", ".join(sorted(product_areas))}))
        if context.declared_fhir and not context.product.fhir_base_url:
            warnings.append(localize(_("FHIR resources are declared, but the product has no FHIR base URL.")))
        if warnings:
            context.problems(_("Remarks"), warnings)
            return Outcome(WARN, ngettext_lazy("The declaration is consistent, with %(count)s remark.",
                                                       "The declaration is consistent, with %(count)s remarks.", "count"), {"count": len(warnings)})
        return Outcome(PASS, _("The declaration is consistent: valid FHIR resource types (%(count)s), known "
                               "terminologies and national solutions, and a well-formed risk assessment."),
                       {"count": len(context.declared_fhir)})
