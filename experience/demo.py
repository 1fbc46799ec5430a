"""Demo data of Erfaringsarena (X-8): the experiences and ratings of `marketplace.demo_data.EXPERIENCES`,
written through the services, and some conversation around them (useful marks, comments, a vendor's
reply and a report waiting for moderation).

An experience needs its organisation to have accepted the terms; a rating needs an active adoption,
which the store's seeder (order 50) creates. What cannot be written is skipped and logged.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace import demo_data
from marketplace.acting import act_for
from marketplace.demo import DemoContext, register
from marketplace.errors import DomainError
from marketplace.terms import terms_pending_for
from verification.models import Product

from . import services, store_bridge
from .models import Experience, ExperienceVersion, Topic

PRODUCTS = {p["key"]: p for p in demo_data.PRODUCTS}

# Conversation around the experiences, by experience title (Norwegian demo content).
COMMENTS = [
    (
        "Nyttig, men krevende integrasjon mot EPJ",
        "ringsaker",
        "Vi hadde samme utfordring i starten. Det hjalp å ha en felles testplan med journalleverandøren.",
    ),
    (
        "NEWS2 gir felles språk mellom sykehjem og legevakt",
        "bergen",
        "Hvilken terskel endte dere opp med for varsling til legevakten?",
    ),
    (
        "Felles kartlegging ga likere vurderinger i hjemmetjenesten",
        "bodo",
        "Hvor lang tid brukte dere på kalibreringen av superbrukerne?",
    ),
]
VENDOR_REPLIES = [
    (
        "Nyttig, men krevende integrasjon mot EPJ",
        "Takk for en ærlig erfaring. Vi har siden laget en ferdig testpakke for FHIR-grensesnittet som "
        "journalleverandørene kan kjøre før oppstart, og tilbyr et felles avklaringsmøte før avtalen "
        "signeres.",
    ),
]
USEFUL = [
    ("Felles kartlegging ga likere vurderinger i hjemmetjenesten", ["bodo", "stavanger", "bergen"]),
    ("NEWS2 gir felles språk mellom sykehjem og legevakt", ["bergen", "kristiansand"]),
    ("Legevakten ser endelig hvilke tjenester pasienten har", ["drammen"]),
]
REPORTS = [
    (
        "NEWS2 gir felles språk mellom sykehjem og legevakt",
        "bergen",
        "kristiansand",
        "off_topic",
        "Spørsmålet handler om terskler, ikke om erfaringen. Kanskje det hører hjemme i Innovasjonsarena?",
    ),
]


def _person_for(ctx: DemoContext, org_key: str, *, prefer_member: bool = True):
    """Someone acting for the organisation: a member who is not an admin when there is one."""
    organisation = ctx.organisations[org_key]
    if prefer_member:
        for person in demo_data.PEOPLE:
            if (org_key, "member") in person["memberships"] and person["email"] in ctx.people:
                return act_for(ctx.people[person["email"]], organisation)
    return ctx.admin_for(org_key)


def _product(key: str) -> Product | None:
    data = PRODUCTS.get(key)
    if data is None:
        return None
    return Product.objects.filter(name=data["name"], vendor__slug=data["vendor"]).first()


def _backdate(experience: Experience, days: int) -> None:
    """Spread the demo experiences over the last weeks, so that "newest" means something."""
    when = timezone.now() - timedelta(days=days)
    Experience.objects.filter(pk=experience.pk).update(published_at=when, created_at=when)
    ExperienceVersion.objects.filter(experience=experience).update(created_at=when)


@register(order=70, name="Erfaringsarena: experiences, ratings and conversation")
def seed_experiences(ctx: DemoContext) -> None:
    written: dict[str, Experience] = {}
    count = len(demo_data.EXPERIENCES)
    for index, data in enumerate(demo_data.EXPERIENCES):
        org_key = data["organisation"]
        organisation = ctx.organisations.get(org_key)
        product = _product(data["product"])
        if organisation is None:
            ctx.log(f"skipped experience “{data['title']}”: no organisation {org_key}")
            continue
        if product is None:
            ctx.log(f"skipped experience “{data['title']}”: {data['product']} is not in Butikken")
            continue
        if not store_bridge.is_in_store(product):
            ctx.log(f"skipped experience “{data['title']}”: {product.name} is not in Butikken")
            continue
        if terms_pending_for(organisation):
            ctx.log(f"skipped experience “{data['title']}”: {organisation} has not accepted the terms")
            continue
        author = _person_for(ctx, org_key)
        area_slugs = PRODUCTS[data["product"]]["service_areas"]
        area = ctx.service_areas.get(area_slugs[0]) if area_slugs else None
        try:
            experience = services.experience_create(
                actor=author,
                topic=Topic.PRODUCT,
                product_id=product.pk,
                title=data["title"],
                service_area_id=area.pk if area else None,
                what_worked=data["what_worked"],
                what_did_not=data["what_did_not"],
                advice=data["advice"],
                effort=data["effort"],
                timeline=data["timeline"],
            )
            services.experience_publish(actor=author, experience_id=experience.pk)
        except (DomainError, ValidationError) as error:
            reason = error.message if isinstance(error, DomainError) else " ".join(error.messages)
            ctx.log(f"skipped experience “{data['title']}”: {reason}")
            continue
        _backdate(experience, days=1 + 3 * (count - 1 - index))
        written[data["title"]] = experience
        if store_bridge.has_active_adoption(organisation_id=organisation.pk, product_id=product.pk):
            services.rating_set(actor=author, product_id=product.pk, score=data["rating"])
        else:
            ctx.log(f"skipped rating of {product.name} by {organisation}: no active adoption")

    for title, org_key, body in COMMENTS:
        if (
            title in written
            and org_key in ctx.organisations
            and not terms_pending_for(ctx.organisations[org_key])
        ):
            services.comment_add(actor=_person_for(ctx, org_key), experience_id=written[title].pk, body=body)
    for title, body in VENDOR_REPLIES:
        experience = written.get(title)
        if experience is not None:
            vendor_key = experience.product.vendor.slug
            if vendor_key in ctx.organisations:
                services.vendor_reply_add(
                    actor=ctx.admin_for(vendor_key), experience_id=experience.pk, body=body
                )
    for title, org_keys in USEFUL:
        for org_key in org_keys:
            if (
                title in written
                and org_key in ctx.organisations
                and not terms_pending_for(ctx.organisations[org_key])
            ):
                services.useful_mark(actor=_person_for(ctx, org_key), experience_id=written[title].pk)
    for title, comment_org, reporter_org, reason, note in REPORTS:
        experience = written.get(title)
        comment = experience.comments.filter(organisation__slug=comment_org).first() if experience else None
        if comment is not None and reporter_org in ctx.organisations:
            services.report_comment(
                actor=_person_for(ctx, reporter_org, prefer_member=False),
                comment_id=comment.pk,
                reason=reason,
                note=note,
            )
    ctx.extra["experiences"] = written
    ctx.log(f"{len(written)} experiences published")
