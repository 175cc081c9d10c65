"""Clock benchmarks (a script, not a test): working-day arithmetic and the deadline scan.

    .venv/bin/python benchmarks/clock_bench.py [--deadlines 1000000] [--additions 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/clock_bench.py

Runs on a fresh scratch database (core.testing.scratch_database) of the engine DATABASE_URL names
(SQLite file by default), migrated in a subprocess; this process then sets Django up on it.

- arithmetic: `--additions` calls of `CalendarSnapshot.add_workdays(start, n)` with random starts
  in 2004–2030 and n in 0–60 (the snapshot is what services use; one per request/scan), plus
  10,000 calls of the module-level `add_workdays` that checks the calendar version in the DB
  every call, for the per-call overhead.
- scan: `--deadlines` rows bulk-inserted (raw executemany), spread as a bureau's history looks:
  60% satisfied, 5% cancelled, 3% paused, 32% running with due dates from today-10 to today+150
  days; warn_days 2, 3 or 5; 200 officers in 10 agencies, 2 heads per agency receive alerts with
  the responsible officer. Mail goes to a real SMTP sink (aiosmtpd) on loopback.
  Timed: the first scan (backlog: every overdue/due-soon deadline raises alerts and mail), a
  second scan the same day (nothing new), and a scan the next working day (steady state).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HEADS: dict[int, list[object]] = {}


def recipients(*, agency_id: int, responsible: object) -> list[object]:
    return ([responsible] if responsible is not None else []) + HEADS.get(agency_id, [])


def bench_arithmetic(additions: int) -> None:
    import datetime as dt

    from core.services import calendar as cal

    snap = cal.calendar_snapshot()
    rng = random.Random(1)
    first = dt.date(2004, 1, 1).toordinal()
    last = dt.date(2030, 10, 31).toordinal()
    starts = [dt.date.fromordinal(rng.randint(first, last)) for _ in range(additions)]
    ns = [rng.randint(0, 60) for _ in range(additions)]
    add = snap.add_workdays
    t0 = time.perf_counter()
    for s, n in zip(starts, ns, strict=True):
        add(s, n)
    t = time.perf_counter() - t0
    print(f"arithmetic: {additions:,} add_workdays on a snapshot in {t:.2f} s = {additions / t:,.0f}/s")
    k = 10_000
    t0 = time.perf_counter()
    for s, n in zip(starts[:k], ns[:k], strict=True):
        cal.add_workdays(s, n)
    t = time.perf_counter() - t0
    print(f"arithmetic: {k:,} module-level add_workdays (version check per call) in {t:.2f} s "
          f"= {k / t:,.0f}/s")
    t0 = time.perf_counter()
    for s, n in zip(starts[:k], ns[:k], strict=True):
        snap.workdays_between(s, add(s, n).date)
    print(f"arithmetic: {k:,} add+between round trips in {time.perf_counter() - t0:.3f} s")


def fill(deadlines: int, today: object) -> None:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from core.models import Deadline

    assert isinstance(today, dt.date)
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", email=f"bench{i}@example.cn") for i in range(200)]
    )
    users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    for a in range(10):
        HEADS[a + 1] = users[a * 20:a * 20 + 2]
    ct = ContentType.objects.get_for_model(User).pk
    rng = random.Random(2)
    now = timezone.now()
    table = Deadline._meta.db_table
    cols = ("created_at", "updated_at", "agency_id", "subject_type_id", "subject_id", "kind", "title",
            "legal_basis", "unit", "amount", "start_date", "due_date", "provisional", "warn_days",
            "responsible_id", "status", "satisfied_by", "satisfied_at", "alert_level")
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    titles = ["作出行政处罚决定", "送达行政处罚决定书", "立案审批", "听证告知期满", "法制审核"]
    batch: list[tuple[object, ...]] = []
    t0 = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cur:
            for i in range(deadlines):
                agency = rng.randint(1, 10)
                officer = users[(agency - 1) * 20 + rng.randint(2, 19)]
                r = rng.random()
                if r < 0.60:
                    status, due = "satisfied", today - dt.timedelta(days=rng.randint(1, 700))
                elif r < 0.65:
                    status, due = "cancelled", today - dt.timedelta(days=rng.randint(1, 700))
                elif r < 0.68:
                    status, due = "paused", today + dt.timedelta(days=rng.randint(-30, 120))
                else:
                    status, due = "open", today + dt.timedelta(days=rng.randint(-10, 150))
                start = due - dt.timedelta(days=rng.choice([7, 14, 30, 60, 90]))
                basis = "《行政处罚法》第六十条"
                batch.append((now, now, agency, ct, str(i), "bench", rng.choice(titles), basis,
                              "workdays", 5, start, due, due.year >= 2027, rng.choice([2, 3, 5]),
                              officer.pk, status, "", now if status == "satisfied" else None, ""))
                if len(batch) >= 20_000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
    print(f"scan: inserted {deadlines:,} deadlines in {time.perf_counter() - t0:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {qn(table)}")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def bench_scan(deadlines: int) -> None:
    from aiosmtpd.controller import Controller
    from django.test import override_settings
    from django.utils import timezone

    from core.models import Alert, Deadline
    from core.services import calendar as cal
    from core.services.clock import deadlines_scan

    class Sink:
        count = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            Sink.count += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    today = timezone.localdate()
    fill(deadlines, today)
    mailers = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                           "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30}}}
    try:
        with override_settings(MAILERS=mailers, ZHIFA_ALERT_RECIPIENTS="__main__.recipients"):
            snap = cal.calendar_snapshot()
            runs = [("first scan (backlog)", today), ("second scan, same day", today),
                    ("next working day", snap.add_workdays(today, 1).date)]
            for label, day in runs:
                mails_before = Sink.count
                t0 = time.perf_counter()
                r = deadlines_scan(today=day)
                t = time.perf_counter() - t0
                print(f"scan: {label} over {deadlines:,} deadlines: {t:.2f} s "
                      f"(overdue {r.overdue:,}, due soon {r.due_soon:,}, reopened {r.reopened:,}, "
                      f"alerts {r.alerts:,}, mails {Sink.count - mails_before})")
        print(f"scan: totals — alerts {Alert.objects.count():,}, "
              f"overdue {Deadline.objects.filter(status='overdue').count():,}")
    finally:
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--additions", type=int, default=1_000_000)
    args = parser.parse_args()
    from core.testing import scratch_database

    with scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        import django

        django.setup()
        from django.db import connection

        print(f"clock bench — {time.strftime('%Y-%m-%d %H:%M')} — {platform.node()} "
              f"{platform.processor() or platform.machine()} {os.cpu_count()} CPUs — Python "
              f"{platform.python_version()} — {connection.vendor}")
        bench_arithmetic(args.additions)
        bench_scan(args.deadlines)
        connection.close()


if __name__ == "__main__":
    main()
