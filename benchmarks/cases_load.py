"""Load test of the case pages and API on a generated database (a script, not a test).

    DATABASE_URL=sqlite:////tmp/zhifa_cbench.sqlite3 .venv/bin/python benchmarks/cases_load.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_cbench .venv/bin/python benchmarks/cases_load.py

The database must have been filled by `benchmarks/cases_generate.py` (it holds the user `bench`, an
officer of the agency with ~70 % of the cases). `--drop` drops the PostgreSQL database (or deletes
the SQLite file) at the end.

The app runs under gunicorn (`config.wsgi`, 2 workers × 8 threads on loopback) with the settings the
generator used, `config.settings.test`: DEBUG off and the production middleware; it differs from
`base` only in the password hasher (MD5, so the generated password verifies), in-process tasks, mail
and plain static storage. The script logs `bench` in through the login form (session cookie) and
obtains an API token (`POST /api/v1/auth/token`), then times, at 1 and 16 concurrent clients
(Python threads, one keep-alive `http.client` connection each):

    baseline      GET /api/v1/bench-baseline — the API's JSON 404 view: the cheapest Django view
                  there is (no query of its own), behind the whole middleware stack with the session
                  cookie (session, user, MFA check), so the ratio shows what the page adds;
    case list     GET /cases/ (first page, 25 rows, count capped at 1000);
    case detail   GET /cases/{id}/ (random case of the agency: timeline, parties, actions, flowchart);
    API list      GET /api/v1/cases (bearer token, first page);
    API detail    GET /api/v1/cases/{id} (bearer token; with available_actions).

p50/p95 per endpoint and the ratio of each p50 to the baseline p50 of the same run, in three modes:
1 client back to back; 16 users who each wait a random 0.5–1.5 × `--think` s (default 1 s)
between requests, as locust users do; and 16 clients back to back (saturation: on 2 CPUs their
latency is 16 ÷ throughput by Little's law, so it measures throughput, reported as req/s).
Each client keeps one keep-alive connection, which the gunicorn worker that accepted it serves to the
end (so 16 clients may sit 12 on one worker and 4 on the other); `--fresh-connections` opens a new
connection per request instead, as nginx does towards gunicorn by default (the README's deployment),
so every request goes to whichever worker accepts it first. `--worker-class sync --workers 4` is
the README's deployment itself (`gunicorn config.wsgi -w 4`: four processes that each serve one
request at a time, so no request waits for another's Python thread; a new connection per request).
Afterwards the queries of each endpoint are counted in-process (django.test.Client,
CaptureQueriesContext) and the slowest SQL statements listed with `--explain`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchmarks.cases_generate import BENCH_PASSWORD, BENCH_USER  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One keep-alive HTTP connection with cookies (enough for a session) and optional bearer token."""

    def __init__(
        self, port: int, cookies: dict[str, str] | None = None, token: str = "", *, fresh: bool = False
    ) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = dict(cookies or {})
        self.token = token
        self.fresh = fresh  # a new connection per request, as nginx opens to its upstream by default

    def request(
        self,
        method: str,
        path: str,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        hdrs = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        if self.fresh:
            hdrs["Connection"] = "close"
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data


def login(port: int) -> tuple[dict[str, str], str]:
    client = Client(port)
    status, page = client.request("GET", "/org/login/")
    assert status == 200, status
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the login page"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": BENCH_USER, "password": BENCH_PASSWORD}
    )
    status, page = client.request(
        "POST",
        "/org/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/org/login/",
        },
    )
    assert status == 302 and "sessionid" in client.cookies, (status, page[:500])
    api = Client(port)
    status, data = api.request(
        "POST",
        "/api/v1/auth/token",
        body=json.dumps({"username": BENCH_USER, "password": BENCH_PASSWORD, "name": "cases_load"}),
        headers={"Content-Type": "application/json"},
    )
    assert status == 201, (status, data[:500])
    return client.cookies, json.loads(data)["token"]


def measure(
    port: int,
    paths: list[str],
    *,
    clients: int,
    per_client: int,
    cookies: dict[str, str],
    token: str,
    think: float = 0.0,
    fresh: bool = False,
) -> list[float]:
    """Latencies (s) of `clients` threads each issuing `per_client` GETs of random `paths`.

    With `think` > 0 each client waits a random 0.5–1.5 × `think` seconds between its requests (a
    user reading the page, as locust users do); with 0 the clients send back to back (saturation).
    """
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []
    barrier = threading.Barrier(clients)

    def run(seed: int) -> None:
        rng = random.Random(seed)
        client = Client(port, cookies, token, fresh=fresh)
        client.request("GET", rng.choice(paths))  # connect + warm this thread's connection
        mine = []
        barrier.wait()
        if think:
            time.sleep(rng.uniform(0, think))  # users do not all click at the same instant
        for _ in range(per_client):
            path = rng.choice(paths)
            started = time.perf_counter()
            status, _data = client.request("GET", path)
            mine.append(time.perf_counter() - started)
            if status not in (200, 404) or (status == 404 and "bench-baseline" not in path):
                errors.append(f"{path}: {status}")
            if think:
                time.sleep(rng.uniform(0.5, 1.5) * think)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return latencies


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def count_queries(case_ids: list[int], explain: bool) -> None:
    """Queries per endpoint, in-process, as the bench user (and EXPLAIN of the slowest with --explain)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from org.models import User

    user = User.objects.get(username=BENCH_USER)
    client = DjangoClient()
    client.force_login(user)
    targets = {
        "case list": "/cases/",
        "case detail": f"/cases/{case_ids[0]}/",
        "API list": "/api/v1/cases",
        "API detail": f"/api/v1/cases/{case_ids[0]}",
    }
    for name, path in targets.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        timed = []
        for q in ctx.captured_queries:
            started = time.perf_counter()
            if explain:
                with connection.cursor() as cursor:
                    cursor.execute(q["sql"])
            timed.append((time.perf_counter() - started, q["sql"]))
        timed.sort(reverse=True)
        # CPU of this process per request (Django + psycopg client side; the server's share is not
        # in it): steadier than wall-clock times on a shared machine.
        queries = len(ctx.captured_queries)  # read before the next request resets the log
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(20):
            client.get(path)
        cpu, wall = (time.process_time() - cpu) / 20, (time.perf_counter() - wall) / 20
        print(
            f"  {name} ({path}) → {response.status_code}: {queries} queries, "
            f"in-process {cpu * 1000:.1f} ms CPU / {wall * 1000:.1f} ms wall per request"
        )
        if explain:
            for seconds, sql in timed[:3]:
                print(f"    {seconds * 1000:7.1f} ms  {sql[:400]}")
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
                with connection.cursor() as cursor:
                    cursor.execute(prefix + sql)
                    for row in cursor.fetchall()[:12]:
                        print("        " + " | ".join(str(c) for c in row))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint at 1 client")
    parser.add_argument("--per-client", type=int, default=25, help="requests per client at 16 clients")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean think time (s) of the 16 users between requests; 0 skips that run",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--worker-class",
        choices=("gthread", "sync"),
        default="gthread",
        help="gunicorn's worker class; sync (one request at a time per process, gunicorn's default and "
        "the README's `gunicorn config.wsgi -w 4`) closes every connection, so it implies "
        "--fresh-connections and ignores --threads",
    )
    parser.add_argument(
        "--fresh-connections",
        action="store_true",
        help="a new connection per request (nginx's default towards gunicorn) instead of one keep-alive "
        "connection per client, which gunicorn's gthread worker that accepted it keeps for itself",
    )
    parser.add_argument("--explain", action="store_true", help="time and EXPLAIN the slowest queries")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    if args.worker_class == "sync":
        args.fresh_connections, args.threads = True, 1
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("set DATABASE_URL to a database filled by benchmarks/cases_generate.py")
    data_dir = tempfile.mkdtemp(prefix="zhifa-cload-")
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.test", ZHIFA_DATA_DIR=data_dir)
    import django

    django.setup()
    from cases.models import Case
    from org.models import Officer

    bench = Officer.objects.get(user__username=BENCH_USER)
    total = Case.objects.count()
    mine = Case.objects.filter(agency_id=bench.agency_id)
    top = mine.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(7)
    case_ids = list(
        mine.filter(pk__in=[rng.randint(1, top) for _ in range(400)]).values_list("pk", flat=True)
    )
    print(
        f"# cases load {time.strftime('%Y-%m-%d %H:%M:%S %Z')} — {django.db.connection.vendor}, "
        f"{total:,} cases ({mine.count():,} in the bench agency), gunicorn {args.workers} "
        f"{args.worker_class} workers × {args.threads} threads, "
        f"{'new connection per request' if args.fresh_connections else 'keep-alive'}"
        f", load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )

    port = free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=url,
        ZHIFA_DATA_DIR=data_dir,
        PYTHONPATH=str(BASE_DIR),
    )
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "-k",
            args.worker_class,
            *(["--threads", str(args.threads)] if args.worker_class == "gthread" else []),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cookies, token = login(port)
        endpoints = {
            "baseline (JSON 404 view)": ["/api/v1/bench-baseline"],
            "case list /cases/": ["/cases/"],
            "case detail /cases/{id}/": [f"/cases/{i}/" for i in case_ids],
            "API GET /api/v1/cases": ["/api/v1/cases"],
            "API GET /api/v1/cases/{id}": [f"/api/v1/cases/{i}" for i in case_ids],
        }
        # (label, clients, requests per client, think time)
        modes = [("1 client", 1, args.requests, 0.0)]
        if args.think:
            modes.append((f"16 users (think {args.think:g} s)", 16, args.per_client, args.think))
        modes.append(("16 clients (saturated)", 16, args.per_client, 0.0))
        results: dict[str, dict[str, list[float]]] = {}
        rates: dict[str, dict[str, float]] = {}
        for label, clients, per_client, think in modes:
            results[label], rates[label] = {}, {}
            for name, paths in endpoints.items():
                use_token = token if "API" in name else ""
                started = time.perf_counter()
                results[label][name] = measure(
                    port,
                    paths,
                    clients=clients,
                    per_client=per_client,
                    cookies={} if use_token else cookies,
                    token=use_token,
                    think=think,
                    fresh=args.fresh_connections,
                )
                rates[label][name] = len(results[label][name]) / (time.perf_counter() - started)
            print(f"  {label} done, load average {os.getloadavg()[0]:.1f}", flush=True)
        print(f"load average after: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(
            "| endpoint | "
            + " | ".join(f"{label} p50 / p95 (ms) | ratio" for label, *_ in modes)
            + " | saturated req/s |"
        )
        print("|---|" + "---|---|" * len(modes) + "---|")
        base = {m: statistics.median(results[m]["baseline (JSON 404 view)"]) for m in results}
        for name in endpoints:
            cells = []
            for label, *_ in modes:
                lat = results[label][name]
                cells += [
                    f"{pct(lat, 50) * 1000:.1f} / {pct(lat, 95) * 1000:.1f}",
                    f"{statistics.median(lat) / base[label]:.1f}×",
                ]
            print(f"| {name} | {' | '.join(cells)} | {rates['16 clients (saturated)'][name]:.0f} |")
        print(
            json.dumps({m: {n: [pct(v, 50), pct(v, 95)] for n, v in r.items()} for m, r in results.items()})
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print("queries per request (in-process, same user):")
    count_queries(case_ids, args.explain)
    if args.drop:
        from django.db import connections

        connections.close_all()
        from core.testing import _admin_connect, is_postgres_url

        if is_postgres_url(url):
            name = urllib.parse.urlsplit(url).path.lstrip("/")
            with _admin_connect(url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(urllib.parse.urlsplit(url).path + suffix).unlink(missing_ok=True)
        print("database dropped")


if __name__ == "__main__":
    main()
