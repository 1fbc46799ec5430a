"""A vendor sandbox for the verification tests and the bench: a small threaded HTTP server on 127.0.0.1.

One server serves every mode side by side; the mode is the first path segment, so a product's endpoints
choose how the sandbox behaves:

    http://127.0.0.1:<port>/<mode>/fhir/metadata            FHIR base: <mode>/fhir
    http://127.0.0.1:<port>/<mode>/oidc/.well-known/openid-configuration   issuer: <mode>/oidc
    http://127.0.0.1:<port>/<mode>/app/                     application URL

Modes: ``ok`` (conformant), ``missing-resource`` (the CapabilityStatement lacks Observation),
``invalid-bundle`` (a search answers with an invalid Patient), ``stu3`` (FHIR 3.0.1), ``huge`` (a body far
over the cap, with Content-Length), ``huge-stream`` (the same, streamed without a length), ``hang`` (accepts
the connection and never answers), ``redirect-private`` (redirects to the cloud metadata address),
``redirect-ok`` (redirects to the conformant endpoint), ``bad-oidc`` (the discovery document names another
issuer), ``no-headers`` (the application sends no security headers), ``slow`` (conformant, 50 ms per
answer) and ``gate`` (conformant, but every answer waits until the test opens `sandbox.gate`).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FHIR_JSON = "application/fhir+json"
SUPPORTED = {
    "Patient": ["read", "search-type"],
    "Observation": ["read", "search-type", "create"],
    "Questionnaire": ["read", "search-type"],
    "QuestionnaireResponse": ["read", "search-type", "create", "update"],
    "Practitioner": ["read", "search-type"],
    "Task": ["read", "search-type", "create", "update"],
}
SAMPLES = {
    "Patient": {"resourceType": "Patient", "id": "p1", "name": [{"family": "Nordmann", "given": ["Kari"]}],
                "gender": "female", "birthDate": "1941-03-02"},
    "Observation": {"resourceType": "Observation", "id": "o1", "status": "final",
                    "code": {"text": "NEWS2"}, "valueInteger": 3},
    "Questionnaire": {"resourceType": "Questionnaire", "id": "q1", "status": "active", "title": "Kognitiv kartlegging"},
    "QuestionnaireResponse": {"resourceType": "QuestionnaireResponse", "id": "qr1", "status": "completed"},
    "Practitioner": {"resourceType": "Practitioner", "id": "pr1", "name": [{"family": "Hansen"}]},
    "Task": {"resourceType": "Task", "id": "t1", "status": "requested", "intent": "order"},
}
MODES = ("ok", "missing-resource", "invalid-bundle", "stu3", "huge", "huge-stream", "hang", "redirect-private",
         "redirect-ok", "bad-oidc", "no-headers", "slow", "gate")
HUGE_BYTES = 8 * 1024 * 1024


def capability_statement(mode: str) -> dict:
    resources = {k: v for k, v in SUPPORTED.items() if not (mode == "missing-resource" and k == "Observation")}
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-01-15",
        "kind": "instance",
        "software": {"name": "Sandbox", "version": "1.0"},
        "fhirVersion": "3.0.1" if mode == "stu3" else "4.0.1",
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "resource": [{"type": t, "interaction": [{"code": c} for c in codes]} for t, codes in resources.items()],
        }],
    }


def search_bundle(mode: str, resource_type: str) -> dict:
    sample = dict(SAMPLES.get(resource_type, {}))
    if mode == "invalid-bundle" and resource_type == "Patient":
        sample["birthDate"] = "second of March"
    entries = [{"fullUrl": f"urn:uuid:{resource_type}-1", "resource": sample, "search": {"mode": "match"}}] if sample else []
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


class Sandbox:
    """Start with `start()` (or use as a context manager); `url(mode, part)` gives an endpoint."""

    def __init__(self):
        self.requests: list[str] = []
        self.release = threading.Event()  # frees hanging handlers on stop
        self.gate = threading.Event()  # opened by tests in mode "gate"
        self.gate_reached = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # life cycle
    def start(self) -> "Sandbox":
        sandbox = self

        class Handler(_Handler):
            owner = sandbox

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fhir-sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.gate.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # addresses
    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fhir(self, mode: str = "ok") -> str:
        return f"{self.base}/{mode}/fhir"

    def issuer(self, mode: str = "ok") -> str:
        return f"{self.base}/{mode}/oidc"

    def app(self, mode: str = "ok") -> str:
        return f"{self.base}/{mode}/app/"

    def endpoints(self, mode: str = "ok") -> dict[str, str]:
        return {"fhir_base_url": self.fhir(mode), "oidc_issuer": self.issuer(mode), "app_url": self.app(mode)}


class _Handler(BaseHTTPRequestHandler):
    owner: Sandbox
    server_version = "Sandbox/1.0"

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.owner.requests.append(self.path)
        parts = urlsplit(self.path).path.strip("/").split("/")
        mode = parts[0] if parts else ""
        if mode not in MODES:
            return self._json(404, {"resourceType": "OperationOutcome", "issue": []})
        if mode == "hang":
            self.owner.release.wait(timeout=120)
            return None
        if mode == "slow":
            time.sleep(0.05)
        if mode == "gate":
            self.owner.gate_reached.set()
            self.owner.gate.wait(timeout=120)
        area, rest = (parts[1] if len(parts) > 1 else ""), parts[2:]
        if area == "fhir":
            return self._fhir(mode, rest)
        if area == "oidc":
            return self._oidc(mode, rest)
        if area == "app":
            return self._app(mode)
        return self._json(404, {"error": "not found"})

    # FHIR
    def _fhir(self, mode: str, rest: list[str]):
        if rest == ["metadata"]:
            if mode == "redirect-private":
                return self._redirect("http://169.254.169.254/latest/meta-data/")
            if mode == "redirect-ok":
                return self._redirect(f"{self.owner.base}/ok/fhir/metadata")
            if mode == "huge":
                return self._huge(declare_length=True)
            if mode == "huge-stream":
                return self._huge(declare_length=False)
            return self._json(200, capability_statement(mode), FHIR_JSON)
        if len(rest) == 1 and rest[0]:
            resource_type = rest[0]
            if resource_type not in SUPPORTED:
                return self._json(404, {"resourceType": "OperationOutcome",
                                        "issue": [{"severity": "error", "code": "not-supported"}]}, FHIR_JSON)
            return self._json(200, search_bundle(mode, resource_type), FHIR_JSON)
        return self._json(404, {"resourceType": "OperationOutcome", "issue": []}, FHIR_JSON)

    # OpenID Connect
    def _oidc(self, mode: str, rest: list[str]):
        issuer = f"{self.owner.base}/{mode}/oidc"
        if rest == [".well-known", "openid-configuration"]:
            return self._json(200, {
                "issuer": "https://someone-else.example/oidc" if mode == "bad-oidc" else issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            })
        if rest == ["jwks"]:
            return self._json(200, {"keys": [{"kty": "RSA", "kid": "sandbox-1", "use": "sig", "alg": "RS256",
                                              "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1Wl",
                                              "e": "AQAB"}]})
        return self._json(404, {"error": "not found"})

    # the application
    def _app(self, mode: str):
        body = b"<!doctype html><title>Sandbox</title><p>Sandbox application</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if mode != "no-headers":
            self.send_header("Content-Security-Policy", "default-src 'self'")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        self.end_headers()
        self.wfile.write(body)

    # helpers
    def _json(self, status: int, data: dict, content_type: str = "application/json"):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _huge(self, *, declare_length: bool):
        self.send_response(200)
        self.send_header("Content-Type", FHIR_JSON)
        if declare_length:
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b'{"resourceType": "CapabilityStatement", "padding": "' + b"x" * 65536
        sent = 0
        try:
            while sent < HUGE_BYTES:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its cap, as it should
