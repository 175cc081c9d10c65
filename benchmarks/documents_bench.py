"""Document rendering benchmark (a script, not a test).

    .venv/bin/python benchmarks/documents_bench.py [--renders 20] [--documents 1000] [--no-libreoffice]

1. The 行政处罚决定书 sample rendered to PDF (Django template → WeasyPrint), warm: the median of
   `--renders` renders after 3 warm-up renders, per page (target ≤ 150 ms per page).
2. In the same run, LibreOffice converting the equivalent DOCX (document_render_docx, same data)
   to PDF with `soffice --headless --convert-to pdf`, warm (median of 3 after one warm-up start),
   and the ratio (target: WeasyPrint ≥ 10× faster). Without soffice the script installs Debian's
   libreoffice-writer-nogui (apt-get, needs root) and says so; --no-libreoffice skips this part.
3. `--documents` documents issued by the worker: a fresh scratch database, as many
   documents.tasks.document_issue_task enqueued on django-tasks-db, then one `zhifa db_worker
   --batch` process runs them all; wall time, documents per second and the worker's peak memory
   (max RSS).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORKER_SETTINGS = {"DJANGO_SETTINGS_MODULE": "config.settings.base", "DJANGO_SECRET_KEY": "bench-only"}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def decision_context() -> dict:
    import datetime

    from documents import services
    from documents.kinds import KINDS

    spec = KINDS["penalty_decision"]
    context = services._full_context(
        spec,
        spec.sample,
        agency=None,
        number="某自然资罚〔2026〕1号",
        on=datetime.date(2026, 3, 5),
        code=services.PREVIEW_CODE,
    )
    context["agency_name"] = "某某县自然资源局"
    return context


def bench_render(renders: int) -> tuple[float, int, bytes]:
    from pypdf import PdfReader

    from documents import services
    from documents.kinds import KINDS

    spec = KINDS["penalty_decision"]
    body = services.default_template_body("penalty_decision")
    context = decision_context()
    for _ in range(3):
        pdf = services._render_pdf(spec, body, context)
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        pdf = services._render_pdf(spec, body, context)
        times.append(time.perf_counter() - started)
    import io

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return statistics.median(times), pages, pdf


def decision_docx() -> bytes:
    from django.utils import translation

    from documents import rendering
    from documents.kinds import KINDS

    context = decision_context()
    context["verify_url"] = ""
    with translation.override("zh-hans"):
        return rendering.render_docx(spec=KINDS["penalty_decision"], context=context)


def ensure_soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    print(
        "soffice not found: installing Debian's libreoffice-writer-nogui (apt-get, a few minutes) ...",
        flush=True,
    )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        quiet = {"stdout": subprocess.DEVNULL, "env": env, "check": True}
        subprocess.run(["apt-get", "update", "-qq"], timeout=900, **quiet)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "libreoffice-writer-nogui"],
            timeout=1800,
            **quiet,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"could not install libreoffice-writer-nogui ({exc}); skipping the LibreOffice comparison")
        return None
    return shutil.which("soffice") or shutil.which("libreoffice")


def bench_libreoffice(soffice: str, docx: bytes) -> tuple[float, int]:
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="zhifa-lo-") as tmp:
        src = Path(tmp) / "decision.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)  # warm-up: profile, caches
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)
            times.append(time.perf_counter() - started)
        pages = len(PdfReader(str(Path(tmp) / "decision.pdf")).pages)
    return statistics.median(times), pages


# ---- run inside worker processes (core.testing.run_workers) ----------------------------------


def worker_setup_and_enqueue(count: int) -> dict:
    from documents.kinds import KINDS
    from documents.tasks import document_issue_task
    from org.roles import Role
    from org.tests.factories import AgencyFactory, OfficerFactory

    agency = AgencyFactory(name="临安区自然资源局", short_name="临自然资")
    user = OfficerFactory(agency=agency, roles=[Role.OFFICER]).user
    sample = dict(KINDS["penalty_decision"].sample)
    started = time.perf_counter()
    for i in range(count):
        document_issue_task.enqueue(
            actor_id=user.pk,
            kind="penalty_decision",
            context={**sample, "case_name": f"非法占用土地案{i}"},
            subject_type="cases.case",
            subject_id=str(i),
            agency_id=agency.pk,
            key=f"bench-{i}",
            on="2026-03-05",
        )
    return {"enqueued": count, "seconds": time.perf_counter() - started}


def worker_count() -> dict:
    from core.models import IssuedNumber
    from documents.models import Document

    return {"documents": Document.objects.count(), "numbers": IssuedNumber.objects.count()}


def bench_worker(count: int) -> dict:
    from core.testing import run_workers, scratch_database, worker_env

    with tempfile.TemporaryDirectory(prefix="zhifa-docbench-") as data, scratch_database(data_dir=data) as db:
        env = {"ZHIFA_DATA_DIR": data, "ZHIFA_KEY_DIR": str(Path(data) / "keys"), **WORKER_SETTINGS}
        enq = run_workers(db, "benchmarks.documents_bench.worker_setup_and_enqueue", [(count,)], env=env)[0]
        started = time.perf_counter()
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen(
                [sys.executable, str(BASE_DIR / "manage.py"), "db_worker", "--batch", "--interval", "0.1"],
                cwd=BASE_DIR,
                env=worker_env(db, **env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            _pid, status, usage = os.wait4(proc.pid, 0)  # the worker's own rusage (max RSS in KiB)
            proc.returncode = os.waitstatus_to_exitcode(status)
            seconds = time.perf_counter() - started
            if proc.returncode != 0:
                out.seek(0)
                raise RuntimeError(f"db_worker failed:\n{out.read()[-4000:].decode(errors='replace')}")
        counts = run_workers(db, "benchmarks.documents_bench.worker_count", [()], env=env)[0]
    return {**enq, **counts, "worker_seconds": seconds, "peak_rss_mib": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()
    _setup_django()

    print(f"# documents benchmark {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    median, pages, _pdf = bench_render(args.renders)
    per_page = median / pages
    print(
        f"WeasyPrint decision PDF, warm: median {median * 1000:.0f} ms for {pages} pages = "
        f"{per_page * 1000:.0f} ms per page (target ≤ 150) -> {'OK' if per_page <= 0.150 else 'OVER'}"
    )
    if not args.no_libreoffice:
        soffice = ensure_soffice()
        if soffice:
            lo, lo_pages = bench_libreoffice(soffice, decision_docx())
            ratio = lo / median
            print(
                f"LibreOffice DOCX -> PDF ({soffice}), warm: median {lo * 1000:.0f} ms for {lo_pages} pages; "
                f"WeasyPrint is {ratio:.1f}x faster (target ≥ 10x) -> {'OK' if ratio >= 10 else 'UNDER'}"
            )
    if args.documents:
        print(
            f"load average {os.getloadavg()[0]:.1f}; "
            f"issuing {args.documents} documents through the worker ...",
            flush=True,
        )
        result = bench_worker(args.documents)
        ok = result["documents"] == result["numbers"] == args.documents
        print(
            f"worker: {result['documents']} documents, {result['numbers']} numbers in "
            f"{result['worker_seconds']:.1f} s = "
            f"{result['documents'] / result['worker_seconds']:.1f} documents/s "
            f"({result['worker_seconds'] * 1000 / max(result['documents'], 1):.0f} ms each; enqueue "
            f"{result['seconds']:.1f} s); worker peak RSS {result['peak_rss_mib']:.0f} MiB -> "
            f"{'OK' if ok else 'MISSING DOCUMENTS'}"
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
