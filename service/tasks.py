"""Periodic jobs of the service app (django.tasks + django-crontask); both are idempotent."""

from __future__ import annotations

from typing import Any

from crontask import cron
from django.tasks import task


@cron("15 6 * * *")  # type: ignore[untyped-decorator]
@task
def applications_deem_accepted_task() -> dict[str, Any]:
    """行政许可法 Art.32: applications with no list of missing materials within 5 WD count as accepted."""
    from service.services import applications_deem_accepted

    return {"accepted": applications_deem_accepted()}


@cron("30 6 * * *")  # type: ignore[untyped-decorator]
@task
def licences_expiry_task() -> dict[str, Any]:
    """行政许可法 Art.50: renewals undecided at expiry are granted; other licences past validity expire."""
    from service.services import licences_expiry_run

    return licences_expiry_run()
