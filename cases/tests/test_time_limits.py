"""Time limits on the clock with frozen time, across the 2026 National Day holiday (10-01 … 10-07,
make-up working days 09-20 and 10-10)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from cases.models import CaseStatus
from cases.selectors import case_deadlines
from cases.services import TransitionRefused
from cases.tests.factories import act, case_world, new_case, walk

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


@pytest.mark.django_db
def test_statement_window_runs_over_national_day_and_the_make_up_saturday():
    with at(datetime.date(2026, 9, 14)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.INVESTIGATION_REPORTED)
    decision = case_deadlines(case=case, kind="cases.decision").get()
    # 90 calendar days from 2026-09-14 is Sunday 2026-12-13: the next working day (民诉法 Art.85).
    assert decision.due_date == datetime.date(2026, 12, 14)
    with at(datetime.date(2026, 9, 29)):
        case = act(case, world, "notify")
    statement = case_deadlines(case=case, kind="cases.statement").get()
    # 09-30 (1), holiday, 10-08 (2), 10-09 (3), Saturday 10-10 make-up day (4), 10-12 (5).
    assert statement.due_date == datetime.date(2026, 10, 12)
    with at(datetime.date(2026, 10, 12)), pytest.raises(TransitionRefused) as err:
        act(case, world, "decide")
    assert err.value.violations[0].code == "statement_window_open"
    with at(datetime.date(2026, 10, 13)):
        case = act(case, world, "decide")
    assert case.status == CaseStatus.DECIDED
    delivery = case_deadlines(case=case, kind="cases.delivery").get()
    assert delivery.start_date == datetime.date(2026, 10, 13)
    assert delivery.due_date == datetime.date(2026, 10, 22)  # 7 WD


@pytest.mark.django_db
def test_hearing_request_on_the_fifth_working_day_after_the_holiday_is_in_time():
    with at(datetime.date(2026, 9, 28)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.NOTIFIED, heavy=True)  # delivered 09-28
    # 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), 10-10 (5): the request window ends on the make-up Saturday.
    with at(datetime.date(2026, 10, 12)), pytest.raises(TransitionRefused) as err:
        act(case, world, "request_hearing")
    assert err.value.violations[0].code == "hearing_request_late"
    with at(datetime.date(2026, 10, 10)):
        case = act(case, world, "request_hearing")
    assert case.status == CaseStatus.HEARING_REQUESTED


@pytest.mark.django_db
def test_payment_deadline_is_fifteen_calendar_days_from_delivery():
    with at(datetime.date(2026, 9, 16)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.DECIDED)
        case = act(case, world, "deliver")
    payment = case_deadlines(case=case, kind="cases.payment").get()
    # 09-16 + 15 = 10-01, a holiday: the period ends on the next working day, 10-08.
    assert payment.due_date == datetime.date(2026, 10, 8)


@pytest.mark.django_db
def test_registration_time_limit_runs_ten_working_days_over_national_day():
    with at(datetime.date(2026, 9, 28)):
        world = case_world()
        case = act(new_case(world), world, "check")  # discovered 09-28
    dl = case_deadlines(case=case, kind="cases.registration").get()
    # 09-29, 09-30, 10-08, 10-09, 10-10 (make-up), 10-12 … 10-16: ten working days
    assert (dl.unit, dl.due_date) == ("workdays", datetime.date(2026, 10, 16))
    with at(datetime.date(2026, 10, 16)):
        case = act(case, world, "register")
    assert case.status == CaseStatus.REGISTERED
    assert "warnings" not in case.events.get(action="register").payload


@pytest.mark.django_db
def test_registration_after_the_time_limit_is_flagged():
    with at(datetime.date(2026, 9, 28)):
        world = case_world()
        case = act(new_case(world), world, "check")
    with at(datetime.date(2026, 10, 19)):
        case = act(case, world, "register")
    assert case.events.get(action="register").payload["warnings"][0]["code"] == "registration_late"


@pytest.mark.django_db
def test_correction_deadlines_five_working_days_or_fifteen_calendar_days_across_national_day():
    with at(datetime.date(2026, 9, 29)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
        body = {
            "kind": "stop_and_correct",
            "issued_on": "2026-09-29",
            "content": "停止施工，限期改正",
            "days": 5,
        }
        case = act(case, world, "order_correction", data=body)
    # 5 days are working days (行政处罚法 Art.85): 09-30, 10-08, 10-09, 10-10 (make-up), 10-12
    assert case.correction_orders[0]["due_on"] == "2026-10-12"
    with at(datetime.date(2026, 9, 29)):
        case = act(case, world, "order_correction", data={**body, "days": 15})
    # 15 calendar days: 10-14
    assert case.correction_orders[1]["due_on"] == "2026-10-14"


@pytest.mark.django_db
def test_order_deadline_ending_in_the_holiday_moves_to_the_next_working_day():
    with at(datetime.date(2026, 9, 16)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
        case = act(case, world, "report", data={"proposed_outcome": "penalty", "kinds": ["demolition"]})
        case = act(case, world, "notify")
        case = act(case, world, "record_statement")
        orders = [{"kind": "demolish", "days": 15, "description": "拆除"}]
        case = act(case, world, "decide", data={"orders": orders})
        case = act(case, world, "deliver")
    # 09-16 + 15 = 10-01 (National Day): the period ends on 10-08
    assert case.orders[0]["due_on"] == "2026-10-08"
