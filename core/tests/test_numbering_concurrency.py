# ruff: noqa: F811  (pytest fixtures imported from core.testing)
"""20 processes take a number of the same sequence at once: 20 distinct consecutive numbers."""

import pytest

from core.testing import run_workers, scratch_db  # noqa: F401

pytestmark = pytest.mark.slow


def test_given_twenty_concurrent_requests_then_twenty_distinct_consecutive_numbers(scratch_db):
    results = run_workers(scratch_db, "core.testing.worker_take_number", [(3, "penalty_decision", 2026)] * 20)
    numbers = [n for worker in results for n in worker]
    assert len(numbers) == 20 and len(set(numbers)) == 20
    values = sorted(int(n.split("〕")[1].rstrip("号")) for n in numbers)
    assert values == list(range(1, 21))
    # a second round continues the same sequence without a gap
    more = run_workers(scratch_db, "core.testing.worker_take_number", [(3, "penalty_decision", 2026, 2)] * 2)
    values2 = sorted(int(n.split("〕")[1].rstrip("号")) for worker in more for n in worker)
    assert values2 == [21, 22, 23, 24]
