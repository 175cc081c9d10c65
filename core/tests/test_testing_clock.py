"""The suite's clock (core.testing_clock): ZHIFA_TEST_CLOCK names the instant a session starts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from core.testing_clock import session_start

UTC = datetime.UTC


def _utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 15:00 UTC is 23:00 in Shanghai: that day's 00:20 local
        (
            _utc(2026, 11, 26, 15, 0),
            _utc(2026, 11, 25, 16, 20),
        ),
        # 17:00 UTC is already the next day in Shanghai: its 00:20, while the UTC date is still the 26th
        (
            _utc(2026, 11, 26, 17, 0),
            _utc(2026, 11, 26, 16, 20),
        ),
    ],
)
def test_local_midnight_is_twenty_past_midnight_of_the_agencys_today(now, expected):
    start = session_start("local-midnight", now)
    assert start == expected
    assert start.astimezone(UTC).date() != start.date()  # the two dates differ: the point of it


def test_an_instant_keeps_its_offset_and_one_without_is_refused():
    assert session_start("2026-11-27T00:20:00+08:00") == _utc(2026, 11, 26, 16, 20)
    with pytest.raises(pytest.UsageError, match=r"\+08:00"):
        session_start("2026-11-27T00:20:00")
    with pytest.raises(pytest.UsageError, match="local-midnight"):
        session_start("tonight")


INNER = """
import datetime, os, time, zoneinfo
import pytest

def _kernel_time(tmp_path):  # a file's mtime is the kernel's clock, which no test travels
    probe = tmp_path / "probe"
    probe.write_text("x")
    return os.stat(probe).st_mtime

def test_shifted(tmp_path):
    local = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert (local.hour, local.minute // 10) == (0, 2)  # 00:20-00:29
    real = datetime.datetime.fromtimestamp(_kernel_time(tmp_path), zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert abs(time.time() - real.timestamp()) > 300 or (real.hour, real.minute // 10) == (0, 2)

@pytest.mark.real_clock
def test_real(tmp_path):
    assert abs(time.time() - _kernel_time(tmp_path)) < 60

def test_shifted_again():
    local = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert (local.hour, local.minute // 10) == (0, 2)  # resumed where it stood, not at the real time
"""


def _inner_session(pytester: Any, monkeypatch: Any, source: str, *, tz: str | None) -> Any:
    """Run `source` as a test file in a fresh pytest process under ZHIFA_TEST_CLOCK=local-midnight."""
    from django.conf import settings

    monkeypatch.setenv("ZHIFA_TEST_CLOCK", "local-midnight")
    monkeypatch.setenv("PYTHONPATH", str(settings.BASE_DIR))
    if tz is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", tz)
    pytester.makepyfile(test_inner=source)
    return pytester.runpytest_subprocess(
        "-p", "core.testing_clock", "-p", "no:django", "-p", "no:cacheprovider"
    )


def test_a_session_under_the_clock_and_a_real_clock_test_in_it(pytester, monkeypatch):
    result = _inner_session(pytester, monkeypatch, INNER, tz="UTC")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["clock: ZHIFA_TEST_CLOCK, the session began at *00:2? local"])


TZ_INNER = """
import datetime, os, time, pytest

def _shanghai():
    os.environ["TZ"] = "Asia/Shanghai"  # what Django's settings do
    time.tzset()

def test_a():
    _shanghai()
    assert os.environ["TZ"] == "Asia/Shanghai"

@pytest.mark.real_clock
def test_b():
    assert os.environ["TZ"] == "Asia/Shanghai"

def test_c():
    assert os.environ["TZ"] == "Asia/Shanghai"
    assert datetime.datetime.now().hour == 0  # local 00:2x
"""


def test_the_process_time_zone_stays_the_agencys_under_the_clock_and_after_a_real_clock_test(
    pytester, monkeypatch
):
    """date.today() follows the process's TZ, which Django sets from TIME_ZONE: the clock must not
    change it, nor put back the one from before Django's settings when it stops for a test."""
    _inner_session(pytester, monkeypatch, TZ_INNER, tz=None).assert_outcomes(passed=3)
