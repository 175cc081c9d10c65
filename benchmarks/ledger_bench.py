"""Ledger benchmarks (a script, not a test): append rate and verify speed vs raw hashing.

    .venv/bin/python benchmarks/ledger_bench.py [--entries 50000] [--appends 500] [--files-mb 400]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/ledger_bench.py

Each measurement runs on a fresh scratch database (core.testing) of the engine DATABASE_URL
names (SQLite file by default), in worker processes with their own Django set-up.

- append rate: 1 and 4 writer processes, each appending `--appends` entries, one transaction per
  entry (as services do); rate = all entries / wall time from the common start to the last finish.
- verify speed, per algorithm (sha256, sm3), on a chain of `--entries` entries (~265 bytes each)
  followed by evidence files of 1–50 MB (random bytes, `--files-mb` in all) stored through the
  file store, each recorded by its own entry. Each of `--runs` runs times, in the same process:
    verify entries only  = `ledger_verify(files=False)`: read the chain from the database, rebuild
                           and hash every entry, check the links;
    verify with files    = `ledger_verify()`: the same plus re-reading every stored file from the
                           store (local disk; the page cache is warm after the first run) and
                           re-hashing it;
    raw entries          = hashing each entry's bytes (`entry_material`, prebuilt in memory) once,
                           one hash object per entry as the chain needs, in a tight loop; the
                           fastest of the ways timed (hashlib constructor; for SM3 also
                           `hashlib.new("sm3")`, copying a fresh hashlib object, cryptography);
    raw files            = hashing each file's bytes (read into memory beforehand) once, one call
                           per file, the fastest of hashlib and cryptography.
  Ratios (speed of verify / speed of raw over the same bytes; ≥ 50% is the target):
    entries only = raw entries / verify entries only;
    with files   = (raw entries + raw files) / verify with files.
  Database time, reading rows and files are part of verify and not of raw: that is the point.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MB = 1024 * 1024


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


def worker_store_files(total_mb: int, seed: int = 3) -> dict:
    """Store evidence files of 1–50 MB (random bytes) until `total_mb` MB, each its own act."""
    import io

    from core.services.files import file_store

    rng = random.Random(seed)
    sizes: list[int] = []
    while sum(sizes) < total_mb * MB:
        sizes.append(rng.randint(1 * MB, 50 * MB))
    for i, size in enumerate(sizes):
        data = rng.randbytes(size)
        file_store(
            actor=None, fileobj=io.BytesIO(data), filename=f"evidence-{i}.mp4", content_type="video/mp4"
        )
    return {"files": len(sizes), "bytes": sum(sizes)}


def _fastest(ways: dict, repeat: int = 3) -> tuple[str, float]:
    """(name, seconds) of the fastest way, each timed best of `repeat`."""
    best = ("", float("inf"))
    for name, fn in ways.items():
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            seconds = time.perf_counter() - started
            if seconds < best[1]:
                best = (name, seconds)
    return best


def _raw_ways(algorithm: str, items: list[bytes]) -> dict:
    """Ways of hashing each item once, one hash object per item (see the module docstring)."""
    import hashlib

    from cryptography.hazmat.primitives import hashes

    def crypto_each():
        for m in items:
            h = hashes.Hash(hashes.SM3())
            h.update(m)
            h.finalize().hex()

    if algorithm == "sha256":
        sha = hashlib.sha256
        return {"hashlib.sha256": lambda: [sha(m).hexdigest() for m in items]}
    ways = {"cryptography SM3": crypto_each}
    try:
        blank = hashlib.new("sm3")
    except ValueError:
        return ways

    def copy_each():
        for m in items:
            h = blank.copy()
            h.update(m)
            h.hexdigest()

    ways["hashlib.new('sm3')"] = lambda: [hashlib.new("sm3", m).hexdigest() for m in items]
    ways["hashlib sm3 copy"] = copy_each
    return ways


def worker_verify_vs_raw(runs: int = 3) -> dict:
    from django.db import connection

    from core.models import LedgerEntry, StoredFile
    from core.services.files import evidence_storage
    from core.services.ledger import entry_hash_of, entry_material, ledger_verify

    materials = []
    for e in LedgerEntry.objects.order_by("seq").iterator(chunk_size=5000):
        m = entry_material(
            seq=e.seq, prev_hash=e.prev_hash, algorithm=e.algorithm, recorded_at=e.recorded_at.isoformat(),
            actor_id=e.actor_id, actor_label=e.actor_label, agency_id=e.agency_id, act=e.act,
            object_type=e.object_type, object_id=e.object_id, payload=e.payload, file_digest=e.file_digest,
        )  # fmt: skip
        materials.append(m)
    last = LedgerEntry.objects.order_by("-seq").first()
    assert last is not None and entry_hash_of(last) == last.entry_hash
    algorithms = set(LedgerEntry.objects.values_list("algorithm", flat=True).distinct())
    assert len(algorithms) == 1, algorithms
    algorithm = algorithms.pop()
    storage = evidence_storage()
    files = []
    for stored in StoredFile.objects.order_by("digest"):
        with storage.open(stored.storage_name, "rb") as fh:
            files.append(fh.read())
    out: dict = {
        "algorithm": algorithm,
        "vendor": connection.vendor,
        "entries": len(materials),
        "entry_bytes": sum(map(len, materials)),
        "files": len(files),
        "file_bytes": sum(map(len, files)),
        "runs": [],
    }
    for _ in range(runs):
        only = ledger_verify(files=False)
        assert only.ok and only.entries == len(materials), only.failure
        full = ledger_verify()
        assert full.ok and full.files == len(files), full.failure
        raw_entries = _fastest(_raw_ways(algorithm, materials))
        raw_files = _fastest(_raw_ways(algorithm, files), repeat=1) if files else ("-", 0.0)
        out["runs"].append(
            {
                "verify_entries": only.seconds,
                "verify_full": full.seconds,
                "rechecked": only.rechecked,
                "raw_entries": raw_entries,
                "raw_files": raw_files,
            }
        )
    return out


def _print_verify(r: dict) -> None:
    n, eb, fb = r["entries"], r["entry_bytes"], r["file_bytes"]
    print(
        f"verify {r['algorithm']} ({r['vendor']}): {n} entries, {eb / 1e6:.1f} MB of entry bytes; "
        f"{r['files']} files, {fb / 1e6:.0f} MB"
    )
    for i, run in enumerate(r["runs"], 1):
        (raw_e_name, raw_e), (raw_f_name, raw_f) = run["raw_entries"], run["raw_files"]
        ve, vf = run["verify_entries"], run["verify_full"]
        print(
            f"  run {i}: entries only: verify {ve:.3f} s = {n / ve:,.0f} entries/s, raw {raw_e:.3f} s "
            f"({raw_e_name}) = {n / raw_e:,.0f} entries/s -> ratio {raw_e / ve:.0%}"
            + (f" [{run['rechecked']} entries re-walked]" if run["rechecked"] else "")
        )
        print(
            f"         with files: verify {vf:.3f} s = {(eb + fb) / 1e6 / vf:.0f} MB/s, raw "
            f"{raw_e + raw_f:.3f} s (files: {raw_f_name}) = {(eb + fb) / 1e6 / (raw_e + raw_f):.0f} MB/s"
            f" -> ratio {(raw_e + raw_f) / vf:.0%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=50000, help="chain length for the verify benchmark")
    parser.add_argument(
        "--appends", type=int, default=500, help="entries per writer for the append benchmark"
    )
    parser.add_argument("--files-mb", type=int, default=400, help="MB of evidence files (1–50 MB each)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of verify and raw hashing")
    parser.add_argument("--skip-append", action="store_true", help="only the verify benchmark")
    args = parser.parse_args()

    from core.testing import run_workers, scratch_database

    url = os.environ.get("DATABASE_URL", "") or "sqlite (temporary file)"
    print(f"# ledger benchmark {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"database: {url.split('@')[-1]}")

    for writers in () if args.skip_append else (1, 4):
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
        with tempfile.TemporaryDirectory(prefix="zhifa-bench-") as data_dir:
            with scratch_database(data_dir=data_dir) as db:
                env = {"ZHIFA_HASH_ALGORITHM": algorithm, "ZHIFA_DATA_DIR": data_dir}
                run_workers(db, "benchmarks.ledger_bench.worker_fill", [(args.entries,)], env=env)
                if args.files_mb:
                    run_workers(db, "benchmarks.ledger_bench.worker_store_files", [(args.files_mb,)], env=env)
                [r] = run_workers(db, "benchmarks.ledger_bench.worker_verify_vs_raw", [(args.runs,)], env=env)
                _print_verify(r)
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
