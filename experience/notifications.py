"""Notification kinds of Erfaringsarena (X-3); people choose which of them also come by e-mail."""

from django.utils.translation import gettext_lazy as _

from marketplace.notifications import register_kind

EXPERIENCE_ON_USED_PRODUCT = register_kind(
    "experience.on_used_product", _("New experiences on products my organisation uses"), email_default=False
)
EXPERIENCE_ON_OUR_PRODUCT = register_kind(
    "experience.on_our_product", _("New experiences about our products")
)
EXPERIENCE_ON_FOLLOWED_NEED = register_kind(
    "experience.on_followed_need", _("New experiences about needs I follow"), email_default=False
)
COMMENT_ADDED = register_kind("experience.comment_added", _("New comments on experiences I follow"))
VENDOR_REPLIED = register_kind("experience.vendor_replied", _("Vendor replies to experiences I follow"))
EXPERIENCE_UPDATED = register_kind(
    "experience.updated", _("Changes to experiences I follow"), email_default=False
)
CONTENT_MODERATED = register_kind("experience.moderated", _("Moderation of what I have written"))
CONTENT_REPORTED = register_kind(
    "experience.reported", _("Reported experiences and comments (moderators)"), email_default=False
)
