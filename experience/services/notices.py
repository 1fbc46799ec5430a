"""Who is told what in Erfaringsarena (X-3). Called by the tasks after commit; each event is told once."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from innovation.models import Follow as NeedFollow
from marketplace.models import AuditEvent, Membership, User
from marketplace.notifications import lazy_message
from marketplace.services.notifications import notify, platform_admins

from .. import notifications as kinds
from .. import store_bridge
from ..models import PRODUCT_TOPICS, Comment, Experience, Follow, Notice, Report, Topic


def _once(key: str) -> bool:
    """True the first time `key` is seen; a task delivered twice tells people once."""
    try:
        with transaction.atomic():
            Notice.objects.create(key=key[:100])
    except IntegrityError:
        return False
    return True


def _followers(experience: Experience) -> list[User]:
    return [f.user for f in Follow.objects.filter(experience=experience).select_related("user")]


def _members(organisation_ids) -> list[User]:
    return [
        m.user for m in Membership.objects.filter(organisation_id__in=organisation_ids).select_related("user")
    ]


@transaction.atomic
def experience_published(*, experience_id: int) -> int:
    """Tell the product's vendor, the organisations that use the product, and the need's followers."""
    experience = (
        Experience.objects.filter(pk=experience_id, status=Experience.Status.PUBLISHED)
        .select_related("organisation", "product", "need", "author")
        .first()
    )
    if experience is None or not _once(f"published:{experience.pk}"):
        return 0
    params = {"organisation": experience.organisation.name, "title": experience.title}
    url = experience.get_absolute_url()
    sent = 0
    if experience.topic in PRODUCT_TOPICS and experience.product is not None:
        product = experience.product
        params["product"] = product.name
        sent += len(
            notify(
                recipients=_members([product.vendor_id]),
                kind=kinds.EXPERIENCE_ON_OUR_PRODUCT.code,
                title=lazy_message(_("%(organisation)s shared an experience with %(product)s"), **params),
                body=lazy_message(_("“%(title)s”. As the vendor you may reply once."), **params),
                url=url,
                organisation=product.vendor,
            )
        )
        users = (
            store_bridge.adopter_ids(product_id=product.pk)
            .exclude(organisation_id=experience.organisation_id)
            .values_list("organisation_id", flat=True)
        )
        sent += len(
            notify(
                recipients=_members(list(users)),
                kind=kinds.EXPERIENCE_ON_USED_PRODUCT.code,
                title=lazy_message(_("New experience with %(product)s from %(organisation)s"), **params),
                body=experience.title,
                url=url,
                exclude=experience.author,
            )
        )
    elif experience.topic == Topic.NEED and experience.need is not None:
        params["need"] = experience.need.title
        followers = [f.user for f in NeedFollow.objects.filter(need=experience.need).select_related("user")]
        sent += len(
            notify(
                recipients=followers,
                kind=kinds.EXPERIENCE_ON_FOLLOWED_NEED.code,
                title=lazy_message(_("New experience about “%(need)s” from %(organisation)s"), **params),
                body=experience.title,
                url=url,
                exclude=experience.author,
            )
        )
    return sent


@transaction.atomic
def experience_updated(*, experience_id: int, version: int) -> int:
    """Tell the followers of an experience that it was changed."""
    experience = Experience.objects.filter(pk=experience_id, status=Experience.Status.PUBLISHED).first()
    if experience is None or not _once(f"updated:{experience_id}:{version}"):
        return 0
    editor = experience.versions.filter(number=version).select_related("edited_by").first()
    return len(
        notify(
            recipients=_followers(experience),
            kind=kinds.EXPERIENCE_UPDATED.code,
            title=lazy_message(_("“%(title)s” was changed"), title=experience.title),
            body=editor.change_note if editor else "",
            url=reverse("experience:history", args=[experience.pk]),
            exclude=editor.edited_by if editor else None,
        )
    )


@transaction.atomic
def comment_added(*, comment_id: int) -> int:
    """Tell the followers of an experience of a new comment or of the vendor's reply."""
    comment = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.VISIBLE)
        .select_related("experience", "author", "organisation")
        .first()
    )
    if comment is None or not comment.experience.is_published or not _once(f"comment:{comment.pk}"):
        return 0
    params = {
        "person": comment.author.display_name if comment.author else "",
        "organisation": comment.organisation.name if comment.organisation else "",
        "title": comment.experience.title,
    }
    if comment.is_vendor_reply:
        kind = kinds.VENDOR_REPLIED.code
        title = lazy_message(_("%(organisation)s replied as the vendor to “%(title)s”"), **params)
    else:
        kind = kinds.COMMENT_ADDED.code
        title = lazy_message(_("%(person)s (%(organisation)s) commented on “%(title)s”"), **params)
    return len(
        notify(
            recipients=_followers(comment.experience),
            kind=kind,
            title=title,
            body=comment.body[:500],
            url=comment.get_absolute_url(),
            exclude=comment.author,
        )
    )


@transaction.atomic
def content_moderated(*, kind: str, pk: int, event_id: int) -> int:
    """Tell the author that a moderator hid or restored what they wrote, and why."""
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None or not _once(f"moderated:{event_id}"):
        return 0
    hidden = event.verb.endswith(".hidden")
    if kind == "experience":
        experience = Experience.objects.filter(pk=pk).select_related("author").first()
        if experience is None or experience.author is None:
            return 0
        author, url, params = experience.author, experience.get_absolute_url(), {"title": experience.title}
        title = (
            lazy_message(_("Your experience “%(title)s” was hidden by a moderator"), **params)
            if hidden
            else lazy_message(_("Your experience “%(title)s” is shown again"), **params)
        )
        if hidden:
            url = reverse("experience:mine")
    else:
        comment = Comment.objects.filter(pk=pk).select_related("author", "experience").first()
        if comment is None or comment.author is None:
            return 0
        author, url, params = comment.author, comment.get_absolute_url(), {"title": comment.experience.title}
        title = (
            lazy_message(_("Your comment on “%(title)s” was hidden by a moderator"), **params)
            if hidden
            else lazy_message(_("Your comment on “%(title)s” is shown again"), **params)
        )
        if hidden:
            url = comment.experience.get_absolute_url()
    body = lazy_message(_("Reason: %(reason)s"), reason=event.reason) if event.reason else ""
    return len(
        notify(recipients=[author], kind=kinds.CONTENT_MODERATED.code, title=title, body=body, url=url)
    )


@transaction.atomic
def content_reported(*, report_id: int) -> int:
    """Tell the platform administrators that something waits in the moderation queue."""
    report = (
        Report.objects.filter(pk=report_id, status=Report.Status.OPEN)
        .select_related("experience", "comment__experience")
        .first()
    )
    if report is None or not _once(f"reported:{report.pk}"):
        return 0
    experience = report.experience or report.comment.experience
    what = _("a comment on") if report.comment_id else _("the experience")
    return len(
        notify(
            recipients=platform_admins(),
            kind=kinds.CONTENT_REPORTED.code,
            title=lazy_message(
                _("Reported (%(reason)s): %(what)s “%(title)s”"),
                reason=report.get_reason_display(),
                what=what,
                title=experience.title,
            ),
            body=report.note,
            url=reverse("experience:moderation"),
        )
    )
