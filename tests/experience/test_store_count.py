"""Erfaringsarena tells Butikken how many published experiences are about a product: the listing page asks for
experiences only when there are any (STO-2, EXP-1). Publishing, hiding and restoring keep the count; the
listing page shows what is published whatever the count says before."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from experience import services
from store.models import StoreEntry
from store.services.catalogue import store_entry_set_experience_count

from .factories import write

pytestmark = pytest.mark.django_db


def count_of(product) -> int:
    return StoreEntry.objects.get(product_id=product.pk).experience_count


def cards_on_listing(product) -> int:
    body = Client().get(f"/butikken/produkt/{product.pk}/").content.decode()
    return len(re.findall(r'class="ds-card experience-card"', body))


def test_publishing_hiding_and_restoring_keep_the_store_count(inger, product, in_use, area, moderator):
    draft = write(inger, product=product, area=area, publish=False)
    assert count_of(product) == 0 and cards_on_listing(product) == 0

    services.experience_publish(actor=inger, experience_id=draft.pk)
    assert count_of(product) == 1 and cards_on_listing(product) == 1

    services.experience_hide(actor=moderator, experience_id=draft.pk, reason="other")
    assert count_of(product) == 0 and cards_on_listing(product) == 0

    services.experience_restore(actor=moderator, experience_id=draft.pk)
    assert count_of(product) == 1 and cards_on_listing(product) == 1


def test_a_published_experience_is_counted_once(experience, product):
    assert count_of(product) == 1


def test_the_store_refuses_a_negative_count(product):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        store_entry_set_experience_count(product_id=product.pk, count=-1)
    assert count_of(product) == 0


def test_the_store_refuses_a_count_for_a_product_it_does_not_know(product):
    from marketplace.errors import NotFound

    with pytest.raises(NotFound):
        store_entry_set_experience_count(product_id=product.pk + 10_000, count=1)
    assert not StoreEntry.objects.filter(product_id=product.pk + 10_000).exists()
