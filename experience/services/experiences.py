"""Writing experiences (EXP-1): drafts, publishing, edits that keep every published version, attachments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innovation.models import Need
from marketplace.audit import audit_record
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import Document, Organisation, ServiceArea, User
from marketplace.permissions import ensure_allowed
from marketplace.services.documents import document_delete, document_upload, documents_for
from marketplace.terms import ensure_terms_accepted
from marketplace.workflow import transition
from store.models import Procurement
from verification.models import Listing, Product

from .. import search
from ..models import (
    NEED_TOPICS,
    PROCUREMENT_TOPICS,
    PRODUCT_TOPICS,
    Experience,
    ExperienceVersion,
    Follow,
    Topic,
)
from .common import acting, lock_experience, recount_product_experiences

MAX_TEXT = 10_000
TEXT_FIELDS = ("what_worked", "what_did_not", "advice", "effort", "timeline")
# What must be written before an experience is published; effort and timeline are welcome but optional.
REQUIRED_TO_PUBLISH = ("title", "what_worked", "what_did_not", "advice")
MAX_ATTACHMENTS = 10


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return None


def _resolve_subject(
    *, organisation: Organisation, topic: str, product_id: Any, need_id: Any, procurement_id: Any
) -> dict[str, Any]:
    """Check what the experience is about, and that everybody may read it: experiences are public."""
    errors: dict[str, str] = {}
    subject: dict[str, Any] = {"product": None, "need": None, "procurement": None}
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Choose what the experience is about.")})
    if topic in PRODUCT_TOPICS:
        pk = _int_or_none(product_id)
        product = Product.objects.filter(pk=pk).select_related("vendor").first() if pk else None
        if product is None or not Listing.objects.filter(product=product).exists():
            errors["product"] = _("Choose a product from Butikken.")
        elif organisation.is_vendor:
            errors["topic"] = _(
                "Vendors do not write experiences about products. The vendor of a product replies to "
                "experiences about it instead."
            )
        else:
            subject["product"] = product
    elif topic in NEED_TOPICS:
        pk = _int_or_none(need_id)
        need = Need.objects.filter(pk=pk).first() if pk else None
        if need is None or not need.is_public:
            errors["need"] = _("Choose a published need from Innovasjonsarena.")
        else:
            subject["need"] = need
    elif topic in PROCUREMENT_TOPICS:
        pk = _int_or_none(procurement_id)
        procurement = Procurement.objects.filter(pk=pk).first() if pk else None
        if procurement is None or not procurement.is_public:
            errors["procurement"] = _("Choose an announced joint procurement from Felleskjøp.")
        else:
            subject["procurement"] = procurement
    if errors:
        raise ValidationError(errors)
    return subject


def _clean_content(*, title: str, service_area_id: Any, texts: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {"title": (title or "").strip()}
    if not cleaned["title"]:
        errors["title"] = _("Give the experience a title.")
    elif len(cleaned["title"]) > 200:
        errors["title"] = _("The title can be at most 200 characters.")
    for name in TEXT_FIELDS:
        value = (texts.get(name) or "").strip()
        if len(value) > MAX_TEXT:
            errors[name] = _("This text can be at most %(max)s characters.") % {
                "max": f"{MAX_TEXT:,}".replace(",", " ")
            }
        cleaned[name] = value
    area = None
    pk = _int_or_none(service_area_id)
    if service_area_id not in (None, ""):
        area = ServiceArea.objects.filter(pk=pk, is_active=True).first() if pk else None
        if area is None:
            errors["service_area"] = _("Choose a service area from the list.")
    cleaned["service_area"] = area
    if errors:
        raise ValidationError(errors)
    return cleaned


def publish_blockers(experience: Experience) -> dict[str, str]:
    """What must be filled in before the experience can be published, by field."""
    missing: dict[str, str] = {}
    messages = {
        "title": _("Give the experience a title."),
        "what_worked": _("Write what worked."),
        "what_did_not": _("Write what did not work, or what was hard."),
        "advice": _("Give others your advice."),
    }
    for name in REQUIRED_TO_PUBLISH:
        if not (getattr(experience, name) or "").strip():
            missing[name] = messages[name]
    if experience.service_area_id is None:
        missing["service_area"] = _("Choose the service area the experience comes from.")
    return missing


def _snapshot(experience: Experience, *, actor: User, change_note: str = "") -> ExperienceVersion:
    experience.version += 1
    return ExperienceVersion.objects.create(
        experience=experience,
        number=experience.version,
        service_area_id=experience.service_area_id,
        change_note=change_note[:300],
        edited_by=actor,
        **{name: getattr(experience, name) for name in ExperienceVersion.CONTENT_FIELDS},
    )


@transaction.atomic
def experience_create(
    *,
    actor: User,
    topic: str,
    title: str,
    product_id: Any = None,
    need_id: Any = None,
    procurement_id: Any = None,
    service_area_id: Any = None,
    what_worked: str = "",
    what_did_not: str = "",
    advice: str = "",
    effort: str = "",
    timeline: str = "",
) -> Experience:
    """Start an experience as a draft for the acting organisation; only its writers see it until published."""
    ensure_allowed(actor, "experience.add_experience")
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    subject = _resolve_subject(
        organisation=organisation,
        topic=topic,
        product_id=product_id,
        need_id=need_id,
        procurement_id=procurement_id,
    )
    content = _clean_content(
        title=title,
        service_area_id=service_area_id,
        texts={
            "what_worked": what_worked,
            "what_did_not": what_did_not,
            "advice": advice,
            "effort": effort,
            "timeline": timeline,
        },
    )
    if content["service_area"] is None and subject["product"] is not None:
        # A sensible default: the product's first service area; the writer may change it.
        content["service_area"] = subject["product"].service_areas.order_by("order", "name").first()
    experience = Experience.objects.create(
        topic=topic,
        organisation=organisation,
        author=actor,
        **subject,
        **content,
    )
    audit_record(
        actor=actor,
        verb="experience.created",
        target=experience,
        organisation=organisation,
        to_state=Experience.Status.DRAFT,
    )
    return experience


@transaction.atomic
def experience_update(
    *,
    actor: User,
    experience_id: int,
    topic: str | None = None,
    title: str,
    product_id: Any = None,
    need_id: Any = None,
    procurement_id: Any = None,
    service_area_id: Any = None,
    what_worked: str = "",
    what_did_not: str = "",
    advice: str = "",
    effort: str = "",
    timeline: str = "",
    change_note: str = "",
) -> Experience:
    """Change an experience (its writers). A published experience keeps every earlier version (EXP-1)."""
    experience = lock_experience(actor, experience_id)
    ensure_allowed(
        actor,
        "experience.change_experience",
        experience,
        message=_("Only the author or an organisation admin of %(organisation)s can change this experience.")
        % {"organisation": experience.organisation.name},
    )
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    topic = topic or experience.topic
    content = _clean_content(
        title=title,
        service_area_id=service_area_id,
        texts={
            "what_worked": what_worked,
            "what_did_not": what_did_not,
            "advice": advice,
            "effort": effort,
            "timeline": timeline,
        },
    )
    fields = ["updated_at", *content]
    if experience.is_draft:
        subject = _resolve_subject(
            organisation=organisation,
            topic=topic,
            product_id=product_id,
            need_id=need_id,
            procurement_id=procurement_id,
        )
        experience.topic = topic
        for name, value in subject.items():
            setattr(experience, name, value)
        fields += ["topic", *subject]
    else:
        wanted = {
            "product": _int_or_none(product_id) if topic in PRODUCT_TOPICS else None,
            "need": _int_or_none(need_id) if topic in NEED_TOPICS else None,
            "procurement": _int_or_none(procurement_id) if topic in PROCUREMENT_TOPICS else None,
        }
        current = {
            "product": experience.product_id,
            "need": experience.need_id,
            "procurement": experience.procurement_id,
        }
        changed = topic != experience.topic or any(
            wanted[name] is not None and wanted[name] != current[name] for name in wanted
        )
        if changed:
            raise ValidationError(
                {
                    "topic": _(
                        "What a published experience is about cannot change. Write a new experience instead."
                    )
                }
            )
        if content["service_area"] is None:
            raise ValidationError({"service_area": _("Choose the service area the experience comes from.")})
        missing = {
            name: _("This cannot be empty in a published experience.")
            for name in REQUIRED_TO_PUBLISH
            if not content[name]
        }
        if missing:
            raise ValidationError(missing)
    unchanged = all(getattr(experience, name) == value for name, value in content.items())
    for name, value in content.items():
        setattr(experience, name, value)
    if experience.is_published and not unchanged:
        _snapshot(experience, actor=actor, change_note=(change_note or "").strip())
        fields.append("version")
    experience.save(update_fields=sorted(set(fields)))
    if not unchanged or experience.is_draft:
        audit_record(
            actor=actor,
            verb="experience.updated",
            target=experience,
            organisation=organisation,
            reason=(change_note or "").strip(),
            data={"version": experience.version},
        )
    if experience.is_published and not unchanged:
        search.refresh_search_vector(experience)
        from ..tasks import notify_experience_updated_task

        version = experience.version
        transaction.on_commit(lambda: notify_experience_updated_task.delay(experience.pk, version))
    return experience


@transaction.atomic
def experience_publish(*, actor: User, experience_id: int) -> Experience:
    """Publish a draft: everybody can read it from now on, and those who use the product are told."""
    experience = lock_experience(actor, experience_id)
    ensure_allowed(
        actor,
        "experience.change_experience",
        experience,
        message=_("Only the author or an organisation admin of %(organisation)s can publish this experience.")
        % {"organisation": experience.organisation.name},
    )
    if not experience.is_draft:
        raise IllegalTransition(_("The experience is published already."))
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    if experience.topic in PRODUCT_TOPICS and organisation.is_vendor:
        raise PermissionRefused(_("Vendors do not write experiences about products."))
    missing = publish_blockers(experience)
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    experience.published_at = now
    experience.inhabitants = experience.organisation.inhabitants
    _snapshot(experience, actor=actor)
    transition(
        experience,
        to=Experience.Status.PUBLISHED,
        actor=actor,
        organisation=organisation,
        verb="experience.published",
        update_fields=["published_at", "inhabitants", "version"],
    )
    Follow.objects.get_or_create(experience=experience, user=actor)
    search.refresh_search_vector(experience)
    recount_product_experiences(experience)
    from ..tasks import notify_experience_published_task

    transaction.on_commit(lambda: notify_experience_published_task.delay(experience.pk))
    return experience


@transaction.atomic
def experience_delete(*, actor: User, experience_id: int) -> None:
    """Delete a draft (its writers). A published experience is never deleted; moderators hide it."""
    experience = lock_experience(actor, experience_id)
    if not experience.is_draft:
        raise Conflict(_("Only drafts can be deleted. A published experience stays, with its history."))
    ensure_allowed(actor, "experience.delete_experience", experience)
    for document in documents_for(experience):
        document_delete(actor=actor, document_id=document.pk, owner=experience)
    audit_record(
        actor=actor,
        verb="experience.deleted",
        target=experience,
        organisation=experience.organisation,
        from_state=experience.status,
    )
    experience.delete()


@transaction.atomic
def experience_document_add(
    *, actor: User, experience_id: int, upload: UploadedFile, title: str = ""
) -> Document:
    """Attach a document (a report, a plan, a routine) to an experience (its writers)."""
    experience = lock_experience(actor, experience_id)
    ensure_allowed(
        actor,
        "experience.change_experience",
        experience,
        message=_("Only the author or an organisation admin of %(organisation)s can change this experience.")
        % {"organisation": experience.organisation.name},
    )
    organisation = acting(actor)
    ensure_terms_accepted(organisation)
    if documents_for(experience).count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"file": _("An experience can have at most %(max)s attachments.") % {"max": MAX_ATTACHMENTS}}
        )
    document = document_upload(
        actor=actor,
        organisation=organisation,
        owner=experience,
        upload=upload,
        title=(title or "").strip(),
        kind="attachment",
    )
    experience.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def experience_document_remove(*, actor: User, experience_id: int, document_id: int) -> None:
    """Remove an attachment (its writers)."""
    experience = lock_experience(actor, experience_id)
    ensure_allowed(
        actor,
        "experience.change_experience",
        experience,
        message=_("Only the author or an organisation admin of %(organisation)s can change this experience.")
        % {"organisation": experience.organisation.name},
    )
    try:
        document_delete(actor=actor, document_id=int(document_id), owner=experience)
    except (TypeError, ValueError):
        raise NotFound(_("Document not found.")) from None
    experience.save(update_fields=["updated_at"])
