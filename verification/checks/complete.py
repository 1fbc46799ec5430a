"""Check 1: the declaration is complete — every mandatory field is filled (VER-3.1)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.declaration import FIELDS, SECTIONS, validate_declaration

from .base import FAIL, PASS, Check, CheckContext, Outcome, localize, register


@register
class DeclarationComplete(Check):
    id = "declaration_complete"
    title = _("Declaration complete")
    description = _("Every mandatory field of the declaration is filled in, and every optional one is answered "
                    "or says why it does not apply.")
    order = 10

    def run(self, context: CheckContext) -> Outcome:
        errors = validate_declaration(context.declaration, require_complete=True)
        # Only what is missing counts here; malformed values are check 2's business.
        missing = [path for path in errors if path in FIELDS and not _is_filled(context.declaration, path)]
        if not missing:
            return Outcome(PASS, _("All %(count)s fields of the declaration are answered."), {"count": len(FIELDS)})
        titles = {s.key: s.title for s in SECTIONS}
        context.problems(
            _("Missing answers"),
            [localize("%(section)s: %(field)s", {"section": titles[path.split(".")[0]], "field": FIELDS[path].label})
             for path in missing],
        )
        return Outcome(FAIL, ngettext_lazy("%(count)s mandatory answer is missing.", "%(count)s mandatory answers are missing.",
                                         "count"), {"count": len(missing)})


def _is_filled(declaration: dict, path: str) -> bool:
    section, key = path.split(".", 1)
    value = (declaration.get(section) or {}).get(key) if isinstance(declaration.get(section), dict) else None
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, [], {})
