"""The summary procedure (简易程序): the declaration pairwise, each guard with its article, a
scenario from the on-the-spot record to closed, and the one-call wizard (all or nothing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseStatus, LeadSource, Procedure
from cases.selectors import case_deadlines
from cases.services import (
    TransitionRefused,
    case_act,
    case_officer_assign,
    lead_register,
    party_add,
)
from cases.services.summary import summary_case_record
from cases.services.transitions import workflow_for
from cases.tests.factories import RESIDENT_ID, USCC
from cases.workflow.summary import CASH_HANDOVER, SUMMARY
from core.errors import ValidationFailed
from core.models import Deadline
from core.services.calendar import add_workdays

S = CaseStatus
ALLOWED = [(s, t.action) for t in SUMMARY.transitions for s in t.sources]

ROUTES: dict[str, list[str]] = {
    S.LEAD: [],
    S.REGISTERED: ["record_on_spot"],
    S.DECIDED: ["record_on_spot", "decide_on_spot"],
    S.EXECUTING: ["record_on_spot", "decide_on_spot", "await_payment"],
    S.EXECUTED: ["record_on_spot", "decide_on_spot", "collect_on_spot"],
    S.CLOSED: [
        "record_on_spot",
        "decide_on_spot",
        "collect_on_spot",
        "hand_over_cash",
        "file_with_agency",
        "close",
    ],
    S.ARCHIVED: [
        "record_on_spot",
        "decide_on_spot",
        "collect_on_spot",
        "hand_over_cash",
        "file_with_agency",
        "close",
        "archive",
    ],
}


def summary_case(world: Any, *, party_type: str = "natural", assign: bool = True) -> Case:
    head = world.head.user
    case = lead_register(
        actor=head,
        agency=world.agency,
        source=LeadSource.PATROL,
        discovered_on=timezone.localdate(),
        description="占道堆放建筑材料",
        procedure=Procedure.SUMMARY,
    )
    party_add(
        actor=head,
        case=case,
        party_type=party_type,
        name="张三" if party_type == "natural" else "某公司",
        id_number=RESIDENT_ID if party_type == "natural" else USCC,
    )
    if assign:
        case_officer_assign(actor=head, case=case, officer_id=world.officer1.pk, role="lead")
    case.refresh_from_db()
    return case


def data_for(action: str, case: Case, **over: Any) -> dict[str, Any]:
    d = timezone.localdate().isoformat()
    body = {
        "record_on_spot": {"findings": "当场查明占道堆放建筑材料", "facts_certain": True},
        "decide_on_spot": {"kinds": ["fine"], "amount": "50.00"},
        "collect_on_spot": {"receipt_number": "财政票据 0001"},
        "record_payment": {
            "paid_on": d,
            "paid_amount": str(case.decided_amount or "0"),
            "receipt_number": "B-1",
        },
    }.get(action, {})
    return {**body, **over}


def act(case: Case, world: Any, action: str, **over: Any) -> Case:
    return case_act(case=case, actor=world.officer1.user, action=action, data=data_for(action, case, **over))


def walk(case: Case, world: Any, status: str) -> Case:
    for action in ROUTES[status]:
        case = act(case, world, action)
    return case


def test_every_status_of_the_declaration_has_a_route():
    assert set(ROUTES) == {s for s, _ in SUMMARY.states}


def test_case_act_picks_the_declaration_by_procedure(world):
    case = summary_case(world)
    assert workflow_for(case) is SUMMARY
    with pytest.raises(ValidationFailed) as err:
        case_act(case=case, actor=world.head.user, action="check")
    assert err.value.code == "unknown_action"


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_given_guards_satisfied_when_allowed_action_then_it_moves(world, status, action):
    case = summary_case(world)
    if action == "execute_warning":
        case = act(case, world, "record_on_spot")
        case = act(case, world, "decide_on_spot", kinds=["warning"], amount=None)
    elif action == "record_payment" or status == S.EXECUTING:
        case = walk(case, world, S.EXECUTING)
    else:
        case = walk(case, world, status)
    if action == "close":  # the acts that keep the status but are required before 结案
        case = act(act(case, world, "hand_over_cash"), world, "file_with_agency")
    transition = SUMMARY.transition(action)
    before = CaseEvent.objects.filter(case=case).count()
    result = act(case, world, action)
    assert result.status == transition.target
    assert CaseEvent.objects.filter(case=case).count() == before + 1
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert (last.action, last.from_status, last.to_status) == (action, status, transition.target)


@pytest.mark.parametrize("status", [s for s, _ in SUMMARY.states])
def test_given_status_when_undeclared_action_then_refused(world, status):
    case = walk(summary_case(world), world, status)
    refused = [t for t in SUMMARY.transitions if status not in t.sources]
    assert refused
    for transition in refused:
        with pytest.raises(TransitionRefused) as err:
            act(case, world, transition.action)
        assert err.value.violations[0].code == "wrong_status"
        case.refresh_from_db()
        assert case.status == status


def _refusal(case: Case, world: Any, action: str, **over: Any) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as err:
        act(case, world, action, **over)
    return err.value


def test_fine_of_201_yuan_for_a_person_is_refused_citing_art_51(world):
    case = act(summary_case(world), world, "record_on_spot")
    refused = _refusal(case, world, "decide_on_spot", amount="201.00")
    assert [(v.code, v.basis) for v in refused.violations] == [("summary_fine_too_high", "行政处罚法 Art.51")]
    assert "200" in str(refused.violations[0].message)
    assert act(case, world, "decide_on_spot", amount="200.00").status == S.DECIDED


def test_fine_of_3001_yuan_for_an_organisation_is_refused(world):
    case = act(summary_case(world, party_type="legal"), world, "record_on_spot")
    refused = _refusal(case, world, "decide_on_spot", amount="3001.00")
    assert refused.violations[0].code == "summary_fine_too_high"
    assert refused.violations[0].basis == "行政处罚法 Art.51"
    assert act(case, world, "decide_on_spot", amount="3000.00").decided_amount == Decimal("3000.00")


def test_only_warning_or_fine_in_the_summary_procedure(world):
    case = act(summary_case(world), world, "record_on_spot")
    refused = _refusal(case, world, "decide_on_spot", kinds=["fine", "confiscation"])
    assert refused.violations[0].code == "summary_kind_not_allowed"
    assert refused.violations[0].basis == "行政处罚法 Art.51"


def test_facts_not_certain_refused_citing_art_51(world):
    refused = _refusal(summary_case(world), world, "record_on_spot", facts_certain=False)
    assert [(v.code, v.basis) for v in refused.violations] == [("facts_not_certain", "行政处罚法 Art.51")]


def test_no_certified_officer_refused_citing_art_52(world):
    from org.tests.factories import OfficerFactory

    uncertified = OfficerFactory(agency=world.agency, certified_fields=[])
    case = summary_case(world, assign=False)
    with pytest.raises(TransitionRefused) as err:
        case_act(
            case=case, actor=uncertified.user, action="record_on_spot", data=data_for("record_on_spot", case)
        )
    codes = {v.code: v.basis for v in err.value.violations}
    assert codes["no_certified_officer"] == "行政处罚法 Art.52"


def test_party_must_be_identified(world):
    head = world.head.user
    case = lead_register(
        actor=head,
        agency=world.agency,
        source=LeadSource.PATROL,
        discovered_on=timezone.localdate(),
        description="占道",
        procedure=Procedure.SUMMARY,
    )
    case_officer_assign(actor=head, case=case, officer_id=world.officer1.pk, role="lead")
    case.refresh_from_db()
    refused = _refusal(case, world, "record_on_spot")
    assert [(v.code, v.basis) for v in refused.violations] == [("no_party", "行政处罚法 Arts.52, 59")]


def test_on_the_spot_collection_of_150_yuan_refused_unless_hard_to_collect(world):
    case = walk(summary_case(world), world, S.REGISTERED)
    case = act(case, world, "decide_on_spot", amount="150.00")
    refused = _refusal(case, world, "collect_on_spot")
    found = [(v.code, v.basis) for v in refused.violations]
    assert found == [("on_spot_collection_refused", "行政处罚法 Art.68")]
    case.refresh_from_db()
    assert act(case, world, "collect_on_spot", hard_to_collect=True).status == S.EXECUTED


def test_on_the_spot_collection_needs_a_fiscal_receipt(world):
    case = walk(summary_case(world), world, S.DECIDED)
    refused = _refusal(case, world, "collect_on_spot", receipt_number="")
    assert [(v.code, v.basis) for v in refused.violations] == [("no_fiscal_receipt", "行政处罚法 Art.70")]


def test_cash_hand_over_is_a_deadline_of_two_workdays(world):
    case = walk(summary_case(world), world, S.EXECUTED)
    deadline = case_deadlines(case=case, kind=CASH_HANDOVER).get()
    today = timezone.localdate()
    assert deadline.due_date == add_workdays(today, 2).date
    assert "Art.71" in deadline.legal_basis
    act(case, world, "hand_over_cash")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.SATISFIED


def test_closing_needs_filing_and_cash_hand_over(world):
    case = walk(summary_case(world), world, S.EXECUTED)
    refused = _refusal(case, world, "close")
    assert refused.violations[0].code == "steps_missing"
    assert "备案" in str(refused.violations[0].message)


def test_scenario_from_record_to_closed_paid_at_the_bank(world):
    case = summary_case(world)
    case = act(case, world, "record_on_spot")
    assert case.status == S.REGISTERED and case.case_number
    case = act(case, world, "decide_on_spot", amount="180.00")
    assert case.decision_number and case.delivered_on == case.decided_on
    case = act(case, world, "await_payment")
    assert case.status == S.EXECUTING
    refused = _refusal(case, world, "record_payment", paid_amount="100.00")
    assert refused.violations[0].code == "fine_unpaid"
    case = act(case, world, "record_payment")
    assert case.status == S.EXECUTED
    refused = _refusal(case, world, "hand_over_cash")
    assert refused.violations[0].code == "no_cash_to_hand_over"
    case = act(case, world, "file_with_agency")
    assert case.facts["summary"]["filed_on"] == timezone.localdate().isoformat()
    assert _refusal(case, world, "file_with_agency").violations[0].code == "already_filed"
    case = act(case, world, "close")
    assert case.status == S.CLOSED and case.closed_on == timezone.localdate()
    actions = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True))
    assert actions[-5:] == ["decide_on_spot", "await_payment", "record_payment", "file_with_agency", "close"]


# ---------------------------------------------------------------- the wizard service


def wizard(world: Any, **over: Any) -> Case:
    body: dict[str, Any] = {
        "actor": world.officer1.user,
        "agency": world.agency,
        "party_type": "natural",
        "party_name": "李四",
        "id_number": RESIDENT_ID,
        "findings": "当场查明占道堆放建筑材料",
        "facts_certain": True,
        "kinds": ["fine"],
        "amount": Decimal("50.00"),
        "payment": "on_spot",
        "receipt_number": "财政票据 0002",
    }
    return summary_case_record(**{**body, **over})


def test_wizard_registers_and_collects_on_the_spot(world):
    case = wizard(world)
    assert (case.procedure, case.status) == (Procedure.SUMMARY, S.EXECUTED)
    assert case.execution["on_the_spot"] is True
    assert case_deadlines(case=case, kind=CASH_HANDOVER).exists()


def test_wizard_warning_and_payment_later(world):
    assert wizard(world, kinds=["warning"], amount=None).status == S.EXECUTED
    assert wizard(world, payment="later", amount=Decimal("180.00")).status == S.EXECUTING


def test_wizard_is_all_or_nothing(world):
    before = Case.objects.count()
    with pytest.raises(TransitionRefused) as err:
        wizard(world, amount=Decimal("150.00"))
    assert err.value.violations[0].basis == "行政处罚法 Art.68"
    with pytest.raises(TransitionRefused):
        wizard(world, amount=Decimal("201.00"), payment="later")
    assert Case.objects.count() == before


# ---------------------------------------------------------------- the wizard screen


def _wizard_post(client, world, **over: Any):
    from django.urls import reverse

    client.force_login(world.officer1.user)
    body = {
        "party_type": "natural",
        "party_name": "李四",
        "id_number": RESIDENT_ID,
        "findings": "当场查明占道堆放建筑材料",
        "facts_certain": "on",
        "kinds": ["fine"],
        "amount": "50.00",
        "payment": "on_spot",
        "receipt_number": "财政票据 0003",
    }
    return client.post(reverse("cases:summary_new"), {**body, **over})


def test_wizard_screen_records_the_case_and_is_linked_from_the_list(client, world):
    from django.urls import reverse

    client.force_login(world.officer1.user)
    assert reverse("cases:summary_new") in client.get(reverse("cases:case_list")).text
    assert client.get(reverse("cases:summary_new")).status_code == 200
    response = _wizard_post(client, world)
    assert response.status_code == 302
    case = Case.objects.get(procedure=Procedure.SUMMARY)
    assert response.url == reverse("cases:case_detail", args=[case.pk])
    assert case.status == S.EXECUTED
    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("cases:case_action", args=[case.pk, "file_with_agency"]) in page.text


def test_wizard_screen_shows_refusals_in_chinese_and_records_nothing(client, world):
    response = _wizard_post(client, world, amount="201.00", payment="later")
    assert response.status_code == 409
    assert "行政处罚法 Art.51" in response.text
    assert "简易程序" in response.text
    assert not Case.objects.filter(procedure=Procedure.SUMMARY).exists()
    response = _wizard_post(client, world, id_number="110105194912310021")
    assert response.status_code == 400
    assert not Case.objects.filter(procedure=Procedure.SUMMARY).exists()


def test_flowchart_command_draws_the_summary_procedure():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("flowchart", "summary", stdout=out)
    svg = out.getvalue()
    assert svg.startswith("<svg")
    for action in ("record_on_spot", "collect_on_spot", "file_with_agency", "close"):
        assert str(SUMMARY.transition(action).label) in svg or action in svg
