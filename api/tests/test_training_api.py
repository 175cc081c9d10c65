"""The organisers' acts of training through the JSON API (issue 9 §5): plans, sessions, attendance, the
question bank, exams, paper scores, marking and the annual review — with the API's refusal contract
(409 for a rule with its violations, 422 for an invalid body, 403 recorded in the ledger)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from api.tests.conftest import ApiClient, token_for
from core.models import LedgerEntry
from org.roles import Role
from org.selectors import visible_certificates
from org.tests.factories import AgencyFactory, CertificateFactory, OfficerFactory
from training.tests.conftest import right_answers

BASE = "/api/v1/training"


@pytest.fixture
def w(db) -> Any:
    city = AgencyFactory(name="洛阳市自然资源和规划局", level="city")
    agency = AgencyFactory(name="孟津县自然资源局", parent=city)
    officer = OfficerFactory(agency=agency, name="张执法")
    world = SimpleNamespace(
        agency=agency,
        head=OfficerFactory(agency=agency, roles=[Role.HEAD, Role.OFFICER], name="王局长"),
        legal=OfficerFactory(agency=agency, roles=[Role.LEGAL_REVIEWER], name="李法规"),
        officer=officer,
        supervisor=OfficerFactory(agency=city, roles=[Role.SUPERVISOR], name="赵监督"),
        certificate=CertificateFactory(officer=officer, number="豫ZF41032200001"),
    )
    world.api = {
        name: ApiClient(token_for(getattr(world, name).user)) for name in ("head", "legal", "officer")
    }
    world.api["supervisor"] = ApiClient(token_for(world.supervisor.user))
    return world


def _questions(api: ApiClient, subject: str = "土地管理法") -> list[dict[str, Any]]:
    specs = [
        {
            "kind": "single",
            "text": "非法占地由谁责令退还？",
            "options": ["自然资源主管部门", "村委会"],
            "answer": [0],
        },
        {
            "kind": "multiple",
            "text": "哪些属于行政处罚？",
            "options": ["罚款", "没收违法所得", "表扬"],
            "answer": [0, 1],
        },
        {"kind": "true_false", "text": "执法人员不得少于两人。", "answer": True},
        {"kind": "short", "text": "简述首违不罚的条件。", "answer": "初次违法、危害后果轻微并及时改正"},
    ]
    made = []
    for spec in specs:
        response = api.post(f"{BASE}/questions", {"subject": subject, "points": 25, **spec})
        assert response.status_code == 201, response.content
        made.append(response.json())
    return made


def test_an_organiser_plans_records_a_session_and_its_attendance(w):
    legal = w.api["legal"]
    year = timezone.localdate().year
    plan = legal.post(f"{BASE}/plans", {"year": year, "title": f"{year}年度执法培训计划"})
    assert plan.status_code == 201, plan.content
    assert plan.json()["sessions_planned"] == 4 and plan.json()["agency_id"] == w.agency.pk
    plan_id = plan.json()["id"]

    twice = legal.post(f"{BASE}/plans", {"year": year, "title": "重复"})
    assert twice.status_code == 409
    body = twice.json()
    assert body["code"] == "training_plan_exists" and body["violations"][0]["code"] == "training_plan_exists"

    wrong_year = legal.post(
        f"{BASE}/plans/{plan_id}/sessions",
        {"title": "第一季度培训", "subject": "土地管理法", "held_on": f"{year - 1}-03-01", "hours": "3"},
    )
    assert wrong_year.status_code == 422 and "held_on" in wrong_year.json()["field_errors"]

    session = legal.post(
        f"{BASE}/plans/{plan_id}/sessions",
        {"title": "第一季度培训", "subject": "土地管理法", "held_on": f"{year}-03-01", "hours": "3.5"},
    )
    assert session.status_code == 201, session.content
    sid = session.json()["id"]
    marked = legal.post(
        f"{BASE}/sessions/{sid}/attendance", {"present": [w.officer.pk], "absent": [w.head.pk]}
    )
    assert marked.status_code == 200, marked.content
    assert (marked.json()["present"], marked.json()["absent"]) == ([w.officer.pk], [w.head.pk])
    both = legal.post(f"{BASE}/sessions/{sid}/attendance", {"present": [w.head.pk], "absent": [w.head.pk]})
    assert both.status_code == 422
    stranger = OfficerFactory()
    outside = legal.post(f"{BASE}/sessions/{sid}/attendance", {"present": [stranger.pk]})
    assert outside.status_code == 422 and outside.json()["field_errors"]["officers"]

    listed = w.api["officer"].get(f"{BASE}/sessions").json()
    assert listed["count"] == 1 and listed["items"][0]["present"] == [w.officer.pk]
    assert w.api["head"].get(f"{BASE}/plans").json()[0]["sessions_held"] == 1


def test_the_question_bank_is_the_organisers_and_its_answers_never_reach_candidates(w):
    legal = w.api["legal"]
    made = _questions(legal)
    bad = legal.post(
        f"{BASE}/questions",
        {
            "subject": "土地管理法",
            "kind": "single",
            "text": "？",
            "options": ["甲", "乙"],
            "answer": [5],
            "points": 5,
        },
    )
    assert bad.status_code == 422 and "answer" in bad.json()["field_errors"]
    bank = legal.get(f"{BASE}/questions", {"subject": "土地管理法"}).json()
    assert bank["count"] == 4 and {q["answer"] is not None for q in bank["items"]} == {True}

    denials = LedgerEntry.objects.filter(act="auth.permission_denied").count()
    assert w.api["officer"].get(f"{BASE}/questions").status_code == 403
    added = w.api["officer"].post(
        f"{BASE}/questions", {"subject": "x", "kind": "true_false", "text": "x", "answer": True, "points": 1}
    )
    assert added.status_code == 403 and added.json()["code"] == "training_permission_denied"
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == denials + 2

    retired = legal.post(f"{BASE}/questions/{made[0]['id']}/retire")
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert legal.get(f"{BASE}/questions").json()["count"] == 3


def test_an_online_exam_is_set_taken_marked_by_another_and_refused_after_the_time(w):
    legal = w.api["legal"]
    _questions(legal)
    now = timezone.now()
    exam = {
        "title": "第一季度闭卷考试",
        "subject": "土地管理法",
        "mode": "online",
        "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=1)).isoformat(),
        "question_count": 9,
        "duration_minutes": 30,
    }
    short = legal.post(f"{BASE}/exams", exam)
    assert short.status_code == 422 and "question_count" in short.json()["field_errors"]
    made = legal.post(f"{BASE}/exams", {**exam, "question_count": 4})
    assert made.status_code == 201, made.content
    exam_id = made.json()["id"]
    assert [e["id"] for e in legal.get(f"{BASE}/agency-exams").json()["items"]] == [exam_id]

    officer = w.api["officer"]
    attempt = officer.post(f"{BASE}/exams/{exam_id}/start").json()
    from training.selectors import attempt_get

    row = attempt_get(attempt_id=attempt["id"], actor=w.officer.user)
    done = officer.post(f"{BASE}/attempts/{attempt['id']}/submit", {"answers": right_answers(row)})
    assert done.status_code == 200 and done.json()["status"] == "submitted"  # the short answer waits

    waiting = legal.get(f"{BASE}/attempts", {"status": "submitted"}).json()
    assert [a["attempt_id"] for a in waiting["items"]] == [attempt["id"]]
    assert officer.get(f"{BASE}/attempts").status_code == 403
    short_id = next(str(q["id"]) for q in attempt["questions"] if q["kind"] == "short")
    too_many = legal.post(f"{BASE}/attempts/{attempt['id']}/mark", {"marks": {short_id: 99}})
    assert too_many.status_code == 422 and too_many.json()["field_errors"]
    mark = legal.post(f"{BASE}/attempts/{attempt['id']}/mark", {"marks": {short_id: 20}})
    assert mark.status_code == 200, mark.content
    assert mark.json()["status"] == "marked" and Decimal(mark.json()["score"]) == 95
    again = legal.post(f"{BASE}/attempts/{attempt['id']}/mark", {"marks": {short_id: 20}})
    assert again.status_code == 409 and again.json()["code"] == "attempt_not_awaiting_marking"

    # The head's own attempt, saved too late: 409 with the rule, the saved answers count.
    head = w.api["head"]
    started = head.post(f"{BASE}/exams/{exam_id}/start").json()
    due = dt.datetime.fromisoformat(started["due_at"])
    with time_machine.travel(due + dt.timedelta(minutes=5), tick=False):
        late = head.post(f"{BASE}/attempts/{started['id']}/save", {"answers": {}})
    assert late.status_code == 409 and late.json()["violations"][0]["code"] == "attempt_time_over"
    assert "考试时间已到" in late.json()["message"]


def test_paper_scores_entered_twice_failed_suspend_and_the_annual_review_reads_the_records(w):
    legal = w.api["legal"]
    now = timezone.now()

    def paper(title: str) -> int:
        response = legal.post(
            f"{BASE}/exams",
            {
                "title": title,
                "subject": "行政处罚法",
                "mode": "paper",
                "opens_at": (now - dt.timedelta(days=1)).isoformat(),
                "closes_at": now.isoformat(),
            },
        )
        assert response.status_code == 201, response.content
        return int(response.json()["id"])

    first, second = paper("第一次考试"), paper("补考")
    entered = legal.post(f"{BASE}/exams/{first}/scores", {"officer_id": w.officer.pk, "score": "45"})
    assert entered.status_code == 201 and entered.json()["passed"] is False
    twice = legal.post(f"{BASE}/exams/{first}/scores", {"officer_id": w.officer.pk, "score": "80"})
    assert twice.status_code == 409 and twice.json()["code"] == "attempt_exists"
    over = legal.post(f"{BASE}/exams/{second}/scores", {"officer_id": w.officer.pk, "score": "120"})
    assert over.status_code == 422
    legal.post(f"{BASE}/exams/{second}/scores", {"officer_id": w.officer.pk, "score": "50"})
    assert visible_certificates(None).get(pk=w.certificate.pk).status == "suspended"

    year = timezone.localdate().year
    review = legal.post(f"{BASE}/reviews", {"officer_id": w.officer.pk, "year": year, "result": "failed"})
    assert review.status_code == 201, review.content
    assert (review.json()["exams_passed"], review.json()["exams_failed"]) == (0, 2)
    dup = legal.post(f"{BASE}/reviews", {"officer_id": w.officer.pk, "year": year, "result": "passed"})
    assert dup.status_code == 409 and dup.json()["code"] == "review_exists"
    assert w.api["supervisor"].get(f"{BASE}/reviews", {"year": year}).json()["count"] == 1


def test_an_invalid_body_is_answered_422_with_field_errors(w):
    legal = w.api["legal"]
    broken = legal.post(f"{BASE}/plans", raw="{not json")
    assert broken.status_code == 422 and broken.json()["code"] == "malformed_json"
    missing = legal.post(f"{BASE}/plans", {"title": "无年份"})
    assert missing.status_code == 422 and missing.json()["field_errors"]["year"]
    kind = legal.post(
        f"{BASE}/questions", {"subject": "x", "kind": "essay", "text": "x", "answer": "x", "points": 1}
    )
    assert kind.status_code == 422 and "kind" in kind.json()["field_errors"]


def test_the_write_endpoints_document_the_refusals(client, db):
    spec = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/training/plans", "post"),
        ("/api/v1/training/plans/{plan_id}/sessions", "post"),
        ("/api/v1/training/sessions/{session_id}/attendance", "post"),
        ("/api/v1/training/questions", "post"),
        ("/api/v1/training/exams", "post"),
        ("/api/v1/training/exams/{exam_id}/scores", "post"),
        ("/api/v1/training/attempts/{attempt_id}/mark", "post"),
        ("/api/v1/training/reviews", "post"),
    ]:
        operation = spec[path][method]
        assert {"409", "422"} <= set(operation["responses"]), path
        assert operation["requestBody"]["content"]["application/json"]["schema"]["properties"], path
