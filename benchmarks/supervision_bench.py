# ruff: noqa: E501  (SQL generation reads better on one line per clause)
"""Supervision at scale (issue 9 §12): dashboard queries over 1M cases and a full assessment run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_supervision_bench \
        .venv/bin/python benchmarks/supervision_bench.py [--cases 1000000] [--repeat 10]

PostgreSQL only (the figures are for production). The database is created and migrated when
missing, and the data generated once (a second run only measures). Organisation through the org
services: a city bureau (with a supervisor) over ten county bureaus of three departments each; the
first county (the bench agency, with the head `bench-head`) holds ~70 % of the cases. The rows the
dashboard reads are generated in SQL (`INSERT … SELECT generate_series`), not through the workflow —
cases_generate.py's 23 M rows of events and ledger entries are not read by any chart, and would
take ~20 minutes: leads and cases in a realistic spread of statuses and dates (2022–2026), one lead
officer per case, payments for 60 % of the fines, 10 % of cases with a deadline (a fifth of them
overdue), and the latest automatic review of every closed case (a quarter with failed checks).

Measured, `--repeat` times after one warm-up each: every dashboard chart for the bench agency's
head and for the city's supervisor (all eleven agencies), the deadline-watch page (count + first
page), and a full assessment (`supervision.services.assessment_run`) of the bench agency's
departments and of its officers over one year. Prints p50/p95 per chart, the machine and `uptime`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zhifa_supervision_bench"
HEAD = "bench-head"
SUPERVISOR = "bench-supervisor"
PERIOD = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
# Not in the cases app's schema (its owner decides): what the period filters of the charts need.
PROPOSED_INDEXES = [
    ("bench_case_agency_registered", "cases_case", "agency_id, registered_on"),
    ("bench_case_agency_decided", "cases_case", "agency_id, decided_on"),
    ("bench_case_agency_closed", "cases_case", "agency_id, closed_on"),
    ("bench_payment_paid_on", "cases_payment", "paid_on, case_id"),
]


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("ZHIFA_DATA_DIR", tempfile.mkdtemp(prefix="zhifa-supbench-"))
    from benchmarks.cases_generate import ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def org() -> dict[str, Any]:
    """The agencies, departments and officers (org services, with their ledger acts)."""
    from org.models import User
    from org.services.agencies import agency_create, department_create
    from org.services.officers import officer_create, role_grant

    stamp = str(int(time.time()))[-6:]
    city = agency_create(actor=None, name="某市自然资源和规划局", code=f"SUP-CITY-{stamp}", level="city")
    sup = officer_create(
        actor=None, agency=city, name="督查员", username=SUPERVISOR, password="bench-pass-2026"
    )
    role_grant(actor=None, officer=sup, role="supervisor")
    officers: list[tuple[int, int, int, int]] = []  # officer id, agency id, department id, user id
    for i in range(10):
        agency = agency_create(
            actor=None, name=f"某市第{i + 1}县局", code=f"SUP-{stamp}-{i}", level="county", parent=city
        )
        depts = [
            department_create(actor=None, agency=agency, name=f"执法{k + 1}中队", kind="enforcement_brigade")
            for k in range(3)
        ]
        for j in range(24 if i == 0 else 6):
            username = HEAD if (i, j) == (0, 0) else f"sup-{stamp}-{i}-{j}"
            o = officer_create(
                actor=None,
                agency=agency,
                name=f"执法员{i}-{j}",
                username=username,
                department=depts[j % 3],
                password="bench-pass-2026" if j == 0 else None,
            )
            role_grant(
                actor=None, officer=o, role="head" if j == 0 else ("legal_reviewer" if j == 1 else "officer")
            )
            weight = 7 if i == 0 else 1  # ~70 % of the cases in the bench agency
            officers += [(o.pk, agency.pk, depts[j % 3].pk, User.objects.get(officer=o).pk)] * weight
    return {"city": city, "officers": officers}


def _fill(cursor: Any, table: str, given: dict[str, str]) -> tuple[list[str], list[str]]:
    """Columns and SQL expressions: `given`, plus a neutral value for every other NOT NULL column."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
        [table],
    )
    neutral = {"jsonb": "'{}'::jsonb", "boolean": "false", "integer": "0", "bigint": "0", "smallint": "0"}
    cols, exprs = list(given), list(given.values())
    for name, kind in cursor.fetchall():
        if name in given:
            continue
        cols.append(name)
        if kind.startswith("timestamp"):
            exprs.append("now()")
        elif kind == "date":
            exprs.append("current_date")
        else:
            exprs.append(neutral.get(kind, "''"))
    return cols, exprs


def generate(n: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    started = time.perf_counter()
    ct = ContentType.objects.get_by_natural_key("cases", "case").pk
    with transaction.atomic(), connection.cursor() as c:
        o = org()
        c.execute(
            "CREATE TEMP TABLE bench_off (idx int, officer_id bigint, agency_id bigint, dept_id bigint, user_id bigint)"
        )
        c.executemany(
            "INSERT INTO bench_off VALUES (%s, %s, %s, %s, %s)",
            [(i, *row) for i, row in enumerate(o["officers"])],
        )
        m = len(o["officers"])
        c.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case")
        base = int(c.fetchone()[0])
        # g: 1..n; h: a pseudo-random 0..999999 per case; the officer and the spread follow from it
        src = (
            f"FROM (SELECT g, (g * 7919 + 104729) % 1000003 AS h FROM generate_series(1::bigint, {n}::bigint) g) s "
            f"JOIN bench_off b ON b.idx = (s.h % {m})"
        )
        reg = "DATE '2022-01-01' + (h % 1700)::int"
        status = (
            "CASE WHEN h % 100 < 40 THEN 'archived' WHEN h % 100 < 60 THEN 'closed' WHEN h % 100 < 68 THEN 'executing' "
            "WHEN h % 100 < 74 THEN 'delivered' WHEN h % 100 < 78 THEN 'decided' WHEN h % 100 < 84 THEN 'investigating' "
            "WHEN h % 100 < 88 THEN 'notified' WHEN h % 100 < 92 THEN 'no_penalty' WHEN h % 100 < 96 THEN 'registered' "
            "ELSE 'lead' END"
        )
        decided = f"CASE WHEN h % 100 < 78 THEN {reg} + (20 + h % 100)::int END"
        cols, exprs = _fill(
            c,
            "cases_lead",
            {
                "id": f"{base} + g",
                "agency_id": "b.agency_id",
                "source": "'patrol'",
                "discovered_on": reg,
                "description": "'巡查发现占用耕地建房'",
            },
        )
        c.execute(f"INSERT INTO cases_lead ({', '.join(cols)}) SELECT {', '.join(exprs)} {src}")
        cols, exprs = _fill(
            c,
            "cases_case",
            {
                "id": f"{base} + g",
                "agency_id": "b.agency_id",
                "lead_id": f"{base} + g",
                "procedure": "'general'",
                "status": status,
                "case_number": "'监察〔' || g || '〕号'",
                "field_code": "'land'",
                "violation_code": "CASE WHEN h % 3 = 0 THEN 'land.illegal_occupation' ELSE 'land.farmland' END",
                "facts": "jsonb_build_object('area_m2', (50 + h % 2000)::text, 'land_class', 'farmland')",
                "registered_on": f"CASE WHEN h % 100 < 96 THEN {reg} END",
                "decided_on": decided,
                "decided_kinds": "CASE WHEN h % 100 < 78 THEN '[\"fine\"]'::jsonb ELSE '[]'::jsonb END",
                "decided_amount": "CASE WHEN h % 100 < 78 THEN ((50 + h % 2000) * (100 + h % 700))::numeric END",
                "delivered_on": f"CASE WHEN h % 100 < 74 THEN {reg} + (25 + h % 100)::int END",
                "closed_on": f"CASE WHEN h % 100 < 60 THEN {reg} + (60 + h % 120)::int END",
                "decision_revoked_on": f"CASE WHEN h % 1000 = 7 THEN {reg} + 200 END",
                "updated_at": "now() - interval '1 day'",
            },
        )
        c.execute(f"INSERT INTO cases_case ({', '.join(cols)}) SELECT {', '.join(exprs)} {src}")
        cols, exprs = _fill(
            c,
            "cases_caseofficer",
            {"case_id": f"{base} + g", "officer_id": "b.officer_id", "role": "'lead'", "active": "true"},
        )
        c.execute(f"INSERT INTO cases_caseofficer ({', '.join(cols)}) SELECT {', '.join(exprs)} {src}")
        cols, exprs = _fill(
            c,
            "cases_payment",
            {
                "case_id": f"{base} + g",
                "amount": "((50 + h % 2000) * (100 + h % 700))::numeric",
                "paid_on": f"{reg} + (40 + h % 100)::int",
                "receipt_number": "'R' || g",
                "channel": "'bank'",
            },
        )
        c.execute(
            f"INSERT INTO cases_payment ({', '.join(cols)}) SELECT {', '.join(exprs)} {src} WHERE h % 100 < 47"
        )
        cols, exprs = _fill(
            c,
            "core_deadline",
            {
                "agency_id": "b.agency_id",
                "subject_type_id": str(ct),
                "subject_id": f"({base} + g)::text",
                "kind": "'cases.decision'",
                "title": "'作出处罚决定 ' || g",
                "legal_basis": "'行政处罚法 Art.60'",
                "unit": "'calendar_days'",
                "amount": "90",
                "start_date": "DATE '2025-06-01'",
                "due_date": "DATE '2025-06-01' + (h % 400)::int",
                "responsible_id": "b.user_id",
                "status": "CASE WHEN h % 5 = 0 THEN 'overdue' WHEN h % 5 = 1 THEN 'due_soon' ELSE 'open' END",
                "warn_days": "3",
            },
        )
        c.execute(
            f"INSERT INTO core_deadline ({', '.join(cols)}) SELECT {', '.join(exprs)} {src} WHERE g % 10 = 0"
        )
        c.execute("SELECT COALESCE(MAX(id), 0) FROM supervision_autoreview")
        rbase = int(c.fetchone()[0])
        failed = "CASE WHEN h % 4 = 0 THEN ' delivery_in_time publication_in_time ' ELSE '' END"
        c.execute(
            "INSERT INTO supervision_autoreview (id, case_id, agency_id, department_id, officer_id, case_number, closed_on, "
            "findings, failed, ran_at) "
            f"SELECT {rbase} + g, {base} + g, b.agency_id, b.dept_id, b.officer_id, '监察〔' || g || '〕号', "
            f"{reg} + (60 + h % 120)::int, '[]'::jsonb, CASE WHEN h % 4 = 0 THEN 2 ELSE 0 END, now() {src} WHERE h % 100 < 60"
        )
        c.execute(
            "INSERT INTO supervision_casereviewstate (case_id, agency_id, department_id, officer_id, closed_on, review_id, "
            "failed, failed_codes, ran_at) "
            f"SELECT {base} + g, b.agency_id, b.dept_id, b.officer_id, {reg} + (60 + h % 120)::int, {rbase} + g, "
            f"CASE WHEN h % 4 = 0 THEN 2 ELSE 0 END, {failed}, now() {src} WHERE h % 100 < 60"
        )
        for table in (
            "cases_lead",
            "cases_case",
            "cases_caseofficer",
            "cases_payment",
            "core_deadline",
            "supervision_autoreview",
        ):
            c.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"generated {n:,} cases in {time.perf_counter() - started:.0f} s")


def timed(fn: Any, repeat: int) -> tuple[float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    runs.sort()
    p95 = runs[min(len(runs) - 1, max(0, round(0.95 * len(runs)) - 1))]
    return statistics.median(runs), p95


def measure(repeat: int) -> None:
    from django.db import connection

    from org.models import User
    from supervision import selectors, services

    period = selectors.Period(*PERIOD)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM cases_case")
        total = c.fetchone()[0]
    print(f"cases in the database: {total:,}")
    for username in (HEAD, SUPERVISOR):
        user = User.objects.get(username=username)
        scope = len(selectors.scope_ids(user))
        print(f"\n{username} ({scope} agencies):")
        print(f"  {'chart':<12} {'p50 ms':>9} {'p95 ms':>9}")
        for key, fn in selectors.CHARTS.items():
            p50, p95 = timed(lambda fn=fn, user=user: fn(user, period), repeat)
            print(f"  {key:<12} {p50:9.1f} {p95:9.1f}")

        def watch(user: Any = user) -> None:
            qs = selectors.deadline_watch(actor=user)
            qs.count()
            list(qs[:25])

        p50, p95 = timed(watch, repeat)
        print(f"  {'watch page':<12} {p50:9.1f} {p95:9.1f}")
    head = User.objects.get(username=HEAD)
    agency_id = head.officer.agency_id
    for level in ("department", "officer"):
        t = time.perf_counter()
        run = services.assessment_run(
            actor=head, agency_id=agency_id, level=level, period_start=PERIOD[0], period_end=PERIOD[1]
        )
        print(
            f"assessment run, {level}s of the bench agency, one year: {time.perf_counter() - t:.2f} s "
            f"({run.results.count()} ranked)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--proposed-indexes",
        action="store_true",
        help="obsolete: the indexes it created are in the cases app since migration cases/0011 "
        "((agency_id, registered_on), (agency_id, decided_on), (agency_id, closed_on), payment(paid_on, case_id))",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        raise SystemExit("PostgreSQL only: set DATABASE_URL=postgres://…")
    setup(url)
    from org.models import User

    if not User.objects.filter(username=HEAD).exists():
        generate(args.cases)
    if args.proposed_indexes:
        print("--proposed-indexes: nothing to do, the period indexes come with migration cases/0011")
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
    )
    print("uptime before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    measure(args.repeat)
    print("uptime after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
