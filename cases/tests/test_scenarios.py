"""Whole cases, lead to closing; concurrency; the timeline is append-only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseStatus
from cases.selectors import case_deadlines, case_get, case_handler_user_ids
from cases.services import available_actions, case_act
from cases.tests.factories import act, new_case, walk
from core.errors import Conflict, NotFound
from core.models import Deadline, LedgerEntry


def test_penalty_case_from_lead_to_archive(world):
    case = walk(new_case(world), world, CaseStatus.ARCHIVED)
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    moves = [e.action for e in events if e.from_status != e.to_status or e.action == "record_statement"]
    assert moves == [
        "create",
        "check",
        "register",
        "investigate",
        "report",
        "notify",
        "record_statement",
        "decide",
        "deliver",
        "execute",
        "complete_execution",
        "close",
        "archive",
    ]
    acts = set(
        LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
            "act", flat=True
        )
    )
    assert {"case.register", "case.decide", "case.close"} <= acts
    assert case.case_number and case.decision_number and case.closed_on
    kinds = {d.kind: d.status for d in case_deadlines(case=case)}
    assert kinds["cases.decision"] == Deadline.Status.SATISFIED
    assert kinds["cases.delivery"] == Deadline.Status.SATISFIED
    assert kinds["cases.payment"] == Deadline.Status.SATISFIED
    assert kinds["cases.statement"] == Deadline.Status.SATISFIED


def test_no_penalty_case_first_violation(world):
    case = walk(new_case(world), world, CaseStatus.NO_PENALTY)
    assert case.facts["no_penalty_ground"] == "first_violation" and case.decision_number
    case = act(case, world, "close")
    assert case.status == CaseStatus.CLOSED
    assert not case_deadlines(case=case, open_only=True).exists()


def test_transfer_to_the_public_security_organ_records_the_crime_transfer(world):
    case = new_case(world, facts={"land_class": "basic_farmland", "area_m2": "4000"})  # 6 亩 ≥ 5
    case = walk(case, world, CaseStatus.INVESTIGATING)
    case = act(
        case,
        world,
        "transfer",
        data={"to": "public_security", "reason": "涉嫌非法占用农用地罪", "recipient": "县公安局"},
    )
    assert case.crime_transfer["decision"] == "transferred"
    assert act(case, world, "close").status == CaseStatus.CLOSED


def test_hearing_case_pauses_and_resumes_the_decision_deadline(world):
    case = walk(new_case(world), world, CaseStatus.HEARING_REQUESTED)
    deadline = case_deadlines(case=case, kind="cases.decision").get()
    assert deadline.status == Deadline.Status.PAUSED
    original_due = deadline.due_date
    case = act(case, world, "schedule_hearing")
    held_on = case.hearing_date
    case = act(
        case, world, "hold_hearing", today=held_on, data={"held_on": held_on.isoformat(), "attended": False}
    )
    deadline.refresh_from_db()
    assert deadline.status != Deadline.Status.PAUSED and deadline.due_date > original_due
    assert case.hearing_record["waived"] is True
    day = held_on + timezone.timedelta(days=1)
    case = act(case, world, "decide", today=day)
    assert case.status == CaseStatus.DECIDED


def test_a_stale_version_gets_a_conflict_and_nothing_is_written(world):
    case = walk(new_case(world), world, CaseStatus.PRELIMINARY_CHECK)
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    act(first, world, "register")
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(Conflict) as err:
        case_act(case=second, actor=world.head.user, action="decline", data={"reason": "重复"})
    assert err.value.code == "case_version_conflict"
    assert CaseEvent.objects.filter(case=case).count() == events
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED


def test_the_version_may_come_in_the_request_body(world):
    case = new_case(world)
    with pytest.raises(Conflict):
        case_act(case=case, actor=world.head.user, action="check", data={"version": case.version - 1})


def test_case_events_refuse_update_and_delete(world):
    case = new_case(world)
    event = CaseEvent.objects.filter(case=case).first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).update(action="x")
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).delete()


def test_available_actions_list_every_action_with_reasons(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    actions = {a["action"]: a for a in available_actions(case=case, actor=world.officer1.user)}
    assert set(actions) >= {"decide", "record_statement", "close"}
    assert actions["record_statement"]["allowed"] is True
    decide = actions["decide"]
    assert not decide["allowed"]
    codes = {b["code"] for b in decide["blocked_by"]}
    assert {"head_required", "statement_window_open"} <= codes
    assert all(set(b) == {"code", "message", "basis"} for b in decide["blocked_by"])
    assert actions["close"]["blocked_by"][0]["code"] == "wrong_status"


def test_selectors_for_the_review_app(world):
    from cases.services import recusal_apply, recusal_decide

    case = walk(new_case(world), world, CaseStatus.REGISTERED)
    rec = recusal_apply(
        actor=world.officer2.user,
        case=case,
        officer_id=world.officer2.pk,
        applied_by="officer",
        reason="亲属",
    )
    recusal_decide(actor=world.head.user, recusal=rec, granted=True)
    assert case_handler_user_ids(case_id=case.pk) == {world.officer1.user_id, world.officer2.user_id}
    assert case_get(case_id=case.pk, actor=world.officer1.user).pk == case.pk
    with pytest.raises(NotFound):
        case_get(case_id=case.pk, actor=world.outsider.user)


def test_return_to_investigation_after_notice_cancels_the_statement_window_and_a_new_notice_restarts_it(
    world,
):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    case = act(case, world, "reinvestigate")
    assert not case_deadlines(case=case, kind="cases.statement", open_only=True).exists()
    case = act(
        case, world, "report", data={"proposed_outcome": "penalty", "kinds": ["fine"], "amount": "8000.00"}
    )
    case = act(case, world, "notify")
    assert (
        case.notified_amount == 8000
        and case_deadlines(case=case, kind="cases.statement", open_only=True).count() == 1
    )


def test_demolition_case_from_lead_to_archive(world):
    """非法占用土地: fine, demolition and return of the land, performed by the party and verified on site."""
    from decimal import Decimal

    from cases.services import payment_record

    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "order_correction")
    case = act(
        case,
        world,
        "report",
        data={"proposed_outcome": "penalty", "kinds": ["fine", "demolition"], "amount": "5000.00"},
    )
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    orders = [
        {"kind": "demolish", "days": 15, "description": "拆除在非法占用的土地上新建的建筑物"},
        {"kind": "return_land", "days": 15, "description": "退还非法占用的土地"},
    ]
    case = act(case, world, "decide", data={"orders": orders})
    case = act(case, world, "deliver")
    case = act(case, world, "execute")
    payment_record(
        actor=world.officer1.user,
        case=case,
        amount=Decimal("5000.00"),
        paid_on=case.delivered_on,
        receipt_number="R1",
    )
    case.refresh_from_db()
    for n in (1, 2):
        case = act(
            case,
            world,
            "verify_order",
            data={
                "order": n,
                "verified_on": case.delivered_on.isoformat(),
                "officer_ids": [world.officer1.pk, world.officer2.pk],
                "finding": "经现场核查已履行",
            },
        )
    case = act(case, world, "complete_execution", data={"completed_on": case.delivered_on.isoformat()})
    case = act(case, world, "close")
    case = act(case, world, "archive")
    assert case.status == CaseStatus.ARCHIVED
    assert [o["status"] for o in case.orders] == ["verified", "verified"]
    assert not case_deadlines(case=case, open_only=True).exists()
    statuses = {d.kind: d.status for d in case_deadlines(case=case)}
    assert statuses["cases.order.1"] == statuses["cases.order.2"] == Deadline.Status.SATISFIED
    assert statuses["cases.registration"] == Deadline.Status.SATISFIED
