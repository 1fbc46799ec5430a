"""marketplace.i18n.per_language: fixed texts translated once per language, each language its own."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from marketplace.i18n import per_language


def test_texts_are_built_once_per_language_in_that_language():
    built = []

    @per_language
    def labels() -> dict[str, str]:
        built.append(translation.get_language())
        return {"skip": gettext("Skip to main content")}

    with translation.override("nb"):
        assert labels() == {"skip": "Hopp til hovedinnholdet"}
        assert labels() is labels()
    with translation.override("en"):
        assert labels() == {"skip": "Skip to main content"}
    with translation.override("nb"):
        assert labels()["skip"] == "Hopp til hovedinnholdet"
    assert built == ["nb", "en"]

    labels.forget()
    with translation.override("nb"):
        labels()
    assert built == ["nb", "en", "nb"]

