"""Issue 4 §5 with real processes on one committed database (scratch database, core/testing.py):
two officers acting on the same case at once — one wins, the other is told of the conflict, nothing
half-written; and a server killed in the middle of a transition leaves the case in its old state."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from core.testing import BASE_DIR, run_workers, scratch_database, worker_env

pytestmark = pytest.mark.slow

REPORT = {
    "proposed_outcome": "penalty",
    "kinds": ["warning"],
    "report": "经调查，当事人未经批准占用土地，事实清楚。",
}


def seed() -> dict[str, Any]:
    """Worker: a case under investigation and its two officers; their user ids and the version."""
    from cases.models import CaseStatus
    from cases.tests.factories import case_world, new_case, walk

    world = case_world()
    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    return {
        "case": case.pk,
        "version": case.version,
        "officers": [world.officer1.user_id, world.officer2.user_id],
    }


def report_at_once(case_id: int, user_id: int, version: int) -> dict[str, Any]:
    """Worker: file the investigation report with the version both officers saw."""
    from django.contrib.auth import get_user_model

    from cases.models import Case
    from cases.services import case_act
    from core.errors import DomainError

    user = get_user_model().objects.get(pk=user_id)
    case = Case.objects.get(pk=case_id)
    try:
        case_act(case=case, actor=user, action="report", data={**REPORT, "version": version})
    except DomainError as exc:
        return {"ok": False, "code": exc.code, "message": str(exc.message)}
    return {"ok": True}


def state(case_id: int) -> dict[str, Any]:
    """Worker: the case's status and version, its report events and whether the ledger verifies."""
    from cases.models import Case, CaseEvent
    from core.services.ledger import ledger_verify

    case = Case.objects.get(pk=case_id)
    verified = ledger_verify(files=False)
    return {
        "status": case.status,
        "version": case.version,
        "reports": CaseEvent.objects.filter(case_id=case_id, action="report").count(),
        "ledger_ok": verified.failure is None,
    }


def test_two_officers_reporting_at_once_one_wins_the_other_gets_a_conflict(tmp_path):
    env = {"ZHIFA_DATA_DIR": str(tmp_path), "ZHIFA_KEY_DIR": str(tmp_path / "keys")}
    with scratch_database(data_dir=str(tmp_path)) as url:
        [world] = run_workers(url, "cases.tests.test_concurrency.seed", [()], env=env)
        results = run_workers(
            url,
            "cases.tests.test_concurrency.report_at_once",
            [(world["case"], uid, world["version"]) for uid in world["officers"]],
            env=env,
        )
        [after] = run_workers(url, "cases.tests.test_concurrency.state", [(world["case"],)], env=env)

    assert sorted(r["ok"] for r in results) == [False, True], results
    [loser] = [r for r in results if not r["ok"]]
    assert loser["code"] in ("case_version_conflict", "wrong_status"), loser
    assert "重新" in loser["message"] or "刷新" in loser["message"] or "状态" in loser["message"], loser
    assert after == {
        "status": "investigation_reported",
        "version": world["version"] + 1,
        "reports": 1,
        "ledger_ok": True,
    }


_VICTIM = textwrap.dedent(
    r"""
    import os, signal
    import django
    django.setup()
    from cases.services import transitions
    from cases.tests.test_concurrency import REPORT, seed
    from cases.models import Case
    from django.contrib.auth import get_user_model

    world = seed()
    print(world["case"], flush=True)
    original = transitions._move

    def move_then_die(*args, **kwargs):
        original(*args, **kwargs)  # status, event and ledger entry written, not yet committed
        os.kill(os.getpid(), signal.SIGKILL)

    transitions._move = move_then_die
    user = get_user_model().objects.get(pk=world["officers"][0])
    case = Case.objects.get(pk=world["case"])
    transitions.case_act(case=case, actor=user, action="report", data=dict(REPORT))
    print("not killed", flush=True)
    """
)


def test_a_server_killed_mid_transition_leaves_the_case_in_its_old_state(tmp_path):
    env = {"ZHIFA_DATA_DIR": str(tmp_path), "ZHIFA_KEY_DIR": str(tmp_path / "keys")}
    with scratch_database(data_dir=str(tmp_path)) as url:
        victim = subprocess.run(
            [sys.executable, "-c", _VICTIM],
            cwd=BASE_DIR,
            env=worker_env(url, **env),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert victim.returncode == -signal.SIGKILL, victim.stderr[-3000:]
        case_id = int(victim.stdout.split()[0])
        [before] = run_workers(url, "cases.tests.test_concurrency.state", [(case_id,)], env=env)
        [ok] = run_workers(
            url,
            "cases.tests.test_concurrency.report_at_once",
            [(case_id, _first_officer(url, env, case_id), before["version"])],
            env=env,
        )
        [after] = run_workers(url, "cases.tests.test_concurrency.state", [(case_id,)], env=env)

    assert before["status"] == "investigating" and before["reports"] == 0 and before["ledger_ok"], before
    assert ok == {"ok": True}
    assert after["status"] == "investigation_reported" and after["reports"] == 1 and after["ledger_ok"]


def lead_officer(case_id: int) -> int:
    """Worker: the user id of the case's lead officer."""
    from cases.models import CaseOfficer

    return CaseOfficer.objects.filter(case_id=case_id, active=True).order_by("pk").first().officer.user_id


def _first_officer(url: str, env: dict[str, str], case_id: int) -> int:
    [uid] = run_workers(url, "cases.tests.test_concurrency.lead_officer", [(case_id,)], env=env)
    return int(uid)
