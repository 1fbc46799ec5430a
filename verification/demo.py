"""Demo data of the verification app (X-8). Seeders write through the services, as real use does.

Kvalifisering (order 20): two versions of the criteria; most demo vendors qualified; Helsevev's
requalification in review; VarselPluss close to expiry with a draft requalification; and an extra
vendor, Journalflyt AS, with a rejected application and an expired qualification, so that every state
can be seen. Histories are made "now" through the services and then moved back in time (`_shift`):
the only writes here that bypass a service, and only timestamps.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from marketplace.demo import DemoContext, register

# The criteria, in Norwegian as the operator writes them. Version 2.0 adds the security contact.
CRITERIA_V1: list[dict[str, Any]] = [
    {
        "code": "databehandleravtale",
        "section": "Personvern og informasjonssikkerhet",
        "text": "Har dere en signert mal for databehandleravtale som oppfyller personvernforordningen "
        "artikkel 28?",
        "help_text": "Last opp malen dere inngår med kommunene som behandlingsansvarlige. "
        "Den skal være signert av "
        "en som kan forplikte virksomheten.",
        "answer_type": "yes_no",
        "rule_yes": "pass",
        "rule_no": "fail",
        "evidence_required": True,
        "evidence_valid_months": None,
    },
    {
        "code": "normen",
        "section": "Personvern og informasjonssikkerhet",
        "text": "Etterlever dere Norm for informasjonssikkerhet og personvern i helse- og "
        "omsorgssektoren (Normen)?",
        "help_text": "Last opp en egenerklæring om etterlevelse av gjeldende versjon av Normen, "
        "signert av daglig leder.",
        "answer_type": "yes_no",
        "rule_yes": "pass",
        "rule_no": "fail",
        "evidence_required": True,
        "evidence_valid_months": 12,
    },
    {
        "code": "iso27001",
        "section": "Personvern og informasjonssikkerhet",
        "text": "Er virksomheten sertifisert etter ISO/IEC 27001?",
        "help_text": "Svarer dere nei, må dere dokumentere et tilsvarende styringssystem "
        "for informasjonssikkerhet, "
        "for eksempel en ekstern revisjonsrapport. KS vurderer om det er likeverdig.",
        "answer_type": "yes_no",
        "rule_yes": "pass",
        "rule_no": "judgement",
        "evidence_required": True,
        "evidence_valid_months": 12,
    },
    {
        "code": "helseid",
        "section": "Integrasjon med nasjonale løsninger",
        "text": "Har dere en registrert klient i HelseID for løsningene som skal tilbys?",
        "help_text": "Klienten registreres i HelseID selvbetjening hos Norsk helsenett. Oppgi klient-ID i "
        "produktdeklarasjonen.",
        "answer_type": "yes_no",
        "rule_yes": "pass",
        "rule_no": "fail",
        "evidence_required": False,
        "evidence_valid_months": None,
    },
    {
        "code": "skatteattest",
        "section": "Seriøsitet og økonomi",
        "text": "Hvilken dato er skatteattesten utstedt?",
        "help_text": "Skatteattesten bestilles i Altinn og viser at virksomheten har betalt skatt "
        "og merverdiavgift. "
        "Den må være under seks måneder gammel.",
        "answer_type": "date",
        "max_age_months": 6,
        "evidence_required": True,
        "evidence_valid_months": 6,
    },
    {
        "code": "tilgjengelighetserklaering",
        "section": "Universell utforming",
        "text": "Har dere publisert tilgjengelighetserklæring for løsningene (universell utforming)?",
        "help_text": "Tilgjengelighetserklæringen lages i uustatus.no hos "
        "Digitaliseringsdirektoratet. Last opp "
        "erklæringen eller en utskrift av den.",
        "answer_type": "yes_no",
        "rule_yes": "pass",
        "rule_no": "fail",
        "evidence_required": True,
        "evidence_valid_months": 12,
    },
]
SECURITY_CONTACT = {
    "code": "sikkerhetskontakt",
    "section": "Personvern og informasjonssikkerhet",
    "order": 35,
    "text": "Hvem er virksomhetens sikkerhetskontakt?",
    "help_text": "Oppgi navn, rolle, e-post og telefon til en navngitt person som KS "
    "og kommunene kan kontakte "
    "døgnet rundt ved sikkerhetshendelser.",
    "answer_type": "text",
    "evidence_required": False,
    "evidence_valid_months": None,
}

VENDOR_DETAILS = {
    "omsorgsdata": {
        "address": "Kongens gate 14, 7011 Trondheim",
        "contact_phone": "+47 73 10 20 30",
        "security": "Camilla Sørensen, sikkerhetsleder, sikkerhet@omsorgsdata.example, +47 73 10 20 39",
    },
    "kartleggeren": {
        "address": "Storgata 88, 0182 Oslo",
        "contact_phone": "+47 22 33 44 55",
        "security": "Magnus Berntsen, CISO, security@kartleggeren.example, +47 22 33 44 59",
    },
    "helsevev": {
        "address": "Strandgaten 3, 5013 Bergen",
        "contact_phone": "+47 55 60 70 80",
        "security": "Emil Hagen, teknisk leder, sikkerhet@helsevev.example, +47 55 60 70 89",
    },
    "tildel": {
        "address": "Dronningens gate 5, 4610 Kristiansand",
        "contact_phone": "+47 38 10 11 12",
        "security": "Rune Strøm, daglig leder, sikkerhet@tildel.example, +47 38 10 11 19",
    },
    "varselpluss": {
        "address": "Kirkegata 20, 2317 Hamar",
        "contact_phone": "+47 62 50 60 70",
        "security": "Maja Engen, driftsansvarlig, vakt@varselpluss.example, +47 62 50 60 79",
    },
    "journalflyt": {
        "address": "Torget 2, 9008 Tromsø",
        "contact_phone": "+47 77 60 50 40",
        "security": "Lise Berg, daglig leder, lise.berg@journalflyt.example, +47 77 60 50 41",
    },
}

EXTRA_VENDOR = {
    "key": "journalflyt",
    "name": "Journalflyt AS",
    "org_number": "926712349",
    "website": "https://journalflyt.example",
    "description": "Liten leverandør av integrasjoner mellom fagsystemer i pleie og omsorg. "
    "Brukes i demoen for å "
    "vise en leverandør med utløpt kvalifisering.",
    "admin": {"email": "lise.berg@journalflyt.example", "first_name": "Lise", "last_name": "Berg"},
}


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with a title and some lines of text (Helvetica, WinAnsi)."""

    def text(value: str) -> bytes:
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return escaped.encode("cp1252", errors="replace")

    content = b"BT /F1 16 Tf 56 780 Td (" + text(title) + b") Tj /F1 11 Tf"
    for line in lines:
        content += b" 0 -22 Td (" + text(line) + b") Tj"
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _evidence(criterion, organisation) -> SimpleUploadedFile:
    names = {
        "databehandleravtale": "databehandleravtale-mal.pdf",
        "normen": "egenerklaering-normen.pdf",
        "iso27001": "iso27001-sertifikat.pdf",
        "skatteattest": "skatteattest.pdf",
        "tilgjengelighetserklaering": "tilgjengelighetserklaering.pdf",
    }
    content = demo_pdf(
        criterion.text[:80],
        [
            organisation.name,
            f"Organisasjonsnummer {organisation.org_number}",
            f"Dokumentert {timezone.localdate():%d.%m.%Y}",
            "Demodokument for Markedsplassen.",
        ],
    )
    return SimpleUploadedFile(
        names.get(criterion.code, f"{criterion.code}.pdf"), content, content_type="application/pdf"
    )


def _shift(application, days: int) -> None:
    """Move an application's history `days` back in time: timestamps, dates in answers, its qualification."""
    from marketplace.models import AuditEvent, Document, Notification

    from .models import Qualification, QualificationAnswer, QualificationApplication, ReviewComment

    delta = timedelta(days=days)
    QualificationApplication.objects.filter(pk=application.pk).update(
        created_at=F("created_at") - delta,
        updated_at=F("updated_at") - delta,
        first_submitted_at=F("first_submitted_at") - delta,
        submitted_at=F("submitted_at") - delta,
        changes_requested_at=F("changes_requested_at") - delta,
        decided_at=F("decided_at") - delta,
    )
    answers = QualificationAnswer.objects.filter(application=application)
    answers.update(updated_at=F("updated_at") - delta)
    answers.exclude(value_date=None).update(value_date=F("value_date") - delta)
    ReviewComment.objects.filter(application=application).update(
        created_at=F("created_at") - delta, updated_at=F("updated_at") - delta
    )
    answer_type = ContentType.objects.get_for_model(QualificationAnswer)
    answer_ids = list(answers.values_list("pk", flat=True))
    Document.objects.filter(owner_type=answer_type, owner_id__in=answer_ids).update(
        created_at=F("created_at") - delta
    )
    targets = [
        (ContentType.objects.get_for_model(application), [str(application.pk)]),
        (answer_type, [str(pk) for pk in answer_ids]),
    ]
    qualification = Qualification.objects.filter(application=application).first()
    if qualification is not None:
        Qualification.objects.filter(pk=qualification.pk).update(
            qualified_on=F("qualified_on") - delta,
            expires_on=F("expires_on") - delta,
            created_at=F("created_at") - delta,
        )
        targets.append((ContentType.objects.get_for_model(qualification), [str(qualification.pk)]))
    for content_type, ids in targets:
        AuditEvent.objects.filter(target_type=content_type, target_id__in=ids).update(
            created_at=F("created_at") - delta
        )
    urls = [application.get_absolute_url(), f"/verifikasjon/kvalifisering/behandling/{application.pk}/"]
    old = Notification.objects.filter(url__in=urls)
    old.update(created_at=F("created_at") - delta)
    if days > 7:
        old.filter(read_at=None).update(read_at=timezone.now() - delta)


def _shift_set(criterion_set, *, activated_days_ago: int, retired_days_ago: int | None = None) -> None:
    from marketplace.models import AuditEvent

    from .models import CriterionSet

    now = timezone.now()
    CriterionSet.objects.filter(pk=criterion_set.pk).update(
        created_at=now - timedelta(days=activated_days_ago + 14),
        activated_at=now - timedelta(days=activated_days_ago),
        retired_at=now - timedelta(days=retired_days_ago) if retired_days_ago is not None else None,
    )
    AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(criterion_set), target_id=str(criterion_set.pk)
    ).update(created_at=now - timedelta(days=activated_days_ago))


class _Seeder:
    def __init__(self, ctx: DemoContext):
        from marketplace.acting import act_for

        self.ctx = ctx
        self.reviewer = ctx.admin_for("ks")
        henrik = ctx.people.get("henrik.aasen@ks.example")
        self.second_reviewer = act_for(henrik, ctx.organisations["ks"]) if henrik else self.reviewer

    def apply(
        self, key: str, *, answers: dict[str, Any] | None = None, reuse: bool = False, submit: bool = True
    ):
        """Fill in and submit an application for vendor `key` through the services."""
        from .services import qualification as services

        admin = self.ctx.admin_for(key)
        organisation = self.ctx.organisations[key]
        application = services.application_start(actor=admin, organisation=organisation, reuse_previous=reuse)
        details = VENDOR_DETAILS[key]
        services.application_update_details(
            actor=admin,
            application_id=application.pk,
            address=details["address"],
            contact_phone=details["contact_phone"],
            contact_name=admin.get_full_name(),
            contact_email=admin.email,
        )
        today = timezone.localdate()
        defaults = {"skatteattest": today - timedelta(days=20), "sikkerhetskontakt": details["security"]}
        values = {**defaults, **(answers or {})}
        criteria = list(application.criterion_set.criteria.order_by("order"))
        existing = set(application.answers.values_list("criterion_id", flat=True))
        to_save = {
            c.pk: values.get(c.code, "yes")
            for c in criteria
            if not reuse or c.pk not in existing or c.code in (answers or {}) or c.code == "skatteattest"
        }
        services.answers_save(actor=admin, application_id=application.pk, answers=to_save)
        rows = {a.criterion_id: a for a in application.answers.all()}
        from marketplace.services.documents import documents_for

        for criterion in criteria:
            if criterion.evidence_required and not documents_for(rows[criterion.pk]).exists():
                services.evidence_upload(
                    actor=admin,
                    application_id=application.pk,
                    criterion_id=criterion.pk,
                    upload=_evidence(criterion, organisation),
                )
        if submit:
            services.application_submit(actor=admin, application_id=application.pk)
        return application

    def criterion(self, application, code: str):
        return application.criterion_set.criteria.get(code=code)


@register(order=20, name="Kvalifisering: criteria, applications and qualified vendors")
def seed_qualification(ctx: DemoContext) -> None:
    from django.contrib.auth import get_user_model

    from marketplace.management.commands.seed_demo import DEMO_PASSWORD
    from marketplace.services.organisations import membership_add, organisation_create
    from marketplace.services.terms import terms_accept
    from marketplace.terms import audiences_for, current_terms

    from .models import CriterionSet
    from .services import qualification as services

    seeder = _Seeder(ctx)
    ks_admin = seeder.reviewer

    # An extra vendor, to show an expired qualification and a rejected application.
    extra = organisation_create(
        actor=ks_admin,
        name=EXTRA_VENDOR["name"],
        kind="vendor",
        org_number=EXTRA_VENDOR["org_number"],
        website=EXTRA_VENDOR["website"],
        description=EXTRA_VENDOR["description"],
    )
    ctx.organisations[EXTRA_VENDOR["key"]] = extra
    person = EXTRA_VENDOR["admin"]
    user = get_user_model().objects.create_user(
        email=person["email"],
        password=DEMO_PASSWORD,
        first_name=person["first_name"],
        last_name=person["last_name"],
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    membership_add(actor=ks_admin, organisation=extra, user=user, role="admin")
    ctx.people[user.email] = user
    ctx.admins[EXTRA_VENDOR["key"]] = user
    for audience, terms in current_terms().items():
        if audience in audiences_for(extra):
            terms_accept(actor=ctx.admin_for(EXTRA_VENDOR["key"]), organisation=extra, terms_id=terms.pk)

    # Version 1.0 of the criteria, in force until version 2.0 added the security contact.
    v1 = services.criterion_set_create(
        actor=ks_admin,
        version="1.0",
        title="Kvalifiseringskriterier for leverandører",
        description="Første versjon av kriteriene for å kvalifisere leverandører inn i økosystemet.",
    )
    for order, data in enumerate(CRITERIA_V1, start=1):
        services.criterion_add(actor=ks_admin, criterion_set_id=v1.pk, order=order * 10, **data)
    services.criterion_set_activate(actor=ks_admin, criterion_set_id=v1.pk, reason="Første versjon.")

    # Journalflyt: rejected (tax certificate too old), then qualified, and that qualification has expired.
    rejected = seeder.apply(
        "journalflyt", answers={"skatteattest": timezone.localdate() - timedelta(days=250)}
    )
    services.application_start_review(actor=ks_admin, application_id=rejected.pk)
    services.application_reject(
        actor=ks_admin,
        application_id=rejected.pk,
        reason="Skatteattesten er eldre enn seks måneder, og virksomheten har ikke dokumentert "
        "etterlevelse av "
        "Normen godt nok. Dere er velkommen til å søke på nytt.",
        comments={seeder.criterion(rejected, "skatteattest").pk: ("Skatteattesten er for gammel.", True)},
    )
    _shift(rejected, 440)
    expired = seeder.apply("journalflyt")
    services.application_start_review(actor=ks_admin, application_id=expired.pk)
    services.application_qualify(
        actor=ks_admin, application_id=expired.pk, reason="Alle kriterier er oppfylt."
    )
    _shift(expired, 410)

    # Helsevev and VarselPluss were qualified under version 1.0 almost a year ago.
    helsevev_v1 = seeder.apply("helsevev")
    services.application_start_review(actor=ks_admin, application_id=helsevev_v1.pk)
    services.application_qualify(actor=ks_admin, application_id=helsevev_v1.pk)
    _shift(helsevev_v1, 340)
    varselpluss_v1 = seeder.apply("varselpluss")
    services.application_start_review(actor=seeder.second_reviewer, application_id=varselpluss_v1.pk)
    services.application_qualify(actor=seeder.second_reviewer, application_id=varselpluss_v1.pk)
    _shift(varselpluss_v1, 360)

    # Version 2.0: a named security contact is added.
    v2 = services.criterion_set_create(
        actor=ks_admin,
        version="2.0",
        title="Kvalifiseringskriterier for leverandører",
        copy_from_id=v1.pk,
        description="Versjon 2.0 krever en navngitt sikkerhetskontakt, i tråd med leverandørvilkårene om "
        "varsling av sikkerhetshendelser innen 24 timer.",
    )
    services.criterion_add(actor=ks_admin, criterion_set_id=v2.pk, **SECURITY_CONTACT)
    services.criterion_set_activate(
        actor=ks_admin, criterion_set_id=v2.pk, reason="Sikkerhetskontakt lagt til."
    )
    _shift_set(v1, activated_days_ago=480, retired_days_ago=120)
    _shift_set(v2, activated_days_ago=120)

    # Omsorgsdata: qualified three months ago.
    omsorgsdata = seeder.apply("omsorgsdata")
    services.application_start_review(actor=ks_admin, application_id=omsorgsdata.pk)
    services.application_qualify(
        actor=ks_admin, application_id=omsorgsdata.pk, reason="Alle kriterier er oppfylt."
    )
    _shift(omsorgsdata, 90)

    # Kartleggeren: no ISO certificate, but an equivalent management system the reviewer accepted.
    kartleggeren = seeder.apply("kartleggeren", answers={"iso27001": "no"})
    services.application_start_review(actor=seeder.second_reviewer, application_id=kartleggeren.pk)
    services.application_qualify(
        actor=seeder.second_reviewer,
        application_id=kartleggeren.pk,
        reason="ISO 27001 er erstattet av et likeverdig styringssystem med ekstern revisjon.",
        comments={
            seeder.criterion(kartleggeren, "iso27001").pk: (
                "Revisjonsrapporten fra ekstern revisor dokumenterer et styringssystem som er likeverdig med "
                "ISO/IEC 27001. Godtatt.",
                False,
            )
        },
    )
    _shift(kartleggeren, 60)

    # Tildel: changes requested on the tax certificate, resubmitted and qualified.
    tildel = seeder.apply("tildel", answers={"skatteattest": timezone.localdate() - timedelta(days=230)})
    services.application_start_review(actor=ks_admin, application_id=tildel.pk)
    tax = seeder.criterion(tildel, "skatteattest")
    services.application_request_changes(
        actor=ks_admin,
        application_id=tildel.pk,
        reason="Skatteattesten er eldre enn seks måneder. Last opp en ny attest.",
        comments={tax.pk: ("Bestill ny skatteattest i Altinn og last den opp.", True)},
    )
    tildel_admin = ctx.admin_for("tildel")
    services.answers_save(
        actor=tildel_admin,
        application_id=tildel.pk,
        answers={tax.pk: timezone.localdate() - timedelta(days=3)},
    )
    services.evidence_upload(
        actor=tildel_admin,
        application_id=tildel.pk,
        criterion_id=tax.pk,
        upload=_evidence(tax, ctx.organisations["tildel"]),
    )
    services.application_submit(actor=tildel_admin, application_id=tildel.pk)
    services.application_start_review(actor=ks_admin, application_id=tildel.pk)
    services.application_qualify(
        actor=ks_admin, application_id=tildel.pk, reason="Ny skatteattest er mottatt."
    )
    _shift(tildel, 30)

    # The scheduled sweep: Journalflyt expires; VarselPluss had its 30-day reminder, now the 7-day one;
    # Helsevev gets its 30-day reminder.
    services.qualifications_expire_and_remind(today=timezone.localdate() - timedelta(days=25))
    services.qualifications_expire_and_remind()

    # Helsevev's requalification reuses its answers; the stale tax certificate is renewed. It is in review.
    helsevev = seeder.apply("helsevev", reuse=True)
    services.application_start_review(actor=seeder.second_reviewer, application_id=helsevev.pk)
    services.review_comments_save(
        actor=seeder.second_reviewer,
        application_id=helsevev.pk,
        comments={
            seeder.criterion(helsevev, "sikkerhetskontakt").pk: (
                "Oppgi gjerne en stedfortreder for sikkerhetskontakten.",
                False,
            )
        },
    )
    _shift(helsevev, 2)

    # VarselPluss has started its requalification: a draft that reuses the previous answers.
    services.application_start(
        actor=ctx.admin_for("varselpluss"), organisation=ctx.organisations["varselpluss"], reuse_previous=True
    )

    # Journalflyt has applied again after its qualification expired: waiting for review.
    journalflyt = seeder.apply("journalflyt", reuse=True)
    _shift(journalflyt, 1)

    ctx.extra["qualification_criterion_set"] = CriterionSet.objects.get(pk=v2.pk)
    ctx.log(
        "criteria 1.0 (retired) and 2.0 (in force); qualified: omsorgsdata, kartleggeren, tildel, "
        "helsevev (requalification in review), varselpluss (expires within a week); journalflyt expired"
    )


# Verifikasjon (order 40): products, declarations, runs and listings ------------------------------------------
#
# The demo has no reachable vendor sandbox. Runs are made through the services and executed by the real
# checks; the network side is `DemoSandboxClient`, which answers in-process as each vendor's sandbox would
# (a CapabilityStatement for the declared resources, search Bundles, OpenID Connect discovery, security
# headers). Every exchange it produces is marked as simulated in the evidence. Faults make the failures.

DEMO_EXCHANGE_MS = 38


class DemoSandboxClient:
    """A stand-in for `verification.safe_http.SafeClient` that answers like a vendor sandbox, without a network."""

    def __init__(self, *, declared: dict[str, list[str]], faults: set[str] = frozenset()):
        self.declared = declared
        self.faults = set(faults)
        self.on_request = None

    def get(self, url: str, *, accept: str = "*/*"):
        import json
        from urllib.parse import urlsplit

        from .safe_http import Fetch

        parts = urlsplit(url)
        path = parts.path.rstrip("/")
        status, headers, body = 404, {"Content-Type": "application/json"}, {"error": "not found"}
        if path.endswith("/fhir/metadata"):
            status, headers, body = 200, {"Content-Type": "application/fhir+json"}, self._capability()
        elif "/fhir/" in path:
            resource_type = path.rsplit("/", 1)[1]
            status, headers, body = 200, {"Content-Type": "application/fhir+json"}, self._bundle(resource_type)
        elif path.endswith("/.well-known/openid-configuration"):
            issuer = f"{parts.scheme}://{parts.netloc}{path.rsplit('/.well-known', 1)[0]}"
            status, body = 200, {
                "issuer": issuer, "authorization_endpoint": f"{issuer}/authorize", "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
            }
        elif path.endswith("/jwks"):
            status, body = 200, {"keys": [{"kty": "RSA", "kid": "demo-1", "use": "sig", "alg": "RS256", "e": "AQAB",
                                           "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1Wl"}]}
        elif "/app" in path or path == "":
            status, headers, body = 200, {
                "Content-Type": "text/html; charset=utf-8",
                "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
                "Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
            }, None
        raw = b"<!doctype html><title>Demo</title>" if body is None else json.dumps(body, ensure_ascii=False).encode()
        fetch = Fetch(url=url, status=status, headers=headers, content=raw, network_ms=DEMO_EXCHANGE_MS)
        fetch.exchanges.append({
            "kind": "http", "method": "GET", "url": url, "accept": accept, "status": status,
            "reason": "OK" if status == 200 else "Not Found", "headers": {**headers, "Content-Length": str(len(raw))},
            "body_bytes": len(raw), "body_excerpt": raw[:2000].decode("utf-8", "replace"),
            "elapsed_ms": DEMO_EXCHANGE_MS, "simulated": True,
        })
        if self.on_request:
            self.on_request()
        return fetch

    def _capability(self) -> dict:
        resources = [
            {"type": t, "interaction": [{"code": c} for c in codes]}
            for t, codes in sorted(self.declared.items()) if f"missing:{t}" not in self.faults
        ]
        return {"resourceType": "CapabilityStatement", "status": "active", "date": "2026-01-15", "kind": "instance",
                "fhirVersion": "4.0.1", "format": ["json"], "rest": [{"mode": "server", "resource": resources}]}

    def _bundle(self, resource_type: str) -> dict:
        samples = {
            "Patient": {"resourceType": "Patient", "id": "demo-1", "name": [{"family": "Nordmann", "given": ["Kari"]}],
                        "gender": "female", "birthDate": "1941-03-02"},
            "Observation": {"resourceType": "Observation", "id": "demo-1", "status": "final", "code": {"text": "NEWS2"},
                            "valueInteger": 3},
            "Questionnaire": {"resourceType": "Questionnaire", "id": "demo-1", "status": "active"},
            "QuestionnaireResponse": {"resourceType": "QuestionnaireResponse", "id": "demo-1", "status": "completed"},
            "Practitioner": {"resourceType": "Practitioner", "id": "demo-1", "name": [{"family": "Hansen"}]},
            "Task": {"resourceType": "Task", "id": "demo-1", "status": "requested", "intent": "order"},
        }
        sample = dict(samples.get(resource_type, {}))
        if sample and f"invalid:{resource_type}" in self.faults:
            sample["effectiveDateTime" if resource_type == "Observation" else "meta"] = "i går kveld"
        entries = [{"fullUrl": f"urn:uuid:{resource_type}-demo-1", "resource": sample, "search": {"mode": "match"}}]
        return {"resourceType": "Bundle", "type": "searchset", "total": 1 if sample else 0,
                "entry": entries if sample else []}


def _product_declaration(data: dict) -> dict:
    return {
        "funksjon": {"description": data["functions"], "work_processes": data["work_processes"],
                     "professions": data["professions"], "service_areas": data["service_areas"]},
        "informasjon": {"fhir_resources": data["fhir"], "terminologies": data["terminologies"],
                        "national_solutions": data["national_solutions"], "data_location": data["data_location"],
                        "processor": data["processor"]},
        "innforing": {"prerequisites": data["prerequisites"], "training": data["training"],
                      "onboarding_support": data["onboarding_support"], "risks": data["risks"]},
    }


# What happens to each demo product: listed, listed with a new version in review, under utbedring, …
PRODUCT_STORIES = {
    "kartleggeren-kognitiv": "listed",
    "kartleggeren-egenrapport": "listed",
    "tildel-vedtak": "listed_new_version_in_review",
    "tildel-tjenesteoversikt": "submitted",
    "varselpluss-news2": "under_remediation",
    "omsorgsdata-legemiddel": "listed",
    "omsorgsdata-kritisk-info": "failed_run",
    "omsorgsdata-tilsyn": "draft",
    "helsevev-video": "listed",
    "helsevev-innbygger": "changes_requested",
    "varselpluss-trygghet": "listed",
    "kartleggeren-fysio": "draft_partial",
}
DOCUMENT_TITLES = {
    "dpia": "Personvernkonsekvensvurdering (DPIA)",
    "ros": "Risiko- og sårbarhetsanalyse (ROS)",
    "dpa": "Databehandleravtale",
    "user_docs": "Brukerdokumentasjon",
}


@register(order=40, name="Verifikasjon: products, declarations, verification runs and listings")
def seed_verification(ctx: DemoContext) -> None:
    from marketplace import demo_data

    from .models import VerificationRun
    from .services import listing as listing_services
    from .services import products as product_services
    from .services import runs as run_services

    reviewer = ctx.admin_for("ks")
    needs = ctx.extra.get("needs", {})
    products, counts = {}, {}

    def execute(version, *, faults=frozenset(), actor=None, scheduled=False):
        """Queue a run through the services and execute it at once against the simulated sandbox."""
        version.refresh_from_db()
        if scheduled:
            run = run_services.run_create(version=version, actor=None, trigger=VerificationRun.Trigger.SCHEDULED)
        else:
            run = VerificationRun.objects.filter(version=version, status=VerificationRun.Status.QUEUED).first() \
                or run_services.run_start(actor=actor, version_id=version.pk)
        declared = version.content.get("informasjon", {}).get("fhir_resources", {})
        run_services.run_execute(run_id=run.pk, client=DemoSandboxClient(declared=declared, faults=faults))
        run.refresh_from_db()
        return run

    def documents(version, vendor_actor, data):
        for kind, title in DOCUMENT_TITLES.items():
            upload = SimpleUploadedFile(
                f"{data['key']}-{kind}.pdf",
                demo_pdf(title, [data["name"], ctx.organisations[data["vendor"]].name, "Demodokument for Markedsplassen."]),
                content_type="application/pdf",
            )
            product_services.version_document_upload(actor=vendor_actor, version_id=version.pk, kind=kind,
                                                     upload=upload, title=title)

    for data in demo_data.PRODUCTS:
        story = PRODUCT_STORIES.get(data["key"], "listed")
        vendor = ctx.admin_for(data["vendor"])
        host = f"https://sandbox.{data['vendor']}.example/{data['key']}"
        product = product_services.product_create(
            actor=vendor, organisation=vendor.acting_organisation, name=data["name"],
            short_description=data["short_description"], description=data["description"],
            service_areas=[ctx.service_areas[slug] for slug in data["service_areas"]],
            needs=[needs[k] for k in data["answers_needs"] if k in needs and needs[k].stage == "published"],
            price_model=data["price_model"], website=data["website"],
            fhir_base_url=f"{host}/fhir", oidc_issuer=f"{host}/oidc", app_url=f"{host}/app/",
        )
        products[data["key"]] = product
        counts[story] = counts.get(story, 0) + 1
        version = product.versions.get()
        content = _product_declaration(data)
        if story == "draft_partial":
            content["innforing"] = {"prerequisites": data["prerequisites"]}
            product_services.version_update(actor=vendor, version_id=version.pk, content=content)
            continue
        product_services.version_update(actor=vendor, version_id=version.pk, content=content)
        if story == "draft":
            continue
        documents(version, vendor, data)
        product_services.version_freeze(actor=vendor, version_id=version.pk)
        if story == "failed_run":
            # The sandbox does not offer MedicationAdministration, which the declaration promises.
            execute(version, faults={"missing:MedicationAdministration"})
            continue
        execute(version)
        product_services.version_submit(actor=vendor, version_id=version.pk)
        if story == "submitted":
            continue
        if story == "changes_requested":
            listing_services.listing_request_changes(
                actor=reviewer, version_id=version.pk,
                reason="Brukerdokumentasjonen beskriver ikke innlogging med BankID via Helsenorge. Oppdater "
                       "dokumentasjonen og send inn en ny versjon.",
            )
            continue
        listing_services.listing_approve(actor=reviewer, version_id=version.pk,
                                         reason="Deklarasjonen, dokumentene og verifiseringen er i orden.")
        if story == "under_remediation":
            # The weekly re-verification finds that a search returns an invalid Observation.
            execute(version, faults={"invalid:Observation"}, scheduled=True)
        elif story == "listed_new_version_in_review":
            second = product_services.version_create(actor=vendor, product_id=product.pk)
            content = _product_declaration(data)
            content["funksjon"]["description"] += " Versjon 2 gir innbyggeren varsel når vedtaket er fattet."
            content["informasjon"]["national_solutions"] = sorted({*data["national_solutions"], "Helsenorge"})
            product_services.version_update(actor=vendor, version_id=second.pk, content=content)
            product_services.version_freeze(actor=vendor, version_id=second.pk)
            execute(second)
            product_services.version_submit(actor=vendor, version_id=second.pk)

    ctx.extra["products"] = products
    ctx.log("products: " + ", ".join(f"{n} {story}" for story, n in sorted(counts.items())))
