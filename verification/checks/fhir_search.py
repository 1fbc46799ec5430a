"""Check 6: a search on each declared resource type returns a valid FHIR Bundle whose entries validate
(VER-3.6)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import _fhir
from .base import ERROR, FAIL, PASS, SKIPPED, WARN, Check, CheckContext, Outcome, localize, register

MAX_TYPES = 25
MAX_ENTRIES = 20
SEARCH_COUNT = 10


@register
class SearchReturnsValidBundles(Check):
    id = "fhir_search_bundles"
    title = _("FHIR search returns valid Bundles")
    description = _("A search on each declared searchable resource type returns a FHIR Bundle of type searchset "
                    "whose entries are valid resources of that type.")
    order = 60
    uses_network = True

    def run(self, context: CheckContext) -> Outcome:
        base = context.product.fhir_base_url
        if not base:
            return Outcome(SKIPPED, _("The product has no FHIR base URL for its sandbox."))
        searchable = sorted(t for t, interactions in context.declared_fhir.items() if "search-type" in interactions)
        if not searchable:
            return Outcome(PASS, _("No declared resource type includes the search-type interaction; nothing to "
                                   "search."))
        if len(searchable) > MAX_TYPES:
            context.note(_("Only the first %(count)s resource types are searched."), {"count": MAX_TYPES})
            searchable = searchable[:MAX_TYPES]
        failures, unreachable, unvalidated, entries_checked = [], [], [], 0
        for index, resource_type in enumerate(searchable):
            url = _fhir.fhir_url(base, f"{resource_type}?_count={SEARCH_COUNT}")
            fetch = context.fetch(url, accept=_fhir.ACCEPT_FHIR)
            if not fetch.ok:
                if fetch.error_code in _fhir.TRANSIENT:
                    unreachable.append(localize(_("%(type)s: %(reason)s"), {"type": resource_type, "reason": fetch.error}))
                    rest = searchable[index + 1:]
                    if rest:
                        context.note(_("The sandbox did not answer; the searches for %(types)s were not tried."),
                                     {"types": ", ".join(rest)})
                    break
                failures.append(localize(_("%(type)s: %(reason)s"), {"type": resource_type, "reason": fetch.error}))
                continue
            problems, checked, partial = _judge_bundle(fetch, resource_type)
            entries_checked += checked
            if partial:
                unvalidated.append(resource_type)
            failures.extend(localize(_("%(type)s: %(problem)s"), {"type": resource_type, "problem": p}) for p in problems)
        if failures:
            context.problems(_("Invalid search results"), failures)
        if unreachable:
            context.problems(_("Searches that could not be completed"), unreachable)
        if failures:
            return Outcome(FAIL, ngettext_lazy("%(count)s problem in the search results (resource types searched: %(types)s).",
                                         "%(count)s problems in the search results (resource types searched: %(types)s).",
                                         "count"),
                           {"count": len(failures), "types": len(searchable)})
        if unreachable:
            return Outcome(ERROR, _("The searches could not be completed: the sandbox did not answer."))
        if unvalidated:
            return Outcome(WARN, _("Valid Bundles (resource types searched: %(types)s); the content of %(r4)s could "
                                   "only be checked for structure (no R4B model)."),
                           {"types": len(searchable), "r4": ", ".join(unvalidated)})
        return Outcome(PASS, _("Every search returned a valid Bundle (resource types searched: %(types)s; entries "
                               "validated: %(entries)s)."), {"types": len(searchable), "entries": entries_checked})


def _judge_bundle(fetch, resource_type: str) -> tuple[list[str], int, bool]:
    """Problems with one search answer, how many entries were validated, and whether some could not be."""
    if fetch.status != 200:
        return [f"HTTP {fetch.status}"], 0, False
    try:
        bundle = fetch.json()
    except (ValueError, UnicodeDecodeError):
        return ["not JSON"], 0, False
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        found = bundle.get("resourceType", "?") if isinstance(bundle, dict) else "?"
        return [f"not a Bundle (resourceType {found})"], 0, False
    problems = []
    if bundle.get("type") != "searchset":
        problems.append(f"Bundle.type is “{bundle.get('type')}”, not “searchset”")
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        return problems + ["Bundle.entry is not a list"], 0, False
    # The Bundle itself, without its resources (validated one by one below, with clearer locations).
    shell = {**bundle, "entry": [{k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e
                                 for e in entries]}
    if not shell["entry"]:
        shell.pop("entry")
    errors, _complete = _fhir.validate_resource(shell, prefix="Bundle.")
    problems.extend(errors)
    checked, partial = 0, False
    for number, entry in enumerate(entries[:MAX_ENTRIES]):
        if not isinstance(entry, dict) or "resource" not in entry:
            continue
        resource = entry["resource"]
        mode = (entry.get("search") or {}).get("mode", "match") if isinstance(entry.get("search"), dict) else "match"
        found_type = resource.get("resourceType") if isinstance(resource, dict) else None
        if mode == "match" and found_type != resource_type:
            problems.append(f"entry[{number}] is a {found_type or '?'}, not a {resource_type}")
        errors, complete = _fhir.validate_resource(resource, prefix=f"entry[{number}] {found_type or '?'}/"
                                                   f"{resource.get('id', '?') if isinstance(resource, dict) else '?'}: ")
        problems.extend(errors)
        checked += 1
        partial = partial or not complete
    return problems, checked, partial
