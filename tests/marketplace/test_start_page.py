"""ORG-6: the start page — a landing page for visitors, a dashboard of waiting items for people; ORG-5: two-factor."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from marketplace.models import Role

from ..conftest import accept_terms, login, make_member
from ..factories import InvitationFactory, NotificationFactory, OrganisationFactory, ServiceAreaFactory, UserFactory
from .helpers import nb, page, shows

pytestmark = pytest.mark.django_db

TERMS_PANEL = "Terms to accept"
INVITATIONS_PANEL = "Invitations waiting for you"
NOTIFICATIONS_PANEL = "Unread notifications"


def panel(response, title: str):
    """The start-page panel with this (untranslated) title, or None."""
    wanted = nb(title)
    return next((p for p in response.context["panels"] if str(p.title) == wanted), None)


# Visitors ---------------------------------------------------------------------------------------------


def test_anonymous_visitor_gets_the_landing_page_ORG_6(client):
    area = ServiceAreaFactory(name="Hjemmetjenester")
    response = client.get(reverse("marketplace:start"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "marketplace/landing.html"
    assert shows(response, "Markedsplassen")
    assert shows(response, area.category.name)
    assert shows(response, "Hjemmetjenester")
    assert reverse("account_login") in page(response)
    assert "panels" not in response.context


def test_landing_page_is_in_norwegian_by_default_X_1(client):
    response = client.get(reverse("marketplace:start"))
    assert '<html lang="nb"' in page(response)
    assert response["Content-Language"] == "nb"


def test_main_menu_has_the_sections_of_the_process_in_order_X_1(client):
    """The source's seven sections, plus Felleskjøp (the Anskaffe step) after Butikken."""
    response = client.get(reverse("marketplace:help"))
    labels = [str(label) for _key, label, _url, _current in response.context["main_menu"]]
    assert labels == [nb(x) for x in ["Vilkår", "Kvalifisering", "Innovasjonsarena", "Verifikasjon", "Butikken",
                                      "Felleskjøp", "Erfaringsarena", "Hjelp"]]
    current = [key for key, _label, _url, is_current in response.context["main_menu"] if is_current]
    assert current == ["help"]
    assert 'aria-current="page"' in page(response)


def test_qualification_is_the_current_section_under_verification_X_1(client):
    response = client.get(reverse("verification:qualification_home"))
    current = [key for key, _label, _url, is_current in response.context["main_menu"] if is_current]
    assert current == ["qualification"]


@pytest.mark.django_db
def test_felleskjop_is_the_current_section_under_the_store_X_1(client):
    response = client.get(reverse("store:procurement_list"))
    current = [key for key, _label, _url, is_current in response.context["main_menu"] if is_current]
    assert current == ["procurement"]


@pytest.mark.parametrize("name", ["innovation:home", "verification:home", "verification:qualification_home",
                                  "store:home", "experience:home", "marketplace:help", "marketplace:terms",
                                  "marketplace:organisations"])
def test_public_landing_pages_render_for_visitors_and_members_ORG_6(name, municipal_member, vendor_admin):
    assert Client().get(reverse(name)).status_code == 200
    assert login(municipal_member).get(reverse(name)).status_code == 200
    assert login(vendor_admin).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("page_name", ["vilkar", "kvalifisering", "innovasjonsarena", "verifikasjon", "butikken",
                                       "felleskjop", "erfaringsarena", "faq", "kontakt"])
def test_help_pages_render_in_both_languages_HLP_1(client, page_name):
    assert client.get(reverse("marketplace:help_page", args=[page_name])).status_code == 200
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("marketplace:help_page", args=[page_name]))
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


def test_unknown_help_page_is_404_HLP_1(client):
    assert client.get(reverse("marketplace:help_page", args=["finnes-ikke"])).status_code == 404


# People ----------------------------------------------------------------------------------------------------


def test_greeting_by_first_name_in_norwegian_ORG_6(municipal_member, municipality):
    accept_terms(municipality, by=municipal_member)
    response = login(municipal_member).get(reverse("marketplace:start"))
    assert response.status_code == 200
    html = page(response)
    assert "Velkommen tilbake, Inger" in html
    assert shows(response, nb("You act for %(organisation)s as %(role)s.", organisation=municipality.name,
                              role=nb("Member")))


def test_greeting_in_english_after_switching_language_X_1(municipal_member):
    client = login(municipal_member)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert "Welcome back, Inger" in page(response)
    assert '<html lang="en"' in page(response)
    municipal_member.refresh_from_db()
    assert municipal_member.language == "en"


def test_person_without_organisation_is_told_what_to_do_ORG_6():
    response = login(UserFactory(first_name="Ola")).get(reverse("marketplace:start"))
    assert response.status_code == 200
    assert shows(response, nb("You are not a member of any organisation yet. Ask your organisation admin for an "
                              "invitation, or open the invitation link you received by e-mail."))
    assert panel(response, TERMS_PANEL) is None


def test_pending_terms_panel_until_accepted_ORG_6(terms_all, terms_vendors, vendor, vendor_admin):
    client = login(vendor_admin)
    found = panel(client.get(reverse("marketplace:start")), TERMS_PANEL)
    assert found is not None
    assert found.count == 2
    response = client.get(reverse("marketplace:start"))
    assert reverse("marketplace:terms_detail", args=[terms_vendors.pk]) in page(response)

    accept_terms(vendor, by=vendor_admin)
    assert panel(client.get(reverse("marketplace:start")), TERMS_PANEL) is None


def test_operator_has_no_terms_panel_ORG_6(terms_all, platform_admin):
    assert panel(login(platform_admin).get(reverse("marketplace:start")), TERMS_PANEL) is None


def test_pending_invitations_panel_ORG_6(municipal_member, other_municipality, vendor):
    invitation = InvitationFactory(organisation=other_municipality, email=municipal_member.email.upper())
    InvitationFactory(organisation=vendor, email=municipal_member.email, status="revoked")
    InvitationFactory(organisation=vendor, email="noen.andre@example.no")
    response = login(municipal_member).get(reverse("marketplace:start"))
    found = panel(response, INVITATIONS_PANEL)
    assert found is not None
    assert found.context["invitations"] == [invitation]
    assert reverse("marketplace:invitation_accept", args=[invitation.token]) in page(response)


def test_unread_notifications_panel_counts_all_unread_ORG_6(municipal_member):
    NotificationFactory.create_batch(7, recipient=municipal_member, title="Nytt behov")
    NotificationFactory(recipient=municipal_member, title="Lest", read_at="2024-01-01T00:00:00Z")
    NotificationFactory(title="Til en annen")
    response = login(municipal_member).get(reverse("marketplace:start"))
    found = panel(response, NOTIFICATIONS_PANEL)
    assert found.count == 7
    assert len(found.context["notifications"]) == 5
    assert not shows(response, "Til en annen")
    assert response.context["unread_notifications"] == 7


def test_nothing_waiting_shows_no_core_panels_ORG_6(municipal_member, municipality, terms_all):
    accept_terms(municipality, by=municipal_member)
    response = login(municipal_member).get(reverse("marketplace:start"))
    for title in (TERMS_PANEL, INVITATIONS_PANEL, NOTIFICATIONS_PANEL):
        assert panel(response, title) is None


def fill(person, n: int) -> None:
    for _ in range(n):
        NotificationFactory(recipient=person)
        InvitationFactory(organisation=OrganisationFactory(kind="vendor"), email=person.email)


def test_start_page_costs_the_same_queries_for_2_and_20_items_ORG_6(
    terms_all, terms_vendors, municipal_member, django_assert_max_num_queries
):
    client = login(municipal_member)
    fill(municipal_member, 2)
    with django_assert_max_num_queries(40) as few:
        response = client.get(reverse("marketplace:start"))
    assert panel(response, NOTIFICATIONS_PANEL).count == 2
    fill(municipal_member, 18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("marketplace:start"))
    assert panel(response, NOTIFICATIONS_PANEL).count == 20
    assert panel(response, INVITATIONS_PANEL) is not None


# Two-factor for platform administrators (ORG-5) ----------------------------------------------------------------


def test_platform_admin_without_totp_is_sent_to_two_factor_setup_ORG_5(operator):
    admin = make_member(operator, Role.ADMIN)
    client = login(admin)
    for name in ("marketplace:start", "marketplace:audit", "marketplace:terms"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
    # allauth asks for the password again before setting up TOTP; the reason is shown on the way.
    response = client.get(reverse("marketplace:start"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert response.redirect_chain[-1][0].startswith("/accounts/")
    assert shows(response, nb("As a platform administrator you must turn on two-factor authentication first."))
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    assert client.get(reverse("marketplace:help")).status_code == 200  # help stays readable


def test_platform_admin_is_let_in_once_totp_exists_ORG_5(operator):
    admin = make_member(operator, Role.MEMBER)
    client = login(admin)
    assert client.get(reverse("marketplace:start")).status_code == 302
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    assert client.get(reverse("marketplace:start")).status_code == 200
    assert client.get(reverse("marketplace:audit")).status_code == 200


def test_other_people_need_no_second_factor_ORG_5(municipal_admin):
    assert login(municipal_admin).get(reverse("marketplace:start")).status_code == 200
