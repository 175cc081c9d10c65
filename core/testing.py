"""Test helpers: scratch databases for multi-process tests, worker processes, tampering.

Tests that need several OS processes on one committed database cannot use pytest-django's
test database (it lives inside one transaction). `scratch_database()` makes a fresh database on
the same engine as the tests (a temporary SQLite file, or `zhifa_scratch_<random>` on the
PostgreSQL server of DATABASE_URL), migrates it in a subprocess and yields its URL; `run_workers`
starts processes on it that call a function by dotted name, released together by a start signal.

    @pytest.mark.slow
    def test_many_writers(scratch_db):
        results = run_workers(scratch_db, "core.testing.worker_append", [(50,)] * 4)

Fixtures to import into a test module: `scratch_db`, `evidence_dir`, `key_dir`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "config.settings.test"
WORKER_TIMEOUT = 600
PRELOAD = ("core.services.ledger", "core.services.numbering", "core.services.files")


def _base_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def worker_env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=SETTINGS_MODULE, PYTHONPATH=str(BASE_DIR))
    env.update(extra)
    return env


def _admin_connect(url: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme.replace("pgsql", "postgresql"), parts.netloc, "/postgres", "", ""))
    return psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True)


@contextlib.contextmanager
def scratch_database(*, migrate: bool = True, data_dir: str | None = None) -> Iterator[str]:
    """A fresh, migrated database on the test engine; yields its DATABASE_URL, dropped after."""
    base = _base_url()
    with tempfile.TemporaryDirectory(prefix="zhifa-scratch-") as tmp:
        if is_postgres_url(base):
            name = f"zhifa_scratch_{secrets.token_hex(6)}"
            with _admin_connect(base) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            parts = urlsplit(base)
            url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
        else:
            name = ""
            url = f"sqlite:///{tmp}/scratch.sqlite3"
        try:
            if migrate:
                env = worker_env(url, ZHIFA_DATA_DIR=data_dir or tmp)
                proc = subprocess.run(
                    [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
                    cwd=BASE_DIR,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=WORKER_TIMEOUT,
                )
                if proc.returncode != 0:
                    raise RuntimeError(
                        f"migrate failed on the scratch database:\n{proc.stdout}\n{proc.stderr}"
                    )
            yield url
        finally:
            if name:
                with _admin_connect(base) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_WORKER_CODE = r"""
import json, sys
import django
django.setup()
from django.utils.module_loading import import_string
import importlib
from django.db import connection
target = import_string(sys.argv[1])
args = json.loads(sys.argv[2])
for module in json.loads(sys.argv[3]):
    importlib.import_module(module)
connection.ensure_connection()  # connect before the start signal: the race is on the work itself
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(3)
result = target(*args)
print("result " + json.dumps(result, ensure_ascii=False, default=str), flush=True)
"""


def run_workers(
    database_url: str,
    target: str,
    args_per_worker: Sequence[Sequence[Any]],
    *,
    env: dict[str, str] | None = None,
    timeout: float = WORKER_TIMEOUT,
    preload: Sequence[str] = PRELOAD,
) -> list[Any]:
    """Run `target(*args)` in one process per args tuple, all released at once; their results.

    Each worker sets up Django on `database_url` (settings `config.settings.test`), imports the
    `preload` modules and connects to the database, reports ready,
    waits for the common start signal, runs the function and returns its JSON result. A worker that
    fails raises RuntimeError with its output.
    """
    procs = []
    for args in args_per_worker:
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _WORKER_CODE,
                    target,
                    json.dumps(list(args)),
                    json.dumps(list(preload)),
                ],
                cwd=BASE_DIR,
                env=worker_env(database_url, **(env or {})),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != "ready":
                _out, err = proc.communicate(timeout=timeout)
                raise RuntimeError(f"worker did not start: {line}{_out}\n{err}")
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=timeout)
            lines = [ln for ln in out.splitlines() if ln.startswith("result ")]
            if proc.returncode != 0 or not lines:
                raise RuntimeError(f"worker failed ({proc.returncode}):\n{out}\n{err}")
            results.append(json.loads(lines[-1][len("result ") :]))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def run_command(
    database_url: str, *argv: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `zhifa <argv>` (manage.py) on a database; returns the completed process."""
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *argv],
        cwd=BASE_DIR,
        env=worker_env(database_url, **(env or {})),
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT,
    )


# ---- worker targets (run inside worker processes) ----------------------------------------------


def worker_append(count: int, label: str = "worker") -> list[int]:
    """Append `count` ledger entries, each in its own transaction; the seqs it got."""
    from core.services.ledger import ledger_append

    pid = os.getpid()
    return [
        ledger_append(actor=None, act="test.concurrent", payload={"worker": label, "pid": pid, "i": i}).seq
        for i in range(count)
    ]


def worker_take_number(agency_id: int, kind: str, year: int, count: int = 1) -> list[str]:
    """Take `count` numbers, each in its own transaction; the numbers it got."""
    from django.db import transaction

    from core.services.numbering import number_take

    numbers = []
    for _ in range(count):
        with transaction.atomic():
            numbers.append(number_take(agency_id=agency_id, kind=kind, year=year, actor=None).number)
    return numbers


def worker_verify() -> dict[str, Any]:
    from core.services.ledger import ledger_verify

    return ledger_verify().as_dict()


# ---- tampering (inside a test's transaction: rolled back with it) ------------------------------


def drop_ledger_triggers() -> None:
    """Drop the append-only triggers inside the current transaction (tests of tamper detection)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS core_ledgerentry_no_change ON core_ledgerentry")
            cursor.execute("DROP TRIGGER IF EXISTS core_ledgerentry_no_truncate ON core_ledgerentry")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_ledgerentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_ledgerentry_no_delete")


def tamper_sql(sql: str, params: Sequence[Any] = ()) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


# ---- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def scratch_db() -> Iterator[str]:
    with scratch_database() as url:
        yield url


@pytest.fixture
def evidence_dir(tmp_path: Path, settings: Any) -> Path:
    """The `evidence` storage on a fresh temporary directory."""
    store = tmp_path / "store"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(store)},
        },
    }
    return store


@pytest.fixture
def key_dir(tmp_path: Path, settings: Any) -> Path:
    """ZHIFA_KEY_DIR on a fresh temporary directory (not yet created)."""
    keys = tmp_path / "keys"
    settings.ZHIFA_KEY_DIR = keys
    return keys
