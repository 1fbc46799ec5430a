"""Notifications (X-3): in-app rows, e-mail after commit through a Celery task."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..errors import NotFound
from ..models import Membership, Notification, NotificationPreference, Organisation, Role, User
from ..notifications import KINDS


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    organisation: Organisation | None = None,
    exclude: User | None = None,
) -> list[Notification]:
    """Create in-app notifications and schedule e-mail for those who want it.

    `title` and `body` may be lazy translations: they are rendered in each recipient's language.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    unique = {u.pk: u for u in recipients if u is not None and u.is_active and (exclude is None or u.pk != exclude.pk)}
    created = []
    for user in unique.values():
        with translation.override(user.language or "nb"):
            created.append(
                Notification(
                    recipient=user, organisation=organisation, kind=kind, title=str(title)[:255], body=str(body), url=url
                )
            )
    # PostgreSQL and SQLite (3.35+) both return the new ids from bulk_create.
    created = Notification.objects.bulk_create(created)
    ids = [n.pk for n in created]
    if ids:
        from ..tasks import send_notification_emails_task

        transaction.on_commit(lambda: send_notification_emails_task.delay(ids))
    return created


def org_admins(organisation: Organisation) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organisation=organisation, role=Role.ADMIN).select_related("user")
    ]


def org_members(organisation: Organisation) -> list[User]:
    return [m.user for m in Membership.objects.filter(organisation=organisation).select_related("user")]


def platform_admins() -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organisation__kind=Organisation.Kind.OPERATOR).select_related("user")
    ]


def wants_email(user: User, kind: str) -> bool:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if pref is not None:
        return pref.email
    registered = KINDS.get(kind)
    return registered.email_default if registered else True


def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    """Mark one of my notifications as read."""
    notification = Notification.objects.filter(pk=notification_id, recipient=actor).first()
    if notification is None:
        raise NotFound(_("Notification not found."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor: User) -> int:
    """Mark all my notifications as read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, actor: User, email_kinds: Iterable[str]) -> None:
    """Choose which kinds of notification also come by e-mail."""
    wanted = set(email_kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError({"email_kinds": _("Unknown notification kinds: %s") % ", ".join(sorted(unknown))})
    for code in KINDS:
        NotificationPreference.objects.update_or_create(user=actor, kind=code, defaults={"email": code in wanted})


def email_kinds_for(user: Any) -> set[str]:
    prefs = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {code for code, kind in KINDS.items() if prefs.get(code, kind.email_default)}
