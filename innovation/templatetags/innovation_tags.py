"""Small display helpers of Innovasjonsarena's templates."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from ..models import Collaboration, Stage

register = template.Library()

STAGE_COLORS = {
    Stage.IDEA: "neutral",
    Stage.PRIORITISATION: "info",
    Stage.EVALUATION_CRITERIA: "warning",
    Stage.PUBLISHED: "success",
    Stage.ARCHIVED: "neutral",
}

EVENT_LABELS = {
    "need.created": _("Need posted"),
    "need.updated": _("Description changed"),
    "need.declaration_updated": _("Desired product declaration changed"),
    "need.retired": _("Retired in favour of another need"),
    "need.checklist_ticked": _("Checklist item ticked"),
    "need.checklist_unticked": _("Checklist item unticked"),
    "need.checklist_item_added": _("Checklist item added"),
    "need.criteria_updated": _("Evaluation criteria changed"),
    "need.involvement_added": _("Involvement entry added"),
    "need.vendor_interested": _("Vendor registered interest"),
    "need.vendor_interest_withdrawn": _("Vendor withdrew interest"),
    "document.uploaded": _("Document attached"),
    "document.deleted": _("Document removed"),
    "collaboration.requested": _("Asked to collaborate"),
    "collaboration.invited": _("Invited into the core team"),
    "collaboration.accepted": _("Taken into the core team"),
    "collaboration.declined": _("Request to collaborate declined"),
    "collaboration.withdrawn": _("Request to collaborate withdrawn"),
    "collaboration.ended": _("Left the core team"),
}


@register.filter
def stage_color(stage: str) -> str:
    """The Designsystemet colour of a stage tag."""
    return STAGE_COLORS.get(stage, "neutral")


@register.filter
def stage_label(stage: str) -> str:
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage


@register.filter
def event_label(event) -> str:
    """A readable line for an audit event on a need's timeline."""
    verb = event.verb
    if verb.startswith("need.") and verb[5:] in Stage.values:
        return str(_("Stage changed to %(stage)s") % {"stage": Stage(verb[5:]).label})
    return str(EVENT_LABELS.get(verb, verb))


@register.filter
def event_detail(event) -> str:
    """What the event concerned: the checklist item, the vendor, the document or the organisation."""
    data = event.data or {}
    for key in ("item", "vendor_name", "name", "replaced_by_title"):
        if data.get(key):
            return str(data[key])
    if event.verb.startswith("collaboration."):
        return event.target_repr.split(" → ")[0]
    return ""


@register.filter
def collaboration_status(status: str) -> str:
    return str(dict(Collaboration.Status.choices).get(status, status))
