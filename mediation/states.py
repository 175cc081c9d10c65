"""The one table of allowed status moves of a mediation; `services._move` enforces it."""

from mediation.models import Status as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.ACCEPTED, S.REFUSED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.MEDIATING, S.FAILED, S.WITHDRAWN}),
    S.MEDIATING: frozenset({S.AGREED, S.FAILED, S.WITHDRAWN}),
    S.AGREED: frozenset(),
    S.REFUSED: frozenset(),
    S.FAILED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
