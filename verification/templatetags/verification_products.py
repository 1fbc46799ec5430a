"""Template helpers of Verifikasjon: status colours and texts stored in every language."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()

# Designsystemet colours for every state a product, version, run, check or listing can be in.
COLORS = {
    "draft": "neutral", "in_verification": "info", "verified": "success", "submitted": "info",
    "changes_requested": "warning", "rejected": "danger", "listed": "success", "superseded": "neutral",
    "withdrawn": "neutral", "under_remediation": "warning",
    "queued": "neutral", "running": "info", "passed": "success", "failed": "danger", "error": "danger",
    "pending": "neutral", "pass": "success", "warn": "warning", "fail": "danger", "skipped": "neutral",
}


@register.filter
def status_color(status: str) -> str:
    return COLORS.get(str(status), "neutral")


@register.filter
def localized(value) -> str:
    """A text stored as {"nb": …, "en": …} in the active language (plain strings pass through)."""
    if isinstance(value, dict):
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()), "")
    return "" if value is None else str(value)


@register.filter
def status_label(status: str, kind: str = "version") -> str:
    """The readable label of a state: kind is version, run, check or listing."""
    from ..models import CheckResult, DeclarationVersion, Listing, VerificationRun

    choices = {"version": DeclarationVersion.Status, "run": VerificationRun.Status, "check": CheckResult.Status,
               "listing": Listing.Status}[kind]
    try:
        return str(choices(status).label)
    except ValueError:
        return str(status or "")


@register.filter
def outbound_error(code: str) -> str:
    """What a refusal or transport error of the safe HTTP client means."""
    from ..safe_http import REFUSALS

    return str(REFUSALS.get(code, code))
