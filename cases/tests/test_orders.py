"""Orders of the decision (责令退还土地, 限期拆除, 恢复原状, 没收): each guard blocks and names its rule;
a demolition case walked to closing, by the party and by the court."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from cases.models import CaseStatus, PaymentChannel
from cases.selectors import case_deadlines
from cases.services import TransitionRefused, available_actions, case_act, payment_record
from cases.services.execution import court_window, remedy_period_end
from cases.tests.factories import FINE, act, case_world, new_case, walk
from core.errors import ValidationFailed
from core.models import Deadline

TZ = datetime.timezone(datetime.timedelta(hours=8))
DEMOLISH = {"kind": "demolish", "days": 15, "description": "拆除非法占用土地上新建的建筑物"}
RETURN = {"kind": "return_land", "days": 30, "description": "退还非法占用的土地"}
CONFISCATE = {"kind": "confiscate_buildings", "description": "没收非法占用土地上新建的厂房"}


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def refused(case, world, action, *, today=None, data=None, actor=None):
    with pytest.raises(TransitionRefused) as err:
        if actor is not None:
            case_act(case=case, actor=actor, action=action, data=data or {}, today=today)
        else:
            act(case, world, action, today=today, data=data)
    return {v.code: v for v in err.value.violations}


def decided(world, kinds, orders, facts=None, *, deliver=True):
    case = walk(new_case(world, facts=facts), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "report", data={**FINE, "kinds": kinds})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")  # hearing waived
    case = act(case, world, "decide", data={"orders": orders})
    if deliver:
        case = act(case, world, "deliver")
    return case


def verify(case, world, n, *, complied=True, on=None):
    on = on or timezone.localdate()
    body = {
        "order": n,
        "verified_on": on.isoformat(),
        "officer_ids": [world.officer1.pk, world.officer2.pk],
        "finding": "经现场核查，建筑物已拆除，土地已退还" if complied else "现场仍有建筑物未拆除",
        "complied": complied,
    }
    return act(case, world, "verify_order", data=body, today=on)


# ---------------------------------------------------------------- the decision states its orders


def test_a_demolition_decision_without_the_order_and_its_deadline_is_refused(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "report", data={**FINE, "kinds": ["fine", "demolition"]})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    found = refused(case, world, "decide", data={"orders": []})
    assert found["order_missing"].basis == "行政处罚法 Art.59; 土地管理法 Art.77"


def test_confiscating_buildings_needs_the_confiscation_order(world):
    case = walk(new_case(world, facts={"buildings": True}), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "report", data={**FINE, "kinds": ["fine", "confiscation"]})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    assert "order_missing" in refused(case, world, "decide", data={"orders": [DEMOLISH]})


def test_an_order_without_a_deadline_is_invalid_input(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    with pytest.raises(ValidationFailed) as err:
        act(case, world, "decide", data={"orders": [{"kind": "demolish"}]})
    assert "orders" in err.value.field_errors
    with pytest.raises(ValidationFailed):
        act(case, world, "decide", data={"orders": [{"kind": "burn", "days": 3}]})


def test_an_order_deadline_not_after_delivery_is_refused(world):
    today = timezone.localdate()
    orders = [{**DEMOLISH, "days": None, "deadline": (today + datetime.timedelta(days=3)).isoformat()}]
    case = decided(world, ["fine", "demolition"], orders, deliver=False)
    late = (today + datetime.timedelta(days=3)).isoformat()
    found = refused(case, world, "deliver", data={"delivered_on": late, "method": "in_person"})
    assert found["order_deadline_passed"].basis == "行政处罚法 Art.59"


def test_delivery_starts_each_order_deadline_and_the_90_day_handover(world):
    case = decided(world, ["fine", "demolition", "confiscation"], [DEMOLISH, CONFISCATE], {"buildings": True})
    order = case_deadlines(case=case, kind="cases.order.1").get()
    assert (order.unit, order.amount, order.start_date) == ("calendar_days", 15, case.delivered_on)
    handover = case_deadlines(case=case, kind="cases.confiscation_handover").get()
    assert (handover.unit, handover.amount, handover.legal_basis) == (
        "calendar_days",
        90,
        "土地管理法实施条例 Art.58",
    )
    assert case.orders[0]["due_on"] == order.due_date.isoformat()


# ---------------------------------------------------------------- verification and hand-over


def test_completion_needs_every_order_verified_and_verification_needs_two_certified_officers(world):
    case = decided(world, ["fine", "demolition"], [DEMOLISH, RETURN])
    case = act(case, world, "execute")
    payment_record(
        actor=world.officer1.user,
        case=case,
        amount=Decimal("5000.00"),
        paid_on=case.delivered_on,
        receipt_number="R1",
    )
    case.refresh_from_db()
    body = {"completed_on": case.delivered_on.isoformat()}
    found = refused(case, world, "complete_execution", data=body)
    assert found["orders_not_performed"].basis.startswith("土地管理法 Arts.77, 83")
    with pytest.raises(ValidationFailed) as err:
        act(case, world, "verify_order", data={"order": 1, "verified_on": "2026-01-01", "officer_ids": [1]})
    assert "officer_ids" in err.value.field_errors
    outsider = {
        "order": 1,
        "verified_on": case.delivered_on.isoformat(),
        "officer_ids": [world.officer1.pk, world.outsider.pk],
        "finding": "已拆除",
    }
    assert refused(case, world, "verify_order", data=outsider)["verifiers_not_certified"].basis == (
        "行政处罚法 Arts.42, 55"
    )
    before = (case.delivered_on - datetime.timedelta(days=1)).isoformat()
    assert "date_before_delivery" in refused(
        case,
        world,
        "verify_order",
        data={**outsider, "officer_ids": [world.officer1.pk, world.officer2.pk], "verified_on": before},
    )
    case = verify(case, world, 1, complied=False)
    assert case.orders[0]["status"] == "pending" and len(case.orders[0]["verifications"]) == 1
    case = verify(case, world, 1)
    case = verify(case, world, 2)
    assert [o["status"] for o in case.orders] == ["verified", "verified"]
    assert case_deadlines(case=case, kind="cases.order.1").get().status == Deadline.Status.SATISFIED
    assert "order_not_pending" in refused(
        case,
        world,
        "verify_order",
        data={
            "order": 1,
            "verified_on": case.delivered_on.isoformat(),
            "officer_ids": [world.officer1.pk, world.officer2.pk],
            "finding": "再次核查",
        },
    )
    case = act(case, world, "complete_execution", data=body)
    assert case.status == CaseStatus.EXECUTED
    assert act(case, world, "close").status == CaseStatus.CLOSED


def test_completion_without_a_fine_needs_no_payment(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "report", data={"proposed_outcome": "penalty", "kinds": ["demolition"]})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    case = act(case, world, "decide", data={"orders": [DEMOLISH]})
    case = act(case, world, "deliver")
    assert not case_deadlines(case=case, kind="cases.payment").exists()
    case = act(case, world, "execute")
    case = verify(case, world, 1)
    case = act(case, world, "complete_execution", data={"completed_on": case.delivered_on.isoformat()})
    assert case.status == CaseStatus.EXECUTED


def test_confiscated_buildings_are_handed_over_and_the_handover_deadline_is_met(world):
    case = decided(world, ["fine", "confiscation"], [CONFISCATE], {"buildings": True})
    case = act(case, world, "execute")
    body = {"order": 1, "handed_on": case.delivered_on.isoformat(), "recipient": "县人民政府"}
    assert "order_not_pending" in refused(
        case,
        world,
        "verify_order",
        data={
            "order": 1,
            "verified_on": case.delivered_on.isoformat(),
            "officer_ids": [world.officer1.pk, world.officer2.pk],
            "finding": "x",
        },
    )
    case = act(case, world, "hand_over_confiscated", data=body)
    assert case.orders[0]["status"] == "handed_over"
    assert (
        case_deadlines(case=case, kind="cases.confiscation_handover").get().status
        == Deadline.Status.SATISFIED
    )
    assert "no_pending_order" in refused(case, world, "hand_over_confiscated", data=body)


# ---------------------------------------------------------------- the court for a demolition


@pytest.mark.django_db
def test_demolition_enforced_by_the_court_after_the_15_day_suit_window_and_reconsideration_period():
    with at(datetime.date(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
        case = act(case, world, "report", data={"proposed_outcome": "penalty", "kinds": ["demolition"]})
        case = act(case, world, "notify")
        case = act(case, world, "record_statement")
        case = act(case, world, "decide", data={"orders": [DEMOLISH]})
        case = act(case, world, "deliver")
        case = act(case, world, "execute")
    # 15 days from 03-02: 03-17. Before it, no reminder (the party still has time).
    assert case.orders[0]["due_on"] == "2026-03-17"
    body = {"subject": "orders", "delivered_on": "2026-03-17", "method": "in_person"}
    with at(datetime.date(2026, 3, 17)):
        found = refused(case, world, "serve_reminder", data=body, today=datetime.date(2026, 3, 17))
    assert found["obligation_not_overdue"].basis == "行政强制法 Arts.35, 54"
    with at(datetime.date(2026, 3, 18)):
        case = act(
            case,
            world,
            "serve_reminder",
            data={**body, "delivered_on": "2026-03-18"},
            today=datetime.date(2026, 3, 18),
        )
    # The suit window is 15 days (土地管理法 Art.83), reconsideration 60 days: the later one ends 05-01 (a
    # holiday: the period ends on the next working day).
    end = remedy_period_end(case, demolition_only=True)
    assert end == datetime.date(2026, 5, 6)
    apply = {"subject": "orders", "applied_on": end.isoformat(), "court": "县人民法院"}
    with at(end):
        found = refused(case, world, "apply_to_court", data=apply, today=end)
    assert found["remedy_period_running"].basis == "土地管理法 Art.83; 行政强制法 Arts.44, 53"
    first, _last = court_window(case, demolition_only=True)
    assert first == end + datetime.timedelta(days=1)
    with at(first):
        case = act(
            case, world, "apply_to_court", data={**apply, "applied_on": first.isoformat()}, today=first
        )
        outcome = {"subject": "orders", "outcome": "enforced", "decided_on": first.isoformat()}
        case = act(case, world, "record_court_outcome", data=outcome, today=first)
        assert case.orders[0]["status"] == "enforced"
        case = act(case, world, "complete_execution", data={"completed_on": first.isoformat()}, today=first)
        case = act(case, world, "close", today=first)
    assert case.status == CaseStatus.CLOSED
    assert not case_deadlines(case=case, open_only=True).exists()


def test_available_actions_show_the_execution_actions_with_their_reasons(world):
    case = decided(world, ["fine", "demolition"], [DEMOLISH])
    case = act(case, world, "execute")
    actions = {a["action"]: a for a in available_actions(case=case, actor=world.officer1.user)}
    assert {
        "verify_order",
        "hand_over_confiscated",
        "serve_reminder",
        "apply_to_court",
        "record_court_outcome",
        "approve_payment_plan",
    } <= set(actions)
    assert actions["verify_order"]["allowed"] is True
    codes = {b["code"] for b in actions["apply_to_court"]["blocked_by"]}
    assert {"head_required", "no_reminder", "remedy_period_running"} <= codes
    assert {b["code"] for b in actions["record_court_outcome"]["blocked_by"]} == {"no_court_application"}
    assert {b["code"] for b in actions["complete_execution"]["blocked_by"]} == {"orders_not_performed"}
    assert all(a["warnings"] == [] for a in actions.values())


def test_court_outcome_for_money_records_the_payment_by_the_court(world):
    case = walk(new_case(world), world, CaseStatus.EXECUTING)
    late = case.delivered_on + datetime.timedelta(days=40)
    with at(late):
        case = act(case, world, "serve_reminder", today=late)
    first, _ = court_window(case)
    with at(first):
        case = act(case, world, "apply_to_court", today=first)
        case = act(case, world, "record_court_outcome", today=first)
        payment = case.payments.get()
        assert (payment.channel, payment.amount) == (PaymentChannel.COURT, Decimal("5000.00"))
        case = act(case, world, "complete_execution", data={"completed_on": first.isoformat()}, today=first)
    assert case.status == CaseStatus.EXECUTED
