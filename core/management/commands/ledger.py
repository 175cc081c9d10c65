"""`zhifa ledger verify | head | verify-head | public-key` — check and publish the ledger."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.errors import DomainError


class Command(BaseCommand):
    # Verification must run (and print only its own result) whatever else the checks would say.
    requires_system_checks: list[str] = []
    help = (
        "Verify the hash-chained ledger and the file store, print or sign its head, check a published head."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,head,verify-head,public-key}"
        )
        verify = sub.add_parser(
            "verify", help="re-walk the chain and the stored files; exit 1 at the first failure"
        )
        verify.add_argument(
            "--no-files", action="store_true", help="check the chain only, not the file store"
        )
        verify.add_argument("--chunk-size", type=int, default=5000, help="entries read per query")
        verify.add_argument("--json", action="store_true", help="print the result as JSON")
        verify.add_argument("--quiet", action="store_true", help="no progress on stderr")

        head = sub.add_parser(
            "head",
            help="print the current head signed (and record the signed head): by default with the key of "
            "the top-level agency, else with --agency or --key",
        )
        head.add_argument("--key", metavar="NAME", help="sign with this key (created on first use)")
        head.add_argument(
            "--agency", type=int, metavar="ID", help="sign with the key of the agency with this id"
        )
        head.add_argument(
            "--unsigned", action="store_true", help="print the head only: no signature, nothing recorded"
        )
        head.add_argument(
            "--json", action="store_true", help="print the head as JSON (the file verify-head reads)"
        )

        check = sub.add_parser("verify-head", help="check a published head (JSON file, '-' for stdin)")
        check.add_argument("file")
        check.add_argument("--public-key", metavar="PEM", help="the key the head must be signed by")
        check.add_argument("--json", action="store_true")

        export = sub.add_parser("public-key", help="print the public key (PEM) of a signing key")
        export.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {
            "verify": self.verify,
            "head": self.head,
            "verify-head": self.verify_head,
            "public-key": self.public_key,
        }[options["subcommand"]]
        try:
            handler(options)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}", returncode=2) from exc

    # -- verify ------------------------------------------------------------------------------

    def verify(self, options: dict[str, Any]) -> None:
        from core.services.ledger import ledger_verify

        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1", returncode=2)
        last_report = [time.monotonic()]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if options["quiet"] or now - last_report[0] < 1.0:
                return
            last_report[0] = now
            self.stderr.write(f"{stage}: {done}/{total}")

        result = ledger_verify(
            files=not options["no_files"], chunk_size=options["chunk_size"], progress=progress
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if result.failure is not None:
            raise CommandError(f"ledger verification FAILED at {result.failure.describe()}", returncode=1)
        if not options["json"]:
            rate = result.entries / result.seconds if result.seconds else 0.0
            self.stdout.write(
                f"OK: {result.entries} entries (head #{result.head_seq} {result.head_hash}) and "
                f"{result.files} stored files intact; {result.seconds:.2f} s, {rate:.0f} entries/s"
            )

    # -- head --------------------------------------------------------------------------------

    def head(self, options: dict[str, Any]) -> None:
        from core.services.ledger import ledger_head, ledger_head_publish

        key_name, agency_id = self._head_key(options)
        if key_name:
            doc = ledger_head_publish(actor=None, key_name=key_name, agency_id=agency_id)
        else:
            doc = ledger_head()
        if options["json"]:
            self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))
            return
        lines = [
            f"seq:        {doc['seq']}",
            f"hash:       {doc['hash']}",
            f"algorithm:  {doc['algorithm']}",
            f"time:       {doc['recorded_at'] or '-'}",
        ]
        if "signature" in doc:
            lines += [
                f"key:        {doc['key_name']} ({doc['signature_algorithm']})",
                f"fingerprint: {doc['fingerprint']}",
                f"signature:  {doc['signature']}",
            ]
        self.stdout.write("\n".join(lines))

    def _head_key(self, options: dict[str, Any]) -> tuple[str, int | None]:
        """The key that signs the head and the agency it belongs to ("" with --unsigned): --key,
        --agency, or by default the top-level agency's (core.scoping.actor_agency_id(None))."""
        from core.scoping import actor_agency_id
        from core.services.signing import agency_key_name

        given = [name for name in ("key", "agency", "unsigned") if options[name] not in (None, False)]
        if len(given) > 1:
            raise CommandError(
                _("Give only one of --key, --agency and --unsigned (given: %(given)s).")
                % {"given": ", ".join(f"--{name}" for name in given)},
                returncode=2,
            )
        if options["unsigned"]:
            return "", None
        if options["key"]:
            return str(options["key"]), None
        agency_id = options["agency"] if options["agency"] is not None else actor_agency_id(None)
        if agency_id is None:
            raise CommandError(
                _(
                    "Cannot choose the key that signs the head: there is no single top-level agency. "
                    "Give --agency ID (the agency whose key signs) or --key NAME, or --unsigned to "
                    "print the head without a signature."
                ),
                returncode=2,
            )
        try:
            return agency_key_name(agency_id), agency_id
        except ObjectDoesNotExist:
            raise CommandError(
                _("No agency has the id %(id)s; give the id of an existing agency (see the org screens).")
                % {"id": agency_id},
                returncode=2,
            ) from None

    # -- verify-head -------------------------------------------------------------------------

    def verify_head(self, options: dict[str, Any]) -> None:
        from core.services.ledger import published_head_check

        try:
            text = sys.stdin.read() if options["file"] == "-" else Path(options["file"]).read_text("utf-8")
            doc = json.loads(text)
        except (OSError, ValueError) as exc:
            raise CommandError(
                f"cannot read a published head from {options['file']}: {exc}", returncode=2
            ) from exc
        trusted = None
        if options["public_key"]:
            try:
                trusted = Path(options["public_key"]).read_text("ascii")
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read the public key: {exc}", returncode=2) from exc
        failure = published_head_check(doc, trusted_public_key_pem=trusted, chain=False)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"ok": failure is None, "failure": failure.as_dict() if failure else None},
                    ensure_ascii=False,
                )
            )
        if failure is not None:
            raise CommandError(f"published head NOT valid: {failure.describe()}", returncode=1)
        if not options["json"]:
            self.stdout.write(
                f"OK: head #{doc['seq']} {doc['hash']} is signed by {doc['key_name']} "
                f"({doc['signature_algorithm']}, fingerprint {doc['fingerprint']}) and is in the chain"
            )

    # -- public-key --------------------------------------------------------------------------

    def public_key(self, options: dict[str, Any]) -> None:
        from core.services.signing import public_key

        info = public_key(key_name=options["name"])
        self.stdout.write(info.public_key_pem.rstrip("\n"))
