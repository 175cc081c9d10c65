"""执行: payments, the late surcharge (行政处罚法 Arts.66–67, 72–73) and reconsideration / litigation."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from cases.models import CaseStatus, Payment, Remedy
from cases.selectors import case_deadlines
from cases.services import (
    TransitionRefused,
    case_late_surcharge,
    decision_withdrawal_required,
    late_surcharge,
    payment_record,
    remedy_outcome_record,
    remedy_record,
)
from cases.services.execution import RuleRefused
from cases.tests.factories import act, case_world, new_case, walk
from cases.tests.test_documents_flow import docs, pdf_text
from core.errors import ValidationFailed
from core.models import Deadline, LedgerEntry

TZ = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date
DUE = D(2026, 1, 10)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


# ---------------------------------------------------------------- late surcharge (pure)


@pytest.mark.parametrize(
    ("fine", "on", "expected"),
    [
        ("1000.00", D(2026, 1, 10), "0.00"),  # the due date itself
        ("1000.00", D(2026, 1, 9), "0.00"),
        ("1000.00", D(2026, 1, 11), "30.00"),  # one day late: 3 %
        ("1000.00", D(2026, 1, 20), "300.00"),
        ("1000.00", D(2026, 2, 12), "990.00"),  # 33 days
        ("1000.00", D(2026, 2, 13), "1000.00"),  # 34 days would be 1,020: capped at the fine
        ("1000.00", D(2027, 1, 1), "1000.00"),
        ("333.33", D(2026, 1, 11), "10.00"),  # 9.9999 rounded to the fen
    ],
)
def test_surcharge_examples_and_cap(fine, on, expected):
    assert late_surcharge(fine=Decimal(fine), due_date=DUE, on=on) == Decimal(expected)


def test_surcharge_is_not_counted_while_litigation_is_pending():
    # late from 01-11; a suit pending 01-15 … 01-25 (decided 01-25): 10 days not counted
    pending = [(D(2026, 1, 15), D(2026, 1, 25))]
    assert late_surcharge(fine=Decimal("1000"), due_date=DUE, on=D(2026, 1, 30), pending=pending) == Decimal(
        "300.00"
    )
    # still pending on the day asked: only the days before the filing count
    open_suit = [(D(2026, 1, 15), None)]
    assert late_surcharge(fine=Decimal("1000"), due_date=DUE, on=D(2026, 3, 1), pending=open_suit) == Decimal(
        "120.00"
    )
    # a reconsideration filed before the due date and decided on 01-12: 01-11 is not counted,
    # the day of the decision and the next are
    early = [(D(2026, 1, 1), D(2026, 1, 12))]
    assert late_surcharge(fine=Decimal("1000"), due_date=DUE, on=D(2026, 1, 13), pending=early) == Decimal(
        "60.00"
    )


fines = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
days = st.integers(min_value=-30, max_value=400)


@given(fine=fines, late=days)
def test_surcharge_is_bounded_by_zero_and_the_fine(fine, late):
    s = late_surcharge(fine=fine, due_date=DUE, on=DUE + datetime.timedelta(days=late))
    assert Decimal("0") <= s <= fine
    assert s == s.quantize(Decimal("0.01"))
    if late <= 0:
        assert s == 0


@given(fine=fines, a=days, b=days)
def test_surcharge_never_decreases_with_time(fine, a, b):
    lo, hi = sorted((a, b))
    assert late_surcharge(fine=fine, due_date=DUE, on=DUE + datetime.timedelta(days=lo)) <= late_surcharge(
        fine=fine, due_date=DUE, on=DUE + datetime.timedelta(days=hi)
    )


@given(fine=fines, late=days, start=st.integers(-10, 400), length=st.integers(0, 400))
def test_a_pending_remedy_never_adds_surcharge(fine, late, start, length):
    on = DUE + datetime.timedelta(days=late)
    began = DUE + datetime.timedelta(days=start)
    pending = [(began, began + datetime.timedelta(days=length))]
    assert late_surcharge(fine=fine, due_date=DUE, on=on, pending=pending) <= late_surcharge(
        fine=fine, due_date=DUE, on=on
    )


@given(fine=fines, late=st.integers(1, 33))
def test_surcharge_is_three_percent_a_day_below_the_cap(fine, late):
    expected = min(fine, (fine * Decimal("0.03") * late).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert late_surcharge(fine=fine, due_date=DUE, on=DUE + datetime.timedelta(days=late)) == expected


# ---------------------------------------------------------------- payments


def payment_deadline(case):
    return case_deadlines(case=case, kind="cases.payment").get()


def test_partial_then_full_payment_satisfies_the_payment_deadline(world):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)  # fine 5,000
    today = case.delivered_on
    payment_record(
        actor=world.officer1.user, case=case, amount=Decimal("2000.00"), paid_on=today, receipt_number="R1"
    )
    assert payment_deadline(case).status != Deadline.Status.SATISFIED
    payment_record(
        actor=world.officer1.user, case=case, amount=Decimal("3000.00"), paid_on=today, receipt_number="R2"
    )
    assert payment_deadline(case).status == Deadline.Status.SATISFIED
    assert LedgerEntry.objects.filter(act="case.payment_record").count() == 2
    # the recorded payments complete the execution without a new payment in the body
    case = act(case, world, "execute")
    case = act(case, world, "complete_execution", data={"completed_on": today.isoformat()})
    assert case.status == CaseStatus.EXECUTED
    assert Payment.objects.filter(case=case).count() == 2


def test_partial_payment_does_not_complete_execution(world):
    case = walk(new_case(world), world, CaseStatus.EXECUTING)
    today = case.delivered_on
    payment_record(
        actor=world.officer1.user, case=case, amount=Decimal("1000.00"), paid_on=today, receipt_number="R1"
    )
    with pytest.raises(TransitionRefused) as err:
        act(case, world, "complete_execution", data={"completed_on": today.isoformat()})
    assert err.value.violations[0].code == "fine_unpaid"
    # the rest, given with its receipt in the body, becomes a Payment
    body = {"completed_on": today.isoformat(), "paid_amount": "4000.00", "receipt_number": "R2"}
    case = act(case, world, "complete_execution", data=body)
    assert case.status == CaseStatus.EXECUTED
    assert sorted(Payment.objects.filter(case=case).values_list("receipt_number", flat=True)) == ["R1", "R2"]
    assert payment_deadline(case).status == Deadline.Status.SATISFIED


def test_payment_refusals(world):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    today = case.delivered_on
    with pytest.raises(ValidationFailed) as err:
        payment_record(
            actor=world.officer1.user, case=case, amount=Decimal("-1"), paid_on=today, receipt_number=""
        )
    assert set(err.value.field_errors) == {"amount", "receipt_number"}
    payment_record(
        actor=world.officer1.user, case=case, amount=Decimal("10.00"), paid_on=today, receipt_number="R1"
    )
    with pytest.raises(RuleRefused) as dup:
        payment_record(
            actor=world.officer1.user, case=case, amount=Decimal("10.00"), paid_on=today, receipt_number="R1"
        )
    assert dup.value.code == "receipt_already_recorded"
    undecided = walk(new_case(world), world, CaseStatus.NOTIFIED)
    with pytest.raises(RuleRefused) as none:
        payment_record(
            actor=world.officer1.user,
            case=undecided,
            amount=Decimal("10.00"),
            paid_on=today,
            receipt_number="X",
        )
    assert none.value.code == "no_fine_to_pay"


@pytest.mark.django_db
def test_case_surcharge_runs_from_the_payment_due_date_and_pauses_during_litigation():
    with at(D(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.DELIVERED)  # fine 5,000, delivered 03-02
    due = payment_deadline(case).due_date
    assert due == D(2026, 3, 17)
    assert case_late_surcharge(case=case, on=due) == Decimal("0.00")
    assert case_late_surcharge(case=case, on=due + datetime.timedelta(days=2)) == Decimal("300.00")
    with at(D(2026, 3, 20)):
        remedy = remedy_record(
            actor=world.officer1.user,
            case=case,
            kind="litigation",
            filed_on=D(2026, 3, 20),
            body="某县人民法院",
        )
    # 03-18, 03-19 count; from 03-20 the suit is pending
    assert case_late_surcharge(case=case, on=D(2026, 4, 30)) == Decimal("300.00")
    with at(D(2026, 4, 10)):
        remedy_outcome_record(
            actor=world.head.user, remedy=remedy, outcome="upheld", decided_on=D(2026, 4, 10)
        )
    # counted again from the judgment: 03-18, 03-19, 04-10, 04-11, 04-12
    assert case_late_surcharge(case=case, on=D(2026, 4, 12)) == Decimal("750.00")
    assert case_late_surcharge(case=case, on=D(2027, 1, 1)) == Decimal("5000.00")
    with at(D(2026, 4, 12)):
        payment_record(
            actor=world.officer1.user,
            case=case,
            amount=Decimal("5000.00"),
            paid_on=D(2026, 4, 12),
            receipt_number="R",
        )
    # paid in full on 04-12: the surcharge stops there
    assert case_late_surcharge(case=case, on=D(2027, 1, 1)) == Decimal("750.00")


# ---------------------------------------------------------------- reconsideration and litigation


def _remedy(world, case, kind="reconsideration"):
    return remedy_record(
        actor=world.officer1.user, case=case, kind=kind, filed_on=case.decided_on, body="县人民政府"
    )


def test_upheld_leaves_the_decision(world):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    remedy = _remedy(world, case)
    assert LedgerEntry.objects.filter(act="case.remedy_record").exists()
    remedy_outcome_record(actor=world.head.user, remedy=remedy, outcome="upheld", decided_on=case.decided_on)
    case.refresh_from_db()
    assert case.decided_amount == Decimal("5000.00") and case.decision_revoked_on is None
    assert case.events.filter(action="remedy_outcome").exists()


def test_changed_outcome_updates_the_penalty_and_asks_for_withdrawal(
    world, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, **kw):
        received.append(kw)

    decision_withdrawal_required.connect(receiver)
    try:
        case = walk(new_case(world), world, CaseStatus.DELIVERED)
        remedy = _remedy(world, case, "litigation")
        with django_capture_on_commit_callbacks(execute=True):
            remedy_outcome_record(
                actor=world.head.user,
                remedy=remedy,
                outcome="changed",
                decided_on=case.decided_on,
                changed_amount=Decimal("3000.00"),
            )
    finally:
        decision_withdrawal_required.disconnect(receiver)
    case.refresh_from_db()
    assert case.decided_amount == Decimal("3000.00")
    assert case.decision_revoked_on is None
    entry = LedgerEntry.objects.filter(act="case.remedy_outcome").get()
    assert '"5000.00"' in entry.payload and '"3000.00"' in entry.payload
    assert received and received[0]["outcome"] == "changed" and received[0]["case_id"] == case.pk


@pytest.mark.parametrize("outcome", ["revoked", "confirmed_unlawful"])
def test_revocation_marks_the_decision_revoked(world, outcome, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kw):
        received.append(kw["outcome"])

    decision_withdrawal_required.connect(receiver)
    try:
        case = walk(new_case(world), world, CaseStatus.DELIVERED)
        remedy = _remedy(world, case)
        with django_capture_on_commit_callbacks(execute=True):
            remedy_outcome_record(
                actor=world.head.user, remedy=remedy, outcome=outcome, decided_on=case.decided_on
            )
    finally:
        decision_withdrawal_required.disconnect(receiver)
    case.refresh_from_db()
    assert case.decision_revoked_on == case.decided_on
    assert received == [outcome]
    assert Remedy.objects.get(pk=remedy.pk).outcome == outcome
    with pytest.raises(ValidationFailed):
        remedy_outcome_record(
            actor=world.head.user, remedy=remedy, outcome="upheld", decided_on=case.decided_on
        )


def test_remedy_refusals(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    with pytest.raises(ValidationFailed) as err:
        remedy_record(
            actor=world.officer1.user, case=case, kind="appeal", filed_on=case.registered_on, body=""
        )
    assert {"kind", "body", "filed_on"} <= set(err.value.field_errors)
    decided = walk(new_case(world), world, CaseStatus.DELIVERED)
    remedy = _remedy(world, decided)
    with pytest.raises(ValidationFailed) as changed:
        remedy_outcome_record(
            actor=world.head.user, remedy=remedy, outcome="changed", decided_on=decided.decided_on
        )
    assert "changed_amount" in changed.value.field_errors


# ---------------------------------------------------------------- deferral and instalments (Art.66)


def _instalments(case, first="2500.00", second="2500.00", start=None):
    start = start or case.delivered_on
    return {
        "kind": "instalments",
        "applied_on": start.isoformat(),
        "approved_on": start.isoformat(),
        "reason": "当事人确有经济困难，申请分期缴纳",
        "instalments": [
            {"due_date": (start + datetime.timedelta(days=30)).isoformat(), "amount": first},
            {"due_date": (start + datetime.timedelta(days=60)).isoformat(), "amount": second},
        ],
    }


def test_payment_plan_is_approved_by_the_head_only_and_must_add_up(world):
    from cases.services import case_act

    case = walk(new_case(world), world, CaseStatus.EXECUTING)
    with pytest.raises(TransitionRefused) as err:
        case_act(case=case, actor=world.officer1.user, action="approve_payment_plan", data=_instalments(case))
    assert {v.code: v.basis for v in err.value.violations}["head_required"] == "行政处罚法 Art.66"
    with pytest.raises(TransitionRefused) as err:
        act(case, world, "approve_payment_plan", data=_instalments(case, second="1000.00"))
    assert err.value.violations[0].code == "payment_plan_invalid"
    assert err.value.violations[0].basis == "行政处罚法 Art.66"
    with pytest.raises(ValidationFailed) as bad:
        act(case, world, "approve_payment_plan", data={**_instalments(case), "instalments": []})
    assert "instalments" in bad.value.field_errors
    case = act(case, world, "approve_payment_plan", data=_instalments(case))
    with pytest.raises(TransitionRefused) as again:
        act(case, world, "approve_payment_plan", data=_instalments(case))
    assert again.value.violations[0].code == "payment_plan_exists"


@pytest.mark.django_db
def test_fine_paid_in_instalments_moves_the_deadline_and_surcharges_only_the_late_instalment():
    with at(D(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.EXECUTING)  # fine 5,000, due 03-17
        case = act(case, world, "approve_payment_plan", data=_instalments(case))
    deadlines = list(case_deadlines(case=case, kind="cases.payment").order_by("pk"))
    assert deadlines[0].status == Deadline.Status.CANCELLED  # the 15-day deadline moved
    first, second = deadlines[1:]
    assert (first.due_date, second.due_date) == (D(2026, 4, 1), D(2026, 5, 6))  # 05-01 falls in May Day
    # no surcharge before an instalment is due, though the original 15 days have passed
    assert case_late_surcharge(case=case, on=D(2026, 3, 31)) == Decimal("0.00")
    with at(D(2026, 4, 1)):
        payment_record(
            actor=world.officer1.user,
            case=case,
            amount=Decimal("2500.00"),
            paid_on=D(2026, 4, 1),
            receipt_number="R1",
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Deadline.Status.SATISFIED and second.status != Deadline.Status.SATISFIED
    # the second instalment, 2,500 yuan, is two days late: 3 % of 2,500 × 2
    assert case_late_surcharge(case=case, on=D(2026, 5, 8)) == Decimal("150.00")
    with at(D(2026, 5, 8)):
        payment_record(
            actor=world.officer1.user,
            case=case,
            amount=Decimal("2500.00"),
            paid_on=D(2026, 5, 8),
            receipt_number="R2",
        )
        case.refresh_from_db()
        case = act(case, world, "complete_execution", data={"completed_on": "2026-05-08"})
    assert case.status == CaseStatus.EXECUTED
    assert case_late_surcharge(case=case, on=D(2027, 1, 1)) == Decimal("150.00")


@pytest.mark.django_db
def test_deferral_moves_the_due_date_and_the_court_window():
    from cases.services.execution import court_window

    with at(D(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.EXECUTING)
        before = court_window(case)
        body = {
            "kind": "deferral",
            "applied_on": "2026-03-05",
            "approved_on": "2026-03-06",
            "reason": "经济困难",
            "due_date": "2026-10-30",
        }
        case = act(case, world, "approve_payment_plan", data=body)
    assert payment_deadline_open(case).due_date == D(2026, 10, 30)
    assert case_late_surcharge(case=case, on=D(2026, 10, 30)) == Decimal("0.00")
    assert case_late_surcharge(case=case, on=D(2026, 11, 1)) == Decimal("300.00")
    # 行政处罚法 Art.72: the court window runs from the end of the deferral
    assert before[0] == D(2026, 9, 3)
    assert court_window(case) == (D(2026, 10, 31), D(2027, 2, 1))  # 01-30 is a Saturday


def payment_deadline_open(case):
    return case_deadlines(case=case, kind="cases.payment", open_only=True).get()


# ---------------------------------------------------------------- 催告 and the court (money)


@pytest.mark.django_db
def test_reminder_then_court_application_in_the_statutory_window():
    """A fine unpaid: 催告 once it is late (Art.35), the court 10 WD later (Art.54) and only after the
    复议/诉讼 periods, within 3 months (Art.53); the windows run across National Day 2026."""
    with at(D(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.EXECUTING)  # delivered 03-02, due 03-17
    reminder = {"subject": "fine", "delivered_on": "2026-03-17", "method": "in_person"}
    with at(D(2026, 3, 17)), pytest.raises(TransitionRefused) as err:
        act(case, world, "serve_reminder", data=reminder)
    assert err.value.violations[0].code == "obligation_not_overdue"
    apply = {"subject": "fine", "applied_on": "2026-09-25", "court": "县人民法院"}
    with at(D(2026, 9, 25)), pytest.raises(TransitionRefused) as err:
        act(case, world, "apply_to_court", data=apply)
    assert {v.code for v in err.value.violations} == {"no_reminder"}
    assert err.value.violations[0].basis == "行政强制法 Arts.35, 54"
    with at(D(2026, 9, 25)):
        case = act(case, world, "serve_reminder", data={**reminder, "delivered_on": "2026-09-25"})
    served = case.enforcement["reminders"][0]
    # 10 WD from Friday 09-25: 09-28, 09-29, 09-30, 10-08, 10-09, 10-10 (make-up), 10-12 … 10-15
    assert served["perform_by"] == "2026-10-15" and served["surcharge"] == "5000.00"
    assert case.deliveries.filter(document="reminder").exists()
    wait = case_deadlines(case=case, kind="cases.reminder.fine").get()
    window = case_deadlines(case=case, kind="cases.court_application.fine").get()
    assert (wait.unit, wait.due_date) == ("workdays", D(2026, 10, 15))
    # periods end 09-02 (6 months from 03-02); 3 months from then: 12-02
    assert (window.unit, window.amount, window.due_date) == ("months", 3, D(2026, 12, 2))
    with at(D(2026, 10, 15)), pytest.raises(TransitionRefused) as err:
        act(case, world, "apply_to_court", data={**apply, "applied_on": "2026-10-15"})
    assert err.value.violations[0].code == "reminder_period_running"
    assert err.value.violations[0].basis == "行政强制法 Art.54"
    with at(D(2026, 12, 3)), pytest.raises(TransitionRefused) as err:
        act(case, world, "apply_to_court", data={**apply, "applied_on": "2026-12-03"})
    assert err.value.violations[0].code == "court_window_passed"
    assert err.value.violations[0].basis == "行政强制法 Art.53"
    with at(D(2026, 10, 16)):
        case = act(case, world, "apply_to_court", data={**apply, "applied_on": "2026-10-16"})
    window.refresh_from_db()
    assert window.status == Deadline.Status.SATISFIED
    # the 催告书 with its 送达回证, and the 强制执行申请书 naming decision and reminder (行政强制法 Art.55)
    issued = {d.kind: d for d in docs(case, world.officer1.user)}
    reminder_doc, application = issued["payment_reminder"], issued["enforcement_application"]
    receipt = case.deliveries.get(document="reminder").receipt_document
    assert "催告书" in pdf_text(receipt) and reminder_doc.number in pdf_text(receipt)
    text = pdf_text(application)
    for expected in (
        "强制执行申请书",
        "县人民法院",
        case.decision_number,
        reminder_doc.number,
        "2026年9月25日",  # the reminder's date
        "申请执行",
        "罚款人民币5,000.00元",
        "张三",
        "2026年10月16日",
    ):
        assert expected in text, expected
    assert application.idempotency_key.endswith("-apply_to_court:enforcement_application")
    with at(D(2026, 11, 20)):
        outcome = {
            "subject": "fine",
            "outcome": "enforced",
            "decided_on": "2026-11-20",
            "collected_amount": "5000.00",
            "receipt_number": "(2026)执123号",
        }
        # a seizure on site needs its whole-process recording (records' default rule 查封、扣押)
        with pytest.raises(TransitionRefused) as err:
            act(case, world, "record_court_outcome", data={**outcome, "measure": "seizure"})
        assert [v.code for v in err.value.violations] == ["av_missing"]
        assert "查封" in err.value.violations[0].message
        case = act(case, world, "record_court_outcome", data=outcome)
        case = act(case, world, "complete_execution", data={"completed_on": "2026-11-20"})
    assert case.enforcement["court"][0]["outcome"] == "enforced"
    assert case.status == CaseStatus.EXECUTED


def test_court_application_waits_for_a_pending_remedy_and_a_revoked_decision_is_not_enforced(world):
    case = walk(new_case(world), world, CaseStatus.EXECUTING)
    late = case.delivered_on + datetime.timedelta(days=40)
    with at(late):
        case = act(case, world, "serve_reminder", today=late)
        remedy = remedy_record(
            actor=world.officer1.user, case=case, kind="litigation", filed_on=late, body="县人民法院"
        )
    case.refresh_from_db()
    found = {v.code: v for v in _refusals(case, world, "apply_to_court", late + datetime.timedelta(days=200))}
    assert found["remedy_pending"].basis == "行政强制法 Art.53"
    with at(late):
        remedy_outcome_record(actor=world.head.user, remedy=remedy, outcome="revoked", decided_on=late)
    case.refresh_from_db()
    assert "decision_revoked" in {v.code for v in _refusals(case, world, "serve_reminder", late)}


def test_court_outcome_needs_an_application_and_paid_fines_are_not_enforced(world):
    case = walk(new_case(world), world, CaseStatus.EXECUTING)
    assert {v.code for v in _refusals(case, world, "record_court_outcome", case.delivered_on)} == {
        "no_court_application"
    }
    payment_record(
        actor=world.officer1.user,
        case=case,
        amount=Decimal("5000.00"),
        paid_on=case.delivered_on,
        receipt_number="R1",
    )
    case.refresh_from_db()
    later = case.delivered_on + datetime.timedelta(days=300)
    assert "nothing_to_enforce" in {v.code for v in _refusals(case, world, "apply_to_court", later)}


def _refusals(case, world, action, today):
    with at(today), pytest.raises(TransitionRefused) as err:
        act(case, world, action, today=today)
    return err.value.violations
