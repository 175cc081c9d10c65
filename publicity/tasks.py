"""Periodic job of publicity (django.tasks + django-crontask, like core/tasks.py). Idempotent."""

from __future__ import annotations

from crontask import cron
from django.tasks import task


@cron("10 1 * * *")  # type: ignore[untyped-decorator]
@task
def violators_expire_task() -> int:
    """Every night: serious-violator entries past their display period leave the list."""
    from publicity.violators import violators_expire

    return violators_expire()


@cron("20 1 * * *")  # type: ignore[untyped-decorator]
@task
def publications_expire_task() -> int:
    """Every night: published decisions past their display period leave the portal."""
    from publicity.services import publications_expire

    return publications_expire()
