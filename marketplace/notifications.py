"""Notification kinds: each arena registers the kinds it sends, so people can choose their e-mails (X-3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise, lazy
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


def _interpolate(message: str | Promise, params: dict) -> str:
    return str(message) % {key: str(value) if isinstance(value, Promise) else value for key, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def lazy_message(message: str | Promise, **params) -> Promise:
    """A translatable message with parameters that is translated when rendered, e.g. in each recipient's
    language by `notify()`. (`gettext_lazy("… %(x)s") % {...}` translates at once, in the actor's language.)"""
    return _lazy_interpolate(message, params)


TERMS_NEW_VERSION = register_kind("terms.new_version", _("New version of the terms"))
MEMBERSHIP_CHANGED = register_kind("membership.changed", _("Changes to my memberships"))
INVITATION_ACCEPTED = register_kind("invitation.accepted", _("Invitations accepted"), email_default=False)
