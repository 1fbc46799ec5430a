"""Small helpers for the core's tests: messages as the person reads them, and page text checks."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext


def nb(msgid: str, **params) -> str:
    """A message as a Norwegian visitor sees it: the nb catalogue's text (the msgid while untranslated)."""
    with translation.override("nb"):
        text = gettext(msgid)
    return text % params if params else text


def page(response) -> str:
    return response.content.decode()


def shows(response, text: str) -> bool:
    """Whether the page shows `text`: escaped as {{ variables }} are, or as is, as {% translate %} writes it."""
    html = page(response)
    return escape(text) in html or text in html
