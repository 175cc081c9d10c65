"""Upward export of a generated caseload (a script, not a test): rate and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_exchange_bench \
        .venv/bin/python benchmarks/exchange_export.py [--incremental 20000]

The database must have been filled by `benchmarks/cases_generate.py` (cases, parties, ledger). The
script picks the agency with the most cases and writes its full export (`since=0`:
`exchange.services.export_stream`, the code `export_next` runs before storing the bytes) to a scratch
file, then an incremental export of the last `--incremental` ledger entries. It prints records per
second, bytes, and the process's resident memory (VmRSS, sampled every 20,000 lines, and the peak
VmHWM) at 10 %, 50 % and 100 % of the cases: flat figures mean the export runs in constant memory.
The machine's load (`uptime`) is printed before and after.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, kb = line.split()[:2]
                values[key] = int(kb) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


class Meter:
    """A writer that counts, hashes and samples memory as the export streams through it."""

    def __init__(self, out: IO[bytes], cases: int) -> None:
        self.out, self.cases, self.lines, self.bytes, self.case_lines = out, cases, 0, 0, 0
        self.digest = hashlib.sha256()
        self.samples: list[tuple[str, float, float, float]] = []
        self.start = time.perf_counter()
        self.marks = {max(cases // 10, 1): "10 %", max(cases // 2, 1): "50 %"}

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.digest.update(data)
        self.lines += 1
        self.bytes += len(data)
        if b',"kind":"case","period":' in data:
            self.case_lines += 1
            label = self.marks.get(self.case_lines)
            if label:
                self.samples.append((label, time.perf_counter() - self.start, *rss_mb()))
        if self.lines % 20_000 == 0:
            print(
                f"  … {self.lines:,} lines, {time.perf_counter() - self.start:.0f} s, "
                f"RSS {rss_mb()[0]:.0f} MB",
                flush=True,
            )
        return len(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--incremental", type=int, default=20_000, help="ledger entries of the incremental run"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db.models import Count

    from cases import selectors as case_selectors
    from core.services.ledger import ledger_head
    from exchange import services
    from org.selectors import visible_agencies

    print("uptime before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    top = (
        case_selectors.visible_cases(None)
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if top is None:
        sys.exit("No cases: run benchmarks/cases_generate.py first.")
    agency = visible_agencies(None).get(pk=top["agency_id"])
    total_cases = case_selectors.visible_cases(None).count()
    head = ledger_head()["seq"]
    print(f"database: {total_cases:,} cases in all, {top['n']:,} of {agency.name}; ledger head {head:,}")
    print(f"memory before: RSS {rss_mb()[0]:.0f} MB")

    with tempfile.TemporaryFile() as out:
        meter = Meter(out, top["n"])
        started, cpu0 = time.perf_counter(), time.process_time()
        summary = services.export_stream(agency, meter, since=0, until=head)  # type: ignore[arg-type]
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu0
    rss, peak = rss_mb()
    print(f"\nfull export (since=0): {summary['count']:,} records {dict(summary['counts'])}")
    print(
        f"  {elapsed:.1f} s = {summary['count'] / elapsed:,.0f} records/s, "
        f"{top['n'] / elapsed:,.0f} cases/s, {meter.bytes / 1e6:,.1f} MB written "
        f"({meter.bytes / 1e6 / elapsed:.1f} MB/s)"
    )
    print(
        f"  CPU time of this process {cpu:.0f} s ({top['n'] / max(cpu, 0.001):,.0f} cases per CPU-second; "
        "the database server's own CPU is not counted)"
    )
    for label, at, now, hwm in meter.samples:
        print(f"  at {label} of the cases ({at:.0f} s): RSS {now:.0f} MB, peak so far {hwm:.0f} MB")
    print(f"  at 100 %: RSS {rss:.0f} MB, peak {peak:.0f} MB")

    since = max(head - args.incremental, 0)
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        summary = services.export_stream(agency, out, since=since, until=head)
        elapsed = time.perf_counter() - started
        size = out.tell()
    print(
        f"\nincremental export of the last {head - since:,} ledger entries: {summary['count']:,} records "
        f"{dict(summary['counts'])} in {elapsed:.1f} s ({size / 1e6:.1f} MB)"
    )
    print(f"  peak RSS {rss_mb()[1]:.0f} MB")
    print("uptime after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
