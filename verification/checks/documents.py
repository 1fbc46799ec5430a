"""Check 3: the required documents are present and of an allowed type, sniffed from their content (VER-3.3)."""

from __future__ import annotations

import hashlib

import filetype
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.services.documents import SNIFF_BYTES

from ..models import DOCUMENT_KINDS, DOCUMENT_TYPES
from .base import FAIL, PASS, Check, CheckContext, Outcome, localize, register


def _inspect(document) -> tuple[str | None, bool]:
    """The type sniffed from the stored bytes, and whether they still match the digest taken at upload."""
    digest = hashlib.sha256()
    head = b""
    with document.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
            digest.update(chunk)
    kind = filetype.guess(head)
    return (kind.extension if kind else None), digest.hexdigest() == document.sha256


@register
class DocumentsPresent(Check):
    id = "documents_present"
    title = _("Required documents")
    description = _("DPIA, risk assessment (ROS), data-processing agreement and user documentation are attached, "
                    "and each file really is of an allowed type (sniffed from its content, not its name).")
    order = 30

    def run(self, context: CheckContext) -> Outcome:
        by_kind = {}
        for document in context.documents:
            by_kind.setdefault(document.kind, document)
        problems, rows = [], []
        for kind, label in DOCUMENT_KINDS:
            document = by_kind.get(kind)
            if document is None:
                problems.append(localize(_("%(kind)s is missing."), {"kind": label}))
                continue
            try:
                sniffed, intact = _inspect(document)
            except OSError:
                problems.append(localize(_("%(kind)s: the stored file cannot be read."), {"kind": label}))
                continue
            rows.append({"kind": kind, "name": document.original_name, "size": document.size,
                         "declared_type": document.extension, "sniffed_type": sniffed or "?", "intact": intact})
            allowed = DOCUMENT_TYPES[kind]
            if sniffed not in allowed:
                problems.append(localize(
                    _("%(kind)s (“%(name)s”) is not an allowed type: its content is %(sniffed)s; allowed: %(allowed)s."),
                    {"kind": label, "name": document.original_name, "sniffed": (sniffed or "?").upper(),
                     "allowed": ", ".join(a.upper() for a in allowed)}))
            elif not intact:
                problems.append(localize(_("%(kind)s (“%(name)s”) has changed since it was uploaded."),
                                         {"kind": label, "name": document.original_name}))
        context.evidence.append({"kind": "documents", "rows": rows})
        if problems:
            context.problems(_("Document problems"), problems)
            return Outcome(FAIL, ngettext_lazy("%(count)s of the required documents is missing or not acceptable.",
                                         "%(count)s of the required documents are missing or not acceptable.", "count"),
                           {"count": len(problems)})
        return Outcome(PASS, _("All %(count)s required documents are present and of an allowed type."),
                       {"count": len(DOCUMENT_KINDS)})
