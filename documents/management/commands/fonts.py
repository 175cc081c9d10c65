"""`zhifa fonts [--force]`: prepare the documents' serif faces (documents.fonts) once per machine."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # run at install time: no database, no URL configuration
    help = "Prepare the small 'Zhifa Serif SC' faces (GB 2312) from Noto Serif CJK SC for fast PDF rendering."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="prepare them again even when present")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        from documents.fonts import prepare

        for line in prepare(force=force):
            self.stdout.write(line)
