"""Market dialogue: qualified vendors ask clarification questions; the lead publishes the answers to all vendors
at once, with the question anonymised."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from marketplace.errors import Conflict, NotFound, PermissionRefused
from marketplace.models import Notification
from store.models import ProcurementQuestion
from store.selectors.procurement import questions_visible
from store.services import procurement as services

from .factories import pass_deadline

pytestmark = pytest.mark.django_db

QUESTION = "Kartleggeren AS lurer på: må Kartleggeren Kognitiv støtte frakoblet modus? Hilsen Vera."


@pytest.fixture
def asked(dialogue, seller, product):
    return services.question_ask(actor=seller, procurement_id=dialogue.pk, text=QUESTION)


def test_qualified_vendor_asks_and_the_starting_text_is_anonymised(asked, seller):
    assert asked.status == "open" and asked.vendor == seller.acting_organisation
    assert "Kartleggeren" not in asked.public_text and "Vera" not in asked.public_text
    assert "frakoblet modus" in asked.public_text


def test_a_vendor_that_is_not_qualified_cannot_ask(dialogue, unqualified_seller):
    """Refusal: a vendor that is not qualified asking."""
    with pytest.raises(PermissionRefused, match="not qualified"):
        services.question_ask(actor=unqualified_seller, procurement_id=dialogue.pk, text="Et spørsmål?")
    assert not ProcurementQuestion.objects.exists()


def test_municipalities_do_not_ask_vendor_questions(dialogue, bodo_admin):
    with pytest.raises(PermissionRefused):
        services.question_ask(actor=bodo_admin, procurement_id=dialogue.pk, text="Et spørsmål?")


def test_questions_only_in_the_dialogue_and_competition_before_the_deadline(lead, planning, seller, bodo_admin):
    from store.selectors.procurement import procurement_get

    with pytest.raises(NotFound):  # a planning procurement is not visible to vendors
        services.question_ask(actor=seller, procurement_id=planning.pk, text="Tidlig?")
    services.procurement_start_market_dialogue(actor=lead, procurement_id=planning.pk)
    pass_deadline(procurement_get(user=lead, pk=planning.pk), "questions_deadline")
    with pytest.raises(Conflict):
        services.question_ask(actor=seller, procurement_id=planning.pk, text="For sent?")


def test_empty_question_is_a_field_error(dialogue, seller):
    with pytest.raises(ValidationError) as error:
        services.question_ask(actor=seller, procurement_id=dialogue.pk, text="   ")
    assert "text" in error.value.message_dict


def test_answers_are_published_to_all_vendors_at_once(asked, lead, dialogue, other_seller, seller, other_product,
                                                      django_capture_on_commit_callbacks):
    second = services.question_ask(actor=other_seller, procurement_id=dialogue.pk, text="Hvilken FHIR-versjon?")
    services.question_answer(actor=lead, question_id=asked.pk, answer="Ja, frakoblet modus er et krav.",
                             public_text="Må løsningen støtte frakoblet modus?")
    # Answered but not published: no other vendor — not even the asker — sees the answer yet.
    assert list(questions_visible(user=other_seller, procurement=dialogue)) == [second]
    with pytest.raises(ValidationError) as error:
        services.question_answer(actor=lead, question_id=second.pk, answer="")
    assert "answer" in error.value.message_dict
    services.question_answer(actor=lead, question_id=second.pk, answer="FHIR R4.")
    with django_capture_on_commit_callbacks(execute=True):
        published = services.questions_publish(actor=lead, procurement_id=dialogue.pk)
    assert [q.number for q in published] == [1, 2]
    assert len({q.published_at for q in published}) == 1  # at once
    for vendor_person in (seller, other_seller):
        assert Notification.objects.filter(recipient=vendor_person, kind="store.procurement_answers").exists()
    visible = {q.pk for q in questions_visible(user=other_seller, procurement=dialogue)}
    assert visible == {asked.pk, second.pk}


def test_publishing_with_nothing_answered_is_refused(lead, dialogue, asked):
    with pytest.raises(Conflict):
        services.questions_publish(actor=lead, procurement_id=dialogue.pk)


def test_the_lead_is_told_of_a_new_question(dialogue, seller, product, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(actor=seller, procurement_id=dialogue.pk, text="Spørsmål?")
    note = Notification.objects.get(recipient=lead, kind="store.procurement_question")
    assert "Kartleggeren" not in note.title


def test_only_the_lead_answers(asked, other_seller, bodo_admin):
    for actor in (other_seller, bodo_admin):
        with pytest.raises(NotFound):
            services.question_answer(actor=actor, question_id=asked.pk, answer="Svar.")
    asked.refresh_from_db()
    assert asked.answer == "" and asked.status == "open"


def test_published_answer_is_final(asked, lead, dialogue):
    services.question_answer(actor=lead, question_id=asked.pk, answer="Ja.")
    services.questions_publish(actor=lead, procurement_id=dialogue.pk)
    with pytest.raises(Conflict):
        services.question_answer(actor=lead, question_id=asked.pk, answer="Nei.")


def test_published_questions_never_name_the_asker_on_page_or_api(asked, lead, dialogue, other_seller):
    from django.test import Client

    from tests.conftest import login

    services.question_answer(actor=lead, question_id=asked.pk, answer="Ja, det er et krav.",
                             public_text="Må løsningen støtte frakoblet modus?")
    services.questions_publish(actor=lead, procurement_id=dialogue.pk)
    for client in (Client(), login(other_seller)):
        page = client.get(f"/butikken/felleskjop/{dialogue.pk}/sporsmal/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Må løsningen støtte frakoblet modus?" in html and "Ja, det er et krav." in html
        assert "Kartleggeren" not in html.split('<main')[1].split("</header>", 1)[1]
