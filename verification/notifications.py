"""Notification kinds of the verification app (X-3); people choose which of them also come by e-mail."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.notifications import register_kind

QUALIFICATION_SUBMITTED = register_kind("qualification.submitted", _("Qualification applications to review"))
QUALIFICATION_DECIDED = register_kind(
    "qualification.decided", _("Decisions on our qualification applications")
)
QUALIFICATION_EXPIRY = register_kind(
    "qualification.expiry", _("Our qualification is about to expire or has expired")
)

# Verifikasjon: products, runs and listings (VER-3 … VER-6).
RUN_FINISHED = register_kind(
    "verification.run_finished", _("Verification runs I started have finished"), email_default=False
)
LISTING_SUBMITTED = register_kind(
    "verification.listing_submitted", _("Products submitted for listing, to review")
)
LISTING_DECIDED = register_kind("verification.listing_decided", _("Decisions on listing our products"))
LISTING_REMEDIATION = register_kind(
    "verification.listing_remediation", _("Re-verification of listed products: regressions and recoveries")
)
LISTING_WITHDRAWN = register_kind("verification.listing_withdrawn", _("Products withdrawn from the store"))
