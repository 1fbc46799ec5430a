"""Reads of Kvalifisering for screens and API, scoped to what the actor may see, with fixed query counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.compiled import as_instance
from marketplace.errors import NotFound
from marketplace.models import AuditEvent, Document, Organisation
from marketplace.selectors import history_for

from ..models import (
    Assessment,
    Criterion,
    CriterionSet,
    Outcome,
    Qualification,
    QualificationAnswer,
    QualificationApplication,
    ReviewComment,
)

# Review queue filters (QUA-3): "open" is everything waiting for a reviewer.
QUEUE_OPEN = "open"
QUEUE_ALL = "all"


# Criteria (QUA-1) ------------------------------------------------------------------------------


def criterion_set_active() -> CriterionSet | None:
    """The version in force, with its criteria."""
    return (
        CriterionSet.objects.filter(status=CriterionSet.Status.ACTIVE)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")))
        .first()
    )


def criterion_set_list(*, include_drafts: bool = False) -> QuerySet[CriterionSet]:
    qs = CriterionSet.objects.annotate(
        criterion_count=Count("criteria", distinct=True),
        application_count=Count("applications", distinct=True),
    )
    if not include_drafts:
        qs = qs.exclude(status=CriterionSet.Status.DRAFT)
    return qs.order_by("-created_at", "-id")


def criterion_set_get(*, actor: Any, pk: int) -> CriterionSet:
    """One version with its criteria; drafts only for those who maintain criteria (404 otherwise)."""
    criterion_set = (
        CriterionSet.objects.filter(pk=pk)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")))
        .first()
    )
    if criterion_set is None or not actor.has_perm("verification.view_criterionset", criterion_set):
        raise NotFound(_("Criterion set not found."))
    return criterion_set


def criteria_list(*, criterion_set: CriterionSet | None = None) -> QuerySet[Criterion]:
    """Criteria of a version (the active one by default); public unless the version is a draft."""
    qs = Criterion.objects.select_related("criterion_set").order_by("criterion_set_id", "order", "id")
    if criterion_set is None:
        return qs.filter(criterion_set__status=CriterionSet.Status.ACTIVE)
    return qs.filter(criterion_set=criterion_set)


@dataclass
class Section:
    """One page of the application: the company details (number 1) or the criteria of one section."""

    number: int
    title: str
    criteria: list[Criterion] = field(default_factory=list)


def sections_for(criteria: Iterable[Criterion]) -> list[Section]:
    """Criteria grouped by section, in the order their first criterion appears; numbered from 2."""
    sections: dict[str, Section] = {}
    for criterion in sorted(criteria, key=lambda c: (c.order, c.pk)):
        if criterion.section not in sections:
            sections[criterion.section] = Section(number=len(sections) + 2, title=criterion.section)
        sections[criterion.section].criteria.append(criterion)
    return list(sections.values())


# Applications (QUA-2, QUA-3) ----------------------------------------------------------------------


def application_get(*, actor: Any, pk: int) -> QualificationApplication:
    """An application the actor may see; missing and forbidden are the same 404."""
    application = (
        QualificationApplication.objects.select_related(
            "organisation", "criterion_set", "reviewer", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )
    if application is None or not actor.has_perm("verification.view_qualificationapplication", application):
        raise NotFound(_("Application not found."))
    return application


def applications_visible_to(*, actor: Any) -> QuerySet[QualificationApplication]:
    """Platform administrators see every application; others only their own organisation's."""
    qs = QualificationApplication.objects.select_related("organisation", "criterion_set", "reviewer")
    if actor.has_perm("verification.review_qualificationapplication"):
        return qs
    organisation = getattr(actor, "acting_organisation", None)
    if organisation is None:
        return qs.none()
    return qs.filter(organisation=organisation)


def applications_of(*, organisation: Organisation) -> QuerySet[QualificationApplication]:
    return (
        QualificationApplication.objects.filter(organisation=organisation)
        .select_related("criterion_set", "qualification")
        .order_by("-created_at", "-id")
    )


def application_open_for(*, organisation: Organisation) -> QualificationApplication | None:
    return (
        QualificationApplication.objects.filter(
            organisation=organisation, status__in=QualificationApplication.OPEN_STATES
        )
        .select_related("criterion_set")
        .first()
    )


def application_previous_for(*, organisation: Organisation) -> QualificationApplication | None:
    """The latest decided application, whose answers a new application may reuse (requalification)."""
    return (
        QualificationApplication.objects.filter(
            organisation=organisation, status__in=QualificationApplication.DECIDED_STATES
        )
        .order_by("-decided_at", "-id")
        .first()
    )


@dataclass
class AnswerRow:
    """One criterion of an application with its answer, automatic assessment, evidence and comments."""

    criterion: Criterion
    answer: QualificationAnswer | None
    assessment: Assessment
    documents: list[Document]
    comments: list[ReviewComment]

    @property
    def evidence_missing(self) -> bool:
        return self.criterion.evidence_required and not self.documents

    @property
    def current_comment(self) -> ReviewComment | None:
        return self.comments[-1] if self.comments else None

    @property
    def needs_change(self) -> bool:
        comment = self.current_comment
        return comment is not None and comment.requires_change


def application_rows(application: QualificationApplication) -> list[AnswerRow]:
    """Every criterion of the pinned version with its answer and assessment; four queries in all."""
    criteria = list(
        Criterion.objects.filter(criterion_set_id=application.criterion_set_id).order_by("order", "id")
    )
    answers = {a.criterion_id: a for a in QualificationAnswer.objects.filter(application=application)}
    documents: dict[int, list[Document]] = {}
    if answers:
        answer_type = ContentType.objects.get_for_model(QualificationAnswer)
        by_answer = {a.pk: a.criterion_id for a in answers.values()}
        for document in Document.objects.filter(owner_type=answer_type, owner_id__in=by_answer).order_by(
            "created_at", "id"
        ):
            documents.setdefault(by_answer[document.owner_id], []).append(document)
    comments: dict[int, list[ReviewComment]] = {}
    for comment in ReviewComment.objects.filter(application=application).select_related("author"):
        comments.setdefault(comment.criterion_id, []).append(comment)
    on = application.assessment_date
    rows = []
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        if answer is not None:
            answer.criterion = criterion  # avoid a query per row
        rows.append(
            AnswerRow(
                criterion=criterion,
                answer=answer,
                assessment=criterion.assess(answer, on=on),
                documents=documents.get(criterion.pk, []),
                comments=comments.get(criterion.pk, []),
            )
        )
    return rows


def assessment_summary(rows: Iterable[AnswerRow]) -> dict[str, int]:
    """How many criteria pass, fail, go to judgement or are unanswered; and how much evidence is missing."""
    summary = {outcome.value: 0 for outcome in Outcome}
    summary["evidence_missing"] = 0
    for row in rows:
        summary[row.assessment.outcome] += 1
        if row.evidence_missing:
            summary["evidence_missing"] += 1
    return summary


STATE_LABELS = dict(QualificationApplication.Status.choices)


def application_timeline(application: QualificationApplication) -> list[AuditEvent]:
    """Every recorded step of the application, oldest first, with readable state names."""
    events = list(history_for(application))
    for event in events:
        event.from_label = STATE_LABELS.get(event.from_state, event.from_state)
        event.to_label = STATE_LABELS.get(event.to_state, event.to_state)
    return events


def review_queue(*, status: str = QUEUE_OPEN, search: str = "") -> QuerySet[QualificationApplication]:
    """Applications for platform administrators, oldest submission first (QUA-3). Drafts stay private."""
    qs = QualificationApplication.objects.exclude(status=QualificationApplication.Status.DRAFT)
    if status == QUEUE_OPEN:
        qs = qs.filter(status__in=QualificationApplication.WAITING_STATES)
    elif status and status != QUEUE_ALL:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(organisation__name__icontains=search) | Q(organisation__org_number__startswith=search.strip())
        )
    return (
        qs.select_related("organisation", "criterion_set", "reviewer")
        .annotate(
            pass_count=Count("answers", filter=Q(answers__outcome=Outcome.PASS)),
            fail_count=Count("answers", filter=Q(answers__outcome=Outcome.FAIL)),
            judgement_count=Count("answers", filter=Q(answers__outcome=Outcome.JUDGEMENT)),
        )
        .order_by("submitted_at", "id")
    )


def review_queue_counts() -> dict[str, int]:
    """How many applications wait in each state, for the queue's filter and the start page."""
    rows = (
        QualificationApplication.objects.filter(status__in=QualificationApplication.WAITING_STATES)
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    counts[QUEUE_OPEN] = sum(counts.values())
    return counts


# Qualifications (QUA-4 … QUA-6) ---------------------------------------------------------------------


def qualified_vendor_list(*, search: str = "") -> QuerySet[Qualification]:
    """The public list: vendors qualified today, with qualification date and expiry (QUA-6)."""
    qs = Qualification.objects.filter(
        status=Qualification.Status.ACTIVE, expires_on__gt=timezone.localdate()
    ).select_related("organisation")
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(organisation__name__icontains=search)
            | Q(organisation__org_number__startswith=search.replace(" ", ""))
            | Q(organisation__description__icontains=search)
        )
    return qs.order_by("organisation__name", "id")


def qualification_status_for(organisations: Iterable[Organisation | int]) -> dict[int, Qualification | None]:
    """The latest qualification of each organisation (None if never qualified), in one query.

    Lists use it to mark vendors whose qualification expired "everywhere their name appears";
    mark each with `{% vendor_badge %}` (verification_qualification).
    """
    ids = {o if isinstance(o, int) else o.pk for o in organisations if o is not None}
    status: dict[int, Qualification | None] = dict.fromkeys(ids)
    if not ids:
        return status
    # Newest first: the first row per organisation is its current (or last) qualification.
    for qualification in Qualification.objects.filter(organisation_id__in=ids).order_by(
        "organisation_id", "-qualified_on", "-id"
    ):
        if status[qualification.organisation_id] is None:
            status[qualification.organisation_id] = qualification
    return status


QUALIFICATION_COLUMNS = (
    "id", "organisation_id", "application_id", "status", "qualified_on", "expires_on", "ended_on"
)
DATE_COLUMNS = ("qualified_on", "expires_on", "ended_on")


def _latest_of(organisation) -> QuerySet[Qualification]:
    """The qualifications of an organisation (an id or an OuterRef), newest first: the first is its current (or
    last) one, as `qualification_status_for` takes it."""
    return Qualification.objects.filter(organisation_id=organisation).order_by("-qualified_on", "-id")


def latest_qualification(organisation_path: str) -> Subquery:
    """The latest qualification of the organisation at `organisation_path`, as one annotation (a JSON object of
    QUALIFICATION_COLUMNS, or None), for a query that shows rows of vendors (the store's listing page and
    comparison read it with the row); `qualification_from_json` makes it a Qualification again. One subquery:
    a column each would run the same lookup seven times per row."""
    latest = _latest_of(OuterRef(organisation_path))
    columns = JSONObject(**{name: name for name in QUALIFICATION_COLUMNS})
    return Subquery(latest.values(latest=columns)[:1], output_field=JSONField())


def qualification_from_json(value: dict[str, Any] | None) -> Qualification | None:
    if not value:
        return None
    values = dict(value)
    for name in DATE_COLUMNS:
        values[name] = date.fromisoformat(values[name]) if values[name] else None
    return as_instance(Qualification, values)


def qualification_current(*, organisation: Organisation) -> Qualification | None:
    """The organisation's current (or last) qualification."""
    return Qualification.objects.filter(organisation=organisation).order_by("-qualified_on", "-id").first()


def qualifications_of(*, organisation: Organisation) -> QuerySet[Qualification]:
    return (
        Qualification.objects.filter(organisation=organisation)
        .select_related("application")
        .order_by("-qualified_on", "-id")
    )
