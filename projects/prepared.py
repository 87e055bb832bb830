"""Queries whose SQL is compiled once per process and database, then run with new values.

Building and compiling a queryset costs more Python than the database spends answering a
small query by key (about 0.5 ms against 0.05 ms); a page that runs the same few lookups on
every request (a project's page) compiles them once here. The SQL is the ORM's own, from the
queryset a function builds; only the looked-up value changes from one request to the next.

On PostgreSQL the lookups by key (PreparedObjects, PreparedQuery) are also prepared on each
database session that runs them (PREPARE, then EXECUTE with the values): planning a project's
query with its joins took ten times as long as running it (0.9 ms against 0.08 ms a lookup),
and a project's page runs six. DJANGO_PREPARED_STATEMENTS=0 turns this off; it is off by
default behind PgBouncer in transaction pooling mode (where one session serves many clients)
as README's "Deploying" sets it up, and with a new session per request (DJANGO_CONN_MAX_AGE=0).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import CharField, Model, QuerySet, TextField
from django.db.models.query import _get_from_db, get_related_populators

# Stands for the looked-up value while the SQL is compiled; found among the parameters after.
PLACEHOLDER = -724_301_998


TEXT_FIELDS = (CharField, TextField)

# The statements prepared on each session (psycopg2 connection), by name; gone with it.
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
_prepared_lock = threading.Lock()
# What PostgreSQL says when a session no longer has a statement (DISCARD ALL, DEALLOCATE), and
# when a migration changed the columns a prepared statement returns.
STATEMENT_MISSING, PLAN_CHANGED = "26000", "0A000"


def positional(sql: str) -> str:
    """psycopg2's SQL (%s for a value, %% for a percent sign) as PREPARE wants it ($1, $2…)."""
    number = itertools.count(1)
    return re.sub(r"%[s%]", lambda m: f"${next(number)}" if m.group() == "%s" else "%", sql)


class ServerStatement:
    """SQL that runs as a statement prepared on the PostgreSQL session (PREPARE the first time
    a session runs it, then EXECUTE with the values), or as itself where statements are not
    prepared (SQLite, or DJANGO_PREPARED_STATEMENTS off).

    PostgreSQL still plans the first five runs on a session for their values, then keeps one
    plan when it is no worse. The name is the SQL's digest, so a query compiled again (another
    thread, an evicted one) uses what the session already has. The PREPARE goes on the
    session's own cursor, outside Django's query log: a page's queries are counted as before.
    A session that lost the statement (DISCARD ALL, DEALLOCATE ALL), or whose statement a
    migration made stale, prepares it anew and runs it again, once (in a transaction, from a
    savepoint taken before the run, so that the failed run does not abort it)."""

    def __init__(self, sql: str, vendor: str) -> None:
        self.sql = sql
        self.on_server = vendor == "postgresql" and settings.PREPARED_STATEMENTS
        self.name = "portal_" + hashlib.sha256(sql.encode()).hexdigest()[:24]

    def run(self, connection: BaseDatabaseWrapper, cursor: CursorWrapper, params: list) -> None:
        """Runs the statement with `params` on `cursor`, a cursor of `connection`."""
        if not self.on_server:
            cursor.execute(self.sql, params)
            return
        connection.ensure_connection()
        session = connection.connection
        with _prepared_lock:
            prepared = self.name in _prepared.setdefault(session, set())
        if not prepared:
            self._prepare(connection, session)
        execute = (
            f"EXECUTE {self.name}({', '.join(['%s'] * len(params))})"
            if params
            else (f"EXECUTE {self.name}")
        )
        # In a transaction a failed EXECUTE would abort it: a savepoint keeps it going.
        savepoint = connection.in_atomic_block
        if savepoint:
            self._on_session(connection, session, "SAVEPOINT portal_prepared")
        try:
            cursor.execute(execute, params)
        except DatabaseError as error:
            if getattr(error.__cause__, "pgcode", None) not in (STATEMENT_MISSING, PLAN_CHANGED):
                raise
            if savepoint:
                self._on_session(connection, session, "ROLLBACK TO SAVEPOINT portal_prepared")
            self._prepare(connection, session, again=True)
            cursor.execute(execute, params)
        if savepoint:
            self._on_session(connection, session, "RELEASE SAVEPOINT portal_prepared")

    @staticmethod
    def _on_session(connection: BaseDatabaseWrapper, session: Any, sql: str) -> None:
        """`sql` on the session's own cursor: not in Django's query log."""
        with connection.wrap_database_errors, session.cursor() as cursor:
            cursor.execute(sql)

    def _prepare(self, connection: BaseDatabaseWrapper, session: Any, again: bool = False) -> None:
        with connection.wrap_database_errors, session.cursor() as cursor:
            if again:
                cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [self.name])
                if cursor.fetchone():
                    cursor.execute(f"DEALLOCATE {self.name}")
            cursor.execute(f"PREPARE {self.name} AS {positional(self.sql)}")
        with _prepared_lock:
            _prepared.setdefault(session, set()).add(self.name)


class PreparedQuery:
    """`build(value)` returns a queryset filtered on `value`; rows(value) runs its SQL.

    The rows come straight from the database cursor, without the fields' converters (which
    turn SQLite's numbers into Decimals, for instance), so only text fields may be asked for.
    """

    def __init__(self, build: Callable[[Any], QuerySet], fields: tuple[str, ...]) -> None:
        self.build = build
        self.model: type[Model] = build(PLACEHOLDER).model
        concrete = self.model._meta.concrete_fields
        for name in fields:
            if not isinstance(self.model._meta.get_field(name), TEXT_FIELDS):
                raise TypeError(f"{self.model.__name__}.{name} is not a text field")
        # In the model's order, as Model.from_db() wants them.
        self.fields = tuple(field.attname for field in concrete if field.attname in fields)
        self.compiled: dict[str, tuple[ServerStatement, list, int]] = {}

    def _sql(self, using: str) -> tuple[ServerStatement, list, int]:
        if using not in self.compiled:
            queryset = self.build(PLACEHOLDER).values_list(*self.fields)
            sql, params = queryset.query.get_compiler(using).as_sql()
            params = list(params)
            if params.count(PLACEHOLDER) != 1:
                raise ValueError(f"{self.model.__name__}: the value must appear once in the SQL")
            statement = ServerStatement(sql, connections[using].vendor)
            self.compiled[using] = (statement, params, params.index(PLACEHOLDER))
        return self.compiled[using]

    def rows(self, value: Any) -> list[tuple]:
        using = router.db_for_read(self.model)
        statement, params, at = self._sql(using)
        params = [*params[:at], value, *params[at + 1 :]]
        connection = connections[using]
        with connection.cursor() as cursor:
            statement.run(connection, cursor, params)
            return cursor.fetchall()

    def instances(self, value: Any) -> list[Model]:
        """The rows as model instances holding `fields` only (as from .only(*fields))."""
        using = router.db_for_read(self.model)
        return [self.model.from_db(using, self.fields, row) for row in self.rows(value)]


def _positions(params: list, placeholders: tuple) -> list[int]:
    """Where each placeholder stands among the parameters (a text field's lookup turns it
    into a string); each must stand there once."""
    found: dict[int, list[int]] = {}
    for at, param in enumerate(params):
        for which, placeholder in enumerate(placeholders):
            if param == placeholder or param == str(placeholder):
                found.setdefault(which, []).append(at)
    if any(len(found.get(which, ())) != 1 for which in range(len(placeholders))):
        raise ValueError("each value must appear once in the SQL")
    return [found[which][0] for which in range(len(placeholders))]


class _Compiled:
    """One connection's compiled SQL, and how its rows become model instances (as Django's
    ModelIterable makes them); `placeholders` are where values go in at each run;
    `on_server`: a lookup by key, also prepared on the database session (ServerStatement)."""

    def __init__(
        self, queryset: QuerySet, using: str, placeholders: tuple = (), on_server: bool = False
    ) -> None:
        if queryset._prefetch_related_lookups or queryset._fields is not None:
            raise ValueError("a prepared query gives plain model instances")
        self.using = using
        self.connection = connections[using]
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, list(params)
        self.statement = ServerStatement(sql, self.connection.vendor if on_server else "")
        self.at = _positions(self.params, placeholders)
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        fetch_mode = queryset._fetch_mode
        self.track_peers = fetch_mode.track_peers
        self.from_db = _get_from_db(self.model, fetch_mode)
        self.related = get_related_populators(klass_info, select, using, fetch_mode)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])

    def objects(self, values: tuple | list = ()) -> list[Model]:
        params = list(self.params)
        for at, value in zip(self.at, values, strict=True):
            params[at] = value
        with self.connection.cursor() as cursor:
            self.statement.run(self.connection, cursor, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found: list[Model] = []
        peers: list = []
        for row in rows:
            obj = self.from_db(self.using, self.init_list, row[self.start : self.end])
            if self.track_peers:
                peers.append(weakref.ref(obj))
                obj._state.peers = peers
            for populator in self.related:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found


class _PerConnection:
    """Compiled queries kept per thread (a connection belongs to its thread) and database
    alias, at most `size` of them, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.local = threading.local()

    def get(self, key: Hashable, using: str, compile: Callable[[], _Compiled]) -> _Compiled:
        cache: OrderedDict = self.local.__dict__.setdefault("compiled", OrderedDict())
        compiled = cache.get((using, key))
        if compiled is None or compiled.connection is not connections[using]:
            compiled = cache[(using, key)] = compile()
            if len(cache) > self.size:
                cache.popitem(last=False)
        else:
            cache.move_to_end((using, key))
        return compiled


class PreparedObjects:
    """`build(value)` returns a queryset filtered on `value`; objects(value) gives the model
    instances iterating it would give (its select_related, deferred fields, annotations and
    the fields' converters), from SQL compiled once per thread's connection.
    objects_in(values) does the same for `build(values)`, a queryset filtered on a list of
    values (`many=True`), compiled once per number of values.

    The queryset must be a plain model query: no prefetch_related or values().
    """

    def __init__(self, build: Callable[[Any], QuerySet], *, many: bool = False) -> None:
        self.build = build
        self.model: type[Model] = build([PLACEHOLDER] if many else PLACEHOLDER).model
        self.compiled = _PerConnection(size=64)

    def objects(self, value: Any) -> list[Model]:
        using = router.db_for_read(self.model)
        compiled = self.compiled.get(
            None,
            using,
            lambda: _Compiled(self.build(PLACEHOLDER), using, (PLACEHOLDER,), on_server=True),
        )
        return compiled.objects((value,))

    def objects_in(self, values: list) -> list[Model]:
        if not values:
            return []
        using = router.db_for_read(self.model)
        placeholders = tuple(PLACEHOLDER - n for n in range(len(values)))
        compiled = self.compiled.get(
            len(values),
            using,
            lambda: _Compiled(self.build(list(placeholders)), using, placeholders, on_server=True),
        )
        return compiled.objects(values)


class CompiledQueries:
    """Querysets compiled once per key (and thread's connection), the most recently used
    `size` kept: objects(key, build) gives the model instances of `build()`, whose SQL and
    parameters must be the same whenever it is built for that key."""

    def __init__(self, model: type[Model], size: int = 128) -> None:
        self.model = model
        self.compiled = _PerConnection(size)

    def objects(self, key: Hashable, build: Callable[[], QuerySet]) -> list[Model]:
        using = router.db_for_read(self.model)
        return self.compiled.get(key, using, lambda: _Compiled(build(), using)).objects()
