"""Screens of Innovasjonsarena: front page, lists, the need pages and their forms; refusals as a user sees
them; query counts pinned whatever the number of needs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from innovation import services
from innovation.models import ChecklistItem, Collaboration, Comment, EvaluationCriterion, Need, Stage
from tests.conftest import login
from tests.factories import ServiceAreaFactory

from .factories import advance, make_need

pytestmark = pytest.mark.django_db


def _many(owner, area, count: int) -> list[Need]:
    needs = []
    for i in range(count):
        need = make_need(owner, areas=[area], title=f"Behov nummer {i}")
        if i % 2 == 0:
            advance(owner, need, Stage.PUBLISHED)
            services.comment_add(actor=owner, need_id=need.pk, body=f"Kommentar {i}")
        needs.append(need)
    return needs


# Front page (INN-1) -------------------------------------------------------------------------------


def test_front_page_shows_service_areas_with_their_number_of_needs(owner, area, other_area):
    """INN-1: one card per service area with "Behovsbeskrivelse: N" for what the reader may see."""
    advance(owner, make_need(owner, areas=[area, other_area]), Stage.PUBLISHED)
    make_need(owner, areas=[area], title="Hemmelig idé")
    page = Client().get(reverse("innovation:home")).content.decode()
    assert "Tjenestetildeling" in page and "Hjemmetjenester" in page
    assert page.count("Behovsbeskrivelse: 1") == 2  # the idea is not counted for an anonymous reader
    own = login(owner).get(reverse("innovation:home")).content.decode()
    assert "Behovsbeskrivelse: 2" in own


@pytest.mark.parametrize("count", [2, 12])
def test_front_page_query_count_is_fixed(owner, area, count, django_assert_max_num_queries):
    _many(owner, area, count)
    ServiceAreaFactory.create_batch(3)
    client = login(owner)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("innovation:home")).status_code == 200
    with django_assert_max_num_queries(6):
        assert Client().get(reverse("innovation:home")).status_code == 200


# List, search and filters (INN-12) --------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_need_list_query_count_is_fixed(owner, area, count, django_assert_max_num_queries):
    _many(owner, area, count)
    client = login(owner)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("innovation:need_list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="ds-card need-card"') == count


def test_need_list_filters_by_text_stage_area_organisation_and_county(owner, bodo, area, other_area):
    kognitiv = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    video = advance(
        bodo, make_need(bodo, areas=[other_area], title="Videomøte med pårørende"), Stage.PUBLISHED
    )
    client = Client()
    url = reverse("innovation:need_list")

    def titles(**params):
        page = client.get(url, params).content.decode()
        return {n.title for n in (kognitiv, video) if n.title in page}

    assert titles() == {kognitiv.title, video.title}
    assert titles(q="videomøte") == {video.title}
    assert titles(service_area=area.slug) == {kognitiv.title}
    assert titles(organisation=bodo.acting_organisation.pk) == {video.title}
    assert titles(county="18") == {video.title}  # Bodø is in Nordland (18xx)
    assert titles(stage="idea") == set()


def test_service_area_page_has_breadcrumbs_and_keeps_the_area_on_the_need(owner, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    page = Client().get(reverse("innovation:service_area", args=[area.slug])).content.decode()
    assert 'aria-current="page">Tjenestetildeling' in page
    assert f"{need.get_absolute_url()}?omrade={area.slug}" in page


# One need -----------------------------------------------------------------------------------------


def test_need_page_breadcrumbs_follow_the_mock_up(owner, area):
    """INN-12: Innovasjonsarena › <service area> › <need>."""
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    page = Client().get(need.get_absolute_url()).content.decode()
    crumbs = page[
        page.index('class="ds-breadcrumbs') : page.index("</nav>", page.index('class="ds-breadcrumbs'))
    ]
    assert (
        crumbs.index("Innovasjonsarena")
        < crumbs.index("Tjenestetildeling")
        < crumbs.index("Kognitiv kartlegging")
    )


@pytest.mark.parametrize("count", [2, 12])
def test_need_page_query_count_is_fixed(owner, inger, area, count, django_assert_max_num_queries):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    for i in range(count):
        services.comment_add(actor=owner, need_id=need.pk, body=f"Kommentar {i}")
    _many(owner, area, count)
    for client in (login(owner), login(inger), Client()):
        with django_assert_max_num_queries(40):
            assert client.get(need.get_absolute_url()).status_code == 200
        for name in (
            "need_collaboration",
            "need_involvement",
            "need_checklist",
            "need_criteria",
            "need_history",
        ):
            with django_assert_max_num_queries(40):
                assert client.get(reverse(f"innovation:{name}", args=[need.pk])).status_code == 200


def test_reading_a_need_not_visible_to_ones_organisation_is_404(need, inger):
    """ORG-4: an idea of another organisation is not found, for every tab and for anonymous readers."""
    for client in (login(inger), Client()):
        assert client.get(need.get_absolute_url()).status_code == 404
        assert client.get(reverse("innovation:need_checklist", args=[need.pk])).status_code == 404


def test_create_need_through_the_form_and_see_it(owner, area):
    client = login(owner)
    response = client.post(
        reverse("innovation:need_create"),
        {
            "title": "Selvregistrering",
            "summary": "Innbyggeren fyller ut selv.",
            "service_areas": [area.pk],
            "goals": "Registrere én gang",
        },
    )
    need = Need.objects.get(title="Selvregistrering")
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    assert need.goals == ["Registrere én gang"]


def test_create_need_form_shows_field_errors(owner):
    response = login(owner).post(reverse("innovation:need_create"), {"title": "", "summary": ""})
    assert response.status_code == 400
    assert 'id="id_title-error"' in response.content.decode()
    assert not Need.objects.exists()


def test_create_need_without_terms_shows_why_and_links_the_terms(area, municipality, terms_all):
    from marketplace.models import Role
    from tests.conftest import make_member

    user = make_member(municipality, Role.ADMIN)
    response = login(user).post(
        reverse("innovation:need_create"), {"title": "Idé", "summary": "Noe.", "service_areas": [area.pk]}
    )
    assert response.status_code == 400
    assert reverse("marketplace:terms") in response.content.decode()
    assert not Need.objects.exists()


def test_similar_needs_appear_while_writing_and_without_javascript(owner, bodo, area):
    """Similar needs first: the htmx partial and the no-JavaScript button both list the existing need."""
    existing = advance(
        bodo, make_need(bodo, areas=[area], title="Kognitiv kartlegging i hjemmetjenesten"), Stage.PUBLISHED
    )
    client = login(owner)
    partial = client.get(
        reverse("innovation:similar"), {"title": "Kartlegging kognitiv", "summary": "hjemmetjenesten"}
    )
    assert existing.title in partial.content.decode()
    page = client.post(
        reverse("innovation:need_create"),
        {
            "title": "Kognitiv kartlegging",
            "summary": "hjemmetjenesten",
            "check_similar": "1",
        },
    )
    assert page.status_code == 200
    assert existing.title in page.content.decode()
    assert not Need.objects.filter(owner=owner.acting_organisation).exists()


def test_edit_form_is_refused_to_readers_outside_the_core_team(owner, inger, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    response = login(inger).post(reverse("innovation:need_edit", args=[need.pk]), {"title": "Kapret"})
    assert response.status_code == 403
    assert "kjerneteamet" in response.content.decode()
    need.refresh_from_db()
    assert need.title == "Kognitiv kartlegging"


def test_publishing_with_the_checklist_incomplete_shows_the_message(owner, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.EVALUATION_CRITERIA)
    client = login(owner)
    response = client.post(reverse("innovation:need_stage", args=[need.pk]), {"to": "published"}, follow=True)
    assert "Lov og forskrift ok" in response.content.decode()
    need.refresh_from_db()
    assert need.stage == Stage.EVALUATION_CRITERIA


def test_illegal_stage_jump_on_screen_says_so(need, owner):
    from django.utils import translation
    from django.utils.html import escape

    response = login(owner).post(
        reverse("innovation:need_stage", args=[need.pk]), {"to": "published"}, follow=True
    )
    with translation.override("nb"):
        expected = translation.gettext(
            "This step is not possible now: “%(source)s” cannot change to “%(target)s”."
        ) % {"source": Stage.IDEA.label, "target": Stage.PUBLISHED.label}
    assert escape(expected) in response.content.decode()
    need.refresh_from_db()
    assert need.stage == Stage.IDEA


def test_checklist_ticks_through_the_screen(need, owner):
    item = ChecklistItem.objects.get(need=need, code="anchored")
    response = login(owner).post(
        reverse("innovation:checklist_set", args=[need.pk, item.pk]),
        {"checked": "1", "comment": "Kommunalsjef ok."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.checked and item.comment == "Kommunalsjef ok."


def test_criteria_formset_refuses_weights_not_summing_to_100(need, owner):
    url = reverse("innovation:need_criteria", args=[need.pk])
    data = {
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Brukervennlighet",
        "criteria-0-weight": "60",
        "criteria-1-name": "Pris",
        "criteria-1-weight": "30",
    }
    response = login(owner).post(url, data)
    assert response.status_code == 400
    assert "90" in response.content.decode()
    assert not EvaluationCriterion.objects.exists()
    data["criteria-1-weight"] = "40"
    assert login(owner).post(url, data).status_code == 302
    assert EvaluationCriterion.objects.count() == 2


def test_collaboration_request_and_answer_through_the_screens(owner, inger, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    url = reverse("innovation:need_collaboration", args=[need.pk])
    assert login(inger).post(url, {"message": "Ringsaker vil bidra."}).status_code == 302
    collaboration = Collaboration.objects.get()
    page = login(owner).get(url).content.decode()
    assert "Ringsaker vil bidra." in page
    login(owner).post(reverse("innovation:collaboration_accept", args=[collaboration.pk]), {"reason": ""})
    collaboration.refresh_from_db()
    assert collaboration.status == Collaboration.Status.ACCEPTED


def test_answering_someone_elses_request_on_screen_is_404(owner, inger, bodo, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    collaboration = services.collaboration_request(actor=inger, need_id=need.pk)
    response = login(bodo).post(reverse("innovation:collaboration_accept", args=[collaboration.pk]))
    assert response.status_code == 404
    collaboration.refresh_from_db()
    assert collaboration.status == Collaboration.Status.PENDING


def test_follow_with_htmx_swaps_the_button(owner, inger, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    response = login(inger).post(
        reverse("innovation:need_follow", args=[need.pk]), {"follow": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Stop following" in response.content.decode() or "Slutt å følge" in response.content.decode()


def test_comment_form_posts_and_shows_the_comment(owner, inger, area):
    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    response = login(inger).post(
        reverse("innovation:need_comment", args=[need.pk]), {"body": "Hei fra Ringsaker"}
    )
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert "Hei fra Ringsaker" in Client().get(need.get_absolute_url()).content.decode()


# Comparison (INN-11) --------------------------------------------------------------------------------


def test_compare_two_needs_side_by_side_with_differences_marked(owner, bodo, area):
    first = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    second = advance(bodo, make_need(bodo, areas=[area], title="Videomøte"), Stage.PUBLISHED)
    services.need_update_declaration(
        actor=owner, need_id=first.pk, declaration={"informasjon": {"data_location": "norway"}}
    )
    response = Client().get(reverse("innovation:compare"), {"behov": [first.pk, second.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kognitiv kartlegging" in page and "Videomøte" in page
    assert 'class="differs"' in page
    assert "Funksjon" in page and "Innføring" in page


@pytest.mark.parametrize("how_many", [1, 5])
def test_comparing_one_need_or_five_is_refused_with_a_message(owner, area, how_many):
    needs = [
        advance(owner, make_need(owner, areas=[area], title=f"Behov {i}"), Stage.PUBLISHED)
        for i in range(how_many)
    ]
    response = Client().get(reverse("innovation:compare"), {"behov": [n.pk for n in needs]})
    assert response.status_code == 400
    assert "between 2 and 4" in response.content.decode() or "mellom 2 og 4" in response.content.decode()


def test_comparing_with_a_hidden_need_is_404(owner, bodo, area):
    visible = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    hidden = make_need(bodo, areas=[area], title="Bodøs idé")
    response = login(owner).get(reverse("innovation:compare"), {"behov": [visible.pk, hidden.pk]})
    assert response.status_code == 404
    assert "Bodøs idé" not in response.content.decode()


@pytest.mark.parametrize("count", [2, 4])
def test_compare_query_count_is_fixed(owner, area, count, django_assert_max_num_queries):
    needs = [
        advance(owner, make_need(owner, areas=[area], title=f"Behov {i}"), Stage.PUBLISHED)
        for i in range(count)
    ]
    with django_assert_max_num_queries(14):
        assert (
            Client().get(reverse("innovation:compare"), {"behov": [n.pk for n in needs]}).status_code == 200
        )


def test_history_shows_stages_to_all_and_declined_requests_to_the_core_team_only(owner, inger, bodo, area):
    """X-4: the timeline records every step; who was declined stays between the organisations concerned."""
    from innovation import selectors

    need = advance(owner, make_need(owner, areas=[area]), Stage.PUBLISHED)
    request = services.collaboration_request(actor=bodo, need_id=need.pk)
    services.collaboration_decline(actor=owner, collaboration_id=request.pk, reason="Ikke nå")
    full = [e.verb for e in selectors.need_history(need)]
    public = [e.verb for e in selectors.need_history(need, full=False)]
    assert "need.published" in public and "collaboration.declined" in full
    assert "collaboration.declined" not in public
    url = reverse("innovation:need_history", args=[need.pk])
    assert "Ikke nå" in login(owner).get(url).content.decode()
    assert "Ikke nå" not in login(inger).get(url).content.decode()
