"""Demo data (X-8): `manage.py seed_demo` runs the core's seeder, then each arena's `demo.py` seeders.

A seeder takes the DemoContext (organisations, people and service areas by key) and writes through the
arena's services, so demo data obeys the same rules as real use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_seeders: list[tuple[int, str, Callable[["DemoContext"], None]]] = []


@dataclass
class DemoContext:
    organisations: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)  # by e-mail
    admins: dict[str, Any] = field(default_factory=dict)  # organisation key -> an admin acting for it
    service_areas: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # what earlier seeders made, for later ones
    log: Callable[[str], None] = print

    def admin_for(self, key: str):
        """An organisation admin of `key`, acting for that organisation."""
        from .acting import act_for

        user = self.admins[key]
        return act_for(user, self.organisations[key])


def register(order: int, name: str):
    def decorator(func: Callable[[DemoContext], None]):
        _seeders.append((order, name, func))
        _seeders.sort(key=lambda item: item[0])
        return func

    return decorator


def seeders() -> list[tuple[int, str, Callable[[DemoContext], None]]]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    return list(_seeders)
