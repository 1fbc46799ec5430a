"""Notification kinds: each arena registers the kinds it sends, so people can choose their e-mails (X-3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise
    email_default: bool = True


KINDS: dict[str, NotificationKind] = {}


def register_kind(code: str, label: str | Promise, *, email_default: bool = True) -> NotificationKind:
    kind = NotificationKind(code, label, email_default)
    KINDS[code] = kind
    return kind


TERMS_NEW_VERSION = register_kind("terms.new_version", _("New version of the terms"))
MEMBERSHIP_CHANGED = register_kind("membership.changed", _("Changes to my memberships"))
INVITATION_ACCEPTED = register_kind("invitation.accepted", _("Invitations accepted"), email_default=False)
