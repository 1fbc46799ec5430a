"""ORG-5: an OpenID Connect provider (ID-porten, HelseID, Feide) is configured by environment alone.

A local OIDC issuer runs on 127.0.0.1 inside the test; a person signs in through it end to end.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from marketplace.models import User


class _Issuer(BaseHTTPRequestHandler):
    userinfo = {"sub": "19056712345", "email": "kari.nordmann@bodo.example", "email_verified": True,
                "given_name": "Kari", "family_name": "Nordmann"}
    token_requests: list[dict] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _json(self, body: dict, status: int = 200) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/.well-known/openid-configuration":
            self._json({
                "issuer": base,
                "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token",
                "userinfo_endpoint": f"{base}/userinfo",
                "jwks_uri": f"{base}/jwks",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            })
        elif self.path == "/userinfo" and self.headers.get("Authorization") == "Bearer access-token-1":
            self._json(self.userinfo)
        else:
            self._json({"error": "not_found"}, status=404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        if self.path == "/token" and form.get("code") == ["code-from-issuer"]:
            self.token_requests.append(form)
            self._json({"access_token": "access-token-1", "token_type": "Bearer", "expires_in": 300})
        else:
            self._json({"error": "invalid_grant"}, status=400)


@pytest.fixture
def issuer():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Issuer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def provider_settings(issuer, monkeypatch):
    from marketplace.settings import _oidc_providers

    monkeypatch.setenv("OIDC_PROVIDERS", json.dumps([{
        "provider_id": "idporten", "name": "ID-porten", "client_id": "markedsplassen", "secret": "s3cret", "server_url": issuer,
    }]))
    with override_settings(SOCIALACCOUNT_PROVIDERS=_oidc_providers()):
        yield


@pytest.mark.django_db
def test_sign_in_with_a_configured_oidc_provider(client, provider_settings, issuer):
    login_page = client.get("/accounts/login/").content.decode()
    assert "ID-porten" in login_page

    response = client.post("/accounts/oidc/idporten/login/")
    assert response.status_code == 302
    authorize = urlparse(response["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{issuer}/authorize"
    query = parse_qs(authorize.query)
    assert query["client_id"] == ["markedsplassen"]
    assert query["code_challenge_method"] == ["S256"]  # PKCE

    callback = client.get("/accounts/oidc/idporten/login/callback/", {"code": "code-from-issuer", "state": query["state"][0]})
    assert callback.status_code == 302
    person = User.objects.get(email="kari.nordmann@bodo.example")
    assert person.first_name == "Kari"
    start = client.get("/")
    assert start.wsgi_request.user == person
    assert _Issuer.token_requests[-1]["client_secret"] == ["s3cret"]


@pytest.mark.django_db
def test_a_forged_callback_state_signs_nobody_in(client, provider_settings):
    client.post("/accounts/oidc/idporten/login/")
    response = client.get("/accounts/oidc/idporten/login/callback/", {"code": "code-from-issuer", "state": "forged"})
    assert not User.objects.filter(email="kari.nordmann@bodo.example").exists()
    assert response.status_code in (400, 401)
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_no_provider_is_offered_without_configuration(client, db):
    assert "ID-porten" not in client.get("/accounts/login/").content.decode()
