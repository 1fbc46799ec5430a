"""marketplace.cache: Django's Redis cache with one client per connection pool works as Django's does, from
several threads at once, on the machine's Redis."""

from __future__ import annotations

import os
import threading

import pytest

from marketplace.cache import RedisCache


@pytest.fixture
def redis_cache():
    location = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    cache = RedisCache(location, {"KEY_PREFIX": f"test-shared-clients-{os.getpid()}"})
    yield cache
    # Only this test's keys: clear() would empty the database other tests (and workers) use.
    cache.delete_many(["menu", *(f"k{n}-{i}" for n in range(4) for i in range(50))])


def test_values_are_kept_and_read_as_with_djangos_cache(redis_cache):
    redis_cache.set("menu", ["Butikken", "Hjelp"], 30)
    assert redis_cache.get("menu") == ["Butikken", "Hjelp"]
    assert redis_cache.add("menu", "other", 30) is False
    assert redis_cache.get_many(["menu", "missing"]) == {"menu": ["Butikken", "Hjelp"]}
    redis_cache.delete("menu")
    assert redis_cache.get("menu", "gone") == "gone"


def test_one_client_serves_every_call_and_thread(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is client

    def write(n: int) -> None:
        for i in range(50):
            redis_cache.set(f"k{n}-{i}", n * 1000 + i, 30)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis_cache.get_many([f"k{n}-{i}" for n in range(4) for i in range(50)]) == {
        f"k{n}-{i}": n * 1000 + i for n in range(4) for i in range(50)
    }
