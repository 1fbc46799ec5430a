"""X-6: the core API — public reads, terms acceptance, my notifications, me, the X-Organisation header, tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from marketplace.models import Notification, Organisation, Role, Terms, TermsAcceptance

from ..conftest import accept_terms, login, make_member
from ..factories import (
    CategoryFactory,
    MembershipFactory,
    NotificationFactory,
    OrganisationFactory,
    ServiceAreaFactory,
    TermsFactory,
)
from .helpers import nb

pytestmark = pytest.mark.django_db

API = "/api/v1"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body["results"]


# Organisations (public) --------------------------------------------------------------------------------


def test_organisations_are_public_with_filters_X_6(municipality, other_municipality, vendor, operator):
    client = Client()
    names = [o["name"] for o in results(client.get(f"{API}/organisations/"))]
    assert names == sorted(names)
    assert set(names) >= {municipality.name, vendor.name, operator.name}

    assert [o["slug"] for o in results(client.get(f"{API}/organisations/", {"kind": "vendor"}))] == [vendor.slug]
    assert [o["slug"] for o in results(client.get(f"{API}/organisations/", {"q": "bodø"}))] == [other_municipality.slug]
    assert [o["slug"] for o in results(client.get(f"{API}/organisations/", {"q": vendor.org_number[:6]}))] == [vendor.slug]
    assert [o["slug"] for o in results(client.get(f"{API}/organisations/", {"municipality_number": "3411"}))] == [
        municipality.slug]
    assert [o["slug"] for o in results(client.get(f"{API}/organisations/", {"ordering": "-name"}))][0] == municipality.slug


def test_organisation_detail_is_public_X_6(client, municipality):
    body = client.get(f"{API}/organisations/{municipality.pk}/").json()
    assert body == {
        "id": municipality.pk, "name": "Ringsaker kommune", "slug": "ringsaker", "kind": "municipality",
        "org_number": municipality.org_number, "municipality_number": "3411", "county": "Innlandet",
        "inhabitants": None, "website": "", "description": "",
    }
    assert client.get(f"{API}/organisations/999999/").status_code == 404


def test_organisations_are_read_only_X_6(platform_admin):
    client = login(platform_admin)
    before = Organisation.objects.count()
    response = client.post(f"{API}/organisations/", {"name": "Ny", "kind": "vendor"}, content_type="application/json")
    assert response.status_code == 405
    assert Organisation.objects.count() == before


def test_invalid_filter_value_is_400_X_6(client):
    response = client.get(f"{API}/organisations/", {"kind": "pirate"})
    assert response.status_code == 400
    assert "kind" in response.json()


# Service areas, categories and terms (public) -----------------------------------------------------------------


def test_service_areas_and_categories_are_public_X_6(client):
    care = CategoryFactory(slug="helse", name="Helse")
    other = CategoryFactory(slug="oppvekst", name="Oppvekst")
    home = ServiceAreaFactory(slug="hjemmetjenester", name="Hjemmetjenester", category=care)
    ServiceAreaFactory(slug="skole", category=other)
    ServiceAreaFactory(slug="nedlagt", category=care, is_active=False)

    areas = results(client.get(f"{API}/service-areas/"))
    assert {a["slug"] for a in areas} == {"hjemmetjenester", "skole"}
    filtered = results(client.get(f"{API}/service-areas/", {"category__slug": "helse"}))
    assert filtered == [{"id": home.pk, "slug": "hjemmetjenester", "name": "Hjemmetjenester", "name_en": "",
                         "category": "helse", "description": "", "order": 0}]
    assert {c["slug"] for c in results(client.get(f"{API}/categories/"))} == {"helse", "oppvekst"}
    assert client.get(f"{API}/service-areas/{home.pk}/").json()["slug"] == "hjemmetjenester"


def test_terms_list_is_public_and_only_published_X_6(client, terms_all, terms_vendors):
    TermsFactory(version="9.0", status=Terms.Status.DRAFT, title="Utkast")
    listed = results(client.get(f"{API}/terms/"))
    assert [(t["audience"], t["version"]) for t in listed] == [("all", "1.0"), ("vendors", "1.0")]
    assert [t["id"] for t in results(client.get(f"{API}/terms/", {"audience": "vendors"}))] == [terms_vendors.pk]
    assert client.get(f"{API}/terms/{terms_all.pk}/").json()["title"] == terms_all.title


def test_draft_terms_are_not_found_in_the_api_X_6(client, platform_admin):
    draft = TermsFactory(status=Terms.Status.DRAFT)
    assert client.get(f"{API}/terms/{draft.pk}/").status_code == 404
    assert login(platform_admin).get(f"{API}/terms/{draft.pk}/").status_code == 404


# Accepting terms (TRM-2) -------------------------------------------------------------------------------------


def accept_url(terms) -> str:
    return f"{API}/terms/{terms.pk}/accept/"


def test_org_admin_accepts_terms_201_X_6(terms_all, municipality, municipal_admin):
    response = login(municipal_admin).post(accept_url(terms_all))
    assert response.status_code == 201
    body = response.json()
    assert body["terms"]["id"] == terms_all.pk
    assert body["organisation"] == {"id": municipality.pk, "name": municipality.name, "slug": "ringsaker",
                                    "kind": "municipality"}
    assert body["accepted_by"] == municipal_admin.email
    assert TermsAcceptance.objects.filter(organisation=municipality, terms=terms_all, accepted_by=municipal_admin).exists()


def test_member_accepting_terms_gets_403_X_6(terms_all, municipality, municipal_member):
    response = login(municipal_member).post(accept_url(terms_all))
    assert response.status_code == 403
    assert response.json() == {
        "detail": nb("Only an organisation admin can accept the terms for %(organisation)s.", organisation=municipality.name),
        "code": "permission_denied",
    }
    assert not TermsAcceptance.objects.exists()


def test_accepting_twice_gets_409_X_6(terms_all, municipal_admin):
    client = login(municipal_admin)
    assert client.post(accept_url(terms_all)).status_code == 201
    response = client.post(accept_url(terms_all))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert TermsAcceptance.objects.count() == 1


def test_accepting_a_superseded_version_gets_409_X_6(terms_all, municipal_admin):
    TermsFactory(version="2.0", effective_from=timezone.localdate())
    response = login(municipal_admin).post(accept_url(terms_all))
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert not TermsAcceptance.objects.exists()


def test_accepting_a_draft_or_unknown_terms_gets_404_X_6(municipal_admin):
    draft = TermsFactory(status=Terms.Status.DRAFT)
    client = login(municipal_admin)
    assert client.post(accept_url(draft)).status_code == 404
    assert client.post(f"{API}/terms/999999/accept/").status_code == 404
    assert client.post(f"{API}/terms/abc/accept/").status_code == 404  # never a 500
    assert not TermsAcceptance.objects.exists()


def test_anonymous_cannot_accept_X_6(client, terms_all):
    response = client.post(accept_url(terms_all))
    assert response.status_code in (401, 403)
    assert "detail" in response.json()
    assert not TermsAcceptance.objects.exists()


def test_x_organisation_header_chooses_the_acting_organisation_X_6(terms_all, municipality, other_municipality,
                                                                    municipal_admin):
    MembershipFactory(user=municipal_admin, organisation=other_municipality, role=Role.ADMIN)
    client = login(municipal_admin, municipality)
    response = client.post(accept_url(terms_all), HTTP_X_ORGANISATION=str(other_municipality.pk))
    assert response.status_code == 201
    assert response.json()["organisation"]["id"] == other_municipality.pk
    assert list(TermsAcceptance.objects.values_list("organisation_id", flat=True)) == [other_municipality.pk]
    me = client.get(f"{API}/me/", HTTP_X_ORGANISATION=str(other_municipality.pk)).json()
    assert me["acting_organisation"] == other_municipality.pk


@pytest.mark.parametrize("header", ["other", "999999", "abc"])
def test_x_organisation_for_an_organisation_i_am_not_a_member_of_is_403_X_6(header, terms_all, municipal_admin,
                                                                             other_municipality):
    value = str(other_municipality.pk) if header == "other" else header
    client = login(municipal_admin)
    response = client.post(accept_url(terms_all), HTTP_X_ORGANISATION=value)
    assert response.status_code == 403
    assert "detail" in response.json()
    assert response.json()["detail"] == "Du er ikke medlem av organisasjonen i X-Organisation-headeren."
    assert client.get(f"{API}/me/", HTTP_X_ORGANISATION=value).status_code == 403
    assert client.get(f"{API}/organisations/", HTTP_X_ORGANISATION=value).status_code == 403
    assert not TermsAcceptance.objects.exists()


# Acceptances (only my organisation's) ----------------------------------------------------------------------------


def test_terms_acceptances_are_only_my_organisations_X_6(terms_all, municipality, other_municipality, municipal_member):
    other_admin = make_member(other_municipality, Role.ADMIN)
    accept_terms(municipality, by=municipal_member)
    accept_terms(other_municipality, by=other_admin)
    listed = results(login(municipal_member).get(f"{API}/terms-acceptances/"))
    assert [a["organisation"]["id"] for a in listed] == [municipality.pk]
    theirs = TermsAcceptance.objects.get(organisation=other_municipality)
    assert login(municipal_member).get(f"{API}/terms-acceptances/{theirs.pk}/").status_code == 404


def test_terms_acceptances_need_login_X_6(client, terms_all):
    assert client.get(f"{API}/terms-acceptances/").status_code in (401, 403)


# Notifications (only mine) ------------------------------------------------------------------------------------


def test_notifications_are_only_mine_X_6(municipal_member, municipal_admin):
    mine = NotificationFactory(recipient=municipal_member, title="Til meg")
    NotificationFactory(recipient=municipal_admin, title="Til sjefen")
    listed = results(login(municipal_member).get(f"{API}/notifications/"))
    assert [n["title"] for n in listed] == ["Til meg"]
    assert set(listed[0]) == {"id", "kind", "title", "body", "url", "created_at", "read_at"}
    assert login(municipal_member).get(f"{API}/notifications/{mine.pk}/").status_code == 200


def test_notifications_filter_unread_X_6(municipal_member):
    NotificationFactory(recipient=municipal_member, title="Ny")
    NotificationFactory(recipient=municipal_member, title="Gammel", read_at=timezone.now())
    listed = results(login(municipal_member).get(f"{API}/notifications/", {"unread": "true"}))
    assert [n["title"] for n in listed] == ["Ny"]


def test_read_marks_my_notification_X_6(municipal_member):
    mine = NotificationFactory(recipient=municipal_member)
    response = login(municipal_member).post(f"{API}/notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_reading_another_persons_notification_is_404_and_unchanged_X_6(municipal_member, municipal_admin):
    theirs = NotificationFactory(recipient=municipal_admin)
    client = login(municipal_member)
    assert client.get(f"{API}/notifications/{theirs.pk}/").status_code == 404
    response = client.post(f"{API}/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.post(f"{API}/notifications/abc/read/").status_code == 404  # never a 500
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_mine_X_6(municipal_member, municipal_admin):
    NotificationFactory.create_batch(3, recipient=municipal_member)
    theirs = NotificationFactory(recipient=municipal_admin)
    response = login(municipal_member).post(f"{API}/notifications/read-all/")
    assert response.status_code == 200
    assert response.json() == {"updated": 3}
    assert not Notification.objects.filter(recipient=municipal_member, read_at=None).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_notifications_need_login_X_6(client):
    assert client.get(f"{API}/notifications/").status_code in (401, 403)
    assert client.post(f"{API}/notifications/read-all/").status_code in (401, 403)


# Me and tokens -------------------------------------------------------------------------------------------------


def test_me_shows_my_memberships_and_acting_organisation_X_6(municipal_admin, municipality, vendor):
    MembershipFactory(user=municipal_admin, organisation=vendor, role=Role.MEMBER)
    body = login(municipal_admin, municipality).get(f"{API}/me/").json()
    assert body["email"] == municipal_admin.email
    assert body["first_name"] == "Kari"
    assert body["acting_organisation"] == municipality.pk
    assert sorted((m["organisation"]["slug"], m["role"]) for m in body["memberships"]) == [
        ("kartleggeren", "member"), ("ringsaker", "admin")]


def test_me_needs_login_X_6(client):
    assert client.get(f"{API}/me/").status_code in (401, 403)


def test_token_authentication_works_without_a_session_X_6(terms_all, municipality, municipal_admin):
    token = Token.objects.create(user=municipal_admin)
    client = Client(enforce_csrf_checks=True)
    me = client.get(f"{API}/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert me.status_code == 200
    assert me.json()["acting_organisation"] == municipality.pk
    response = client.post(accept_url(terms_all), HTTP_AUTHORIZATION=f"Token {token.key}",
                           HTTP_X_ORGANISATION=str(municipality.pk))
    assert response.status_code == 201


def test_wrong_token_is_refused_X_6(terms_all):
    client = Client()
    response = client.get(f"{API}/me/", HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert response.status_code in (401, 403)
    assert client.post(accept_url(terms_all), HTTP_AUTHORIZATION="Token nope").status_code in (401, 403)
    assert not TermsAcceptance.objects.exists()


def test_session_posts_need_the_csrf_token_X_6(terms_all, municipal_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(municipal_admin)
    response = client.post(accept_url(terms_all))
    assert response.status_code == 403
    assert not TermsAcceptance.objects.exists()


def test_profile_screen_creates_an_api_token_X_6(municipal_admin):
    client = login(municipal_admin)
    response = client.post("/meg/", {"form": "token"}, follow=True)
    token = Token.objects.get(user=municipal_admin)
    assert token.key in response.content.decode()
    client.post("/meg/", {"form": "token"})
    assert Token.objects.get(user=municipal_admin).key != token.key  # a new one replaces it


# Pagination and query counts --------------------------------------------------------------------------------------


def test_lists_are_paginated_X_6(client):
    OrganisationFactory.create_batch(30, kind="vendor")
    first = client.get(f"{API}/organisations/").json()
    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert first["next"] is not None and first["previous"] is None
    second = client.get(f"{API}/organisations/", {"page": 2}).json()
    assert len(second["results"]) == 5
    assert len(client.get(f"{API}/organisations/", {"page_size": 10}).json()["results"]) == 10
    assert len(client.get(f"{API}/organisations/", {"page_size": 1000}).json()["results"]) == 30  # capped at 100
    assert client.get(f"{API}/organisations/", {"page": 9}).status_code == 404


def pinned(django_assert_max_num_queries, client, url, grow, **headers):
    """The query count of `url` does not grow when `grow()` adds rows."""
    with django_assert_max_num_queries(20) as few:
        count = len(results(client.get(url, **headers)))
    grow()
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = len(results(client.get(url, **headers)))
    assert more > count


def test_organisation_list_queries_are_pinned_X_6(django_assert_max_num_queries):
    OrganisationFactory.create_batch(2, kind="vendor")
    pinned(django_assert_max_num_queries, Client(), f"{API}/organisations/",
           lambda: OrganisationFactory.create_batch(20, kind="vendor"))


def test_service_area_list_queries_are_pinned_X_6(django_assert_max_num_queries):
    ServiceAreaFactory.create_batch(2)
    pinned(django_assert_max_num_queries, Client(), f"{API}/service-areas/",
           lambda: [ServiceAreaFactory(category=CategoryFactory(slug=f"kat-{i}")) for i in range(15)])


def test_terms_list_queries_are_pinned_X_6(django_assert_max_num_queries):
    TermsFactory.create_batch(2)
    pinned(django_assert_max_num_queries, Client(), f"{API}/terms/",
           lambda: TermsFactory.create_batch(15, effective_from=timezone.localdate() - timedelta(days=400)))


def test_notification_list_queries_are_pinned_X_6(municipal_member, django_assert_max_num_queries):
    NotificationFactory.create_batch(2, recipient=municipal_member)
    pinned(django_assert_max_num_queries, login(municipal_member), f"{API}/notifications/",
           lambda: NotificationFactory.create_batch(20, recipient=municipal_member))


def test_terms_acceptance_list_queries_are_pinned_X_6(municipality, municipal_admin, django_assert_max_num_queries):
    def accept_more(n):
        for _ in range(n):
            terms = TermsFactory(effective_from=timezone.localdate() - timedelta(days=400))
            TermsAcceptance.objects.create(organisation=municipality, terms=terms, accepted_by=municipal_admin)

    accept_more(2)
    pinned(django_assert_max_num_queries, login(municipal_admin), f"{API}/terms-acceptances/", lambda: accept_more(15))


def test_me_queries_do_not_grow_with_memberships_X_6(municipal_admin, django_assert_max_num_queries):
    client = login(municipal_admin)
    with django_assert_max_num_queries(20) as few:
        client.get(f"{API}/me/")
    for _ in range(10):
        MembershipFactory(user=municipal_admin, organisation=OrganisationFactory(kind="vendor"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}/me/").json()["memberships"]) == 11
