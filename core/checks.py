"""System checks (`zhifa check`): the working-day calendar's health (core.W001)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register
from django.db import DatabaseError


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
