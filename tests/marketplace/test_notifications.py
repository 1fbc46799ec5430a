"""X-3: in-app notifications in the recipient's language, e-mail through a task (once, by preference)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from marketplace.models import Notification, NotificationPreference
from marketplace.notifications import INVITATION_ACCEPTED, KINDS, MEMBERSHIP_CHANGED, TERMS_NEW_VERSION, lazy_message
from marketplace.services.notifications import (
    email_kinds_for,
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_set,
    notify,
    wants_email,
)
from marketplace.tasks import send_notification_emails_task

from ..conftest import login
from ..factories import NotificationFactory, UserFactory
from .helpers import nb, page, shows

pytestmark = pytest.mark.django_db


@pytest.fixture
def inger(db):
    return UserFactory(email="inger@ringsaker.example", first_name="Inger", language="nb")


@pytest.fixture
def emma(db):
    return UserFactory(email="emma@bodo.example", first_name="Emma", language="en")


# notify() ---------------------------------------------------------------------------------------------


def test_notify_renders_lazy_texts_in_each_recipients_language_X_3(inger, emma):
    # Django's own catalogue has these messages in bokmål, so the choice of language is visible.
    with translation.override("en"):  # the actor's language must not leak into the recipients'
        notify(recipients=[inger, emma], kind=TERMS_NEW_VERSION.code,
               title=lazy_message(gettext_lazy("Value %(value)r is not a valid choice."), value="x"),
               body=gettext_lazy("This field is required."), url="/vilkar/")
    mine = Notification.objects.get(recipient=inger)
    hers = Notification.objects.get(recipient=emma)
    assert (mine.title, mine.body) == (nb("Value %(value)r is not a valid choice.", value="x"),
                                       nb("This field is required."))
    assert mine.title.startswith("Verdien 'x'")  # really bokmål, not the msgid
    assert mine.body != "This field is required."
    assert (hers.title, hers.body) == ("Value 'x' is not a valid choice.", "This field is required.")
    assert mine.url == hers.url == "/vilkar/"
    assert mine.read_at is None and mine.kind == TERMS_NEW_VERSION.code


def test_membership_change_notification_is_in_the_members_language_X_3(municipal_admin, municipality):
    from marketplace.services.organisations import membership_set_role

    from ..conftest import make_member

    english = make_member(municipality, language="en")
    norwegian = make_member(municipality, language="nb")
    with translation.override("nb"):
        membership_set_role(actor=municipal_admin, membership_id=english.acting_membership.pk, role="admin")
    with translation.override("en"):
        membership_set_role(actor=municipal_admin, membership_id=norwegian.acting_membership.pk, role="admin")
    assert Notification.objects.get(recipient=english).title == "Your role in Ringsaker kommune has changed"
    assert Notification.objects.get(recipient=norwegian).title == nb("Your role in %(organisation)s has changed",
                                                                      organisation="Ringsaker kommune")


def test_notify_skips_duplicates_inactive_people_and_the_excluded_actor_X_3(inger, emma):
    gone = UserFactory(is_active=False)
    created = notify(recipients=[inger, inger, emma, gone, None], kind=TERMS_NEW_VERSION.code, title="Nye vilkår",
                     exclude=emma)
    assert len(created) == 1
    assert list(Notification.objects.values_list("recipient__email", flat=True)) == [inger.email]


def test_notify_refuses_an_unknown_kind_X_3(inger):
    with pytest.raises(ValueError):
        notify(recipients=[inger], kind="no.such.kind", title="Hei")
    assert not Notification.objects.exists()


def test_long_titles_are_cut_to_fit_X_3(inger):
    notify(recipients=[inger], kind=TERMS_NEW_VERSION.code, title="x" * 400)
    assert len(Notification.objects.get().title) == 255


# E-mail ------------------------------------------------------------------------------------------------


def test_email_is_sent_after_commit_once_X_3(inger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[inger], kind=TERMS_NEW_VERSION.code, title="Nye vilkår må godtas", body="Les dem.",
               url="/vilkar/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [inger.email]
    assert message.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Nye vilkår må godtas"
    assert "Les dem." in message.body
    assert f"{settings.SITE_URL}/vilkar/" in message.body
    notification = Notification.objects.get()
    assert notification.emailed_at is not None

    # The task runs again (a retry, a duplicate delivery): nothing is sent twice.
    assert send_notification_emails_task([notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_no_email_before_the_transaction_commits_X_3(inger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[inger], kind=TERMS_NEW_VERSION.code, title="Hei")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_email_respects_the_persons_preference_X_3(inger, emma, django_capture_on_commit_callbacks):
    notification_preferences_set(actor=inger, email_kinds=[])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[inger, emma], kind=TERMS_NEW_VERSION.code, title="Nye vilkår")
    assert [m.to for m in mail.outbox] == [[emma.email]]
    assert Notification.objects.get(recipient=inger).emailed_at is None
    assert Notification.objects.filter(recipient=inger).exists()  # still in the app


def test_kinds_off_by_default_send_no_email_until_chosen_X_3(inger, django_capture_on_commit_callbacks):
    assert INVITATION_ACCEPTED.email_default is False
    assert not wants_email(inger, INVITATION_ACCEPTED.code)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[inger], kind=INVITATION_ACCEPTED.code, title="Ny medarbeider")
    assert mail.outbox == []

    notification_preferences_set(actor=inger, email_kinds=[INVITATION_ACCEPTED.code])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[inger], kind=INVITATION_ACCEPTED.code, title="Ny medarbeider")
    assert len(mail.outbox) == 1


def test_preferences_service_stores_a_choice_per_kind_X_3(inger):
    notification_preferences_set(actor=inger, email_kinds=[MEMBERSHIP_CHANGED.code])
    assert email_kinds_for(inger) == {MEMBERSHIP_CHANGED.code}
    assert NotificationPreference.objects.filter(user=inger).count() == len(KINDS)
    notification_preferences_set(actor=inger, email_kinds=[TERMS_NEW_VERSION.code])
    assert email_kinds_for(inger) == {TERMS_NEW_VERSION.code}
    assert NotificationPreference.objects.filter(user=inger).count() == len(KINDS)


def test_preferences_service_refuses_unknown_kinds_X_3(inger):
    with pytest.raises(ValidationError) as exc:
        notification_preferences_set(actor=inger, email_kinds=[TERMS_NEW_VERSION.code, "no.such.kind"])
    assert list(exc.value.message_dict) == ["email_kinds"]
    assert "no.such.kind" in exc.value.message_dict["email_kinds"][0]
    assert not NotificationPreference.objects.exists()


def test_preferences_screen_saves_the_choice_X_3(inger):
    client = login(inger)
    response = client.get(reverse("marketplace:profile"))
    assert response.status_code == 200
    assert f'value="{TERMS_NEW_VERSION.code}"' in page(response)
    assert set(response.context["prefs"].initial["email_kinds"]) == {c for c, k in KINDS.items() if k.email_default}

    response = client.post(reverse("marketplace:profile"),
                           {"form": "notifications", "email_kinds": [MEMBERSHIP_CHANGED.code]}, follow=True)
    assert shows(response, nb("Your e-mail choices are saved."))
    assert email_kinds_for(inger) == {MEMBERSHIP_CHANGED.code}


def test_preferences_screen_refuses_an_unknown_kind_at_the_field_X_3(inger):
    response = login(inger).post(reverse("marketplace:profile"), {"form": "notifications", "email_kinds": ["no.such.kind"]})
    assert response.status_code == 200
    assert response.context["prefs"].errors["email_kinds"]
    assert not NotificationPreference.objects.exists()


# Reading ------------------------------------------------------------------------------------------------


def test_list_shows_only_my_notifications_X_3(inger, emma):
    NotificationFactory(recipient=inger, title="Til Inger")
    NotificationFactory(recipient=emma, title="Til Emma")
    response = login(inger).get(reverse("marketplace:notifications"))
    assert response.status_code == 200
    assert shows(response, "Til Inger")
    assert not shows(response, "Til Emma")


def test_mark_one_read_on_screen_X_3(inger):
    notification = NotificationFactory(recipient=inger)
    response = login(inger).post(reverse("marketplace:notification_read", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == reverse("marketplace:notifications")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_marks_read_and_goes_to_the_link_X_3(inger):
    notification = NotificationFactory(recipient=inger, url="/vilkar/")
    response = login(inger).post(reverse("marketplace:notification_read", args=[notification.pk]), {"open": "1"})
    assert response.url == "/vilkar/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_never_leaves_the_site_X_3(inger):
    notification = NotificationFactory(recipient=inger, url="//evil.example/vilkar/")
    response = login(inger).post(reverse("marketplace:notification_read", args=[notification.pk]), {"open": "1"})
    assert response.url == reverse("marketplace:notifications")


def test_marking_another_persons_notification_read_is_404_X_3(inger, emma):
    hers = NotificationFactory(recipient=emma)
    with pytest.raises(Exception) as exc:
        notification_mark_read(actor=inger, notification_id=hers.pk)
    assert getattr(exc.value, "status_code", None) == 404
    response = login(inger).post(reverse("marketplace:notification_read", args=[hers.pk]))
    assert response.status_code == 404
    hers.refresh_from_db()
    assert hers.read_at is None


def test_mark_all_read_touches_only_mine_X_3(inger, emma):
    mine = [NotificationFactory(recipient=inger) for _ in range(3)]
    already = NotificationFactory(recipient=inger, read_at=timezone.now() - timezone.timedelta(days=1))
    hers = NotificationFactory(recipient=emma)
    assert notification_mark_all_read(actor=inger) == 3
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    assert Notification.objects.get(pk=already.pk).read_at == already.read_at
    assert Notification.objects.get(pk=hers.pk).read_at is None


def test_mark_all_read_on_screen_X_3(inger):
    NotificationFactory.create_batch(2, recipient=inger)
    response = login(inger).post(reverse("marketplace:notifications_read_all"), follow=True)
    assert shows(response, nb("All notifications are marked as read."))
    assert not Notification.objects.filter(recipient=inger, read_at=None).exists()


def test_header_shows_my_unread_count_X_3(inger, emma):
    NotificationFactory.create_batch(3, recipient=inger)
    NotificationFactory(recipient=inger, read_at=timezone.now())
    NotificationFactory.create_batch(5, recipient=emma)
    client = login(inger)
    response = client.get(reverse("marketplace:help"))
    assert response.context["unread_notifications"] == 3
    assert '<span class="ds-badge" data-color="danger">3<span class="ds-sr-only">' in page(response)

    notification_mark_all_read(actor=inger)
    response = client.get(reverse("marketplace:help"))
    assert response.context["unread_notifications"] == 0
    assert 'class="ds-badge" data-color="danger"' not in page(response)


def test_notifications_need_login_X_3(client):
    response = client.get(reverse("marketplace:notifications"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_notification_list_queries_do_not_grow_X_3(inger, django_assert_max_num_queries):
    client = login(inger)
    NotificationFactory.create_batch(2, recipient=inger)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("marketplace:notifications"))
    NotificationFactory.create_batch(20, recipient=inger)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("marketplace:notifications")).status_code == 200
