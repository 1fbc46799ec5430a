"""API authentication that also sets the acting organisation (X-Organisation header or session)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication

from ..acting import SESSION_KEY, act_for, attach_acting_organisation, memberships_of


def _attach(request, user) -> None:
    header = request.META.get("HTTP_X_ORGANISATION")
    if header:
        try:
            membership = memberships_of(user).get(int(header))
        except ValueError:
            membership = None
        if membership is None:
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied(_("You are not a member of the organisation in the X-Organisation header."))
        act_for(user, membership.organisation)
    else:
        session = getattr(request, "session", None)
        attach_acting_organisation(user, session.get(SESSION_KEY) if session is not None else None)


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _attach(request._request, result[0])
        return result


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _attach(request._request, result[0])
        return result


__all__ = ["SessionAuthentication", "TokenAuthentication"]
