"""The building blocks of the suite: Check, Outcome, the registry and the context a run gives each check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

if TYPE_CHECKING:
    from ..safe_http import Fetch, SafeClient
    from ..models import DeclarationVersion, Product

PASS, WARN, FAIL, ERROR, SKIPPED = "pass", "warn", "fail", "error", "skipped"
OUTCOMES = (PASS, WARN, FAIL, ERROR, SKIPPED)


def localize(message: Promise | str, params: dict[str, Any] | None = None) -> dict[str, str]:
    """A (lazy) message with its parameters, rendered in every configured language: {"nb": …, "en": …}.

    Parameters may themselves be lazy translations or lists of them; they are rendered in the same language.
    """
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values = {key: _render_param(value) for key, value in (params or {}).items()}
            # `lazy % values` renders in the active language; an ngettext_lazy(…, "count") message also
            # chooses its singular or plural form from values["count"].
            rendered[code] = str(message % values) if values else str(message)
    return rendered


def _render_param(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


@dataclass
class Outcome:
    """What a check found: a status (pass, warn, fail, error, skipped) and a message for people."""

    status: str
    message: Promise | str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in OUTCOMES:
            raise ValueError(f"Unknown outcome {self.status!r}")

    def messages(self) -> dict[str, str]:
        return localize(self.message, self.params)


class Check:
    """One requirement of the ecosystem. Subclass, set the attributes, implement run(), decorate with @register."""

    id: str = ""
    title: Promise | str = ""
    description: Promise | str = ""
    mandatory: bool = True
    order: int = 100
    # Whether the check talks to the vendor's sandbox (the bench measures the others without a network).
    uses_network: bool = False

    def run(self, context: "CheckContext") -> Outcome:  # pragma: no cover - every check overrides it
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Check {self.id}>"


registry: dict[str, Check] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: add one instance of the check to the suite."""
    if not cls.id:
        raise ValueError(f"{cls.__name__} has no id")
    registry[cls.id] = cls()
    return cls


class CheckContext:
    """What a run hands each check: the frozen declaration, the product's endpoints, its documents, the
    safe HTTP client, and a place to put evidence. Results of a fetch shared by several checks (the
    CapabilityStatement) are kept here for the rest of the run."""

    def __init__(
        self,
        *,
        version: "DeclarationVersion",
        product: "Product",
        documents: list,
        client: "SafeClient",
    ):
        self.version = version
        self.product = product
        self.declaration: dict = version.content or {}
        self.documents = documents
        self.client = client
        self.evidence: list[dict[str, Any]] = []
        self.network_ms = 0
        self.shared: dict[str, Any] = {}

    def begin(self) -> None:
        """Start a new check: fresh evidence and network time."""
        self.evidence = []
        self.network_ms = 0

    def fetch(self, url: str, *, accept: str = "application/fhir+json, application/json;q=0.9") -> "Fetch":
        """GET through the SSRF-safe client; every hop becomes evidence of the current check."""
        result = self.client.get(url, accept=accept)
        self.evidence.extend(result.exchanges)
        self.network_ms += result.network_ms
        return result

    def note(self, message: Promise | str, params: dict[str, Any] | None = None) -> None:
        self.evidence.append({"kind": "note", "text": localize(message, params)})

    def problems(self, title: Promise | str, items: list[Any], params: dict[str, Any] | None = None, *, limit: int = 50) -> None:
        """A list of findings (validation errors, missing fields …) under a heading."""
        shown = [item if isinstance(item, dict) else str(item) for item in items[:limit]]
        entry = {"kind": "problems", "title": localize(title, params), "items": shown}
        if len(items) > limit:
            entry["more"] = len(items) - limit
        self.evidence.append(entry)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]

    @property
    def declared_fhir(self) -> dict[str, list[str]]:
        value = (self.declaration.get("informasjon") or {}).get("fhir_resources") or {}
        return value if isinstance(value, dict) else {}
