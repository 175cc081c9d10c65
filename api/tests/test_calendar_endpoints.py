"""Calendar endpoints: working-day arithmetic from core's clock, bad input as 400 JSON in Chinese."""

from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _zh(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_adding_a_working_day_skips_the_national_day_week(client_a):
    response = client_a.get("/api/v1/calendar/add-workdays", {"date": "2025-09-30", "n": 1})
    assert response.status_code == 200, response.content
    assert response.json() == {"date": "2025-10-09", "provisional": False}


def test_a_date_in_a_provisional_year_is_marked(client_a):
    year = timezone.localdate().year + 1
    if year <= 2026:
        year = 2027
    body = client_a.get("/api/v1/calendar/add-workdays", {"date": f"{year}-03-01", "n": 5}).json()
    assert body["provisional"] is True


def test_counting_working_days(client_a):
    body = client_a.get(
        "/api/v1/calendar/workdays-between", {"start": "2025-09-30", "end": "2025-10-10"}
    ).json()
    assert body["days"] == 2
    assert body["provisional"] is False


@pytest.mark.parametrize("bad", ["2026-02-30", "2026/01/05", "0", "tomorrow", "2026-1-5"])
def test_a_bad_date_is_a_400_with_a_chinese_field_error(client_a, bad):
    response = client_a.get("/api/v1/calendar/add-workdays", {"date": bad, "n": 1})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert _zh(body["field_errors"]["date"][0])


def test_a_huge_n_is_a_400(client_a):
    response = client_a.get("/api/v1/calendar/add-workdays", {"date": "2026-01-05", "n": 10**9})
    assert response.status_code == 400
    assert "n" in response.json()["field_errors"]


def test_a_date_without_calendar_data_is_a_400(client_a):
    response = client_a.get("/api/v1/calendar/add-workdays", {"date": "1990-01-05", "n": 1})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "calendar_unavailable"
    assert "1990" in body["message"]


def test_a_year_lists_its_holidays_and_make_up_days(client_a):
    body = client_a.get("/api/v1/calendar/2025").json()
    assert body["year"] == 2025 and body["source"] == "official"
    days = {d["date"]: d for d in body["days"]}
    assert days["2025-10-01"]["kind"] == "holiday"
    assert days["2025-10-11"]["kind"] == "workday"


def test_a_year_without_data_is_a_400(client_a):
    response = client_a.get("/api/v1/calendar/1990")
    assert response.status_code == 400
    assert response.json()["code"] == "calendar_unavailable"


def test_a_span_too_long_is_refused(client_a):
    response = client_a.get(
        "/api/v1/calendar/workdays-between", {"start": "2005-01-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "span_too_long"
