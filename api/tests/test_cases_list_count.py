"""`GET /api/v1/cases`: the count is capped at offset + COUNT_CAP + 1 (benchmarks/RESULTS.md)."""

from __future__ import annotations

from typing import Any

import pytest

from api.routes.cases import _SummaryPage
from api.tests.conftest import ApiClient, token_for
from cases.tests.factories import case_world, new_case

pytestmark = pytest.mark.django_db


def test_count_is_exact_below_the_cap_and_a_lower_bound_above_it(monkeypatch: Any) -> None:
    world = case_world()
    cases = [new_case(world) for _ in range(5)]
    officer = ApiClient(token_for(world.officer1.user))
    assert officer.get("/api/v1/cases").json()["count"] == 5
    monkeypatch.setattr(_SummaryPage, "COUNT_CAP", 2)
    first = officer.get("/api/v1/cases", {"limit": 2}).json()
    assert first["count"] == 3  # "more than 2"
    assert [c["id"] for c in first["items"]] == [cases[4].pk, cases[3].pk]
    second = officer.get("/api/v1/cases", {"limit": 2, "offset": 2}).json()
    assert second["count"] == 5  # within offset + cap: exact again
    assert [c["id"] for c in second["items"]] == [cases[2].pk, cases[1].pk]
    assert officer.get("/api/v1/cases", {"limit": 2, "offset": 9}).json() == {
        "items": [],
        "count": 5,
        "limit": 2,
        "offset": 9,
    }
