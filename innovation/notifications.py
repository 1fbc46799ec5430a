"""Notification kinds of Innovasjonsarena (X-3): people choose which of them also come by e-mail."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.notifications import register_kind

COLLABORATION_REQUESTED = register_kind(
    "innovation.collaboration_requested", _("Requests to join our needs' core teams")
)
COLLABORATION_DECIDED = register_kind(
    "innovation.collaboration_decided", _("Answers to our collaboration requests")
)
STAGE_CHANGED = register_kind(
    "innovation.stage_changed", _("Stage changes of needs I follow or am interested in")
)
NEED_RETIRED = register_kind("innovation.need_retired", _("Needs I follow retired in favour of another"))
NEED_UPDATED = register_kind(
    "innovation.need_updated", _("Changes to the description of needs I follow"), email_default=False
)
COMMENT_ADDED = register_kind("innovation.comment_added", _("New comments on needs I follow"))
VENDOR_INTEREST = register_kind("innovation.vendor_interest", _("Vendors interested in our needs"))
