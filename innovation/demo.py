"""Demo data for Innovasjonsarena (X-8): the needs of the source with their core teams, stages, involvement,
checklists, evaluation criteria, interested vendors and a little discussion — written through the services.

Kognitiv kartlegging is owned by Innlandet with Bodø and Drammen in the core team; Ringsaker (Inger's
municipality) is not, so that Inger's journey — find it, ask to join, be accepted — can be tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from marketplace import demo_data
from marketplace.demo import DemoContext, register
from marketplace.terms import forget_pending_terms

from . import services
from .models import ChecklistItem, InvolvementStep, Stage

FORWARD = [Stage.PRIORITISATION, Stage.EVALUATION_CRITERIA, Stage.PUBLISHED]

# A little more per need, so that the declaration, the involvement log and comparison have content.
FHIR = {
    "kognitiv-kartlegging": {
        "Patient": ["read"],
        "Questionnaire": ["read"],
        "QuestionnaireResponse": ["create", "read", "search-type"],
    },
    "selvregistrering": {"Patient": ["read"], "QuestionnaireResponse": ["create", "read"]},
    "news2": {"Patient": ["read"], "Observation": ["create", "read", "search-type"]},
    "oversikt-kommunale-tjenester": {
        "Patient": ["read"],
        "HealthcareService": ["read", "search-type"],
        "EpisodeOfCare": ["read", "search-type"],
    },
    "legemiddelhandtering-hjemmetjenesten": {
        "Patient": ["read"],
        "MedicationStatement": ["read", "search-type"],
        "MedicationAdministration": ["create", "read"],
    },
    "automatisk-tildeling": {"Patient": ["read"], "ServiceRequest": ["read", "search-type", "update"]},
}
NATIONAL = {
    "Helsenorge": "Helsenorge",
    "HelseID": "HelseID",
    "Kjernejournal": "Kjernejournal",
    "e-resept": "e-resept",
    "Pasientens legemiddelliste": "PLL",
    "PLL": "PLL",
}
INVOLVEMENT = {
    "kognitiv-kartlegging": [
        (
            InvolvementStep.CORE_TEAM,
            120,
            "Innlandet fylkeskommune, Bodø kommune, Drammen kommune",
            "Oppstartsmøte i kjerneteamet. Vi ble enige om målene og om å starte med kartleggingskriteriene.",
        ),
        (
            InvolvementStep.HEALTH_PERSONNEL,
            90,
            "Sykepleiere og ergoterapeuter fra hjemmetjenesten, to pårørende, "
            "brukerrepresentant fra eldrerådet",
            "Arbeidsverksted om dagens kartlegging. Papirskjemaer og dobbel "
            "registrering er det største problemet; pårørende ønsker å se resultatet.",
        ),
        (
            InvolvementStep.VENDORS,
            45,
            "Tre interesserte applikasjonsleverandører",
            "Dialogmøte om felles kriterier, FHIR-ressurser og bruk uten nett hos innbyggeren.",
        ),
        (
            InvolvementStep.INFORMATION_MANAGEMENT,
            30,
            "FKJ informasjonsforvaltning",
            "Gjennomgang av informasjonsmodellen: kartleggingen lagres som QuestionnaireResponse "
            "med SNOMED CT-koder.",
        ),
    ],
    "news2": [
        (
            InvolvementStep.CORE_TEAM,
            200,
            "Stavanger, Bergen, Kristiansand og Norsk helsenett",
            "Felles plan for utprøvingen i sykehjem og hjemmetjenester.",
        ),
        (
            InvolvementStep.HEALTH_PERSONNEL,
            150,
            "Sykepleiere, sykehjemsleger og leger på legevakt",
            "Observasjon ved sengen og intervjuer om varsling etter NEWS2-skår.",
        ),
    ],
    "oversikt-kommunale-tjenester": [
        (
            InvolvementStep.CORE_TEAM,
            180,
            "Bærum, Oslo, Bergen og Norsk helsenett",
            "Avgrensning: hvilke vedtak skal vises, og for hvem.",
        ),
        (
            InvolvementStep.INFORMATION_MANAGEMENT,
            60,
            "FKJ informasjonsforvaltning og Norsk helsenett",
            "Vurdering av HealthcareService og EpisodeOfCare på felles infrastruktur.",
        ),
    ],
}
COMMENTS = {
    "kognitiv-kartlegging": [
        (
            "bodo",
            "Vi har testet de omforente kriteriene i to soner i hjemmetjenesten. Tilbakemeldingene er gode, "
            "men skjemaet bør kunne fylles ut uten nett.",
        ),
        ("drammen", "Enig. Vi foreslår også at pårørende kan se oppsummeringen etter besøket."),
    ],
    "news2": [("bergen", "Legevakten vår ønsker varsel først ved skår 5 eller mer, slik prosedyren sier.")],
    "automatisk-tildeling": [("ringsaker", "Vi bidrar gjerne med tildelingskriteriene for trygghetsalarm.")],
}
# Unpublished needs their owners have opened to the other participants (the mock-up shows Bodø's idea
# "Selvregistrering" and Drammen's "Videomøte" to Inger); the rest are for their core teams only.
SHARED = {
    "selvregistrering",
    "innspill-fastlege",
    "videomote-innbygger-parorende",
    "legemiddelhandtering-hjemmetjenesten",
    "egenrapportering-psykisk-helse",
    "fysioterapi-henvisning",
}
RETIRE_REASON = {
    "sms-timepaminnelse": (
        "Dekkes av nasjonale løsninger og av funksjonalitet i eksisterende journalsystemer."
    ),
}


def _split_list(text: str) -> list[str]:
    parts = re.split(r",\s*|\s+og\s+", (text or "").strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def _declaration(data: dict) -> dict:
    """A desired product declaration drawn from the need's own description."""
    funksjon = {
        "description": data["desired_situation"],
        "professions": _split_list(data["professions_involved"]),
        "service_areas": list(data["service_areas"]),
        "work_processes": list(data["goals"][:2]),
    }
    found = []
    for word, code in NATIONAL.items():
        if word in data["systems_involved"] and code not in found:
            found.append(code)
    informasjon: dict = {}
    if found:
        informasjon["national_solutions"] = found
    if data["key"] in FHIR:
        informasjon["fhir_resources"] = FHIR[data["key"]]
    if data["stage"] in (Stage.EVALUATION_CRITERIA, Stage.PUBLISHED):
        informasjon["data_location"] = "norway"
    innforing = {"prerequisites": f"Integrasjon med: {data['systems_involved']}"}
    return {"funksjon": funksjon, "informasjon": informasjon, "innforing": innforing}


@contextmanager
def _as_before_new_terms(user) -> Iterator[None]:
    """Organisations that have not accepted the newest terms took part before those took effect: let their
    demo history be written, then put the gate back so the demo shows them having to accept (TRM-4)."""
    organisation = user.acting_organisation
    pending = list(organisation.__dict__.get("_pending_terms") or [])
    organisation._pending_terms = []
    try:
        yield
    finally:
        forget_pending_terms(organisation)
        if pending:
            organisation._pending_terms = pending


def _as(ctx: DemoContext, key: str):
    return ctx.admin_for(key)


@register(order=30, name="innovation: needs, core teams, involvement, checklists, criteria and discussion")
def seed(ctx: DemoContext) -> None:
    today = timezone.localdate()
    needs = {}
    for data in demo_data.NEEDS:
        owner = _as(ctx, data["owner"])
        with _as_before_new_terms(owner):
            need = services.need_create(
                actor=owner,
                title=data["title"],
                summary=data["summary"],
                service_areas=[ctx.service_areas[slug] for slug in data["service_areas"]],
                problem_today=data["problem_today"],
                desired_situation=data["desired_situation"],
                systems_involved=data["systems_involved"],
                professions_involved=data["professions_involved"],
                goals=data["goals"],
                desired_declaration=_declaration(data),
                shared=data["key"] in SHARED,
            )
        needs[data["key"]] = need
        published = data["stage"] == Stage.PUBLISHED
        if not published:
            _collaborators(ctx, need, data, invite=True)
        owner = _as(ctx, data["owner"])
        with _as_before_new_terms(owner):
            for step, days_ago, participants, notes in INVOLVEMENT.get(data["key"], []):
                services.involvement_add(
                    actor=owner,
                    need_id=need.pk,
                    step=step,
                    date=today - timedelta(days=days_ago),
                    participants=participants,
                    notes=notes,
                )
            _advance(ctx, owner, need, data)
        if published:
            # Once a need is published others can see it and ask to join; the owner takes them in.
            _collaborators(ctx, need, data, invite=False)

    for data in demo_data.NEEDS:
        for org_key, body in COMMENTS.get(data["key"], []):
            person = _as(ctx, org_key)
            with _as_before_new_terms(person):
                services.comment_add(actor=person, need_id=needs[data["key"]].pk, body=body)

    interested = 0
    for product in demo_data.PRODUCTS:
        for need_key in product["answers_needs"]:
            need = needs[need_key]
            need.refresh_from_db(fields=["stage"])
            if need.stage != Stage.PUBLISHED:
                continue
            vendor = _as(ctx, product["vendor"])
            if not need.interested_vendors.filter(organisation=vendor.acting_organisation).exists():
                services.interest_register(
                    actor=vendor,
                    need_id=need.pk,
                    note=f"Vi tilbyr {product['name']} og deltar gjerne i dialogmøter.",
                )
                interested += 1

    ctx.extra["needs"] = needs
    ctx.log(f"{len(needs)} needs, {interested} vendor interests")


def _collaborators(ctx: DemoContext, need, data: dict, *, invite: bool) -> None:
    """The owner invites the core team (before publication) or takes in organisations that ask (after)."""
    for key in data["collaborators"]:
        name = ctx.organisations[key].name
        if invite:
            owner = _as(ctx, data["owner"])
            with _as_before_new_terms(owner):
                collaboration = services.collaboration_invite(
                    actor=owner,
                    need_id=need.pk,
                    organisation_id=ctx.organisations[key].pk,
                    message=f"Vil {name} være med i kjerneteamet?",
                )
            answerer = _as(ctx, key)
        else:
            asker = _as(ctx, key)
            with _as_before_new_terms(asker):
                collaboration = services.collaboration_request(
                    actor=asker,
                    need_id=need.pk,
                    message=f"{name} ønsker å være med i kjerneteamet.",
                )
            answerer = _as(ctx, data["owner"])
        with _as_before_new_terms(answerer):
            services.collaboration_accept(actor=answerer, collaboration_id=collaboration.pk)


def _advance(ctx: DemoContext, owner, need, data: dict) -> None:
    """Walk the need through the stages to where the source has it, filling in what each step requires."""
    target = data["stage"]
    if target == Stage.ARCHIVED:
        services.need_change_stage(
            actor=owner,
            need_id=need.pk,
            to=Stage.ARCHIVED,
            reason=RETIRE_REASON.get(data["key"], "Arkivert."),
        )
        return
    if target == Stage.IDEA:
        return
    for stage in FORWARD:
        if stage == Stage.PUBLISHED:
            for item in ChecklistItem.objects.filter(need=need):
                services.checklist_set(
                    actor=owner,
                    need_id=need.pk,
                    item_id=item.pk,
                    checked=True,
                    comment=_checklist_comment(item.code),
                )
        if stage == Stage.EVALUATION_CRITERIA and data["evaluation_criteria"]:
            services.criteria_set(
                actor=owner,
                need_id=need.pk,
                criteria=[
                    {"name": name, "description": "", "weight": weight}
                    for name, weight in data["evaluation_criteria"]
                ],
            )
        services.need_change_stage(actor=owner, need_id=need.pk, to=stage)
        if stage == target:
            return


def _checklist_comment(code: str) -> str:
    return {
        ChecklistItem.Code.LAWS: "Vurdert mot pasientjournalloven og helsepersonelloven sammen med jurist.",
        ChecklistItem.Code.NATIONAL_INITIATIVES: "Sjekket mot nasjonale e-helseløsninger; ingen overlapp.",
        ChecklistItem.Code.ANCHORED: "Forankret hos kommunalsjef og i ledergruppen.",
        ChecklistItem.Code.ESTIMATE: "Grovt estimat for innføring og drift er laget.",
    }.get(code, "Ok.")
