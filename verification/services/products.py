"""Writes of Verifikasjon for products, their declaration versions and documents (VER-1, VER-2).

Every function is one action: it locks what it changes, checks the permission (django-rules), the Vilkår
gate and, where the spec asks, the Kvalifisering gate (`ensure_vendor_qualified`), then writes and audits.
Verification runs are in `runs.py`, the listing review in `listing.py`. A change to a product's details, logo
or service areas calls `hooks.product_changed` (Butikken follows it without this app importing it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.acting import acting_organisation
from marketplace.audit import audit_record
from marketplace.declaration import empty_declaration, validate_declaration
from marketplace.errors import Conflict, IllegalTransition, NotFound
from marketplace.models import Document, Organisation, ServiceArea, User
from marketplace.permissions import ensure_allowed
from marketplace.services.documents import document_delete, document_upload, documents_for
from marketplace.services.notifications import notify, platform_admins
from marketplace.terms import ensure_terms_accepted
from marketplace.workflow import transition

from .. import hooks
from ..safe_http import OutboundRefused, check_url
from ..models import DOCUMENT_KINDS, DOCUMENT_TYPES, LOGO_TYPES, DeclarationVersion, Listing, Product, VerificationRun
from ..notifications import LISTING_SUBMITTED
from .qualification import ensure_vendor_qualified, lazy_message

Status = DeclarationVersion.Status
ENDPOINT_FIELDS = ("fhir_base_url", "oidc_issuer", "app_url")
TEXT_LIMITS = {"name": 120, "short_description": 300, "description": 10000, "price_model": 4000}


# Gates and locks --------------------------------------------------------------------------------------


def _ensure_vendor_may_act(organisation: Organisation | None, *, qualified: bool) -> None:
    """The Vilkår gate always; the Kvalifisering gate for registering, freezing, running and submitting."""
    ensure_terms_accepted(organisation)
    if qualified:
        ensure_vendor_qualified(organisation)


def _lock_product(actor: User, product_id: int, perm: str) -> Product:
    product = Product.objects.select_for_update(of=("self",)).select_related("vendor").filter(pk=product_id).first()
    if product is None or not actor.has_perm("verification.view_product", product):
        raise NotFound(_("Product not found."))
    ensure_allowed(actor, perm, product)
    return product


def lock_version(actor: User | None, version_id: int, perm: str | None = None) -> DeclarationVersion:
    """Lock a version the actor may see (404 alike for missing and forbidden), then check `perm`."""
    version = DeclarationVersion.objects.select_for_update(of=("self",)).select_related(
        "product", "product__vendor"
    ).filter(pk=version_id).first()
    if version is None or (actor is not None and not actor.has_perm("verification.view_declarationversion", version)):
        raise NotFound(_("Declaration not found."))
    if perm is not None:
        ensure_allowed(actor, perm, version)
    return version


def _ensure_draft(version: DeclarationVersion) -> None:
    if not version.is_draft:
        raise IllegalTransition(
            _("Version %(number)s is frozen (%(status)s) and cannot be changed. Start a new version to make changes.")
            % {"number": version.number, "status": version.get_status_display()}
        )


# Field checks -------------------------------------------------------------------------------------------


def validate_endpoint(url: str, field: str) -> str:
    """A sandbox endpoint: a valid http(s) URL whose host is not private, loopback, link-local … (VER-4)."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        check_url(url, tolerate_unresolved=True)
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError({field: _("Enter a valid web address that starts with https://.")}) from exc
    except OutboundRefused as refusal:
        if refusal.code in ("invalid_url", "no_host"):
            raise ValidationError({field: _("Enter a valid web address that starts with https://.")}) from refusal
        raise ValidationError(
            {field: _("This address cannot be used for a sandbox: %(reason)s.") % {"reason": refusal.description}}
        ) from refusal
    return url


def _clean_product_fields(values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    cleaned = {}
    for key, limit in TEXT_LIMITS.items():
        if key in values:
            value = (values[key] or "").strip()
            if len(value) > limit:
                errors.setdefault(key, []).append(_("At most %(max)s characters.") % {"max": limit})
            cleaned[key] = value
    for key in ("name", "short_description"):
        if key in cleaned and not cleaned[key]:
            errors.setdefault(key, []).append(_("This field is required."))
    if "website" in values:
        website = (values["website"] or "").strip()
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                errors.setdefault("website", []).append(_("Enter a valid web address that starts with https://."))
        cleaned["website"] = website
    for key in ENDPOINT_FIELDS:
        if key in values:
            try:
                cleaned[key] = validate_endpoint(values[key], key)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
    return cleaned


def _clean_relations(
    product: Product | None, service_areas: Iterable[ServiceArea] | None, needs: Iterable[Any] | None,
    errors: dict[str, list[str]],
) -> tuple[list[ServiceArea] | None, list[Any] | None]:
    areas = None
    if service_areas is not None:
        areas = [a for a in service_areas if a.is_active]
        if not areas:
            errors.setdefault("service_areas", []).append(_("Choose at least one service area."))
    chosen = None
    if needs is not None:
        from innovation.models import Need

        chosen = list(needs)
        already = set(product.needs.values_list("pk", flat=True)) if product is not None and product.pk else set()
        # A product may point to published needs (and keep needs it pointed to before they were archived).
        refused = [n for n in chosen if n.stage != Need.Stage.PUBLISHED and n.pk not in already]
        if refused:
            errors.setdefault("needs", []).append(
                _("Only published needs can be linked: %(needs)s.") % {"needs": ", ".join(n.title for n in refused)}
            )
    return areas, chosen


def _store_logo(*, actor: User, product: Product, upload: UploadedFile) -> None:
    old = product.logo
    try:
        product.logo = document_upload(
            actor=actor, organisation=product.vendor, owner=product, upload=upload, kind="logo",
            title=_("Logo of %(product)s") % {"product": product.name}, allowed=LOGO_TYPES,
        )
    except ValidationError as exc:
        raise ValidationError({"logo": [m for messages in exc.message_dict.values() for m in messages]}) from exc
    product.save(update_fields=["logo", "updated_at"])
    if old is not None:
        document_delete(actor=actor, document_id=old.pk, owner=product)


# Products (VER-1) ---------------------------------------------------------------------------------------


@transaction.atomic
def product_create(
    *,
    actor: User,
    organisation: Organisation | None,
    name: str,
    short_description: str,
    service_areas: Iterable[ServiceArea],
    description: str = "",
    needs: Iterable[Any] = (),
    price_model: str = "",
    website: str = "",
    fhir_base_url: str = "",
    oidc_issuer: str = "",
    app_url: str = "",
    logo: UploadedFile | None = None,
) -> Product:
    """Register a product of a qualified vendor, with a first draft declaration."""
    organisation = organisation or acting_organisation(actor)
    ensure_allowed(actor, "verification.add_product", message=_("Only vendors can register products."))
    _ensure_vendor_may_act(organisation, qualified=True)
    errors: dict[str, list[str]] = {}
    values = _clean_product_fields(
        {"name": name, "short_description": short_description, "description": description,
         "price_model": price_model, "website": website, "fhir_base_url": fhir_base_url,
         "oidc_issuer": oidc_issuer, "app_url": app_url}, errors,
    )
    areas, chosen_needs = _clean_relations(None, service_areas, needs, errors)
    if values.get("name") and Product.objects.filter(vendor=organisation, name__iexact=values["name"]).exists():
        errors.setdefault("name", []).append(_("%(organisation)s already has a product with this name.")
                                             % {"organisation": organisation})
    if errors:
        raise ValidationError(errors)
    product = Product.objects.create(vendor=organisation, created_by=actor, **values)
    product.service_areas.set(areas)
    product.needs.set(chosen_needs)
    content = empty_declaration()
    content["funksjon"]["service_areas"] = sorted(a.slug for a in areas)
    version = DeclarationVersion.objects.create(product=product, number=1, content=content, created_by=actor)
    audit_record(actor=actor, verb="product.registered", target=product, organisation=organisation,
                 data={"version": version.pk})
    if logo is not None:
        _store_logo(actor=actor, product=product, upload=logo)
    hooks.product_changed(product_id=product.pk, fields=None)
    return product


@transaction.atomic
def product_update(
    *,
    actor: User,
    product_id: int,
    service_areas: Iterable[ServiceArea] | None = None,
    needs: Iterable[Any] | None = None,
    logo: UploadedFile | None = None,
    **fields: Any,
) -> Product:
    """Change a product's details and sandbox endpoints (the declaration has its own versions)."""
    product = _lock_product(actor, product_id, "verification.change_product")
    _ensure_vendor_may_act(product.vendor, qualified=False)
    unknown = set(fields) - set(TEXT_LIMITS) - {"website", *ENDPOINT_FIELDS}
    if unknown:
        raise ValidationError({key: _("Unknown field.") for key in unknown})
    errors: dict[str, list[str]] = {}
    values = _clean_product_fields(fields, errors)
    areas, chosen_needs = _clean_relations(product, service_areas, needs, errors)
    name = values.get("name")
    if name and Product.objects.filter(vendor=product.vendor, name__iexact=name).exclude(pk=product.pk).exists():
        errors.setdefault("name", []).append(_("%(organisation)s already has a product with this name.")
                                             % {"organisation": product.vendor})
    if errors:
        raise ValidationError(errors)
    changed = [key for key, value in values.items() if getattr(product, key) != value]
    for key in changed:
        setattr(product, key, values[key])
    if changed:
        product.save(update_fields=[*changed, "updated_at"])
    saved = list(changed)
    if areas is not None and {a.pk for a in areas} != set(product.service_areas.values_list("pk", flat=True)):
        product.service_areas.set(areas)
        saved.append("service_areas")
    if chosen_needs is not None and {n.pk for n in chosen_needs} != set(product.needs.values_list("pk", flat=True)):
        product.needs.set(chosen_needs)
        saved.append("needs")
    audit_record(actor=actor, verb="product.updated", target=product, organisation=product.vendor,
                 data={"fields": changed, "endpoints": {k: values[k] for k in ENDPOINT_FIELDS if k in changed}})
    if logo is not None:
        _store_logo(actor=actor, product=product, upload=logo)
        saved.append("logo")
    if saved:
        hooks.product_changed(product_id=product.pk, fields=saved)
    return product


# Declaration versions (VER-2) -------------------------------------------------------------------------


def _copy_documents(*, actor: User, source: DeclarationVersion, target: DeclarationVersion) -> int:
    """Copy the documents of a frozen version to a new draft as files of their own (a draft may delete them)."""
    copied = 0
    for document in documents_for(source).order_by("created_at", "id"):
        try:
            with document.file.open("rb") as handle:
                content = handle.read()
        except (OSError, ValueError):
            continue
        document_upload(
            actor=actor, organisation=target.product.vendor, owner=target,
            upload=ContentFile(content, name=document.original_name), kind=document.kind, title=document.title,
            allowed=DOCUMENT_TYPES.get(document.kind),
        )
        copied += 1
    return copied


@transaction.atomic
def version_create(*, actor: User, product_id: int, based_on_id: int | None = None) -> DeclarationVersion:
    """Start a new draft version from the latest (or a chosen) version; a frozen working version it replaces
    is withdrawn. Editing a frozen or listed declaration always goes through here."""
    product = _lock_product(actor, product_id, "verification.change_product")
    _ensure_vendor_may_act(product.vendor, qualified=False)
    versions = DeclarationVersion.objects.select_for_update().filter(product=product)
    draft = versions.filter(status=Status.DRAFT).first()
    if draft is not None:
        raise Conflict(_("Version %(number)s is a draft already: change that one.") % {"number": draft.number})
    base = versions.filter(pk=based_on_id).first() if based_on_id else versions.order_by("-number").first()
    if based_on_id and base is None:
        raise NotFound(_("Declaration not found."))
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    working = versions.filter(status__in=DeclarationVersion.OPEN_STATES).first()
    if working is not None:
        transition(working, to=Status.WITHDRAWN, actor=actor, organisation=product.vendor,
                   reason=_("Replaced by version %(number)s.") % {"number": number})
    version = DeclarationVersion.objects.create(
        product=product, number=number, content=copy.deepcopy(base.content) if base else empty_declaration(),
        based_on=base, created_by=actor,
    )
    if base is not None:
        _copy_documents(actor=actor, source=base, target=version)
    audit_record(actor=actor, verb="declarationversion.created", target=version, organisation=product.vendor,
                 to_state=Status.DRAFT, data={"based_on": base.number if base else None})
    return version


@transaction.atomic
def version_update(*, actor: User, version_id: int, content: dict) -> DeclarationVersion:
    """Save the declaration of a draft; it must be well-formed (completeness is checked by the run)."""
    version = lock_version(actor, version_id, "verification.change_declarationversion")
    _ensure_vendor_may_act(version.product.vendor, qualified=False)
    _ensure_draft(version)
    errors = validate_declaration(content, require_complete=False)
    if errors:
        raise ValidationError(errors)
    version.content = content
    version.save(update_fields=["content", "updated_at"])
    audit_record(actor=actor, verb="declarationversion.updated", target=version, organisation=version.product.vendor)
    return version


@transaction.atomic
def version_document_upload(
    *, actor: User, version_id: int, kind: str, upload: UploadedFile, title: str = ""
) -> Document:
    """Attach a required document (DPIA, ROS, data-processing agreement, user documentation) to a draft;
    it replaces an earlier document of the same kind."""
    version = lock_version(actor, version_id, "verification.change_declarationversion")
    _ensure_vendor_may_act(version.product.vendor, qualified=False)
    _ensure_draft(version)
    kinds = dict(DOCUMENT_KINDS)
    if kind not in kinds:
        raise ValidationError({"kind": _("Choose one of the required document types.")})
    previous = list(documents_for(version).filter(kind=kind))
    document = document_upload(
        actor=actor, organisation=version.product.vendor, owner=version, upload=upload, kind=kind,
        title=(title or str(kinds[kind]))[:200], allowed=DOCUMENT_TYPES[kind],
    )
    for old in previous:
        document_delete(actor=actor, document_id=old.pk, owner=version)
    return document


@transaction.atomic
def version_document_delete(*, actor: User, version_id: int, document_id: int) -> None:
    """Remove a document from a draft."""
    version = lock_version(actor, version_id, "verification.change_declarationversion")
    _ensure_vendor_may_act(version.product.vendor, qualified=False)
    _ensure_draft(version)
    document_delete(actor=actor, document_id=document_id, owner=version)


@transaction.atomic
def version_freeze(*, actor: User, version_id: int, start_run: bool = True) -> DeclarationVersion:
    """Submit a draft for verification: it is frozen for good, and (by default) its first run is queued."""
    version = lock_version(actor, version_id, "verification.change_declarationversion")
    _ensure_vendor_may_act(version.product.vendor, qualified=True)
    if not version.is_draft:
        raise IllegalTransition(_("Version %(number)s is frozen already.") % {"number": version.number})
    errors = validate_declaration(version.content, require_complete=False)
    if errors:
        raise ValidationError(errors)
    version.frozen_at = timezone.now()
    version.frozen_by = actor
    transition(version, to=Status.IN_VERIFICATION, actor=actor, organisation=version.product.vendor,
               update_fields=["frozen_at", "frozen_by"])
    if start_run:
        from .runs import run_create

        run_create(version=version, actor=actor, trigger=VerificationRun.Trigger.MANUAL)
    return version


def latest_finished_run(version: DeclarationVersion) -> VerificationRun | None:
    return (
        VerificationRun.objects.filter(version=version, status__in=VerificationRun.FINISHED_STATES)
        .order_by("-finished_at", "-id")
        .first()
    )


@transaction.atomic
def version_submit(*, actor: User, version_id: int) -> DeclarationVersion:
    """Submit a verified version for listing in the store; platform administrators review it (VER-5)."""
    version = lock_version(actor, version_id, "verification.submit_declarationversion")
    _ensure_vendor_may_act(version.product.vendor, qualified=True)
    if VerificationRun.objects.filter(version=version, status__in=VerificationRun.ACTIVE_STATES).exists():
        raise Conflict(_("A verification run of version %(number)s is in progress. Submit when it has passed.")
                       % {"number": version.number})
    if version.status in (Status.IN_VERIFICATION, Status.VERIFIED, Status.CHANGES_REQUESTED):
        latest = latest_finished_run(version)
        if latest is None or latest.status != VerificationRun.Status.PASSED:
            raise Conflict(
                _("The latest verification run of version %(number)s did not pass every mandatory check. "
                  "Fix what failed, run the verification again, and submit when it passes.")
                % {"number": version.number}
                if latest is not None else
                _("Version %(number)s has not been verified yet. Run the verification first.") % {"number": version.number}
            )
    version.submitted_at = timezone.now()
    version.submitted_by = actor
    transition(version, to=Status.SUBMITTED, actor=actor, organisation=version.product.vendor,
               update_fields=["submitted_at", "submitted_by"])
    product = version.product
    listed = Listing.objects.filter(product=product, status__in=Listing.ACTIVE_STATES).exists()
    notify(
        recipients=platform_admins(),
        kind=LISTING_SUBMITTED.code,
        title=lazy_message(
            gettext_noop("%(vendor)s submitted %(product)s version %(number)s for listing")
            if not listed else gettext_noop("%(vendor)s submitted a new version (%(number)s) of %(product)s"),
            vendor=product.vendor.name, product=product.name, number=version.number,
        ),
        url=reverse("verification:listing_review_detail", args=[version.pk]),
        organisation=product.vendor,
    )
    return version


@transaction.atomic
def version_withdraw(*, actor: User, version_id: int, reason: str = "") -> DeclarationVersion:
    """Withdraw a version that is not listed (a draft, or one in verification or review)."""
    version = lock_version(actor, version_id, "verification.change_declarationversion")
    _ensure_vendor_may_act(version.product.vendor, qualified=False)
    if version.status == Status.LISTED:
        raise IllegalTransition(_("Version %(number)s is listed. Withdraw the listing instead.")
                                % {"number": version.number})
    transition(version, to=Status.WITHDRAWN, actor=actor, organisation=version.product.vendor, reason=reason.strip())
    return version
