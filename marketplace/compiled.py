"""Hot reads compiled once: the ORM writes the SQL of a query the first time a process needs it, and every
later call runs that SQL with new values.

Django compiles a queryset to SQL on every evaluation. For most pages that is noise, but for the pages that
must answer within a few milliseconds (Butikken's listing page, STO-2) compiling a joined query costs more
than running it. A `CompiledQuery` is still written with the ORM, so it follows the models and works on every
backend; only the compiling is done once per database connection.

    ENTRY = CompiledQuery(
        lambda product_id: StoreEntry.objects.filter(product_id=product_id).values("pk", "usage_count")
    )
    rows = ENTRY.rows(product_id=42)        # [{"pk": …, "usage_count": …}], converted as .values() would

The function gets a distinct placeholder for each argument and must return a `.values()` queryset that uses
each placeholder exactly once, in an equality or an `__in` (a list argument compiles one query per length).
Placeholders are numbers recognised among the compiled parameters, so integer and text columns work; a lookup
that rewrites its value (`__startswith`, `__icontains`, dates) is refused when compiled, as is a placeholder
used twice or not at all.

On PostgreSQL (psycopg 3) the compiled SQL runs on a cursor that binds its values on the server, so that psycopg
prepares a statement that runs often (from its fifth run on a connection) and PostgreSQL stops planning it
every time: planning the store's joined row took 0.56 ms of its 1 ms. Django's own cursors bind on the client,
and must: several statements in one call, as the store's text match sends, cannot be prepared.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet, signals
from django.db.models.base import ModelState

_placeholders = itertools.count(1)
_lock = threading.Lock()


def _placeholder() -> int:
    """A number no real row uses, recognisable among the compiled parameters."""
    with _lock:
        return -7_319_000_000_000 - next(_placeholders)


def _as_number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.startswith("-7319") and value[1:].isdigit():
        return int(value)
    return None


class _Compiled:
    __slots__ = ("sql", "params", "slots", "names", "compiler", "converters")

    def __init__(self, queryset: QuerySet, placeholders: dict[Any, tuple[str, int | None]], using: str):
        query = queryset.query
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = {}
        for index, value in enumerate(params):
            # Fields prepare values (int(), str()): recognise the placeholder by its number.
            number = _as_number(value)
            if number in placeholders:
                slots[index] = placeholders[number]
        if len(slots) != len(placeholders):
            raise ValueError("A compiled query must use each of its arguments exactly once, as a plain value.")
        self.sql, self.params, self.slots = sql, list(params), slots
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.compiler = compiler
        self.converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])

    def dicts(self, rows: Sequence) -> list[dict[str, Any]]:
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        names = self.names
        return [dict(zip(names, row)) for row in rows]


class CompiledQuery:
    """A `.values()` read compiled once per connection and argument shape, run with new values."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = DEFAULT_DB_ALIAS):
        self.build = build
        self.using = using

    def _compiled(self, connection, arguments: dict[str, Any]) -> _Compiled:
        shape = tuple(
            (name, len(value) if isinstance(value, (list, tuple)) else None) for name, value in arguments.items()
        )
        cache = connection.__dict__.setdefault("_compiled_queries", {})
        key = (self, shape)  # the query itself, not its id: an id may be reused once a query is gone
        compiled = cache.get(key)
        if compiled is None:
            placeholders: dict[Any, tuple[str, int | None]] = {}
            values: dict[str, Any] = {}
            for name, length in shape:
                if length is None:
                    values[name] = p = _placeholder()
                    placeholders[p] = (name, None)
                else:
                    values[name] = [_placeholder() for _ in range(length)]
                    placeholders.update({p: (name, i) for i, p in enumerate(values[name])})
            compiled = cache[key] = _Compiled(self.build(**values), placeholders, self.using)
        return compiled

    def rows(self, **arguments: Any) -> list[dict[str, Any]]:
        """The rows for these values, as `.values()` would give them."""
        connection = connections[self.using]
        compiled, params = self._bound(connection, arguments)
        with _cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            return compiled.dicts(cursor.fetchall())

    def _bound(self, connection, arguments: dict[str, Any]) -> tuple[_Compiled, list[Any]]:
        compiled = self._compiled(connection, arguments)
        params = list(compiled.params)
        for index, (name, position) in compiled.slots.items():
            value = arguments[name]
            params[index] = value if position is None else value[position]
        return compiled, params

    def first(self, **arguments: Any) -> dict[str, Any] | None:
        rows = self.rows(**arguments)
        return rows[0] if rows else None


def rows_together(*reads: tuple[CompiledQuery, dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows of several compiled reads of one database, each as `CompiledQuery.rows` gives them, asked in
    one round trip: psycopg 3's pipeline mode on PostgreSQL sends every statement before it reads the first
    answer. Elsewhere they run one after the other. For a page that needs two independent reads (the
    comparison: its products and the needs to compare them with), a round trip is some 0.15 ms of a few."""
    using = {query.using for query, _arguments in reads}
    if len(using) != 1:
        raise ValueError("Reads asked together must be of one database.")
    connection = connections[using.pop()]
    if connection.vendor != "postgresql" or not _psycopg3():
        return [query.rows(**arguments) for query, arguments in reads]
    bound = [query._bound(connection, arguments) for query, arguments in reads]
    with ExitStack() as stack:
        cursors = [stack.enter_context(_cursor(connection)) for _read in reads]
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (compiled, params) in zip(cursors, bound):
                cursor.execute(compiled.sql, params)
        return [compiled.dicts(cursor.fetchall()) for cursor, (compiled, _params) in zip(cursors, bound)]


@contextmanager
def _cursor(connection) -> Iterator[Any]:
    """A cursor for compiled SQL: binding on the server on PostgreSQL with psycopg 3, Django's elsewhere. Wrapped
    as Django wraps its own, so the query is logged, counted and its errors translated the same way."""
    if connection.vendor != "postgresql" or not _psycopg3():
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
        # As Django's create_cursor(): the cursor reads times in the connection's time zone.
        adapters = connection.connection.adapters
        loader = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
        if connection.timezone != loader.timezone:
            register_tzloader(connection.timezone, raw)
    wrapper = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with wrapper:
        yield wrapper


def _psycopg3() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def as_instance(model: type[Model], values: dict[str, Any], *, using: str = DEFAULT_DB_ALIAS) -> Model:
    """A model instance from a row's values, as if read from the database with only these fields (the others
    deferred: reading one of them later costs a query, so take what the page shows). Values of other names
    are left out.

    Built as `Model.from_db` leaves an instance, without running `Model.__init__` (some 12 µs against 1 µs;
    a comparison builds two dozen): the instance's fields are its `__dict__` and its state says it was
    loaded from `using`. None of the project's models overrides `__init__` or listens to its signals; a
    model that does must not be built here (checked)."""
    attnames = _attnames(model)
    instance = model.__new__(model)
    if values.keys() <= attnames:  # the usual case, checked in C: every name is a column
        instance.__dict__.update(values)
    else:
        instance.__dict__.update((name, value) for name, value in values.items() if name in attnames)
    state = instance._state = ModelState()
    state.adding, state.db = False, using
    return instance


@lru_cache(maxsize=None)
def _attnames(model: type[Model]) -> frozenset[str]:
    """The model's column attribute names, once it is known that an instance can be built without __init__."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        raise TypeError(f"{model.__name__} builds its instances itself; read it through the ORM.")
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        raise TypeError(f"{model.__name__} has init signal receivers; read it through the ORM.")
    return frozenset(field.attname for field in model._meta.concrete_fields)
