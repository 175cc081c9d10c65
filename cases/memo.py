"""A memo for one read-only evaluation: lookups asked many times while one page is built.

`available_actions` runs the guards of every action the case's status allows, and the case page adds
its panels (discretion, review steps, documents); each asks the same things — is the actor an officer
of the case, the parties' types, the catalog's requirements, the discretion evaluation, legal
settings, the audio-video rules. Inside `memo_scope()` each is asked once; outside it (every act,
`case_act`) nothing is memoised, so an act always sees what its own effects wrote.

The scope is a context variable, so threads and requests never share it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_MEMO: ContextVar[dict[Hashable, Any] | None] = ContextVar("cases_memo", default=None)


@contextmanager
def memo_scope() -> Iterator[None]:
    """Memoise `memoised` lookups until the block ends (nested scopes share the outer memo)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memoised[T](key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per scope for `key` (always, when no scope is active)."""
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]


def memo_active() -> bool:
    return _MEMO.get() is not None


def memo_fill(values: dict[Hashable, Any]) -> None:
    """Put lookups fetched together (one round trip) into the current scope; nothing outside one."""
    memo = _MEMO.get()
    if memo is not None:
        for key, value in values.items():
            memo.setdefault(key, value)
