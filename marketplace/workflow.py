"""The shared workflow helper: every lifecycle is a transition table plus `transition()`.

A service that moves an object locks the row, checks permission, then calls `transition()`,
which checks the table, saves with update_fields and writes the audit event. Side effects are
scheduled by the service with `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .errors import IllegalTransition

if TYPE_CHECKING:
    from .models import AuditEvent, Organisation, User


@dataclass(frozen=True)
class Workflow:
    """An explicit table of allowed transitions: {from_state: {to_state, ...}}."""

    table: Mapping[str, Iterable[str]]
    field: str = "status"
    _table: dict[str, frozenset[str]] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_table", {str(k): frozenset(str(t) for t in v) for k, v in self.table.items()})

    def targets(self, source: str) -> frozenset[str]:
        return self._table.get(str(source), frozenset())

    def allows(self, source: str, target: str) -> bool:
        return str(target) in self.targets(source)

    def states(self) -> set[str]:
        return set(self._table) | {t for targets in self._table.values() for t in targets}


def _label(obj: Any, field_name: str, value: str) -> str:
    choices = dict(obj._meta.get_field(field_name).choices or ())
    return str(choices.get(value, value))


def transition(
    obj: Any,
    *,
    to: str,
    actor: "User | None",
    organisation: "Organisation | None" = None,
    reason: str = "",
    verb: str | None = None,
    update_fields: Iterable[str] = (),
    data: dict | None = None,
    workflow: Workflow | None = None,
) -> "AuditEvent":
    """Move `obj` to state `to` if its workflow allows it; save and audit. Raises IllegalTransition."""
    from .audit import audit_record

    workflow = workflow or type(obj).workflow
    source = getattr(obj, workflow.field)
    if not workflow.allows(source, to):
        raise IllegalTransition(
            _("This step is not possible now: “%(source)s” cannot change to “%(target)s”.")
            % {"source": _label(obj, workflow.field, source), "target": _label(obj, workflow.field, to)}
        )
    setattr(obj, workflow.field, to)
    fields = {workflow.field, *update_fields}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.add("updated_at")
    obj.save(update_fields=sorted(fields))
    return audit_record(
        actor=actor,
        organisation=organisation,
        verb=verb or f"{obj._meta.model_name}.{to}",
        target=obj,
        from_state=str(source),
        to_state=str(to),
        reason=reason,
        data=data,
    )
