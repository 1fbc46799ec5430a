"""marketplace.links: the layout's fixed addresses are reversed once, and follow the URL configuration and the
script prefix they were reversed under."""

from __future__ import annotations

from django.template import engines
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from marketplace.links import fixed_url


def test_a_fixed_address_is_the_reversed_address():
    assert fixed_url("marketplace:start") == reverse("marketplace:start")
    assert fixed_url("marketplace:help_page", "kontakt") == reverse("marketplace:help_page", args=["kontakt"])
    template = engines["django"].from_string(
        "{% load links %}{% fixed_url 'marketplace:help_page' 'kontakt' %}"
    )
    assert template.render({}) == reverse("marketplace:help_page", args=["kontakt"])


def test_a_fixed_address_follows_a_new_url_configuration():
    before = fixed_url("marketplace:start")
    with override_settings(ROOT_URLCONF="tests.marketplace.other_urls"):
        assert fixed_url("marketplace:start") == "/annen/start/"
    assert fixed_url("marketplace:start") == before


def test_a_fixed_address_follows_the_script_prefix():
    plain = fixed_url("store:home")
    try:
        set_script_prefix("/markedsplassen/")
        assert fixed_url("store:home") == "/markedsplassen" + plain
    finally:
        set_script_prefix("/")
    assert fixed_url("store:home") == plain
