"""QUA-5: one reusable gate, `vendor is qualified`, for the verification and procurement arenas; and the
selector
and badge that mark expired vendors wherever their name appears (QUA-4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import formats, timezone

from marketplace.errors import PermissionRefused
from tests.factories import OrganisationFactory
from verification.models import Qualification
from verification.selectors.qualification import qualification_status_for
from verification.services.qualification import (
    ensure_vendor_qualified,
    vendor_is_qualified,
)

pytestmark = pytest.mark.django_db


def test_a_qualified_vendor_passes_the_gate(qualification, ready_vendor):
    assert vendor_is_qualified(ready_vendor) is True
    assert ensure_vendor_qualified(ready_vendor) is None


def test_the_gate_refuses_a_non_vendor_with_a_clear_message(municipality):
    assert vendor_is_qualified(municipality) is False
    assert vendor_is_qualified(None) is False
    with pytest.raises(PermissionRefused, match="Ringsaker kommune is not a vendor organisation") as error:
        ensure_vendor_qualified(municipality)
    assert error.value.code == "not_a_vendor"


def test_the_gate_refuses_a_vendor_that_was_never_qualified(ready_vendor, submitted):
    assert vendor_is_qualified(ready_vendor) is False
    with pytest.raises(PermissionRefused, match="Kartleggeren AS is not qualified") as error:
        ensure_vendor_qualified(ready_vendor)
    assert error.value.code == "not_qualified"
    assert "/verifikasjon/kvalifisering/" in error.value.message


def test_the_gate_names_the_date_an_expired_qualification_expired_on(qualification, ready_vendor):
    expired_on = timezone.localdate() - timedelta(days=3)
    Qualification.objects.filter(pk=qualification.pk).update(
        status=Qualification.Status.EXPIRED,
        qualified_on=expired_on - timedelta(days=365),
        expires_on=expired_on,
    )
    with pytest.raises(PermissionRefused) as error:
        ensure_vendor_qualified(ready_vendor)
    assert error.value.code == "qualification_expired"
    assert f"expired on {formats.date_format(expired_on, 'DATE_FORMAT')}" in error.value.message


def test_the_gate_refuses_a_revoked_qualification(qualification, ready_vendor, reviewer):
    from verification.services.qualification import qualification_revoke

    qualification_revoke(actor=reviewer, qualification_id=qualification.pk, reason="Breach")
    with pytest.raises(PermissionRefused, match="was revoked on") as error:
        ensure_vendor_qualified(ready_vendor)
    assert error.value.code == "qualification_revoked"


def test_status_for_many_organisations_costs_one_query(
    django_assert_num_queries, qualification, ready_vendor, other_vendor, municipality
):
    with django_assert_num_queries(1):
        status = qualification_status_for([ready_vendor, other_vendor, municipality.pk])
    assert status == {ready_vendor.pk: qualification, other_vendor.pk: None, municipality.pk: None}
    with django_assert_num_queries(0):
        assert qualification_status_for([]) == {}


def test_status_for_gives_the_latest_qualification(qualification, ready_vendor):
    newer = Qualification.objects.create(
        organisation=ready_vendor,
        application=qualification.application.__class__.objects.create(
            organisation=ready_vendor,
            criterion_set=qualification.application.criterion_set,
            status="rejected",
        ),
        status=Qualification.Status.EXPIRED,
        qualified_on=timezone.localdate() + timedelta(days=1),
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    assert qualification_status_for([ready_vendor])[ready_vendor.pk] == newer


def _badge(organisation, qualification) -> str:
    template = engines["django"].from_string(
        "{% load verification_qualification %}{% vendor_badge organisation qualification %}"
    )
    return template.render({"organisation": organisation, "qualification": qualification}).strip()


def test_the_vendor_badge_marks_each_state(qualification, ready_vendor, municipality):
    """QUA-4: an expired vendor is marked everywhere its name appears."""
    until = formats.date_format(qualification.expires_on, "j. F Y")
    assert _badge(ready_vendor, qualification) == (
        '<span class="ds-tag vendor-badge" data-color="success">Qualified'
        f'<span class="ds-sr-only"> until {until}</span></span>'
    )
    Qualification.objects.filter(pk=qualification.pk).update(
        expires_on=timezone.localdate() + timedelta(days=10)
    )
    qualification.refresh_from_db()
    assert "Qualified, expires" in _badge(ready_vendor, qualification)
    Qualification.objects.filter(pk=qualification.pk).update(
        status="expired",
        qualified_on=timezone.localdate() - timedelta(days=365),
        expires_on=timezone.localdate(),
    )
    qualification.refresh_from_db()
    assert "Qualification expired" in _badge(ready_vendor, qualification)
    assert 'data-color="danger"' in _badge(ready_vendor, qualification)
    Qualification.objects.filter(pk=qualification.pk).update(status="revoked", ended_on=timezone.localdate())
    qualification.refresh_from_db()
    revoked = formats.date_format(timezone.localdate(), "j. F Y")
    assert _badge(ready_vendor, qualification) == (
        f'<span class="ds-tag vendor-badge" data-color="danger">Qualification revoked {revoked}</span>'
    )
    assert _badge(OrganisationFactory(kind="vendor"), None) == (
        '<span class="ds-tag vendor-badge" data-color="neutral">Not qualified</span>'
    )
    assert _badge(municipality, None) == ""
    assert _badge(None, None) == ""


def test_lists_mark_vendors_with_the_badge_and_the_qualification_of_filter(
    qualification, ready_vendor, other_vendor
):
    """How other arenas show the mark: one query for the list, then the badge per row."""
    from django.template import Context, Template

    statuses = qualification_status_for([ready_vendor, other_vendor])
    template = Template(
        "{% load verification_qualification %}{% for org in orgs %}[{{ org.name }}: "
        "{% vendor_badge org statuses|qualification_of:org %}]{% endfor %}"
    )
    html = template.render(Context({"orgs": [ready_vendor, other_vendor], "statuses": statuses}))
    assert "[Kartleggeren AS: <span" in html and 'data-color="success"' in html
    assert "[Omsorgsdata AS: <span" in html and "Not qualified" in html
