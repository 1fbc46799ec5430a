"""Every write in Innovasjonsarena goes through these functions (screens, API, admin, demo, tasks, tests)."""

from .collaboration import (
    collaboration_accept,
    collaboration_decline,
    collaboration_end,
    collaboration_invite,
    collaboration_request,
    collaboration_withdraw,
    interest_register,
    interest_withdraw,
)
from .discussion import comment_add, need_document_add, need_document_delete, need_follow, need_unfollow
from .needs import need_create, need_update, need_update_declaration
from .stages import need_change_stage, need_retire, publish_blockers
from .work import checklist_add_item, checklist_set, criteria_set, involvement_add, involvement_document_add

__all__ = [
    "checklist_add_item",
    "checklist_set",
    "collaboration_accept",
    "collaboration_decline",
    "collaboration_end",
    "collaboration_invite",
    "collaboration_request",
    "collaboration_withdraw",
    "comment_add",
    "criteria_set",
    "interest_register",
    "interest_withdraw",
    "involvement_add",
    "involvement_document_add",
    "need_change_stage",
    "need_create",
    "need_document_add",
    "need_document_delete",
    "need_follow",
    "need_retire",
    "need_unfollow",
    "need_update",
    "need_update_declaration",
    "publish_blockers",
]
