"""factory_boy factories and small builders for Kvalifisering tests."""

from __future__ import annotations

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from verification.demo import demo_pdf
from verification.models import Criterion, CriterionSet


class CriterionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionSet

    version = factory.Sequence(lambda n: f"{n + 1}.0")
    title = "Kvalifiseringskriterier"
    status = CriterionSet.Status.DRAFT


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    criterion_set = factory.SubFactory(CriterionSetFactory)
    code = factory.Sequence(lambda n: f"kriterium-{n}")
    section = "Informasjonssikkerhet"
    order = factory.Sequence(lambda n: n * 10)
    text = factory.Sequence(lambda n: f"Kriterium {n}?")
    answer_type = Criterion.AnswerType.YES_NO


# The standard set used by most tests: two sections, every answer type and rule, evidence with validity.
STANDARD = [
    dict(
        code="dpa",
        section="Personvern",
        order=10,
        text="Signed data-processing agreement template?",
        answer_type="yes_no",
        rule_yes="pass",
        rule_no="fail",
        evidence_required=True,
    ),
    dict(
        code="iso",
        section="Personvern",
        order=20,
        text="ISO 27001 certified?",
        answer_type="yes_no",
        rule_yes="pass",
        rule_no="judgement",
        evidence_required=True,
        evidence_valid_months=12,
    ),
    dict(code="contact", section="Personvern", order=30, text="Named security contact?", answer_type="text"),
    dict(
        code="tax",
        section="Økonomi",
        order=40,
        text="Tax certificate issued on?",
        answer_type="date",
        max_age_months=6,
        evidence_required=True,
        evidence_valid_months=6,
    ),
]


def active_criterion_set(*, version: str = "1.0", criteria: list[dict] | None = None) -> CriterionSet:
    """A criterion set in force, with the standard criteria (or the given ones)."""
    criterion_set = CriterionSetFactory(
        version=version, status=CriterionSet.Status.ACTIVE, activated_at=timezone.now()
    )
    for data in criteria or STANDARD:
        CriterionFactory(criterion_set=criterion_set, **data)
    return criterion_set


def pdf_upload(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf("Evidence", ["Test document"]), content_type="application/pdf")


def svg_upload(name: str = "evidence.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        content_type="image/svg+xml",
    )


def exe_disguised_as_pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf"
    )
