"""Periodic job of supervision (django.tasks + django-crontask, discovered as `<app>.tasks`).

Idempotent: the automatic case-file review checks only closed cases not checked since they last
changed, so a missed or repeated run does no harm.
"""

from __future__ import annotations

from typing import Any

from crontask import cron
from django.tasks import task


@cron("30 7 * * *")  # type: ignore[untyped-decorator]
@task
def autoreview_task() -> dict[str, Any]:
    """Every morning at 07:30: the automatic review of newly closed (or changed) cases."""
    from supervision.services import autoreview_run

    checked = 0
    while True:  # in batches, each its own transaction and ledger act
        n = autoreview_run(actor=None)
        checked += n
        if n == 0:
            return {"checked": checked}
