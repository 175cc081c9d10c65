"""Generate N penalty cases for the case benchmarks (a script, not a test).

    .venv/bin/python benchmarks/cases_generate.py [--cases 100000]
    DATABASE_URL=sqlite:////tmp/zhifa_cbench.sqlite3 .venv/bin/python benchmarks/cases_generate.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_cbench .venv/bin/python \
        benchmarks/cases_generate.py --cases 1000000

Without DATABASE_URL the cases go to a scratch SQLite database (core.testing) that is dropped at
the end (only the rates are printed). With DATABASE_URL the database is created if it is missing
(PostgreSQL), migrated, and kept for `benchmarks/cases_load.py`.

Organisation (through the org services, so with their ledger acts): one city bureau with ten county
bureaus; the first county bureau ("the bench agency") holds ~70 % of the cases and 20 officers, the
others 4 officers each. The user `bench` (password `bench-pass-2026`) is an officer of the bench
agency (role officer, no MFA) and handles ~1/10 of its cases.

Cases, bulk-inserted (COPY on PostgreSQL, executemany on SQLite): per case one lead, one case in a
realistic spread of statuses (40 % archived, 20 % closed, the rest along the procedure), 1–2
parties (身份证 numbers with valid checksums, or 统一社会信用代码-like codes for companies), two case
officers once registered, one case event per step of its path (create, check, register, …), and
one ledger entry per event, chained onto the existing ledger (hashes computed with
`core.services.ledger.entry_material` + `core.hashing.digest_bytes`; plain INSERTs with the
append-only triggers in place), with the ledger head moved to the last entry. Each batch of 5,000
cases is one transaction (rows, ledger head, sequences), so a killed run keeps the batches it
committed and a chain that verifies; run `ANALYZE` by hand after a kill. `--verify` runs
`ledger_verify` at the end.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_USER = "bench"
BENCH_PASSWORD = "bench-pass-2026"
BATCH = 5000

# (final status, weight, path of actions from the lead) — the spread of a county bureau's caseload.
MAIN = [
    "check",
    "register",
    "investigate",
    "report",
    "notify",
    "decide",
    "deliver",
    "execute",
    "complete_execution",
    "close",
    "archive",
]
STATUS_AFTER = {
    "create": "lead",
    "check": "preliminary_check",
    "decline": "declined",
    "register": "registered",
    "investigate": "investigating",
    "report": "investigation_reported",
    "notify": "notified",
    "decide": "decided",
    "deliver": "delivered",
    "execute": "executing",
    "complete_execution": "executed",
    "close": "closed",
    "archive": "archived",
    "decide_no_penalty": "no_penalty",
    "transfer": "transferred",
}
SPREAD: list[tuple[list[str], int]] = [
    ([], 3),
    (MAIN[:1], 3),
    (["check", "decline"], 3),
    (["check", "decline", "close"], 2),
    (MAIN[:2], 3),
    (MAIN[:3], 8),
    (MAIN[:4], 3),
    (MAIN[:5], 4),
    (MAIN[:6], 2),
    (MAIN[:7], 2),
    (MAIN[:8], 4),
    (MAIN[:9], 2),
    (["check", "register", "investigate", "report", "decide_no_penalty"], 1),
    (["check", "register", "investigate", "transfer"], 1),
    (MAIN[:10], 19),
    (MAIN, 40),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
VILLAGES = ["城关镇东风村", "石桥镇河西村", "青山乡柳树村", "白沙镇新民村", "龙泉乡大坪村", "南岗镇红星村"]
ACTS = [
    "未经批准占用耕地建房",
    "非法占用基本农田挖塘养鱼",
    "未经批准占用林地修建道路",
    "擅自改变土地用途建设厂房",
]
COMPANY = ["鑫源建材有限公司", "宏达养殖专业合作社", "兴旺砂石有限公司", "绿源农业开发有限公司"]


def id_card(rng: random.Random, born: datetime.date) -> str:
    """A fictitious 18-digit 身份证 number with a valid GB 11643 check digit."""
    body = f"{rng.choice(['420102', '430521', '510823', '360428'])}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _setup_django(url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("ZHIFA_DATA_DIR", data_dir)
    import django

    django.setup()


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist (SQLite files create themselves)."""
    from urllib.parse import urlsplit

    from core.testing import _admin_connect, is_postgres_url

    if not is_postgres_url(url):
        return
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


class Inserter:
    """Bulk inserts of plain rows: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.rows = 0
        self._defaults: dict[tuple[str, tuple[str, ...]], tuple[list[str], tuple[Any, ...]]] = {}

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return int(cursor.fetchone()[0]) + 1

    def defaults(self, table: str, columns: list[str]) -> tuple[list[str], tuple[Any, ...]]:
        """Columns of the table's model that the generator does not fill and that may not be NULL,
        with each field's default (so a field added by a later migration does not break the run)."""
        from django.apps import apps
        from django.db.models import NOT_PROVIDED

        key = (table, tuple(columns))
        if key not in self._defaults:
            model = next(m for m in apps.get_models() if m._meta.db_table == table)
            extra: list[tuple[str, Any]] = []
            for f in model._meta.concrete_fields:
                if f.column in columns or f.null or f.db_default is not NOT_PROVIDED:
                    continue
                value = f.get_db_prep_save(f.get_default(), self.connection)
                if self.pg and isinstance(value, (dict, list)):
                    value = json.dumps(value)
                elif self.pg and hasattr(value, "obj"):  # psycopg Jsonb wrapper
                    value = json.dumps(value.obj)
                extra.append((str(f.column), value))
            self._defaults[key] = ([c for c, _ in extra], tuple(v for _, v in extra))
        return self._defaults[key]

    def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        extra_columns, extra_values = self.defaults(table, columns)
        if extra_columns:
            columns = [*columns, *extra_columns]
            rows = [(*row, *extra_values) for row in rows]
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if self.pg:
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        self.rows += len(rows)

    def fix_sequences(self, tables: list[str]) -> None:
        if not self.pg:
            return
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def setup_org() -> dict[str, Any]:
    """Agencies, officers and the bench user, through the org services (acts in the ledger)."""
    from org.models import Agency, Officer, User
    from org.services.agencies import agency_create
    from org.services.officers import officer_create, role_grant

    existing = User.objects.filter(username=BENCH_USER).first()
    if existing is not None:
        raise SystemExit(f"user {BENCH_USER} already exists: this database was generated already")
    stamp = str(int(time.time()))[-6:]
    city = agency_create(actor=None, name="某市自然资源和规划局", code=f"BENCH-CITY-{stamp}", level="city")
    agencies: list[Agency] = []
    officers: dict[int, list[Officer]] = {}
    for i in range(10):
        agency = agency_create(
            actor=None,
            name=f"某市第{i + 1}县自然资源局",
            code=f"BENCH-{stamp}-{i}",
            level="county",
            parent=city,
            short_name=f"第{i + 1}县局",
        )
        agencies.append(agency)
        officers[agency.pk] = []
        for j in range(20 if i == 0 else 4):
            username = BENCH_USER if (i, j) == (0, 0) else f"bench-{stamp}-{i}-{j}"
            officer = officer_create(
                actor=None,
                agency=agency,
                name=SURNAMES[j % 20] + GIVEN[(i + j) % len(GIVEN)],
                username=username,
                password=BENCH_PASSWORD if j == 0 and i == 0 else None,
            )
            role_grant(actor=None, officer=officer, role="head" if j == 1 else "officer")
            officers[agency.pk].append(officer)
    return {"agencies": agencies, "officers": officers, "bench": officers[agencies[0].pk][0]}


def generate(n: int, *, seed: int = 4) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from core.hashing import canonical_json, default_algorithm, digest_bytes
    from core.models import LedgerHead
    from core.services.ledger import entry_material

    rng = random.Random(seed)
    started = time.perf_counter()
    org = setup_org()
    agencies, officers = org["agencies"], org["officers"]
    bench_agency = agencies[0]
    ins = Inserter()
    pg = ins.pg
    algorithm = default_algorithm()

    def dt(value: datetime.datetime) -> Any:
        return value if pg else value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")

    def d(value: datetime.date | None) -> Any:
        return value if (pg or value is None) else value.isoformat()

    tables = [
        "cases_lead",
        "cases_case",
        "cases_party",
        "cases_caseofficer",
        "cases_caseevent",
        "core_ledgerentry",
    ]
    # One transaction per batch: its rows, the ledger head and the sequences move together, so a
    # killed run keeps every committed batch with an intact chain whose head is its last entry.
    # Nothing else may append to the ledger meanwhile (the head is checked at every batch).
    head = LedgerHead.objects.get(pk=1)
    seq, prev = head.seq, head.entry_hash
    ids = {t: ins.next_id(t) for t in tables}
    paths, weights = zip(*SPREAD, strict=True)
    numbers: dict[int, int] = {}
    now = timezone.now()
    today = timezone.localdate()
    setup_seconds = time.perf_counter() - started
    t0 = time.perf_counter()
    for start in range(0, n, BATCH):
        with transaction.atomic():
            head = LedgerHead.objects.select_for_update().get(pk=1)
            if (head.seq, head.entry_hash) != (seq, prev):
                raise SystemExit(f"the ledger head moved under the generator (seq {head.seq} != {seq})")
            leads, cases, parties, cos, events, ledger = [], [], [], [], [], []
            for _ in range(min(BATCH, n - start)):
                agency = bench_agency if rng.random() < 0.7 else rng.choice(agencies[1:])
                pool = officers[agency.pk]
                lead_id, case_id = ids["cases_lead"], ids["cases_case"]
                ids["cases_lead"] += 1
                ids["cases_case"] += 1
                path = rng.choices(paths, weights)[0]
                discovered = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randint(0, 1780))
                created = datetime.datetime.combine(discovered, datetime.time(9), datetime.UTC) + (
                    datetime.timedelta(seconds=rng.randint(0, 30000))
                )
                village, act = rng.choice(VILLAGES), rng.choice(ACTS)
                company = rng.random() < 0.3
                name = (
                    rng.choice(COMPANY)
                    if company
                    else rng.choice(SURNAMES) + rng.choice(GIVEN) * rng.randint(1, 2)
                )
                area = round(rng.uniform(30, 8000), 1)
                handlers = (
                    rng.sample(pool[:1] * 2 + pool, 2) if agency is bench_agency else rng.sample(pool, 2)
                )
                if handlers[0] == handlers[1]:
                    handlers = [handlers[0], next(o for o in pool if o != handlers[0])]
                leads.append(
                    (
                        lead_id,
                        agency.pk,
                        rng.choice(["patrol", "complaint", "report", "satellite"]),
                        d(discovered),
                        f"{village}{name}{act}，面积约{area}平方米",
                        f"{village}",
                        "",
                        handlers[0].user_id,
                        dt(created),
                        dt(created),
                    )
                )
                registered = "register" in path
                case_number = ""
                registered_on = None
                if registered:
                    numbers[agency.pk] = numbers.get(agency.pk, 0) + 1
                    case_number = f"{agency.short_name}罚〔{discovered.year}〕{numbers[agency.pk]}号"
                    registered_on = discovered + datetime.timedelta(days=rng.randint(1, 10))
                status = STATUS_AFTER[path[-1]] if path else "lead"
                facts = {
                    "area_m2": area,
                    "area_mu": round(area / 666.67, 2),
                    "land_class": "耕地",
                    "village": village,
                }
                decided = "decide" in path
                amount = round(area * rng.choice([10, 20, 30]), 2) if decided else None
                # within the 90 days after 立案 (行政处罚法 Art.60), for the annual report's year
                decided_on = None
                if decided and registered_on:
                    decided_on = min(registered_on + datetime.timedelta(days=rng.randint(20, 85)), today)
                cases.append(
                    (
                        case_id,
                        agency.pk,
                        lead_id,
                        "general",
                        status,
                        case_number,
                        f"{name}{act}案",
                        "land",
                        "",
                        d(discovered - datetime.timedelta(days=rng.randint(0, 200))),
                        None,
                        json.dumps(facts, ensure_ascii=False),
                        d(registered_on),
                        "penalty" if "report" in path else "",
                        json.dumps(["fine"] if "report" in path else []),
                        amount,
                        "[]",
                        None,
                        None,
                        "{}",
                        None,
                        None,
                        None,
                        None,
                        "{}",
                        json.dumps(["fine"] if decided else []),
                        amount,
                        "",
                        d(decided_on),
                        None,
                        "",
                        "{}",
                        "{}",
                        "{}",
                        None,
                        1 + len(path),
                        dt(created),
                        dt(created + datetime.timedelta(days=len(path) * 7)),
                    )
                )
                for k in range(1 if rng.random() < 0.7 else 2):
                    pid = ids["cases_party"]
                    ids["cases_party"] += 1
                    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 18000))
                    legal = company and k == 0
                    parties.append(
                        (
                            pid,
                            case_id,
                            "legal" if legal else "natural",
                            name if k == 0 else rng.choice(SURNAMES) + rng.choice(GIVEN),
                            ("91" + f"{rng.randint(0, 10**16):016d}") if legal else id_card(rng, born),
                            village,
                            "",
                            "",
                            "",
                            dt(created),
                            dt(created),
                        )
                    )
                if registered:
                    for role, officer in zip(("lead", "assistant"), handlers, strict=True):
                        cos.append(
                            (
                                ids["cases_caseofficer"],
                                case_id,
                                officer.pk,
                                role,
                                True,
                                dt(created),
                                dt(created),
                            )
                        )
                        ids["cases_caseofficer"] += 1
                at = created
                from_status = ""
                for k, action in enumerate(["create", *path], 1):
                    to_status = STATUS_AFTER[action]
                    actor = (
                        handlers[1].user_id
                        if action in ("register", "decline", "decide")
                        else handlers[0].user_id
                    )
                    payload = {"action": action, "from": from_status, "to": to_status}
                    events.append(
                        (
                            ids["cases_caseevent"],
                            case_id,
                            k,
                            action,
                            from_status,
                            to_status,
                            actor,
                            json.dumps(payload),
                            dt(at),
                        )
                    )
                    ids["cases_caseevent"] += 1
                    recorded = min(at, now)
                    seq += 1
                    text = canonical_json({**payload, "case_id": case_id})
                    label = f"u{actor}"
                    material = entry_material(
                        seq=seq,
                        prev_hash=prev,
                        algorithm=algorithm,
                        recorded_at=recorded.isoformat(),
                        actor_id=actor,
                        actor_label=label,
                        agency_id=agency.pk,
                        act=f"case.{action}",
                        object_type="cases.case",
                        object_id=str(case_id),
                        payload=text,
                        file_digest="",
                    )
                    entry = digest_bytes(material, algorithm)
                    ledger.append(
                        (
                            ids["core_ledgerentry"],
                            seq,
                            prev,
                            entry,
                            algorithm,
                            dt(recorded),
                            actor,
                            label,
                            agency.pk,
                            f"case.{action}",
                            "cases.case",
                            str(case_id),
                            text,
                            "",
                        )
                    )
                    ids["core_ledgerentry"] += 1
                    prev = entry
                    from_status = to_status
                    at += datetime.timedelta(days=rng.randint(1, 12), seconds=rng.randint(0, 20000))
            ins.insert(
                "cases_lead",
                [
                    "id",
                    "agency_id",
                    "source",
                    "discovered_on",
                    "description",
                    "location",
                    "reported_by",
                    "recorded_by_id",
                    "created_at",
                    "updated_at",
                ],
                leads,
            )
            ins.insert(
                "cases_case",
                [
                    "id",
                    "agency_id",
                    "lead_id",
                    "procedure",
                    "status",
                    "case_number",
                    "title",
                    "field_code",
                    "violation_code",
                    "act_started_on",
                    "act_ended_on",
                    "facts",
                    "registered_on",
                    "proposed_outcome",
                    "proposed_kinds",
                    "proposed_amount",
                    "notified_kinds",
                    "notified_amount",
                    "notice_delivered_on",
                    "statement",
                    "hearing_requested_on",
                    "hearing_date",
                    "hearing_notice_on",
                    "hearing_chair_id",
                    "hearing_record",
                    "decided_kinds",
                    "decided_amount",
                    "decision_number",
                    "decided_on",
                    "delivered_on",
                    "delivery_method",
                    "execution",
                    "crime_transfer",
                    "transfer",
                    "closed_on",
                    "version",
                    "created_at",
                    "updated_at",
                ],
                cases,
            )
            ins.insert(
                "cases_party",
                [
                    "id",
                    "case_id",
                    "party_type",
                    "name",
                    "id_number",
                    "address",
                    "phone",
                    "representative",
                    "id_warning",
                    "created_at",
                    "updated_at",
                ],
                parties,
            )
            ins.insert(
                "cases_caseofficer",
                ["id", "case_id", "officer_id", "role", "active", "created_at", "updated_at"],
                cos,
            )
            ins.insert(
                "cases_caseevent",
                ["id", "case_id", "seq", "action", "from_status", "to_status", "actor_id", "payload", "at"],
                events,
            )
            ins.insert(
                "core_ledgerentry",
                [
                    "id",
                    "seq",
                    "prev_hash",
                    "entry_hash",
                    "algorithm",
                    "recorded_at",
                    "actor_id",
                    "actor_label",
                    "agency_id",
                    "act",
                    "object_type",
                    "object_id",
                    "payload",
                    "file_digest",
                ],
                ledger,
            )
            LedgerHead.objects.filter(pk=1).update(seq=seq, entry_hash=prev)
            ins.fix_sequences(tables)
        done = start + len(cases)
        if done % 50000 == 0 or done == n:
            el = time.perf_counter() - t0
            print(
                f"  {done:,} cases, {ins.rows:,} rows in {el:.1f} s ({ins.rows / el:,.0f} rows/s)",
                flush=True,
            )
    insert_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "cases": n,
        "rows": ins.rows,
        "setup_seconds": setup_seconds,
        "insert_seconds": insert_seconds,
        "rows_per_second": ins.rows / insert_seconds,
        "analyze_seconds": time.perf_counter() - t1,
        "bench_agency": bench_agency.pk,
        "bench_user": BENCH_USER,
        "vendor": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--verify", action="store_true", help="run ledger_verify at the end")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="zhifa-cgen-") as tmp:
        if url:
            ensure_database(url)
            _setup_django(url, tmp)
            from django.core.management import call_command

            call_command("migrate", "--noinput", verbosity=0)
            run(args)
        else:
            from core.testing import scratch_database

            with scratch_database() as scratch:
                _setup_django(scratch, tmp)
                run(args)


def run(args: argparse.Namespace) -> None:
    print(f"# cases generator {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average {os.getloadavg()[0]:.1f}")
    result = generate(args.cases)
    print(
        f"{result['vendor']}: {result['cases']:,} cases, {result['rows']:,} rows in "
        f"{result['insert_seconds']:.1f} s"
        f" = {result['rows_per_second']:,.0f} rows/s (org set-up {result['setup_seconds']:.1f} s, "
        f"ANALYZE {result['analyze_seconds']:.1f} s)"
    )
    if args.verify:
        from core.services.ledger import ledger_verify

        report = ledger_verify(files=False)
        print(
            f"ledger_verify: ok={report.ok} entries={report.entries} in {report.seconds:.1f} s "
            f"{report.failure or ''}"
        )
        if not report.ok:
            raise SystemExit(1)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
