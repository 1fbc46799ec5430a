"""Documents (X-5): size-limited uploads whose type is sniffed from the content, not the name."""

from __future__ import annotations

import hashlib
from typing import Any

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..errors import NotFound
from ..models import Document, Organisation, User

# Sniffed extension -> MIME type we store and serve.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
IMAGE_TYPES = ("png", "jpg")
SNIFF_BYTES = 64 * 1024


def sniff_type(upload: Any) -> str | None:
    """The file's real type from its first bytes, as an extension in ALLOWED_TYPES, or None."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.extension if kind is not None and kind.extension in ALLOWED_TYPES else None


def validate_upload(upload: UploadedFile | None, *, allowed: tuple[str, ...] | None = None, field: str = "file") -> str:
    """Check size and sniffed type; returns the extension. Raises a field-level ValidationError."""
    if upload is None:
        raise ValidationError({field: _("Choose a file to upload.")})
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {field: _("The file is too large (%(size)s). The limit is %(limit)s.")
             % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)}}
        )
    if upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    extension = sniff_type(upload)
    permitted = allowed or tuple(ALLOWED_TYPES)
    if extension is None or extension not in permitted:
        names = ", ".join(e.upper().replace("JPG", "JPEG") for e in permitted)
        raise ValidationError(
            {field: _("“%(name)s” is not an allowed file type. Allowed types: %(types)s.") % {"name": upload.name, "types": names}}
        )
    return extension


@transaction.atomic
def document_upload(
    *,
    actor: User,
    organisation: Organisation | None,
    owner: Any,
    upload: UploadedFile,
    kind: str = "",
    title: str = "",
    allowed: tuple[str, ...] | None = None,
) -> Document:
    """Store a file for `owner` under a generated name. The calling service checks the right to attach."""
    extension = validate_upload(upload, allowed=allowed)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = Document(
        original_name=upload.name[:255],
        title=title[:200],
        kind=kind,
        content_type=ALLOWED_TYPES[extension],
        extension=extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        organisation=organisation,
        uploaded_by=actor,
    )
    document.file.save("upload", upload, save=False)
    document.save()
    audit_record(actor=actor, verb="document.uploaded", target=owner, organisation=organisation,
                 data={"document": str(document.uuid), "name": document.original_name, "kind": kind})
    return document


@transaction.atomic
def document_delete(*, actor: User, document_id: int, owner: Any) -> None:
    """Remove a document from its owner; the calling service checks the right to edit the owner."""
    document = Document.objects.select_for_update().filter(
        pk=document_id, owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).first()
    if document is None:
        raise NotFound(_("Document not found."))
    audit_record(actor=actor, verb="document.deleted", target=owner,
                 data={"document": str(document.uuid), "name": document.original_name})
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def documents_for(owner: Any):
    return Document.objects.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
