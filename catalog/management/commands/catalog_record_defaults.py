"""`zhifa catalog_record_defaults`: record the default major-decision catalog in the ledger."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog.services import catalog_record_defaults


class Command(BaseCommand):
    help = "Record each default major-decision rule seeded by migration 0002 in the ledger (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = catalog_record_defaults(actor=None)
        self.stdout.write(f"recorded {len(recorded)} default rule(s)")
