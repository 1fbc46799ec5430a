"""The store's facet index: every active entry's filter values, figures and sort orders as bitmaps, held
in each process's memory and rebuilt when the store's generation changes (any write to the store bumps it).

Why: with thousands of listings, filtering, counting facets and sorting in SQL cost a full pass over the
facet table per request. Here a filter is an AND/OR of Python integers used as bitsets, a facet count is
`(result & value).bit_count()`, and a page is the first positions of a precomputed order that are in the
result. Free text is the only part that stays in the database (its GIN index). Building the index costs two
queries and well under a second for ten thousand listings; it happens once per generation per process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from datetime import date
from uuid import uuid4

from django.core.cache import cache
from django.utils import timezone

from marketplace.request_memo import request_memo

GENERATION_KEY = "store:generation"
MAX_AGE_SECONDS = 600  # rebuilt at least this often, whatever happens
RATINGS = (4, 3, 2, 1)
# Remembered answers per index and process. A free-text match of a word in every listing is about 1 MB at
# 10,000 listings, so this bounds the memory a stream of distinct searches can take to some 64 MB per process.
MEMO_SIZE = 64


def store_generation() -> str:
    """The token of the store's current state; a new token whenever an entry changes. Read from the cache
    once per request (a page reads it for the index, the cards and its fragments)."""
    memo = request_memo()
    if memo is not None and GENERATION_KEY in memo:
        return memo[GENERATION_KEY]
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid4().hex
        if not cache.add(GENERATION_KEY, token, None):
            token = cache.get(GENERATION_KEY) or token
    if memo is not None:
        memo[GENERATION_KEY] = token
    return token


def new_generation() -> None:
    token = uuid4().hex
    cache.set(GENERATION_KEY, token, None)
    memo = request_memo()
    if memo is not None:
        memo[GENERATION_KEY] = token  # this request's later reads see its own change


class GenerationFacts:
    """Facts that many of the store's pages share and that are read from the database once per generation and
    process (the service areas, the vendors' names), on the same terms as the facet index (a new generation,
    a new day or MAX_AGE_SECONDS) but without building it: a listing page needs the service areas, not the
    index. What is kept must be treated as read-only."""

    def __init__(self) -> None:
        self._state: tuple[str, date, float, dict] = ("", date.min, 0.0, {})

    def get(self, key: tuple, compute):
        token = store_generation()
        kept_token, day, built_at, values = self._state
        too_old = time.monotonic() - built_at >= MAX_AGE_SECONDS
        if kept_token != token or day != timezone.localdate() or too_old:
            values = {}
            self._state = (token, timezone.localdate(), time.monotonic(), values)
        try:
            return values[key]
        except KeyError:
            value = values[key] = compute()
            return value


generation_facts = GenerationFacts()


def _mask(positions: Iterable[int], size: int) -> int:
    bits = bytearray((size + 7) // 8 or 1)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


@dataclass
class StoreIndex:
    token: str
    day: date
    built_at: float
    size: int
    entry_ids: list[int]
    product_ids: list[int]
    usage: list[int]
    positions: dict[int, int]
    everything: int
    masks: dict[str, dict[str, int]]
    procured: int
    rating_at_least: dict[int, int]
    orders: dict[str, list[int]]
    name_rank: list[int] = field(default_factory=list)
    use_rank: list[int] = field(default_factory=list)  # position -> place in the "most used" order
    # Answers computed from the database for this generation (free-text matches, search results, API pages):
    # the same question costs its queries once per process and generation, not once per request.
    # Bounded (MEMO_SIZE), oldest out first; gone with the index when the store changes.
    _memo: dict = field(default_factory=dict, repr=False)

    def remember(self, key: tuple, compute):
        """`compute()` for this generation of the store, computed once per key in this process."""
        try:
            return self._memo[key]
        except KeyError:
            pass
        value = compute()
        if len(self._memo) >= MEMO_SIZE:
            self._memo.pop(next(iter(self._memo)), None)
        self._memo[key] = value
        return value

    # Reading -------------------------------------------------------------------------------------------

    def value(self, kind: str, value: str) -> int:
        return self.masks.get(kind, {}).get(value, 0)

    def values(self, kind: str) -> dict[str, int]:
        return self.masks.get(kind, {})

    def of_entries(self, entry_ids: Iterable[int]) -> int:
        positions = self.positions
        return _mask((positions[i] for i in entry_ids if i in positions), self.size)

    def forget(self) -> None:
        """Drop the remembered answers (the bench measures questions asked for the first time with it)."""
        self._memo.clear()

    def contains(self, mask: int) -> bytes:
        """The mask as bytes, to test a position with `bits[p >> 3] >> (p & 7) & 1`."""
        return mask.to_bytes((self.size + 7) // 8 or 1, "little")

    def matches(self, mask: int, order: str) -> OrderedMatches:
        """The entry ids in `mask` in one of the orders, found only as far as they are read."""
        return OrderedMatches(self, mask, order)

    def ranked(self, mask: int, ranks: dict[int, float]) -> RankedMatches:
        """The entry ids in `mask` by relevance (`ranks`, the entries ranked above 0), then most used, then
        name: the ranked ones sorted, the rest found in the "most used" order as far as they are read."""
        bits = self.contains(mask)
        positions = self.positions
        negative_rank = {}
        for entry_id, rank in ranks.items():
            p = positions.get(entry_id)
            if p is not None and bits[p >> 3] >> (p & 7) & 1:
                negative_rank[p] = -rank
        # Two stable sorts with C-level keys: by the precomputed "most used, then name" order, then by rank.
        chosen = sorted(negative_rank, key=self.use_rank.__getitem__)
        chosen.sort(key=negative_rank.__getitem__)
        rest = mask & ~_mask(chosen, self.size)
        return RankedMatches([self.entry_ids[p] for p in chosen], OrderedMatches(self, rest, "most_used"))


class OrderedMatches(SequenceABC):
    """The ids of the entries in a mask, in one of the index's precomputed orders, found as far as they are
    read: a page of results walks the order only until its last entry (the first page of a broad filter stops
    after a few dozen positions, not ten thousand); the length is the mask's bit count."""

    def __init__(self, index: StoreIndex, mask: int, order: str):
        self._index = index
        self._bits = index.contains(mask)
        self._order = index.orders[order]
        self._length = mask.bit_count()
        self._found: list[int] = []  # entry ids found so far, in order
        self._next = 0  # the place in the order to look at next
        self._lock = threading.Lock()  # a remembered search result may be read by several threads

    def __len__(self) -> int:
        return self._length

    def _find(self, count: int) -> None:
        if len(self._found) >= count:
            return
        with self._lock:
            found, bits, order, entry_ids = self._found, self._bits, self._order, self._index.entry_ids
            position_at, end = self._next, len(self._order)
            while len(found) < count and position_at < end:
                p = order[position_at]
                position_at += 1
                if bits[p >> 3] >> (p & 7) & 1:
                    found.append(entry_ids[p])
            self._next = position_at

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(self._length)
            self._find(stop)
            return self._found[start:stop:step]
        if item < 0:
            item += self._length
        if not 0 <= item < self._length:
            raise IndexError("match index out of range")
        self._find(item + 1)
        return self._found[item]


class RankedMatches(SequenceABC):
    """Entry ids ranked above 0 (a list), then the others (an OrderedMatches), as one sequence."""

    def __init__(self, first: list[int], rest: OrderedMatches):
        self._first, self._rest = first, rest

    def __len__(self) -> int:
        return len(self._first) + len(self._rest)

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(len(self))
            head = len(self._first)
            rest = self._rest[max(start - head, 0) : stop - head] if stop > head else []
            found = self._first[start:stop] + rest
            return found[::step]
        if item < 0:
            item += len(self)
        if not 0 <= item < len(self):
            raise IndexError("match index out of range")
        return self._first[item] if item < len(self._first) else self._rest[item - len(self._first)]


def build() -> StoreIndex:
    """Read the active entries and their facets (two queries) into a StoreIndex."""
    from verification.models import Listing

    from .models import StoreEntry, StoreFacet

    token = store_generation()  # read first: a write after this point makes the next request rebuild
    today = timezone.localdate()
    rows = list(
        StoreEntry.objects.filter(listing__status__in=Listing.ACTIVE_STATES)
        .order_by("pk")
        .values_list(
            "pk",
            "product_id",
            "product__name",
            "listing__listed_at",
            "usage_count",
            "rating_average",
            "procured_until",
        )
    )
    size = len(rows)
    positions = {row[0]: p for p, row in enumerate(rows)}
    per_value: dict[str, dict[str, list[int]]] = {}
    for entry_id, kind, value in (
        StoreFacet.objects.filter(entry__listing__status__in=Listing.ACTIVE_STATES)
        .order_by()
        .values_list("entry_id", "kind", "value")
        .iterator(chunk_size=10_000)
    ):
        position = positions.get(entry_id)
        if position is not None:
            per_value.setdefault(kind, {}).setdefault(value, []).append(position)
    masks = {
        kind: {value: _mask(found, size) for value, found in values.items()}
        for kind, values in per_value.items()
    }
    by_name = sorted(range(size), key=lambda p: ((rows[p][2] or "").casefold(), rows[p][0]))
    name_rank = [0] * size
    for rank, position in enumerate(by_name):
        name_rank[position] = rank
    epoch = timezone.now().replace(year=1970, month=1, day=1)
    orders = {
        "name": by_name,
        "newest": sorted(range(size), key=lambda p: (-((rows[p][3] or epoch).timestamp()), -rows[p][0])),
        "most_used": sorted(range(size), key=lambda p: (-rows[p][4], name_rank[p])),
    }
    use_rank = [0] * size
    for rank, position in enumerate(orders["most_used"]):
        use_rank[position] = rank
    return StoreIndex(
        token=token,
        day=today,
        built_at=time.monotonic(),
        size=size,
        entry_ids=[row[0] for row in rows],
        product_ids=[row[1] for row in rows],
        usage=[row[4] for row in rows],
        positions=positions,
        everything=(1 << size) - 1 if size else 0,
        masks=masks,
        procured=_mask((p for p, row in enumerate(rows) if row[6] is not None and row[6] >= today), size),
        rating_at_least={
            r: _mask((p for p, row in enumerate(rows) if row[5] is not None and row[5] >= r), size)
            for r in RATINGS
        },
        orders=orders,
        name_rank=name_rank,
        use_rank=use_rank,
    )


_lock = threading.Lock()
_current: StoreIndex | None = None


def store_index() -> StoreIndex:
    """This process's index of the store, rebuilt when the store changed (one cache read when it did not)."""
    global _current
    token = store_generation()
    index = _current
    if _is_fresh(index, token):
        return index
    with _lock:
        index = _current
        if not _is_fresh(index, token):
            index = _current = build()
    return index


def _is_fresh(index: StoreIndex | None, token: str) -> bool:
    return (
        index is not None
        and index.token == token
        and index.day == timezone.localdate()
        and time.monotonic() - index.built_at < MAX_AGE_SECONDS
    )
