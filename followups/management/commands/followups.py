"""`zhifa followups run [--today YYYY-MM-DD]`: the follow-up job by hand (idempotent)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from followups.services import followups_run


class Command(BaseCommand):
    help = "Schedule follow-ups of closed cases and granted licences, open due ones, hand late ones on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["run"])
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(followups_run(today=options["today"]), ensure_ascii=False))
