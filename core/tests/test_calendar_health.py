"""The calendar health check warns whenever a year that matters has no official calendar."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model

from core.checks import calendar_next_year_official
from core.models import CalendarYear, Deadline
from core.selectors.clock import calendar_health_warnings
from core.services import clock

pytestmark = pytest.mark.django_db


def _years(warnings):
    return [int(y) for y in ("2026", "2027", "2028") if any(y in w for w in warnings)]


@time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_no_warning_mid_year_when_this_year_is_official_and_no_deadline_reaches_further():
    assert calendar_health_warnings() == []
    assert calendar_next_year_official() == []


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_warns_all_year_when_the_current_year_is_provisional():
    CalendarYear.objects.update_or_create(year=2027, defaults={"source": CalendarYear.Source.PROVISIONAL})
    assert _years(calendar_health_warnings()) == [2027]
    assert [w.id for w in calendar_next_year_official()] == ["core.W001"]
    CalendarYear.objects.filter(year=2027).update(source=CalendarYear.Source.OFFICIAL)
    assert calendar_health_warnings() == []


@time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_warns_before_november_when_a_running_deadline_falls_due_in_a_provisional_year():
    user = get_user_model().objects.create_user("officer1", password="x")
    deadline = clock.deadline_start(
        actor=user, subject=user, agency_id=1, kind="k", title="跨年", legal_basis="",
        unit=Deadline.Unit.CALENDAR_DAYS, amount=240, start_date=dt.date(2026, 6, 1), responsible=user,
    )  # fmt: skip
    assert deadline.due_date.year == 2027 and deadline.provisional
    assert _years(calendar_health_warnings()) == [2027]
    clock.deadline_satisfy(actor=user, deadline=deadline, by_act="x")
    assert calendar_health_warnings() == []


@time_machine.travel(dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_still_warns_from_november_about_next_year():
    assert _years(calendar_health_warnings()) == [2027]
