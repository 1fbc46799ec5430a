"""Upload helpers for Felleskjøp tests (no tests here)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from verification.demo import demo_pdf


def pdf_upload(name: str = "konkurransegrunnlag.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf("Konkurransegrunnlag", ["Felleskjøp"]), content_type="application/pdf")
