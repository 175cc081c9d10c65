"""Ledger benchmarks (a script, not a test): append rate and verify speed vs raw hashlib.

    .venv/bin/python benchmarks/ledger_bench.py [--entries 50000] [--appends 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/ledger_bench.py

Each measurement runs on a fresh scratch database (core.testing) of the engine DATABASE_URL
names (SQLite file by default), in worker processes with their own Django set-up.

- append rate: 1 and 4 writer processes, each appending `--appends` entries, one transaction per
  entry (as services do); rate = all entries / wall time from the common start to the last finish.
- verify speed: a chain of `--entries` entries per algorithm (sha256, sm3); `ledger_verify`
  (chain only) timed against raw hashing of the same entry bytes, prebuilt in memory, one hash
  call per entry as the chain needs (`hashlib.sha256(m).hexdigest()`; for SM3 `hashlib.new("sm3")`
  when the OpenSSL has it, and cryptography's SM3 which core uses). Ratio = raw time / verify time.
  The single-stream figure (all bytes through one hash object) is printed for context.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def worker_append_timed(count: int) -> dict:
    from core.services.ledger import ledger_append

    started = time.perf_counter()
    for i in range(count):
        ledger_append(actor=None, act="bench.append", payload={"i": i, "pid": os.getpid()})
    return {"count": count, "start": started, "end": time.perf_counter(), "wall_end": time.time()}


def worker_fill(count: int, batch: int = 1000) -> int:
    from django.db import transaction

    from core.services.ledger import ledger_append

    done = 0
    while done < count:
        with transaction.atomic():
            for i in range(done, min(count, done + batch)):
                ledger_append(
                    actor=None,
                    act="bench.fill",
                    object_type="cases.case",
                    object_id=str(i),
                    agency_id=1,
                    payload={"i": i, "名称": "某某违法占地案", "面积": 123.45, "当事人": "张三"},
                )
        done = min(count, done + batch)
    return done


def worker_verify_vs_raw(repeat: int = 3) -> dict:
    import hashlib

    from django.db import connection

    from core.hashing import canonical_json
    from core.services.ledger import _time_text, ledger_verify

    best = None
    for _ in range(repeat):
        result = ledger_verify(files=False)
        assert result.ok, result.failure
        best = result if best is None or result.seconds < best.seconds else best
    with connection.cursor() as cur:
        cur.execute(
            "SELECT seq, prev_hash, algorithm, recorded_at, actor_id, actor_label, agency_id, act,"
            " object_type, object_id, payload, file_digest FROM core_ledgerentry ORDER BY seq"
        )
        rows = cur.fetchall()
    materials = [canonical_json([r[0], r[1], r[2], _time_text(r[3]), *r[4:]]).encode("utf-8") for r in rows]
    algorithms = {r[2] for r in rows}
    assert len(algorithms) == 1
    algorithm = algorithms.pop()
    total_bytes = sum(len(m) for m in materials)

    def timed(fn):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    raw = {}
    if algorithm == "sha256":
        sha = hashlib.sha256
        raw["hashlib per entry"] = timed(lambda: [sha(m).hexdigest() for m in materials])

        def stream():
            h = sha()
            for m in materials:
                h.update(m)
            h.hexdigest()

        raw["hashlib one stream"] = timed(stream)
    else:
        from cryptography.hazmat.primitives import hashes

        try:
            hashlib.new("sm3")
            raw["hashlib per entry"] = timed(lambda: [hashlib.new("sm3", m).hexdigest() for m in materials])
        except ValueError:
            pass

        def crypto_each():
            for m in materials:
                h = hashes.Hash(hashes.SM3())
                h.update(m)
                h.finalize().hex()

        raw["cryptography per entry"] = timed(crypto_each)

        def stream():
            h = hashes.Hash(hashes.SM3())
            for m in materials:
                h.update(m)
            h.finalize()

        raw["cryptography one stream"] = timed(stream)
    return {
        "algorithm": algorithm,
        "entries": best.entries,
        "bytes": total_bytes,
        "verify_seconds": best.seconds,
        "raw_seconds": raw,
        "vendor": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=50000, help="chain length for the verify benchmark")
    parser.add_argument(
        "--appends", type=int, default=500, help="entries per writer for the append benchmark"
    )
    args = parser.parse_args()

    from core.testing import run_workers, scratch_database

    url = os.environ.get("DATABASE_URL", "") or "sqlite (temporary file)"
    print(f"# ledger benchmark {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"database: {url.split('@')[-1]}")

    for writers in (1, 4):
        with scratch_database() as db:
            results = run_workers(
                db, "benchmarks.ledger_bench.worker_append_timed", [(args.appends,)] * writers
            )
            start = min(r["wall_end"] - (r["end"] - r["start"]) for r in results)
            end = max(r["wall_end"] for r in results)
            total = sum(r["count"] for r in results)
            [check] = run_workers(db, "core.testing.worker_verify", [()])
            assert check["ok"] and check["entries"] == total, check
            print(
                f"append, {writers} writer process(es): {total} entries in {end - start:.2f} s = "
                f"{total / (end - start):.0f} entries/s (one transaction each; chain verified intact)"
            )

    for algorithm in ("sha256", "sm3"):
        with scratch_database() as db:
            env = {"ZHIFA_HASH_ALGORITHM": algorithm}
            run_workers(db, "benchmarks.ledger_bench.worker_fill", [(args.entries,)], env=env)
            [r] = run_workers(db, "benchmarks.ledger_bench.worker_verify_vs_raw", [()], env=env)
            verify_rate = r["entries"] / r["verify_seconds"]
            print(
                f"verify {algorithm}: {r['entries']} entries, {r['bytes'] / 1e6:.1f} MB in "
                f"{r['verify_seconds']:.3f} s = {verify_rate:.0f} entries/s, "
                f"{r['bytes'] / 1e6 / r['verify_seconds']:.1f} MB/s"
            )
            for name, seconds in r["raw_seconds"].items():
                print(
                    f"  raw {name}: {seconds:.3f} s = {r['bytes'] / 1e6 / seconds:.1f} MB/s; "
                    f"verify/raw speed ratio {seconds / r['verify_seconds']:.0%}"
                )
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
