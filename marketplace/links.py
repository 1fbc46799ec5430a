"""Addresses of named pages, reversed once per URL configuration and script prefix.

Every page's layout links to some fifteen fixed pages (menu, header, footer), and a page of the store to a
product's listing page per product shown; reversing a name walks Django's resolver each time (20–30 µs). The
answer cannot change while the URL configuration and the script prefix stay the same, so it is remembered
under both (the most recent few thousand; for ids, the name's pattern), and forgotten when the URL
configuration setting changes (tests)."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def fixed_url(name: str, *args: str | int) -> str:
    """`reverse(name, args=args)`, remembered. For pages whose address depends on nothing but the name and
    its positional arguments (not on the request's current application). Addresses of ids and uuids only (a
    product's listing page, a verification report, a document) are filled into the name's remembered pattern,
    since ten thousand products would crowd the remembered addresses out."""
    urlconf, prefix = get_urlconf(), get_script_prefix()
    if args:
        kinds = tuple(_kind(a) for a in args)
        if None not in kinds:
            pieces = _pattern(name, kinds, urlconf, prefix)
            if pieces is not None:
                parts = [pieces[0]]
                for arg, piece in zip(args, pieces[1:]):
                    parts += (str(arg), piece)
                return "".join(parts)
    return _reversed(name, tuple(str(a) for a in args), urlconf, prefix)


def _kind(arg) -> str | None:
    """The kind of a value that is written into an address as itself (`str()`), as Django's int and uuid
    converters write theirs; None for any other value, which goes through `reverse`."""
    if type(arg) is int and arg >= 0:
        return "int"
    if type(arg) is UUID:
        return "uuid"
    return None


@lru_cache(maxsize=8192)
def _reversed(name: str, args: tuple[str, ...], urlconf: str | None, _prefix: str) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


# Ids and uuids no real address holds: reversed in place of the arguments, they show where each one goes.
_SENTINEL = 918_273_645_000
_MARKS = {
    "int": lambda i: str(_SENTINEL + i),
    "uuid": lambda i: f"91827364-5000-4000-8000-{i:012x}",  # holds no int mark: both may be in one address
}


@lru_cache(maxsize=512)
def _pattern(name: str, kinds: tuple[str, ...], urlconf: str | None, prefix: str) -> tuple[str, ...] | None:
    """The name's address cut where its arguments of these kinds go, or None when the arguments do not appear
    as themselves (a converter that writes them otherwise, or a name that takes other arguments)."""
    marks = [_MARKS[kind](i) for i, kind in enumerate(kinds)]
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
