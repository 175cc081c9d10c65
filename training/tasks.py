"""Periodic job of training (django.tasks + django-crontask, discovered as `<app>.tasks`).

Idempotent: `attempts_close_expired` closes only attempts still in progress whose time (plus the grace
period) is over, each under a row lock, so a missed or repeated run does no harm.
"""

from __future__ import annotations

from typing import Any

from crontask import cron
from django.tasks import task


@cron("*/5 * * * *")  # type: ignore[untyped-decorator]
@task
def attempts_close_expired_task() -> dict[str, Any]:
    """Every 5 minutes: close the timed online exams left open, scored with the answers saved in time."""
    from training.services import attempts_close_expired

    closed = attempts_close_expired()
    return {"closed": [a.pk for a in closed]}
