"""Helpers shared by the services of Erfaringsarena: the acting organisation, locking and access checks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from marketplace.acting import acting_organisation
from marketplace.errors import NotFound, PermissionRefused
from marketplace.models import Organisation

from ..models import Comment, Experience


def acting(actor: Any) -> Organisation:
    """The organisation the actor acts for; refused when there is none."""
    organisation = acting_organisation(actor)
    if organisation is None:
        raise PermissionRefused(_("Choose an organisation to act for first."))
    return organisation


def lock_experience(actor: Any, experience_id: Any) -> Experience:
    """Lock an experience the actor may see; NotFound for missing and forbidden alike."""
    try:
        pk = int(experience_id)
    except (TypeError, ValueError):
        pk = None
    experience = (
        Experience.objects.select_for_update(of=("self",))
        .select_related("product", "organisation")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if experience is None or not actor.has_perm("experience.view_experience", experience):
        raise NotFound(_("Experience not found."))
    return experience


def lock_comment(actor: Any, comment_id: Any, *, include_hidden: bool = False) -> Comment:
    """Lock a comment whose experience the actor may see; hidden comments only for moderators."""
    try:
        pk = int(comment_id)
    except (TypeError, ValueError):
        pk = None
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("experience", "experience__product")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if (
        comment is None
        or not actor.has_perm("experience.view_experience", comment.experience)
        or (comment.is_hidden and not (include_hidden and actor.has_perm("experience.view_hidden")))
    ):
        raise NotFound(_("Comment not found."))
    return comment


def recount_product_experiences(experience: Experience) -> None:
    """After an experience about a product is published, hidden or shown again: the store's count of the
    product's published experiences (its listing page asks for them only when there are any)."""
    if experience.product_id is None:
        return
    from .. import store_bridge

    count = Experience.objects.filter(
        product_id=experience.product_id, status=Experience.Status.PUBLISHED
    ).count()
    store_bridge.set_store_experience_count(product_id=experience.product_id, count=count)
