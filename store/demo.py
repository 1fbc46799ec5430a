"""Demo data of the store app (X-8). Seeders write through the services, as real use does.

Butikken (order 50), on the listings Verifikasjon's seeder approved (order 40):
- the store entries of every listing (search document, facets);
- an active adoption for every (product, organisation) pair of the demo experiences, so that those
  organisations may rate what they use (EXP-2): requested by the municipality's admin and accepted by the
  vendor's admin, or — for organisations that have not accepted the newest terms — registered by KS as
  agreed before Markedsplassen; then moved back in time, so the store shows realistic dates;
- adoptions in the other states: a request waiting for the vendor, one accepted to start next month,
  one declined, one ended (each on the first suitable listed product);
- a shortlist for Inger's municipality, Ringsaker: a saved search and the candidates for kognitiv kartlegging.
Ratings come from Erfaringsarena's seeder, "felleskjøpt" from Felleskjøp's.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from marketplace.demo import DemoContext, register

# (product key, organisation key, days in use): the demo experiences' pairs, in use for a while.
IN_USE_DAYS = {
    ("kartleggeren-kognitiv", "ringsaker"): 420,
    ("kartleggeren-kognitiv", "bodo"): 300,
    ("varselpluss-news2", "stavanger"): 380,
    ("varselpluss-news2", "bergen"): 250,
    ("tildel-tjenesteoversikt", "baerum"): 330,
    ("tildel-vedtak", "vinje"): 200,
    ("helsevev-video", "drammen"): 160,
    ("omsorgsdata-legemiddel", "kristiansand"): 290,
    ("omsorgsdata-kritisk-info", "hammerfest"): 120,
}
# More users, so that "most used" sorts and "Brukes av N kommuner" say something.
EXTRA_IN_USE = [
    ("kartleggeren-kognitiv", "innlandet", 360),
    ("tildel-vedtak", "ringsaker", 180),
    ("varselpluss-news2", "oslo", 90),
    ("helsevev-video", "bodo", 60),
    ("omsorgsdata-legemiddel", "bergen", 140),
]
# The other states, each with the first listed product of its list that the organisation does not use yet.
WAITING = (
    ["helsevev-innbygger", "omsorgsdata-legemiddel", "helsevev-video", "varselpluss-news2"],
    "ringsaker",
    "Vi vil gjerne prøve løsningen i hjemmetjenesten fra nyttår, først i sone nord.",
)
STARTS_LATER = (["varselpluss-trygghet", "omsorgsdata-legemiddel", "tildel-vedtak"], "oslo", 30)
DECLINED = (
    ["omsorgsdata-tilsyn", "omsorgsdata-legemiddel", "kartleggeren-egenrapport"],
    "bodo",
    "Vi tar ikke inn nye kunder før neste versjon er ute i vår. Vi tar kontakt når den er klar.",
)
ENDED = (
    ["kartleggeren-egenrapport", "varselpluss-trygghet"],
    "drammen",
    "Vi har gått over til egenrapportering i den nye journalen.",
)
SHORTLIST = {
    "name": "Kognitiv kartlegging – kandidater",
    "description": (
        "Løsninger vi vurderer for kartlegging i hjemmetjenesten, sammen med kjerneteamet i Innlandet."
    ),
    "search_query": "q=kartlegging&national_solutions=HelseID&sort=relevance",
    "products": ["kartleggeren-kognitiv", "tildel-vedtak", "kartleggeren-fysio"],
}
INGER = "inger.hansen@ringsaker.example"


def _products_by_key() -> dict:
    from marketplace import demo_data
    from verification.models import Listing, Product

    names = {p["name"]: p["key"] for p in demo_data.PRODUCTS}
    return {
        names[p.name]: p
        for p in Product.objects.filter(listing__status__in=Listing.ACTIVE_STATES).select_related("vendor")
        if p.name in names
    }


def _vendor_key(ctx: DemoContext, product) -> str | None:
    return next((key for key, org in ctx.organisations.items() if org.pk == product.vendor_id), None)


def _shift(adoption, days: int) -> None:
    """Move an adoption made "now" back in time by `days` (timestamps only; the states came from the
    services)."""
    from marketplace.models import AuditEvent

    from .models import Adoption

    delta = timedelta(days=days)
    Adoption.objects.filter(pk=adoption.pk).update(
        requested_at=adoption.requested_at - delta - timedelta(days=14),
        decided_at=adoption.decided_at - delta - timedelta(days=7) if adoption.decided_at else None,
        start_date=adoption.start_date - delta if adoption.start_date else None,
    )
    for event in AuditEvent.objects.filter(
        target_type__app_label="store", target_type__model="adoption", target_id=str(adoption.pk)
    ):
        back = delta + timedelta(
            days=14 if event.verb in ("adoption.requested", "adoption.registered") else 0
        )
        AuditEvent.objects.filter(pk=event.pk).update(created_at=event.created_at - back)


def _pick(products: dict, keys: list[str], organisation) -> object | None:
    """The first of `keys` that is listed and that `organisation` has no open adoption of."""
    from .models import Adoption

    used = set(
        Adoption.objects.filter(organisation=organisation, status__in=Adoption.OPEN_STATES).values_list(
            "product_id", flat=True
        )
    )
    return next((products[k] for k in keys if k in products and products[k].pk not in used), None)


def _put_in_use(ctx: DemoContext, product, org_key: str, days: int) -> None:
    from marketplace.errors import DomainError
    from marketplace.terms import terms_pending_for

    from .services import catalogue as services

    organisation = ctx.organisations.get(org_key)
    vendor_key = _vendor_key(ctx, product)
    if organisation is None or vendor_key is None:
        ctx.log(f"skipped adoption of {product.name} by {org_key}: unknown organisation")
        return
    today = timezone.localdate()
    try:
        if terms_pending_for(organisation) or terms_pending_for(ctx.organisations[vendor_key]):
            raise DomainError("terms pending")
        adoption = services.adoption_request(
            actor=ctx.admin_for(org_key),
            organisation=organisation,
            product_id=product.pk,
            message=f"{organisation.name} ønsker å ta {product.name} i bruk.",
        )
        adoption = services.adoption_accept(
            actor=ctx.admin_for(vendor_key),
            adoption_id=adoption.pk,
            start_date=today,
            message="Velkommen som kunde!",
        )
    except DomainError:
        # Agreed before the organisation accepted the newest terms: KS registers the adoption.
        adoption = services.adoption_register_existing(
            actor=ctx.admin_for("ks"),
            organisation=organisation,
            product_id=product.pk,
            start_date=today,
            reason="Avtale inngått direkte med leverandøren før Markedsplassen.",
        )
    _shift(adoption, days)


@register(order=50, name="Butikken: store entries, adoptions and a shortlist")
def seed_catalogue(ctx: DemoContext) -> None:
    from marketplace.acting import act_for

    from .services import catalogue as services

    built = services.store_entries_sync()
    products = _products_by_key()
    if not products:
        ctx.log("Butikken: no listed products yet (Verifikasjon's seeder lists them); nothing to add.")
        return
    ctx.log(f"Butikken: {built} store entries for {len(products)} listed demo products")

    for (product_key, org_key), days in IN_USE_DAYS.items():
        if product_key in products:
            _put_in_use(ctx, products[product_key], org_key, days)
    for product_key, org_key, days in EXTRA_IN_USE:
        if product_key in products:
            _put_in_use(ctx, products[product_key], org_key, days)

    from .models import Adoption

    today = timezone.localdate()
    keys, org_key, message = WAITING
    product = _pick(products, keys, ctx.organisations[org_key])
    if product is not None:
        services.adoption_request(
            actor=ctx.admin_for(org_key),
            organisation=ctx.organisations[org_key],
            product_id=product.pk,
            message=message,
            wanted_start=today + timedelta(days=45),
        )
    keys, org_key, days = STARTS_LATER
    product = _pick(products, keys, ctx.organisations[org_key])
    if product is not None:
        adoption = services.adoption_request(
            actor=ctx.admin_for(org_key), organisation=ctx.organisations[org_key], product_id=product.pk
        )
        services.adoption_accept(
            actor=ctx.admin_for(_vendor_key(ctx, product)),
            adoption_id=adoption.pk,
            start_date=today + timedelta(days=days),
            message="Oppstart etter opplæringen.",
        )
    keys, org_key, reason = DECLINED
    product = _pick(products, keys, ctx.organisations[org_key])
    if product is not None:
        adoption = services.adoption_request(
            actor=ctx.admin_for(org_key), organisation=ctx.organisations[org_key], product_id=product.pk
        )
        services.adoption_decline(
            actor=ctx.admin_for(_vendor_key(ctx, product)), adoption_id=adoption.pk, reason=reason
        )
    keys, org_key, reason = ENDED
    product = _pick(products, keys, ctx.organisations[org_key])
    if product is not None:
        _put_in_use(ctx, product, org_key, 500)
        adoption = Adoption.objects.get(
            product=product, organisation=ctx.organisations[org_key], status=Adoption.Status.ACTIVE
        )
        services.adoption_end(actor=ctx.admin_for(org_key), adoption_id=adoption.pk, reason=reason)

    inger = ctx.people.get(INGER)
    ringsaker = ctx.organisations.get("ringsaker")
    if inger is not None and ringsaker is not None:
        chosen = [products[key].pk for key in SHORTLIST["products"] if key in products]
        services.shortlist_create(
            actor=act_for(inger, ringsaker),
            organisation=ringsaker,
            name=SHORTLIST["name"],
            description=SHORTLIST["description"],
            search_query=SHORTLIST["search_query"],
            product_ids=chosen,
        )
    ctx.extra["store_products"] = products


# Felleskjøp (order 60) ------------------------------------------------------------------------------------
# Two joint procurements from published demo needs, written through Felleskjøp's services:
# - "Kognitiv kartlegging" (Innlandet leads): the whole way through — market dialogue with a published answer,
#   offers from two qualified vendors, evaluation, award, an active agreement and call-offs by two participants
#   (Oslo takes part but has not called off yet, so that its admin can try it);
# - "NEWS2" (Stavanger leads): in market dialogue, with participants, a published answer and a question waiting.
# Time is moved back afterwards (deadlines, events) so that the deadlines that have passed have passed.

AGREEMENT = {
    "need": "kognitiv-kartlegging",
    "lead": "innlandet",
    "summary": (
        "Innlandet fylkeskommune leder et felleskjøp av en løsning for kognitiv kartlegging på nettbrett, på "
        "grunnlag av det felles behovsgrunnlaget. Kommunene som deltar, kan gjøre avrop uten egen konkurranse."
    ),
    "participants": [("bodo", 250), ("drammen", 400), ("kristiansand", 350), ("oslo", 1500)],
    "question": ("kartleggeren", "Må løsningen kunne brukes uten nettdekning hjemme hos innbyggeren, og i så fall "
                                 "hvor lenge?"),
    "public_question": "Må løsningen kunne brukes uten nettdekning, og i så fall hvor lenge?",
    "answer": "Ja. Kartleggingen må kunne gjennomføres og lagres kryptert uten nett i minst åtte timer.",
    "offers": [
        ("kartleggeren", "kartleggeren-kognitiv", "180000", "1.90",
         "Kartleggeren Kognitiv med de omforente kartleggingskriteriene, frakoblet modus og overføring til EPJ. "
         "Opplæring av superbrukere og fast kontaktperson i tre måneder inngår.",
         [(9, "Alle de omforente kriteriene er lagt inn og veiledet i skjemaet."),
          (8, "Frakoblet modus i inntil 12 timer; enkel å bruke ute."),
          (8, "QuestionnaireResponse og Observation i FHIR R4, testet mot sandkassen."),
          (7, "Databehandler i Norge; ROS er grundig."),
          (7, "Pris per innbygger er konkurransedyktig for små kommuner.")]),
        ("helsevev", "helsevev-video", "150000", "2.40",
         "Helsevev Video med kartleggingsskjema: kartleggingen gjøres på videobesøk, med pårørende til stede ved "
         "behov, og resultatet lagres strukturert.",
         [(6, "Kriteriene kan legges inn som skjema, men uten veiledning underveis."),
          (7, "God brukeropplevelse, men krever nett og kamera."),
          (8, "FHIR R4 med QuestionnaireResponse."),
          (8, "Sterk informasjonssikkerhet."),
          (8, "Lav fastpris.")]),
    ],
    "award_reason": (
        "Kartleggeren Kognitiv fikk høyest vektet poengsum (80,5 av 100 mot 71,5), særlig på de omforente "
        "kartleggingskriteriene og bruk uten nett, som veier tyngst i behovsgrunnlaget."
    ),
    "call_offs": [("drammen", 400), ("kristiansand", 300)],
}
DIALOGUE = {
    "need": "news2",
    "lead": "stavanger",
    "summary": (
        "Stavanger leder et felleskjøp av digital NEWS2-skåring for sykehjem og hjemmetjenester, i tråd med "
        "utprøvingsprosjektet i Felles kommunal journal."
    ),
    "participants": [("bergen", 800), ("kristiansand", 300)],
    "answered": ("varselpluss", "Skal løsningen varsle lege direkte, eller bare sykepleier på vakt?",
                 "Skal løsningen varsle lege direkte, eller bare sykepleier på vakt?",
                 "Løsningen skal varsle sykepleier på vakt. Varsel til lege skjer etter kommunens egne rutiner."),
    "waiting": ("tildel", "Kan vi tilby en løsning som bare dekker hjemmetjenesten i første omgang?"),
}


def _demo_backdate(procurement, days: int) -> None:
    """Move a procurement made "now" back in time by `days`: its deadlines, dates and recorded events."""
    from django.db.models import F

    from marketplace.models import AuditEvent

    from .models import Offer, Participation, Procurement, ProcurementQuestion

    delta = timedelta(days=days)
    Procurement.objects.filter(pk=procurement.pk).update(
        intent_deadline=F("intent_deadline") - delta, offer_deadline=F("offer_deadline") - delta,
        questions_deadline=F("questions_deadline") - delta, agreement_start=F("agreement_start") - delta,
        agreement_end=F("agreement_end") - delta, announced_at=F("announced_at") - delta,
        answers_published_at=F("answers_published_at") - delta, created_at=F("created_at") - delta,
    )
    Participation.objects.filter(procurement=procurement).update(declared_at=F("declared_at") - delta)
    ProcurementQuestion.objects.filter(procurement=procurement).update(created_at=F("created_at") - delta)
    ProcurementQuestion.objects.filter(procurement=procurement, published_at__isnull=False).update(
        published_at=F("published_at") - delta, answered_at=F("answered_at") - delta)
    Offer.objects.filter(procurement=procurement).update(submitted_at=F("submitted_at") - delta)
    ids = {"procurement": [procurement.pk],
           "participation": list(Participation.objects.filter(procurement=procurement).values_list("pk", flat=True)),
           "procurementquestion": list(ProcurementQuestion.objects.filter(procurement=procurement)
                                       .values_list("pk", flat=True)),
           "offer": list(Offer.objects.filter(procurement=procurement).values_list("pk", flat=True))}
    for model, pks in ids.items():
        AuditEvent.objects.filter(target_type__app_label="store", target_type__model=model,
                                  target_id__in=[str(pk) for pk in pks]).update(created_at=F("created_at") - delta)
    procurement.refresh_from_db()


def _demo_backdate_since(procurement, event_id: int, *, days: int, activation_days: int) -> None:
    """Move the events recorded after `event_id` for the procurement and its offers, and the award, back in time
    (the activation of the agreement by `activation_days`)."""
    from django.db.models import F, Q

    from marketplace.models import AuditEvent

    from .models import Offer, OfferScore, Procurement

    delta = timedelta(days=days)
    offer_ids = [str(pk) for pk in Offer.objects.filter(procurement=procurement).values_list("pk", flat=True)]
    AuditEvent.objects.filter(pk__gt=event_id, target_type__app_label="store").filter(
        Q(target_type__model="procurement", target_id=str(procurement.pk))
        | Q(target_type__model="offer", target_id__in=offer_ids)
    ).exclude(verb="procurement.agreement_active").update(created_at=F("created_at") - delta)
    AuditEvent.objects.filter(pk__gt=event_id, verb="procurement.agreement_active", target_id=str(procurement.pk)).update(
        created_at=F("created_at") - timedelta(days=activation_days))
    OfferScore.objects.filter(offer__procurement=procurement).update(scored_at=F("scored_at") - delta)
    Procurement.objects.filter(pk=procurement.pk).update(awarded_at=F("awarded_at") - delta)


@register(order=60, name="Felleskjøp: a procurement in market dialogue and one with an active agreement")
def seed_procurement(ctx: DemoContext) -> None:
    from innovation.models import Need, Stage
    from marketplace import demo_data
    from verification.services.qualification import vendor_is_qualified

    from .services import procurement as services

    needs = ctx.extra.get("needs") or {}
    keys = {n["title"]: n["key"] for n in demo_data.NEEDS}
    if not needs:
        needs = {keys[n.title]: n for n in Need.objects.filter(title__in=keys) if n.title in keys}
    products = ctx.extra.get("store_products") or _products_by_key()
    now, today = timezone.now(), timezone.localdate()

    def published(key):
        need = needs.get(key)
        if need is not None:
            need.refresh_from_db()
        return need if need is not None and need.stage == Stage.PUBLISHED else None

    # NEWS2: in market dialogue ----------------------------------------------------------------------------
    need = published(DIALOGUE["need"])
    if need is None:
        ctx.log("Felleskjøp: the NEWS2 need is not published; no procurement in market dialogue.")
    else:
        lead = ctx.admin_for(DIALOGUE["lead"])
        procurement = services.procurement_open(
            actor=lead, need_id=need.pk, summary=DIALOGUE["summary"], volume_unit="users",
            intent_deadline=now + timedelta(days=24), questions_deadline=now + timedelta(days=34),
            offer_deadline=now + timedelta(days=45), agreement_start=today + timedelta(days=75),
            agreement_end=today + timedelta(days=75 + 3 * 365),
        )
        services.procurement_start_market_dialogue(
            actor=lead, procurement_id=procurement.pk,
            reason="Behovsgrunnlaget er publisert; vi inviterer kommuner og leverandører til dialog.")
        for org_key, volume in DIALOGUE["participants"]:
            services.participation_declare(actor=ctx.admin_for(org_key), procurement_id=procurement.pk, volume=volume)
        vendor_key, text, public_text, answer = DIALOGUE["answered"]
        if vendor_is_qualified(ctx.organisations.get(vendor_key)):
            question = services.question_ask(actor=ctx.admin_for(vendor_key), procurement_id=procurement.pk, text=text)
            services.question_answer(actor=lead, question_id=question.pk, answer=answer, public_text=public_text)
            services.questions_publish(actor=lead, procurement_id=procurement.pk)
        vendor_key, text = DIALOGUE["waiting"]
        if vendor_is_qualified(ctx.organisations.get(vendor_key)):
            services.question_ask(actor=ctx.admin_for(vendor_key), procurement_id=procurement.pk, text=text)
        _demo_backdate(procurement, 10)
        ctx.extra["procurement_dialogue"] = procurement

    # Kognitiv kartlegging: the whole way to an active agreement with call-offs ------------------------------
    need = published(AGREEMENT["need"])
    offered = [(v, products.get(p)) for v, p, *_rest in AGREEMENT["offers"]]
    if need is None or not all(product is not None and vendor_is_qualified(ctx.organisations.get(v))
                               for v, product in offered):
        ctx.log("Felleskjøp: the need or the listed products of qualified vendors are missing; "
                "no procurement with an active agreement.")
        return
    lead = ctx.admin_for(AGREEMENT["lead"])
    procurement = services.procurement_open(
        actor=lead, need_id=need.pk, summary=AGREEMENT["summary"], volume_unit="users",
        intent_deadline=now + timedelta(days=10), questions_deadline=now + timedelta(days=15),
        offer_deadline=now + timedelta(days=20), agreement_start=today + timedelta(days=30),
        agreement_end=today + timedelta(days=30 + 2 * 365),
    )
    services.procurement_start_market_dialogue(actor=lead, procurement_id=procurement.pk,
                                               reason="Felles behovsgrunnlag for kognitiv kartlegging.")
    for org_key, volume in AGREEMENT["participants"]:
        services.participation_declare(actor=ctx.admin_for(org_key), procurement_id=procurement.pk, volume=volume)
    vendor_key, text = AGREEMENT["question"]
    question = services.question_ask(actor=ctx.admin_for(vendor_key), procurement_id=procurement.pk, text=text)
    services.question_answer(actor=lead, question_id=question.pk, answer=AGREEMENT["answer"],
                             public_text=AGREEMENT["public_question"])
    services.questions_publish(actor=lead, procurement_id=procurement.pk)
    services.procurement_start_competition(actor=lead, procurement_id=procurement.pk)
    offers = []
    for vendor_key, product_key, per_year, per_unit, description, _scores in AGREEMENT["offers"]:
        offers.append(services.offer_submit(
            actor=ctx.admin_for(vendor_key), procurement_id=procurement.pk, product_id=products[product_key].pk,
            price_per_year=per_year, price_per_unit=per_unit, description=description,
        ))
    # Time passes: the offer deadline and the agreement's start are behind us.
    _demo_backdate(procurement, 120)
    from marketplace.models import AuditEvent

    marker = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    services.procurement_start_evaluation(actor=lead, procurement_id=procurement.pk,
                                          reason="Fristen er ute; tilbudene åpnes for evaluering.")
    criteria = list(procurement.criteria.order_by("order", "id"))
    for offer, (*_rest, scores) in zip(offers, AGREEMENT["offers"]):
        services.offer_score(actor=lead, offer_id=offer.pk,
                             scores={c.pk: score for c, score in zip(criteria, scores)})
    services.procurement_award(actor=lead, procurement_id=procurement.pk, offer_ids=[offers[0].pk],
                               reason=AGREEMENT["award_reason"])
    services.procurement_activate_agreement(actor=lead, procurement_id=procurement.pk,
                                            reason="Avtalen er signert.")
    # The evaluation and the award came after the deadline and before the agreement started.
    _demo_backdate_since(procurement, marker, days=95, activation_days=89)
    for org_key, volume in AGREEMENT["call_offs"]:
        services.call_off(actor=ctx.admin_for(org_key), procurement_id=procurement.pk, volume=volume,
                          note="Avrop under felleskjøpsavtalen.")
    ctx.extra["procurement_agreement"] = procurement
    ctx.log(f"Felleskjøp: “{procurement.title}” with an active agreement and {len(AGREEMENT['call_offs'])} call-offs")
