"""Permission checks shared by services, views and the API (predicates live in rules.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .errors import PermissionRefused


def ensure_allowed(actor: Any, perm: str, obj: Any = None, *, message: str | None = None) -> None:
    """Raise PermissionRefused unless `actor` holds `perm` (for `obj`) with their acting organisation."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionRefused(message or _("You do not have permission to do this."))
