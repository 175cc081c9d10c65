"""`zhifa workdays add DATE N` and `zhifa workdays between A B` (LEGAL.md §7 day counting).

`add` prints the n-th working day after DATE (the start day not counted) in ISO form, followed by
` provisional` when the result depends on a provisional (not yet official) calendar year;
`between` prints the number of working days in (A, B]. Bad input: a message on stderr, exit 1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.errors import DomainError


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            _("Invalid date %(value)s: write it as YYYY-MM-DD, e.g. 2026-10-08.") % {"value": value}
        ) from None


def parse_int(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise CommandError(
            _("Invalid number of working days %(value)s: write a whole number, e.g. 5.") % {"value": value}
        ) from None


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # the calendar warning belongs to `check`, not every call
    help = "Working-day arithmetic: `add DATE N` and `between A B`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the N-th working day after DATE")
        add.add_argument("date")
        add.add_argument("n")
        between = sub.add_parser("between", help="working days in (A, B]")
        between.add_argument("a")
        between.add_argument("b")

    def handle(self, *args: Any, **options: Any) -> None:
        from core.services.calendar import add_workdays, workdays_between

        try:
            if options["action"] == "add":
                start, n = parse_date(options["date"]), parse_int(options["n"])
                r = add_workdays(start, n)
                self.stdout.write(r.date.isoformat() + (" provisional" if r.provisional else ""))
            else:
                a, b = parse_date(options["a"]), parse_date(options["b"])
                c = workdays_between(a, b)
                self.stdout.write(str(c.days) + (" provisional" if c.provisional else ""))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except OverflowError:
            raise CommandError(_("The number of working days is too large for the calendar.")) from None
