"""`zhifa flowchart penalty|summary [-o FILE]`: a procedure's flowchart as SVG, from its declaration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.workflow.flowchart import render_svg
from cases.workflow.penalty import PENALTY
from cases.workflow.summary import SUMMARY

WORKFLOWS = {"penalty": PENALTY, "summary": SUMMARY}


class Command(BaseCommand):
    help = "Write the flowchart of a procedure (penalty or summary) as SVG."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("procedure", choices=sorted(WORKFLOWS))
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args: Any, **options: Any) -> None:
        svg = render_svg(WORKFLOWS[options["procedure"]], language=options["language"])
        if options["output"]:
            try:
                Path(options["output"]).write_text(svg, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {options['output']}: {exc}") from exc
            self.stdout.write(options["output"])
        else:
            self.stdout.write(svg, ending="")
