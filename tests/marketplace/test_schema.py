"""X-6: the published OpenAPI 3 schema is valid, and every operation in it behaves as it says.

Schemathesis generates requests for every operation of /api/schema/ (as an anonymous visitor and as an
organisation admin with a token) and checks that none gives a server error and that every documented
response matches its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from marketplace.models import Role

from ..conftest import accept_terms, make_member

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Reproducible and bounded: a fixed seed, a few examples per operation, no shrinking (a failure is
# reported with the request that caused it).
SETTINGS = hypothesis_settings(max_examples=5, deadline=None, derandomize=True, database=None,
                               phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "openapi: 3" in text
    assert "/api/v1/organisations/" in text


def test_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content


def _load_schema():
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    # Generated examples (fuzzing) for every operation; the exhaustive boundary-value phase would
    # multiply the run time by ten for little more than the fuzzing finds.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Like Django's test client: requests through the WSGI app must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_headers(municipality, terms_all):
    from rest_framework.authtoken.models import Token

    admin = make_member(municipality, Role.ADMIN, email="api-admin@ringsaker.example")
    accept_terms(municipality, by=admin)
    return {"Authorization": f"Token {Token.objects.create(user=admin).key}"}


@schema.parametrize()
@SETTINGS
@pytest.mark.django_db
def test_every_operation_anonymously(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@SETTINGS
@pytest.mark.django_db
def test_every_operation_as_organisation_admin(case, token_headers):
    case.call_and_validate(checks=CHECKS, headers=token_headers)
