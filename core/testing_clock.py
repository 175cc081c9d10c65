"""The suite's clock, for the faults that only show at some hours (a pytest plugin, loaded by the
root conftest.py).

The agency works in Asia/Shanghai (UTC+8): from 16:00 to 24:00 UTC its date is already tomorrow's
while the UTC date is today's, and a test (or code) that mixes the two fails only when it runs then.
`ZHIFA_TEST_CLOCK=local-midnight` runs the session as if it had started at 00:20 in the agency's
time zone today (the UTC date is still yesterday's); the clock keeps running (time-machine,
`tick=True`), and tests that travel themselves travel from there. An ISO 8601 instant with its
offset (`2026-11-27T00:20:00+08:00`) starts the session at that instant instead. `.ci/run` runs the
SQLite suite this way; unset, nothing changes.

A test that talks to a server keeping the real time about the time (S3 request signatures, which
s3rver refuses beyond a few minutes' skew) is marked `real_clock`: the session's clock stops for it
(setup to teardown) and then runs on from where it stood plus the time the test took.
"""

from __future__ import annotations

import datetime
import os
import time
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest

CLOCK_ENV = "ZHIFA_TEST_CLOCK"
AGENCY_TIME_ZONE = "Asia/Shanghai"  # config.settings.base.TIME_ZONE


def session_start(spec: str, now: datetime.datetime | None = None) -> datetime.datetime:
    """The instant a `ZHIFA_TEST_CLOCK` value names (an aware datetime)."""
    zone = zoneinfo.ZoneInfo(AGENCY_TIME_ZONE)
    if spec == "local-midnight":
        today = (now or datetime.datetime.now(datetime.UTC)).astimezone(zone).date()
        return datetime.datetime.combine(today, datetime.time(0, 20), zone)
    try:
        start = datetime.datetime.fromisoformat(spec)
    except ValueError:
        raise pytest.UsageError(
            f"{CLOCK_ENV}={spec!r}: give local-midnight or an ISO 8601 instant with its offset"
        ) from None
    if start.tzinfo is None:
        raise pytest.UsageError(f"{CLOCK_ENV}={spec!r}: the instant needs its UTC offset (+08:00)")
    return start


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_clock: the test runs on the machine's clock even under ZHIFA_TEST_CLOCK"
    )
    spec = os.environ.get(CLOCK_ENV, "").strip()
    if not spec:
        return
    import time_machine

    # A timestamp: given a datetime in a ZoneInfo or in UTC, time-machine would also set the process's
    # TZ to that zone (Django has set it to TIME_ZONE's, which date.today() follows), and put back the
    # TZ it found, from before Django's settings, whenever the travel stops.
    traveller: Any = time_machine.travel(session_start(spec).timestamp(), tick=True)
    traveller.start()
    config.stash[_TRAVELLER] = traveller


def pytest_report_header(config: pytest.Config) -> str | None:
    if _TRAVELLER not in config.stash:
        return None
    now = datetime.datetime.now(datetime.UTC)
    local = now.astimezone(zoneinfo.ZoneInfo(AGENCY_TIME_ZONE))
    return f"clock: {CLOCK_ENV}, the session began at {now:%Y-%m-%d %H:%M} UTC = {local:%H:%M} local"


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


@pytest.fixture(autouse=True)
def _real_clock_for_marked_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Autouse, so it is set up before the test's other function fixtures and torn down after them."""
    config = request.config
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is None or request.node.get_closest_marker("real_clock") is None:
        yield
        return
    import time_machine

    shifted, started = time.time(), time.monotonic()
    traveller.stop()
    try:
        yield
    finally:
        resumed = time_machine.travel(shifted + time.monotonic() - started, tick=True)
        resumed.start()
        config.stash[_TRAVELLER] = resumed


_TRAVELLER = pytest.StashKey[Any]()
