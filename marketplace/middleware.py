"""Request-wide behaviour: the acting organisation, two-factor for platform admins, domain errors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.contrib import messages

from .acting import SESSION_KEY, attach_acting_organisation, memberships_of
from .errors import DomainError
from .models import Organisation

TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/hjelp/", "/api/schema/")


class ActingOrganisationMiddleware:
    """Sets request.user.acting_organisation from the session (ORG-3, ORG-4)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            attach_acting_organisation(request.user, request.session.get(SESSION_KEY))
        return self.get_response(request)


def needs_second_factor(user) -> bool:
    """Platform administrators must have TOTP enabled (ORG-5); allauth then asks for it at every login."""
    if not any(m.organisation.kind == Organisation.Kind.OPERATOR for m in memberships_of(user).values()):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorForPlatformAdminsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and needs_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": _("Platform administrators must turn on two-factor authentication first."),
                     "code": "two_factor_required"},
                    status=403,
                )
            messages.warning(request, _("As a platform administrator you must turn on two-factor authentication first."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class DomainErrorMiddleware:
    """A refusal that a view did not handle becomes a page with its message and status code, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            template = "marketplace/partials/_refused.html" if getattr(request, "htmx", False) else "marketplace/refused.html"
            return render(request, template, {"error": exception}, status=exception.status_code)
        return None


class LanguageMiddleware:
    """Norwegian bokmål unless the person chose otherwise (X-1): the language cookie set by the switcher,
    then the language saved on the person, then the default. The browser's Accept-Language is not used,
    so that a public-sector portal reads the same for everyone until they choose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        available = dict(settings.LANGUAGES)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in available:
            user = getattr(request, "user", None)
            language = getattr(user, "language", None) if getattr(user, "is_authenticated", False) else None
        if language not in available:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Restored afterwards, so that a request never leaves its language behind in the thread.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
