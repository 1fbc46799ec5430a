"""Sammenligne behov (INN-11): the rows of a side-by-side table of 2–4 needs, for the screen and the API.

The need's own description comes first, then the desired product declaration by section, in the shape of
`marketplace.declaration.compare_declarations`, so that one table template shows both.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.declaration import compare_declarations

from .models import Need

NEED_SECTION = {"key": "behov", "title": gettext_lazy("Behovsbeskrivelse")}


def _row(label, values: list[str]) -> dict:
    return {
        "section": NEED_SECTION,
        "label": label,
        "values": values,
        "differs": any(v != values[0] for v in values[1:]),
    }


def need_rows(needs: Sequence[Need]) -> list[dict]:
    """Rows of the need descriptions themselves (owner, stage, user story, goals, criteria …)."""
    return [
        _row(_("Owner"), [n.owner.name for n in needs]),
        _row(_("Stage"), [n.get_stage_display() for n in needs]),
        _row(_("Service areas"), [", ".join(a.display_name for a in n.service_areas.all()) for n in needs]),
        _row(_("Summary"), [n.summary for n in needs]),
        _row(_("The problem today"), [n.problem_today for n in needs]),
        _row(_("The desired situation when solved"), [n.desired_situation for n in needs]),
        _row(_("Systems involved"), [n.systems_involved for n in needs]),
        _row(_("Service areas and professions involved"), [n.professions_involved for n in needs]),
        _row(_("Goals"), ["\n".join(n.goals or []) for n in needs]),
        _row(
            _("Evaluation criteria"),
            ["\n".join(f"{c.name} ({c.weight} %)" for c in getattr(n, "criteria_list", [])) for n in needs],
        ),
        _row(_("Documents"), [str(getattr(n, "document_count", "")) for n in needs]),
    ]


def comparison_rows(needs: Sequence[Need]) -> list[dict]:
    return need_rows(needs) + compare_declarations([n.desired_declaration for n in needs])


def section_key(row: dict) -> str:
    section = row["section"]
    return section["key"] if isinstance(section, dict) else section.key


def section_title(row: dict) -> str:
    section = row["section"]
    return str(section["title"] if isinstance(section, dict) else section.title)
