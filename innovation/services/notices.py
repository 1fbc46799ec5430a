"""Who is told what in Innovasjonsarena (X-3). Called by the tasks after commit; each event is told once."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from marketplace.models import AuditEvent, Membership, Role, User
from marketplace.services.notifications import notify

from .. import notifications as kinds
from ..models import Collaboration, Comment, Follow, InterestedVendor, Need, Notice, Stage


def _interpolate(message, params: dict) -> str:
    return str(message) % {k: str(v) for k, v in params.items()}


# Rendered when each recipient's notification is written, in that person's language.
lazy_format = lazy(_interpolate, str)


def _once(key: str) -> bool:
    """True the first time `key` is seen; a task delivered twice tells people once."""
    try:
        with transaction.atomic():
            Notice.objects.create(key=key[:100])
    except IntegrityError:
        return False
    return True


def _followers(need: Need) -> list[User]:
    return [f.user for f in Follow.objects.filter(need=need).select_related("user")]


def _owner_people(need: Need) -> list[User]:
    """Those who answer for the owner organisation: its admins and its members who follow the need."""
    following = Follow.objects.filter(need=need).values("user_id")
    return [
        m.user
        for m in Membership.objects.filter(organisation_id=need.owner_id)
        .filter(Q(role=Role.ADMIN) | Q(user_id__in=following))
        .select_related("user")
    ]


def _org_admins(organisation_id: int) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organisation_id=organisation_id, role=Role.ADMIN).select_related(
            "user"
        )
    ]


def _vendor_people(need: Need) -> list[User]:
    """Who registered each vendor's interest, and the vendors' admins."""
    people: list[User] = []
    interests = list(InterestedVendor.objects.filter(need=need).select_related("registered_by"))
    vendor_ids = [i.organisation_id for i in interests]
    people += [i.registered_by for i in interests if i.registered_by]
    people += [
        m.user
        for m in Membership.objects.filter(organisation_id__in=vendor_ids, role=Role.ADMIN).select_related(
            "user"
        )
    ]
    return people


@transaction.atomic
def stage_changed(*, need_id: int, event_id: int) -> int:
    """Tell followers and interested vendors that a need changed stage (INN-3, INN-6, INN-10)."""
    if not _once(f"stage:{event_id}"):
        return 0
    need = Need.objects.filter(pk=need_id).select_related("owner").first()
    event = AuditEvent.objects.filter(pk=event_id).select_related("actor").first()
    if need is None or event is None:
        return 0
    labels = dict(Stage.choices)
    params = {"need": need.title, "stage": labels.get(event.to_state, event.to_state)}
    sent = notify(
        recipients=_followers(need) + _vendor_people(need),
        kind=kinds.STAGE_CHANGED.code,
        title=lazy_format(_("“%(need)s” is now at the stage %(stage)s"), params),
        body=event.reason,
        url=need.get_absolute_url(),
        organisation=need.owner,
        exclude=event.actor,
    )
    return len(sent)


@transaction.atomic
def need_retired(*, need_id: int, event_id: int) -> int:
    """Tell followers, core-team organisations and interested vendors where the work carries on."""
    if not _once(f"retired:{event_id}"):
        return 0
    need = Need.objects.filter(pk=need_id).select_related("owner", "replaced_by").first()
    event = AuditEvent.objects.filter(pk=event_id).select_related("actor").first()
    if need is None or event is None or need.replaced_by is None:
        return 0
    team_ids = list(
        Collaboration.objects.filter(need=need, status=Collaboration.Status.ACCEPTED).values_list(
            "organisation_id", flat=True
        )
    )
    team_admins = [
        m.user
        for m in Membership.objects.filter(organisation_id__in=team_ids, role=Role.ADMIN).select_related(
            "user"
        )
    ]
    params = {"need": need.title, "other": need.replaced_by.title}
    sent = notify(
        recipients=_followers(need.replaced_by) + team_admins + _vendor_people(need),
        kind=kinds.NEED_RETIRED.code,
        title=lazy_format(_("“%(need)s” is retired in favour of “%(other)s”"), params),
        body=lazy_format(
            _(
                "%(reason)s\n\nYou now follow “%(other)s”. Core-team organisations are proposed to its "
                "owner, who accepts or declines."
            ),
            {"reason": event.reason, "other": need.replaced_by.title},
        ),
        url=need.replaced_by.get_absolute_url(),
        organisation=need.owner,
        exclude=event.actor,
    )
    return len(sent)


@transaction.atomic
def need_updated(*, need_id: int, actor_id: int | None, marker: str) -> int:
    """Tell followers that the description of a need changed."""
    if not _once(f"updated:{need_id}:{marker}"):
        return 0
    need = Need.objects.filter(pk=need_id).select_related("owner").first()
    if need is None:
        return 0
    sent = notify(
        recipients=_followers(need),
        kind=kinds.NEED_UPDATED.code,
        title=lazy_format(_("“%(need)s” has been updated"), {"need": need.title}),
        url=need.get_absolute_url(),
        organisation=need.owner,
        exclude=User.objects.filter(pk=actor_id).first() if actor_id else None,
    )
    return len(sent)


@transaction.atomic
def collaboration_requested(*, collaboration_id: int) -> int:
    """Tell the owner organisation that someone asks to join the core team (INN-4)."""
    if not _once(f"collab-requested:{collaboration_id}"):
        return 0
    collaboration = (
        Collaboration.objects.filter(pk=collaboration_id)
        .select_related("need", "need__owner", "organisation", "requested_by")
        .first()
    )
    if collaboration is None or collaboration.status != Collaboration.Status.PENDING:
        return 0
    need = collaboration.need
    params = {"organisation": collaboration.organisation.name, "need": need.title, "owner": need.owner.name}
    if collaboration.is_invitation:
        recipients = _org_admins(collaboration.organisation_id)
        title = lazy_format(_("%(owner)s invites %(organisation)s to the core team of “%(need)s”"), params)
    else:
        recipients = _owner_people(need)
        title = lazy_format(_("%(organisation)s asks to join the core team of “%(need)s”"), params)
    sent = notify(
        recipients=recipients,
        kind=kinds.COLLABORATION_REQUESTED.code,
        title=title,
        body=collaboration.message,
        url=reverse("innovation:need_collaboration", args=[need.pk]),
        organisation=need.owner,
        exclude=collaboration.requested_by,
    )
    return len(sent)


@transaction.atomic
def collaboration_decided(*, collaboration_id: int) -> int:
    """Tell the asking organisation the owner's answer, or the other side that a collaboration ended."""
    collaboration = (
        Collaboration.objects.filter(pk=collaboration_id)
        .select_related("need", "need__owner", "organisation", "requested_by", "decided_by")
        .first()
    )
    if collaboration is None or not _once(f"collab-{collaboration.status}:{collaboration_id}"):
        return 0
    need = collaboration.need
    params = {"organisation": collaboration.organisation.name, "need": need.title}
    url = need.get_absolute_url()
    # The side that asked is told the answer.
    asker = (
        [collaboration.requested_by] + _owner_people(need)
        if collaboration.is_invitation
        else [collaboration.requested_by] + _org_admins(collaboration.organisation_id)
    )
    if collaboration.status == Collaboration.Status.ACCEPTED:
        recipients = asker
        title = lazy_format(_("%(organisation)s is now in the core team of “%(need)s”"), params)
        exclude = collaboration.decided_by
    elif collaboration.status == Collaboration.Status.DECLINED:
        recipients = asker
        title = (
            lazy_format(_("%(organisation)s declined the invitation to the core team of “%(need)s”"), params)
            if collaboration.is_invitation
            else lazy_format(
                _("The request of %(organisation)s to collaborate on “%(need)s” was declined"), params
            )
        )
        exclude = collaboration.decided_by
    elif collaboration.status == Collaboration.Status.ENDED:
        recipients = (
            _org_admins(collaboration.organisation_id) + [collaboration.requested_by] + _owner_people(need)
        )
        title = lazy_format(_("%(organisation)s is no longer in the core team of “%(need)s”"), params)
        last = (
            AuditEvent.objects.filter(target_id=str(collaboration.pk), verb="collaboration.ended")
            .order_by("-id")
            .first()
        )
        exclude = last.actor if last else None
    else:
        return 0
    sent = notify(
        recipients=recipients,
        kind=kinds.COLLABORATION_DECIDED.code,
        title=title,
        body=collaboration.decision_reason,
        url=url,
        organisation=need.owner,
        exclude=exclude,
    )
    return len(sent)


@transaction.atomic
def comment_added(*, comment_id: int) -> int:
    """Tell the followers of a need about a new comment (INN-10)."""
    if not _once(f"comment:{comment_id}"):
        return 0
    comment = (
        Comment.objects.filter(pk=comment_id)
        .select_related("need", "need__owner", "author", "organisation")
        .first()
    )
    if comment is None:
        return 0
    need = comment.need
    who = comment.author.get_full_name() or comment.author.email if comment.author else ""
    sent = notify(
        recipients=_followers(need),
        kind=kinds.COMMENT_ADDED.code,
        title=lazy_format(_("%(person)s commented on “%(need)s”"), {"person": who, "need": need.title}),
        body=comment.body[:500],
        url=f"{need.get_absolute_url()}#comment-{comment.pk}",
        organisation=need.owner,
        exclude=comment.author,
    )
    return len(sent)


@transaction.atomic
def vendor_interest(*, interest_id: int) -> int:
    """Tell the owner organisation that a vendor is interested in its need (INN-6)."""
    if not _once(f"interest:{interest_id}"):
        return 0
    interest = (
        InterestedVendor.objects.filter(pk=interest_id)
        .select_related("need", "need__owner", "organisation")
        .first()
    )
    if interest is None:
        return 0
    need = interest.need
    sent = notify(
        recipients=_owner_people(need),
        kind=kinds.VENDOR_INTEREST.code,
        title=lazy_format(
            _("%(vendor)s is interested in “%(need)s”"),
            {"vendor": interest.organisation.name, "need": need.title},
        ),
        body=interest.note,
        url=reverse("innovation:need_collaboration", args=[need.pk]),
        organisation=need.owner,
        exclude=interest.registered_by,
    )
    return len(sent)
