"""`zhifa archive build CASE_ID [--out FILE]`;
`zhifa archive verify FILE.zip [--public-key PEM | --fingerprint HEX]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError


class Command(BaseCommand):
    help = "Build a closed case's archive package (案卷归档), or check a package offline."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        build = sub.add_parser("build", help="build and store the archive package of a closed case")
        build.add_argument("case_id", type=int)
        build.add_argument("--out", help="also copy the package to this file")
        verify = sub.add_parser("verify", help="check a package offline: digests and the manifest signature")
        verify.add_argument("file")
        verify.add_argument(
            "--public-key", help="PEM file of the agency's public key the package must be signed with"
        )
        verify.add_argument(
            "--fingerprint", help="sha256 fingerprint of the key the package must be signed with"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "build":
            self._build(options)
        else:
            self._verify(options)

    def _build(self, options: dict[str, Any]) -> None:
        from cases.selectors import case_get
        from records.services.archive import archive_build, archive_export

        try:
            case = case_get(case_id=options["case_id"], actor=None)
            package = archive_build(actor=None, case=case)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{package.filename}: {package.items} items, {package.stored.size} bytes, "
            f"{package.stored.algorithm} {package.stored.digest}, ledger head #{package.ledger_seq}"
        )
        if options.get("out"):
            dest = archive_export(actor=None, package=package, dest=Path(options["out"]))
            self.stdout.write(f"written to {dest}")

    def _verify(self, options: dict[str, Any]) -> None:
        from records.archive_check import archive_verify

        pem = Path(options["public_key"]).read_text() if options.get("public_key") else ""
        result = archive_verify(
            options["file"], public_key_pem=pem, fingerprint=options.get("fingerprint") or ""
        )
        signer = result.signer
        if signer:
            self.stdout.write(
                f"signed by {signer.get('key_name')} ({signer.get('signature_algorithm')}) "
                f"{signer.get('fingerprint')}"
            )
        head = result.manifest.get("ledger_head", {})
        if head:
            self.stdout.write(f"ledger head at archiving: #{head.get('seq')} {head.get('hash')}")
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {result.checked} items match the signed manifest"))
            return
        for path, why in result.problems:
            self.stderr.write(f"{path}: {why}")
        raise CommandError(f"{len(result.problems)} problem(s) in {options['file']}")
