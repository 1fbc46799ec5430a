"""Addresses of named pages, reversed once per URL configuration and script prefix.

Every page's layout links to some fifteen fixed pages (menu, header, footer), and a page of the store to a
product's listing page per product shown; reversing a name walks Django's resolver each time (20–30 µs). The
answer cannot change while the URL configuration and the script prefix stay the same, so it is remembered
under both (the most recent few thousand), and forgotten when the URL configuration setting changes (tests)."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def fixed_url(name: str, *args: str | int) -> str:
    """`reverse(name, args=args)`, remembered. For pages whose address depends on nothing but the name and
    its positional arguments (not on the request's current application)."""
    return _reversed(name, tuple(str(a) for a in args), get_urlconf(), get_script_prefix())


@lru_cache(maxsize=8192)
def _reversed(name: str, args: tuple[str, ...], urlconf: str | None, _prefix: str) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **_kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
