"""Start-page panels (ORG-6). Kvalifisering: vendors see their status and expiry, administrators the queue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.dashboard import Panel, register


@register(order=20)
def qualification_vendor_panel(request) -> Panel | None:
    """A vendor's qualification: valid until when, expired, or the application in progress. Two queries."""
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or not organisation.is_vendor:
        return None
    from .selectors.qualification import application_open_for, qualification_current

    return Panel(
        title=_("Kvalifisering"),
        template="verification/panels/_qualification_vendor.html",
        context={
            "organisation": organisation,
            "qualification": qualification_current(organisation=organisation),
            "application": application_open_for(organisation=organisation),
            "can_apply": request.user.has_perm("verification.apply_qualification"),
        },
    )


@register(order=21)
def qualification_review_panel(request) -> Panel | None:
    """Platform administrators: applications waiting for review, oldest first. Two queries."""
    if not request.user.has_perm("verification.review_qualificationapplication"):
        return None
    from .selectors.qualification import QUEUE_OPEN, review_queue, review_queue_counts

    counts = review_queue_counts()
    return Panel(
        title=_("Qualification applications to review"),
        template="verification/panels/_qualification_queue.html",
        context={
            "counts": counts,
            "oldest": list(review_queue(status=QUEUE_OPEN)[:5]) if counts[QUEUE_OPEN] else [],
        },
        count=counts[QUEUE_OPEN],
    )


@register(order=40)
def verification_runs_panel(request) -> Panel | None:
    """Vendors: verification runs in progress, latest runs that failed, listings under utbedring. Three queries."""
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or not organisation.is_vendor:
        return None
    from .models import VerificationRun
    from .selectors.products import failed_runs_for, runs_for_organisation, under_remediation_for

    running = runs_for_organisation(organisation=organisation, statuses=VerificationRun.ACTIVE_STATES)
    failed = failed_runs_for(organisation=organisation)
    remediation = under_remediation_for(organisation=organisation)
    if not (running or failed or remediation):
        return None
    return Panel(
        title=_("Verifikasjon"),
        template="verification/products/panels/_runs.html",
        context={"running": running, "failed": failed, "remediation": remediation},
        count=len(running) + len(failed) + len(remediation),
    )


@register(order=41)
def listing_review_panel(request) -> Panel | None:
    """Platform administrators: declarations waiting for listing review, oldest first. One query."""
    if not request.user.has_perm("verification.review_listing"):
        return None
    from .selectors.products import review_queue

    waiting = list(review_queue()[:6])
    if not waiting:
        return None
    return Panel(
        title=_("Listings to review"),
        template="verification/products/panels/_review.html",
        context={"waiting": waiting[:5], "more": len(waiting) > 5},
        count=len(waiting) if len(waiting) <= 5 else None,
    )
