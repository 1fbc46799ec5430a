"""Check 4: the sandbox answers GET [base]/metadata with a valid CapabilityStatement for FHIR 4.0.x (VER-3.4)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import _fhir
from .base import PASS, WARN, Check, CheckContext, Outcome, register


@register
class CapabilityStatementValid(Check):
    id = "fhir_capability_statement"
    title = _("FHIR CapabilityStatement")
    description = _("The sandbox's FHIR endpoint answers GET [base]/metadata with a valid CapabilityStatement "
                    "for FHIR R4 (4.0.x).")
    order = 40
    uses_network = True

    def run(self, context: CheckContext) -> Outcome:
        capability = _fhir.load_capability(context)
        if capability.errors:
            context.problems(_("Validation errors (fhir.resources, R4B models)"), capability.errors)
        if not capability.usable:
            return Outcome(capability.problem_status, capability.problem, capability.problem_params)
        resources = capability.server_resources()
        context.note(_("FHIR version %(version)s; resource types the server lists: %(count)s."),
                     {"version": capability.fhir_version, "count": len(resources)})
        media_type = capability.content_type.split(";")[0].strip().lower()
        if media_type not in (_fhir.FHIR_JSON, "application/json"):
            return Outcome(WARN, _("A valid CapabilityStatement for FHIR %(version)s, but served as “%(type)s” "
                                   "instead of application/fhir+json."),
                           {"version": capability.fhir_version, "type": media_type or "?"})
        return Outcome(PASS, _("A valid CapabilityStatement for FHIR %(version)s."), {"version": capability.fhir_version})
