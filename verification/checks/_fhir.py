"""FHIR helpers shared by the FHIR checks: URLs, validation with `fhir.resources`, the CapabilityStatement.

Content is validated with the maintained `fhir.resources` models. Version 8 of that library ships FHIR
R4B (4.3) and R5 models but no R4 (4.0.1) package, so R4 content is validated against the R4B models:
the two share the same data types and, for the clinical and administrative resources products declare
(Patient, Observation, Questionnaire(Response), Task, Appointment …), the same elements. R4-only resource
types that R4B removed or replaced (MedicinalProduct*, EffectEvidenceSynthesis, RiskEvidenceSynthesis,
SubstanceNucleicAcid …) have no model: their content is checked for structure only and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from fhir.resources.R4B import get_fhir_model_class

from .base import CheckContext

FHIR_JSON = "application/fhir+json"
ACCEPT_FHIR = "application/fhir+json, application/json;q=0.9"
MAX_ERRORS = 20


def fhir_url(base: str, path: str) -> str:
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


@lru_cache(maxsize=256)
def _model(resource_type: str):
    try:
        return get_fhir_model_class(resource_type)
    except (KeyError, ValueError, ImportError, AttributeError):
        return None


def has_r4b_model(resource_type: str) -> bool:
    return _model(resource_type) is not None


def _format_errors(exc: Exception, prefix: str = "") -> list[str]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            items = errors()
        except Exception:  # noqa: BLE001 - a library error object we only describe
            items = None
        if items:
            out = []
            for item in items[:MAX_ERRORS]:
                location = ".".join(str(part) for part in item.get("loc", ()))
                out.append(f"{prefix}{location}: {item.get('msg', '')}".strip())
            return out
    return [f"{prefix}{type(exc).__name__}: {str(exc)[:300]}"]


def validate_resource(resource: Any, *, prefix: str = "") -> tuple[list[str], bool]:
    """Validation errors of one resource (empty when valid), and whether it could be fully validated."""
    if not isinstance(resource, dict):
        return [f"{prefix}the resource is not a JSON object"], True
    resource_type = resource.get("resourceType")
    if not isinstance(resource_type, str) or not resource_type:
        return [f"{prefix}resourceType is missing"], True
    model = _model(resource_type)
    if model is None:
        from marketplace.declaration import FHIR_R4_RESOURCE_TYPES

        if resource_type not in FHIR_R4_RESOURCE_TYPES:
            return [f"{prefix}“{resource_type}” is not a FHIR resource type"], True
        return [], False  # an R4-only type: structure checked, content not validated
    try:
        model.model_validate(resource)
    except Exception as exc:  # pydantic.ValidationError, and library errors on unknown nested types
        return _format_errors(exc, prefix), True
    return [], True


@dataclass
class Capability:
    """The sandbox's CapabilityStatement as fetched once per run, and what is wrong with it."""

    url: str = ""
    fetch: Any = None
    data: dict | None = None
    problem: Any = None  # a lazy message when unusable
    problem_params: dict = field(default_factory=dict)
    problem_status: str = ""  # "fail" or "error"
    errors: list[str] = field(default_factory=list)
    content_type: str = ""

    @property
    def usable(self) -> bool:
        return self.problem is None

    @property
    def fhir_version(self) -> str:
        return str((self.data or {}).get("fhirVersion", ""))

    def server_resources(self) -> dict[str, set[str]]:
        """Resource type -> interaction codes, from rest entries in server mode."""
        supported: dict[str, set[str]] = {}
        for rest in (self.data or {}).get("rest") or []:
            if not isinstance(rest, dict) or rest.get("mode") != "server":
                continue
            for resource in rest.get("resource") or []:
                if not isinstance(resource, dict) or not isinstance(resource.get("type"), str):
                    continue
                codes = {i.get("code") for i in resource.get("interaction") or [] if isinstance(i, dict)}
                supported.setdefault(resource["type"], set()).update(c for c in codes if isinstance(c, str))
        return supported


def load_capability(context: CheckContext) -> Capability:
    """Fetch and judge GET [base]/metadata once per run (checks 4, 5 and 6 share it)."""
    return context.memo("capability", lambda: _load(context))


def _load(context: CheckContext) -> Capability:
    base = context.product.fhir_base_url
    if not base:
        return Capability(problem=_("The product has no FHIR base URL for its sandbox."), problem_status="fail")
    capability = Capability(url=fhir_url(base, "metadata"))
    fetch = context.fetch(capability.url, accept=ACCEPT_FHIR)
    capability.fetch = fetch
    if not fetch.ok:
        capability.problem_status = "fail" if fetch.error_code not in TRANSIENT else "error"
        capability.problem = _("GET %(url)s could not be completed: %(reason)s.")
        capability.problem_params = {"url": capability.url, "reason": fetch.error}
        return capability
    capability.content_type = fetch.header("Content-Type")
    if fetch.status != 200:
        capability.problem_status = "fail"
        capability.problem = _("GET %(url)s answered HTTP %(status)s, not 200.")
        capability.problem_params = {"url": capability.url, "status": fetch.status}
        return capability
    try:
        data = fetch.json()
    except (ValueError, UnicodeDecodeError):
        capability.problem_status = "fail"
        capability.problem = _("The answer from %(url)s is not JSON.")
        capability.problem_params = {"url": capability.url}
        return capability
    if not isinstance(data, dict) or data.get("resourceType") != "CapabilityStatement":
        capability.problem_status = "fail"
        capability.problem = _("The answer from %(url)s is not a CapabilityStatement (resourceType “%(type)s”).")
        capability.problem_params = {"url": capability.url,
                                     "type": data.get("resourceType", "?") if isinstance(data, dict) else "?"}
        return capability
    capability.data = data
    capability.errors, _complete = validate_resource(data)
    version = capability.fhir_version
    if not version.startswith("4.0."):
        capability.problem_status = "fail"
        capability.problem = _("The CapabilityStatement declares FHIR version “%(version)s”; FHIR R4 (4.0.x) is required.")
        capability.problem_params = {"version": version or "?"}
        return capability
    if capability.errors:
        capability.problem_status = "fail"
        capability.problem = ngettext_lazy("The CapabilityStatement is not valid FHIR: %(count)s validation error.",
                                           "The CapabilityStatement is not valid FHIR: %(count)s validation errors.", "count")
        capability.problem_params = {"count": len(capability.errors)}
        return capability
    if not any(isinstance(r, dict) and r.get("mode") == "server" for r in data.get("rest") or []):
        capability.problem_status = "fail"
        capability.problem = _("The CapabilityStatement has no REST entry in server mode.")
        return capability
    return capability


# Transport problems mean "could not check" (error); refusals and oversize answers are the product's fault.
TRANSIENT = {"timeout", "connection", "resolve", "tls"}
