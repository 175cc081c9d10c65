"""Benchmarks of the public portal (a script, not a test): search, annual report, masking.

    # 1M published decisions on PostgreSQL, then portal search at 1 and 16 clients (gunicorn)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_portal_bench \
        .venv/bin/python benchmarks/portal_bench.py generate --publications 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_portal_bench \
        .venv/bin/python benchmarks/portal_bench.py search
    # the annual report's statistics over a database filled by benchmarks/cases_generate.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_cbench \
        .venv/bin/python benchmarks/portal_bench.py annual
    # masking throughput (CPU only, no database)
    .venv/bin/python benchmarks/portal_bench.py masking --decisions 2000

`generate` writes N publications (status published, masked text ~300 characters built from
realistic parts: town, village, land class, use, area, fine, masked party) and their search entries
(index words as publicity.search writes them) with COPY, the GIN index built after the load, then ANALYZE.

`search` runs the app under gunicorn (2 workers × 8 threads, config.settings.test) and times GET
/gongkai/search/ over a mix of queries: two-character words common and rare (耕地, 采砂), a four-
character phrase, two words, a document number, a one-character word with a year filter, filters
alone, and the hard cases of an n-gram index (one character alone, a phrase of common bigrams that
never stand together, a phrase in no decision) — in three modes: 1 client back to back; 16 users who
each wait a random 0.5–1.5 × `--think` s (default 1 s) between searches, as people reading a result
page do (the issue's "16 concurrent users"); and 16 clients back to back (saturation: on 2 CPUs
their latency is 16 ÷ throughput by Little's law, so that mode measures throughput). p50/p95 per
query kind and overall. The count is capped at 1,000 (a common word over a million decisions is not
counted).
`--requests` / `--per-client` shorten a run on a busy machine (compare runs of the same size).
The plan of a query depends on its share among the newest 1,000 entries (publicity.search, cached
ten minutes per query: a common query walks the date index, a rare one uses the GIN index); the
warm-up round measures every query's share once. `generate` ends with ANALYZE and `search` runs it
again before timing.

`annual` times `publicity.annual.annual_statistics` for the agency with the most cases and for
the whole province (the root agency), three runs each (read-only).

Every result line carries the load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

TOWNS = [
    "嘉定镇",
    "大塘埠镇",
    "古陂镇",
    "大桥镇",
    "新田镇",
    "安西镇",
    "小江镇",
    "铁石口镇",
    "大阿镇",
    "油山镇",
]
VILLAGES = ["东村", "西村", "南坑村", "北岭村", "上湖村", "下坝村", "新屋村", "老圩村", "桥头村", "石背村"]
LAND = ["永久基本农田", "一般耕地", "林地", "园地", "河道管理范围内土地", "集体建设用地"]
USES = ["建房", "建设厂房", "堆放砂石", "开采砂石", "修建道路", "建设养殖场", "硬化场地", "采砂"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CATEGORIES = ["非法占用土地", "非法采矿", "破坏耕地", "违法建设", "非法转让土地"]
QUERIES = {
    "2-char common": ["耕地", "建房", "罚款"],
    "2-char rare": ["采砂", "园地", "油山"],
    "4-char phrase": ["基本农田", "砂石开采", "建设厂房"],
    "two words": ["嘉定镇 建房", "林地 罚款"],
    "document number": ["罚〔2024〕1234号", "罚〔2025〕88号"],
    "1-char + year": ["罚&year=2024"],
    "filters only": ["&year=2025&kind=penalty", "&category=%E9%9D%9E%E6%B3%95%E9%87%87%E7%9F%BF"],
    # the hard cases of an n-gram index: one character alone (a surname, one in no decision), a
    # phrase of boilerplate bigrams that never stand together, a phrase in no decision
    "1 character alone": ["王", "鑫"],
    "rare phrase of common bigrams": ["第七十七条的规定", "罚款人民币50元"],
    "no match": ["光伏电站"],
}


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} · {os.cpu_count()} CPU {cpu} · Python {platform.python_version()}"


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("ZHIFA_DATA_DIR", tempfile.mkdtemp(prefix="zhifa-pbench-"))
    import django

    django.setup()


def decision_text(rng: random.Random, n: int, year: int) -> tuple[str, str, str, str]:
    town, village = rng.choice(TOWNS), rng.choice(VILLAGES)
    land, use = rng.choice(LAND), rng.choice(USES)
    area = rng.randint(50, 6000)
    fine = area * rng.choice([10, 20, 30])
    company = rng.random() < 0.3
    party = (
        f"信丰县某某{rng.choice(['建材', '石料', '养殖', '置业'])}有限公司"
        if company
        else f"{rng.choice(SURNAMES)}某"
    )
    number = f"信自然资罚〔{year}〕{n % 5000 + 1}号"
    text = (
        f"当事人：{party}，住所：{town}***。{year - 1}年{rng.randint(1, 12)}月，"
        f"当事人未经批准在{town}{village}"
        f"占用{land}{area}平方米{use}，违反了《中华人民共和国土地管理法》第四十四条的规定。"
        f"以上事实有现场勘验笔录、询问笔录、测绘报告等证据证实。依据《中华人民共和国土地管理法》第七十七条"
        f"和《土地管理法实施条例》第五十七条，决定：责令退还非法占用的土地，限期拆除在非法占用的土地上新建的"
        f"建筑物和其他设施，恢复土地原状，并处罚款人民币{fine}元。如不服本决定，可以依法申请行政复议或者提起行政诉讼。"
    )
    return party, number, text, rng.choice(CATEGORIES)


def generate(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from publicity.search import index_words, normalise

    call_command("migrate", "--noinput", verbosity=0)
    print(f"# portal generator {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {machine()}, load {load()}")
    assert connection.vendor == "postgresql", "generate writes with COPY: use PostgreSQL"
    rng = random.Random(2026)
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM publicity_publication")
        have = cur.fetchone()[0]
        cur.execute("DROP INDEX IF EXISTS publicity_search_tsv")
    now = datetime.datetime.now(datetime.UTC)
    batch = 20_000
    for start in range(have, n, batch):
        pubs, entries = io.StringIO(), io.StringIO()
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM publicity_publication")
            next_id = cur.fetchone()[0] + 1
        for i in range(start, min(n, start + batch)):
            pk = next_id + i - start
            year = 2019 + i % 7
            party, number, text, category = decision_text(rng, i, year)
            decided = datetime.date(year, 1 + i % 12, 1 + i % 28)
            published = datetime.datetime.combine(
                decided + datetime.timedelta(days=rng.randint(1, 12)), datetime.time(9), tzinfo=datetime.UTC
            )
            due = decided + datetime.timedelta(days=9)
            public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            agency = 1 + i % 11
            title = f"信丰县自然资源局行政处罚决定书（{number}）"
            clean = text.replace("\t", " ").replace("\n", " ").replace("\\", "")
            pubs.write(
                "\t".join(
                    [
                        str(pk),
                        str(public_id),
                        str(i + 1),
                        str(agency),
                        title,
                        number,
                        party,
                        category,
                        decided.isoformat(),
                        due.isoformat(),
                        "",
                        "{}",
                        clean,
                        "[]",
                        "published",
                        published.isoformat(),
                        published.isoformat(),
                        "\\N",
                        "",
                        now.isoformat(),
                        now.isoformat(),
                    ]
                )
                + "\n"
            )
            entries.write(
                "\t".join(
                    [
                        str(pk),
                        str(pk),
                        str(public_id),
                        str(agency),
                        str(year),
                        "penalty",
                        category,
                        title,
                        number,
                        party,
                        decided.isoformat(),
                        published.isoformat(),
                        clean,
                        index_words(f"{title} {number} {clean}"),
                        normalise(f"{title} {number} {clean}"),
                    ]
                )
                + "\n"
            )
        with (
            connection.cursor() as cur,
            cur.copy(
                "COPY publicity_publication (id, public_id, case_id, agency_id, title, document_number, "
                "party_label, category, decided_on, due_on, original_text, party_data, masked_text, "
                "findings, "
                "status, published_at, approved_at, withdrawn_at, withdrawal_reason, created_at, updated_at) "
                "FROM STDIN WITH (NULL '\\N')"
            ) as copy,
        ):
            copy.write(pubs.getvalue())
        with (
            connection.cursor() as cur,
            cur.copy(
                "COPY publicity_searchentry (id, publication_id, public_id, agency_id, year, kind, category, "
                "title, "
                "document_number, party_label, decided_on, published_at, body, tokens, plain) FROM STDIN"
            ) as copy,
        ):
            copy.write(entries.getvalue())
        done = min(n, start + batch)
        rate = (done - have) / (time.perf_counter() - started)
        print(f"  {done:,} publications ({rate:,.0f}/s), load {load()}", flush=True)
    with connection.cursor() as cur:
        for table in ("publicity_publication", "publicity_searchentry"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        t = time.perf_counter()
        cur.execute(
            "CREATE INDEX IF NOT EXISTS publicity_search_tsv ON publicity_searchentry USING gin (tsv)"
        )
        gin = time.perf_counter() - t
        cur.execute("ANALYZE publicity_publication")
        cur.execute("ANALYZE publicity_searchentry")
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('publicity_searchentry'))")
        size = cur.fetchone()[0]
    print(
        f"generated {n - have:,} publications in {time.perf_counter() - started:.0f} s "
        f"(GIN index {gin:.0f} s; search table {size}), load {load()}"
    )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def search(url: str, per_client: int, requests: int, think: float) -> None:
    import http.client
    import threading

    from django.db import connection

    with connection.cursor() as cur:
        # a generation stopped early leaves the GIN index to build
        cur.execute(
            "CREATE INDEX IF NOT EXISTS publicity_search_tsv ON publicity_searchentry USING gin (tsv)"
        )
        cur.execute("ANALYZE publicity_searchentry")
        cur.execute("SELECT count(*) FROM publicity_searchentry")
        total = cur.fetchone()[0]
    print(
        f"# portal search {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {total:,} published decisions, {machine()}"
    )
    print(f"load before: {load()}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(BASE_DIR)}
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "8",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )
    paths = {
        kind: [
            "/gongkai/search/?q="
            + urllib.parse.quote(q.split("&", 1)[0])
            + ("&" + q.split("&", 1)[1] if "&" in q else "")
            for q in qs
        ]
        for kind, qs in QUERIES.items()
    }
    flat = [(kind, p) for kind, ps in paths.items() for p in ps]
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)

        def run(clients: int, per: int, think: float = 0.0) -> dict[str, list[float]]:
            out: dict[str, list[float]] = {k: [] for k in paths}
            lock = threading.Lock()
            errors: list[str] = []
            barrier = threading.Barrier(clients)

            def worker(seed: int) -> None:
                rng = random.Random(seed)
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request("GET", "/gongkai/search/")
                conn.getresponse().read()
                mine: list[tuple[str, float]] = []
                barrier.wait()
                if think:
                    time.sleep(rng.uniform(0, think))  # users do not all click at the same instant
                for i in range(per):
                    if think and i:
                        time.sleep(rng.uniform(0.5, 1.5) * think)
                    kind, path = rng.choice(flat)
                    t = time.perf_counter()
                    conn.request("GET", path, headers={"Host": "127.0.0.1"})
                    response = conn.getresponse()
                    response.read()
                    mine.append((kind, time.perf_counter() - t))
                    if response.status != 200:
                        errors.append(f"{path}: {response.status}")
                with lock:
                    for kind, v in mine:
                        out[kind].append(v)

            threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if errors:
                raise RuntimeError(f"{len(errors)} failed, e.g. {errors[:3]}")
            return out

        # warm the caches once per path
        run(1, len(flat))
        results = {"1 client": run(1, requests)}
        if think:
            results[f"16 users (think {think:g} s)"] = run(16, per_client, think)
        results["16 clients back to back"] = run(16, per_client)
        print(f"load after: {load()}")
        print("| query kind | " + " | ".join(f"{mode} p50 / p95 (ms)" for mode in results) + " |")
        print("|---" * (len(results) + 1) + "|")
        for kind in [*paths, "all"]:
            cells = []
            for mode in results:
                values = (
                    [v for vs in results[mode].values() for v in vs] if kind == "all" else results[mode][kind]
                )
                cells.append(
                    f"{pct(values, 50) * 1000:.0f} / {pct(values, 95) * 1000:.0f}" if values else "—"
                )
            print(f"| {kind} | {' | '.join(cells)} |")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def annual(runs: int) -> None:
    from django.db import connection

    from cases.selectors import visible_cases
    from org.selectors import visible_agencies
    from publicity.annual import annual_statistics

    total = visible_cases(None).count()
    top = (
        visible_cases(None)
        .order_by()
        .values("agency_id")
        .annotate(n=__import__("django").db.models.Count("pk"))
    )
    busiest = max(top, key=lambda r: r["n"])
    root = visible_agencies(None).filter(parent__isnull=True).order_by("pk").first()
    years = (
        visible_cases(None)
        .exclude(decided_on=None)
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
    )
    year = (years.first() or datetime.date.today()).year
    print(
        f"# annual report {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {connection.vendor}, {total:,} cases "
        f"({busiest['n']:,} in the busiest agency), year {year}, {machine()}, load {load()}"
    )
    for label, agency_id in (("busiest agency", busiest["agency_id"]), ("whole tree (root)", root.pk)):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            data = annual_statistics(agency_id=agency_id, year=year)
            times.append(time.perf_counter() - t)
        print(
            f"{label}: {statistics.median(times):.2f} s median of {runs} (min {min(times):.2f}, max "
            f"{max(times):.2f}); decided {data['cases']['decided']:,}, fines {data['fines']['imposed']}, "
            f"load {load()}"
        )


def masking(n: int) -> None:
    from publicity import masking as m
    from publicity.tests.test_masking import REALISTIC

    party = {
        "persons": ["张三"],
        "organisations": ["新密市宏达建材有限公司"],
        "addresses": ["河南省新密市超化镇后寨村3组15号"],
        "phones": ["13812345678"],
    }
    print(f"# masking {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {machine()}, load {load()}")
    print(f"a realistic decision of {len(REALISTIC)} characters with 15 items of personal data")
    m.mask(REALISTIC, party)
    t = time.perf_counter()
    for _ in range(n):
        result = m.mask(REALISTIC, party)
    seconds = time.perf_counter() - t
    print(
        f"{n:,} decisions in {seconds:.2f} s = {n / seconds:,.0f} decisions/s "
        f"({len(result.findings)} findings each, one process), load {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--publications", type=int, default=1_000_000)
    s = sub.add_parser("search")
    s.add_argument("--requests", type=int, default=200, help="requests at 1 client")
    s.add_argument("--per-client", type=int, default=40, help="requests per client at 16 clients")
    s.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean think time (s) of the 16 users between requests; 0 skips that run",
    )
    a = sub.add_parser("annual")
    a.add_argument("--runs", type=int, default=3)
    k = sub.add_parser("masking")
    k.add_argument("--decisions", type=int, default=2000)
    args = parser.parse_args()
    if args.command == "masking":
        setup("sqlite:///" + tempfile.mkdtemp() + "/unused.sqlite3")
        masking(args.decisions)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("set DATABASE_URL")
    if args.command == "generate":
        from benchmarks.cases_generate import ensure_database

        ensure_database(url)
    setup(url)
    if args.command == "generate":
        generate(args.publications)
    elif args.command == "search":
        search(url, args.per_client, args.requests, args.think)
    else:
        annual(args.runs)
    print(json.dumps({"done": args.command}))


if __name__ == "__main__":
    main()
