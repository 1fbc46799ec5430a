"""Check 5: every declared resource type and interaction is supported according to the CapabilityStatement
(VER-3.5)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import _fhir
from .base import FAIL, PASS, SKIPPED, Check, CheckContext, Outcome, localize, register


@register
class DeclaredResourcesSupported(Check):
    id = "fhir_declared_support"
    title = _("Declared FHIR resources supported")
    description = _("Every resource type and interaction in the declaration is supported according to the "
                    "sandbox's CapabilityStatement.")
    order = 50
    uses_network = True

    def run(self, context: CheckContext) -> Outcome:
        declared = context.declared_fhir
        if not declared:
            return Outcome(SKIPPED, _("The declaration lists no FHIR resources."))
        already_fetched = "capability" in context.shared
        capability = _fhir.load_capability(context)
        if already_fetched and capability.fetch is not None:
            context.note(_("Uses the CapabilityStatement fetched for check “FHIR CapabilityStatement” in this run "
                           "(%(url)s)."), {"url": capability.url})
        if not capability.usable:
            if capability.problem is not None:
                context.note(capability.problem, capability.problem_params)
            return Outcome(SKIPPED, _("Cannot be checked without a valid CapabilityStatement (see the check "
                                      "“FHIR CapabilityStatement”)."))
        supported = capability.server_resources()
        missing = []
        for resource_type, interactions in sorted(declared.items()):
            if resource_type not in supported:
                missing.append(localize(_("%(type)s: %(interactions)s (not in the CapabilityStatement)"),
                                        {"type": resource_type, "interactions": ", ".join(interactions)}))
                continue
            lacking = [i for i in interactions if i not in supported[resource_type]]
            if lacking:
                missing.append(localize(_("%(type)s: %(interactions)s"),
                                        {"type": resource_type, "interactions": ", ".join(lacking)}))
        if missing:
            context.problems(_("Declared but not supported"), missing)
            return Outcome(FAIL, ngettext_lazy("%(count)s of %(total)s declared resource types is not fully supported by "
                                               "the sandbox.", "%(count)s of %(total)s declared resource types are "
                                               "not fully supported by the sandbox.", "count"), {"count": len(missing), "total": len(declared)})
        count = sum(len(i) for i in declared.values())
        return Outcome(PASS, _("Every declared interaction is supported (interactions: %(count)s; resource types: %(types)s)."),
                       {"count": count, "types": len(declared)})

