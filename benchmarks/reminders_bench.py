"""Reminder benchmarks (a script, not a test): the reminder scan over 1M deadlines, and the send rate
through the SMTP path.

    .venv/bin/python benchmarks/reminders_bench.py [--deadlines 1000000] [--send 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/reminders_bench.py

Runs on a fresh scratch database (core.testing.scratch_database) of the engine DATABASE_URL names
(SQLite file by default), migrated in a subprocess; this process then sets Django up on it.

- data: `--deadlines` rows bulk-inserted as a county bureau's clock looks after some years: 60%
  satisfied, 5% cancelled, 35% running; of the running, licence expiries (due over the next 5
  years), temporary-land returns (next 2 years), fine payments (next 60 days), rectifications (next
  90 days) and other time limits of the penalty procedure (no reminder rule) — the seeded rules
  (90/30/7 days before expiry, the renewal window, …) apply.
- scan: timed the first scan (every deadline in a window gets its reminder), a second scan the same
  day (nothing new: the unique constraint), and the scan of the next day (steady state).
- send: `--send` queued reminders attempted through the real SMTP path (aiosmtpd sink on loopback):
  contact resolution, the text, one SMTP message each on a kept connection, the delivery record and
  one ledger act per reminder, each in its own transaction. Messages per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def contact(subject_id: object) -> dict[str, str]:
    return {
        "name": f"持证人{subject_id}",
        "email": f"holder{subject_id}@example.cn",
        "number": f"XK-{subject_id}",
    }


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "uptime unavailable"


def fill(deadlines: int, today: dt.date) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from core.models import Deadline

    ct = ContentType.objects.get(app_label="org", model="officer").pk
    rng = random.Random(2)
    now = timezone.now()
    table = Deadline._meta.db_table
    cols = (
        "created_at",
        "updated_at",
        "agency_id",
        "subject_type_id",
        "subject_id",
        "kind",
        "title",
        "legal_basis",
        "unit",
        "amount",
        "start_date",
        "due_date",
        "provisional",
        "warn_days",
        "responsible_id",
        "status",
        "satisfied_by",
        "satisfied_at",
        "alert_level",
    )
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    )
    running = [
        ("licence.expiry", "许可证有效期届满", 5 * 365, 0.40),
        ("licence.temporary_land_return", "临时用地交还", 2 * 365, 0.05),
        ("cases.payment", "缴纳罚没款", 60, 0.10),
        ("cases.correction", "责令改正期限", 90, 0.05),
        ("cases.decision", "作出行政处罚决定", 120, 0.40),
    ]
    batch: list[tuple[object, ...]] = []
    t0 = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cur:
            for i in range(deadlines):
                r = rng.random()
                if r < 0.65:
                    kind, title = rng.choice(running)[:2]  # type: ignore[assignment]
                    status = "satisfied" if r < 0.60 else "cancelled"
                    due = today - dt.timedelta(days=rng.randint(1, 1500))
                else:
                    x, acc, pick = rng.random(), 0.0, running[-1]
                    for row in running:
                        acc += row[3]
                        if x < acc:
                            pick = row
                            break
                    kind, title, horizon = pick[:3]
                    status, due = "open", today + dt.timedelta(days=rng.randint(-5, horizon))
                    if due < today:
                        status = "overdue"
                batch.append(
                    (
                        now,
                        now,
                        rng.randint(1, 10),
                        ct,
                        str(i),
                        kind,
                        title,
                        "",
                        "calendar_days",
                        1,
                        due - dt.timedelta(days=30),
                        due,
                        False,
                        2,
                        None,
                        status,
                        "",
                        now if status == "satisfied" else None,
                        "",
                    )
                )
                if len(batch) >= 20_000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
    print(f"data: inserted {deadlines:,} deadlines in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {qn(table)}" if connection.vendor == "postgresql" else "ANALYZE")


def bench(deadlines: int, send: int) -> None:
    from django.test import override_settings
    from django.utils import timezone

    from reminders import contacts, services
    from reminders.models import Reminder
    from reminders.testing import SmtpSink

    contacts.RESOLVERS["org.officer"] = "__main__.contact"
    today = timezone.localdate()
    fill(deadlines, today)
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    print(f"load before the scans: {uptime()}")
    for label, day in [
        ("first scan", today),
        ("second scan, same day", today),
        ("next day", today + dt.timedelta(days=1)),
    ]:
        t0 = time.perf_counter()
        result = services.reminders_scan(today=day, now=noon)
        print(
            f"scan: {label} over {deadlines:,} deadlines: {time.perf_counter() - t0:.2f} s "
            f"({result.created:,} reminders created)"
        )
    print(f"scan: {Reminder.objects.count():,} reminders in all")

    sink = SmtpSink().start()
    try:
        with override_settings(MAILERS=sink.mailers(), ZHIFA_SMS_GATEWAY_URL=""):
            from django.urls import reverse

            reverse("reminders_public:lookup")  # load the URL conf outside the timing
            print(f"load before the send: {uptime()}")
            t0 = time.perf_counter()
            result = services.reminders_send(now=noon, limit=send)
            t = time.perf_counter() - t0
    finally:
        sink.stop()
    print(
        f"send: {result.sent:,} reminders by e-mail through SMTP in {t:.2f} s = {result.sent / t:,.1f}/s "
        f"(sink received {len(sink.messages):,}; tasks {result.tasks}, retried {result.retried})"
    )
    print(f"load after: {uptime()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--send", type=int, default=2000)
    args = parser.parse_args()
    from core.testing import scratch_database

    with scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        import django

        django.setup()
        from django.db import connection

        print(
            f"reminders bench — {time.strftime('%Y-%m-%d %H:%M')} — {platform.node()} "
            f"{platform.processor() or platform.machine()} {os.cpu_count()} CPUs — Python "
            f"{platform.python_version()} — {connection.vendor}"
        )
        bench(args.deadlines, args.send)
        connection.close()


if __name__ == "__main__":
    main()
