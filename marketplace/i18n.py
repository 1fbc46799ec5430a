"""Texts translated once per language and process.

A translation costs some 5 µs: Django finds the active language through a thread- and task-local on every
call. A page that writes fifty fixed labels in Python (the store's listing page and comparison, STO-2, STO-4)
spends a quarter of a millisecond on texts that are the same on every page in its language.

    @per_language
    def _labels() -> dict[str, str]:
        return {"vendor": gettext("Vendor"), "price": gettext("Price model")}

    _labels()["vendor"]          # translated the first time per language, then read

`build` runs in the active language and must return texts (or structures of texts) that depend on nothing
else: no request, no date, no setting that tests change. The calls stay literal `gettext("…")`, so
makemessages finds them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from django.utils.translation import get_language

T = TypeVar("T")


def per_language(build: Callable[[], T]) -> Callable[[], T]:
    kept: dict[str | None, T] = {}

    @functools.wraps(build)
    def texts() -> T:
        language = get_language()
        try:
            return kept[language]
        except KeyError:
            value = kept[language] = build()
            return value

    texts.forget = kept.clear  # type: ignore[attr-defined]  (tests that change the catalogue)
    return texts
