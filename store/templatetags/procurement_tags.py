"""Display helpers of Felleskjøp's templates: phase colours and readable history events."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from ..models.procurement import Participation, Phase, ProcurementQuestion

register = template.Library()

PHASE_COLORS = {
    Phase.PLANNING: "neutral",
    Phase.MARKET_DIALOGUE: "info",
    Phase.COMPETITION: "warning",
    Phase.EVALUATION: "warning",
    Phase.AWARDED: "success",
    Phase.AGREEMENT_ACTIVE: "success",
    Phase.CLOSED: "neutral",
    Phase.CANCELLED: "danger",
}

EVENT_LABELS = {
    "procurement.opened": _("Joint procurement opened"),
    "procurement.updated": _("Text or timeline changed"),
    "procurement.declaration_updated": _("Desired product declaration changed"),
    "procurement.criteria_updated": _("Evaluation criteria changed"),
    "procurement.answers_published": _("Answers published to all vendors"),
    "procurement.called_off": _("Call-off under the agreement"),
    "participation.declared": _("Intent to participate declared"),
    "participation.changed": _("Expected volume changed"),
    "participation.withdrawn": _("Intent to participate withdrawn"),
    "procurementquestion.published": _("Answer published"),
    "document.uploaded": _("Document attached"),
    "document.deleted": _("Document removed"),
}


@register.filter
def phase_color(phase: str) -> str:
    return PHASE_COLORS.get(phase, "neutral")


@register.filter
def event_label(event) -> str:
    """A readable name for a history event: the phase it moved to, or the decision it records."""
    if event.verb in EVENT_LABELS:
        return str(EVENT_LABELS[event.verb])
    if event.verb.startswith("procurement.") and event.to_state in Phase.values:
        return str(_("Phase: %(phase)s") % {"phase": Phase(event.to_state).label})
    return event.verb


@register.filter
def state_label(value: str) -> str:
    for choices in (Phase, Participation.Status, ProcurementQuestion.Status):
        if value in choices.values:
            return str(choices(value).label)
    return value
