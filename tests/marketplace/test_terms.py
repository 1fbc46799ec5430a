"""TRM-1 … TRM-5: versioned Vilkår, acceptance by organisation admins, the gate, new versions, history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Notification, Role, Terms, TermsAcceptance
from marketplace.notifications import TERMS_NEW_VERSION
from marketplace.services.terms import (
    terms_accept,
    terms_announce_effective,
    terms_create,
    terms_publish,
    terms_update,
)
from marketplace.terms import ensure_terms_accepted, forget_pending_terms, terms_pending_for

from ..conftest import accept_terms, login, make_member
from ..factories import OrganisationFactory, TermsFactory
from .helpers import nb, page, shows

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def acceptances():
    return sorted(TermsAcceptance.objects.values_list("organisation_id", "terms_id", "accepted_by_id"))


# The gate (TRM-3) ------------------------------------------------------------------------------------


def test_gate_refuses_until_the_current_terms_are_accepted_TRM_3(terms_all, municipality, municipal_admin):
    with pytest.raises(TermsNotAccepted) as exc:
        ensure_terms_accepted(municipality)
    assert exc.value.status_code == 403
    assert reverse("marketplace:terms") in exc.value.message
    assert terms_all.title in exc.value.message

    terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)
    ensure_terms_accepted(municipality)  # no longer raises


def test_vendors_need_both_the_common_and_the_vendor_terms_TRM_3(terms_all, terms_vendors, vendor, vendor_admin):
    terms_accept(actor=vendor_admin, organisation=vendor, terms_id=terms_all.pk)
    with pytest.raises(TermsNotAccepted) as exc:
        ensure_terms_accepted(vendor)
    assert terms_vendors.title in exc.value.message
    assert terms_pending_for(vendor) == [terms_vendors]

    terms_accept(actor=vendor_admin, organisation=vendor, terms_id=terms_vendors.pk)
    ensure_terms_accepted(vendor)


def test_municipalities_need_only_the_common_terms_TRM_3(terms_all, terms_vendors, municipality, municipal_admin):
    terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)
    ensure_terms_accepted(municipality)


def test_operator_is_exempt_from_the_gate_TRM_3(terms_all, terms_vendors, operator):
    ensure_terms_accepted(operator)
    assert terms_pending_for(operator) == []


def test_gate_refuses_without_an_acting_organisation_TRM_3(terms_all):
    with pytest.raises(TermsNotAccepted):
        ensure_terms_accepted(None)


def test_gate_passes_when_nothing_is_published_yet_TRM_3(municipality):
    TermsFactory(status=Terms.Status.DRAFT)
    TermsFactory(effective_from=today() + timedelta(days=10))
    ensure_terms_accepted(municipality)


# Accepting (TRM-2) -----------------------------------------------------------------------------------


def test_org_admin_accepts_and_who_when_which_is_recorded_TRM_2(terms_all, municipality, municipal_admin):
    before = timezone.now()
    acceptance = terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)

    acceptance.refresh_from_db()
    assert acceptance.organisation == municipality
    assert acceptance.terms == terms_all
    assert acceptance.accepted_by == municipal_admin
    assert before <= acceptance.accepted_at <= timezone.now()
    event = AuditEvent.objects.get(verb="terms.accepted")
    assert (event.actor, event.organisation, event.target) == (municipal_admin, municipality, terms_all)
    assert event.data == {"version": "1.0", "audience": "all"}


def test_member_cannot_accept_TRM_2(terms_all, municipality, municipal_member):
    with pytest.raises(PermissionRefused) as exc:
        terms_accept(actor=municipal_member, organisation=municipality, terms_id=terms_all.pk)
    assert exc.value.message == nb("Only an organisation admin can accept the terms for %(organisation)s.",
                                   organisation=municipality.name)
    assert acceptances() == []


def test_member_is_refused_on_screen_with_a_message_TRM_2(terms_all, municipality, municipal_member):
    client = login(municipal_member)
    response = client.get(terms_all.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_accept"] is False
    assert shows(response, nb("Only an organisation admin can accept the terms. Ask one of your organisation's admins."))

    response = client.post(reverse("marketplace:terms_accept", args=[terms_all.pk]), follow=True)
    assert response.redirect_chain[-1][0] == terms_all.get_absolute_url()
    assert shows(response, nb("Only an organisation admin can accept the terms for %(organisation)s.",
                              organisation=municipality.name))
    assert acceptances() == []


def test_org_admin_accepts_on_screen_TRM_2(terms_all, municipality, municipal_admin):
    client = login(municipal_admin)
    response = client.get(terms_all.get_absolute_url())
    assert response.context["can_accept"] is True
    assert shows(response, nb("Accept on behalf of %(organisation)s", organisation=municipality.name))

    response = client.post(reverse("marketplace:terms_accept", args=[terms_all.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("marketplace:terms")
    assert shows(response, nb("The terms are accepted on behalf of %(organisation)s.", organisation=municipality.name))
    assert acceptances() == [(municipality.pk, terms_all.pk, municipal_admin.pk)]
    # The page now says who accepted, and the banner is gone.
    assert response.context["pending_terms"] == []


def test_accept_screen_never_redirects_to_another_site_TRM_2(terms_all, municipal_admin):
    response = login(municipal_admin).post(reverse("marketplace:terms_accept", args=[terms_all.pk]),
                                           {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == reverse("marketplace:terms")
    response = login(municipal_admin).post(reverse("marketplace:terms_accept", args=[terms_all.pk]),
                                           {"next": reverse("marketplace:start")})
    assert response.url == terms_all.get_absolute_url()  # already accepted: refused, back to the terms


def test_accepting_for_an_organisation_i_do_not_act_for_is_refused_TRM_2(terms_all, municipal_admin, other_municipality):
    with pytest.raises(PermissionRefused):
        terms_accept(actor=municipal_admin, organisation=other_municipality, terms_id=terms_all.pk)
    assert acceptances() == []


def test_accepting_twice_is_a_conflict_TRM_2(terms_all, municipality, municipal_admin):
    terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)
    with pytest.raises(Conflict) as exc:
        terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)
    assert exc.value.status_code == 409
    assert TermsAcceptance.objects.count() == 1


def test_accepting_a_superseded_version_is_refused_TRM_2(terms_all, municipality, municipal_admin):
    TermsFactory(version="2.0", effective_from=today())
    with pytest.raises(IllegalTransition) as exc:
        terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)
    assert exc.value.message == nb("Only the version of the terms in force can be accepted.")
    assert acceptances() == []


def test_accepting_a_version_not_yet_in_force_is_refused_TRM_2(terms_all, municipality, municipal_admin):
    future = TermsFactory(version="2.0", effective_from=today() + timedelta(days=7))
    with pytest.raises(IllegalTransition):
        terms_accept(actor=municipal_admin, organisation=municipality, terms_id=future.pk)
    assert acceptances() == []


def test_accepting_a_draft_is_not_found_TRM_2(terms_all, municipality, municipal_admin):
    draft = TermsFactory(version="2.0", status=Terms.Status.DRAFT, effective_from=today())
    with pytest.raises(NotFound):
        terms_accept(actor=municipal_admin, organisation=municipality, terms_id=draft.pk)
    assert acceptances() == []


def test_vendor_terms_do_not_apply_to_a_municipality_TRM_2(terms_vendors, municipality, municipal_admin):
    with pytest.raises(PermissionRefused):
        terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_vendors.pk)
    assert acceptances() == []


def test_platform_admin_does_not_accept_terms_TRM_2(terms_all, operator, platform_admin):
    with pytest.raises(PermissionRefused):
        terms_accept(actor=platform_admin, organisation=operator, terms_id=terms_all.pk)
    assert acceptances() == []


# Versions (TRM-1) and publication ------------------------------------------------------------------------


def test_published_version_cannot_be_edited_TRM_1(terms_all, platform_admin):
    with pytest.raises(IllegalTransition):
        terms_update(actor=platform_admin, terms_id=terms_all.pk, body="Endret i ettertid")
    terms_all.refresh_from_db()
    assert terms_all.body != "Endret i ettertid"


def test_published_version_cannot_be_edited_on_screen_TRM_1(terms_all, platform_admin):
    body_before = terms_all.body
    response = login(platform_admin).post(reverse("marketplace:terms_edit", args=[terms_all.pk]), {
        "audience": "all", "version": "1.0", "title": "Nytt navn", "effective_from": terms_all.effective_from.isoformat(),
        "body": "Endret i ettertid", "changes": "",
    })
    assert response.status_code == 200
    assert shows(response, nb("A published version of the terms cannot be changed. Write a new version instead."))
    terms_all.refresh_from_db()
    assert (terms_all.title, terms_all.body) == ("Vilkår for deltakelse", body_before)


def test_publishing_twice_is_an_illegal_transition_TRM_1(terms_all, platform_admin):
    with pytest.raises(IllegalTransition):
        terms_publish(actor=platform_admin, terms_id=terms_all.pk)


def test_only_platform_admins_write_terms_TRM_1(municipal_admin):
    with pytest.raises(PermissionRefused):
        terms_create(actor=municipal_admin, audience="all", version="9.0", title="X", body="Y", effective_from=today())
    assert not Terms.objects.exists()


def test_duplicate_version_number_is_refused_TRM_1(terms_all, platform_admin):
    with pytest.raises(ValidationError):
        terms_create(actor=platform_admin, audience="all", version="1.0", title="X", body="Y", effective_from=today())
    assert Terms.objects.count() == 1


def test_new_version_cannot_take_effect_before_the_published_one_TRM_1(terms_all, platform_admin):
    draft = terms_create(actor=platform_admin, audience="all", version="2.0", title="X", body="Y",
                         effective_from=terms_all.effective_from - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        terms_publish(actor=platform_admin, terms_id=draft.pk)
    assert "effective_from" in exc.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Terms.Status.DRAFT


def test_operator_writes_a_draft_and_publishes_it_on_screen_TRM_1(platform_admin, django_capture_on_commit_callbacks):
    client = login(platform_admin)
    assert client.get(reverse("marketplace:terms_create")).status_code == 200
    response = client.post(reverse("marketplace:terms_create"), {
        "audience": "vendors", "version": "1.0", "title": "Leverandørvilkår", "effective_from": today().isoformat(),
        "body": "## Plikter\n\nLeverandøren holder deklarasjonen oppdatert.", "changes": "Første versjon.",
    }, follow=True)
    draft = Terms.objects.get(audience="vendors", version="1.0")
    assert draft.status == Terms.Status.DRAFT
    assert draft.created_by == platform_admin
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert shows(response, nb("The draft is saved."))
    assert reverse("marketplace:terms_publish", args=[draft.pk]) in page(response)
    assert Client().get(draft.get_absolute_url()).status_code == 404  # a draft is not public
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("marketplace:terms_publish", args=[draft.pk]), follow=True)
    assert shows(response, nb("The version is published."))
    draft.refresh_from_db()
    assert draft.status == Terms.Status.PUBLISHED
    assert draft.published_at is not None
    assert draft.announced_at is not None  # in effect today: announced at once (TRM-4)
    event = AuditEvent.objects.get(verb="terms.published")
    assert (event.from_state, event.to_state, event.actor) == ("draft", "published", platform_admin)


def test_operator_edits_a_draft_on_screen_TRM_1(platform_admin):
    draft = TermsFactory(version="2.0", status=Terms.Status.DRAFT, published_at=None)
    response = login(platform_admin).post(reverse("marketplace:terms_edit", args=[draft.pk]), {
        "audience": "all", "version": "2.0", "title": draft.title, "effective_from": today().isoformat(),
        "body": "Ny tekst", "changes": "Alt er nytt.",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.body, draft.changes) == ("Ny tekst", "Alt er nytt.")
    assert AuditEvent.objects.filter(verb="terms.updated", target_id=str(draft.pk)).exists()


def test_terms_form_shows_missing_fields_TRM_1(platform_admin):
    response = login(platform_admin).post(reverse("marketplace:terms_create"), {"audience": "all", "version": "3.0"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"title", "body", "effective_from"}
    assert not Terms.objects.exists()


def test_others_cannot_write_or_publish_terms_on_screen_TRM_1(municipal_admin):
    draft = TermsFactory(version="2.0", status=Terms.Status.DRAFT, published_at=None)
    client = login(municipal_admin)
    assert client.get(reverse("marketplace:terms_create")).status_code == 404
    assert client.get(reverse("marketplace:terms_edit", args=[draft.pk])).status_code == 404
    response = client.post(reverse("marketplace:terms_publish", args=[draft.pk]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [nb("You do not have permission to do this.")]
    draft.refresh_from_db()
    assert draft.status == Terms.Status.DRAFT


def test_publish_screen_shows_an_effective_date_before_the_published_one_TRM_1(terms_all, platform_admin):
    draft = TermsFactory(version="2.0", status=Terms.Status.DRAFT, published_at=None,
                         effective_from=terms_all.effective_from - timedelta(days=3))
    response = login(platform_admin).post(reverse("marketplace:terms_publish", args=[draft.pk]), follow=True)
    assert shows(response, nb("A new version cannot take effect before the version already published (%(date)s).",
                              date=f"{terms_all.effective_from:%d.%m.%Y}"))
    draft.refresh_from_db()
    assert draft.status == Terms.Status.DRAFT


# A new version takes effect (TRM-4) -----------------------------------------------------------------------


def test_new_version_in_force_notifies_admins_once_and_must_be_accepted_again_TRM_4(
    terms_all, municipality, municipal_admin, municipal_member, other_municipality, vendor, vendor_admin, platform_admin,
    django_capture_on_commit_callbacks,
):
    other_admin = make_member(other_municipality, Role.ADMIN)
    terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)
    terms_all.announced_at = timezone.now()
    terms_all.save(update_fields=["announced_at"])
    ensure_terms_accepted(municipality)

    draft = terms_create(actor=platform_admin, audience="all", version="2.0", title="Vilkår for deltakelse",
                         body="Ny tekst", changes="Nye regler for deling.", effective_from=today())
    newcomer = make_member(OrganisationFactory(name="Pasientforeningen", kind="interest"), Role.ADMIN)  # accepted nothing
    with django_capture_on_commit_callbacks(execute=True):
        terms_publish(actor=platform_admin, terms_id=draft.pk)

    notified = Notification.objects.filter(kind=TERMS_NEW_VERSION.code)
    assert sorted(notified.values_list("recipient__email", flat=True)) == sorted(
        [municipal_admin.email, other_admin.email, vendor_admin.email, newcomer.email])
    assert not notified.filter(recipient__in=[municipal_member, platform_admin]).exists()
    note = notified.get(recipient=municipal_admin)
    assert note.url == reverse("marketplace:terms_detail", args=[draft.pk])
    assert note.organisation == municipality

    # The task runs again (beat): nothing new.
    assert terms_announce_effective() == 0
    assert notified.count() == 4

    # The organisation that accepted 1.0 must accept 2.0 before it can act again.
    forget_pending_terms(municipality)
    with pytest.raises(TermsNotAccepted):
        ensure_terms_accepted(municipality)
    terms_accept(actor=municipal_admin, organisation=municipality, terms_id=draft.pk)
    ensure_terms_accepted(municipality)


def test_admins_of_organisations_that_accepted_already_are_not_notified_TRM_4(terms_all, municipality, municipal_admin):
    accept_terms(municipality, by=municipal_admin)
    assert terms_announce_effective() == 1
    assert not Notification.objects.exists()
    assert Terms.objects.get(pk=terms_all.pk).announced_at is not None


def test_version_taking_effect_later_is_announced_when_it_takes_effect_TRM_4(
    terms_all, municipality, municipal_admin, platform_admin, django_capture_on_commit_callbacks,
):
    accept_terms(municipality, by=municipal_admin)
    terms_announce_effective()
    future = terms_create(actor=platform_admin, audience="all", version="2.0", title="Vilkår", body="Ny",
                          effective_from=today() + timedelta(days=14))
    with django_capture_on_commit_callbacks(execute=True):
        terms_publish(actor=platform_admin, terms_id=future.pk)
    assert not Notification.objects.exists()
    ensure_terms_accepted(municipality)  # 1.0 is still in force

    Terms.objects.filter(pk=future.pk).update(effective_from=today())  # the day comes
    forget_pending_terms(municipality)
    assert terms_announce_effective() == 1
    assert Notification.objects.filter(recipient=municipal_admin, kind=TERMS_NEW_VERSION.code).count() == 1
    assert terms_announce_effective() == 0
    with pytest.raises(TermsNotAccepted):
        ensure_terms_accepted(municipality)


def test_announcement_is_in_each_admins_language_TRM_4(terms_all, municipality, vendor):
    nb_admin = make_member(municipality, Role.ADMIN, language="nb")
    en_admin = make_member(vendor, Role.ADMIN, language="en")
    terms_announce_effective()
    assert Notification.objects.get(recipient=en_admin).title == "New terms: Vilkår for deltakelse 1.0 must be accepted"
    assert Notification.objects.get(recipient=nb_admin).title == nb(
        "New terms: %(title)s %(version)s must be accepted", title="Vilkår for deltakelse", version="1.0")


# Public pages and "what changed" (TRM-5, TRM-4) ------------------------------------------------------------


def test_terms_page_and_history_are_public_TRM_5(client, terms_all, terms_vendors):
    old = TermsFactory(version="0.9", effective_from=today() - timedelta(days=300), body="Gammel tekst")
    draft = TermsFactory(version="3.0", status=Terms.Status.DRAFT, published_at=None, title="Hemmelig utkast")
    response = client.get(reverse("marketplace:terms"))
    assert response.status_code == 200
    assert [item["terms"] for item in response.context["current"]] == [terms_all, terms_vendors]
    assert list(response.context["history"]) == [terms_all, old, terms_vendors]
    assert shows(response, "Leverandørvilkår")
    assert not shows(response, "Hemmelig utkast")
    assert client.get(old.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Gammel tekst" in page(client.get(old.get_absolute_url()))


def test_drafts_are_hidden_from_org_admins_and_shown_to_platform_admins_TRM_1(municipal_admin, platform_admin):
    draft = TermsFactory(version="3.0", status=Terms.Status.DRAFT, published_at=None, title="Utkast")
    assert login(municipal_admin).get(draft.get_absolute_url()).status_code == 404
    assert login(platform_admin).get(draft.get_absolute_url()).status_code == 200
    assert draft in login(platform_admin).get(reverse("marketplace:terms")).context["drafts"]


def test_terms_body_markdown_is_sanitised_TRM_5(client):
    terms = TermsFactory(body="## Formål\n\n<script>alert(1)</script>\n\n[lenke](javascript:alert(1))")
    html = page(client.get(terms.get_absolute_url()))
    assert "<h2>Formål</h2>" in html
    assert "<script>alert(1)</script>" not in html
    assert "javascript:alert" not in html


def three_versions():
    v1 = TermsFactory(version="1.0", effective_from=today() - timedelta(days=200), body="Punkt A\nPunkt B")
    v2 = TermsFactory(version="2.0", effective_from=today() - timedelta(days=100), body="Punkt A\nPunkt B\nPunkt C",
                      changes="Punkt C er nytt.")
    v3 = TermsFactory(version="3.0", effective_from=today() - timedelta(days=1), body="Punkt A\nPunkt C\nPunkt D",
                      changes="Punkt B er fjernet, punkt D er nytt.")
    return v1, v2, v3


def test_detail_shows_what_changed_since_the_version_my_organisation_accepted_TRM_4(municipality, municipal_admin):
    v1, v2, v3 = three_versions()
    TermsAcceptance.objects.create(organisation=municipality, terms=v1, accepted_by=municipal_admin)

    response = login(municipal_admin).get(v3.get_absolute_url())
    assert response.status_code == 200
    assert response.context["previous"] == v1
    assert shows(response, nb("What changed since version %(version)s", version="1.0"))
    assert "Punkt B er fjernet" in page(response)
    assert "-Punkt B" in response.context["diff"]
    assert "+Punkt D" in response.context["diff"]
    assert response.context["can_accept"] is True


def test_detail_for_visitors_compares_with_the_version_before_TRM_5(client):
    v1, v2, v3 = three_versions()
    response = client.get(v3.get_absolute_url())
    assert response.context["previous"] == v2
    assert shows(response, nb("What changed since version %(version)s", version="2.0"))


def test_detail_of_an_old_version_never_compares_with_a_newer_one_TRM_5(municipality, municipal_admin):
    v1, v2, v3 = three_versions()
    TermsAcceptance.objects.create(organisation=municipality, terms=v3, accepted_by=municipal_admin)
    response = login(municipal_admin).get(v2.get_absolute_url())
    assert response.context["previous"] == v1
    assert shows(response, nb("What changed since version %(version)s", version="1.0"))
    assert response.context["is_current"] is False
    assert not shows(response, nb("Accept on behalf of %(organisation)s", organisation=municipality.name))


def test_detail_shows_who_accepted_for_my_organisation_TRM_2(terms_all, municipality, municipal_admin):
    terms_accept(actor=municipal_admin, organisation=municipality, terms_id=terms_all.pk)
    response = login(municipal_admin).get(terms_all.get_absolute_url())
    assert response.context["acceptance"].accepted_by == municipal_admin
    assert response.context["can_accept"] is False
    assert not shows(response, nb("Accept on behalf of %(organisation)s", organisation=municipality.name))


def test_banner_tells_an_organisation_that_has_not_accepted_TRM_3(terms_all, municipality, municipal_member):
    response = login(municipal_member).get(reverse("marketplace:help"))
    assert shows(response, nb("%(organisation)s has not accepted the current terms and can read but not act.",
                              organisation=municipality.name))
    accept_terms(municipality, by=municipal_member)
    response = login(municipal_member).get(reverse("marketplace:help"))
    assert not shows(response, nb("%(organisation)s has not accepted the current terms and can read but not act.",
                                  organisation=municipality.name))
