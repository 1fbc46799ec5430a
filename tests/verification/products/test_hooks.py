"""The hooks through which later apps (Butikken) follow listings and products without Verifikasjon importing
them: keyed, so registering twice runs once; told what changed."""

from __future__ import annotations

import pytest

from verification import hooks


@pytest.fixture
def calls(monkeypatch):
    # Only this test's followers: the store's (registered by its ready()) would need the database.
    monkeypatch.setattr(hooks, "_listing_followers", {})
    monkeypatch.setattr(hooks, "_product_followers", {})
    seen: list[tuple[str, int, frozenset[str] | None]] = []

    def follow_listing(*, product_id: int, fields: frozenset[str] | None) -> None:
        seen.append(("listing", product_id, fields))

    def follow_product(*, product_id: int, fields: frozenset[str] | None) -> None:
        seen.append(("product", product_id, fields))

    hooks.on_listing_changed("test", follow_listing)
    hooks.on_product_changed("test", follow_product)
    return seen, follow_listing, follow_product


def test_a_follower_registered_twice_runs_once(calls):
    seen, follow_listing, follow_product = calls
    hooks.on_listing_changed("test", follow_listing)
    hooks.on_product_changed("test", follow_product)
    hooks.listing_changed(product_id=7, fields=["status", "withdrawn_at"])
    hooks.product_changed(product_id=7, fields=None)
    assert seen == [("listing", 7, frozenset({"status", "withdrawn_at"})), ("product", 7, None)]


def test_a_removed_follower_is_no_longer_told(calls):
    seen, _, _ = calls
    hooks.remove_followers("test")
    hooks.listing_changed(product_id=7, fields=None)
    assert seen == []
