"""Periodic job of follow-ups (django.tasks + django-crontask, like core/tasks.py). Idempotent."""

from __future__ import annotations

from typing import Any

from crontask import cron
from django.tasks import task


@cron("30 7 * * *")  # type: ignore[untyped-decorator]
@task
def followups_run_task() -> dict[str, Any]:
    """Every morning at 07:30: schedule follow-ups, open the due ones, hand unanswered ones to officers."""
    from followups.services import followups_run

    return followups_run()
