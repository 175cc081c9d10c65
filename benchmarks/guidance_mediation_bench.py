# ruff: noqa: E501  (SQL statements are kept on readable lines)
"""Guidance and mediation at scale (issue 8 §3, §5, §6): the head's overdue inquiries, the mediation
list and outcome statistics, and the public typical-case search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_guidance_bench \
        .venv/bin/python benchmarks/guidance_mediation_bench.py [--rows 1000000] [--repeat 10]

PostgreSQL only. The database is created and migrated when missing and the data generated once (a
second run only measures). Organisation through the org services (one county bureau, its head);
the rows are generated in SQL (`INSERT … SELECT generate_series`): `--rows` inquiries, each with its
reply deadline (3 % overdue and unanswered, the rest answered), `--rows` mediations over 2022–2026
in a realistic spread of kinds and outcomes, and `--rows // 10` typical cases (half published).

Measured, `--repeat` times after one warm-up: the overdue list (count + first page of 20), the
mediation list (count + first page, all and filtered by status), the outcome statistics (all, and
one year), the portal's library search (count + first page). Prints p50/p95, the machine and uptime.
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zhifa_guidance_bench"
HEAD = "guidance-bench-head"


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("ZHIFA_DATA_DIR", tempfile.mkdtemp(prefix="zhifa-guidbench-"))
    from benchmarks.cases_generate import ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(rows: int) -> Any:
    """The bench agency and its head (org services) and the rows (SQL); returns the head's user."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from guidance.models import Inquiry
    from org.models import User
    from org.services.agencies import agency_create
    from org.services.officers import officer_create, role_grant

    existing = User.objects.filter(username=HEAD).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    stamp = str(int(time.time()))[-6:]
    agency = agency_create(actor=None, name="某县自然资源局（基准）", code=f"GB-{stamp}", level="county")
    head = officer_create(actor=None, agency=agency, name="局长", username=HEAD, password="bench-pass-2026")
    role_grant(actor=None, officer=head, role="head")
    role_grant(actor=None, officer=head, role="officer")
    ct = ContentType.objects.get_for_model(Inquiry).pk
    a, o, today = agency.pk, head.pk, datetime.date.today()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO guidance_inquiry (created_at, updated_at, agency_id, tracking_code, channel, asker_name,
                asker_phone, asker_email, question, received_on, status, first_contact_id, owner_id, reply, replied_at)
            SELECT now(), now(), %s, 'B' || lpad(g::text, 11, '0'), (ARRAY['phone','window','online'])[1 + g %% 3],
                '咨询人' || g, '139' || lpad((g %% 100000000)::text, 8, '0'), '', '宅基地审批需要哪些材料？',
                %s::date - (g %% 1500), CASE WHEN g %% 100 < 3 THEN 'open' ELSE 'replied' END, %s, %s,
                CASE WHEN g %% 100 < 3 THEN '' ELSE '已答复' END, CASE WHEN g %% 100 < 3 THEN NULL ELSE now() END
            FROM generate_series(1, %s) g
            """,
            [a, today, o, o, rows],
        )
        cur.execute(
            """
            INSERT INTO core_deadline (created_at, updated_at, agency_id, subject_type_id, subject_id, kind, title,
                legal_basis, unit, amount, start_date, due_date, provisional, warn_days, status, satisfied_by,
                alert_level)
            SELECT now(), now(), %s, %s, i.id::text, 'guidance.inquiry_reply', '咨询答复期限', '[U]', 'workdays', 5,
                i.received_on, i.received_on + 7, false, 2,
                CASE WHEN i.status = 'replied' THEN 'satisfied' ELSE 'overdue' END,
                CASE WHEN i.status = 'replied' THEN 'inquiry.reply' ELSE '' END, ''
            FROM guidance_inquiry i WHERE i.agency_id = %s
            """,
            [a, ct, a],
        )
        cur.execute(
            """
            INSERT INTO mediation_mediation (created_at, updated_at, agency_id, number, tracking_code, kind, channel,
                summary, request, location, duplicate_key, received_on, status, refusal_reason, agreement_terms,
                performance, document_number, failure_reason, routes, withdrawal_reason)
            SELECT now(), now(), %s, '基准调〔' || (2022 + g %% 5) || '〕' || g || '号', 'M' || lpad(g::text, 11, '0'),
                (ARRAY['land_ownership','land_use','mining','water'])[1 + g %% 4],
                (ARRAY['window','phone','online'])[1 + g %% 3], '双方对土地使用权有争议。', '', '某镇', md5(g::text),
                %s::date - (g %% 1500),
                (ARRAY['agreed','agreed','agreed','failed','failed','refused','withdrawn','mediating','accepted',
                       'applied'])[1 + g %% 10],
                '', '', '', '', '', '', ''
            FROM generate_series(1, %s) g
            """,
            [a, today, rows],
        )
        cur.execute(
            """
            INSERT INTO guidance_typicalcase (created_at, updated_at, agency_id, category, field, method, title, summary,
                body, lessons, masked_items, status, author_id, review_note, published_on, version)
            SELECT now(), now(), %s, (ARRAY['case','method'])[1 + g %% 2],
                (ARRAY['land','mineral','planning','geology','other'])[1 + g %% 5],
                (ARRAY['remind','prompt','demonstrate','interview','advise'])[1 + g %% 5],
                '典型案例' || g || (CASE WHEN g %% 50 = 0 THEN '约谈整改' ELSE '提示延续' END),
                '摘要' || g, '某企业未经批准占用集体土地堆放建材，执法人员' ||
                (CASE WHEN g %% 50 = 0 THEN '约谈' ELSE '提示' END) || '后企业自行整改。', '', 0,
                CASE WHEN g %% 2 = 0 THEN 'published' ELSE 'draft' END, %s, '',
                CASE WHEN g %% 2 = 0 THEN %s::date - (g %% 1500) END, 1
            FROM generate_series(1, %s) g
            """,
            [a, head.user_id, today, max(rows // 10, 1)],
        )
        cur.execute(
            "ANALYZE guidance_inquiry; ANALYZE core_deadline; ANALYZE mediation_mediation; ANALYZE guidance_typicalcase"
        )
    print(
        f"generated {rows:,} inquiries + deadlines, {rows:,} mediations, {rows // 10:,} typical cases "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return head.user


def measure(label: str, fn: Any, repeat: int) -> None:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"  {label:<52} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    user = generate(args.rows)

    from django.core.paginator import Paginator

    from guidance import selectors as guidance_selectors
    from mediation import selectors as mediation_selectors

    def page(qs: Any) -> None:
        p = Paginator(qs, 20).get_page(1)
        list(p.object_list)
        _ = p.paginator.count

    year = datetime.date.today().year
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs; "
        f"load before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
    )
    measure(
        "overdue inquiries (count + first page)",
        lambda: page(guidance_selectors.overdue_inquiries(actor=user)),
        args.repeat,
    )
    measure(
        "mediation list (count + first page)",
        lambda: page(mediation_selectors.visible_mediations(user).order_by("-received_on", "-pk")),
        args.repeat,
    )
    measure(
        "mediation list, status mediating",
        lambda: page(
            mediation_selectors.visible_mediations(user)
            .filter(status="mediating")
            .order_by("-received_on", "-pk")
        ),
        args.repeat,
    )
    measure(
        "mediation statistics (all years)",
        lambda: mediation_selectors.mediation_statistics(actor=user),
        args.repeat,
    )
    measure(
        f"mediation statistics ({year})",
        lambda: mediation_selectors.mediation_statistics(
            actor=user, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
        ),
        args.repeat,
    )
    measure(
        "portal library search q=约谈 (count + first page)",
        lambda: page(guidance_selectors.published_typical_cases(q="约谈")),
        args.repeat,
    )
    print(f"load after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
