"""Followers of Verifikasjon's writes: how a later app keeps up with listings and products.

Butikken (and whatever comes after it) keeps read models of what Verifikasjon owns. Verifikasjon may not
import those apps (the layers run marketplace ← innovation ← verification ← store ← experience), and domain
flow does not go through model signals (STYLE: "no signals for domain flow"). So a later app registers a
follower here from its AppConfig.ready(), and every verification service that changes a listing or a product
calls the hook explicitly, after the change and inside its transaction:

    # store/apps.py
    from verification.hooks import on_listing_changed, on_product_changed

    on_listing_changed("store", store_follow_listing)      # (*, product_id, fields) -> None
    on_product_changed("store", store_follow_product)      # (*, product_id, fields) -> None

`fields` names what the service saved (e.g. {"status", "remediation_since"}; {"last_verified_at"}); None
means the whole row (it was just created). Each follower decides what it cares about. Followers run in the
caller's transaction: a follower must never raise (a problem of the store must not undo a verification step)
and repairs what it missed on its own (the store's `store_entries_sync()`).

Registering is keyed, as `store.plugins.register_listing_section` is: registering a key again replaces the
follower, so a second ready() (tests, autoreload) never makes it run twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Follower(Protocol):
    def __call__(self, *, product_id: int, fields: frozenset[str] | None) -> None: ...


_listing_followers: dict[str, Follower] = {}
_product_followers: dict[str, Follower] = {}


def on_listing_changed(key: str, follower: Follower) -> None:
    """Call `follower` whenever a listing changes (added, or replaced by key)."""
    _listing_followers[key] = follower


def on_product_changed(key: str, follower: Follower) -> None:
    """Call `follower` whenever a product's details or service areas change (added, or replaced by key)."""
    _product_followers[key] = follower


def remove_followers(key: str) -> None:
    """Forget the followers registered under `key` (tests)."""
    _listing_followers.pop(key, None)
    _product_followers.pop(key, None)


def _frozen(fields: Iterable[str] | None) -> frozenset[str] | None:
    return None if fields is None else frozenset(fields)


def listing_changed(*, product_id: int, fields: Iterable[str] | None) -> None:
    """Tell the followers that the listing of `product_id` changed: `fields` saved, or None when created."""
    changed = _frozen(fields)
    for follower in list(_listing_followers.values()):
        follower(product_id=product_id, fields=changed)


def product_changed(*, product_id: int, fields: Iterable[str] | None) -> None:
    """Tell the followers that product `product_id` changed: `fields` saved ("service_areas" for its areas),
    or None when created."""
    changed = _frozen(fields)
    for follower in list(_product_followers.values()):
        follower(product_id=product_id, fields=changed)
