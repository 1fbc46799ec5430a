"""The conversation around an experience (EXP-3): comments, the vendor's one reply, "nyttig" and following."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from experience import services
from experience.models import Comment, Follow, UsefulMark
from marketplace.errors import Conflict, PermissionRefused, TermsNotAccepted
from marketplace.models import Notification, Role
from tests.conftest import login, make_member
from tests.factories import OrganisationFactory

from .factories import write

pytestmark = pytest.mark.django_db


def test_another_municipality_comments_and_the_followers_are_told(
    experience, siri, inger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_add(
            actor=siri, experience_id=experience.pk, body="Hvor lang tid tok kalibreringen?"
        )
    experience.refresh_from_db()
    assert experience.comment_count == 1
    assert comment.organisation == siri.acting_organisation and not comment.is_vendor_reply
    assert Follow.objects.filter(experience=experience, user=siri).exists()
    told = Notification.objects.get(recipient=inger, kind="experience.comment_added")
    assert "Siri" in told.title and told.url.endswith(f"#comment-{comment.pk}")
    assert not Notification.objects.filter(recipient=siri, kind="experience.comment_added").exists()


def test_an_empty_or_too_long_comment_gets_a_field_message(experience, siri):
    for body in ("  ", "x" * 4001):
        with pytest.raises(ValidationError) as error:
            services.comment_add(actor=siri, experience_id=experience.pk, body=body)
        assert "body" in error.value.message_dict
    assert not Comment.objects.exists()


def test_commenting_needs_accepted_terms(experience, terms_all):
    organisation = OrganisationFactory()
    user = make_member(organisation, Role.MEMBER)
    with pytest.raises(TermsNotAccepted):
        services.comment_add(actor=user, experience_id=experience.pk, body="Hei")
    assert not Comment.objects.exists()


def test_the_vendor_replies_once_shown_as_the_vendors_reply(
    experience, vera, inger, django_capture_on_commit_callbacks
):
    """EXP-3: the product's vendor may reply once; the reply is marked as the vendor's."""
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.vendor_reply_add(
            actor=vera, experience_id=experience.pk, body="Takk, vi har rettet det."
        )
    assert reply.is_vendor_reply and reply.organisation == vera.acting_organisation
    assert Notification.objects.filter(recipient=inger, kind="experience.vendor_replied").count() == 1
    page = login(inger).get(experience.get_absolute_url()).content.decode()
    assert 'class="ds-card vendor-reply"' in page and "Takk, vi har rettet det." in page
    with pytest.raises(Conflict) as error:
        services.vendor_reply_add(actor=vera, experience_id=experience.pk, body="Og en ting til.")
    assert error.value.code == "already_replied"
    response = login(vera).post(
        f"/api/v1/experiences/{experience.pk}/vendor-reply/",
        {"body": "Tredje gang"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert Comment.objects.filter(experience=experience, is_vendor_reply=True).count() == 1


def test_a_second_vendor_reply_is_refused_even_after_the_first_was_hidden(experience, vera, moderator):
    reply = services.vendor_reply_add(actor=vera, experience_id=experience.pk, body="Svar.")
    services.comment_hide(actor=moderator, comment_id=reply.pk, reason="Reklame")
    with pytest.raises(Conflict):
        services.vendor_reply_add(actor=vera, experience_id=experience.pk, body="Nytt svar.")


def test_the_vendor_answers_with_its_reply_not_with_comments(experience, vera):
    with pytest.raises(PermissionRefused):
        services.comment_add(actor=vera, experience_id=experience.pk, body="Se vår nye versjon!")
    assert not Comment.objects.exists()


def test_only_the_products_vendor_replies_as_the_vendor(
    experience, siri, other_vendor, terms_all, terms_vendors
):
    competitor = make_member(other_vendor, Role.ADMIN)
    from tests.conftest import accept_terms

    accept_terms(other_vendor, by=competitor)
    for actor in (siri, competitor):
        with pytest.raises(PermissionRefused):
            services.vendor_reply_add(actor=actor, experience_id=experience.pk, body="Jeg er leverandøren.")
    assert not Comment.objects.exists()


def test_nobody_converses_on_a_draft(inger, product, area, siri):
    draft = write(inger, product=product, area=area, publish=False)
    from marketplace.errors import NotFound

    with pytest.raises(NotFound):
        services.comment_add(actor=siri, experience_id=draft.pk, body="Hei")
    with pytest.raises(Conflict):
        services.comment_add(actor=inger, experience_id=draft.pk, body="Notat til meg selv")


def test_marking_useful_counts_once_per_person_and_can_be_taken_back(experience, siri, municipality):
    """EXP-3: "nyttig" marks; another person in the same organisation counts too."""
    services.useful_mark(actor=siri, experience_id=experience.pk)
    services.useful_mark(actor=siri, experience_id=experience.pk)
    colleague = make_member(siri.acting_organisation, Role.MEMBER)
    services.useful_mark(actor=colleague, experience_id=experience.pk)
    experience.refresh_from_db()
    assert experience.useful_count == 2 == UsefulMark.objects.count()
    services.useful_unmark(actor=siri, experience_id=experience.pk)
    experience.refresh_from_db()
    assert experience.useful_count == 1


def test_the_own_organisation_cannot_mark_its_experience_useful(experience, inger, colleague):
    for actor in (inger, colleague):
        with pytest.raises(PermissionRefused):
            services.useful_mark(actor=actor, experience_id=experience.pk)
    experience.refresh_from_db()
    assert experience.useful_count == 0


def test_useful_with_htmx_swaps_the_button(experience, siri):
    client = login(siri)
    response = client.post(
        f"/erfaringsarena/{experience.pk}/nyttig/", {"useful": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-pressed="true"' in body and "(1)" in body and 'role="status"' in body
    response = client.post(f"/erfaringsarena/{experience.pk}/nyttig/", {"useful": "0"})
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.useful_count == 0


def test_following_and_unfollowing(experience, siri, inger, django_capture_on_commit_callbacks):
    services.follow(actor=siri, experience_id=experience.pk)
    assert Follow.objects.filter(experience=experience, user=siri).exists()
    services.unfollow(actor=siri, experience_id=experience.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.experience_update(
            actor=inger,
            experience_id=experience.pk,
            title="Ny tittel",
            service_area_id=experience.service_area_id,
            what_worked=experience.what_worked,
            what_did_not=experience.what_did_not,
            advice=experience.advice,
            change_note="Ny tittel",
        )
    assert not Notification.objects.filter(recipient=siri, kind="experience.updated").exists()
    services.follow(actor=siri, experience_id=experience.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.experience_update(
            actor=inger,
            experience_id=experience.pk,
            title="Enda en tittel",
            service_area_id=experience.service_area_id,
            what_worked=experience.what_worked,
            what_did_not=experience.what_did_not,
            advice=experience.advice,
        )
    assert Notification.objects.filter(recipient=siri, kind="experience.updated").count() == 1
    response = login(siri).post(
        f"/erfaringsarena/{experience.pk}/folg/", {"follow": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'name="follow" value="1"' in response.content.decode()
    assert not Follow.objects.filter(experience=experience, user=siri).exists()
