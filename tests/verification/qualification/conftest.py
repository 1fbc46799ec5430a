"""Fixtures for Kvalifisering: criteria in force, vendors that accepted the terms, applications by state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from marketplace.models import Role
from tests.conftest import accept_terms, make_member, make_platform_admin
from tests.conftest import login as _login
from verification.models import QualificationApplication
from verification.services import qualification as services

from .factories import active_criterion_set, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read English messages (the msgids); Norwegian is checked where it matters."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def login(user, organisation=None):
    """tests.conftest.login, reading the pages in English."""
    client = _login(user, organisation)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def criteria(db):
    return active_criterion_set()


@pytest.fixture
def terms(terms_all, terms_vendors):
    return [terms_all, terms_vendors]


@pytest.fixture
def ready_vendor(vendor, vendor_admin, terms, criteria):
    """The vendor has accepted the current terms; criteria are in force."""
    accept_terms(vendor, by=vendor_admin)
    return vendor


@pytest.fixture
def ready_other_vendor(other_vendor, terms, criteria):
    admin = make_member(other_vendor, Role.ADMIN, email="admin@omsorgsdata.example")
    accept_terms(other_vendor, by=admin)
    other_vendor.test_admin = admin
    return other_vendor


@pytest.fixture
def reviewer(operator):
    return make_platform_admin(operator, email="reviewer@ks.example", first_name="Kristin")


def fill_in(
    application: QualificationApplication, actor, *, answers: dict | None = None, evidence: bool = True
):
    """Answer every criterion (passing answers by default) and upload the required evidence."""
    today = timezone.localdate()
    values = {
        "dpa": "yes",
        "iso": "yes",
        "contact": "Vera Vendor, CISO, +47 99 99 99 99",
        "tax": today - timedelta(days=10),
    }
    values.update(answers or {})
    criteria = {c.code: c for c in application.criterion_set.criteria.all()}
    services.application_update_details(
        actor=actor,
        application_id=application.pk,
        address="Storgata 1, 0182 Oslo",
        contact_name="Vera Vendor",
        contact_email="vera@kartleggeren.example",
    )
    services.answers_save(
        actor=actor,
        application_id=application.pk,
        answers={criteria[code].pk: value for code, value in values.items() if code in criteria},
    )
    if evidence:
        for criterion in criteria.values():
            if criterion.evidence_required:
                services.evidence_upload(
                    actor=actor,
                    application_id=application.pk,
                    criterion_id=criterion.pk,
                    upload=pdf_upload(f"{criterion.code}.pdf"),
                )
    application.refresh_from_db()
    return application


@pytest.fixture
def draft(ready_vendor, vendor_admin):
    return services.application_start(actor=vendor_admin, organisation=ready_vendor)


@pytest.fixture
def complete_draft(draft, vendor_admin):
    return fill_in(draft, vendor_admin)


@pytest.fixture
def submitted(complete_draft, vendor_admin):
    return services.application_submit(actor=vendor_admin, application_id=complete_draft.pk)


@pytest.fixture
def in_review(submitted, reviewer):
    return services.application_start_review(actor=reviewer, application_id=submitted.pk)


def qualify(application, actor, reviewer):
    """Submit (if needed), review and qualify an application; returns the qualification."""
    if application.status == QualificationApplication.Status.DRAFT:
        services.application_submit(actor=actor, application_id=application.pk)
    services.application_start_review(actor=reviewer, application_id=application.pk)
    return services.application_qualify(actor=reviewer, application_id=application.pk, reason="OK")


@pytest.fixture
def qualification(in_review, reviewer):
    return services.application_qualify(actor=reviewer, application_id=in_review.pk, reason="All good.")
