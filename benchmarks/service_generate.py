"""Generate N licences with their expiry deadlines, and time the service app's reads and periodic job
over them (a script, not a test).

    .venv/bin/python benchmarks/service_generate.py [--licences 1000000]
    .venv/bin/python benchmarks/service_generate.py --keep sqlite:////tmp/zhifa_licences.sqlite3
    .venv/bin/python benchmarks/service_generate.py --keep postgres://postgres@127.0.0.1:5432/zhifa_licences

Without --keep the licences go to a scratch database of the engine DATABASE_URL names (SQLite by
default, core.testing.scratch_database), dropped at the end. With --keep URL that database is
migrated and kept (e.g. for the reminders scan benchmark: every licence has its `licence.expiry`
Deadline, calendar days, subject = the licence, as `service.services.application_issue` starts it).

Data: one county bureau; licences of the six seeded kinds, issued over the last five years, valid
for one to ten years (so ~85 % still valid, expiring over the next years; ~2 % temporary land with
a `licence.temporary_land_return` deadline), holders with contact details (≈30 % without e-mail,
≈5 % without phone). Rows are bulk-inserted in batches of 10,000 (no ledger acts: a generator, not
the services); 300 licences expire yesterday, 100 of them with a renewal application in time.

Timed: insert rate; `licences_expiry_run` (the daily job: 100 renewed by law, 200 expired, each a
ledger act) and its second run (idempotent: nothing to do); `licence_contact` (the reminders app's
selector) per call; `licences_granted_since` (the follow-ups app's selector) for the last 7 days;
the officer's licence list page (first page, and a search by holder).
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
from contextlib import nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 10_000


def _setup(url: str, *, migrate: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if migrate:
        subprocess.run(
            [sys.executable, "-m", "zhifa.cli", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
    import django

    django.setup()


def _uscc(rng: random.Random) -> str:
    return "9136" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(14))


def generate(n: int, rng: random.Random) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from core.models import Deadline
    from org.tests.factories import AgencyFactory, OfficerFactory
    from service.models import Application, Licence, LicenceKind

    today = dt.date.today()
    agency = AgencyFactory(name="基准县自然资源局", short_name="基准")
    OfficerFactory(agency=agency, name="基准员", certified_fields=["land", "mineral", "planning"])
    kinds = list(LicenceKind.objects.all())
    ct = ContentType.objects.get_for_model(Licence)
    done = 0
    started = time.perf_counter()
    while done < n:
        size = min(BATCH, n - done)
        licences: list[Licence] = []
        for i in range(done, done + size):
            kind = (
                kinds[i % len(kinds)] if rng.random() < 0.98 else next(k for k in kinds if k.temporary_land)
            )
            issued = today - dt.timedelta(days=rng.randint(0, 5 * 365))
            until = issued + dt.timedelta(days=rng.randint(365, 3650))
            if until <= today:
                until = today + dt.timedelta(days=rng.randint(1, 5 * 365))
            licences.append(
                Licence(
                    agency=agency,
                    kind=kind,
                    number=f"基准许〔{issued.year}〕{i + 1}号",
                    holder_name=f"基准县第{i + 1}号企业有限公司",
                    holder_id_number=_uscc(rng),
                    holder_phone="" if rng.random() < 0.05 else f"139{rng.randint(0, 99_999_999):08d}",
                    holder_email="" if rng.random() < 0.3 else f"holder{i + 1}@example.cn",
                    holder_address=f"基准县某镇某路{i % 500 + 1}号",
                    scope=f"{kind.name}许可事项{i + 1}",
                    location=f"基准县某镇{i % 97 + 1}号地块",
                    issued_on=issued,
                    valid_from=issued,
                    valid_until=until,
                    return_date=until + dt.timedelta(days=180) if kind.temporary_land else None,
                    risk_level=rng.choice(["low", "medium", "high"]),
                )
            )
        with transaction.atomic():
            Licence.objects.bulk_create(licences, batch_size=2000)
            if not licences[0].pk:  # backends without RETURNING
                first = Licence.objects.order_by("-pk").values_list("pk", flat=True)[size - 1]
                for offset, lic in enumerate(licences):
                    lic.pk = first + offset
            deadlines = []
            for lic in licences:
                deadlines.append(
                    Deadline(
                        agency_id=agency.pk,
                        subject_type=ct,
                        subject_id=str(lic.pk),
                        kind="licence.expiry",
                        title=f"{lic.kind.name}有效期届满（{lic.number}）",
                        legal_basis="《行政许可法》第50条",
                        unit=Deadline.Unit.CALENDAR_DAYS,
                        amount=(lic.valid_until - lic.issued_on).days,
                        start_date=lic.issued_on,
                        due_date=lic.valid_until,
                        warn_days=5,
                    )
                )
                if lic.return_date:
                    deadlines.append(
                        Deadline(
                            agency_id=agency.pk,
                            subject_type=ct,
                            subject_id=str(lic.pk),
                            kind="licence.temporary_land_return",
                            title=f"临时用地交还期限（{lic.number}）",
                            legal_basis="《土地管理法》第57条",
                            unit=Deadline.Unit.CALENDAR_DAYS,
                            amount=(lic.return_date - lic.issued_on).days,
                            start_date=lic.issued_on,
                            due_date=lic.return_date,
                            warn_days=5,
                        )
                    )
            Deadline.objects.bulk_create(deadlines, batch_size=2000)
        done += size
        if done % 100_000 == 0 or done == n:
            print(f"  {done:>9,} licences  {done / (time.perf_counter() - started):8,.0f}/s", flush=True)
    insert_seconds = time.perf_counter() - started
    # 300 licences expiring yesterday; 100 with a renewal filed in time and undecided.
    yesterday = today - dt.timedelta(days=1)
    ids = list(Licence.objects.order_by("pk").values_list("pk", flat=True)[:300])
    Licence.objects.filter(pk__in=ids).update(
        valid_until=yesterday, valid_from=yesterday - dt.timedelta(days=365)
    )
    for pk in ids[:100]:
        lic = Licence.objects.get(pk=pk)
        Application.objects.create(
            agency=agency,
            kind=lic.kind,
            tracking_code=f"B{pk:011d}"[:12],
            channel="online",
            applicant_name=lic.holder_name,
            applicant_id_number=lic.holder_id_number,
            project=lic.scope,
            location=lic.location,
            renewal_of=lic,
            dedup_key=f"bench-{pk}",
            received_on=yesterday - dt.timedelta(days=40),
            status="accepted",
        )
    return {"agency": agency, "insert_seconds": insert_seconds, "ids": ids}


def measure(n: int, data: dict[str, Any], rng: random.Random) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from service import selectors
    from service.services import licences_expiry_run

    today = dt.date.today()
    t = time.perf_counter()
    first = licences_expiry_run(today=today)
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    second = licences_expiry_run(today=today)
    second_s = time.perf_counter() - t
    top = selectors.visible_licences(None).order_by("-pk").values_list("pk", flat=True).first() or 1
    picks = [rng.randint(1, top) for _ in range(1000)]
    t = time.perf_counter()
    found = 0
    for pk in picks:
        try:
            selectors.licence_contact(pk)
            found += 1
        except Exception:
            pass
    contact_ms = (time.perf_counter() - t) * 1000 / len(picks)
    t = time.perf_counter()
    recent = list(selectors.licences_granted_since(today - dt.timedelta(days=7)).values_list("pk", flat=True))
    since_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        page = list(selectors.visible_licences(None).order_by("-issued_on", "-pk")[:20])
    list_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    hits = list(
        selectors.visible_licences(None)
        .filter(holder_name__contains="第4242号")
        .order_by("-issued_on", "-pk")[:20]
    )
    search_ms = (time.perf_counter() - t) * 1000
    load = os.getloadavg()
    print(
        f"\nlicences                 {n:,} (+ their expiry deadlines), "
        f"inserted in {data['insert_seconds']:.1f} s "
        f"({n / data['insert_seconds']:,.0f}/s)"
    )
    print(f"expiry job, first run    {first} in {first_s:.2f} s")
    print(f"expiry job, second run   {second} in {second_s:.2f} s (idempotent)")
    print(f"licence_contact          {contact_ms:.3f} ms per call ({found} of 1000 ids found)")
    print(f"licences_granted_since   {len(recent):,} licences of the last 7 days in {since_ms:.1f} ms")
    print(
        f"licence list, first page {len(page)} rows in {list_ms:.1f} ms ({len(ctx.captured_queries)} query)"
    )
    print(f"licence list, search     {len(hits)} rows in {search_ms:.1f} ms")
    print(f"machine load (1/5/15 min) {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--licences", type=int, default=1_000_000)
    parser.add_argument("--keep", default="", help="DATABASE_URL to migrate, fill and keep")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(
        f"service generate — {time.strftime('%Y-%m-%d %H:%M')} — {platform.node()} — "
        f"{args.licences:,} licences"
    )
    if args.keep:
        context: Any = nullcontext(args.keep)
    else:
        from core.testing import scratch_database

        context = scratch_database()
    with context as url:
        _setup(url, migrate=bool(args.keep))
        print(f"database: {url.split('@')[-1]}")
        data = generate(args.licences, rng)
        measure(args.licences, data, rng)
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
