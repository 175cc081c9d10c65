"""Records benchmarks (a script, not a test): ingest speed vs sha256sum, peak memory, archive time.

    .venv/bin/python benchmarks/records_bench.py [--size-mb 1024] [--files 200] [--file-kb 256]

Runs in a worker process on a fresh scratch database (core.testing) with a temporary data dir:
- a `--size-mb` file of random bytes is written to the temporary dir, then in the same run:
    sha256sum            = `sha256sum FILE` (coreutils), wall time;
    ingest (stream)      = `records.services.evidence_file_ingest` reading the file (a desktop or
                           phone form upload): read, SHA-256 while streaming, write the spool,
                           fdatasync, rename into the store, ledger act;
    ingest (chunked)     = `upload_start` + `upload_chunk` (8 MiB chunks, fdatasync per chunk) +
                           `upload_complete` on the same bytes (the store already holds them, so
                           completion only recognises them: the per-chunk work is what is timed);
  ratio = ingest MB/s / sha256sum MB/s (target ≥ 80 %);
  peak memory = the worker's peak resident set (VmHWM) during each ingest minus before it;
- archive: a closed case with `--files` files of `--file-kb` (photos and videos, random bytes),
  `archive_build` wall time (ZIP written, every file copied and hashed, PDFs rendered, signed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _hwm_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("VmHWM:",)):
                return int(line.split()[1])
    return 0


def _reset_hwm() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def work(size_mb: int, files: int, file_kb: int, tmp: str) -> dict[str, Any]:
    """Worker: runs inside a Django process on the scratch database."""
    from django.utils import timezone

    from cases.tests.factories import case_world, new_case
    from records.services import evidence_file_ingest, upload_chunk, upload_complete, upload_start
    from records.services.archive import archive_build

    out: dict[str, Any] = {}
    world = case_world()
    case = new_case(world)
    actor = world.officer1.user
    path = Path(tmp) / "big.mp4"
    size = size_mb * 1024 * 1024
    with path.open("wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 12)
        left = size - 24
        while left > 0:
            n = min(left, 8 * 1024 * 1024)
            fh.write(os.urandom(n))
            left -= n
    # warm the page cache for both readers alike
    subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL, check=True)
    t = time.perf_counter()
    subprocess.run(["sha256sum", str(path)], capture_output=True, check=True)
    out["sha256sum_s"] = time.perf_counter() - t

    base = _rss_kb()
    _reset_hwm()
    t = time.perf_counter()
    with path.open("rb") as fh:
        evidence_file_ingest(actor=actor, case=case, fileobj=fh, filename="big.mp4", content_type="video/mp4")
    out["ingest_stream_s"] = time.perf_counter() - t
    out["ingest_stream_peak_mb"] = max(0, _hwm_kb() - base) / 1024

    chunk = 8 * 1024 * 1024
    base = _rss_kb()
    _reset_hwm()
    t = time.perf_counter()
    session = upload_start(actor=actor, case=case, filename="big2.mp4", size=size, content_type="video/mp4")
    with path.open("rb") as fh:
        offset = 0
        while offset < size:
            data = fh.read(chunk)
            upload_chunk(
                actor=actor, token=session.token, offset=offset, stream=io.BytesIO(data), length=len(data)
            )
            offset += len(data)
            del data
    upload_complete(actor=actor, token=session.token)
    out["ingest_chunked_s"] = time.perf_counter() - t
    out["ingest_chunked_peak_mb"] = max(0, _hwm_kb() - base) / 1024
    out["size_mb"] = size_mb

    case2 = new_case(world)
    kinds = [
        ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0"),
        ("clip.mp4", "video/mp4", b"\x00\x00\x00\x18ftypmp42"),
    ]
    for i in range(files):
        name, ctype, head = kinds[i % 2]
        data = head + os.urandom(file_kb * 1024 - len(head))
        evidence_file_ingest(
            actor=actor,
            case=case2,
            fileobj=io.BytesIO(data),
            filename=f"{i:03d}-{name}",
            content_type=ctype,
            action="investigate",
        )
    type(case2).objects.filter(pk=case2.pk).update(status="closed", closed_on=timezone.localdate())
    case2.refresh_from_db()
    base = _rss_kb()
    _reset_hwm()
    t = time.perf_counter()
    package = archive_build(actor=actor, case=case2)
    out["archive_s"] = time.perf_counter() - t
    out["archive_peak_mb"] = max(0, _hwm_kb() - base) / 1024
    out["archive_items"] = package.items
    out["archive_mb"] = package.stored.size / 1024 / 1024
    out["archive_files"] = files
    out["archive_file_kb"] = file_kb
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--file-kb", type=int, default=256)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from core.testing import run_workers, scratch_database

    with tempfile.TemporaryDirectory(prefix="zhifa-records-bench-") as tmp:
        with scratch_database(data_dir=tmp) as url:
            [r] = run_workers(
                url,
                "benchmarks.records_bench.work",
                [(args.size_mb, args.files, args.file_kb, tmp)],
                env={"ZHIFA_DATA_DIR": tmp, "ZHIFA_KEY_DIR": str(Path(tmp) / "keys")},
            )
    mb = r["size_mb"]
    base = mb / r["sha256sum_s"]
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"sha256sum        {mb} MB in {r['sha256sum_s']:.2f} s = {base:.0f} MB/s")
    for key, label in (("ingest_stream", "ingest (stream) "), ("ingest_chunked", "ingest (chunked)")):
        speed = mb / r[f"{key}_s"]
        print(
            f"{label} {mb} MB in {r[f'{key}_s']:.2f} s = {speed:.0f} MB/s = "
            f"{100 * speed / base:.0f}% of sha256sum; peak memory +{r[f'{key}_peak_mb']:.1f} MB"
        )
    print(
        f"archive          {r['archive_files']} files × {r['archive_file_kb']} KB → "
        f"{r['archive_items']} items, {r['archive_mb']:.1f} MB ZIP in {r['archive_s']:.2f} s; "
        f"peak memory +{r['archive_peak_mb']:.1f} MB"
    )
    print(json.dumps(r))


if __name__ == "__main__":
    main()
