"""Periodic jobs of core, declared in one place (django.tasks + django-crontask).

`zhifa crontask` runs the scheduler, which enqueues the tasks; `zhifa db_worker` runs them.
Missed runs are not caught up by crontask, so every task here is idempotent.
"""

from __future__ import annotations

from typing import Any

from crontask import cron
from django.tasks import task


@cron("0 7 * * *")  # type: ignore[untyped-decorator]
@task
def deadlines_scan_task() -> dict[str, Any]:
    """Every morning at 07:00 (Asia/Shanghai): mark due-soon/overdue deadlines and raise alerts."""
    from core.services.clock import deadlines_scan

    result = deadlines_scan()
    return {**result._asdict(), "today": result.today.isoformat()}
