"""Screens of Erfaringsarena (EXP-5 and the plug-ins): front page, filters, search, the product page, the
store's listing page section, the need page, writing through forms, and fixed query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from experience import services
from experience.models import Experience, Topic
from marketplace.models import Role
from tests.conftest import accept_terms, login, make_member
from tests.factories import OrganisationFactory, ServiceAreaFactory

from .factories import TEXTS, adopt, listed_product, municipality, write

pytestmark = pytest.mark.django_db


def many_experiences(product, n: int, terms_all, *, area=None, useful_by=None) -> list[Experience]:
    """`n` experiences with the product from `n` municipalities of growing size, each rated and commented."""
    written = []
    for i in range(n):
        organisation = municipality(inhabitants=2_000 + i * 15_000)
        author = make_member(organisation, Role.ADMIN)
        accept_terms(organisation, by=author)
        adopt(organisation, product)
        experience = write(
            author, product=product, area=area or ServiceAreaFactory(), title=f"Erfaring nummer {i}"
        )
        services.rating_set(actor=author, product_id=product.pk, score=1 + i % 5)
        if useful_by is not None:
            services.useful_mark(actor=useful_by, experience_id=experience.pk)
            services.comment_add(actor=useful_by, experience_id=experience.pk, body="Takk!")
        written.append(experience)
    return written


def test_the_front_page_shows_newest_most_useful_and_service_areas(experience, siri, area):
    services.useful_mark(actor=siri, experience_id=experience.pk)
    response = Client().get("/erfaringsarena/")
    assert response.status_code == 200
    body = response.content.decode()
    assert experience.title in body
    assert 'id="newest-title"' in body and 'id="useful-title"' in body and 'id="areas-title"' in body
    assert f"?omrade={area.slug}" in body
    assert body.count("<h1") == 1


@pytest.mark.parametrize("n", [2, 11])
def test_the_front_page_costs_a_fixed_number_of_queries(
    n, product, terms_all, siri, django_assert_max_num_queries
):
    many_experiences(product, n, terms_all, useful_by=siri)
    client = login(siri)
    client.get("/erfaringsarena/")  # warm the session and caches
    with django_assert_max_num_queries(14):
        response = client.get("/erfaringsarena/")
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get("/erfaringsarena/?sorter=useful")
    assert response.status_code == 200
    assert response.content.decode().count('class="ds-card experience-card"') == min(n, 20)


def test_filters_by_product_service_area_topic_and_size(product, terms_all, vendor, siri):
    area_a, area_b = ServiceAreaFactory(slug="legevakt"), ServiceAreaFactory(slug="sykehjem")
    small, large = many_experiences(product, 2, terms_all, area=area_a)  # 2 000 and 17 000 inhabitants
    other = listed_product(vendor, name="VarselPluss")
    organisation = OrganisationFactory(inhabitants=120_000)
    author = make_member(organisation, Role.ADMIN)
    accept_terms(organisation, by=author)
    big = write(author, product=other, area=area_b, title="Stor by, annet produkt")

    def titles(query: str) -> set[str]:
        response = Client().get(f"/erfaringsarena/?{query}")
        assert response.status_code == 200
        return {e.title for e in (small, large, big) if e.title in response.content.decode()}

    assert titles(f"produkt={other.pk}") == {big.title}
    assert titles("omrade=legevakt") == {small.title, large.title}
    assert titles("storrelse=xs") == {small.title}
    assert titles("storrelse=s") == {large.title}
    assert titles("storrelse=xl") == {big.title}
    assert titles("tema=product") == {small.title, large.title, big.title}
    assert titles("tema=need") == set()


def test_unknown_filter_values_are_ignored_with_a_message(experience):
    response = Client().get("/erfaringsarena/?produkt=999999&storrelse=huge&tema=x&q=%22unterminated")
    assert response.status_code == 200
    assert 'class="messages"' in response.content.decode()


def test_full_text_search_finds_words_in_the_text(experience, inger, product, area):
    other = write(
        inger,
        product=product,
        area=area,
        title="Opplæring av vikarer",
        what_worked="Introduksjonsprogrammet for nyansatte fungerte godt.",
    )
    body = Client().get("/erfaringsarena/?q=kalibrering").content.decode()
    assert other.title not in body
    body = Client().get("/erfaringsarena/?q=vikarer").content.decode()
    assert other.title in body and experience.title not in body
    # Norwegian stemming on PostgreSQL, substrings on SQLite: "kartleggingskriteriene" is found either way.
    body = Client().get("/erfaringsarena/?q=kartleggingskriteriene").content.decode()
    assert experience.title in body


def test_the_product_page_shows_rating_and_experiences(experience, inger, product, in_use):
    services.rating_set(actor=inger, product_id=product.pk, score=5)
    response = Client().get(f"/erfaringsarena/produkter/{product.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert experience.title in body and "<meter" in body and f'href="/butikken/produkt/{product.pk}/"' in body
    assert Client().get("/erfaringsarena/produkter/999999/").status_code == 404


def test_the_store_listing_page_shows_the_rating_and_latest_experiences(
    experience, inger, product, in_use, siri
):
    """STO-2 via store.plugins: the section on the listing page; the rating form only for its users."""
    services.rating_set(actor=inger, product_id=product.pk, score=4)
    body = Client().get(f"/butikken/produkt/{product.pk}/").content.decode()
    assert 'id="erfaringer"' in body and experience.title in body
    assert 'class="form rating-form"' not in body
    assert 'class="form rating-form"' in login(inger).get(f"/butikken/produkt/{product.pk}/").content.decode()
    assert (
        'class="form rating-form"' not in login(siri).get(f"/butikken/produkt/{product.pk}/").content.decode()
    )


@pytest.mark.parametrize("n", [2, 10])
def test_the_listing_page_section_costs_a_fixed_number_of_queries(
    n, product, terms_all, siri, django_assert_max_num_queries
):
    many_experiences(product, n, terms_all, useful_by=siri)
    adopt(siri.acting_organisation, product)
    from django.test import RequestFactory

    from experience.plugins import listing_section

    request = RequestFactory().get("/")
    request.user = siri

    class Page:
        pass

    page = Page()
    page.product = product
    with django_assert_max_num_queries(5):
        context = listing_section(request, page)
    assert (
        len(context["experiences"]) == min(n, 3) and context["rating"]["count"] == n and context["can_rate"]
    )
    client = login(siri)
    client.get(f"/butikken/produkt/{product.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/butikken/produkt/{product.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="ds-card experience-card"') == min(n, 3)
    ours = [q["sql"] for q in queries.captured_queries if 'FROM "experience_' in q["sql"]]
    assert len(ours) <= 4, ours


def test_the_need_page_lists_experiences_about_the_need_and_its_products(
    inger, area, terms_all, product, in_use
):
    from tests.innovation.factories import advance, make_need

    owner = make_member(OrganisationFactory(kind="county", municipality_number=""), Role.ADMIN)
    accept_terms(owner.acting_organisation, by=owner)
    need = advance(owner, make_need(owner, areas=[area]), "published")
    about_need = write(inger, topic=Topic.NEED, need_id=need.pk, area=area, title="Kjerneteamet lærte mye")
    with_product = write(inger, product=product, area=area, title="Produktet som svarer på behovet")
    unrelated = write(
        inger, product=listed_product(product.vendor, name="Noe annet"), area=area, title="Urelatert"
    )
    product.needs.add(need)
    for url in (f"/erfaringsarena/behov/{need.pk}/", f"/erfaringsarena/?behov={need.pk}"):
        body = Client().get(url).content.decode()
        assert about_need.title in body and with_product.title in body and unrelated.title not in body, url
    titles = {e["title"] for e in Client().get(f"/api/v1/experiences/?need={need.pk}").json()["results"]}
    assert titles == {about_need.title, with_product.title}
    from experience.plugins import need_section

    assert {e.title for e in need_section(None, need)["experiences"]} == titles
    assert Client().get("/erfaringsarena/behov/999999/").status_code == 404
    # The need's own page in Innovasjonsarena shows them through its plug-in point (no reverse import).
    need_page = Client().get(need.get_absolute_url()).content.decode()
    assert about_need.title in need_page and with_product.title in need_page and unrelated.title not in need_page
    assert f'href="/erfaringsarena/behov/{need.pk}/"' in need_page


def test_writing_an_experience_through_the_form(inger, product, in_use, area):
    client = login(inger)
    assert client.get(f"/erfaringsarena/ny/?produkt={product.pk}").status_code == 200
    response = client.post(
        "/erfaringsarena/ny/",
        {
            "topic": "product",
            "product": product.pk,
            "service_area": area.pk,
            "title": "Nytt fra Ringsaker",
            **TEXTS,
        },
    )
    assert response.status_code == 302
    experience = Experience.objects.get(title="Nytt fra Ringsaker")
    assert experience.status == Experience.Status.DRAFT
    page = client.get(experience.get_absolute_url()).content.decode()
    assert "Nytt fra Ringsaker" in page
    response = client.post(f"/erfaringsarena/{experience.pk}/publiser/")
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.status == Experience.Status.PUBLISHED
    response = client.post(
        f"/erfaringsarena/{experience.pk}/rediger/",
        {
            "service_area": area.pk,
            "title": "Nytt fra Ringsaker (oppdatert)",
            **TEXTS,
            "change_note": "Ny tittel",
        },
    )
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.version == 2
    history = client.get(f"/erfaringsarena/{experience.pk}/historikk/").content.decode()
    assert "Ny tittel" in history and "Nytt fra Ringsaker</dd>" in history


def test_the_form_shows_field_messages(inger):
    response = login(inger).post("/erfaringsarena/ny/", {"topic": "product", "title": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-invalid="true"' in body


def test_commenting_reporting_and_replying_through_the_screens(experience, siri, vera):
    client = login(siri)
    response = client.post(f"/erfaringsarena/{experience.pk}/kommentarer/", {"body": "Nyttig, takk!"})
    assert response.status_code == 302
    comment = experience.comments.get()
    assert (
        login(experience.author).get(f"/erfaringsarena/kommentarer/{comment.pk}/rapporter/").status_code
        == 200
    )
    response = login(vera).post(
        f"/erfaringsarena/{experience.pk}/leverandorsvar/", {"body": "Takk for tilbakemeldingen."}
    )
    assert response.status_code == 302
    assert experience.comments.filter(is_vendor_reply=True).count() == 1
    body = login(vera).get(experience.get_absolute_url()).content.decode()
    assert f'action="/erfaringsarena/{experience.pk}/leverandorsvar/"' not in body  # replied: no second form


def test_my_organisations_experiences(inger, kari, colleague, product, area, experience, moderator):
    draft = write(inger, product=product, area=area, publish=False, title="Inger sitt utkast")
    assert draft.title in login(inger).get("/erfaringsarena/mine/").content.decode()
    assert draft.title in login(kari).get("/erfaringsarena/mine/").content.decode()
    assert draft.title not in login(colleague).get("/erfaringsarena/mine/").content.decode()
    services.experience_hide(actor=moderator, experience_id=experience.pk, reason="Navn på beboer")
    body = login(inger).get("/erfaringsarena/mine/").content.decode()
    assert "Navn på beboer" in body  # the author sees why, not the hidden text
    assert TEXTS["what_worked"] not in body


def test_anonymous_visitors_read_but_are_asked_to_log_in_to_act(experience):
    client = Client()
    body = client.get(experience.get_absolute_url()).content.decode()
    assert experience.what_worked in body and "/accounts/login/" in body
    assert client.get("/erfaringsarena/ny/").status_code == 302
    assert client.post(f"/erfaringsarena/{experience.pk}/nyttig/").status_code == 302


def test_attachments_and_deleting_a_draft_through_the_screens(inger, colleague, product, area):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from marketplace.services.documents import documents_for

    draft = write(inger, product=product, area=area, publish=False, title="Utkast med vedlegg")
    client = login(inger)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert (
        client.post(f"/erfaringsarena/{draft.pk}/vedlegg/", {"file": upload, "title": "Plan"}).status_code
        == 302
    )
    document = documents_for(draft).get()
    assert "Plan" in client.get(draft.get_absolute_url()).content.decode()
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    client.post(f"/erfaringsarena/{draft.pk}/vedlegg/", {"file": bad})
    assert documents_for(draft).count() == 1
    assert client.post(f"/erfaringsarena/{draft.pk}/vedlegg/{document.pk}/fjern/").status_code == 302
    assert not documents_for(draft).exists()
    assert login(colleague).get(f"/erfaringsarena/{draft.pk}/slett/").status_code == 404
    assert client.get(f"/erfaringsarena/{draft.pk}/slett/").status_code == 200
    assert client.post(f"/erfaringsarena/{draft.pk}/slett/").status_code == 302
    assert not Experience.objects.filter(pk=draft.pk).exists()
