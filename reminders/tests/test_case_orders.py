"""Reminders of the deadlines of a penalty decision's orders (责令限期拆除 / 退还土地: kinds
"cases.order.<n>", opened on delivery): the seeded rule of the family "cases.order.*" finds each
order's deadline in its window, once, and addresses the case's party through cases.selectors."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.selectors import case_deadlines
from cases.tests.factories import FINE, act, case_world, new_case, walk
from reminders import services
from reminders.models import Reminder, ReminderRule, ReminderStatus, ReminderTask, TaskKind

from .conftest import NOW

pytestmark = pytest.mark.django_db

DEMOLISH = {"kind": "demolish", "days": 15, "description": "拆除非法占用土地上新建的建筑物"}
RETURN = {"kind": "return_land", "days": 30, "description": "退还非法占用的土地"}


@pytest.fixture
def delivered(db):
    world = case_world()
    case = walk(new_case(world), world, "investigating")
    case = act(case, world, "report", data={**FINE, "kinds": ["fine", "demolition"]})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    case = act(case, world, "decide", data={"orders": [DEMOLISH, RETURN]})
    return act(case, world, "deliver")


def test_the_order_rule_is_seeded_as_data_for_every_order_of_a_decision():
    rule = ReminderRule.objects.get(code="order-performance-due")
    assert rule.deadline_kind == "cases.order.*" and rule.offsets == [7, 1] and rule.active
    assert services.kind_match("cases.order.*") == ("LIKE %s ESCAPE '\\'", "cases.order.%")
    assert services.kind_match("licence.expiry") == ("= %s", "licence.expiry")


def test_each_order_deadline_gets_its_reminder_once_addressed_to_the_party(delivered):
    ReminderRule.objects.exclude(code="order-performance-due").update(active=False)
    demolish = case_deadlines(case=delivered, kind="cases.order.1").get()
    ret = case_deadlines(case=delivered, kind="cases.order.2").get()
    assert ret.due_date > demolish.due_date

    # given the day seven days before the demolition deadline: only that order is in a window
    first = services.reminders_scan(today=demolish.due_date - dt.timedelta(days=7), now=NOW)
    again = services.reminders_scan(today=demolish.due_date - dt.timedelta(days=7), now=NOW)
    assert (first.created, again.created) == (1, 0)
    assert list(Reminder.objects.values_list("deadline_id", "days_before")) == [(demolish.pk, 7)]

    # the day before the return-land deadline both orders have passed 7 days: the second gets 1
    services.reminders_scan(today=ret.due_date - dt.timedelta(days=1), now=NOW)
    got = set(Reminder.objects.values_list("deadline_id", "days_before"))
    assert got == {(demolish.pk, 7), (ret.pk, 1)}

    # sending: the party (no phone, no e-mail in the case file) is reached by letter
    services.reminders_send(now=NOW)
    reminder = Reminder.objects.get(deadline=demolish)
    assert reminder.status == ReminderStatus.TASK
    assert reminder.recipient_name == "张三" and reminder.address
    assert reminder.reference == (delivered.decision_number or delivered.case_number)
    assert "限期拆除" in reminder.text and reminder.reference in reminder.text
    assert ReminderTask.objects.get(reminder=reminder).kind == TaskKind.LETTER


def test_other_kinds_do_not_match_the_order_family(delivered):
    ReminderRule.objects.exclude(code="order-performance-due").update(active=False)
    payment = case_deadlines(case=delivered, kind="cases.payment").first()
    assert payment is not None
    services.reminders_scan(today=payment.due_date - dt.timedelta(days=1), now=NOW)
    assert not Reminder.objects.filter(deadline=payment).exists()
