"""Summary-procedure scenarios with frozen time across the 2026 National Day holiday (10-01 … 10-07,
make-up working days 09-20 and 10-10): from the record on the spot to filed (备案), closed and
archived; the filing limit counted in working days (LEGAL.md §7), overdue flagged by the scan."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from cases.models import CaseEvent, CaseStatus, Delivery, Payment
from cases.selectors import case_deadlines
from cases.services import TransitionRefused, case_act
from cases.services.summary import summary_case_record
from cases.tests.factories import RESIDENT_ID, USCC, build_archive, case_world, publish_decision
from cases.workflow.summary import CASH_HANDOVER, FILING
from core.models import Deadline, LedgerEntry
from core.services.clock import deadlines_scan

S = CaseStatus
TZ = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def on_the_spot(world: Any, **over: Any):
    body: dict[str, Any] = {
        "actor": world.officer1.user,
        "agency": world.agency,
        "co_officer_id": world.officer2.pk,
        "party_type": "natural",
        "party_name": "王五",
        "id_number": RESIDENT_ID,
        "findings": "当事人在城关镇人民路12号人行道上堆放建筑材料，影响通行，事实清楚",
        "location": "城关镇人民路12号",
        "facts_certain": True,
        "certificates_shown": True,
        "legal_basis": "《城市道路管理条例》第二十七条第（五）项、第四十二条",
        "rights_informed": True,
        "remedies_informed": True,
        "party_signed": True,
        "kinds": ["fine"],
        "amount": Decimal("50.00"),
        "payment": "on_spot",
        "receipt_number": "财政票据 2026-0001",
    }
    return summary_case_record(**{**body, **over})


def satisfied_late(deadline: Deadline) -> bool:
    payload = LedgerEntry.objects.filter(act="deadline.satisfied", object_id=str(deadline.pk)).get().payload
    return bool(json.loads(payload)["late"])


@pytest.mark.django_db
def test_scenario_paid_at_the_bank_filed_in_time_after_national_day_then_closed_and_archived():
    with at(D(2026, 9, 30)):
        world = case_world()
        case = on_the_spot(world, amount=Decimal("180.00"), payment="later")
    assert case.status == S.EXECUTING and case.case_number and case.decision_number
    delivery = Delivery.objects.get(case=case)
    assert (delivery.method, delivery.delivered_on) == ("in_person", D(2026, 9, 30))
    filing = case_deadlines(case=case, kind=FILING).get()
    # 2 working days from Wednesday 09-30: the holiday 10-01 … 10-07 does not count → 10-08 (1), 10-09 (2).
    # Counted in calendar days it would have ended on 10-02, in the middle of the holiday.
    assert (filing.start_date, filing.due_date) == (D(2026, 9, 30), D(2026, 10, 9))
    # The payment period is 15 calendar days from the delivery on the spot (Art.67): 10-15.
    assert case_deadlines(case=case, kind="cases.payment").get().due_date == D(2026, 10, 15)

    with at(D(2026, 10, 9)):
        deadlines_scan()
        filing.refresh_from_db()
        assert filing.status == Deadline.Status.DUE_SOON  # the last day: warned, not overdue
        case = case_act(case=case, actor=world.officer1.user, action="file_pending_payment")
    assert case.status == S.EXECUTING
    filing.refresh_from_db()
    assert filing.status == Deadline.Status.SATISFIED and not satisfied_late(filing)
    summary = case.facts["summary"]
    assert (summary["filed_on"], summary["filing_due"], summary["filed_late"]) == (
        "2026-10-09",
        "2026-10-09",
        False,
    )

    with at(D(2026, 10, 12)):
        case = case_act(
            case=case,
            actor=world.officer1.user,
            action="record_payment",
            data={"paid_on": "2026-10-12", "paid_amount": "180.00", "receipt_number": "工行 0042"},
        )
        assert case.status == S.EXECUTED
        publish_decision(case, world)  # 事后公开 of the decision before 结案
        case = case_act(case=case, actor=world.officer1.user, action="close")
        build_archive(case, world)  # the case file's package (records) before 归档
        case = case_act(case=case, actor=world.head.user, action="archive")
    assert (case.status, case.closed_on) == (S.ARCHIVED, D(2026, 10, 12))
    assert Payment.objects.get(case=case).channel == "bank"
    assert not case_deadlines(case=case, open_only=True).exists()
    actions = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True))
    assert actions[-7:] == [
        "record_on_spot",
        "decide_on_spot",
        "await_payment",
        "file_pending_payment",
        "record_payment",
        "close",
        "archive",
    ]


@pytest.mark.django_db
def test_scenario_collected_on_the_spot_filed_late_is_flagged_and_still_closes():
    with at(D(2026, 9, 29)):
        world = case_world()
        case = on_the_spot(world)
    assert case.status == S.EXECUTED
    assert Payment.objects.get(case=case).receipt_number == "财政票据 2026-0001"
    filing = case_deadlines(case=case, kind=FILING).get()
    cash = case_deadlines(case=case, kind=CASH_HANDOVER).get()
    # Tuesday 09-29: 09-30 (1), then the holiday, 10-08 (2).
    assert filing.due_date == cash.due_date == D(2026, 10, 8)

    with at(D(2026, 10, 8)):
        deadlines_scan()
        filing.refresh_from_db()
        assert filing.status != Deadline.Status.OVERDUE
    with at(D(2026, 10, 9)):
        deadlines_scan()
        filing.refresh_from_db()
        cash.refresh_from_db()
        assert (filing.status, cash.status) == (Deadline.Status.OVERDUE, Deadline.Status.OVERDUE)
        with pytest.raises(TransitionRefused) as err:
            case_act(case=case, actor=world.officer1.user, action="close")
        assert err.value.violations[0].code == "steps_missing"
        case = case_act(case=case, actor=world.officer1.user, action="hand_over_cash")
        case = case_act(case=case, actor=world.officer1.user, action="file_with_agency")
    filing.refresh_from_db()
    cash.refresh_from_db()
    assert filing.status == cash.status == Deadline.Status.SATISFIED
    assert satisfied_late(filing) and satisfied_late(cash)
    summary = case.facts["summary"]
    assert (summary["filed_on"], summary["filing_due"], summary["filed_late"]) == (
        "2026-10-09",
        "2026-10-08",
        True,
    )
    event = CaseEvent.objects.filter(case=case, action="file_with_agency").get()
    assert event.payload["filing"] == {"filed_on": "2026-10-09", "due": "2026-10-08", "late": True}

    with at(D(2026, 10, 9)):
        publish_decision(case, world)
        case = case_act(case=case, actor=world.officer1.user, action="close")
    assert case.status == S.CLOSED


@pytest.mark.django_db
def test_filing_limit_may_end_on_the_make_up_saturday_and_follows_the_setting():
    from core.models import LegalSetting

    with at(D(2026, 10, 8)):
        world = case_world()
        warning = on_the_spot(
            world, kinds=["warning"], amount=None, party_type="legal", party_name="某建材公司", id_number=USCC
        )
    assert warning.status == S.EXECUTED and not Payment.objects.filter(case=warning).exists()
    # Thursday 10-08: 10-09 (1), Saturday 10-10 is a make-up working day (2).
    assert case_deadlines(case=warning, kind=FILING).get().due_date == D(2026, 10, 10)

    LegalSetting.objects.filter(key="cases.summary_filing_workdays").update(value=5)
    with at(D(2026, 9, 30)):
        case = on_the_spot(world, receipt_number="财政票据 2026-0002")
    # 10-08, 10-09, 10-10 (make-up), 10-12, 10-13.
    assert case_deadlines(case=case, kind=FILING).get().due_date == D(2026, 10, 13)
