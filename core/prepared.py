"""Hot reads whose SQL is compiled once per process and database, then run with new values.

Django compiles a queryset to SQL on every evaluation: for a model of 30–70 columns with a
`select_related` that is 0.3–1 ms of CPU, and the case page runs twenty such reads (a quarter of
its CPU in `SQLCompiler.as_sql`, benchmarks/RESULTS.md, session 15). A `PreparedRead` wraps a
*builder*, a function of integer ids (and dates) that returns a queryset, and

- on first use per database alias, calls the builder with sentinel ids (and dates), compiles the queryset once
  and records where each sentinel landed among the SQL parameters;
- on every later call, clones that queryset (cheap) and hands Django a compiler that already holds
  the SQL, the select list and the row layout, with the caller's values in the sentinels' places; the
  rows become model instances through Django's own iterable (select_related, values_list,
  prefetch_related, annotations all as usual).

The builder must depend on its arguments only — no clock, no settings, no request, no id read from
the database (a content type's id is an argument, not a constant: a test database may renumber
it) — and take only `int` ids, `datetime.date` days and `str` keys compared as they are (none of
them changes the shape of the SQL, where None or a list could; a day is how a catalog read asks
for "in force on", a key how a session is found). An argument may reach the SQL as itself or as
its text (`str(case_id)` for a generic relation, a date on SQLite); a builder that does anything
else with it (`+ 1`, a LIKE pattern, a list) is refused at compile time, and so is one whose
other parameters hold a date, a time or a Decimal (today's date would stay in the SQL until the
process ends) or change between two compilations (a counter).
`cases/tests/test_prepared.py` compares every prepared read with its builder.
"""

from __future__ import annotations

import datetime
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Sentinel ids, distinct per argument position: positive and within a 32-bit integer, since Django
# compiles a value outside a field's range (a negative id for a PositiveIntegerField) to "no rows".
# Sentinel days likewise, far in the future (no catalog row starts or ends there).
_SENTINEL_BASE = 2_147_400_000
_SENTINEL_DAY = datetime.date(2900, 1, 1)
_KINDS = (int, datetime.date, str)
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")

# The compiler state that `as_sql()` leaves behind and the iterables and `results_iter` read.
_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")

REGISTRY: list[PreparedRead[Any]] = []


class PreparedReadError(Exception):
    """A builder that cannot be prepared (it transforms an argument, or depends on something else)."""


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    sql: str
    params: tuple[Any, ...]
    # (position among the params, argument index, how the argument becomes the parameter)
    slots: tuple[tuple[int, int, Callable[[Any], Any]], ...]
    state: dict[str, Any]
    # The row converters of the select list (JSON, and on SQLite dates, decimals, booleans), per
    # connection: Django asks every column's field for them on every evaluation, which was a
    # twentieth of a case page's CPU. None for a select list with a composite key (Django recurses
    # into its columns there).
    converters: weakref.WeakKeyDictionary[Any, dict[int, Any]] | None


class PreparedRead[M: Model]:
    """`parties = PreparedRead(lambda case_id: Party.objects.filter(case_id=case_id))`, then
    `parties(case.pk)` → list of Party; `parties.first(case.pk)` → one row or None. The result is
    a list, never a queryset: anything done to a queryset (filter, count, a slice) compiles anew."""

    def __init__(self, build: Callable[..., QuerySet[M]], *, name: str = "") -> None:
        self.build = build
        self.name = name or getattr(build, "__qualname__", repr(build))
        self.arity = int(build.__code__.co_argcount)
        self._compiled: dict[tuple[str, tuple[type, ...]], _Compiled] = {}
        self._model: type[Model] | None = None  # known once compiled: routes the later calls
        self._lock = threading.Lock()
        REGISTRY.append(self)

    def __repr__(self) -> str:
        return f"<PreparedRead {self.name}>"

    def __call__(self, *args: int | datetime.date | str) -> list[M]:
        bound = self._bind(args)
        return [] if bound is None else self._rows(*bound)

    def _bind(
        self, args: tuple[int | datetime.date | str, ...]
    ) -> tuple[str, _Compiled, tuple[Any, ...]] | None:
        """(alias, compiled statement, parameters) for these values; None when no row can match."""
        kinds = tuple(type(value) for value in args)
        if len(args) != self.arity or any(kind not in _KINDS for kind in kinds):
            raise TypeError(f"{self.name}: takes {self.arity} int id(s), date(s) or str key(s), got {args!r}")
        if any(type(value) is int and not _ID_MIN <= value <= _ID_MAX for value in args):
            return None  # no row has an id beyond a bigint (the database would refuse the parameter)
        alias = DEFAULT_DB_ALIAS if self._model is None else router.db_for_read(self._model)
        key = (alias, kinds)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(alias, kinds)
                self._compiled[key] = compiled
        params = list(compiled.params)
        for position, index, kind in compiled.slots:
            params[position] = kind(args[index])
        return alias, compiled, tuple(params)

    def _rows(
        self, alias: str, compiled: _Compiled, params: tuple[Any, ...], fetched: list[Any] | None = None
    ) -> list[M]:
        """Model instances (or values) through Django's own iterable: from the database, or from
        rows `fetch_together` already fetched."""
        qs = compiled.queryset.all()  # a clone: the prototype is shared by threads
        compiler = qs.query.get_compiler(using=alias)
        compiler.__dict__.update(compiled.state)
        statement = (compiled.sql, params)
        compiler.as_sql = lambda *a, **k: statement
        cache = compiled.converters
        if cache is not None:
            converters = cache.get(compiler.connection)
            if converters is None:
                select = compiler.select[: compiler.col_count]
                converters = cache[compiler.connection] = compiler.get_converters([s[0] for s in select])
            compiler.get_converters = lambda expressions: converters
        if fetched is not None:
            compiler.execute_sql = lambda *a, **k: [fetched]  # one chunk, as a plain fetch gives
        qs.query.get_compiler = lambda *a, **k: compiler  # type: ignore[method-assign]
        return list(qs)

    def first(self, *args: int | datetime.date | str) -> M | None:
        rows = self(*args)
        return rows[0] if rows else None

    def _compile(self, alias: str, kinds: tuple[type, ...]) -> _Compiled:
        sentinels = [_sentinel(kind, i) for i, kind in enumerate(kinds)]
        try:
            qs = self.build(*sentinels)
        except (TypeError, ValueError) as exc:  # e.g. a str for an integer column
            names = ", ".join(kind.__name__ for kind in kinds)
            raise TypeError(f"{self.name}: cannot take ({names}): {exc}") from exc
        if not isinstance(qs, QuerySet):
            raise PreparedReadError(f"{self.name}: the builder must return a QuerySet")
        self._model = qs.model
        compiler: SQLCompiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = _slots(params, sentinels)
        missing = set(range(self.arity)) - {index for _, index, _ in slots}
        if missing or not sql:
            raise PreparedReadError(
                f"{self.name}: argument(s) {sorted(missing)} do not reach the SQL as parameters"
            )
        # A builder that reads the clock or the settings would freeze them into the SQL. A date, time
        # or amount among the constant parameters is most likely today's date or a legal figure:
        # refused. Other ids must give the same statement with only the slots' values changed.
        in_slots = {position for position, _, _ in slots}
        frozen = [
            value
            for position, value in enumerate(params)
            if position not in in_slots
            and (
                isinstance(value, (datetime.date, datetime.time, Decimal))
                or (isinstance(value, str) and _DATE_TEXT.match(value))  # SQLite passes dates as text
            )
        ]
        if frozen:
            raise PreparedReadError(
                f"{self.name}: the SQL would keep {frozen[0]!r}; pass it as an argument or use a queryset"
            )
        other = [_other(value) for value in sentinels]
        sql2, params2 = self.build(*other).query.get_compiler(using=alias).as_sql()
        expected = list(params)
        for position, index, kind in slots:
            expected[position] = kind(other[index])
        if sql2 != sql or list(params2) != expected:
            raise PreparedReadError(f"{self.name}: the SQL depends on more than the ids")
        state = {name: getattr(compiler, name) for name in _STATE}
        composite = compiler.has_composite_fields([s[0] for s in compiler.select[: compiler.col_count]])
        converters = None if composite else weakref.WeakKeyDictionary[Any, dict[int, Any]]()
        return _Compiled(qs, sql, tuple(params), slots, state, converters)


def _sentinel(kind: type, index: int) -> int | datetime.date | str:
    if kind is datetime.date:
        return _SENTINEL_DAY + datetime.timedelta(days=7 * index)
    if kind is str:
        return f"prepared-sentinel-{index}"
    return _SENTINEL_BASE + 7 * index


def _other(sentinel: int | datetime.date | str) -> int | datetime.date | str:
    """A second sentinel for the same position: the SQL must not change with it."""
    if isinstance(sentinel, str):
        return sentinel.replace("sentinel", "other")
    if isinstance(sentinel, datetime.date):
        return sentinel - datetime.timedelta(days=1000)
    return sentinel - 1000


def _same(value: Any) -> Any:
    return value


def _slots(
    params: Any, sentinels: list[int | datetime.date | str]
) -> tuple[tuple[int, int, Callable[[Any], Any]], ...]:
    """Where each sentinel landed among the parameters and in which form, to put the caller's value
    there in the same form: an int (or the backend's wrapper), a date, or its text (a generic
    relation's `object_id`, a document's `subject_id`, a date on SQLite)."""
    as_text = [str(value) for value in sentinels]
    out: list[tuple[int, int, Callable[[Any], Any]]] = []
    for position, value in enumerate(params):
        # an int, or the backend's wrapper of one (psycopg's Int8 for a bigint column)
        if isinstance(value, int) and not isinstance(value, bool) and value in sentinels:
            out.append((position, sentinels.index(int(value)), type(value)))
        elif type(value) is datetime.date and value in sentinels:
            out.append((position, sentinels.index(value), _same))
        elif type(value) is str and value in as_text:
            out.append((position, as_text.index(value), str))
    return tuple(out)


def fetch_together(
    *calls: tuple[PreparedRead[Any], tuple[int | datetime.date | str, ...]],
) -> list[list[Any]]:
    """Several prepared reads in one round trip to PostgreSQL (the statements joined by ";", each
    result set read in turn); one after another elsewhere. A page that needs ten small lists about
    one case waits for the database once instead of ten times."""
    bound = [(read, read._bind(args)) for read, args in calls]
    live = [(read, b) for read, b in bound if b is not None]
    aliases = {b[0] for _, b in live}
    if len(aliases) != 1 or connections[next(iter(aliases))].vendor != "postgresql" or len(live) < 2:
        return [[] if b is None else read._rows(*b) for read, b in bound]
    alias = next(iter(aliases))
    sql = ";\n".join(b[1].sql for _, b in live)
    params = [value for _, b in live for value in b[2]]
    fetched: list[list[Any]] = []
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        for index in range(len(live)):
            if index:
                cursor.nextset()
            rows = cursor.fetchall()
            state = live[index][1][1].state
            if state["has_extra_select"]:  # ORDER BY columns a DISTINCT needs: cut, as Django does
                rows = [row[: state["col_count"]] for row in rows]
            fetched.append(rows)
    lists = iter(read._rows(*b, fetched=f) for (read, b), f in zip(live, fetched, strict=True))
    return [[] if b is None else next(lists) for _, b in bound]
