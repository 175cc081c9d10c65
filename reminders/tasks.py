"""Periodic job of reminders (django.tasks + django-crontask, like core/tasks.py). Idempotent."""

from __future__ import annotations

from typing import Any

from crontask import cron
from django.tasks import task


@cron("*/15 * * * *")  # type: ignore[untyped-decorator]
@task
def reminders_run_task() -> dict[str, Any]:
    """Every 15 minutes: create the reminders now due and send the queued ones (outside quiet hours)."""
    from reminders.services import reminders_run

    return reminders_run()
