"""Organisations, memberships and invitations (ORG-1 … ORG-3)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..acting import act_for, forget_memberships
from ..audit import audit_record
from ..errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from ..models import Invitation, Membership, Organisation, Role, User
from ..notifications import INVITATION_ACCEPTED, MEMBERSHIP_CHANGED, lazy_message
from ..permissions import ensure_allowed
from ..workflow import transition
from ..validators import normalise_org_number
from .notifications import notify, org_admins

ORGANISATION_FIELDS = ("name", "kind", "org_number", "municipality_number", "inhabitants", "website", "description")


def _unique_slug(name: str) -> str:
    base = slugify(name.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:70] or "organisasjon"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validated(organisation: Organisation, *, exclude_unique: bool = False) -> None:
    organisation.org_number = normalise_org_number(organisation.org_number)
    if organisation.kind != Organisation.Kind.MUNICIPALITY:
        organisation.municipality_number = ""
    errors = {}
    try:
        # The kommunenummer constraints are checked below, with messages at the field instead of
        # the database constraint's technical "Constraint … is violated".
        organisation.full_clean(exclude=["slug"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if organisation.kind == Organisation.Kind.MUNICIPALITY and not organisation.municipality_number:
        errors.setdefault("municipality_number", []).append(_("A municipality must have its kommunenummer."))
    elif organisation.municipality_number and "municipality_number" not in errors:
        other = Organisation.objects.filter(municipality_number=organisation.municipality_number).exclude(
            pk=organisation.pk).first()
        if other is not None:
            errors.setdefault("municipality_number", []).append(
                _("%(organisation)s already has kommunenummer %(number)s.")
                % {"organisation": other.name, "number": organisation.municipality_number}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_create(*, actor: User, **fields) -> Organisation:
    """Register an organisation (platform administrators)."""
    ensure_allowed(actor, "marketplace.create_organisation")
    organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    _validated(organisation)
    organisation.slug = _unique_slug(organisation.name)
    organisation.save()
    audit_record(actor=actor, verb="organisation.created", target=organisation, data={"kind": organisation.kind})
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation_id: int, **fields) -> Organisation:
    """Change an organisation's details (its admins or platform administrators)."""
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(_("Organisation not found."))
    ensure_allowed(actor, "marketplace.manage_organisation", organisation)
    before = {k: getattr(organisation, k) for k in ORGANISATION_FIELDS}
    changed = {k: v for k, v in fields.items() if k in ORGANISATION_FIELDS and k != "kind" and before[k] != v}
    for key, value in changed.items():
        setattr(organisation, key, value)
    _validated(organisation)
    if changed:
        organisation.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            verb="organisation.updated",
            target=organisation,
            data={k: [str(before[k]), str(getattr(organisation, k))] for k in changed},
        )
    return organisation


def _membership_create(*, organisation: Organisation, user: User, role: str) -> Membership:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise Conflict(
            _("%(user)s is already a member of %(organisation)s.") % {"user": user.email, "organisation": organisation},
            field="email",
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    except IntegrityError as exc:  # a concurrent request created it first
        raise Conflict(_("%(user)s is already a member.") % {"user": user.email}) from exc
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_add(*, actor: User, organisation: Organisation, user: User, role: str = Role.MEMBER) -> Membership:
    """Add a person to an organisation directly (platform administrators; others invite)."""
    ensure_allowed(actor, "marketplace.create_organisation")
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership = _membership_create(organisation=organisation, user=user, role=role)
    audit_record(actor=actor, verb="membership.created", target=membership, organisation=organisation, to_state=role)
    return membership


def _membership_for_admin(actor: User, membership_id: int) -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation", "user").filter(pk=membership_id).first()
    if membership is None or not actor.has_perm("marketplace.manage_organisation", membership.organisation):
        raise NotFound(_("Membership not found."))
    return membership


def _ensure_not_last_admin(membership: Membership) -> None:
    if membership.role == Role.ADMIN and not Membership.objects.filter(
        organisation=membership.organisation, role=Role.ADMIN
    ).exclude(pk=membership.pk).exists():
        raise Conflict(_("An organisation must keep at least one organisation admin."))


@transaction.atomic
def membership_set_role(*, actor: User, membership_id: int, role: str) -> Membership:
    """Make a member an organisation admin or back (ORG-2)."""
    membership = _membership_for_admin(actor, membership_id)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if membership.role == role:
        return membership
    if role == Role.MEMBER:
        _ensure_not_last_admin(membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(actor=actor, verb="membership.role_changed", target=membership, organisation=membership.organisation,
                 from_state=before, to_state=role)
    notify(
        recipients=[membership.user],
        kind=MEMBERSHIP_CHANGED.code,
        title=lazy_message(gettext_lazy("Your role in %(organisation)s has changed"), organisation=membership.organisation),
        url=reverse("marketplace:organisation_mine"),
        organisation=membership.organisation,
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership_id: int) -> None:
    """Remove a person from an organisation (its admins, or the person themselves)."""
    membership = Membership.objects.select_for_update().select_related("organisation", "user").filter(pk=membership_id).first()
    if membership is None or not (
        membership.user_id == actor.pk or actor.has_perm("marketplace.manage_organisation", membership.organisation)
    ):
        raise NotFound(_("Membership not found."))
    _ensure_not_last_admin(membership)
    audit_record(actor=actor, verb="membership.removed", target=membership, organisation=membership.organisation,
                 from_state=membership.role)
    membership.delete()
    forget_memberships(membership.user)


@transaction.atomic
def invitation_create(*, actor: User, organisation: Organisation, email: str, role: str = Role.MEMBER) -> Invitation:
    """Invite a person by e-mail to join an organisation (ORG-3)."""
    ensure_allowed(actor, "marketplace.manage_organisation", organisation)
    email = (email or "").strip().lower()
    try:
        from django.core.validators import validate_email

        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Conflict(_("%(email)s is already a member of %(organisation)s.") % {"email": email, "organisation": organisation}, field="email")
    if Invitation.objects.filter(organisation=organisation, email=email, status=Invitation.Status.PENDING).exists():
        raise Conflict(_("%(email)s has already been invited and has not answered yet.") % {"email": email}, field="email")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(actor=actor, verb="invitation.created", target=invitation, organisation=organisation, to_state=invitation.status)
    link = f"{settings.SITE_URL}{reverse('marketplace:invitation_accept', args=[invitation.token])}"
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation to %(organisation)s on Markedsplassen") % {"organisation": organisation},
            _(
                "%(inviter)s has invited you to join %(organisation)s on Markedsplassen.\n\n"
                "Open this link to accept (valid until %(expires)s):\n%(link)s"
            )
            % {"inviter": actor, "organisation": organisation, "expires": f"{invitation.expires_at:%d.%m.%Y}", "link": link},
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    )
    return invitation


def invitation_get_by_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    if invitation is None:
        raise NotFound(_("This invitation does not exist. Ask the organisation for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, actor: User, token: str) -> Membership:
    """Join the inviting organisation; the invitation must be pending, unexpired and for my e-mail."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise NotFound(_("This invitation does not exist. Ask the organisation for a new one."))
    if invitation.status == Invitation.Status.ACCEPTED:
        raise IllegalTransition(_("This invitation has already been used."))
    if invitation.status == Invitation.Status.REVOKED:
        raise IllegalTransition(_("This invitation has been withdrawn by the organisation."))
    if invitation.status == Invitation.Status.EXPIRED or invitation.is_expired:
        raise IllegalTransition(_("This invitation has expired. Ask the organisation for a new one."))
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=actor, email__iexact=invitation.email, verified=True).exists():
        raise PermissionRefused(
            _("This invitation was sent to %(email)s. Log in with that verified e-mail address to accept it.")
            % {"email": invitation.email}
        )
    membership = _membership_create(organisation=invitation.organisation, user=actor, role=invitation.role)
    invitation.accepted_by = actor
    invitation.decided_at = timezone.now()
    transition(invitation, to=Invitation.Status.ACCEPTED, actor=actor, organisation=invitation.organisation,
               update_fields=["accepted_by", "decided_at"])
    audit_record(actor=actor, verb="membership.created", target=membership, organisation=invitation.organisation,
                 to_state=membership.role, data={"invitation": invitation.pk})
    notify(
        recipients=org_admins(invitation.organisation),
        kind=INVITATION_ACCEPTED.code,
        title=lazy_message(gettext_lazy("%(person)s has joined %(organisation)s"), person=actor.email,
                           organisation=invitation.organisation),
        url=reverse("marketplace:organisation_mine"),
        organisation=invitation.organisation,
        exclude=actor,
    )
    return membership


@transaction.atomic
def invitation_revoke(*, actor: User, invitation_id: int) -> Invitation:
    """Withdraw a pending invitation."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None or not actor.has_perm("marketplace.manage_organisation", invitation.organisation):
        raise NotFound(_("Invitation not found."))
    invitation.decided_at = timezone.now()
    transition(invitation, to=Invitation.Status.REVOKED, actor=actor, organisation=invitation.organisation,
               update_fields=["decided_at"])
    return invitation


def invitations_expire() -> int:
    """Expire pending invitations past their date (the beat task); idempotent."""
    count = 0
    for invitation_id in Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=timezone.now()).values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            if invitation.status != Invitation.Status.PENDING:
                continue
            invitation.decided_at = timezone.now()
            transition(invitation, to=Invitation.Status.EXPIRED, actor=None, organisation=invitation.organisation,
                       update_fields=["decided_at"])
            count += 1
    return count


def acting_organisation_switch(*, actor: User, organisation_id: int) -> Organisation:
    """Choose which of my organisations I act for (refused for organisations I am not a member of)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(_("Organisation not found."))
    act_for(actor, organisation)
    return organisation
