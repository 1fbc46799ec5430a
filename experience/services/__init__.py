"""Every write of Erfaringsarena: screens, API, admin, demo data and tests call these."""

from .conversation import comment_add, follow, unfollow, useful_mark, useful_unmark, vendor_reply_add
from .experiences import (
    experience_create,
    experience_delete,
    experience_document_add,
    experience_document_remove,
    experience_publish,
    experience_update,
    publish_blockers,
)
from .moderation import (
    comment_hide,
    comment_restore,
    experience_hide,
    experience_restore,
    report_comment,
    report_dismiss,
    report_experience,
)
from .ratings import rating_set, rating_totals, rating_withdraw

__all__ = [
    "comment_add",
    "comment_hide",
    "comment_restore",
    "experience_create",
    "experience_delete",
    "experience_document_add",
    "experience_document_remove",
    "experience_hide",
    "experience_publish",
    "experience_restore",
    "experience_update",
    "follow",
    "publish_blockers",
    "rating_set",
    "rating_totals",
    "rating_withdraw",
    "report_comment",
    "report_dismiss",
    "report_experience",
    "unfollow",
    "useful_mark",
    "useful_unmark",
    "vendor_reply_add",
]
