"""marketplace.links: the layout's fixed addresses are reversed once, and follow the URL configuration and the
script prefix they were reversed under."""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

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


def test_addresses_by_id_are_the_reversed_addresses():
    """A product's listing page and other addresses of ids come from the name's pattern, filled in."""
    for product_id in (1, 7, 12345, 918_273_645_000):
        assert fixed_url("store:listing", product_id) == reverse("store:listing", args=[product_id])
    assert fixed_url("verification:application_section", 31, 2) == reverse(
        "verification:application_section", args=[31, 2]
    )
    assert fixed_url("innovation:checklist_set", 5, 50) == reverse("innovation:checklist_set", args=[5, 50])


def test_an_address_the_ids_do_not_fit_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        fixed_url("verification:run_report", 12)  # a uuid, not an id
    with pytest.raises(NoReverseMatch):
        fixed_url("store:listing", -1)
    with pytest.raises(NoReverseMatch):
        fixed_url("store:listing", 1, 2)


def test_addresses_by_id_follow_the_script_prefix():
    plain = fixed_url("store:listing", 42)
    try:
        set_script_prefix("/markedsplassen/")
        assert fixed_url("store:listing", 42) == "/markedsplassen" + plain
    finally:
        set_script_prefix("/")


def test_addresses_by_uuid_are_the_reversed_addresses():
    """A verification report and a document are addressed by uuid: filled into the name's pattern too."""
    for value in (uuid4(), uuid4()):
        assert fixed_url("verification:run_report", value) == reverse("verification:run_report", args=[value])
        assert fixed_url("marketplace:document_download", value) == reverse(
            "marketplace:document_download", args=[value]
        )
    text = str(uuid4())  # a uuid as text goes through reverse, with the same address
    assert fixed_url("verification:run_report", text) == reverse("verification:run_report", args=[text])


def test_a_uuid_where_an_id_goes_and_an_id_where_a_uuid_goes_are_refused():
    with pytest.raises(NoReverseMatch):
        fixed_url("store:listing", uuid4())
    with pytest.raises(NoReverseMatch):
        fixed_url("verification:run_report", "not-a-uuid")
