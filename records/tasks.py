"""Periodic jobs of records (django.tasks + django-crontask, as core/tasks.py); idempotent."""

from __future__ import annotations

from crontask import cron
from django.tasks import task


@cron("30 3 * * *")  # type: ignore[untyped-decorator]
@task
def uploads_cleanup_task() -> dict[str, int]:
    """Every night at 03:30: stop abandoned chunked uploads and remove spool files nobody owns."""
    from records.services.uploads import uploads_cleanup

    return uploads_cleanup()
