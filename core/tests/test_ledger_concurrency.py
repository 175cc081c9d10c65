# ruff: noqa: F811  (pytest fixtures imported from core.testing)
"""Several OS processes append to one committed database: one unbroken chain."""

import pytest

from core.testing import run_command, run_workers, scratch_db  # noqa: F401

pytestmark = pytest.mark.slow


def test_given_four_processes_appending_fifty_each_then_one_chain_of_200(scratch_db):
    results = run_workers(scratch_db, "core.testing.worker_append", [(50, f"w{i}") for i in range(4)])
    seqs = sorted(s for worker in results for s in worker)
    assert seqs == list(range(1, 201))
    assert all(len(worker) == 50 for worker in results)
    [verdict] = run_workers(scratch_db, "core.testing.worker_verify", [()])
    assert verdict["ok"] and verdict["entries"] == 200 and verdict["head_seq"] == 200, verdict
    proc = run_command(scratch_db, "ledger", "verify")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "200" in proc.stdout
