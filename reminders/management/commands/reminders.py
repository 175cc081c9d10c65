"""`zhifa reminders scan|send|run [--today YYYY-MM-DD]`: the reminder job by hand (idempotent)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reminders import services


class Command(BaseCommand):
    help = "Create the reminders now due (scan), send the queued ones (send), or both (run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["scan", "send", "run"])
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        step, today = options["step"], options["today"]
        if step == "scan":
            result = services.reminders_scan(today=today).as_dict()
        elif step == "send":
            result = services.reminders_send().as_dict()
        else:
            result = services.reminders_run(today=today)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
