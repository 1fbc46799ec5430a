"""Ratings (EXP-2): only an organisation with an active adoption rates a product, once (it may change it);
the average and count are kept on the store's entry."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from experience import selectors, services
from experience.models import Rating
from marketplace.errors import NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Role
from store.models import Adoption, StoreEntry
from tests.conftest import accept_terms, login, make_member

from .factories import adopt, listed_product, municipality

pytestmark = pytest.mark.django_db


def entry(product) -> StoreEntry:
    return StoreEntry.objects.get(product=product)


def test_an_organisation_using_the_product_rates_it_and_the_store_shows_it(inger, product, in_use):
    rating = services.rating_set(actor=inger, product_id=product.pk, score=4)
    assert (rating.organisation, rating.product, rating.score, rating.rated_by) == (
        inger.acting_organisation,
        product,
        4,
        inger,
    )
    assert (entry(product).rating_average, entry(product).rating_count) == (Decimal("4.00"), 1)
    assert AuditEvent.objects.filter(verb="rating.set", to_state="4").exists()


def test_rating_without_an_active_adoption_is_refused(siri, product):
    """EXP-2: only organisations that use the product (an active adoption) may rate it."""
    adopt(siri.acting_organisation, product, status=Adoption.Status.REQUESTED)
    with pytest.raises(PermissionRefused) as error:
        services.rating_set(actor=siri, product_id=product.pk, score=5)
    assert error.value.code == "no_active_adoption"
    ended = Adoption.objects.get(organisation=siri.acting_organisation)
    ended.status = Adoption.Status.ENDED
    ended.save(update_fields=["status"])
    with pytest.raises(PermissionRefused):
        services.rating_set(actor=siri, product_id=product.pk, score=5)
    assert not Rating.objects.exists()
    response = login(siri).post(
        "/api/v1/experience-ratings/", {"product": product.pk, "score": 5}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "no_active_adoption"
    assert not Rating.objects.exists()


def test_rating_twice_updates_the_one_rating(inger, product, in_use, siri):
    """EXP-2: once per organisation; a second rating changes it, and the average follows."""
    adopt(siri.acting_organisation, product)
    services.rating_set(actor=inger, product_id=product.pk, score=2)
    services.rating_set(actor=siri, product_id=product.pk, score=5)
    assert (entry(product).rating_average, entry(product).rating_count) == (Decimal("3.50"), 2)
    services.rating_set(actor=inger, product_id=product.pk, score=4)
    assert Rating.objects.filter(organisation=inger.acting_organisation, product=product).count() == 1
    assert Rating.objects.get(organisation=inger.acting_organisation).score == 4
    assert (entry(product).rating_average, entry(product).rating_count) == (Decimal("4.50"), 2)
    summary = selectors.rating_summary(product_id=product.pk)
    assert summary["count"] == 2 and summary["average"] == 4.5
    assert [row["count"] for row in summary["distribution"]] == [1, 1, 0, 0, 0]


def test_a_colleague_changes_the_organisations_rating(inger, colleague, product, in_use):
    services.rating_set(actor=inger, product_id=product.pk, score=3)
    services.rating_set(actor=colleague, product_id=product.pk, score=5)
    rating = Rating.objects.get()
    assert (rating.score, rating.rated_by) == (5, colleague)


def test_a_vendor_cannot_rate_its_own_product(vera, vendor, product):
    adopt(vendor, product)  # even with an adoption row, the vendor may not rate its own product
    with pytest.raises(PermissionRefused) as error:
        services.rating_set(actor=vera, product_id=product.pk, score=5)
    assert error.value.code == "own_product"
    assert not Rating.objects.exists()


def test_rating_refused_when_the_terms_are_not_accepted(municipality, terms_all, product):
    user = make_member(municipality, Role.MEMBER)
    adopt(municipality, product)
    with pytest.raises(TermsNotAccepted):
        services.rating_set(actor=user, product_id=product.pk, score=4)
    assert not Rating.objects.exists()


def test_a_rating_must_be_from_one_to_five(inger, product, in_use):
    for score in (0, 6, "fem", None):
        with pytest.raises(ValidationError) as error:
            services.rating_set(actor=inger, product_id=product.pk, score=score)
        assert "score" in error.value.message_dict
    assert not Rating.objects.exists()
    response = login(inger).post(
        "/api/v1/experience-ratings/", {"product": product.pk, "score": 9}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "score" in response.json()


def test_unknown_or_unlisted_products_are_not_found(inger, vendor):
    from verification.models import Product

    draft = Product.objects.create(vendor=vendor, name="Utkast", short_description="Ikke i butikken")
    for pk in (draft.pk, 999_999, "abc"):
        with pytest.raises(NotFound):
            services.rating_set(actor=inger, product_id=pk, score=3)


def test_withdrawing_a_rating_recounts(inger, siri, product, in_use):
    adopt(siri.acting_organisation, product)
    services.rating_set(actor=inger, product_id=product.pk, score=1)
    services.rating_set(actor=siri, product_id=product.pk, score=5)
    services.rating_withdraw(actor=inger, product_id=product.pk)
    assert (entry(product).rating_average, entry(product).rating_count) == (Decimal("5.00"), 1)
    services.rating_withdraw(actor=siri, product_id=product.pk)
    assert (entry(product).rating_average, entry(product).rating_count) == (None, 0)
    with pytest.raises(NotFound):
        services.rating_withdraw(actor=siri, product_id=product.pk)


def test_rating_via_the_screen_and_the_api(inger, product, in_use):
    client = login(inger)
    response = client.post(f"/erfaringsarena/produkter/{product.pk}/vurdering/", {"score": "5"})
    assert response.status_code == 302
    assert Rating.objects.get().score == 5
    response = client.post(
        "/api/v1/experience-ratings/", {"product": product.pk, "score": 3}, content_type="application/json"
    )
    assert response.status_code == 200  # changed, not created
    assert response.json()["score"] == 3
    listed = client.get("/api/v1/experience-ratings/").json()
    assert [r["score"] for r in listed["results"]] == [3]
    summary = client.get(f"/api/v1/product-ratings/{product.pk}/").json()
    assert summary["count"] == 1 and summary["average"] == 3.0


def test_the_rating_form_is_offered_only_to_organisations_that_use_the_product(
    inger, siri, vera, product, in_use
):
    assert "rating-form" in login(inger).get(f"/erfaringsarena/produkter/{product.pk}/").content.decode()
    assert "rating-form" not in login(siri).get(f"/erfaringsarena/produkter/{product.pk}/").content.decode()
    assert "rating-form" not in login(vera).get(f"/erfaringsarena/produkter/{product.pk}/").content.decode()


def test_another_municipality_ratings_stay_separate(product, terms_all):
    """Many organisations each hold their own rating; the count is the number of organisations."""
    scores = [5, 4, 4, 3, 1]
    for score in scores:
        organisation = municipality()
        user = make_member(organisation, Role.ADMIN)
        accept_terms(organisation, by=user)
        adopt(organisation, product)
        services.rating_set(actor=user, product_id=product.pk, score=score)
    assert entry(product).rating_count == len(scores)
    assert entry(product).rating_average == Decimal(sum(scores)) / len(scores)


def test_a_withdrawn_listing_keeps_its_users_able_to_rate(inger, vendor, municipality):
    from verification.models import Listing

    product = listed_product(vendor, name="Trukket produkt", status=Listing.Status.WITHDRAWN)
    adopt(municipality, product)
    services.rating_set(actor=inger, product_id=product.pk, score=3)
    assert Rating.objects.filter(product=product).count() == 1
