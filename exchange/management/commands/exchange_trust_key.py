"""`zhifa exchange_trust_key <agency code> <public key .pub file>`: trust a subordinate agency's
(new) signing key for the batches it sends (idempotent; a ledger act when the key is new)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from exchange import selectors, services


class Command(BaseCommand):
    help = "Trust a subordinate agency's public signing key (PEM) for the batches it reports upward."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the subordinate agency's code")
        parser.add_argument("public_key", type=Path, help="its public key file (PEM, .pub)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source = selectors.source_or_404(code=options["code"])
            key = services.source_key_register(
                source=source, public_key_pem=options["public_key"].read_text("ascii")
            )
        except (DomainError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{source.code} {key.algorithm} {key.fingerprint}")
