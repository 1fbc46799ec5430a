"""The start page (ORG-6) is a dashboard: each arena registers panels of what waits for the person.

A provider takes the request and returns a Panel or None; it must cost a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    count: int | None = None


_providers: list[tuple[int, Callable[[HttpRequest], Panel | None]]] = []


def register(order: int = 100):
    """Decorator: register a panel provider; lower order comes first."""

    def decorator(func: Callable[[HttpRequest], Panel | None]):
        _providers.append((order, func))
        _providers.sort(key=lambda item: item[0])
        return func

    return decorator


def panels_for(request: HttpRequest) -> list[Panel]:
    panels = []
    for order, provider in _providers:
        panel = provider(request)
        if panel is not None:
            panel.order = order
            panels.append(panel)
    return panels
