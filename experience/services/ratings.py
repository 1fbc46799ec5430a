"""Ratings (EXP-2): an organisation with an active adoption rates a product 1–5, once (it may change it).

The product's average and count are computed from the rating rows while the product row is locked, and
handed to the store's service, so that concurrent ratings from many organisations never lose an update.
A rating stays when the adoption later ends: it was given by an organisation that used the product.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from marketplace.audit import audit_record
from marketplace.errors import NotFound, PermissionRefused
from marketplace.models import User
from marketplace.permissions import ensure_allowed
from marketplace.terms import ensure_terms_accepted
from verification.models import Product

from .. import store_bridge
from ..models import Rating
from .common import acting

SCORES = range(1, 6)


def _score(value: Any) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if score not in SCORES:
        raise ValidationError({"score": _("Choose a rating from 1 to 5.")})
    return score


def rating_totals(product_id: int) -> tuple[Decimal | None, int]:
    """The average (two decimals) and number of a product's ratings, from the rows."""
    totals = Rating.objects.filter(product_id=product_id).aggregate(average=Avg("score"), count=Count("pk"))
    count = totals["count"] or 0
    if not count:
        return None, 0
    average = Decimal(str(totals["average"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return average, count


def _refresh_store(product_id: int) -> tuple[Decimal | None, int]:
    average, count = rating_totals(product_id)
    store_bridge.set_store_rating(product_id=product_id, average=average, count=count)
    return average, count


@transaction.atomic
def rating_set(*, actor: User, product_id: int, score: Any) -> Rating:
    """Rate a product for the acting organisation, or change the rating; needs an active adoption."""
    ensure_allowed(actor, "experience.rate_product")
    organisation = acting(actor)
    try:
        pk = int(product_id)
    except (TypeError, ValueError):
        pk = None
    # The lock serialises every rating of this product, so the totals below count every committed row.
    product = Product.objects.select_for_update().filter(pk=pk).first() if pk else None
    if product is None or not store_bridge.is_in_store(product):
        raise NotFound(_("Product not found."))
    if product.vendor_id == organisation.pk:
        raise PermissionRefused(_("A vendor cannot rate its own product."), code="own_product")
    if not store_bridge.has_active_adoption(organisation_id=organisation.pk, product_id=product.pk):
        raise PermissionRefused(
            _("Only an organisation that uses %(product)s (with an active adoption in Butikken) can rate it.")
            % {"product": product.name},
            code="no_active_adoption",
        )
    ensure_terms_accepted(organisation)
    score = _score(score)
    rating = Rating.objects.filter(organisation=organisation, product=product).first()
    if rating is None:
        rating = Rating.objects.create(
            organisation=organisation, product=product, score=score, rated_by=actor
        )
        before = ""
    else:
        before = str(rating.score)
        rating.score = score
        rating.rated_by = actor
        rating.save(update_fields=["score", "rated_by", "updated_at"])
    average, count = _refresh_store(product.pk)
    audit_record(
        actor=actor,
        verb="rating.set",
        target=product,
        organisation=organisation,
        from_state=before,
        to_state=str(score),
        data={"average": str(average) if average is not None else None, "count": count},
    )
    return rating


@transaction.atomic
def rating_withdraw(*, actor: User, product_id: int) -> None:
    """Take back the acting organisation's rating of a product."""
    organisation = acting(actor)
    try:
        pk = int(product_id)
    except (TypeError, ValueError):
        pk = None
    product = Product.objects.select_for_update().filter(pk=pk).first() if pk else None
    rating = Rating.objects.filter(organisation=organisation, product=product).first() if product else None
    if rating is None:
        raise NotFound(_("Your organisation has not rated this product."))
    before = rating.score
    rating.delete()
    average, count = _refresh_store(product.pk)
    audit_record(
        actor=actor,
        verb="rating.withdrawn",
        target=product,
        organisation=organisation,
        from_state=str(before),
        data={"average": str(average) if average is not None else None, "count": count},
    )
