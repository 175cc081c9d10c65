"""Benchmark: ingest a generated file of SIZE through the chunked upload services (default 2 GB).

    zhifa records_bench_ingest --case 12 --size 2G [--chunk 8M]

Generates pseudo-random bytes chunk by chunk (never the whole file in memory), sends them through
`upload_start` / `upload_chunk` / `upload_complete` as the system actor, then runs `sha256sum` on
the stored file in the same run and reports the ingest speed as a ratio to it, and the process's
peak resident memory. The evidence file it creates stays on the case (nothing is ever deleted):
run it against a scratch database and store.
"""

from __future__ import annotations

import hashlib
import random
import resource
import shutil
import subprocess
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.selectors import case_get
from core.services.files import evidence_storage
from records.services import upload_chunk, upload_complete, upload_start


def parse_size(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper()
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


class _Wire:
    def __init__(self, rnd: random.Random, length: int, hasher: Any, first: bool) -> None:
        self.rnd, self.left, self.hasher, self.first = rnd, length, hasher, first

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        if n <= 0:
            return b""
        block = self.rnd.randbytes(n)
        if self.first:
            block = (b"\x00\x00\x00\x18ftypmp42" + block[12:])[:n]
            self.first = False
        self.left -= n
        self.hasher.update(block)
        return block


class Command(BaseCommand):
    help = "Ingest a generated file through the chunked upload and compare with sha256sum."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--case", type=int, required=True)
        parser.add_argument("--size", default="2G")
        parser.add_argument("--chunk", default="8M")

    def handle(self, *args: Any, **opts: Any) -> None:
        case = case_get(case_id=opts["case"], actor=None)
        size, chunk = parse_size(opts["size"]), parse_size(opts["chunk"])
        rnd, expected = random.Random(time.time_ns()), hashlib.sha256()
        session = upload_start(
            actor=None, case=case, filename="bench.mp4", size=size, content_type="video/mp4"
        )
        started = time.perf_counter()
        offset = 0
        generated = 0.0
        while offset < size:
            n = min(chunk, size - offset)
            wire = _Wire(rnd, n, expected, offset == 0)
            upload_chunk(actor=None, token=session.token, offset=offset, stream=wire, length=n)
            offset += n
        result = upload_complete(actor=None, token=session.token)
        elapsed = time.perf_counter() - started
        if result.file.stored.digest != expected.hexdigest():
            raise CommandError("digest mismatch")
        # time spent generating the random bytes is part of `elapsed`; measure it alone to subtract
        t0 = time.perf_counter()
        probe = random.Random(1)
        for _ in range(0, size, chunk):
            probe.randbytes(min(chunk, size))
        generated = time.perf_counter() - t0
        ingest = max(elapsed - generated, 1e-9)
        storage = evidence_storage()
        path = storage.path(result.file.stored.storage_name)
        tool = shutil.which("sha256sum")
        ratio_text = "n/a"
        if tool:
            t0 = time.perf_counter()
            subprocess.run([tool, path], check=True, capture_output=True)
            ref = time.perf_counter() - t0
            ratio_text = f"{ref / ingest:.0%}"
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"size {size} bytes, chunk {chunk}: ingest {size / ingest / 1e6:.0f} MB/s "
            f"({ingest:.2f} s without generation {generated:.2f} s); speed vs sha256sum {ratio_text}; "
            f"peak RSS {peak_mb:.0f} MB; digest {result.file.stored.digest}"
        )
