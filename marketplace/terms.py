"""The Vilkår gate (TRM-3): the one check every arena calls before an organisation acts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import TermsNotAccepted
from .models import Organisation, Terms, TermsAcceptance


def audiences_for(organisation: Organisation) -> list[str]:
    """Which terms apply: everybody's, and the vendors' terms for vendors. The operator publishes them."""
    if organisation.kind == Organisation.Kind.OPERATOR:
        return []
    audiences = [Terms.Audience.ALL]
    if organisation.kind == Organisation.Kind.VENDOR:
        audiences.append(Terms.Audience.VENDORS)
    return audiences


def current_terms_qs() -> QuerySet[Terms]:
    return Terms.objects.filter(status=Terms.Status.PUBLISHED, effective_from__lte=timezone.localdate())


def current_terms() -> dict[str, Terms]:
    """The version in force per audience: the published one with the latest effective date."""
    current: dict[str, Terms] = {}
    for terms in current_terms_qs().order_by("audience", "-effective_from", "-published_at", "-id"):
        current.setdefault(terms.audience, terms)
    return current


def terms_pending_for(organisation: Organisation) -> list[Terms]:
    """Current versions this organisation has not accepted yet (memoised on the instance)."""
    cached = getattr(organisation, "_pending_terms", None)
    if cached is not None:
        return cached
    audiences = audiences_for(organisation)
    required = [t for audience, t in current_terms().items() if audience in audiences]
    accepted = set(
        TermsAcceptance.objects.filter(organisation=organisation, terms__in=required).values_list("terms_id", flat=True)
    )
    pending = [t for t in required if t.pk not in accepted]
    organisation._pending_terms = pending
    return pending


def forget_pending_terms(organisation: Organisation) -> None:
    organisation.__dict__.pop("_pending_terms", None)


def ensure_terms_accepted(organisation: Organisation | None) -> None:
    """Raise TermsNotAccepted unless the organisation has accepted every current version for it."""
    if organisation is None:
        raise TermsNotAccepted(_("Choose an organisation to act for first."))
    pending = terms_pending_for(organisation)
    if pending:
        raise TermsNotAccepted(
            _(
                "%(organisation)s has not accepted the current terms (%(terms)s). An organisation admin must "
                "accept them before the organisation can act here: %(url)s"
            )
            % {
                "organisation": organisation,
                "terms": ", ".join(f"{t.title} {t.version}" for t in pending),
                "url": reverse("marketplace:terms"),
            }
        )


def last_accepted(organisation: Organisation, audience: str) -> TermsAcceptance | None:
    return (
        TermsAcceptance.objects.filter(organisation=organisation, terms__audience=audience)
        .select_related("terms", "accepted_by")
        .order_by("-terms__effective_from", "-accepted_at")
        .first()
    )
