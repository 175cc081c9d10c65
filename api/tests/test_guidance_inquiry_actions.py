"""The officer's acts on an inquiry over the API (首问负责): take it, hand it over to a named colleague
with the reason, answer it; the cases Action API's error contract (409 rule, 422 body)."""

from __future__ import annotations

import pytest

from api.tests.conftest import ApiClient, token_for
from core.models import LedgerEntry
from guidance.models import InquiryHandover
from guidance.services import inquiry_receive
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agency = AgencyFactory(name="新密市自然资源局")
    return (
        agency,
        OfficerFactory(agency=agency, name="王执法"),
        OfficerFactory(agency=agency, name="李同事"),
        OfficerFactory(agency=agency, roles=[Role.HEAD, Role.OFFICER], name="赵局长"),
        OfficerFactory(name="外局员"),
    )


def online(agency):
    return inquiry_receive(
        actor=None,
        agency_id=agency.pk,
        channel="online",
        asker_name="刘某",
        asker_phone="13800000000",
        question="宅基地翻建需要办理什么手续？",
    )


def url(inquiry, action):
    return f"/api/v1/guidance/inquiries/{inquiry.pk}/actions/{action}"


def test_take_hand_over_and_answer(world):
    agency, officer, colleague, _head, _outsider = world
    inquiry = online(agency)
    me, other = ApiClient(token_for(officer.user)), ApiClient(token_for(colleague.user))

    taken = me.post(url(inquiry, "take"))
    assert taken.status_code == 200, taken.content
    assert taken.json()["owner_id"] == officer.pk and taken.json()["reply_due"]
    moved = me.post(url(inquiry, "handover"), {"officer_id": colleague.pk, "reason": "属于规划股业务"})
    assert moved.status_code == 200 and moved.json()["owner_id"] == colleague.pk
    assert InquiryHandover.objects.get().reason == "属于规划股业务"
    answered = other.post(url(inquiry, "reply"), {"text": "请携带身份证和宅基地使用证到窗口申请。"})
    assert answered.status_code == 200 and answered.json()["status"] == "replied"
    assert (
        LedgerEntry.objects.filter(act__in=["inquiry.take", "inquiry.handover", "inquiry.reply"]).count() == 3
    )


def test_refusals_follow_the_action_contract(world):
    agency, officer, colleague, _head, outsider = world
    inquiry = online(agency)
    me = ApiClient(token_for(officer.user))
    assert me.post(url(inquiry, "take")).status_code == 200
    twice = me.post(url(inquiry, "take"))
    assert twice.status_code == 409 and twice.json()["violations"]
    bad = me.post(url(inquiry, "handover"), {"officer_id": 0, "reason": ""})
    assert bad.status_code == 422 and {"officer", "reason"} <= set(bad.json()["field_errors"])
    assert me.post(url(inquiry, "reply"), {"text": " "}).status_code == 422
    # 首问负责: a colleague who is not responsible may not answer
    assert (
        ApiClient(token_for(colleague.user)).post(url(inquiry, "reply"), {"text": "答复"}).status_code == 403
    )
    assert ApiClient(token_for(outsider.user)).post(url(inquiry, "take")).status_code == 404
