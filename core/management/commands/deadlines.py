"""`zhifa deadlines scan`: run the daily deadline scan now, synchronously, and print the counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.errors import DomainError


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # the calendar warning belongs to `check`, not every call
    help = "Deadlines: `scan` marks due-soon and overdue deadlines and raises alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="run the scan now")
        scan.add_argument("--today", help="scan as of this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        from core.services.clock import deadlines_scan

        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                message = _("Invalid date %(value)s: write it as YYYY-MM-DD, e.g. 2026-10-08.")
                raise CommandError(message % {"value": options["today"]}) from None
        try:
            r = deadlines_scan(today=today)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _(
                "%(today)s: %(overdue)s overdue, %(soon)s due soon, %(reopened)s reopened, "
                "%(alerts)s alerts raised"
            )
            % {"today": r.today.isoformat(), "overdue": r.overdue, "soon": r.due_soon,
               "reopened": r.reopened, "alerts": r.alerts}
        )
