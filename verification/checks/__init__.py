"""The verification suite (VER-3): a registry of checks, one module per check.

A check is a small class with an `id`, a translatable `title`, whether it is `mandatory`, an `order`,
and `run(context) -> Outcome`. Adding a check is adding one module to this package that defines a
subclass of `Check` decorated with `@register`; `suite()` imports every module here and returns the
checks in order.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Check, CheckContext, Outcome, register, registry

__all__ = ["Check", "CheckContext", "Outcome", "register", "suite", "get_check"]

_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_") and module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True


def suite() -> list[Check]:
    """Every registered check, in order."""
    _load()
    return sorted(registry.values(), key=lambda check: (check.order, check.id))


def get_check(check_id: str) -> Check | None:
    _load()
    return registry.get(check_id)
