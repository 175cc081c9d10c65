"""Browser tests: Debian's Chromium driven by Playwright against a real server process.

The server is `zhifa runserver --noreload` on a free port over a scratch ZHIFA_DATA_DIR prepared
with `zhifa migrate` and `zhifa demo` (SQLite). pytest-django's live_server is not used: it needs
transaction=True tests, whose flush the ledger's append-only triggers refuse.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("ZHIFA_CHROMIUM", "/usr/lib/chromium/chromium")
# DEPENDENCIES.md §3.4: without the background-networking flags Chromium keeps dialling out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # All browser tests share one server: keep them on one xdist worker (--dist loadgroup).
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (./run test does it).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _zhifa(*args: str, env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(
            [sys.executable, "-m", "zhifa.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        pytest.fail(f"`zhifa {' '.join(args)}` failed ({result.returncode}):\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """The environment (scratch data dir) of the demo server, and its log file."""
    data_dir = tmp_path_factory.mktemp("zhifa-e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST_"))}
    env.update(
        ZHIFA_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="1",
        ZHIFA_EMAIL_PORT="9",  # alerts are stored; nothing listens, so no mail leaves the machine
        PYTHONUNBUFFERED="1",
    )
    return env, data_dir / "server.log"


@pytest.fixture(scope="session")
def zhifa_shell(demo_env: tuple[dict[str, str], Path]) -> Any:
    """Run Python in `zhifa shell` against the demo server's database (for steps with no UI nor API)."""
    env, log = demo_env

    def run(code: str) -> None:
        _zhifa("shell", "-c", code, env=env, log=log)

    return run


@pytest.fixture(scope="session")
def demo_server(demo_env: tuple[dict[str, str], Path]) -> Iterator[str]:
    env, log = demo_env
    _zhifa("migrate", "--noinput", "-v", "0", env=env, log=log)
    _zhifa("demo", env=env, log=log)
    port = _free_port()
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "zhifa.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"the server exited ({server.returncode}):\n{log.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{url}/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer within 60 s:\n{log.read_text()[-4000:]}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def base_url(demo_server: str) -> str:
    return demo_server
