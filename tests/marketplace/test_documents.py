"""X-5: documents — size limit, type sniffed from the content, generated names, permission-checked download.

The owner in these tests is a Membership: `marketplace.view_membership` lets people acting for the same
organisation (and platform administrators) see it, so its documents are private to that organisation.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from marketplace.errors import NotFound
from marketplace.models import AuditEvent, Document, Role
from marketplace.services.documents import document_delete, document_upload, documents_for, validate_upload

from ..conftest import login, make_member
from .helpers import nb

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Minimal real files -------------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            b"\xff\xdb\x00C\x00" + bytes(range(1, 65)) + b"\xff\xd9")


def zipped(files: list[tuple[str, str]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(files):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compress)
    return buffer.getvalue()


CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes() -> bytes:
    return zipped([("[Content_Types].xml", CONTENT_TYPES),
                   ("word/document.xml", "<w:document><w:body><w:p>Behovsbeskrivelse</w:p></w:body></w:document>")])


def xlsx_bytes() -> bytes:
    return zipped([("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", "<workbook/>")])


def odt_bytes() -> bytes:
    return zipped([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>")],
                  stored_first=True)


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def pe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"PE\x00\x00" + b"\x00" * 200


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def owner(municipal_member):
    """A private object of Ringsaker kommune."""
    return municipal_member.acting_membership


# Upload ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("rapport.pdf", pdf_bytes(), "pdf", "application/pdf"),
        ("skjerm.png", png_bytes(), "png", "image/png"),
        ("foto.jpeg", jpeg_bytes(), "jpg", "image/jpeg"),
        ("notat.docx", docx_bytes(), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("tall.xlsx", xlsx_bytes(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("tekst.odt", odt_bytes(), "odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_types_are_stored_with_the_sniffed_type_X_5(municipal_admin, municipality, owner, name, content,
                                                            extension, content_type):
    document = document_upload(actor=municipal_admin, organisation=municipality, owner=owner, upload=upload(name, content),
                               kind="attachment", title="Vedlegg")
    document.refresh_from_db()
    assert (document.extension, document.content_type) == (extension, content_type)
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == name
    assert (document.owner, document.organisation, document.uploaded_by) == (owner, municipality, municipal_admin)
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert AuditEvent.objects.filter(verb="document.uploaded", data__document=str(document.uuid)).exists()


def test_type_comes_from_the_content_not_the_name_X_5(municipal_admin, municipality, owner):
    document = document_upload(actor=municipal_admin, organisation=municipality, owner=owner,
                               upload=upload("bilde.png", pdf_bytes()))
    assert (document.extension, document.content_type) == ("pdf", "application/pdf")
    assert document.file.name.endswith(".pdf")


def test_stored_under_a_generated_name_X_5(municipal_admin, municipality, owner):
    first = document_upload(actor=municipal_admin, organisation=municipality, owner=owner,
                            upload=upload("../../etc/Hemmelig rapport.pdf", pdf_bytes()))
    second = document_upload(actor=municipal_admin, organisation=municipality, owner=owner,
                             upload=upload("../../etc/Hemmelig rapport.pdf", pdf_bytes()))
    for document in (first, second):
        assert document.file.name.startswith("documents/")
        assert "Hemmelig" not in document.file.name
        assert ".." not in document.file.name
        assert default_storage.exists(document.file.name)
    assert first.file.name != second.file.name
    assert first.original_name == "Hemmelig rapport.pdf"  # the directory part never survives


def assert_refused(actor, organisation, owner, file, message: str | None = None):
    with pytest.raises(ValidationError) as exc:
        document_upload(actor=actor, organisation=organisation, owner=owner, upload=file)
    assert list(exc.value.message_dict) == ["file"]
    if message is not None:
        assert exc.value.message_dict["file"] == [message]
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(verb="document.uploaded").exists()
    return exc.value.message_dict["file"][0]


def test_too_large_is_refused_X_5(settings, municipal_admin, municipality, owner):
    settings.DOCUMENT_MAX_BYTES = 100
    content = pdf_bytes() + b"%" * 100
    message = assert_refused(municipal_admin, municipality, owner, upload("stor.pdf", content))
    assert "100" in message  # the limit is named


def test_exactly_at_the_limit_is_accepted_X_5(settings, municipal_admin, municipality, owner):
    content = pdf_bytes()
    settings.DOCUMENT_MAX_BYTES = len(content)
    document_upload(actor=municipal_admin, organisation=municipality, owner=owner, upload=upload("akkurat.pdf", content))
    assert Document.objects.count() == 1


@pytest.mark.parametrize(("name", "content"), [("rapport.pdf", elf_bytes()), ("rapport.pdf", pe_bytes()),
                                               ("program.exe", pe_bytes())])
def test_executable_renamed_pdf_is_refused_X_5(municipal_admin, municipality, owner, name, content):
    message = assert_refused(municipal_admin, municipality, owner, upload(name, content))
    assert name in message
    assert "PDF" in message  # the allowed types are listed


@pytest.mark.parametrize("name", ["tegning.svg", "tegning.png"])
def test_svg_is_refused_X_5(municipal_admin, municipality, owner, name):
    assert_refused(municipal_admin, municipality, owner, upload(name, SVG))


@pytest.mark.parametrize("content", [b"just some text", zipped([("readme.txt", "hei")])])
def test_unknown_types_and_plain_zip_are_refused_X_5(municipal_admin, municipality, owner, content):
    assert_refused(municipal_admin, municipality, owner, upload("fil.docx", content))


def test_empty_file_is_refused_X_5(municipal_admin, municipality, owner):
    assert_refused(municipal_admin, municipality, owner, upload("tom.pdf", b""), nb("The file is empty."))


def test_missing_file_is_a_field_error_X_5():
    with pytest.raises(ValidationError) as exc:
        validate_upload(None, field="attachment")
    assert exc.value.message_dict == {"attachment": [nb("Choose a file to upload.")]}


def test_a_narrower_allow_list_is_respected_X_5(municipal_admin, municipality, owner):
    with pytest.raises(ValidationError) as exc:
        document_upload(actor=municipal_admin, organisation=municipality, owner=owner, upload=upload("logo.pdf", pdf_bytes()),
                        allowed=("png", "jpg"))
    assert "PNG, JPEG" in exc.value.message_dict["file"][0]
    assert not Document.objects.exists()
    assert validate_upload(upload("logo.png", png_bytes()), allowed=("png", "jpg")) == "png"


def test_documents_for_lists_only_the_owners_documents_X_5(municipal_admin, municipality, owner):
    other_owner = municipal_admin.acting_membership
    mine = document_upload(actor=municipal_admin, organisation=municipality, owner=owner, upload=upload("a.pdf", pdf_bytes()))
    document_upload(actor=municipal_admin, organisation=municipality, owner=other_owner, upload=upload("b.pdf", pdf_bytes()))
    assert list(documents_for(owner)) == [mine]


def test_delete_removes_the_row_and_then_the_file_X_5(municipal_admin, municipality, owner,
                                                      django_capture_on_commit_callbacks):
    document = document_upload(actor=municipal_admin, organisation=municipality, owner=owner,
                               upload=upload("a.pdf", pdf_bytes()))
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(actor=municipal_admin, document_id=document.pk, owner=owner)
    assert not Document.objects.exists()
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(verb="document.deleted").exists()


def test_deleting_through_another_owner_is_not_found_X_5(municipal_admin, municipality, owner):
    document = document_upload(actor=municipal_admin, organisation=municipality, owner=owner,
                               upload=upload("a.pdf", pdf_bytes()))
    with pytest.raises(NotFound):
        document_delete(actor=municipal_admin, document_id=document.pk, owner=municipal_admin.acting_membership)
    assert Document.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(document.file.name)


# Download ----------------------------------------------------------------------------------------------


@pytest.fixture
def document(municipal_admin, municipality, owner):
    return document_upload(actor=municipal_admin, organisation=municipality, owner=owner,
                           upload=upload("Møtereferat mai.pdf", pdf_bytes()))


def test_member_of_the_owning_organisation_downloads_X_5(document, municipality):
    colleague = make_member(municipality, Role.MEMBER)
    response = login(colleague).get(reverse("marketplace:document_download", args=[document.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_platform_admin_downloads_X_5(document, platform_admin):
    response = login(platform_admin).get(document.get_absolute_url())
    assert response.status_code == 200
    response.close()


def test_anonymous_visitor_gets_404_X_5(document):
    assert Client().get(document.get_absolute_url()).status_code == 404


def test_other_organisation_gets_404_X_5(document, other_municipality):
    outsider = make_member(other_municipality, Role.ADMIN)
    assert login(outsider).get(document.get_absolute_url()).status_code == 404


def test_member_acting_for_another_organisation_gets_404_X_5(document, municipal_member, other_municipality):
    from ..factories import MembershipFactory

    MembershipFactory(user=municipal_member, organisation=other_municipality)
    assert login(municipal_member, other_municipality).get(document.get_absolute_url()).status_code == 404
    response = login(municipal_member, municipal_member.acting_organisation).get(document.get_absolute_url())
    assert response.status_code == 200
    response.close()


def test_unknown_document_and_deleted_owner_give_404_X_5(document, municipal_admin, owner):
    import uuid

    client = login(municipal_admin)
    assert client.get(reverse("marketplace:document_download", args=[uuid.uuid4()])).status_code == 404
    owner.delete()
    assert client.get(document.get_absolute_url()).status_code == 404


def test_documents_are_never_served_from_media_url_X_5(document, municipal_admin):
    assert login(municipal_admin).get(f"/media/{document.file.name}").status_code == 404
