"""Listing review and the life of a listing (VER-5, VER-6).

Platform administrators approve, reject or request changes to a version the vendor submitted. Approval
lists the product in the store with that version; a newer version is listed only after its own approval
(the previously listed version is then superseded). Re-verification marks a listing "under utbedring"
when the listed version regresses and clears the mark when a later run passes.

Every change to a listing calls `hooks.listing_changed` after the save, in the same transaction: that is how
Butikken follows listings without this app importing it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from marketplace.audit import audit_record
from marketplace.errors import Conflict, IllegalTransition, NotFound
from marketplace.models import User
from marketplace.permissions import ensure_allowed
from marketplace.rules import is_platform_admin
from marketplace.services.notifications import notify, org_members, platform_admins
from marketplace.workflow import transition

from .. import hooks
from ..checks import get_check
from ..checks.base import localize
from ..models import CheckResult, DeclarationVersion, Listing, VerificationRun
from ..notifications import LISTING_DECIDED, LISTING_REMEDIATION, LISTING_WITHDRAWN
from .products import latest_finished_run, lock_version
from .qualification import lazy_message, vendor_is_qualified

VersionStatus = DeclarationVersion.Status
REASON_MAX = 4000

APPROVE, REJECT, REQUEST_CHANGES = "approve", "reject", "request_changes"
DECISIONS = (
    (APPROVE, gettext_lazy("Approve and list")),
    (REQUEST_CHANGES, gettext_lazy("Request changes")),
    (REJECT, gettext_lazy("Reject")),
)


def _submitted_version(actor: User, version_id: int) -> DeclarationVersion:
    version = lock_version(actor, version_id, "verification.review_listing")
    if version.status != VersionStatus.SUBMITTED:
        raise IllegalTransition(
            _("Version %(number)s of %(product)s is “%(status)s”, not awaiting listing review: it has been decided "
              "already or was never submitted.")
            % {"number": version.number, "product": version.product.name, "status": version.get_status_display()}
        )
    return version


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason: the vendor sees it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(max)s characters.") % {"max": REASON_MAX}})
    return reason


def _record_decision(version: DeclarationVersion, actor: User, reason: str) -> list[str]:
    version.decided_at = timezone.now()
    version.decided_by = actor
    version.decision_reason = reason
    return ["decided_at", "decided_by", "decision_reason"]


def _notify_vendor(version: DeclarationVersion, title: str, body: str = "") -> None:
    notify(
        recipients=org_members(version.product.vendor),
        kind=LISTING_DECIDED.code,
        title=lazy_message(title, product=version.product.name, number=version.number),
        body=body,
        url=reverse("verification:version_detail", args=[version.pk]),
        organisation=version.product.vendor,
    )


@transaction.atomic
def listing_approve(*, actor: User, version_id: int, reason: str = "") -> Listing:
    """Approve a submitted version: the product is listed in the store with it (VER-5)."""
    version = _submitted_version(actor, version_id)
    reason = _reason(reason, required=False)
    product = version.product
    latest = latest_finished_run(version)
    if latest is None or latest.status != VerificationRun.Status.PASSED:
        raise Conflict(_("The latest verification run of version %(number)s did not pass. Request changes instead.")
                       % {"number": version.number})
    if not vendor_is_qualified(product.vendor):
        raise Conflict(_("%(vendor)s is not qualified now (or its qualification expired). Products are listed only "
                         "for qualified vendors.") % {"vendor": product.vendor.name})
    now = timezone.now()
    previous = (
        DeclarationVersion.objects.select_for_update().filter(product=product, status=VersionStatus.LISTED)
        .exclude(pk=version.pk).first()
    )
    if previous is not None:
        transition(previous, to=VersionStatus.SUPERSEDED, actor=actor,
                   reason=_("Replaced in the store by version %(number)s.") % {"number": version.number})
    transition(version, to=VersionStatus.LISTED, actor=actor, reason=reason,
               update_fields=_record_decision(version, actor, reason))
    listing = Listing.objects.select_for_update().filter(product=product).first()
    listed_fields = {"version": version, "version_listed_at": now, "approved_by": actor, "last_run": latest,
                     "last_verified_at": latest.finished_at}
    if listing is None:
        listing = Listing.objects.create(product=product, status=Listing.Status.LISTED, listed_at=now, **listed_fields)
        audit_record(actor=actor, verb="listing.listed", target=listing, to_state=Listing.Status.LISTED, reason=reason,
                     data={"version": version.number})
        hooks.listing_changed(product_id=product.pk, fields=None)
    else:
        for key, value in listed_fields.items():
            setattr(listing, key, value)
        fields = [*listed_fields, "remediation_since", "remediation_messages", "withdrawn_at"]
        listing.remediation_since, listing.remediation_messages, listing.withdrawn_at = None, {}, None
        if listing.status != Listing.Status.LISTED:
            transition(listing, to=Listing.Status.LISTED, actor=actor, reason=reason, update_fields=fields,
                       data={"version": version.number})
            fields.append("status")
        else:
            listing.save(update_fields=[*fields, "updated_at"])
            audit_record(actor=actor, verb="listing.version_changed", target=listing, reason=reason,
                         data={"version": version.number, "previous": previous.number if previous else None})
        hooks.listing_changed(product_id=product.pk, fields=fields)
    _notify_vendor(version, gettext_noop("%(product)s version %(number)s is approved and listed in Butikken"), reason)
    return listing


@transaction.atomic
def listing_reject(*, actor: User, version_id: int, reason: str) -> DeclarationVersion:
    """Reject a submitted version, with a reason the vendor sees (VER-5)."""
    version = _submitted_version(actor, version_id)
    reason = _reason(reason, required=True)
    transition(version, to=VersionStatus.REJECTED, actor=actor, reason=reason,
               update_fields=_record_decision(version, actor, reason))
    _notify_vendor(version, gettext_noop("%(product)s version %(number)s is not approved for listing"), reason)
    return version


@transaction.atomic
def listing_request_changes(*, actor: User, version_id: int, reason: str) -> DeclarationVersion:
    """Send a submitted version back to the vendor with what must change (VER-5)."""
    version = _submitted_version(actor, version_id)
    reason = _reason(reason, required=True)
    transition(version, to=VersionStatus.CHANGES_REQUESTED, actor=actor, reason=reason,
               update_fields=_record_decision(version, actor, reason))
    _notify_vendor(version, gettext_noop("Changes are requested before %(product)s version %(number)s can be listed"),
                   reason)
    return version


def listing_decide(*, actor: User, version_id: int, decision: str, reason: str = ""):
    """One entry point for screens and API: approve, reject or request changes."""
    actions = {APPROVE: listing_approve, REJECT: listing_reject, REQUEST_CHANGES: listing_request_changes}
    if decision not in actions:
        raise ValidationError({"decision": _("Choose approve, request changes or reject.")})
    return actions[decision](actor=actor, version_id=version_id, reason=reason)


@transaction.atomic
def listing_withdraw(*, actor: User, listing_id: int, reason: str) -> Listing:
    """Take a product out of the store (the vendor's organisation admin, or a platform administrator)."""
    listing = Listing.objects.select_for_update(of=("self",)).select_related("product", "product__vendor").filter(
        pk=listing_id
    ).first()
    if listing is None or not actor.has_perm("verification.view_listing", listing):
        raise NotFound(_("Listing not found."))
    ensure_allowed(actor, "verification.withdraw_listing", listing)
    reason = _reason(reason, required=True)
    listing.withdrawn_at = timezone.now()
    transition(listing, to=Listing.Status.WITHDRAWN, actor=actor, reason=reason, update_fields=["withdrawn_at"])
    hooks.listing_changed(product_id=listing.product_id, fields=["status", "withdrawn_at"])
    version = DeclarationVersion.objects.select_for_update().get(pk=listing.version_id)
    if version.status == VersionStatus.LISTED:
        transition(version, to=VersionStatus.WITHDRAWN, actor=actor, reason=reason)
    product = listing.product
    recipients = platform_admins() if not is_platform_admin(actor) else org_members(product.vendor)
    notify(
        recipients=recipients,
        kind=LISTING_WITHDRAWN.code,
        title=lazy_message(gettext_noop("%(product)s is withdrawn from Butikken"), product=product.name),
        body=reason,
        url=reverse("verification:product_detail", args=[product.pk]),
        organisation=product.vendor,
        exclude=actor,
    )
    return listing


# Re-verification (system) ---------------------------------------------------------------------------------


def _failed_summary(failed: list[CheckResult]) -> dict[str, str]:
    titles = []
    for result in failed:
        check = get_check(result.check_id)
        titles.append(check.title if check else result.check_id)
    return localize(gettext_lazy("Failed checks: %(checks)s."), {"checks": titles})


def listing_record_run(*, version: DeclarationVersion, run: VerificationRun, failed: list[CheckResult]) -> None:
    """A run of the listed version finished (called under the run's lock): remember it as the listing's
    latest run, mark the listing under utbedring on a regression, clear the mark when it passes (VER-6)."""
    listing = Listing.objects.select_for_update().filter(product_id=version.product_id, version=version).first()
    if listing is None or not listing.is_active:
        return
    listing.last_run = run
    listing.last_verified_at = run.finished_at
    fields = ["last_run", "last_verified_at"]
    product = version.product
    recipients = [*org_members(product.vendor), *platform_admins()]
    if run.status == VerificationRun.Status.FAILED and listing.status == Listing.Status.LISTED:
        listing.remediation_since = run.finished_at
        listing.remediation_messages = _failed_summary(failed)
        fields += ["remediation_since", "remediation_messages"]
        transition(listing, to=Listing.Status.UNDER_REMEDIATION, actor=None, organisation=product.vendor,
                   reason=listing.remediation_messages.get("nb", ""), update_fields=fields, data={"run": run.pk})
        hooks.listing_changed(product_id=product.pk, fields=["status", *fields])
        notify(
            recipients=recipients,
            kind=LISTING_REMEDIATION.code,
            title=lazy_message(gettext_noop("Re-verification of %(product)s found a regression: the listing is under "
                                            "utbedring"), product=product.name),
            body=lazy_message(gettext_noop("Version %(number)s no longer passes every mandatory check. The store "
                                           "shows the listing as under utbedring until a run passes again."),
                              number=version.number),
            url=reverse("verification:run_report", args=[run.uuid]),
            organisation=product.vendor,
        )
    elif run.status == VerificationRun.Status.PASSED and listing.status == Listing.Status.UNDER_REMEDIATION:
        listing.remediation_since, listing.remediation_messages = None, {}
        fields += ["remediation_since", "remediation_messages"]
        transition(listing, to=Listing.Status.LISTED, actor=None, organisation=product.vendor,
                   reason=_("Verification run %(id)s passed again.") % {"id": run.pk},
                   update_fields=fields, data={"run": run.pk})
        hooks.listing_changed(product_id=product.pk, fields=["status", *fields])
        notify(
            recipients=recipients,
            kind=LISTING_REMEDIATION.code,
            title=lazy_message(gettext_noop("%(product)s passes verification again; it is no longer under utbedring"),
                               product=product.name),
            url=reverse("verification:run_report", args=[run.uuid]),
            organisation=product.vendor,
        )
    else:
        listing.save(update_fields=[*fields, "updated_at"])
        hooks.listing_changed(product_id=product.pk, fields=fields)  # shown in the store, not indexed
