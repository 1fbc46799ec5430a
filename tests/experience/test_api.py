"""API of Erfaringsarena (X-6): the screens' permissions, filters, refusals as JSON with the right status."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from experience.models import Comment, Experience, Rating, Report
from marketplace.models import Role
from tests.conftest import login, make_member

from .factories import TEXTS, adopt, municipality, write

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_anyone_reads_published_experiences_with_filters(experience, product, area):
    client = Client()
    data = client.get("/api/v1/experiences/").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["title"] == experience.title and item["product"]["id"] == product.pk
    assert item["organisation"]["name"] == experience.organisation.name and item["size"] == "m"
    assert client.get(f"/api/v1/experiences/?product={product.pk}").json()["count"] == 1
    assert client.get(f"/api/v1/experiences/?service_area={area.slug}").json()["count"] == 1
    assert client.get("/api/v1/experiences/?size=xl").json()["count"] == 0
    assert client.get("/api/v1/experiences/?topic=need").json()["count"] == 0
    assert client.get("/api/v1/experiences/?q=kartleggingskriteriene").json()["count"] == 1
    assert client.get("/api/v1/experiences/?size=huge&topic=x&sort=y").json()["count"] == 1  # ignored
    detail = client.get(f"/api/v1/experiences/{experience.pk}/").json()
    assert detail["attachments"] == [] and detail["version"] == 1
    assert client.get(f"/api/v1/experiences/{experience.pk}/versions/").json()[0]["number"] == 1
    assert client.get("/api/v1/experiences/null,null/").status_code == 404


@pytest.mark.parametrize("n", [2, 8])
def test_the_list_costs_a_fixed_number_of_queries(n, product, terms_all, django_assert_max_num_queries):
    for i in range(n):
        organisation = municipality(inhabitants=10_000)
        author = make_member(organisation, Role.ADMIN)
        from tests.conftest import accept_terms

        accept_terms(organisation, by=author)
        write(author, product=product, title=f"Erfaring {i}")
    with django_assert_max_num_queries(3):
        response = Client().get("/api/v1/experiences/")
    assert response.json()["count"] == n


def test_writing_publishing_and_editing_through_the_api(inger, product, in_use, area, siri):
    client = login(inger)
    response = client.post(
        "/api/v1/experiences/",
        {
            "topic": "product",
            "product": product.pk,
            "service_area": area.pk,
            "title": "Via API",
            **TEXTS,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert Client().get(f"/api/v1/experiences/{pk}/").status_code == 404
    assert login(siri).get(f"/api/v1/experiences/{pk}/").status_code == 404
    mine = client.get("/api/v1/experiences/?mine=true").json()
    assert [e["id"] for e in mine["results"]] == [pk]
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(f"/api/v1/experiences/{pk}/attachments/", {"file": upload, "title": "Plan"})
    assert response.status_code == 201, response.content
    assert client.post(f"/api/v1/experiences/{pk}/publish/").json()["status"] == "published"
    assert client.post(f"/api/v1/experiences/{pk}/publish/").status_code == 409
    response = client.patch(
        f"/api/v1/experiences/{pk}/", {"advice": "Nytt råd", "change_note": "Råd"}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    assert Client().get(f"/api/v1/experiences/{pk}/").json()["attachments"][0]["title"] == "Plan"


def test_bad_input_is_a_400_with_field_messages(inger, product):
    client = login(inger)
    response = client.post(
        "/api/v1/experiences/", {"topic": "product", "title": "Uten produkt"}, content_type=JSON
    )
    assert response.status_code == 400 and "product" in response.json()
    response = client.post("/api/v1/experiences/", {"topic": "product"}, content_type=JSON)
    assert response.status_code == 400 and "title" in response.json()
    assert not Experience.objects.exists()


def test_terms_not_accepted_is_a_403(municipality, terms_all, product):
    user = make_member(municipality, Role.MEMBER)
    response = login(user).post(
        "/api/v1/experiences/", {"topic": "product", "product": product.pk, "title": "X"}, content_type=JSON
    )
    assert response.status_code == 403 and response.json()["code"] == "terms_not_accepted"
    assert not Experience.objects.exists()


def test_anonymous_cannot_write(product, experience):
    client = Client()
    assert client.post(
        "/api/v1/experiences/", {"topic": "product", "title": "X"}, content_type=JSON
    ).status_code in (401, 403)
    assert client.post(f"/api/v1/experiences/{experience.pk}/useful/").status_code in (401, 403)
    assert client.post(
        "/api/v1/experience-ratings/", {"product": product.pk, "score": 5}, content_type=JSON
    ).status_code in (401, 403)
    assert experience.useful_marks.count() == 0 and not Rating.objects.exists()


def test_conversation_through_the_api(experience, siri, vera, inger):
    client = login(siri)
    response = client.post(
        "/api/v1/experience-comments/", {"experience": experience.pk, "body": "Takk!"}, content_type=JSON
    )
    assert response.status_code == 201
    comment_id = response.json()["id"]
    assert client.post(f"/api/v1/experiences/{experience.pk}/useful/").json()["useful_count"] == 1
    assert client.delete(f"/api/v1/experiences/{experience.pk}/useful/").json()["useful_count"] == 0
    assert client.post(f"/api/v1/experiences/{experience.pk}/follow/").status_code == 204
    assert login(inger).post(f"/api/v1/experiences/{experience.pk}/useful/").status_code == 403
    response = login(vera).post(
        f"/api/v1/experiences/{experience.pk}/vendor-reply/", {"body": "Svar"}, content_type=JSON
    )
    assert response.status_code == 201 and response.json()["is_vendor_reply"]
    listed = Client().get(f"/api/v1/experience-comments/?experience={experience.pk}").json()
    assert {c["id"] for c in listed["results"]} == {comment_id, response.json()["id"]}


def test_reports_and_moderation_through_the_api(experience, siri, inger, moderator):
    comment = Comment.objects.create(
        experience=experience, author=siri, organisation=siri.acting_organisation, body="Kjøp billig!"
    )
    response = login(inger).post(
        f"/api/v1/experience-comments/{comment.pk}/report/", {"reason": "spam"}, content_type=JSON
    )
    assert response.status_code == 201
    assert (
        login(inger)
        .post(f"/api/v1/experience-comments/{comment.pk}/report/", {"reason": "spam"}, content_type=JSON)
        .status_code
        == 409
    )
    assert (
        login(inger)
        .post(f"/api/v1/experiences/{experience.pk}/report/", {"reason": "nonsense"}, content_type=JSON)
        .status_code
        == 400
    )
    assert [r["status"] for r in login(inger).get("/api/v1/experience-reports/").json()["results"]] == [
        "open"
    ]
    assert login(siri).get("/api/v1/experience-reports/").json()["count"] == 0  # not theirs
    admin = login(moderator)
    assert admin.get("/api/v1/experience-reports/?status=open").json()["count"] == 1
    response = admin.post(
        f"/api/v1/experience-comments/{comment.pk}/hide/", {"reason": "Reklame"}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["status"] == "hidden"
    assert Report.objects.get().status == Report.Status.UPHELD
    assert Client().get(f"/api/v1/experience-comments/{comment.pk}/").status_code == 404
    response = admin.post(f"/api/v1/experience-comments/{comment.pk}/restore/", {}, content_type=JSON)
    assert response.json()["status"] == "visible"
    response = admin.post(f"/api/v1/experiences/{experience.pk}/hide/", {"reason": ""}, content_type=JSON)
    assert response.status_code == 400 and "reason" in response.json()
    assert (
        admin.post(
            f"/api/v1/experiences/{experience.pk}/hide/", {"reason": "Feil"}, content_type=JSON
        ).json()["status"]
        == "hidden"
    )
    assert (
        admin.post(f"/api/v1/experiences/{experience.pk}/restore/", {}, content_type=JSON).json()["status"]
        == "published"
    )


def test_ratings_through_the_api(inger, siri, product, in_use):
    client = login(inger)
    response = client.post(
        "/api/v1/experience-ratings/", {"product": product.pk, "score": 4}, content_type=JSON
    )
    assert response.status_code == 201 and response.json()["score"] == 4
    rating_id = response.json()["id"]
    assert login(siri).get("/api/v1/experience-ratings/").json()["count"] == 0
    assert login(siri).delete(f"/api/v1/experience-ratings/{rating_id}/").status_code == 404
    assert Rating.objects.count() == 1
    assert client.delete(f"/api/v1/experience-ratings/{rating_id}/").status_code == 204
    assert not Rating.objects.exists()
    assert Client().get("/api/v1/product-ratings/999999/").status_code == 404
    adopt(siri.acting_organisation, product)
    assert Client().get(f"/api/v1/product-ratings/{product.pk}/").json() == {
        "product": product.pk,
        "average": None,
        "count": 0,
        "distribution": [{"score": s, "count": 0, "percent": 0} for s in (5, 4, 3, 2, 1)],
    }
