"""Configuration from the environment only; production settings pass Django's deployment checks;
security headers and a Content-Security-Policy on every page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-entropy-8f3a91c2d7e4b6",
    "ALLOWED_HOSTS": "markedsplassen.example.no",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/markedsplassen",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "TESTING", "DJANGO_SETTINGS_MODULE",
                                                              "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "PYTEST_CURRENT_TEST",
                                                              "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_serve_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    deploy = _manage("check", "--deploy", env=env)
    assert deploy.returncode != 0
    assert "SECRET_KEY must be set" in deploy.stderr + deploy.stdout
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "TESTING", "DJANGO_SETTINGS_MODULE"}}
    serve = subprocess.run([sys.executable, "-c", "import marketplace.wsgi"], cwd=ROOT, env={**clean, **env},
                           capture_output=True, text=True, timeout=120)
    assert serve.returncode != 0
    assert "SECRET_KEY must be set" in serve.stderr


def test_management_commands_work_without_a_secret_key():
    """migrate, makemigrations and check need no stable key: a newcomer can run them as they are."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


PAGES = ["/", "/vilkar/", "/hjelp/", "/organisasjoner/", "/accounts/login/", "/api/v1/organisations/", "/api/docs/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_security_headers_and_a_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_html_pages_contain_no_inline_scripts_or_styles(client):
    """The CSP forbids inline code, so the templates must not rely on it."""
    import re

    for path in ["/", "/vilkar/", "/hjelp/", "/accounts/login/", "/accounts/signup/"]:
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_project_installs_as_a_package():
    """`pip install -e .` works: the build metadata names every app package."""
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["name"] == "markedsplassen"
    assert set(meta["tool"]["setuptools"]["packages"]["find"]["include"]) >= {
        "marketplace*", "innovation*", "verification*", "store*", "experience*"}
    pins = [d for d in meta["project"]["dependencies"]]
    assert all("==" in d for d in pins), "every dependency is pinned"
