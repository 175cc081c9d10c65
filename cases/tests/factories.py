"""Factories and helpers for case tests. Other apps' tests (review) may import these.

world = case_world()                 # agency with a head and two certified land officers
case = new_case(world)               # a lead with a party, continuing act, officers assigned
walk(case, world, "notified")        # drive the case along the canonical route to a status
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases.models import Case, CaseStatus, LeadSource
from cases.services import case_act, case_facts_update, case_officer_assign, lead_register, party_add
from core.services.calendar import add_workdays
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

# Fictitious identity numbers that pass the checksums.
RESIDENT_ID = "11010519491231002X"
USCC = "91110000802100433B"
ADDRESS = "城关镇东村三组12号"
# What the documents need beyond the land facts (行政处罚法 Art.59: basis, evidence).
DOCUMENT_FACTS: dict[str, Any] = {
    "legal_basis": "《中华人民共和国土地管理法》第七十七条第一款",
    "evidence": ["现场勘验笔录及勘测定界图", "询问笔录", "现场照片"],
}


@dataclass
class World:
    agency: Any
    head: Any
    officer1: Any
    officer2: Any
    chair: Any
    outsider: Any


def case_world() -> World:
    agency = AgencyFactory()
    return World(
        agency=agency,
        head=OfficerFactory(agency=agency, roles=[Role.HEAD, Role.OFFICER], certified_fields=["land"]),
        officer1=OfficerFactory(agency=agency, certified_fields=["land"]),
        officer2=OfficerFactory(agency=agency, certified_fields=["land"]),
        chair=OfficerFactory(agency=agency, certified_fields=["land"]),
        outsider=OfficerFactory(certified_fields=["land"]),
    )


def new_case(
    world: World,
    *,
    discovered_on: datetime.date | None = None,
    party_type: str = "natural",
    act_started_on: datetime.date | None = None,
    act_ended_on: datetime.date | None = None,
    facts: dict[str, Any] | None = None,
    assign: bool = True,
    address: str = ADDRESS,
) -> Case:
    today = timezone.localdate()
    head = world.head.user
    case = lead_register(
        actor=head,
        agency=world.agency,
        source=LeadSource.PATROL,
        discovered_on=discovered_on or today,
        description="村民未经批准占用耕地建房",
        location="城关镇东村三组",
    )
    party_add(
        actor=head,
        case=case,
        party_type=party_type,
        name="张三" if party_type == "natural" else "某公司",
        id_number=RESIDENT_ID if party_type == "natural" else USCC,
        address=address,
    )
    case_facts_update(
        actor=head,
        case=case,
        act_started_on=act_started_on or today - datetime.timedelta(days=30),
        act_ended_on=act_ended_on,
        continuing=act_ended_on is None,
        facts={**DOCUMENT_FACTS, **(facts or {"land_class": "farmland", "area_m2": "300"})},
    )
    if assign:
        case_officer_assign(actor=head, case=case, officer_id=world.officer1.pk, role="lead")
        case_officer_assign(actor=head, case=case, officer_id=world.officer2.pk)
    case.refresh_from_db()
    return case


FINE = {"proposed_outcome": "penalty", "kinds": ["fine"], "amount": "5000.00"}
HEAVY = {"proposed_outcome": "penalty", "kinds": ["fine", "demolition"], "amount": "20000.00"}


def step_data(
    action: str, case: Case, world: World, today: datetime.date, *, heavy: bool = False
) -> dict[str, Any]:
    """A body that satisfies the action's data-dependent guards on the canonical route."""
    d = today.isoformat()
    return {
        "decline": {"reason": "不属于本机关管辖"},
        "report": HEAVY if heavy else FINE,
        "reinvestigate": {"reason": "补充调查"},
        "notify": {"delivered_on": d},
        "record_statement": {
            "received_on": d,
            "points": [{"point": "面积有误", "response": "经复核面积无误"}],
            "hearing_waived": True,
        },
        "request_hearing": {"requested_on": d},
        "schedule_hearing": {
            "notice_on": d,
            "hearing_date": add_workdays(today, 7).date.isoformat(),
            "chair_id": world.chair.pk,
        },
        "hold_hearing": {"held_on": d, "attended": True, "record": "听证笔录"},
        "decide": {"orders": [{"kind": "demolish", "days": 15, "description": "拆除违法建筑物"}]}
        if "demolition" in (case.proposed_kinds or [])
        else {},
        "decide_no_penalty": {
            "outcome": case.proposed_outcome
            if case.proposed_outcome in ("no_penalty_minor", "first_violation", "no_penalty_facts")
            else "no_penalty_facts"
        },
        "transfer": {"to": "other_agency", "reason": "不属于本机关管辖", "recipient": "县住建局"},
        "deliver": {"delivered_on": d, "method": "direct"},
        "order_correction": {
            "kind": "stop_and_correct",
            "issued_on": d,
            "content": "立即停止违法占地行为，限期拆除新建建筑物、恢复土地原状",
            "days": 15,
        },
        "check_correction": {"checked_on": d, "corrected": True, "finding": "已停止施工并拆除，土地恢复原状"},
        "approve_payment_plan": {
            "kind": "deferral",
            "applied_on": d,
            "approved_on": d,
            "reason": "当事人确有经济困难",
            "due_date": (today + datetime.timedelta(days=60)).isoformat(),
        },
        "verify_order": {
            "order": 1,
            "verified_on": d,
            "officer_ids": [world.officer1.pk, world.officer2.pk],
            "finding": "经现场核查，违法建筑物已拆除",
            "complied": True,
        },
        "hand_over_confiscated": {"order": 1, "handed_on": d, "recipient": "县人民政府"},
        "serve_reminder": {"subject": "fine", "delivered_on": d, "method": "in_person"},
        "apply_to_court": {"subject": "fine", "applied_on": d, "court": "县人民法院"},
        "record_court_outcome": {
            "subject": "fine",
            "outcome": "enforced",
            "decided_on": d,
            "collected_amount": str(case.decided_amount or "0"),
            "receipt_number": "COURT-0001",
        },
        "complete_execution": {
            "completed_on": d,
            "paid_amount": str(case.decided_amount or "0"),
            "receipt_number": "NO.0001",
        },
    }.get(action, {})


# The canonical route to each status: (action, actor attribute of World)
HEAD_ACTIONS = {
    "decline",
    "register",
    "decide",
    "decide_no_penalty",
    "transfer",
    "close",
    "approve_payment_plan",
    "apply_to_court",
}
ROUTES: dict[str, list[str]] = {
    CaseStatus.LEAD: [],
    CaseStatus.PRELIMINARY_CHECK: ["check"],
    CaseStatus.DECLINED: ["check", "decline"],
    CaseStatus.REGISTERED: ["check", "register"],
    CaseStatus.INVESTIGATING: ["check", "register", "investigate"],
    CaseStatus.INVESTIGATION_REPORTED: ["check", "register", "investigate", "report"],
    CaseStatus.NOTIFIED: ["check", "register", "investigate", "report", "notify"],
    CaseStatus.HEARING_REQUESTED: ["check", "register", "investigate", "report", "notify", "request_hearing"],
    CaseStatus.HEARING_SCHEDULED: [
        "check",
        "register",
        "investigate",
        "report",
        "notify",
        "request_hearing",
        "schedule_hearing",
    ],
    CaseStatus.HEARING_HELD: [
        "check",
        "register",
        "investigate",
        "report",
        "notify",
        "request_hearing",
        "schedule_hearing",
        "hold_hearing",
    ],
    CaseStatus.DECIDED: [
        "check",
        "register",
        "investigate",
        "report",
        "notify",
        "record_statement",
        "decide",
    ],
    CaseStatus.DELIVERED: [
        "check",
        "register",
        "investigate",
        "report",
        "notify",
        "record_statement",
        "decide",
        "deliver",
    ],
    CaseStatus.EXECUTING: [
        "check",
        "register",
        "investigate",
        "report",
        "notify",
        "record_statement",
        "decide",
        "deliver",
        "execute",
    ],
    CaseStatus.EXECUTED: [
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
    ],
    CaseStatus.CLOSED: [
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
    ],
    CaseStatus.ARCHIVED: [
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
    ],
    CaseStatus.NO_PENALTY: ["check", "register", "investigate", "report_no_penalty", "decide_no_penalty"],
    CaseStatus.TRANSFERRED: ["check", "register", "investigate", "transfer"],
}
HEARING_STATES = {CaseStatus.HEARING_REQUESTED, CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARING_HELD}


def act(
    case: Case,
    world: World,
    action: str,
    *,
    today: datetime.date | None = None,
    heavy: bool = False,
    data: dict[str, Any] | None = None,
) -> Case:
    today = today or timezone.localdate()
    actor = world.head.user if action in HEAD_ACTIONS else world.officer1.user
    if action == "report_no_penalty":
        action, body = "report", {"proposed_outcome": "first_violation"}
    else:
        body = step_data(action, case, world, today, heavy=heavy)
    if data is not None:
        body = data
    if action == "close":
        publish_decision(case, world)
    if action == "archive":
        build_archive(case, world)
    return case_act(case=case, actor=actor, action=action, data=body, today=today)


def publish_decision(case: Case, world: World) -> Any:
    """The head approves the masked publication of the case's decision and the handler publishes it
    (what `close` requires, cases.services.publication); None when there is none to publish."""
    from publicity.selectors import publications_for
    from publicity.services import publication_approve, publication_publish

    pub = publications_for(None).filter(case_id=case.pk).order_by("-pk").first()
    if pub is None or pub.status in ("published", "withdrawn"):
        return pub
    if pub.status == "masked":
        approver = world.head.user
        if pub.drafted_by_id == approver.pk:  # the drafter never approves: a legal reviewer does
            approver = OfficerFactory(agency=world.agency, roles=[Role.LEGAL_REVIEWER]).user
        pub = publication_approve(actor=approver, publication=pub)
    return publication_publish(actor=world.officer1.user, publication=pub)


def build_archive(case: Case, world: World) -> Any:
    """The case file's archive package (what `archive` requires, records.selectors.archive_missing)."""
    from records.services.archive import archive_build

    case.refresh_from_db()
    if case.status != CaseStatus.CLOSED:
        return None  # the act itself is refused (wrong status)
    return archive_build(actor=world.officer1.user, case=case)


def walk(
    case: Case, world: World, status: str, *, today: datetime.date | None = None, heavy: bool = False
) -> Case:
    heavy = heavy or status in HEARING_STATES
    for action in ROUTES[status]:
        case = act(case, world, action, today=today, heavy=heavy)
    assert case.status == status, (case.status, status)
    return case
