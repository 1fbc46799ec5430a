"""Addresses of named pages, reversed once per URL configuration and script prefix.

Every page's layout links to some fifteen fixed pages (menu, header, footer), and a page of the store to a
product's listing page per product shown; reversing a name walks Django's resolver each time (20–30 µs). The
answer cannot change while the URL configuration and the script prefix stay the same, so it is remembered
under both (the most recent few thousand; for ids, the name's pattern), and forgotten when the URL
configuration setting changes (tests)."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def fixed_url(name: str, *args: str | int) -> str:
    """`reverse(name, args=args)`, remembered. For pages whose address depends on nothing but the name and
    its positional arguments (not on the request's current application). Addresses with ids only (a product's
    listing page) are filled into the name's remembered pattern, since ten thousand products would crowd the
    remembered addresses out."""
    urlconf, prefix = get_urlconf(), get_script_prefix()
    if args and all(type(a) is int and a >= 0 for a in args):
        pieces = _pattern(name, len(args), urlconf, prefix)
        if pieces is not None:
            parts = [pieces[0]]
            for arg, piece in zip(args, pieces[1:]):
                parts += (str(arg), piece)
            return "".join(parts)
    return _reversed(name, tuple(str(a) for a in args), urlconf, prefix)


@lru_cache(maxsize=8192)
def _reversed(name: str, args: tuple[str, ...], urlconf: str | None, _prefix: str) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


# Ids no real address holds: reversed in place of the arguments, they show where each one goes.
_SENTINEL = 918_273_645_000


@lru_cache(maxsize=512)
def _pattern(name: str, count: int, urlconf: str | None, prefix: str) -> tuple[str, ...] | None:
    """The name's address cut where its `count` id arguments go, or None when the arguments do not appear as
    themselves (a converter that writes ids otherwise, or a name that takes no ids)."""
    marks = [str(_SENTINEL + i) for i in range(count)]
    try:
        address = _reversed(name, tuple(marks), urlconf, prefix)
    except NoReverseMatch:
        return None
    pieces = []
    for mark in marks:
        if address.count(mark) != 1:
            return None
        before, address = address.split(mark)
        pieces.append(before)
    return (*pieces, address)


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **_kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
        _pattern.cache_clear()
