"""API of Kvalifisering (X-6): same permissions as the screens; refusals as JSON with the right status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.models import Role, TermsAcceptance
from marketplace.terms import forget_pending_terms
from tests.conftest import accept_terms, make_member
from verification.models import CriterionSet, Qualification, QualificationAnswer, QualificationApplication

from .factories import CriterionSetFactory, pdf_upload, svg_upload
from .test_views import _qualified_vendors

pytestmark = pytest.mark.django_db
Status = QualificationApplication.Status
API = "/api/v1/qualification"


def api(user=None) -> APIClient:
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_authenticate(user)
        organisation = getattr(user, "acting_organisation", None)
        if organisation is not None:
            client.credentials(HTTP_X_ORGANISATION=str(organisation.pk))
    return client


def test_criteria_are_public_and_drafts_are_not(criteria):
    CriterionSetFactory(version="9.9")
    response = api().get(f"{API}/criteria/")
    assert response.status_code == 200
    assert {c["code"] for c in response.json()["results"]} == {"dpa", "iso", "contact", "tax"}
    tax = next(c for c in response.json()["results"] if c["code"] == "tax")
    assert tax["max_age_months"] == 6 and tax["evidence_required"] is True
    sets = api().get(f"{API}/criterion-sets/").json()["results"]
    assert [s["version"] for s in sets] == ["1.0"]
    assert len(sets[0]["criteria"]) == 4


def test_qualified_vendors_are_public_searchable_and_cost_fixed_queries(
    criteria, django_assert_max_num_queries
):
    """QUA-6 through the API."""
    few = _qualified_vendors(2, criteria)
    with django_assert_max_num_queries(2):
        response = api().get(f"{API}/qualified-vendors/")
    assert response.json()["count"] == 2
    _qualified_vendors(10, criteria)
    with django_assert_max_num_queries(2):
        response = api().get(f"{API}/qualified-vendors/")
    assert response.json()["count"] == 12
    found = api().get(f"{API}/qualified-vendors/", {"q": few[0].organisation.name}).json()
    assert [r["organisation"]["name"] for r in found["results"]] == [few[0].organisation.name]
    assert found["results"][0]["expires_on"] == few[0].expires_on.isoformat()


def test_the_whole_flow_through_the_api(ready_vendor, vendor_admin, reviewer):
    vendor_api = api(vendor_admin)
    response = vendor_api.post(f"{API}/applications/", {}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    rows = {r["code"]: r for r in response.json()["answers"]}
    assert response.json()["status"] == "draft" and rows["dpa"]["outcome"] == "unanswered"

    response = vendor_api.patch(f"{API}/applications/{pk}/", {"address": "Storgata 1, Oslo"}, format="json")
    assert response.status_code == 200 and response.json()["address"] == "Storgata 1, Oslo"
    tax_date = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = vendor_api.post(
        f"{API}/applications/{pk}/answers/",
        {
            "answers": [
                {"criterion": rows["dpa"]["criterion"], "value": True},
                {"criterion": rows["iso"]["criterion"], "value": "no"},
                {"criterion": rows["contact"]["criterion"], "value": "Vera"},
                {"criterion": rows["tax"]["criterion"], "value": tax_date},
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    assert {r["code"]: r["outcome"] for r in response.json()["answers"]} == {
        "dpa": "pass",
        "iso": "judgement",
        "contact": "judgement",
        "tax": "pass",
    }
    for code in ("dpa", "iso", "tax"):
        response = vendor_api.post(
            f"{API}/applications/{pk}/evidence/",
            {"criterion": rows[code]["criterion"], "file": pdf_upload(f"{code}.pdf")},
            format="multipart",
        )
        assert response.status_code == 201, response.content
    response = vendor_api.post(f"{API}/applications/{pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    admin_api = api(reviewer)
    assert [
        a["id"] for a in admin_api.get(f"{API}/applications/", {"status": "submitted"}).json()["results"]
    ] == [pk]
    assert admin_api.post(f"{API}/applications/{pk}/start-review/").json()["status"] == "in_review"
    response = admin_api.post(
        f"{API}/applications/{pk}/request-changes/",
        {
            "reason": "Clarify ISO.",
            "comments": [
                {"criterion": rows["iso"]["criterion"], "text": "Describe it.", "requires_change": True}
            ],
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "changes_requested"
    iso = next(r for r in vendor_api.get(f"{API}/applications/{pk}/").json()["answers"] if r["code"] == "iso")
    assert iso["comments"][0]["text"] == "Describe it." and iso["comments"][0]["requires_change"]
    assert vendor_api.post(f"{API}/applications/{pk}/submit/").json()["status"] == "resubmitted"
    admin_api.post(f"{API}/applications/{pk}/start-review/")
    response = admin_api.post(
        f"{API}/applications/{pk}/qualify/", {"reason": "Equivalent accepted."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "qualified"
    history = vendor_api.get(f"{API}/applications/{pk}/history/").json()
    assert [e["to_state"] for e in history if e["from_state"]] == [
        "submitted",
        "in_review",
        "changes_requested",
        "resubmitted",
        "in_review",
        "qualified",
    ]
    assert (
        api().get(f"{API}/qualified-vendors/").json()["results"][0]["organisation"]["name"]
        == "Kartleggeren AS"
    )


def test_a_municipality_cannot_apply_through_the_api(municipality, municipal_admin, terms, criteria):
    accept_terms(municipality, by=municipal_admin)
    response = api(municipal_admin).post(f"{API}/applications/", {}, format="json")
    assert response.status_code == 403 and "Only vendor organisations" in response.json()["detail"]
    assert not QualificationApplication.objects.exists()


def test_terms_not_accepted_is_refused_with_its_own_code(vendor, vendor_admin, terms, criteria):
    response = api(vendor_admin).post(f"{API}/applications/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "terms_not_accepted"


def test_anonymous_cannot_see_applications(submitted):
    assert api().get(f"{API}/applications/").status_code in (401, 403)
    assert api().get(f"{API}/applications/{submitted.pk}/").status_code in (401, 403)


def test_a_member_who_is_not_admin_cannot_submit(ready_vendor, complete_draft):
    member = make_member(ready_vendor, Role.MEMBER)
    response = api(member).post(f"{API}/applications/{complete_draft.pk}/submit/")
    assert response.status_code == 403
    assert api(member).get(f"{API}/applications/{complete_draft.pk}/").status_code == 200
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_another_vendors_application_is_404_and_nothing_changes(complete_draft, ready_other_vendor):
    stranger = api(ready_other_vendor.test_admin)
    pk = complete_draft.pk
    dpa = complete_draft.criterion_set.criteria.get(code="dpa")
    assert stranger.get(f"{API}/applications/").json()["count"] == 0
    assert stranger.get(f"{API}/applications/{pk}/").status_code == 404
    assert stranger.patch(f"{API}/applications/{pk}/", {"address": "X"}, format="json").status_code == 404
    assert (
        stranger.post(
            f"{API}/applications/{pk}/answers/",
            {"answers": [{"criterion": dpa.pk, "value": "no"}]},
            format="json",
        ).status_code
        == 404
    )
    assert stranger.post(f"{API}/applications/{pk}/submit/").status_code == 404
    assert stranger.get(f"{API}/applications/{pk}/history/").status_code == 404
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT and complete_draft.address != "X"
    assert QualificationAnswer.objects.get(application=complete_draft, criterion=dpa).value_bool is True


def test_bad_input_is_400_with_the_field(draft, vendor_admin):
    tax = draft.criterion_set.criteria.get(code="tax")
    response = api(vendor_admin).post(
        f"{API}/applications/{draft.pk}/answers/",
        {"answers": [{"criterion": tax.pk, "value": "not a date"}]},
        format="json",
    )
    assert response.status_code == 400 and f"criterion_{tax.pk}" in response.json()
    response = api(vendor_admin).post(
        f"{API}/applications/{draft.pk}/evidence/",
        {"criterion": tax.pk, "file": svg_upload()},
        format="multipart",
    )
    assert response.status_code == 400 and "not an allowed file type" in str(response.json())
    response = api(vendor_admin).post(
        f"{API}/applications/{draft.pk}/answers/", {"answers": "x"}, format="json"
    )
    assert response.status_code == 400


def test_submitting_without_required_evidence_is_400(draft, vendor_admin):
    response = api(vendor_admin).post(f"{API}/applications/{draft.pk}/submit/")
    assert response.status_code == 400
    assert any("Upload the required evidence" in " ".join(v) for v in response.json().values())
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_qualifying_a_draft_is_409_and_a_second_decision_is_409(complete_draft, qualification, reviewer):
    response = api(reviewer).post(
        f"{API}/applications/{qualification.application_id}/reject/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    other = QualificationApplication.objects.create(
        organisation=complete_draft.organisation,
        criterion_set=complete_draft.criterion_set,
        status=Status.WITHDRAWN,
    )
    response = api(reviewer).post(f"{API}/applications/{other.pk}/qualify/", {}, format="json")
    assert response.status_code == 409
    assert Qualification.objects.count() == 1


def test_a_draft_qualified_through_the_api_is_409(draft, reviewer):
    response = api(reviewer).post(f"{API}/applications/{draft.pk}/qualify/", {}, format="json")
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_vendors_cannot_take_review_decisions(in_review, vendor_admin):
    response = api(vendor_admin).post(f"{API}/applications/{in_review.pk}/qualify/", {}, format="json")
    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_reject_without_reason_is_400(in_review, reviewer):
    response = api(reviewer).post(f"{API}/applications/{in_review.pk}/reject/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_drafts_of_criteria_are_visible_to_platform_admins(reviewer, criteria):
    draft = CriterionSetFactory(version="3.0")
    versions = {s["version"] for s in api(reviewer).get(f"{API}/criterion-sets/").json()["results"]}
    assert versions == {"1.0", "3.0"}
    assert api().get(f"{API}/criterion-sets/{draft.pk}/").status_code == 404
    assert CriterionSet.objects.count() == 2


def test_the_terms_check_follows_the_acting_organisation(ready_vendor, vendor_admin, complete_draft):
    TermsAcceptance.objects.filter(organisation=ready_vendor).delete()
    forget_pending_terms(ready_vendor)
    response = api(vendor_admin).post(f"{API}/applications/{complete_draft.pk}/submit/")
    assert response.status_code == 403 and response.json()["code"] == "terms_not_accepted"


def test_the_application_list_costs_the_same_queries_for_2_or_12(
    reviewer, criteria, django_assert_max_num_queries
):
    from .test_views import _waiting_applications

    _waiting_applications(2, criteria)
    with django_assert_max_num_queries(8):
        assert api(reviewer).get(f"{API}/applications/", {"ordering": "submitted_at"}).json()["count"] == 2
    _waiting_applications(10, criteria)
    with django_assert_max_num_queries(8):
        results = api(reviewer).get(f"{API}/applications/", {"ordering": "submitted_at"}).json()["results"]
    assert len(results) == 12
    assert [r["submitted_at"] for r in results] == sorted(r["submitted_at"] for r in results)
