"""Kvalifisering (QUA-1 … QUA-6): criterion sets, applications, review, qualifications, expiry and the gate.

Other arenas use the gate:

    from verification.services.qualification import ensure_vendor_qualified, vendor_is_qualified

    ensure_vendor_qualified(organisation)   # raises PermissionRefused with a clear message
    vendor_is_qualified(organisation)       # -> bool
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.audit import audit_record
from marketplace.errors import Conflict, DomainError, IllegalTransition, NotFound, PermissionRefused
from marketplace.models import Document, Organisation, User
from marketplace.permissions import ensure_allowed
from marketplace.services.documents import document_delete, document_upload
from marketplace.services.notifications import notify, org_admins, platform_admins
from marketplace.terms import ensure_terms_accepted
from marketplace.validators import normalise_org_number, validate_org_number
from marketplace.workflow import transition

from ..models import (
    Assessment,
    Criterion,
    CriterionSet,
    Outcome,
    Qualification,
    QualificationAnswer,
    QualificationApplication,
    QualificationReminder,
    ReviewComment,
    add_months,
)
from ..notifications import QUALIFICATION_DECIDED, QUALIFICATION_EXPIRY, QUALIFICATION_SUBMITTED
from ..selectors.qualification import application_previous_for, application_rows, qualification_current

# Days before expiry on which the vendor is reminded (QUA-4).
REMINDER_DAYS = (30, 7)
EVIDENCE_KIND = "qualification-evidence"
TEXT_ANSWER_MAX = 4000

Status = QualificationApplication.Status


def lazy_message(message: str, **params: Any) -> Promise:
    """A translated, interpolated message rendered in the language active when it becomes text.

    `notify` renders titles in each recipient's language; `gettext_lazy(...) % {...}` would render at once.
    Dates among the parameters are formatted in that language too.
    """

    def render() -> str:
        values = {}
        for key, value in params.items():
            if isinstance(value, date) and not isinstance(value, datetime):
                value = formats.date_format(value, "DATE_FORMAT")
            values[key] = str(value) if isinstance(value, Promise) else value
        return _(message) % values

    return lazy(render, str)()


def _date(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


# The gate (QUA-5) ----------------------------------------------------------------------------------


def vendor_is_qualified(organisation: Organisation | None) -> bool:
    """True when `organisation` is a vendor with a qualification valid today."""
    if organisation is None or not organisation.is_vendor:
        return False
    qualification = qualification_current(organisation=organisation)
    return qualification is not None and qualification.is_valid


def ensure_vendor_qualified(organisation: Organisation | None) -> None:
    """Raise PermissionRefused unless `organisation` is a qualified vendor; the message says why (QUA-5)."""
    if organisation is None or not organisation.is_vendor:
        raise PermissionRefused(
            _("Only qualified vendors can do this, and %(organisation)s is not a vendor organisation.")
            % {"organisation": organisation or _("no organisation")},
            code="not_a_vendor",
        )
    qualification = qualification_current(organisation=organisation)
    url = reverse("verification:qualification_home")
    if qualification is None:
        raise PermissionRefused(
            _(
                "%(organisation)s is not qualified. Only qualified vendors can do this. "
                "Apply for qualification under Kvalifisering: %(url)s"
            )
            % {"organisation": organisation, "url": url},
            code="not_qualified",
        )
    if qualification.is_valid:
        return
    if qualification.status == Qualification.Status.REVOKED:
        raise PermissionRefused(
            _(
                "The qualification of %(organisation)s was revoked on %(date)s. "
                "Only qualified vendors can do this. "
                "Read more under Kvalifisering: %(url)s"
            )
            % {
                "organisation": organisation,
                "date": _date(qualification.ended_on or qualification.expires_on),
                "url": url,
            },
            code="qualification_revoked",
        )
    raise PermissionRefused(
        _(
            "The qualification of %(organisation)s expired on %(date)s. Only qualified vendors can do this. "
            "Apply for requalification under Kvalifisering: %(url)s"
        )
        % {"organisation": organisation, "date": _date(qualification.expires_on), "url": url},
        code="qualification_expired",
    )


# Criterion sets (QUA-1) -----------------------------------------------------------------------------

CRITERION_SET_FIELDS = ("version", "title", "description")
CRITERION_FIELDS = (
    "code",
    "section",
    "order",
    "text",
    "help_text",
    "answer_type",
    "evidence_required",
    "evidence_valid_months",
    "rule_yes",
    "rule_no",
    "max_age_months",
)


def _lock_criterion_set(criterion_set_id: int) -> CriterionSet:
    criterion_set = CriterionSet.objects.select_for_update().filter(pk=criterion_set_id).first()
    if criterion_set is None:
        raise NotFound(_("Criterion set not found."))
    return criterion_set


def _ensure_draft_set(criterion_set: CriterionSet) -> None:
    if not criterion_set.is_draft:
        raise IllegalTransition(
            _("Version %(version)s is %(status)s and can no longer be changed. Make a new version instead.")
            % {"version": criterion_set.version, "status": criterion_set.get_status_display().lower()}
        )


def _validated(obj: Any, *, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def criterion_set_create(
    *, actor: User, version: str, title: str, description: str = "", copy_from_id: int | None = None
) -> CriterionSet:
    """Start a new draft version of the criteria, empty or as a copy of an earlier version (QUA-1)."""
    ensure_allowed(actor, "verification.manage_criteria")
    source = None
    if copy_from_id is not None:
        source = CriterionSet.objects.filter(pk=copy_from_id).first()
        if source is None:
            raise NotFound(_("Criterion set not found."))
    criterion_set = CriterionSet(
        version=version.strip(),
        title=title.strip(),
        description=description,
        based_on=source,
        created_by=actor,
    )
    _validated(criterion_set, exclude=["based_on", "created_by"])
    if CriterionSet.objects.filter(version=criterion_set.version).exists():
        raise ValidationError(
            {"version": _("Version %(version)s exists already.") % {"version": criterion_set.version}}
        )
    criterion_set.save()
    if source is not None:
        Criterion.objects.bulk_create(
            Criterion(criterion_set=criterion_set, **{f: getattr(c, f) for f in CRITERION_FIELDS})
            for c in source.criteria.order_by("order", "id")
        )
    audit_record(
        actor=actor,
        verb="criterionset.created",
        target=criterion_set,
        to_state=criterion_set.status,
        data={"copied_from": source.version if source else None},
    )
    return criterion_set


@transaction.atomic
def criterion_set_update(*, actor: User, criterion_set_id: int, **fields: Any) -> CriterionSet:
    """Change the title, version or description of a draft version."""
    ensure_allowed(actor, "verification.manage_criteria")
    criterion_set = _lock_criterion_set(criterion_set_id)
    _ensure_draft_set(criterion_set)
    changed = [k for k in CRITERION_SET_FIELDS if k in fields and getattr(criterion_set, k) != fields[k]]
    for key in changed:
        setattr(criterion_set, key, fields[key].strip() if key != "description" else fields[key])
    _validated(criterion_set, exclude=["based_on", "created_by"])
    if (
        "version" in changed
        and CriterionSet.objects.filter(version=criterion_set.version).exclude(pk=criterion_set.pk).exists()
    ):
        raise ValidationError(
            {"version": _("Version %(version)s exists already.") % {"version": criterion_set.version}}
        )
    if changed:
        criterion_set.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, verb="criterionset.updated", target=criterion_set, data={"fields": changed})
    return criterion_set


@transaction.atomic
def criterion_set_activate(*, actor: User, criterion_set_id: int, reason: str = "") -> CriterionSet:
    """Put a draft version in force; the version in force until now is retired. Applications keep theirs."""
    ensure_allowed(actor, "verification.manage_criteria")
    criterion_set = _lock_criterion_set(criterion_set_id)
    if criterion_set.is_draft and not criterion_set.criteria.exists():
        raise DomainError(_("Add at least one criterion before putting the version in force."))
    if not CriterionSet.workflow.allows(criterion_set.status, CriterionSet.Status.ACTIVE):
        transition(criterion_set, to=CriterionSet.Status.ACTIVE, actor=actor)  # raises the standard refusal
    now = timezone.now()
    for current in CriterionSet.objects.select_for_update().filter(status=CriterionSet.Status.ACTIVE):
        current.retired_at = now
        transition(
            current,
            to=CriterionSet.Status.RETIRED,
            actor=actor,
            reason=reason,
            update_fields=["retired_at"],
            data={"replaced_by": criterion_set.version},
        )
    criterion_set.activated_at = now
    transition(
        criterion_set,
        to=CriterionSet.Status.ACTIVE,
        actor=actor,
        reason=reason,
        update_fields=["activated_at"],
    )
    return criterion_set


def _clean_criterion(criterion: Criterion) -> None:
    _validated(criterion, exclude=["criterion_set"])
    errors: dict[str, list[str]] = {}
    if criterion.answer_type != Criterion.AnswerType.DATE and criterion.max_age_months is not None:
        errors["max_age_months"] = [_("A maximum age applies to date answers only.")]
    if criterion.max_age_months == 0:
        errors["max_age_months"] = [_("The maximum age must be at least one month.")]
    if criterion.evidence_valid_months == 0:
        errors["evidence_valid_months"] = [_("The validity must be at least one month, or empty.")]
    duplicate = Criterion.objects.filter(criterion_set_id=criterion.criterion_set_id, code=criterion.code)
    if criterion.pk:
        duplicate = duplicate.exclude(pk=criterion.pk)
    if duplicate.exists():
        errors["code"] = [
            _("Another criterion in this version has the code %(code)s.") % {"code": criterion.code}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criterion_add(*, actor: User, criterion_set_id: int, **fields: Any) -> Criterion:
    """Add a criterion to a draft version."""
    ensure_allowed(actor, "verification.manage_criteria")
    criterion_set = _lock_criterion_set(criterion_set_id)
    _ensure_draft_set(criterion_set)
    criterion = Criterion(
        criterion_set=criterion_set, **{k: v for k, v in fields.items() if k in CRITERION_FIELDS}
    )
    if "order" not in fields:
        last = criterion_set.criteria.order_by("-order").values_list("order", flat=True).first()
        criterion.order = (last or 0) + 10
    _clean_criterion(criterion)
    criterion.save()
    audit_record(actor=actor, verb="criterion.added", target=criterion_set, data={"code": criterion.code})
    return criterion


def _lock_criterion(criterion_id: int) -> tuple[Criterion, CriterionSet]:
    criterion = Criterion.objects.filter(pk=criterion_id).first()
    if criterion is None:
        raise NotFound(_("Criterion not found."))
    criterion_set = _lock_criterion_set(criterion.criterion_set_id)
    _ensure_draft_set(criterion_set)
    return criterion, criterion_set


@transaction.atomic
def criterion_update(*, actor: User, criterion_id: int, **fields: Any) -> Criterion:
    """Change a criterion of a draft version."""
    ensure_allowed(actor, "verification.manage_criteria")
    criterion, criterion_set = _lock_criterion(criterion_id)
    changed = [k for k in CRITERION_FIELDS if k in fields and getattr(criterion, k) != fields[k]]
    for key in changed:
        setattr(criterion, key, fields[key])
    _clean_criterion(criterion)
    if changed:
        criterion.save(update_fields=changed)
        audit_record(
            actor=actor,
            verb="criterion.updated",
            target=criterion_set,
            data={"code": criterion.code, "fields": changed},
        )
    return criterion


@transaction.atomic
def criterion_delete(*, actor: User, criterion_id: int) -> None:
    """Remove a criterion from a draft version."""
    ensure_allowed(actor, "verification.manage_criteria")
    criterion, criterion_set = _lock_criterion(criterion_id)
    if criterion.answers.exists():
        raise Conflict(_("This criterion has been answered and cannot be removed."))
    audit_record(actor=actor, verb="criterion.removed", target=criterion_set, data={"code": criterion.code})
    criterion.delete()


# Applications (QUA-2) -------------------------------------------------------------------------------


def _ensure_may_apply(actor: User, organisation: Organisation | None) -> None:
    if organisation is None or getattr(actor, "acting_organisation", None) != organisation:
        raise PermissionRefused(_("You can only apply for the organisation you act for."))
    if not organisation.is_vendor:
        raise PermissionRefused(
            _("Only vendor organisations apply for qualification; %(organisation)s is not a vendor.")
            % {"organisation": organisation}
        )
    ensure_allowed(
        actor,
        "verification.apply_qualification",
        message=_("Only an organisation admin of %(organisation)s can apply for qualification.")
        % {"organisation": organisation},
    )


def _lock_application(actor: User, application_id: int) -> QualificationApplication:
    """The application, locked; 404 when the actor may not see it."""
    application = (
        QualificationApplication.objects.select_for_update(of=("self",))
        .select_related("organisation", "criterion_set")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not actor.has_perm("verification.view_qualificationapplication", application):
        raise NotFound(_("Application not found."))
    return application


def _ensure_may_change(actor: User, application: QualificationApplication) -> None:
    ensure_allowed(
        actor,
        "verification.change_qualificationapplication",
        application,
        message=_(
            "Only an organisation admin of %(organisation)s can change or submit "
            "its qualification application."
        )
        % {"organisation": application.organisation},
    )
    ensure_terms_accepted(application.organisation)


def _ensure_editable(application: QualificationApplication) -> None:
    if not application.is_editable:
        raise IllegalTransition(
            _(
                "The application can only be changed while it is a draft or changes are requested; "
                "it is now “%(status)s”."
            )
            % {"status": application.get_status_display()}
        )


def _ensure_step(application: QualificationApplication, to: str) -> None:
    """Refuse a step the workflow does not allow, before anything else is touched."""
    if not QualificationApplication.workflow.allows(application.status, to):
        raise IllegalTransition(
            _("This step is not possible now: “%(source)s” cannot change to “%(target)s”.")
            % {"source": application.get_status_display(), "target": Status(to).label}
        )


def _editable_application(actor: User, application_id: int) -> QualificationApplication:
    application = _lock_application(actor, application_id)
    _ensure_may_change(actor, application)
    _ensure_editable(application)
    return application


@transaction.atomic
def application_start(
    *, actor: User, organisation: Organisation, reuse_previous: bool = True
) -> QualificationApplication:
    """Open a draft application on the criteria in force; on requalification, offer the previous answers."""
    _ensure_may_apply(actor, organisation)
    ensure_terms_accepted(organisation)
    criterion_set = CriterionSet.objects.filter(status=CriterionSet.Status.ACTIVE).first()
    if criterion_set is None:
        raise DomainError(_("No qualification criteria are in force yet. Try again later."))
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one start at a time
    conflict = Conflict(
        _("%(organisation)s already has a qualification application in progress. Continue that one.")
        % {"organisation": organisation}
    )
    if QualificationApplication.objects.filter(
        organisation=organisation, status__in=QualificationApplication.OPEN_STATES
    ).exists():
        raise conflict
    previous = application_previous_for(organisation=organisation) if reuse_previous else None
    source = previous or QualificationApplication(
        company_name=organisation.name,
        org_number=organisation.org_number,
        website=organisation.website,
        contact_name=actor.get_full_name(),
        contact_email=actor.email,
    )
    application = QualificationApplication(
        organisation=organisation,
        criterion_set=criterion_set,
        previous=previous,
        created_by=actor,
        **{f: getattr(source, f) for f in QualificationApplication.COMPANY_FIELDS},
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise conflict from exc
    reused = _reuse_answers(actor=actor, application=application, previous=previous) if previous else {}
    audit_record(
        actor=actor,
        verb="qualificationapplication.created",
        target=application,
        organisation=organisation,
        to_state=application.status,
        data={"criterion_set": criterion_set.version, **reused},
    )
    return application


def _reuse_answers(
    *, actor: User, application: QualificationApplication, previous: QualificationApplication
) -> dict:
    """Copy answers to criteria with the same code; evidence only while younger than its validity."""
    old_answers = {a.criterion.code: a for a in previous.answers.select_related("criterion")}
    old_documents: dict[int, list[Document]] = {}
    answer_type = ContentType.objects.get_for_model(QualificationAnswer)
    for document in Document.objects.filter(
        owner_type=answer_type, owner_id__in=[a.pk for a in old_answers.values()]
    ).order_by("created_at", "id"):
        old_documents.setdefault(document.owner_id, []).append(document)
    today = timezone.localdate()
    copied = renewed = 0
    for criterion in application.criterion_set.criteria.order_by("order", "id"):
        old = old_answers.get(criterion.code)
        if old is None or old.criterion.answer_type != criterion.answer_type:
            continue
        answer = QualificationAnswer.objects.create(
            application=application,
            criterion=criterion,
            value_bool=old.value_bool,
            value_text=old.value_text,
            value_date=old.value_date,
            reused_from=old,
        )
        answer.outcome = criterion.assess(answer, on=today).outcome
        stale = False
        for document in old_documents.get(old.pk, []):
            if criterion.evidence_valid_months and (
                timezone.localtime(document.created_at).date()
                <= add_months(today, -criterion.evidence_valid_months)
            ):
                stale = True
                continue
            if not _copy_document(
                actor=actor, organisation=application.organisation, owner=answer, document=document
            ):
                stale = True
        answer.evidence_needs_renewal = stale
        answer.save(update_fields=["outcome", "evidence_needs_renewal"])
        copied += 1
        renewed += int(stale)
    return {"reused_from": previous.pk, "answers_reused": copied, "evidence_to_renew": renewed}


def _copy_document(*, actor: User, organisation: Organisation, owner: Any, document: Document) -> bool:
    """Store a copy of an earlier evidence document for a new answer; False when the file is gone."""
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        return False
    document_upload(
        actor=actor,
        organisation=organisation,
        owner=owner,
        upload=ContentFile(content, name=document.original_name),
        kind=document.kind or EVIDENCE_KIND,
        title=document.title,
    )
    return True


@transaction.atomic
def application_update_details(
    *, actor: User, application_id: int, **fields: Any
) -> QualificationApplication:
    """Save the company details section of an application."""
    application = _editable_application(actor, application_id)
    values = {k: (fields[k] or "").strip() for k in QualificationApplication.COMPANY_FIELDS if k in fields}
    if "org_number" in values:
        values["org_number"] = normalise_org_number(values["org_number"])
    errors: dict[str, list[str]] = {}
    validators = {
        "org_number": validate_org_number,
        "contact_email": EmailValidator(message=_("Enter a valid e-mail address.")),
        "website": URLValidator(message=_("Enter a valid web address, starting with https://.")),
    }
    for key, value in values.items():
        max_length = QualificationApplication._meta.get_field(key).max_length
        if value and max_length and len(value) > max_length:
            errors.setdefault(key, []).append(_("At most %(max)s characters.") % {"max": max_length})
        elif value and key in validators:
            try:
                validators[key](value)
            except ValidationError as exc:
                errors.setdefault(key, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    changed = [k for k, v in values.items() if getattr(application, k) != v]
    for key in changed:
        setattr(application, key, values[key])
    if changed:
        application.save(update_fields=[*changed, "updated_at"])
    return application


def _parse_answer(criterion: Criterion, raw: Any, field: str) -> dict[str, Any]:
    """The stored values for a raw answer; empty clears it. Raises a field-level ValidationError."""
    empty = {"value_bool": None, "value_text": "", "value_date": None}
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return empty
    if criterion.answer_type == Criterion.AnswerType.YES_NO:
        if isinstance(raw, bool):
            return {**empty, "value_bool": raw}
        value = str(raw).strip().lower()
        if value in ("yes", "ja", "true", "1"):
            return {**empty, "value_bool": True}
        if value in ("no", "nei", "false", "0"):
            return {**empty, "value_bool": False}
        raise ValidationError({field: _("Answer yes or no.")})
    if criterion.answer_type == Criterion.AnswerType.DATE:
        value = raw if isinstance(raw, date) else None
        if value is None:
            try:
                value = parse_date(str(raw).strip())
            except ValueError:
                value = None
        if value is None:
            raise ValidationError({field: _("Enter a valid date (YYYY-MM-DD).")})
        if criterion.max_age_months is not None and value > timezone.localdate():
            raise ValidationError({field: _("The date cannot be in the future.")})
        return {**empty, "value_date": value}
    text = str(raw).strip()
    if len(text) > TEXT_ANSWER_MAX:
        raise ValidationError({field: _("At most %(max)s characters.") % {"max": TEXT_ANSWER_MAX}})
    return {**empty, "value_text": text}


def answer_field(criterion_id: int) -> str:
    """The name under which an answer's errors are reported (form field and API key)."""
    return f"criterion_{criterion_id}"


def answers_assess(
    *, application: QualificationApplication, answers: Mapping[int, Any]
) -> dict[int, Assessment | str]:
    """How answers would be assessed, without saving them (the live preview); a message for bad input."""
    criteria = {c.pk: c for c in application.criterion_set.criteria.all()}
    today = timezone.localdate()
    result: dict[int, Assessment | str] = {}
    for criterion_id, raw in answers.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            continue
        try:
            values = _parse_answer(criterion, raw, answer_field(criterion.pk))
        except ValidationError as exc:
            result[criterion.pk] = " ".join(exc.messages)
            continue
        result[criterion.pk] = criterion.assess(QualificationAnswer(criterion=criterion, **values), on=today)
    return result


@transaction.atomic
def answers_save(
    *, actor: User, application_id: int, answers: Mapping[int, Any]
) -> list[QualificationAnswer]:
    """Save answers to criteria of the application's version (a draft: anything may still be empty)."""
    application = _editable_application(actor, application_id)
    criteria = {c.pk: c for c in application.criterion_set.criteria.all()}
    parsed: dict[int, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for criterion_id, raw in answers.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors.setdefault("answers", []).append(
                _("Criterion %(id)s is not part of this application.") % {"id": criterion_id}
            )
            continue
        try:
            parsed[criterion.pk] = _parse_answer(criterion, raw, answer_field(criterion.pk))
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    existing = {a.criterion_id: a for a in application.answers.select_for_update()}
    today = timezone.localdate()
    saved = []
    for criterion_id, values in parsed.items():
        answer = existing.get(criterion_id) or QualificationAnswer(
            application=application, criterion=criteria[criterion_id]
        )
        answer.criterion = criteria[criterion_id]
        if answer.pk and all(getattr(answer, k) == v for k, v in values.items()):
            saved.append(answer)
            continue
        for key, value in values.items():
            setattr(answer, key, value)
        answer.outcome = answer.criterion.assess(answer, on=today).outcome
        answer.save()
        saved.append(answer)
    if saved:
        application.save(update_fields=["updated_at"])
    return saved


def _answer_for(application: QualificationApplication, criterion_id: int) -> QualificationAnswer:
    criterion = application.criterion_set.criteria.filter(pk=criterion_id).first()
    if criterion is None:
        raise NotFound(_("Criterion not found."))
    answer, _created = QualificationAnswer.objects.get_or_create(application=application, criterion=criterion)
    answer.criterion = criterion
    return answer


@transaction.atomic
def evidence_upload(*, actor: User, application_id: int, criterion_id: int, upload: UploadedFile) -> Document:
    """Attach an evidence document to the answer of one criterion (type sniffed, size limited)."""
    application = _editable_application(actor, application_id)
    answer = _answer_for(application, criterion_id)
    document = document_upload(
        actor=actor,
        organisation=application.organisation,
        owner=answer,
        upload=upload,
        kind=EVIDENCE_KIND,
        title=answer.criterion.text[:200],
    )
    if answer.evidence_needs_renewal:
        answer.evidence_needs_renewal = False
        answer.save(update_fields=["evidence_needs_renewal", "updated_at"])
    application.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def evidence_delete(*, actor: User, application_id: int, document_id: int) -> None:
    """Remove an evidence document from an application that can still be changed."""
    application = _editable_application(actor, application_id)
    answer_type = ContentType.objects.get_for_model(QualificationAnswer)
    document = Document.objects.filter(
        pk=document_id, owner_type=answer_type, owner_id__in=application.answers.values("pk")
    ).first()
    if document is None:
        raise NotFound(_("Document not found."))
    answer = QualificationAnswer.objects.get(pk=document.owner_id)
    document_delete(actor=actor, document_id=document.pk, owner=answer)
    application.save(update_fields=["updated_at"])


def submission_problems(application: QualificationApplication) -> dict[str, list[str]]:
    """What still stops the application from being submitted, as field-level messages."""
    errors: dict[str, list[str]] = {}
    for key in QualificationApplication.REQUIRED_COMPANY_FIELDS:
        if not getattr(application, key):
            label = QualificationApplication._meta.get_field(key).verbose_name
            errors.setdefault(key, []).append(_("Fill in %(field)s.") % {"field": label})
    for row in application_rows(application):
        field = answer_field(row.criterion.pk)
        if row.answer is None or not row.answer.has_value:
            errors.setdefault(field, []).append(
                _("Answer “%(criterion)s”.") % {"criterion": row.criterion.text}
            )
        if row.evidence_missing:
            message = (
                _("The evidence for “%(criterion)s” is too old and must be renewed: upload a new document.")
                if row.answer is not None and row.answer.evidence_needs_renewal
                else _("Upload the required evidence document for “%(criterion)s”.")
            )
            errors.setdefault(field, []).append(message % {"criterion": row.criterion.text})
    return errors


@transaction.atomic
def application_submit(*, actor: User, application_id: int) -> QualificationApplication:
    """Send the application to the operator: draft → submitted, or changes requested → resubmitted (QUA-3)."""
    application = _lock_application(actor, application_id)
    _ensure_may_change(actor, application)
    target = Status.RESUBMITTED if application.status == Status.CHANGES_REQUESTED else Status.SUBMITTED
    _ensure_step(application, target)
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    today = timezone.localdate()
    answers = list(application.answers.select_related("criterion"))
    for answer in answers:
        answer.outcome = answer.criterion.assess(answer, on=today).outcome
    QualificationAnswer.objects.bulk_update(answers, ["outcome"])
    application.submitted_at = now
    application.first_submitted_at = application.first_submitted_at or now
    summary = {
        outcome: sum(1 for a in answers if a.outcome == outcome)
        for outcome in (Outcome.PASS, Outcome.FAIL, Outcome.JUDGEMENT)
    }
    transition(
        application,
        to=target,
        actor=actor,
        organisation=application.organisation,
        update_fields=["submitted_at", "first_submitted_at"],
        data={"assessment": summary},
    )
    resubmitted = target == Status.RESUBMITTED
    notify(
        recipients=platform_admins(),
        kind=QUALIFICATION_SUBMITTED.code,
        title=lazy_message(
            gettext_noop("%(organisation)s has resubmitted its qualification application")
            if resubmitted
            else gettext_noop("New qualification application from %(organisation)s"),
            organisation=application.organisation.name,
        ),
        body=lazy_message(
            gettext_noop(
                "Automatic assessment: %(pass)s pass, %(fail)s fail, %(judgement)s for your judgement."
            ),
            **{
                "pass": summary[Outcome.PASS],
                "fail": summary[Outcome.FAIL],
                "judgement": summary[Outcome.JUDGEMENT],
            },
        ),
        url=reverse("verification:review_detail", args=[application.pk]),
        exclude=actor,
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application_id: int, reason: str = "") -> QualificationApplication:
    """The vendor gives up a draft or an application sent back for changes."""
    application = _lock_application(actor, application_id)
    ensure_allowed(
        actor,
        "verification.change_qualificationapplication",
        application,
        message=_(
            "Only an organisation admin of %(organisation)s can withdraw its qualification application."
        )
        % {"organisation": application.organisation},
    )
    transition(
        application, to=Status.WITHDRAWN, actor=actor, organisation=application.organisation, reason=reason
    )
    return application


# Review (QUA-3) --------------------------------------------------------------------------------------


def _reviewable(actor: User, application_id: int) -> QualificationApplication:
    application = _lock_application(actor, application_id)
    ensure_allowed(
        actor,
        "verification.review_qualificationapplication",
        message=_("Only platform administrators review qualification applications."),
    )
    return application


@transaction.atomic
def application_start_review(*, actor: User, application_id: int) -> QualificationApplication:
    """A platform administrator takes a submitted application into review: a new review round starts."""
    application = _reviewable(actor, application_id)
    application.reviewer = actor
    application.review_round += 1
    transition(
        application,
        to=Status.IN_REVIEW,
        actor=actor,
        update_fields=["reviewer", "review_round"],
        data={"round": application.review_round},
    )
    return application


def _save_comments(
    application: QualificationApplication, *, actor: User, comments: Mapping[int, tuple[str, bool]]
) -> list[ReviewComment]:
    criteria = {c.pk: c for c in application.criterion_set.criteria.all()}
    errors: dict[str, list[str]] = {}
    for criterion_id, (text, requires_change) in comments.items():
        if int(criterion_id) not in criteria:
            errors.setdefault("comments", []).append(
                _("Criterion %(id)s is not part of this application.") % {"id": criterion_id}
            )
        elif requires_change and not (text or "").strip():
            errors.setdefault(f"comment_{criterion_id}", []).append(_("Say what must be changed."))
    if errors:
        raise ValidationError(errors)
    existing = {
        c.criterion_id: c
        for c in ReviewComment.objects.select_for_update().filter(
            application=application, review_round=application.review_round
        )
    }
    saved = []
    for criterion_id, (text, requires_change) in comments.items():
        criterion_id = int(criterion_id)
        text = (text or "").strip()
        comment = existing.get(criterion_id)
        if not text:
            if comment is not None:
                comment.delete()
            continue
        if comment is None:
            comment = ReviewComment.objects.create(
                application=application,
                criterion=criteria[criterion_id],
                review_round=application.review_round,
                text=text,
                requires_change=bool(requires_change),
                author=actor,
            )
        elif comment.text != text or comment.requires_change != bool(requires_change):
            comment.text, comment.requires_change, comment.author = text, bool(requires_change), actor
            comment.save(update_fields=["text", "requires_change", "author", "updated_at"])
        saved.append(comment)
    return saved


def _ensure_in_review(application: QualificationApplication) -> None:
    if application.status != Status.IN_REVIEW:
        raise IllegalTransition(
            _("Comments can only be written while the application is in review; it is now “%(status)s”.")
            % {"status": application.get_status_display()}
        )


@transaction.atomic
def review_comments_save(
    *, actor: User, application_id: int, comments: Mapping[int, tuple[str, bool]]
) -> list[ReviewComment]:
    """Save the reviewer's comments per criterion for this round; an empty text removes a comment."""
    application = _reviewable(actor, application_id)
    _ensure_in_review(application)
    return _save_comments(application, actor=actor, comments=comments)


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _notify_vendor(
    application: QualificationApplication, *, title: Promise, body: Promise | str = ""
) -> None:
    notify(
        recipients=org_admins(application.organisation),
        kind=QUALIFICATION_DECIDED.code,
        title=title,
        body=body,
        url=reverse("verification:application_detail", args=[application.pk]),
        organisation=application.organisation,
    )


@transaction.atomic
def application_request_changes(
    *, actor: User, application_id: int, reason: str, comments: Mapping[int, tuple[str, bool]] | None = None
) -> QualificationApplication:
    """Send the application back to the vendor with what must change (in review → changes requested)."""
    application = _reviewable(actor, application_id)
    _ensure_step(application, Status.CHANGES_REQUESTED)
    reason = _require_reason(reason, _("Tell the vendor what must be changed."))
    if comments:
        _save_comments(application, actor=actor, comments=comments)
    application.changes_requested_at = timezone.now()
    flagged = list(
        ReviewComment.objects.filter(
            application=application, review_round=application.review_round, requires_change=True
        ).values_list("criterion__code", flat=True)
    )
    transition(
        application,
        to=Status.CHANGES_REQUESTED,
        actor=actor,
        reason=reason,
        update_fields=["changes_requested_at"],
        data={"criteria": flagged},
    )
    _notify_vendor(
        application,
        title=lazy_message(
            gettext_noop("Changes requested in the qualification application of %(organisation)s"),
            organisation=application.organisation.name,
        ),
        body=reason,
    )
    return application


@transaction.atomic
def application_qualify(
    *,
    actor: User,
    application_id: int,
    reason: str = "",
    comments: Mapping[int, tuple[str, bool]] | None = None,
) -> Qualification:
    """Qualify the vendor (in review → qualified) for the configured period; renews a current one."""
    application = _reviewable(actor, application_id)
    _ensure_step(application, Status.QUALIFIED)
    if comments:
        _save_comments(application, actor=actor, comments=comments)
    failing = [
        a.criterion.text for a in application.answers.select_related("criterion").filter(outcome=Outcome.FAIL)
    ]
    if failing:
        raise Conflict(
            _(
                "The application cannot be qualified: these criteria fail by their rules: %(criteria)s. "
                "Request changes or reject it."
            )
            % {"criteria": "; ".join(failing)}
        )
    flagged = ReviewComment.objects.filter(
        application=application, review_round=application.review_round, requires_change=True
    ).count()
    if flagged:
        raise Conflict(
            _(
                "You have marked %(count)s criteria as “must be changed”. "
                "Request changes, or remove the marks first."
            )
            % {"count": flagged}
        )
    now = timezone.now()
    today = timezone.localdate()
    application.decided_at, application.decided_by, application.decision_reason = now, actor, reason.strip()
    transition(
        application,
        to=Status.QUALIFIED,
        actor=actor,
        reason=reason,
        update_fields=["decided_at", "decided_by", "decision_reason"],
    )
    for current in Qualification.objects.select_for_update().filter(
        organisation=application.organisation, status=Qualification.Status.ACTIVE
    ):
        current.ended_on = today
        transition(
            current,
            to=Qualification.Status.SUPERSEDED,
            actor=actor,
            organisation=application.organisation,
            reason=_("Renewed by a new qualification."),
            update_fields=["ended_on"],
        )
    qualification = Qualification.objects.create(
        organisation=application.organisation,
        application=application,
        qualified_on=today,
        expires_on=add_months(today, settings.QUALIFICATION_VALID_MONTHS),
    )
    audit_record(
        actor=actor,
        verb="qualification.granted",
        target=qualification,
        organisation=application.organisation,
        to_state=qualification.status,
        reason=reason,
        data={"expires_on": qualification.expires_on.isoformat(), "application": application.pk},
    )
    _notify_vendor(
        application,
        title=lazy_message(
            gettext_noop("%(organisation)s is qualified until %(date)s"),
            organisation=application.organisation.name,
            date=qualification.expires_on,
        ),
        body=reason,
    )
    return qualification


@transaction.atomic
def application_reject(
    *, actor: User, application_id: int, reason: str, comments: Mapping[int, tuple[str, bool]] | None = None
) -> QualificationApplication:
    """Reject the application (in review → rejected), with the reason the vendor will read."""
    application = _reviewable(actor, application_id)
    _ensure_step(application, Status.REJECTED)
    reason = _require_reason(reason, _("Explain to the vendor why the application is rejected."))
    if comments:
        _save_comments(application, actor=actor, comments=comments)
    application.decided_at, application.decided_by, application.decision_reason = (
        timezone.now(),
        actor,
        reason,
    )
    transition(
        application,
        to=Status.REJECTED,
        actor=actor,
        reason=reason,
        update_fields=["decided_at", "decided_by", "decision_reason"],
    )
    _notify_vendor(
        application,
        title=lazy_message(
            gettext_noop("The qualification application of %(organisation)s is rejected"),
            organisation=application.organisation.name,
        ),
        body=reason,
    )
    return application


# Qualifications: revocation and expiry (QUA-4) ---------------------------------------------------------


@transaction.atomic
def qualification_revoke(*, actor: User, qualification_id: int, reason: str) -> Qualification:
    """Withdraw a vendor's qualification before it expires (e.g. a serious breach of the terms)."""
    ensure_allowed(actor, "verification.revoke_qualification")
    qualification = (
        Qualification.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=qualification_id)
        .first()
    )
    if qualification is None:
        raise NotFound(_("Qualification not found."))
    reason = _require_reason(reason, _("Explain why the qualification is revoked."))
    qualification.ended_on, qualification.end_reason = timezone.localdate(), reason
    transition(
        qualification,
        to=Qualification.Status.REVOKED,
        actor=actor,
        organisation=qualification.organisation,
        reason=reason,
        update_fields=["ended_on", "end_reason"],
    )
    notify(
        recipients=org_admins(qualification.organisation),
        kind=QUALIFICATION_DECIDED.code,
        title=lazy_message(
            gettext_noop("The qualification of %(organisation)s is revoked"),
            organisation=qualification.organisation.name,
        ),
        body=reason,
        url=reverse("verification:qualification_home"),
        organisation=qualification.organisation,
    )
    return qualification


@transaction.atomic
def qualification_expire(*, qualification_id: int, today: date | None = None) -> bool:
    """Mark one qualification expired once its expiry date has come; False when there is nothing to do."""
    today = today or timezone.localdate()
    qualification = (
        Qualification.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=qualification_id)
        .first()
    )
    if (
        qualification is None
        or qualification.status != Qualification.Status.ACTIVE
        or qualification.expires_on > today
    ):
        return False
    qualification.ended_on = qualification.expires_on
    transition(
        qualification,
        to=Qualification.Status.EXPIRED,
        actor=None,
        organisation=qualification.organisation,
        reason=_("The period of validity ended."),
        update_fields=["ended_on"],
    )
    notify(
        recipients=org_admins(qualification.organisation),
        kind=QUALIFICATION_EXPIRY.code,
        title=lazy_message(
            gettext_noop("The qualification of %(organisation)s expired on %(date)s"),
            organisation=qualification.organisation.name,
            date=qualification.expires_on,
        ),
        body=lazy_message(
            gettext_noop(
                "Until it is qualified again, %(organisation)s cannot submit new products or "
                "make offers. Apply for requalification under Kvalifisering."
            ),
            organisation=qualification.organisation.name,
        ),
        url=reverse("verification:qualification_home"),
        organisation=qualification.organisation,
    )
    return True


@transaction.atomic
def qualification_remind(*, qualification_id: int, today: date | None = None) -> int | None:
    """Send the expiry reminder that is due (30 or 7 days before), once; returns its day count or None."""
    today = today or timezone.localdate()
    qualification = (
        Qualification.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=qualification_id)
        .first()
    )
    if qualification is None or not qualification.is_valid_on(today):
        return None
    days_left = (qualification.expires_on - today).days
    due = min((days for days in REMINDER_DAYS if days_left <= days), default=None)
    # A reminder for this window or a later one was sent already: never send twice.
    if due is None or qualification.reminders.filter(days_before__lte=due).exists():
        return None
    recipients = org_admins(qualification.organisation)
    notify(
        recipients=recipients,
        kind=QUALIFICATION_EXPIRY.code,
        title=lazy_message(
            gettext_noop("The qualification of %(organisation)s expires on %(date)s"),
            organisation=qualification.organisation.name,
            date=qualification.expires_on,
        ),
        body=lazy_message(
            gettext_noop(
                "Apply for requalification in time: your previous answers are offered for "
                "reuse, but evidence that has gone stale must be renewed."
            )
        ),
        url=reverse("verification:qualification_home"),
        organisation=qualification.organisation,
    )
    QualificationReminder.objects.create(
        qualification=qualification, days_before=due, recipients=len(recipients)
    )
    audit_record(
        actor=None,
        verb="qualification.reminded",
        target=qualification,
        organisation=qualification.organisation,
        data={"days_before": due, "days_left": days_left, "recipients": len(recipients)},
    )
    return due


def qualifications_expire_and_remind(*, today: date | None = None) -> dict[str, int]:
    """The daily sweep: expire what has run out, remind what expires soon. Safe to run any number of times."""
    today = today or timezone.localdate()
    due_to_expire = Qualification.objects.filter(status=Qualification.Status.ACTIVE, expires_on__lte=today)
    expired = sum(
        qualification_expire(qualification_id=pk, today=today)
        for pk in due_to_expire.values_list("pk", flat=True)
    )
    expiring = Qualification.objects.filter(
        status=Qualification.Status.ACTIVE,
        expires_on__gt=today,
        expires_on__lte=today + timedelta(days=max(REMINDER_DAYS)),
    )
    reminded = sum(
        1
        for pk in expiring.values_list("pk", flat=True)
        if qualification_remind(qualification_id=pk, today=today)
    )
    return {"expired": expired, "reminded": reminded}


__all__ = [
    "vendor_is_qualified",
    "ensure_vendor_qualified",
    "criterion_set_create",
    "criterion_set_update",
    "criterion_set_activate",
    "criterion_add",
    "criterion_update",
    "criterion_delete",
    "application_start",
    "application_update_details",
    "answers_save",
    "evidence_upload",
    "evidence_delete",
    "submission_problems",
    "application_submit",
    "application_withdraw",
    "application_start_review",
    "review_comments_save",
    "application_request_changes",
    "application_qualify",
    "application_reject",
    "qualification_revoke",
    "qualification_expire",
    "qualification_remind",
    "qualifications_expire_and_remind",
]
