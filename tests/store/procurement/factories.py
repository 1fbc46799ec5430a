"""Builders for Felleskjøp tests. Procurement state is made through the services, as the lead, participants
and vendors would; what belongs to other arenas (a published need, a qualified vendor, a listed product) is
made with their builders or written as their finished result."""

from __future__ import annotations

from datetime import timedelta
from django.utils import timezone

from innovation.models import Stage
from store.models import Offer, Procurement
from store.services import procurement as services
from tests.innovation.factories import advance, make_need
from tests.verification.products.factories import complete_declaration, qualify  # noqa: F401  (re-exported)
from verification import hooks
from verification.models import DeclarationVersion, Listing, Product

CRITERIA = [
    {"name": "Støtte for omforente kartleggingskriterier", "description": "", "weight": 60},
    {"name": "Pris og lisensmodell", "description": "", "weight": 40},
]


def published_need(owner, *, areas=None, title="Kognitiv kartlegging"):
    """A need of the owner's organisation, walked to Publisert through Innovasjonsarena's services."""
    need = make_need(owner, areas=areas, title=title,
                     desired_declaration={"informasjon": {"national_solutions": ["HelseID"]}})
    return advance(owner, need, Stage.PUBLISHED)


def _product(vendor, name: str) -> Product:
    from tests.verification.products.factories import service_area

    product = Product.objects.create(vendor=vendor, name=name, short_description=f"{name}: kartlegging på nettbrett.")
    product.service_areas.set([service_area()])
    return product


def listed_product(vendor, name: str = "Kartleggeren Kognitiv") -> Product:
    """A product whose declaration version 1 passed verification and is listed in Butikken (Verifikasjon's result)."""
    product = _product(vendor, name)
    now = timezone.now()
    version = DeclarationVersion.objects.create(product=product, number=1, content=complete_declaration(),
                                                status=DeclarationVersion.Status.LISTED, frozen_at=now)
    Listing.objects.create(product=product, version=version, listed_at=now, version_listed_at=now)
    hooks.listing_changed(product_id=product.pk, fields=None)  # the store follows, as after listing_approve
    return product


def product_in_state(vendor, name: str, status: str) -> Product:
    """A product with one declaration version in `status` and no listing."""
    product = _product(vendor, name)
    DeclarationVersion.objects.create(product=product, number=1, content=complete_declaration(), status=status,
                                      frozen_at=None if status == DeclarationVersion.Status.DRAFT else timezone.now())
    return product


def timeline(**overrides):
    now = timezone.now()
    values = {
        "intent_deadline": now + timedelta(days=14),
        "offer_deadline": now + timedelta(days=30),
        "agreement_start": (now + timedelta(days=40)).date(),
        "agreement_end": (now + timedelta(days=40 + 730)).date(),
    }
    values.update(overrides)
    return values


def open_procurement(lead_actor, need, **fields) -> Procurement:
    return services.procurement_open(actor=lead_actor, need_id=need.pk, **{**timeline(), **fields})


def pass_deadline(procurement: Procurement, *names: str) -> Procurement:
    """Time passes: the named deadlines now lie a minute behind us."""
    moment = timezone.now() - timedelta(minutes=1)
    Procurement.objects.filter(pk=procurement.pk).update(**{name: moment for name in names or ("offer_deadline",)})
    procurement.refresh_from_db()
    return procurement


def start_agreement_today(procurement: Procurement) -> Procurement:
    """Time passes until the agreement period has begun."""
    today = timezone.localdate()
    Procurement.objects.filter(pk=procurement.pk).update(agreement_start=today - timedelta(days=1))
    procurement.refresh_from_db()
    return procurement


def offer(vendor_actor, procurement, product, *, per_year="150000", per_unit="19.90", text="Vi tilbyr …") -> Offer:
    return services.offer_submit(actor=vendor_actor, procurement_id=procurement.pk, product_id=product.pk,
                                 price_per_year=per_year, price_per_unit=per_unit, description=text)


def score_all(lead_actor, offer_: Offer, values: list[int]) -> None:
    criteria = list(offer_.procurement.criteria.order_by("order", "id"))
    services.offer_score(actor=lead_actor, offer_id=offer_.pk,
                         scores={c.pk: (v, f"Begrunnelse for {v} poeng.") for c, v in zip(criteria, values)})
