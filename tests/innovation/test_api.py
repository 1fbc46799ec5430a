"""The Innovasjonsarena API (X-6): the same rules as the screens, with status codes for refusals."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from innovation import services
from innovation.models import (
    ChecklistItem,
    Collaboration,
    Comment,
    EvaluationCriterion,
    InvolvementEntry,
    Need,
    Stage,
)

from .factories import advance, make_need

pytestmark = pytest.mark.django_db

BASE = "/api/v1/innovation"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
        client.credentials(HTTP_X_ORGANISATION=str(user.acting_organisation.pk))
    return client


def test_anonymous_readers_list_published_needs_only(need, owner, area):
    published = advance(owner, make_need(owner, areas=[area], title="Publisert behov"), Stage.PUBLISHED)
    body = api().get(f"{BASE}/needs/").json()
    assert [n["id"] for n in body["results"]] == [published.pk]
    assert api().get(f"{BASE}/needs/{need.pk}/").status_code == 404
    assert api(owner).get(f"{BASE}/needs/{need.pk}/").status_code == 200


def test_list_filters_and_query_count(owner, area, other_area, django_assert_max_num_queries):
    for i in range(6):
        advance(
            owner,
            make_need(owner, areas=[area if i % 2 else other_area], title=f"Behov {i}"),
            Stage.PUBLISHED,
        )
    with django_assert_max_num_queries(10):
        body = api().get(f"{BASE}/needs/", {"service_area": area.slug, "stage": "published"}).json()
    assert body["count"] == 3
    assert api().get(f"{BASE}/needs/", {"q": "Behov 4"}).json()["count"] >= 1


def test_create_need_through_the_api_and_bad_input(owner, area):
    response = api(owner).post(
        f"{BASE}/needs/",
        {
            "title": "Selvregistrering",
            "summary": "Innbyggeren fyller ut.",
            "service_areas": [area.slug],
            "goals": ["Registrere én gang"],
            "desired_declaration": {"funksjon": {"description": "Skjema"}},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "idea"
    assert response.json()["desired_declaration"] == {"funksjon": {"description": "Skjema"}}
    bad = api(owner).post(
        f"{BASE}/needs/", {"title": "X", "summary": "Y", "service_areas": ["finnes-ikke"]}, format="json"
    )
    assert bad.status_code == 400
    assert "service_areas" in bad.json()
    assert Need.objects.count() == 1


def test_create_refused_without_terms(area, municipality, terms_all):
    from marketplace.models import Role
    from tests.conftest import make_member

    user = make_member(municipality, Role.ADMIN)
    response = api(user).post(
        f"{BASE}/needs/", {"title": "X", "summary": "Y", "service_areas": [area.slug]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "terms_not_accepted"
    assert not Need.objects.exists()


def test_patch_by_someone_outside_the_core_team(owner, inger, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    response = api(inger).patch(f"{BASE}/needs/{need.pk}/", {"title": "Kapret"}, format="json")
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.title == "Kognitiv kartlegging"
    ok = api(owner).patch(f"{BASE}/needs/{need.pk}/", {"summary": "Ny"}, format="json")
    assert ok.status_code == 200 and ok.json()["summary"] == "Ny"


def test_stage_moves_and_refusals(need, owner):
    illegal = api(owner).post(f"{BASE}/needs/{need.pk}/stage/", {"stage": "published"}, format="json")
    assert illegal.status_code == 409
    assert illegal.json()["code"] == "illegal_transition"
    moved = api(owner).post(f"{BASE}/needs/{need.pk}/stage/", {"stage": "prioritisation"}, format="json")
    assert moved.status_code == 200 and moved.json()["stage"] == "prioritisation"
    services.criteria_set(actor=owner, need_id=need.pk, criteria=[{"name": "A", "weight": 100}])
    api(owner).post(f"{BASE}/needs/{need.pk}/stage/", {"stage": "evaluation_criteria"}, format="json")
    blocked = api(owner).post(f"{BASE}/needs/{need.pk}/stage/", {"stage": "published"}, format="json")
    assert blocked.status_code == 409
    assert "Lov og forskrift ok" in blocked.json()["detail"]
    need.refresh_from_db()
    assert need.stage == Stage.EVALUATION_CRITERIA


def test_criteria_put_must_sum_to_100(need, owner):
    url = f"{BASE}/needs/{need.pk}/criteria/"
    bad = api(owner).put(url, {"criteria": [{"name": "A", "weight": 50}]}, format="json")
    assert bad.status_code == 400
    assert "criteria" in bad.json()
    ok = api(owner).put(
        url, {"criteria": [{"name": "A", "weight": 60}, {"name": "B", "weight": 40}]}, format="json"
    )
    assert ok.status_code == 200
    assert [c["weight"] for c in ok.json()] == [60, 40]
    assert EvaluationCriterion.objects.count() == 2


def test_checklist_tick_through_the_api(need, owner, inger):
    item = ChecklistItem.objects.filter(need=need).first()
    response = api(owner).post(
        f"{BASE}/needs/{need.pk}/checklist/{item.pk}/", {"checked": True, "comment": "Ok"}, format="json"
    )
    assert response.status_code == 200 and response.json()["checked"] is True
    assert (
        api(inger)
        .post(
            f"{BASE}/needs/{need.pk}/checklist/{item.pk}/", {"checked": False, "comment": "x"}, format="json"
        )
        .status_code
        == 404
    )


def test_collaboration_requests_and_answers(owner, inger, bodo, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    created = api(inger).post(f"{BASE}/collaborations/", {"need": need.pk, "message": "Hei"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api(bodo).post(f"{BASE}/collaborations/{pk}/accept/", {}, format="json").status_code == 404
    assert api(inger).post(f"{BASE}/collaborations/{pk}/accept/", {}, format="json").status_code == 403
    assert [c["id"] for c in api(owner).get(f"{BASE}/collaborations/").json()["results"]] == [pk]
    assert api(bodo).get(f"{BASE}/collaborations/").json()["count"] == 0
    accepted = api(owner).post(f"{BASE}/collaborations/{pk}/accept/", {"reason": "Velkommen"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = api(owner).post(f"{BASE}/collaborations/{pk}/decline/", {}, format="json")
    assert again.status_code == 409
    assert Collaboration.objects.get(pk=pk).status == Collaboration.Status.ACCEPTED


def test_invitation_through_the_api(need, owner, bodo):
    response = api(owner).post(
        f"{BASE}/collaborations/invite/",
        {"need": need.pk, "organisation": bodo.acting_organisation.pk},
        format="json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "invitation"
    assert api(bodo).get(f"{BASE}/needs/{need.pk}/").status_code == 200


def test_involvement_entries_for_the_core_team_only(need, owner, inger):
    response = api(owner).post(
        f"{BASE}/involvement-entries/",
        {
            "need": need.pk,
            "step": "core_team",
            "date": "2024-03-01",
            "participants": "Kjerneteamet",
            "notes": "Start",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert api(owner).get(f"{BASE}/involvement-entries/").json()["count"] == 1
    advance(owner, need, Stage.PUBLISHED)
    assert api(inger).get(f"{BASE}/involvement-entries/").json()["count"] == 0
    refused = api(inger).post(
        f"{BASE}/involvement-entries/",
        {"need": need.pk, "step": "core_team", "date": "2024-03-01", "participants": "Inger", "notes": "x"},
        format="json",
    )
    assert refused.status_code == 403
    assert InvolvementEntry.objects.count() == 1


def test_comments_api_follows_visibility(need, owner, inger):
    services.comment_add(actor=owner, need_id=need.pk, body="Intern kommentar")
    assert api(inger).get(f"{BASE}/comments/").json()["count"] == 0
    assert (
        api(inger).post(f"{BASE}/comments/", {"need": need.pk, "body": "Hei"}, format="json").status_code
        == 404
    )
    advance(owner, need, Stage.PUBLISHED)
    assert api().get(f"{BASE}/comments/", {"need": need.pk}).json()["count"] == 1
    assert (
        api(inger).post(f"{BASE}/comments/", {"need": need.pk, "body": "Hei"}, format="json").status_code
        == 201
    )
    assert api().post(
        f"{BASE}/comments/", {"need": need.pk, "body": "Anonym"}, format="json"
    ).status_code in (401, 403)
    assert Comment.objects.count() == 2


def test_compare_api_needs_two_to_four(owner, area):
    needs = [
        advance(owner, make_need(owner, areas=[area], title=f"Behov {i}"), Stage.PUBLISHED) for i in range(5)
    ]
    ok = api().get(f"{BASE}/needs/compare/", {"ids": f"{needs[0].pk},{needs[1].pk}"})
    assert ok.status_code == 200
    body = ok.json()
    assert [n["id"] for n in body["needs"]] == [needs[0].pk, needs[1].pk]
    assert {r["section"] for r in body["rows"]} >= {"behov", "funksjon", "informasjon", "innforing"}
    assert api().get(f"{BASE}/needs/compare/", {"ids": str(needs[0].pk)}).status_code == 400
    assert api().get(f"{BASE}/needs/compare/", {"ids": ",".join(str(n.pk) for n in needs)}).status_code == 400


def test_stages_list_the_table(db):
    body = api().get(f"{BASE}/stages/").json()
    assert [s["value"] for s in body] == [
        "idea",
        "prioritisation",
        "evaluation_criteria",
        "published",
        "archived",
    ]
    assert body[0]["transitions"] == ["prioritisation", "archived"]


def test_follow_and_interest(owner, vendor_user, inger, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    assert api(inger).post(f"{BASE}/needs/{need.pk}/follow/").status_code == 200
    assert api(inger).delete(f"{BASE}/needs/{need.pk}/follow/").status_code == 204
    assert (
        api(vendor_user)
        .post(f"{BASE}/needs/{need.pk}/interest/", {"note": "Vi kan"}, format="json")
        .status_code
        == 201
    )
    assert api(inger).post(f"{BASE}/needs/{need.pk}/interest/", {}, format="json").status_code == 403
    assert api(vendor_user).delete(f"{BASE}/needs/{need.pk}/interest/").status_code == 204


def test_out_of_range_ids_and_odd_bodies_are_refused_not_crashed(owner):
    """X-7: numbers the database cannot hold and bodies of the wrong shape give 4xx, never a server error."""
    huge = "99999999999999999999999"
    for url in (
        f"{BASE}/needs/?organisation={huge}",
        f"{BASE}/needs/compare/?ids={huge},2",
        f"{BASE}/comments/?need={huge}",
        f"/innovasjonsarena/behov/?organisation={huge}",
        f"/innovasjonsarena/sammenlign/?behov={huge}&behov=1",
    ):
        assert api(owner).get(url).status_code < 500, url
    assert api(owner).post(f"{BASE}/collaborations/1/accept/", [None, None], format="json").status_code < 500
    assert api(owner).post(f"{BASE}/collaborations/", {"need": int(huge)}, format="json").status_code == 404
