"""Statements the ORM builds and compiles once per process, for the reads every page makes.

Building a queryset and compiling it to SQL costs Django about as much as PostgreSQL needs to
run a primary-key look-up or a 50-row index walk: the request's user (a join of three tables)
takes 1.6 ms in Django against 0.2 ms at the database. These reads are pure functions of a few
values (the user's id; a list's filters, order and cursor), so their compiled form is kept
under those values: the first call builds and compiles the queryset, later calls with the same
values send the same SQL and only turn the rows into dicts or model instances, the way the
queryset would have.

The key must hold every value the queryset is built from, except the integers and strings
passed as ``args`` (ids, hashes): ``build`` receives stand-ins for them, whose places among the
SQL's parameters are found once and filled with the real values on every call (one statement
for every user, every case). An argument must reach the SQL as itself, one parameter each: a
filter on it, not a computation with it. The statement kept under a key is reused as it is. Nothing in it depends on
the data, so nothing is ever invalidated; entries are bounded per process (least recently used
go first).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql import UpdateQuery

ENTRIES = 4096
# Stand-ins for the arguments while compiling. A whole number must fit the smallest column it
# may filter (a positive small integer, up to 32,767: Django compiles an out-of-range value
# to "matches nothing"); should a constant of the query equal one, the stand-in is found twice
# and the statement is refused, never wrongly bound. No text holds a NUL.
_STAND_IN = 32_749


def _stand_in(index: int, value):
    if type(value) is int:
        return _STAND_IN - index
    if type(value) is str:
        return f"\x00stand-in-{index}\x00"
    raise TypeError(f"a prepared statement's arguments are ints or strs, not {type(value)}")


@dataclass(frozen=True)
class _Statement:
    # None: the query can match nothing (an empty IN list, a scope of nothing), as Django
    # decides; with arguments, whether it can may depend on them: then ``build`` runs each time.
    sql: str | None
    db: str
    params: tuple
    columns: int  # the row's leading columns the result is made of (Django may add others)
    slots: tuple  # where each integer argument goes among the params
    converters: list  # [(position, (functions, expression))] as the compiler applies them
    make: object  # row (a list) -> the result the queryset would have produced


@dataclass(frozen=True)
class Recipe:
    """A queryset not built yet: ``build()`` makes it from the values in ``key`` and nothing
    else (so that a statement compiled for the key is right for every later call)."""

    model: type
    key: tuple
    build: Callable


_statements = LRUCache(maxsize=ENTRIES)
_lock = threading.Lock()


def _values_maker(query):
    names = (
        list(query.selected)
        if query.selected
        else [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
    )
    return lambda row: dict(zip(names, row, strict=True))


def _instance_maker(queryset, compiler):
    # As django.db.models.query.ModelIterable does, with the compiler's state kept.
    db = queryset.db
    select, klass_info = compiler.select, compiler.klass_info
    annotations = compiler.annotation_col_map
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, db)

    def make(row):
        instance = model.from_db(db, names, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in annotations.items():
            setattr(instance, name, row[position])
        return instance

    return make


def _slots(params, stand_ins) -> tuple:
    # The backend may wrap a value in a subclass of its type (psycopg's Int2 for a small
    # integer column): the slot keeps that type for the real value.
    places: dict = {}
    for position, param in enumerate(params):
        if isinstance(param, int | str) and not isinstance(param, bool):
            places.setdefault((type(param) is str, param), []).append(position)
    slots = []
    for index, stand_in in enumerate(stand_ins):
        found = places.get((type(stand_in) is str, stand_in), [])
        if len(found) != 1:
            raise ValueError(f"argument {index} is not one parameter of the statement: {found}")
        slots.append(found[0])
    return tuple(slots)


# The whole numbers a column of each kind holds (an id beyond them matches nothing: Django
# compiles such a filter to an empty result; bound as it is, the database would refuse it).
_INT_BITS = {"Int2": 16, "Int4": 32}


class _MatchesNothing(Exception):
    pass


def _bind(statement, args) -> list:
    params = list(statement.params)
    for slot, value in zip(statement.slots, args, strict=True):
        kind = type(statement.params[slot])
        if isinstance(value, int):
            bits = _INT_BITS.get(kind.__name__, 64)
            if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
                raise _MatchesNothing
        params[slot] = kind(value)
    return params


def _compile(queryset, stand_ins) -> _Statement:
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        # Both are applied by QuerySet._fetch_all after the rows are read; not here.
        raise TypeError("prepared statements do not prefetch or attach known related objects")
    if queryset._iterable_class is ValuesIterable:
        make = _values_maker(queryset.query)
    elif queryset._iterable_class is not ModelIterable:
        raise TypeError("prepared statements give dicts (.values()) or model instances")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Statement(None, queryset.db, (), 0, (), [], None)
    if queryset._iterable_class is ModelIterable:
        make = _instance_maker(queryset, compiler)
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    converters = list(compiler.get_converters(fields).items())
    slots = _slots(params, stand_ins)
    if not stand_ins:
        sql, params = _literal(queryset.db, sql, params)
    return _Statement(sql, queryset.db, tuple(params), compiler.col_count, slots, converters, make)


def _literal(db, sql, params):
    """A statement its key decides entirely (no arguments), as one text with its values on
    PostgreSQL: psycopg prepares a text it has run a few times on a connection, and a
    statement without parameters keeps its finished plan there, so a page asked for again
    (a queue's first page, an office's overdue count) is not planned again. Values are
    quoted by psycopg, as Django's own client-side binding does."""
    connection = connections[db]
    if connection.vendor != "postgresql" or not params:
        return sql, params
    connection.ensure_connection()
    return connection.ops.compose_sql(sql, params), ()


def _compile_update(built, stand_ins) -> _Statement:
    queryset, values = built
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    if query.related_updates:
        raise TypeError("prepared updates write one table")
    sql, params = query.get_compiler(queryset.db).as_sql()
    return _Statement(sql, queryset.db, tuple(params), 0, _slots(params, stand_ins), [], None)


def _statement(key, build, args, compile_=_compile) -> tuple[_Statement, list]:
    """The statement for ``key`` and the parameters to send with it for ``args``."""
    full_key = (compile_.__name__, tuple(type(arg) for arg in args), key)
    with _lock:
        statement = _statements.get(full_key)
    if statement is None:
        stand_ins = [_stand_in(index, arg) for index, arg in enumerate(args)]
        statement = compile_(build(*stand_ins), stand_ins)
        with _lock:
            _statements[full_key] = statement
    if statement.sql is None:
        return statement, []
    return statement, _bind(statement, args)


def _cursor(connection):
    """A cursor for a prepared statement. On PostgreSQL a server-binding one, which psycopg
    prepares a statement on after it has run ``prepare_threshold`` times on the connection
    (Django's own cursors bind values into the text, and are never prepared); wrapped as
    Django wraps its cursors. While queries are logged (DEBUG, a test or the bench counting
    them) Django's own cursor, whose log shows each statement with its values."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def _run(statement, params) -> list:
    connection = connections[statement.db]
    with _cursor(connection) as cursor:
        cursor.execute(statement.sql, params or None)  # None: a text with no placeholders
        rows = cursor.fetchall()
    results = []
    for row in rows:
        row = list(row[: statement.columns])
        for position, (functions, expression) in statement.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        results.append(statement.make(row))
    return results


def prepared_rows(key, build, *, args=()) -> list:
    """What ``list(build(*args))`` gives (dicts for a ``.values()`` queryset, else model
    instances), from the statement compiled for ``key``. ``args``: integers and strings
    (ids, hashes) that ``build`` puts in filters, bound on each call."""
    args = tuple(args)
    try:
        statement, params = _statement(key, build, args)
    except _MatchesNothing:
        return []
    if statement.sql is None:
        return list(build(*args)) if args else []
    return _run(statement, params)


def prepared_count(key, build, *, args=()) -> int:
    """How many rows ``build(*args)`` (a sliced ``.values()`` queryset, say the first 1,000
    ids) gives, counted by the database: the statement is wrapped as Django wraps a sliced
    query it counts."""
    args = tuple(args)
    try:
        statement, params = _statement(key, build, args)
    except _MatchesNothing:
        return 0
    if statement.sql is None:
        return build(*args).count() if args else 0
    with _cursor(connections[statement.db]) as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({statement.sql}) subquery", params or None)
        return cursor.fetchone()[0]


def prepared_update(key, build, *, args=()) -> int:
    """``queryset.update(**values)`` for ``(queryset, values) = build(*args)``, compiled once
    for ``key``; returns the number of rows changed. The values must not depend on anything
    outside the key and the arguments (expressions of other columns, say)."""
    try:
        statement, params = _statement(key, build, tuple(args), _compile_update)
    except _MatchesNothing:
        return 0
    with _cursor(connections[statement.db]) as cursor:
        cursor.execute(statement.sql, params)
        return cursor.rowcount


def attach_prefetched(instance, relation: str, rows: list) -> None:
    """Rows of the reverse foreign key ``relation`` of ``instance`` (read by a prepared
    statement), put where ``prefetch_related(relation)`` puts them: ``instance.<relation>.all()``
    reads nothing more, and each row knows its parent without a query."""
    manager = getattr(instance, relation)
    field = manager.field
    for row in rows:
        field.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[field.remote_field.cache_name] = queryset


def forget_prepared() -> None:
    """Drop every compiled statement (tests that change settings the SQL depends on)."""
    with _lock:
        _statements.clear()
