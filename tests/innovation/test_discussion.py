"""Discussion and following (INN-10), documents on needs (INN-9) and the start page (ORG-6)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from innovation import selectors, services
from innovation.models import Comment, Follow, Stage
from marketplace.errors import Conflict, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import Document, Notification, Role
from tests.conftest import login, make_member

from .factories import advance, invite, make_need

pytestmark = pytest.mark.django_db


def test_comment_tells_followers_but_not_the_writer(need, owner, inger, django_capture_on_commit_callbacks):
    advance(owner, need, Stage.PUBLISHED)
    services.need_follow(actor=inger, need_id=need.pk)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_add(actor=owner, need_id=need.pk, body="Vi starter dialogmøter i mars.")
    assert comment.organisation == owner.acting_organisation
    notification = Notification.objects.get(recipient=inger, kind="innovation.comment_added")
    assert notification.url.endswith(f"#comment-{comment.pk}")
    assert not Notification.objects.filter(recipient=owner, kind="innovation.comment_added").exists()


def test_notification_title_is_in_the_recipients_language(
    need, owner, inger, django_capture_on_commit_callbacks
):
    """X-3: each recipient reads the notification in their own language."""
    advance(owner, need, Stage.PUBLISHED)
    inger.language = "en"
    inger.save(update_fields=["language"])
    services.need_follow(actor=inger, need_id=need.pk)
    owner.language = "nb"
    owner.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=owner, need_id=need.pk, body="Hei")
    title = Notification.objects.get(recipient=inger, kind="innovation.comment_added").title
    assert "commented on" in title


def test_writing_a_comment_makes_the_writer_follow(need, owner, inger):
    advance(owner, need, Stage.PUBLISHED)
    services.comment_add(actor=inger, need_id=need.pk, body="Interessant for Ringsaker.")
    assert Follow.objects.filter(need=need, user=inger).exists()


def test_comment_refused_without_terms_empty_or_on_archived_or_hidden_needs(need, owner, inger, municipality):
    with pytest.raises(NotFound):
        services.comment_add(actor=inger, need_id=need.pk, body="Hei")
    advance(owner, need, Stage.PUBLISHED)
    with pytest.raises(ValidationError):
        services.comment_add(actor=inger, need_id=need.pk, body="   ")
    from marketplace.models import TermsAcceptance
    from marketplace.terms import forget_pending_terms

    TermsAcceptance.objects.filter(organisation=municipality).delete()
    forget_pending_terms(inger.acting_organisation)
    with pytest.raises(TermsNotAccepted):
        services.comment_add(actor=inger, need_id=need.pk, body="Hei")
    services.need_change_stage(actor=owner, need_id=need.pk, to=Stage.ARCHIVED, reason="Ferdig.")
    with pytest.raises(Conflict):
        services.comment_add(actor=owner, need_id=need.pk, body="Hei")
    assert not Comment.objects.exists()


def test_follow_and_unfollow(need, owner, inger):
    advance(owner, need, Stage.PUBLISHED)
    services.need_follow(actor=inger, need_id=need.pk)
    services.need_follow(actor=inger, need_id=need.pk)
    assert Follow.objects.filter(need=need, user=inger).count() == 1
    services.need_unfollow(actor=inger, need_id=need.pk)
    assert not Follow.objects.filter(need=need, user=inger).exists()


def test_following_an_invisible_need_is_not_found(need, inger):
    with pytest.raises(NotFound):
        services.need_follow(actor=inger, need_id=need.pk)
    assert not Follow.objects.filter(user=inger).exists()


def test_documents_attach_for_the_core_team_and_download_follows_visibility(need, owner, inger, bodo):
    """INN-9, X-5: the core team attaches; others download only when the need is visible to them."""
    upload = SimpleUploadedFile("skisse.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    document = services.need_document_add(actor=owner, need_id=need.pk, upload=upload, title="Skisse")
    assert list(selectors.need_documents(need)) == [document]
    assert login(inger).get(document.get_absolute_url()).status_code == 404
    advance(owner, need, Stage.PUBLISHED)
    assert login(inger).get(document.get_absolute_url()).status_code == 200
    with pytest.raises(PermissionRefused):
        services.need_document_delete(actor=inger, need_id=need.pk, document_id=document.pk)
    services.need_document_delete(actor=owner, need_id=need.pk, document_id=document.pk)
    assert not Document.objects.exists()


def _panels(user) -> dict:
    """Innovasjonsarena's start-page panels for `user`, rendered as the start page renders them."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from innovation import panels

    request = RequestFactory().get("/")
    request.user = user
    result = {}
    for provider in (panels.needs_panel, panels.requests_panel, panels.comments_panel):
        panel = provider(request)
        if panel is not None:
            result[provider.__name__] = render_to_string(panel.template, {"panel": panel})
    return result


def test_start_page_panels_show_my_needs_waiting_requests_and_new_comments(
    need, owner, inger, bodo, area, django_assert_max_num_queries
):
    """ORG-6: needs we collaborate on, requests waiting for our answer, new comments on needs I follow."""
    advance(owner, need, Stage.PUBLISHED)
    services.collaboration_request(actor=inger, need_id=need.pk, message="Ringsaker vil bidra.")
    services.comment_add(actor=bodo, need_id=need.pk, body="Bodø følger med.")
    for i in range(6):
        make_need(owner, areas=[area], title=f"Behov {i}")
    with django_assert_max_num_queries(3):  # one query per panel, whatever the number of needs
        panels = _panels(owner)
    assert "Kognitiv kartlegging" in panels["needs_panel"] and "Behov 5" in panels["needs_panel"]
    assert "Ringsaker kommune" in panels["requests_panel"]
    assert "Bodø følger med." in panels["comments_panel"]
    assert "requests_panel" not in _panels(inger)


def test_invitation_waits_on_the_invited_organisations_start_page(need, owner, bodo):
    services.collaboration_invite(actor=owner, need_id=need.pk, organisation_id=bodo.acting_organisation.pk)
    assert "Kognitiv kartlegging" in _panels(bodo)["requests_panel"]
    assert "requests_panel" not in _panels(owner)


def test_a_member_of_the_owner_following_hears_of_requests(
    need, owner, owner_member, inger, django_capture_on_commit_callbacks
):
    advance(owner, need, Stage.PUBLISHED)
    services.need_follow(actor=owner_member, need_id=need.pk)
    other = make_member(inger.acting_organisation, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        services.collaboration_request(actor=other, need_id=need.pk)
    assert Notification.objects.filter(
        recipient=owner_member, kind="innovation.collaboration_requested"
    ).exists()
    assert Notification.objects.filter(recipient=owner, kind="innovation.collaboration_requested").exists()


def test_invite_helper_gives_core_team_membership(need, owner, bodo):
    invite(need, owner=owner, invitee=bodo)
    assert bodo.acting_organisation in selectors.core_team(need)


def test_edits_tell_followers_once_an_hour_per_editor(need, owner, bodo, django_capture_on_commit_callbacks):
    """INN-10: followers hear that the description changed, without a flood for a morning of small edits."""
    advance(owner, need, Stage.PUBLISHED)
    services.need_follow(actor=bodo, need_id=need.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.need_update(actor=owner, need_id=need.pk, summary="Første endring.")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_update(actor=owner, need_id=need.pk, summary="Andre endring.")
    assert Notification.objects.filter(recipient=bodo, kind="innovation.need_updated").count() == 1
    assert not Notification.objects.filter(recipient=owner, kind="innovation.need_updated").exists()
