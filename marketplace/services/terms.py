"""Vilkår (TRM-1 … TRM-5): versioned terms, publication, acceptance and announcements."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..audit import audit_record
from ..errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from ..models import Membership, Organisation, Role, Terms, TermsAcceptance, User
from ..notifications import TERMS_NEW_VERSION, lazy_message
from ..permissions import ensure_allowed
from ..terms import audiences_for, current_terms, forget_pending_terms
from ..workflow import transition
from .notifications import notify

TERMS_FIELDS = ("audience", "version", "title", "body", "changes", "effective_from")


def _validate_terms(terms: Terms) -> None:
    try:
        terms.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def terms_create(*, actor: User, audience: str, version: str, title: str, body: str, changes: str = "",
                 effective_from: date) -> Terms:
    """Write a new draft version of the terms (platform administrators)."""
    ensure_allowed(actor, "marketplace.manage_terms")
    terms = Terms(audience=audience, version=version.strip(), title=title.strip(), body=body, changes=changes,
                  effective_from=effective_from, created_by=actor)
    _validate_terms(terms)
    terms.save()
    audit_record(actor=actor, verb="terms.created", target=terms, to_state=terms.status)
    return terms


@transaction.atomic
def terms_update(*, actor: User, terms_id: int, **fields) -> Terms:
    """Edit a draft; published versions never change (TRM-1)."""
    ensure_allowed(actor, "marketplace.manage_terms")
    terms = Terms.objects.select_for_update().filter(pk=terms_id).first()
    if terms is None:
        raise NotFound(_("Terms version not found."))
    if terms.is_published:
        raise IllegalTransition(_("A published version of the terms cannot be changed. Write a new version instead."))
    changed = [k for k, v in fields.items() if k in TERMS_FIELDS and getattr(terms, k) != v]
    for key in changed:
        setattr(terms, key, fields[key])
    _validate_terms(terms)
    if changed:
        terms.save(update_fields=changed)
        audit_record(actor=actor, verb="terms.updated", target=terms, data={"fields": changed})
    return terms


@transaction.atomic
def terms_publish(*, actor: User, terms_id: int, reason: str = "") -> Terms:
    """Publish a draft; when it is already in effect, affected organisations are told at once (TRM-4)."""
    ensure_allowed(actor, "marketplace.manage_terms")
    terms = Terms.objects.select_for_update().filter(pk=terms_id).first()
    if terms is None:
        raise NotFound(_("Terms version not found."))
    latest = Terms.objects.filter(audience=terms.audience, status=Terms.Status.PUBLISHED).order_by("-effective_from").first()
    if latest and terms.status == Terms.Status.DRAFT and terms.effective_from < latest.effective_from:
        raise ValidationError(
            {"effective_from": _("A new version cannot take effect before the version already published (%(date)s).")
             % {"date": f"{latest.effective_from:%d.%m.%Y}"}}
        )
    terms.published_at = timezone.now()
    transition(terms, to=Terms.Status.PUBLISHED, actor=actor, reason=reason, update_fields=["published_at"])
    if terms.effective_from <= timezone.localdate():
        transaction.on_commit(_announce_later)
    return terms


def _announce_later() -> None:
    from ..tasks import terms_announce_effective_task

    terms_announce_effective_task.delay()


def terms_announce_effective() -> int:
    """Notify admins of affected organisations about versions now in effect; each version once (TRM-4)."""
    announced = 0
    current = current_terms()
    for terms in current.values():
        with transaction.atomic():
            locked = Terms.objects.select_for_update().get(pk=terms.pk)
            if locked.announced_at is not None:
                continue
            kinds = [k for k in Organisation.Kind.values if terms.audience in audiences_for(Organisation(kind=k))]
            admins = (
                Membership.objects.filter(role=Role.ADMIN, organisation__kind__in=kinds)
                .exclude(organisation__terms_acceptances__terms=terms)
                .select_related("user", "organisation")
            )
            for membership in admins:
                notify(
                    recipients=[membership.user],
                    kind=TERMS_NEW_VERSION.code,
                    title=lazy_message(gettext_lazy("New terms: %(title)s %(version)s must be accepted"),
                                       title=terms.title, version=terms.version),
                    body=lazy_message(
                        gettext_lazy("%(organisation)s must accept the new version before it can act on Markedsplassen."),
                        organisation=membership.organisation,
                    ),
                    url=reverse("marketplace:terms_detail", args=[terms.pk]),
                    organisation=membership.organisation,
                )
            locked.announced_at = timezone.now()
            locked.save(update_fields=["announced_at"])
            audit_record(actor=None, verb="terms.announced", target=locked, data={"admins": len(admins)})
            announced += 1
    return announced


@transaction.atomic
def terms_accept(*, actor: User, organisation: Organisation, terms_id: int) -> TermsAcceptance:
    """Accept a terms version on behalf of the organisation I act for (TRM-2)."""
    if getattr(actor, "acting_organisation", None) != organisation:
        raise PermissionRefused(_("You can only accept terms for the organisation you act for."))
    ensure_allowed(
        actor, "marketplace.accept_terms", message=_("Only an organisation admin can accept the terms for %(organisation)s.")
        % {"organisation": organisation}
    )
    terms = Terms.objects.filter(pk=terms_id, status=Terms.Status.PUBLISHED).first()
    if terms is None:
        raise NotFound(_("Terms version not found."))
    if terms.audience not in audiences_for(organisation):
        raise PermissionRefused(_("These terms do not apply to %(organisation)s.") % {"organisation": organisation})
    if current_terms().get(terms.audience) != terms:
        raise IllegalTransition(_("Only the version of the terms in force can be accepted."))
    if TermsAcceptance.objects.filter(organisation=organisation, terms=terms).exists():
        raise Conflict(_("%(organisation)s has already accepted this version.") % {"organisation": organisation})
    try:
        with transaction.atomic():
            acceptance = TermsAcceptance.objects.create(organisation=organisation, terms=terms, accepted_by=actor)
    except IntegrityError as exc:
        raise Conflict(_("%(organisation)s has already accepted this version.") % {"organisation": organisation}) from exc
    forget_pending_terms(organisation)
    audit_record(actor=actor, verb="terms.accepted", target=terms, organisation=organisation, to_state="accepted",
                 data={"version": terms.version, "audience": terms.audience})
    return acceptance

