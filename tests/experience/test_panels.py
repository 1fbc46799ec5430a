"""Erfaringsarena on the start page (ORG-6): new experiences on products my organisation uses, experiences
waiting for the vendor's reply, drafts, and reports waiting for moderators."""

from __future__ import annotations

import pytest

from experience import services
from marketplace.models import Role
from tests.conftest import accept_terms, login, make_member

from .factories import adopt, municipality, write

pytestmark = pytest.mark.django_db


def test_a_user_of_the_product_sees_new_experiences_from_others(experience, siri, product, inger):
    adopt(siri.acting_organisation, product)
    body = login(siri).get("/").content.decode()
    assert experience.title in body and experience.organisation.name in body


def test_the_panel_lists_only_products_the_organisation_uses(experience, siri):
    assert experience.title not in login(siri).get("/").content.decode()


def test_the_own_organisations_experiences_are_not_news(experience, inger):
    from experience import selectors

    assert selectors.new_on_used_products(organisation=inger.acting_organisation) == []


def test_the_vendor_sees_experiences_waiting_for_its_reply(experience, vera):
    assert experience.title in login(vera).get("/").content.decode()
    services.vendor_reply_add(actor=vera, experience_id=experience.pk, body="Takk!")
    assert experience.title not in login(vera).get("/").content.decode()


def test_drafts_and_the_moderation_queue(inger, product, area, experience, siri, moderator):
    draft = write(inger, product=product, area=area, publish=False, title="Et utkast som venter")
    assert draft.title in login(inger).get("/").content.decode()
    services.report_experience(actor=siri, experience_id=experience.pk, reason="spam")
    assert "/erfaringsarena/moderering/" in login(moderator).get("/").content.decode()


@pytest.mark.parametrize("n", [2, 9])
def test_the_panels_cost_a_fixed_number_of_queries(
    n, product, terms_all, siri, django_assert_max_num_queries
):
    adopt(siri.acting_organisation, product)
    for i in range(n):
        organisation = municipality()
        author = make_member(organisation, Role.ADMIN)
        accept_terms(organisation, by=author)
        write(author, product=product, title=f"Erfaring {i}")
    from django.test import RequestFactory

    from experience.panels import drafts_panel, moderation_panel, used_products_panel, vendor_reply_panel

    request = RequestFactory().get("/")
    request.user = siri
    with django_assert_max_num_queries(2):
        panel = used_products_panel(request)
    assert panel.count == min(n, 5)
    with django_assert_max_num_queries(3):
        vendor_reply_panel(request), drafts_panel(request), moderation_panel(request)
