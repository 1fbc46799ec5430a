"""What the screens of Erfaringsarena share: breadcrumbs, showing refusals, going back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from marketplace.errors import DomainError

from ..models import Experience


def arena_crumb() -> tuple[str, str]:
    return (_("Erfaringsarena"), reverse("experience:home"))


def experience_crumbs(experience: Experience, extra: str | None = None) -> list:
    crumbs = [arena_crumb()]
    if experience.product_id and experience.product is not None:
        crumbs.append((experience.product.name, reverse("experience:product", args=[experience.product_id])))
    if extra is None:
        crumbs.append((experience.title, None))
    else:
        crumbs += [(experience.title, experience.get_absolute_url()), (extra, None)]
    return crumbs


def report(request: HttpRequest, error: Exception) -> None:
    """Show a refusal from a service as a message on the page."""
    if isinstance(error, DomainError):
        messages.error(request, error.message)
    elif isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))


def safe_next(request: HttpRequest, default: str) -> str:
    """A local URL to go back to (the `next` field), never another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
