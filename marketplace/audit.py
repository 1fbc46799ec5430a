"""Audit events (X-4): one row per state change or decision."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: Any = None,
    organisation: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Record who did what to which object, for which organisation, and why."""
    if organisation is None and actor is not None:
        organisation = getattr(actor, "acting_organisation", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=organisation,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )
