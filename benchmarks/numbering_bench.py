"""Numbering under concurrent requests (a script, not a test).

    .venv/bin/python benchmarks/numbering_bench.py [--requests 20] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/numbering_bench.py

`--requests` processes (one request each, its own transaction) take a number of the same agency,
kind and year at the same moment, on a fresh scratch database; repeated `--rounds` times on the same
sequence. Prints whether all numbers are distinct and consecutive, and the time per round.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def worker_take_timed(agency_id: int, kind: str, year: int) -> dict:
    from django.db import transaction

    from core.services.numbering import number_take

    started = time.time()  # after the imports above: time the request, not the process start
    with transaction.atomic():
        number = number_take(agency_id=agency_id, kind=kind, year=year, actor=None).number
    return {"number": number, "start": started, "end": time.time()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from core.testing import run_workers, scratch_database

    url = os.environ.get("DATABASE_URL", "") or "sqlite (temporary file)"
    print(f"# numbering benchmark {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"database: {url.split('@')[-1]}")
    all_ok = True
    with scratch_database() as db:
        taken: list[int] = []
        for rnd in range(1, args.rounds + 1):
            results = run_workers(
                db,
                "benchmarks.numbering_bench.worker_take_timed",
                [(1, "penalty_decision", 2026)] * args.requests,
            )
            values = sorted(int(re.search(r"〕(\d+)号", r["number"]).group(1)) for r in results)
            expected = list(range(len(taken) + 1, len(taken) + args.requests + 1))
            ok = values == expected and len({r["number"] for r in results}) == args.requests
            all_ok &= ok
            taken += values
            span = max(r["end"] for r in results) - min(r["start"] for r in results)
            print(
                f"round {rnd}: {args.requests} concurrent requests -> numbers {values[0]}..{values[-1]}, "
                f"{'all distinct and consecutive' if ok else 'NOT distinct/consecutive: ' + str(values)}; "
                f"{span * 1000:.0f} ms from first start to last commit "
                f"({span * 1000 / args.requests:.1f} ms per number)"
            )
            print(f"  e.g. {results[0]['number']}")
    print("RESULT:", "OK" if all_ok else "FAILED")
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
