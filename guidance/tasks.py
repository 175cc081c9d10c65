"""Periodic job of guidance (django.tasks + django-crontask, like core/tasks.py). Idempotent."""

from __future__ import annotations

from crontask import cron
from django.tasks import task


@cron("30 8 * * *")  # type: ignore[untyped-decorator]
@task
def first_contact_escalate_task() -> int:
    """Every morning: report the first-contact items that passed their time limit to the heads, once."""
    from guidance.services import first_contact_escalate

    return first_contact_escalate()
