"""EXP-2 under load: many organisations rate the same product at the same moment, each in its own
database connection; the average and count on the store's entry must count every rating exactly once.

Run on PostgreSQL (CI): row locks and READ COMMITTED are what this proves. On SQLite the writes are
serialised by the database lock, and the same assertions hold."""

from __future__ import annotations

import threading
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection

from experience import services
from experience.models import Rating
from marketplace.acting import act_for
from marketplace.models import Role
from store.models import StoreEntry
from tests.conftest import accept_terms, make_member

from .factories import adopt, listed_product, municipality

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def test_concurrent_ratings_from_many_organisations_keep_the_average_right(vendor, terms_all):
    product = listed_product(vendor)
    raters = []
    for i in range(THREADS):
        organisation = municipality(name=f"Kommune {i}")
        user = make_member(organisation, Role.ADMIN)
        accept_terms(organisation, by=user)
        adopt(organisation, product)
        raters.append((user, organisation))
    # Each organisation first rates 1 + i % 5, then changes its mind to 5 - i % 5, all at once.
    first = [1 + i % 5 for i in range(THREADS)]
    final = [5 - i % 5 for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def rate(index: int) -> None:
        user, organisation = raters[index]
        try:
            act_for(user, organisation)
            barrier.wait(timeout=30)
            services.rating_set(actor=user, product_id=product.pk, score=first[index])
            services.rating_set(actor=user, product_id=product.pk, score=final[index])
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a rating thread hung"
    assert not errors, errors

    assert Rating.objects.filter(product=product).count() == THREADS
    assert sorted(Rating.objects.filter(product=product).values_list("score", flat=True)) == sorted(final)
    entry = StoreEntry.objects.get(product=product)
    expected = (Decimal(sum(final)) / THREADS).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert (entry.rating_count, entry.rating_average) == (THREADS, expected)
