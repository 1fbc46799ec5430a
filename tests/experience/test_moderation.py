"""Moderation (EXP-4): report once, administrators hide with a reason or restore, the author is told, and
hidden content disappears from every list, page and API answer for everyone but administrators."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from experience import selectors, services
from experience.models import Comment, Experience, Report
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import AuditEvent, Notification
from tests.conftest import login

from .factories import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(experience, siri):
    return services.comment_add(
        actor=siri, experience_id=experience.pk, body="Dette er reklame for et annet produkt."
    )


def test_anyone_logged_in_reports_once(experience, siri, vera, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_experience(
            actor=siri,
            experience_id=experience.pk,
            reason="health_data",
            note="Navnet på en beboer står i teksten.",
        )
    assert (report.status, report.reason, report.reporter) == (Report.Status.OPEN, "health_data", siri)
    assert Notification.objects.filter(recipient=moderator, kind="experience.reported").count() == 1
    with pytest.raises(Conflict) as error:
        services.report_experience(actor=siri, experience_id=experience.pk, reason="spam")
    assert error.value.code == "already_reported"
    response = login(siri).post(
        f"/api/v1/experiences/{experience.pk}/report/", {"reason": "spam"}, content_type="application/json"
    )
    assert response.status_code == 409
    services.report_experience(actor=vera, experience_id=experience.pk, reason="offensive")
    assert Report.objects.filter(experience=experience).count() == 2


def test_reporting_the_same_comment_twice_is_refused(comment, inger):
    services.report_comment(actor=inger, comment_id=comment.pk, reason="spam")
    with pytest.raises(Conflict):
        services.report_comment(actor=inger, comment_id=comment.pk, reason="off_topic")
    client = login(inger)
    response = client.post(f"/erfaringsarena/kommentarer/{comment.pk}/rapporter/", {"reason": "spam"})
    assert response.status_code == 400
    assert Report.objects.filter(comment=comment).count() == 1


def test_a_report_needs_a_known_reason(experience, siri):
    with pytest.raises(ValidationError) as error:
        services.report_experience(actor=siri, experience_id=experience.pk, reason="boring")
    assert "reason" in error.value.message_dict
    assert not Report.objects.exists()


def test_nobody_reports_their_own_writing(experience, inger, comment, siri):
    with pytest.raises(PermissionRefused):
        services.report_experience(actor=inger, experience_id=experience.pk, reason="spam")
    with pytest.raises(PermissionRefused):
        services.report_comment(actor=siri, comment_id=comment.pk, reason="spam")
    assert not Report.objects.exists()


def test_an_administrator_hides_a_reported_comment_and_the_author_is_told(
    comment, inger, siri, moderator, django_capture_on_commit_callbacks
):
    report = services.report_comment(actor=inger, comment_id=comment.pk, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(actor=moderator, comment_id=comment.pk, reason="Reklame hører ikke hjemme her.")
    comment.refresh_from_db()
    report.refresh_from_db()
    assert (
        comment.status == Comment.Status.HIDDEN and comment.hidden_reason == "Reklame hører ikke hjemme her."
    )
    assert report.status == Report.Status.UPHELD and report.decided_by == moderator
    comment.experience.refresh_from_db()
    assert comment.experience.comment_count == 0
    told = Notification.objects.get(recipient=siri, kind="experience.moderated")
    assert "Reklame hører ikke hjemme her." in told.body
    assert AuditEvent.objects.filter(verb="comment.hidden", reason="Reklame hører ikke hjemme her.").exists()


def test_hidden_content_is_gone_for_everyone_but_administrators(
    experience, comment, inger, siri, moderator, product
):
    """EXP-4: by list, page and API — the author included."""
    services.comment_hide(actor=moderator, comment_id=comment.pk, reason="Reklame")
    services.experience_hide(actor=moderator, experience_id=experience.pk, reason="Personopplysninger")
    for user in (siri, inger):
        client = login(user)
        assert client.get(experience.get_absolute_url()).status_code == 404
        assert experience.title not in client.get("/erfaringsarena/?sorter=newest").content.decode()
        assert experience.title not in client.get(f"/erfaringsarena/produkter/{product.pk}/").content.decode()
        assert client.get(f"/api/v1/experiences/{experience.pk}/").status_code == 404
        assert client.get("/api/v1/experiences/?include_hidden=true").json()["count"] == 0
        assert client.get(f"/api/v1/experience-comments/{comment.pk}/").status_code == 404
        assert client.get("/api/v1/experience-comments/?include_hidden=true").json()["count"] == 0
        assert not selectors.experience_list(user=user, include_hidden=True).exists()
    assert not selectors.experience_list(user=siri).exists()
    assert Client().get(experience.get_absolute_url()).status_code == 404
    admin = login(moderator)
    page = admin.get(experience.get_absolute_url())
    assert page.status_code == 200 and "Personopplysninger" in page.content.decode()
    assert admin.get("/api/v1/experiences/?include_hidden=true").json()["count"] == 1
    assert admin.get(f"/api/v1/experiences/{experience.pk}/").json()["status"] == "hidden"
    assert admin.get("/api/v1/experience-comments/?include_hidden=true").json()["count"] == 1


def test_a_hidden_comment_disappears_from_the_page(experience, comment, inger, moderator):
    services.comment_hide(actor=moderator, comment_id=comment.pk, reason="Reklame")
    assert comment.body not in login(inger).get(experience.get_absolute_url()).content.decode()
    assert comment.body in login(moderator).get(experience.get_absolute_url()).content.decode()


def test_restoring_shows_the_content_again(
    experience, comment, inger, siri, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.experience_hide(actor=moderator, experience_id=experience.pk, reason="Feil")
        services.comment_hide(actor=moderator, comment_id=comment.pk, reason="Feil")
        services.experience_restore(actor=moderator, experience_id=experience.pk, reason="Rettet opp")
        services.comment_restore(actor=moderator, comment_id=comment.pk)
    experience.refresh_from_db()
    assert experience.status == Experience.Status.PUBLISHED and experience.hidden_reason == ""
    assert experience.comment_count == 1
    assert login(siri).get(experience.get_absolute_url()).status_code == 200
    # Each author is told of the hiding (with the reason) and of the restoring.
    assert Notification.objects.filter(recipient=inger, kind="experience.moderated").count() == 2
    assert Notification.objects.filter(recipient=siri, kind="experience.moderated").count() == 2
    with pytest.raises(Conflict):
        services.experience_restore(actor=moderator, experience_id=experience.pk)


def test_only_administrators_moderate(experience, comment, siri, inger):
    report = services.report_comment(actor=inger, comment_id=comment.pk, reason="spam")
    for call in (
        lambda: services.experience_hide(actor=siri, experience_id=experience.pk, reason="x"),
        lambda: services.comment_hide(actor=inger, comment_id=comment.pk, reason="x"),
        lambda: services.report_dismiss(actor=siri, report_id=report.pk),
    ):
        with pytest.raises(PermissionRefused):
            call()
    assert login(siri).get("/erfaringsarena/moderering/").status_code == 403
    assert (
        login(siri)
        .post(f"/api/v1/experiences/{experience.pk}/hide/", {"reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    experience.refresh_from_db()
    comment.refresh_from_db()
    assert experience.status == Experience.Status.PUBLISHED and comment.status == Comment.Status.VISIBLE


def test_hiding_needs_a_reason_and_a_published_experience(experience, moderator, inger, product, area):
    with pytest.raises(ValidationError) as error:
        services.experience_hide(actor=moderator, experience_id=experience.pk, reason=" ")
    assert "reason" in error.value.message_dict
    draft = write(inger, product=product, area=area, publish=False, title="Utkast")
    with pytest.raises(NotFound):  # a draft is private to its writers, moderators included
        services.experience_hide(actor=moderator, experience_id=draft.pk, reason="x")
    services.experience_hide(actor=moderator, experience_id=experience.pk, reason="Feil")
    with pytest.raises(IllegalTransition):
        services.experience_hide(actor=moderator, experience_id=experience.pk, reason="Igjen")


def test_dismissing_a_report_leaves_the_content(comment, inger, moderator):
    report = services.report_comment(actor=inger, comment_id=comment.pk, reason="off_topic")
    services.report_dismiss(actor=moderator, report_id=report.pk, reason="Saklig spørsmål")
    report.refresh_from_db()
    comment.refresh_from_db()
    assert report.status == Report.Status.DISMISSED and comment.status == Comment.Status.VISIBLE
    with pytest.raises(IllegalTransition):
        services.report_dismiss(actor=moderator, report_id=report.pk)


def test_the_queue_groups_reports_most_reported_first(experience, comment, inger, siri, vera, moderator):
    services.report_experience(actor=siri, experience_id=experience.pk, reason="spam")
    services.report_comment(actor=inger, comment_id=comment.pk, reason="spam")
    services.report_comment(actor=vera, comment_id=comment.pk, reason="offensive")
    groups = selectors.open_reports()
    assert [(g["kind"], len(g["reports"])) for g in groups] == [("comment", 2), ("experience", 1)]
    page = login(moderator).get("/erfaringsarena/moderering/")
    assert page.status_code == 200
    assert comment.body in page.content.decode()
    response = login(moderator).post(
        f"/erfaringsarena/moderering/kommentarer/{comment.pk}/skjul/", {"reason": "Reklame"}
    )
    assert response.status_code == 302
    assert not Report.objects.filter(comment=comment, status=Report.Status.OPEN).exists()
    assert Report.objects.filter(experience=experience, status=Report.Status.OPEN).count() == 1
