"""System checks (`zhifa check`): the working-day calendar's health (core.W001), the ledger's hash
(core.E001) and signature (core.E002) algorithms."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _


@register()
def calendar_next_year_official(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when a year that matters (this year, next year from 1 November, a year a running
    deadline falls due in) has no official calendar."""
    from core.selectors.clock import calendar_health_warnings

    try:
        messages = calendar_health_warnings()
    except DatabaseError:
        return []  # no database yet (before the first migrate): nothing to check
    return [Warning(m, id="core.W001", hint="zhifa calendar status") for m in messages]


@register()
def ledger_algorithms(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The deployment's hash and signature algorithms must be ones the ledger can use: otherwise
    every write (each appends to the ledger) and every signed head would fail."""
    from core.errors import DomainError
    from core.hashing import ALGORITHMS
    from core.services.signing import signature_algorithm

    errors: list[Error] = []
    algorithm = str(getattr(settings, "ZHIFA_HASH_ALGORITHM", "sha256"))
    if algorithm not in ALGORITHMS:
        errors.append(
            Error(
                _("The hash algorithm %(algorithm)s is not supported: every write would fail.")
                % {"algorithm": algorithm},
                hint=_("Set ZHIFA_HASH_ALGORITHM to one of: %(choices)s.")
                % {"choices": ", ".join(ALGORITHMS)},
                id="core.E001",
            )
        )
    try:
        signature_algorithm()
    except DomainError as exc:
        errors.append(Error(exc.message, hint="ZHIFA_SIGNATURE_ALGORITHM", id="core.E002"))
    return errors
