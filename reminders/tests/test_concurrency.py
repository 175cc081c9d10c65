"""Several worker processes on one committed database (a scratch database), mail to a real SMTP
server on loopback: two jobs at once send each reminder once; a worker killed mid-scan or mid-send
loses nothing and, rerun, sends nothing twice."""

from __future__ import annotations

import email

import pytest

from core.testing import run_workers, scratch_db  # noqa: F401  (fixture)
from reminders.testing import SmtpSink

pytestmark = pytest.mark.slow

TODAY = "2026-03-10"
NOW = "2026-03-10T10:00:00+08:00"
DUE = "2026-03-15"


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def reminder_ids(sink: SmtpSink) -> list[str]:
    return [email.message_from_bytes(raw)["X-Zhifa-Reminder"] for _rcpt, raw in sink.messages]


def test_two_jobs_at_once_send_every_reminder_exactly_once(scratch_db, sink):  # noqa: F811
    env = {"ZHIFA_EMAIL_PORT": str(sink.port)}
    run_workers(scratch_db, "reminders.testing.worker_seed", [(40, DUE)])
    results = run_workers(scratch_db, "reminders.testing.worker_run", [(TODAY, NOW)] * 2, env=env)

    assert sum(r["created"] for r in results) == 40
    assert sum(r["sent"] for r in results) == 40
    ids = reminder_ids(sink)
    assert len(ids) == 40 and len(set(ids)) == 40
    (counts,) = run_workers(scratch_db, "reminders.testing.worker_counts", [()])
    assert counts["reminders"] == 40 and counts["by_status"]["sent"] == 40 and counts["deliveries"] == 40
    assert counts["ledger_ok"] is True


def test_a_worker_killed_mid_scan_leaves_nothing_and_the_rerun_creates_everything(scratch_db, sink):  # noqa: F811
    env = {"ZHIFA_EMAIL_PORT": str(sink.port)}
    run_workers(scratch_db, "reminders.testing.worker_seed", [(15, DUE)])
    with pytest.raises(RuntimeError, match=r"worker failed \(9\)"):
        run_workers(scratch_db, "reminders.testing.worker_scan_and_die", [(TODAY, NOW)], env=env)
    (counts,) = run_workers(scratch_db, "reminders.testing.worker_counts", [()])
    assert counts["reminders"] == 0  # the killed scan's transaction rolled back

    (result,) = run_workers(scratch_db, "reminders.testing.worker_run", [(TODAY, NOW)], env=env)
    assert result["created"] == 15 and result["sent"] == 15
    assert len(set(reminder_ids(sink))) == len(sink.messages) == 15


def test_a_worker_killed_mid_send_loses_nothing_and_the_rerun_sends_nothing_twice(scratch_db, sink):  # noqa: F811
    env = {"ZHIFA_EMAIL_PORT": str(sink.port)}
    run_workers(scratch_db, "reminders.testing.worker_seed", [(20, DUE)])
    with pytest.raises(RuntimeError, match=r"worker failed \(9\)"):
        run_workers(scratch_db, "reminders.testing.worker_run_and_die", [(TODAY, NOW, 7)], env=env)
    assert len(sink.messages) == 7
    (counts,) = run_workers(scratch_db, "reminders.testing.worker_counts", [()])
    assert counts["reminders"] == 20
    assert counts["by_status"]["sent"] == 7 and counts["by_status"]["queued"] == 13

    (result,) = run_workers(scratch_db, "reminders.testing.worker_run", [(TODAY, NOW)], env=env)
    assert result["created"] == 0 and result["sent"] == 13
    ids = reminder_ids(sink)
    assert len(ids) == 20 and len(set(ids)) == 20
    (counts,) = run_workers(scratch_db, "reminders.testing.worker_counts", [()])
    assert counts["by_status"]["sent"] == 20 and counts["ledger_ok"] is True
