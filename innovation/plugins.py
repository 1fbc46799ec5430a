"""Plug-in points of Innovasjonsarena for the arenas to its right (ARCHITECTURE: later apps plug in).

A need's page renders every registered *need section* after the discussion, ordered by `order`.
Erfaringsarena registers "experiences about this need" from its AppConfig.ready(); innovation never
imports it. The context function gets (request, need) and must cost a fixed number of queries. Its
template is included with the returned context plus `need`; its first heading should be an h2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ContextFunction = Callable[[HttpRequest, Any], dict[str, Any]]


@dataclass(frozen=True)
class NeedSection:
    key: str
    template: str
    context: ContextFunction | None = None
    order: int = 100


_need_sections: dict[str, NeedSection] = {}


def register_need_section(key: str, *, template: str, context: ContextFunction | None = None, order: int = 100) -> NeedSection:
    """Add (or replace, by key) a section of the need page."""
    section = NeedSection(key=key, template=template, context=context, order=order)
    _need_sections[key] = section
    return section


def rendered_need_sections(request: HttpRequest, need: Any) -> list[dict[str, Any]]:
    """[{"template", "context"}] for the need page to include, in order."""
    result = []
    for section in sorted(_need_sections.values(), key=lambda s: (s.order, s.key)):
        context = dict(section.context(request, need) if section.context else {})
        context.setdefault("need", need)
        result.append({"template": section.template, "context": context})
    return result
