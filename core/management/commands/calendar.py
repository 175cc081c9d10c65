"""`zhifa calendar status`: which years the working-day calendar holds, and their source."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # the calendar warning belongs to `check`, not every call
    help = "Working-day calendar: `status` lists the years held and warns when next year is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="years held, official or provisional")

    def handle(self, *args: Any, **options: Any) -> None:
        from core.selectors.clock import calendar_status

        status = calendar_status()
        for year in status.years:
            label = _("official") if year.official else _("provisional")
            self.stdout.write(f"{year.year}\t{label}\t{year.notice}")
        for warning in status.warnings:
            self.stderr.write(warning)
