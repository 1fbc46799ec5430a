"""marketplace.templatetags.layout: the layout's {% fixed %} parts are rendered once and still follow the
language, the script prefix and the settings; anything that depends on the page is refused when the
template is compiled; the main menu marks the current section (X-1)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation


def _template(source: str):
    return engines["django"].from_string("{% load i18n layout links static %}" + source)


FIXED = _template(
    "{% fixed %}<a href=\"{% fixed_url 'marketplace:start' %}\">{% translate 'Skip to main content' %}</a>"
    "<link href=\"{% static 'css/app.css' %}\">{% endfixed %}"
)


def test_a_fixed_part_renders_as_its_nodes_would():
    plain = _template(
        "<a href=\"{% fixed_url 'marketplace:start' %}\">{% translate 'Skip to main content' %}</a>"
        "<link href=\"{% static 'css/app.css' %}\">"
    )
    with translation.override("en"):
        assert FIXED.render({}) == plain.render({})
        assert FIXED.render({}) == f'<a href="{reverse("marketplace:start")}">Skip to main content</a>' + (
            f'<link href="{static("css/app.css")}">'
        )


def test_a_fixed_part_is_rendered_in_each_language():
    with translation.override("nb"):
        assert "Hopp til hovedinnholdet" in FIXED.render({})
    with translation.override("en"):
        assert "Skip to main content" in FIXED.render({})
    with translation.override("nb"):
        assert "Hopp til hovedinnholdet" in FIXED.render({})


def test_a_fixed_part_follows_the_script_prefix():
    before, start = FIXED.render({}), reverse("marketplace:start")
    try:
        set_script_prefix("/markedsplassen/")
        assert f'href="/markedsplassen{start}"' in FIXED.render({})
    finally:
        set_script_prefix("/")
    assert FIXED.render({}) == before


def test_a_fixed_part_follows_changed_settings():
    before = FIXED.render({})
    with override_settings(ROOT_URLCONF="tests.marketplace.other_urls"):
        assert 'href="/annen/start/"' in FIXED.render({})
    assert FIXED.render({}) == before


@pytest.mark.parametrize(
    "inside",
    [
        "{{ user.name }}",
        "{% translate title %}",
        "{% translate 'Start' as start %}",
        "{% translate 'Start'|upper %}",
        "{% static path %}",
        "{% fixed_url 'store:listing' product.pk %}",
        "{% fixed_url 'marketplace:start' as start %}",
        "{% if user.is_authenticated %}x{% endif %}",
        "{% csrf_token %}",
        "{% block content %}{% endblock %}",
    ],
)
def test_a_fixed_part_refuses_what_depends_on_the_page(inside):
    with pytest.raises(TemplateSyntaxError, match="holds only text"):
        _template("{% fixed %}" + inside + "{% endfixed %}")


def test_a_fixed_part_takes_no_arguments():
    with pytest.raises(TemplateSyntaxError, match="takes no arguments"):
        _template("{% fixed for_everyone %}x{% endfixed %}")


def test_the_main_menu_marks_the_current_section_and_escapes_its_labels():
    items = [
        ("store", "Butikken", "/butikken/", True),
        ("help", "Hjelp & <støtte>", "/hjelp/?a=1&b=2", False),
    ]
    menu = _template("{% menu_items items %}").render({"items": items})
    assert menu == (
        '<li><a href="/butikken/" aria-current="page">Butikken</a></li>\n'
        '        <li><a href="/hjelp/?a=1&amp;b=2">Hjelp &amp; &lt;støtte&gt;</a></li>'
    )


@pytest.mark.django_db
def test_every_page_has_the_layout_in_the_visitor_s_language(client):
    """The fixed parts of base.html in a real page: head, skip link, logo, menu and footer."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("store:home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    norwegian = client.get(reverse("store:home")).content.decode()
    assert "Skip to main content" in english and "Hopp til hovedinnholdet" in norwegian
    assert f'<link rel="stylesheet" href="{static("css/app.css")}">' in norwegian
    assert f'<a href="{reverse("store:home")}" aria-current="page">Butikken</a>' in norwegian
    assert f'<a class="ds-link" href="{reverse("api-docs")}">API</a>' in english
    assert "Markedsplassen is run by KS for Felles kommunal journal." in english
    assert "Markedsplassen is run by KS for Felles kommunal journal." not in norwegian
