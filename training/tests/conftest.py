from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from org.roles import Role
from org.tests.factories import AgencyFactory, CertificateFactory, OfficerFactory


@dataclass
class World:
    agency: Any
    head: Any
    legal: Any
    officer: Any
    colleague: Any
    outsider: Any
    supervisor: Any
    certificate: Any


@pytest.fixture
def world(db) -> World:
    city = AgencyFactory(name="洛阳市自然资源和规划局", level="city")
    agency = AgencyFactory(name="孟津县自然资源局", parent=city)
    officer = OfficerFactory(agency=agency, name="张执法")
    return World(
        agency=agency,
        head=OfficerFactory(agency=agency, roles=[Role.HEAD, Role.OFFICER], name="王局长"),
        legal=OfficerFactory(agency=agency, roles=[Role.LEGAL_REVIEWER], name="李法规"),
        officer=officer,
        colleague=OfficerFactory(agency=agency, name="刘同事"),
        outsider=OfficerFactory(name="外局员"),
        supervisor=OfficerFactory(agency=city, roles=[Role.SUPERVISOR], name="赵监督"),
        certificate=CertificateFactory(officer=officer, number="豫ZF41032200001"),
    )


def bank(world: World, *, subject: str = "土地管理法") -> list[Any]:
    """Five questions: two single, one multiple, one true/false (10 points each), one short (20)."""
    from training.services import question_add

    a = world.legal.user
    return [
        question_add(
            actor=a,
            agency=world.agency,
            subject=subject,
            kind="single",
            points=10,
            text="非法占用耕地建房，由谁责令退还？",
            options=["县级以上自然资源主管部门", "村委会"],
            answer=[0],
        ),
        question_add(
            actor=a,
            agency=world.agency,
            subject=subject,
            kind="single",
            points=10,
            text="行政处罚决定书应在几日内送达？",
            options=["7日", "30日"],
            answer=[0],
        ),
        question_add(
            actor=a,
            agency=world.agency,
            subject=subject,
            kind="multiple",
            points=10,
            text="哪些属于行政处罚种类？",
            options=["罚款", "没收违法所得", "表扬"],
            answer=[0, 1],
        ),
        question_add(
            actor=a,
            agency=world.agency,
            subject=subject,
            kind="true_false",
            points=10,
            text="执法人员不得少于两人。",
            answer=True,
        ),
        question_add(
            actor=a,
            agency=world.agency,
            subject=subject,
            kind="short",
            points=20,
            text="简述首违不罚的条件。",
            answer="初次违法、危害后果轻微并及时改正",
        ),
    ]


def online_exam(world: World, *, count: int = 5, minutes: int = 30, subject: str = "土地管理法") -> Any:
    from training.services import exam_create

    now = timezone.now()
    return exam_create(
        actor=world.head.user,
        agency=world.agency,
        title="2026年第四季度执法培训考试",
        subject=subject,
        mode="online",
        question_count=count,
        duration_minutes=minutes,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
    )


def right_answers(attempt: Any) -> dict[str, Any]:
    from training.services import attempt_questions

    out: dict[str, Any] = {}
    for q in attempt_questions(attempt):
        out[str(q.pk)] = q.answer if q.kind != "short" else "初次违法、危害后果轻微并及时改正"
    return out


def wrong_answers(attempt: Any) -> dict[str, Any]:
    from training.services import attempt_questions

    out: dict[str, Any] = {}
    for q in attempt_questions(attempt):
        out[str(q.pk)] = {"single": [1], "multiple": [2], "true_false": False}.get(q.kind, "不知道")
    return out
