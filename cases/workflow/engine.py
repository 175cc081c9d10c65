"""A small declarative workflow engine: states, transitions, guards and effects.

A procedure module (e.g. `cases/workflow/penalty.py`) declares a `Workflow`; the services evaluate
it (`cases.services.transitions`) and the flowchart is drawn from it (`cases/workflow/flowchart.py`),
so the picture and the rules cannot drift apart.

A guard is `guard(ctx) -> Violation | None`; an effect is `effect(ctx) -> None` and runs after every
guard passed, inside the act's transaction. `clean(data) -> dict` validates the request body of an
action (raising `core.errors.ValidationFailed`) before any guard runs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cases.models import Case


@dataclass(frozen=True)
class Violation:
    """One unmet condition: a stable code, a Chinese message saying what would help, the article."""

    code: str
    message: str
    basis: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self.message), "basis": str(self.basis)}


@dataclass
class Context:
    """What a guard or effect sees: the (locked) case, the actor, the cleaned data, today."""

    case: Case
    actor: Any
    action: str
    data: dict[str, Any]
    today: datetime.date
    # True while listing available actions: guards that need the request body skip their check.
    preview: bool = False
    # Effects may leave notes for the event payload.
    notes: dict[str, Any] = field(default_factory=dict)
    # The act's idempotency key (case, version acted on, action): the documents an act issues carry
    # it, so issuing again within the same act returns the same document and number.
    key: str = ""


Guard = Callable[[Context], "Violation | None"]
Effect = Callable[[Context], None]
Clean = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    label: Any = ""  # Chinese (lazy) label of the act, e.g. 立案
    verb: str = "act"  # the policy verb (who may attempt it)
    clean: Clean | None = None
    # Checks that do not block the act but are reported with it (e.g. 立案 after the agency's own
    # time limit: allowed, flagged with the overdue deadline).
    warnings: tuple[Guard, ...] = ()

    def stays(self) -> bool:
        """An act recorded without changing the status (e.g. a statement received)."""
        return self.sources == (self.target,)


@dataclass(frozen=True)
class Workflow:
    name: str
    title: Any
    states: Sequence[tuple[str, Any]]  # (value, label) in the order the procedure runs
    initial: str
    transitions: Sequence[Transition]
    terminal: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        values = {s for s, _ in self.states}
        seen: set[str] = set()
        for t in self.transitions:
            if t.action in seen:
                raise ValueError(f"duplicate action {t.action!r} in workflow {self.name}")
            seen.add(t.action)
            unknown = {*t.sources, t.target} - values
            if unknown:
                raise ValueError(f"action {t.action!r} names unknown states {sorted(unknown)}")

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def state_label(self, value: str) -> Any:
        return dict(self.states).get(value, value)

    def actions_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if status in t.sources]


def evaluate(transition: Transition, ctx: Context, *, warnings: bool = False) -> list[Violation]:
    """Every failed guard of `transition` (all of them, not the first); with `warnings`, every
    non-blocking check that fired instead."""
    found: list[Violation] = []
    for guard in transition.warnings if warnings else transition.guards:
        result = guard(ctx)
        if result is not None:
            found.append(result)
    return found
