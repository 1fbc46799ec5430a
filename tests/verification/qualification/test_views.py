"""Screens of Kvalifisering: the vendor's application in sections, the review, the public list, start-page
panels; permissions as in the services (404 for other organisations' applications, nothing changed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import Role
from tests.conftest import accept_terms, make_member
from tests.factories import OrganisationFactory
from verification.models import Qualification, QualificationAnswer, QualificationApplication, ReviewComment
from verification.services import qualification as services

from .conftest import login
from .factories import pdf_upload, svg_upload

pytestmark = pytest.mark.django_db
Status = QualificationApplication.Status
BASE = "/verifikasjon/kvalifisering"


def _qualified_vendors(n: int, criterion_set) -> list[Qualification]:
    """n vendors with a valid qualification (list set-up, written directly)."""
    today = timezone.localdate()
    made = []
    for _ in range(n):
        organisation = OrganisationFactory(kind="vendor")
        application = QualificationApplication.objects.create(
            organisation=organisation, criterion_set=criterion_set, status=Status.QUALIFIED
        )
        made.append(
            Qualification.objects.create(
                organisation=organisation,
                application=application,
                qualified_on=today,
                expires_on=today + timedelta(days=365),
            )
        )
    return made


def _waiting_applications(n: int, criterion_set) -> list[QualificationApplication]:
    made = []
    for i in range(n):
        organisation = OrganisationFactory(kind="vendor")
        application = QualificationApplication.objects.create(
            organisation=organisation,
            criterion_set=criterion_set,
            status=Status.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=n - i),
        )
        for criterion in criterion_set.criteria.all():
            QualificationAnswer.objects.create(
                application=application, criterion=criterion, value_bool=True, outcome="pass"
            )
        made.append(application)
    return made


# Front page and public list (QUA-6) ----------------------------------------------------------------------


def test_front_page_for_anonymous_visitors_links_to_criteria_and_public_list(client, criteria):
    body = client.get(f"{BASE}/").content.decode()
    assert f'href="{BASE}/kriterier/"' in body and f'href="{BASE}/kvalifiserte/"' in body
    assert "Apply for qualification" not in body


def test_front_page_shows_a_vendor_its_status_and_the_way_to_apply(ready_vendor, vendor_admin):
    body = login(vendor_admin).get(f"{BASE}/").content.decode()
    assert "Kartleggeren AS is not qualified yet." in body
    assert f'href="{BASE}/soknader/ny/"' in body
    member = make_member(ready_vendor, Role.MEMBER)
    body = login(member).get(f"{BASE}/").content.decode()
    assert "An organisation admin applies on behalf of the organisation." in body


def test_front_page_shows_a_qualified_vendor_its_period(qualification, vendor_admin):
    body = login(vendor_admin).get(f"{BASE}/").content.decode()
    assert "Qualified since" in body and qualification.expires_on.strftime("%Y") in body
    assert "Apply for requalification" in body


def test_public_list_is_anonymous_searchable_and_costs_the_same_queries_for_2_or_12_vendors(
    client, criteria, django_assert_max_num_queries
):
    """QUA-6: readable anonymously; query count pinned."""
    few = _qualified_vendors(2, criteria)
    with django_assert_max_num_queries(4):
        response = client.get(f"{BASE}/kvalifiserte/")
    assert response.status_code == 200 and few[0].organisation.name in response.content.decode()
    _qualified_vendors(10, criteria)
    with django_assert_max_num_queries(4):
        response = client.get(f"{BASE}/kvalifiserte/")
    assert response.content.decode().count('class="ds-tag vendor-badge"') == 12
    body = client.get(f"{BASE}/kvalifiserte/", {"q": few[1].organisation.name}).content.decode()
    assert few[1].organisation.name in body and few[0].organisation.name not in body


def test_public_list_leaves_out_expired_and_revoked_vendors(client, criteria):
    valid, expired, revoked = _qualified_vendors(3, criteria)
    Qualification.objects.filter(pk=expired.pk).update(status="expired")
    Qualification.objects.filter(pk=revoked.pk).update(status="revoked")
    body = client.get(f"{BASE}/kvalifiserte/").content.decode()
    assert valid.organisation.name in body
    assert expired.organisation.name not in body and revoked.organisation.name not in body


# The vendor's application (QUA-2) ----------------------------------------------------------------------


def test_a_vendor_fills_in_the_application_section_by_section_and_submits(
    ready_vendor, vendor_admin, criteria
):
    client = login(vendor_admin)
    response = client.post(f"{BASE}/soknader/ny/", {})
    application = QualificationApplication.objects.get(organisation=ready_vendor)
    assert response["Location"] == f"{BASE}/soknader/{application.pk}/firma/"
    page = client.get(response["Location"]).content.decode()
    assert 'aria-current="step"' in page and "Check and submit" in page

    response = client.post(
        f"{BASE}/soknader/{application.pk}/firma/",
        {
            "company_name": "Kartleggeren AS",
            "org_number": ready_vendor.org_number,
            "address": "Storgata 1, Oslo",
            "website": "https://kartleggeren.example",
            "contact_name": "Vera",
            "contact_email": "vera@k.example",
            "contact_phone": "",
            "go": "next",
        },
    )
    assert response["Location"] == f"{BASE}/soknader/{application.pk}/del/2/"

    c = {x.code: x for x in criteria.criteria.all()}
    response = client.post(
        f"{BASE}/soknader/{application.pk}/del/2/",
        {
            f"criterion_{c['dpa'].pk}": "yes",
            f"criterion_{c['iso'].pk}": "no",
            f"criterion_{c['contact'].pk}": "Vera, CISO",
            f"evidence_{c['dpa'].pk}": pdf_upload("dpa.pdf"),
            f"evidence_{c['iso'].pk}": pdf_upload("iso.pdf"),
            "go": "next",
        },
    )
    assert response["Location"] == f"{BASE}/soknader/{application.pk}/del/3/"
    page = client.get(f"{BASE}/soknader/{application.pk}/del/2/").content.decode()
    assert "Reviewer&#x27;s judgement" in page and "dpa.pdf" in page

    response = client.post(
        f"{BASE}/soknader/{application.pk}/del/3/",
        {f"criterion_{c['tax'].pk}": (timezone.localdate() - timedelta(days=5)).isoformat(), "go": "next"},
    )
    assert response["Location"] == f"{BASE}/soknader/{application.pk}/send-inn/"
    page = client.get(response["Location"]).content.decode()
    assert "Upload the required evidence document for “Tax certificate issued on?”" in page
    assert (
        "Upload the required evidence document for “Tax certificate issued on?”. "
        f'<a class="ds-link" href="{BASE}/soknader/{application.pk}/del/3/">Go to the part' in page
    )

    response = client.post(f"{BASE}/soknader/{application.pk}/send-inn/")
    assert response.status_code == 400
    assert "The application could not be submitted" in response.content.decode()
    client.post(
        f"{BASE}/soknader/{application.pk}/del/3/",
        {
            f"criterion_{c['tax'].pk}": (timezone.localdate() - timedelta(days=5)).isoformat(),
            f"evidence_{c['tax'].pk}": pdf_upload("skatteattest.pdf"),
            "go": "stay",
        },
    )
    response = client.post(f"{BASE}/soknader/{application.pk}/send-inn/")
    assert response["Location"] == f"{BASE}/soknader/{application.pk}/"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    detail = client.get(f"{BASE}/soknader/{application.pk}/").content.decode()
    assert "KS is reviewing the application" in detail and "Submitted" in detail


def test_an_upload_of_a_disallowed_type_is_refused_on_its_field_and_the_answers_are_kept(draft, vendor_admin):
    c = {x.code: x for x in draft.criterion_set.criteria.all()}
    response = login(vendor_admin).post(
        f"{BASE}/soknader/{draft.pk}/del/2/",
        {f"criterion_{c['dpa'].pk}": "yes", f"evidence_{c['dpa'].pk}": svg_upload("logo.svg"), "go": "next"},
    )
    assert response.status_code == 400
    assert "“logo.svg” is not an allowed file type." in response.content.decode()
    assert QualificationAnswer.objects.get(application=draft, criterion=c["dpa"]).value_bool is True


def test_a_bad_date_is_a_field_level_message(draft, vendor_admin):
    tax = draft.criterion_set.criteria.get(code="tax")
    response = login(vendor_admin).post(
        f"{BASE}/soknader/{draft.pk}/del/3/", {f"criterion_{tax.pk}": "2999-01-01"}
    )
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()


def test_evidence_is_removed_with_the_button_in_the_section_form(draft, vendor_admin):
    dpa = draft.criterion_set.criteria.get(code="dpa")
    document = services.evidence_upload(
        actor=vendor_admin, application_id=draft.pk, criterion_id=dpa.pk, upload=pdf_upload()
    )
    section = f"{BASE}/soknader/{draft.pk}/del/2/"
    response = login(vendor_admin).post(
        f"{BASE}/soknader/{draft.pk}/dokument/slett/", {"document": document.pk, "next": section}
    )
    assert response["Location"] == section
    from marketplace.models import Document

    assert not Document.objects.filter(pk=document.pk).exists()


def test_another_vendor_gets_404_on_every_screen_and_changes_nothing(complete_draft, ready_other_vendor):
    """ORG-4 / QUA-2 refusal."""
    client = login(ready_other_vendor.test_admin)
    dpa = complete_draft.criterion_set.criteria.get(code="dpa")
    for url in ("", "firma/", "del/2/", "send-inn/"):
        assert client.get(f"{BASE}/soknader/{complete_draft.pk}/{url}").status_code == 404
    assert (
        client.post(f"{BASE}/soknader/{complete_draft.pk}/del/2/", {f"criterion_{dpa.pk}": "no"}).status_code
        == 404
    )
    assert client.post(f"{BASE}/soknader/{complete_draft.pk}/send-inn/").status_code == 404
    assert client.post(f"{BASE}/soknader/{complete_draft.pk}/trekk/").status_code == 404
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT
    assert QualificationAnswer.objects.get(application=complete_draft, criterion=dpa).value_bool is True


def test_a_member_sees_the_application_but_cannot_change_or_submit_it(ready_vendor, complete_draft):
    member = make_member(ready_vendor, Role.MEMBER)
    client = login(member)
    detail = client.get(f"{BASE}/soknader/{complete_draft.pk}/")
    assert detail.status_code == 200 and "Continue the application" not in detail.content.decode()
    response = client.post(f"{BASE}/soknader/{complete_draft.pk}/send-inn/")
    assert response.status_code == 403
    assert "Only an organisation admin of Kartleggeren AS" in response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_a_municipality_is_told_only_vendors_apply(municipality, municipal_admin, terms, criteria):
    accept_terms(municipality, by=municipal_admin)
    client = login(municipal_admin)
    assert (
        "Only vendor organisations apply for qualification"
        in client.get(f"{BASE}/soknader/ny/").content.decode()
    )
    response = client.post(f"{BASE}/soknader/ny/", {})
    assert response.status_code == 400
    assert not QualificationApplication.objects.exists()


def test_a_vendor_without_current_terms_is_told_to_accept_them(vendor, vendor_admin, terms, criteria):
    response = login(vendor_admin).post(f"{BASE}/soknader/ny/", {})
    assert response.status_code == 400
    assert "has not accepted the current terms" in response.content.decode()
    assert not QualificationApplication.objects.exists()


def test_the_applicant_sees_the_timeline_and_the_comments_per_criterion(in_review, reviewer, vendor_admin):
    """QUA-3: the applicant sees the history and the reviewer's comments per criterion."""
    tax = in_review.criterion_set.criteria.get(code="tax")
    services.application_request_changes(
        actor=reviewer,
        application_id=in_review.pk,
        reason="Renew the certificate.",
        comments={tax.pk: ("Older than allowed.", True)},
    )
    body = login(vendor_admin).get(f"{BASE}/soknader/{in_review.pk}/").content.decode()
    assert "KS asks you to change the application" in body and "Renew the certificate." in body
    assert "Older than allowed." in body and "Must be changed" in body
    assert "Changes requested" in body and str(reviewer) in body
    assert "Change the application" in body


def test_evidence_is_downloaded_only_by_the_vendor_and_platform_admins(
    complete_draft, vendor_admin, reviewer, ready_other_vendor, client
):
    """X-5: documents are served only to those allowed to see the application."""
    from marketplace.models import Document

    document = Document.objects.filter(owner_id__in=complete_draft.answers.values("pk")).first()
    url = document.get_absolute_url()
    assert login(vendor_admin).get(url).status_code == 200
    assert login(reviewer).get(url).status_code == 200
    assert login(ready_other_vendor.test_admin).get(url).status_code == 404
    assert client.get(url).status_code == 404


# Review (QUA-3) -------------------------------------------------------------------------------------------


def test_review_queue_oldest_first_with_status_filter_and_pinned_queries(
    reviewer, criteria, django_assert_max_num_queries
):
    client = login(reviewer)
    first, second = _waiting_applications(2, criteria)
    with django_assert_max_num_queries(12):
        body = client.get(f"{BASE}/behandling/").content.decode()
    assert body.index(first.organisation.name) < body.index(second.organisation.name)
    _waiting_applications(10, criteria)
    with django_assert_max_num_queries(12):
        response = client.get(f"{BASE}/behandling/")
    assert response.content.decode().count(f'href="{BASE}/behandling/') == 12
    QualificationApplication.objects.filter(pk=first.pk).update(status=Status.REJECTED)
    filtered = client.get(f"{BASE}/behandling/", {"status": "rejected"}).content.decode()
    assert first.organisation.name in filtered and second.organisation.name not in filtered
    default = client.get(f"{BASE}/behandling/").content.decode()
    assert first.organisation.name not in default


def test_review_screens_are_hidden_from_vendors(submitted, vendor_admin):
    client = login(vendor_admin)
    assert client.get(f"{BASE}/behandling/").status_code == 404
    assert client.get(f"{BASE}/behandling/{submitted.pk}/").status_code == 404
    assert client.post(f"{BASE}/behandling/{submitted.pk}/start/").status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_reviewer_starts_comments_and_requests_changes_in_the_screen(submitted, reviewer):
    client = login(reviewer)
    assert "Start the review" in client.get(f"{BASE}/behandling/{submitted.pk}/").content.decode()
    client.post(f"{BASE}/behandling/{submitted.pk}/start/")
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW and submitted.reviewer == reviewer
    tax = submitted.criterion_set.criteria.get(code="tax")
    response = client.post(
        f"{BASE}/behandling/{submitted.pk}/", {"decision": "request_changes", "reason": ""}
    )
    assert (
        response.status_code == 400 and "Tell the vendor what must be changed." in response.content.decode()
    )
    response = client.post(
        f"{BASE}/behandling/{submitted.pk}/",
        {
            "decision": "request_changes",
            "reason": "See the tax certificate.",
            f"comment_{tax.pk}": "Too old.",
            f"change_{tax.pk}": "on",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.CHANGES_REQUESTED
    assert ReviewComment.objects.get().requires_change


def test_qualifying_a_draft_in_the_screen_shows_the_refusal(complete_draft, reviewer):
    """QUA-3 refusal, shown on the screen."""
    response = login(reviewer).post(
        f"{BASE}/behandling/{complete_draft.pk}/", {"decision": "qualify", "reason": ""}
    )
    assert response.status_code == 400
    assert "cannot change to “Qualified”" in response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_a_second_decision_in_the_screen_shows_the_refusal(qualification, reviewer):
    application = qualification.application
    response = login(reviewer).post(
        f"{BASE}/behandling/{application.pk}/", {"decision": "reject", "reason": "No"}
    )
    assert response.status_code == 400
    assert "cannot change to “Rejected”" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.QUALIFIED


def test_reviewer_qualifies_and_the_vendor_appears_on_the_public_list(in_review, reviewer, client):
    response = login(reviewer).post(
        f"{BASE}/behandling/{in_review.pk}/", {"decision": "qualify", "reason": "OK"}
    )
    assert response.status_code == 302
    assert "Kartleggeren AS" in client.get(f"{BASE}/kvalifiserte/").content.decode()


def test_reviewer_revokes_a_qualification_in_the_screen(qualification, reviewer):
    client = login(reviewer)
    response = client.post(f"{BASE}/kvalifiseringer/{qualification.pk}/tilbakekall/", {"reason": "Breach"})
    assert response.status_code == 302
    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.REVOKED


# Start page panels -----------------------------------------------------------------------------------------


def test_start_page_shows_the_vendor_its_application_status(submitted, vendor_admin):
    body = login(vendor_admin).get("/").content.decode()
    assert "Kvalifisering" in body and "Submitted" in body and f"{BASE}/soknader/{submitted.pk}/" in body


def test_start_page_shows_administrators_the_queue_with_fixed_queries(
    reviewer, criteria, django_assert_max_num_queries
):
    client = login(reviewer)
    _waiting_applications(2, criteria)
    with django_assert_max_num_queries(30) as captured:
        client.get("/")
    few = len(captured.captured_queries)
    _waiting_applications(10, criteria)
    with django_assert_max_num_queries(few) as captured:
        body = client.get("/").content.decode()
    assert "Qualification applications to review" in body and "Open the review queue" in body


def test_every_qualification_page_renders_for_each_role(qualification, vendor_admin, reviewer, client):
    application = qualification.application
    pages = {
        client: [
            f"{BASE}/",
            f"{BASE}/kriterier/",
            f"{BASE}/kvalifiserte/",
            f"{BASE}/kriteriesett/{application.criterion_set_id}/",
        ],
        login(vendor_admin): [f"{BASE}/", f"{BASE}/soknader/", f"{BASE}/soknader/{application.pk}/", "/"],
        login(reviewer): [
            f"{BASE}/",
            f"{BASE}/behandling/",
            f"{BASE}/behandling/{application.pk}/",
            f"{BASE}/kriteriesett/",
            f"{BASE}/kriteriesett/ny/",
            f"{BASE}/soknader/{application.pk}/",
            f"{BASE}/behandling/?status=all",
            "/",
        ],
    }
    for browser, urls in pages.items():
        for url in urls:
            assert browser.get(url).status_code == 200, url


def test_the_assessment_is_shown_live_before_saving_and_nothing_is_written(
    draft, vendor_admin, ready_other_vendor
):
    """QUA-2: the vendor sees which answers will pass, fail or go to judgement before submitting (htmx)."""
    c = {x.code: x for x in draft.criterion_set.criteria.all()}
    client = login(vendor_admin)
    page = client.get(f"{BASE}/soknader/{draft.pk}/del/2/").content.decode()
    assert f'hx-post="{BASE}/soknader/{draft.pk}/vurdering/"' in page
    response = client.post(
        f"{BASE}/soknader/{draft.pk}/vurdering/", {f"criterion_{c['iso'].pk}": "no"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert f'id="assessment-{c["iso"].pk}" hx-swap-oob="true"' in body and "Reviewer&#x27;s judgement" in body
    body = client.post(
        f"{BASE}/soknader/{draft.pk}/vurdering/", {f"criterion_{c['tax'].pk}": "2999-01-01"}
    ).content
    assert "The date cannot be in the future." in body.decode()
    assert not QualificationAnswer.objects.filter(application=draft).exists()
    stranger = login(ready_other_vendor.test_admin)
    assert (
        stranger.post(
            f"{BASE}/soknader/{draft.pk}/vurdering/", {f"criterion_{c['iso'].pk}": "no"}
        ).status_code
        == 404
    )
