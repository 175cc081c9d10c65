"""The Action API over penalty cases (issue 4 §3, §5): register, list, detail, parties, actions, events."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from api.models import IdempotencyKey
from api.tests.conftest import ApiClient, token_for
from cases.models import Case, CaseEvent
from cases.tests.factories import RESIDENT_ID, USCC, act, case_world, new_case

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world() -> Any:
    return case_world()


@pytest.fixture
def head(world: Any) -> ApiClient:
    return ApiClient(token_for(world.head.user))


@pytest.fixture
def officer(world: Any) -> ApiClient:
    return ApiClient(token_for(world.officer1.user))


def lead_body(**over: Any) -> dict[str, Any]:
    body = {
        "source": "patrol",
        "discovered_on": timezone.localdate().isoformat(),
        "description": "村民未经批准占用耕地建房",
        "location": "城关镇东村三组",
    }
    body.update(over)
    return body


def test_register_a_lead(world: Any, officer: ApiClient) -> None:
    response = officer.post("/api/v1/cases", lead_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "lead"
    assert body["version"] == 1
    assert body["agency_id"] == world.agency.pk
    assert body["description"] == "村民未经批准占用耕地建房"
    assert Case.objects.filter(pk=body["id"], agency=world.agency).exists()
    assert {a["action"] for a in body["available_actions"]} >= {"check", "register", "decline"}


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"source": "rumour"}, "source"),
        (
            {"discovered_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
            "discovered_on",
        ),
        ({"description": "  "}, "description"),
        ({"description": None}, "description"),
    ],
)
def test_register_validates_the_body(officer: ApiClient, over: dict[str, Any], field: str) -> None:
    response = officer.post("/api/v1/cases", lead_body(**over))
    assert response.status_code == 400, response.content
    errors = response.json()["field_errors"]
    assert field in errors
    assert all(CJK.search(m) for m in errors[field])


def test_list_is_scoped_to_the_callers_agency(world: Any, officer: ApiClient) -> None:
    mine = new_case(world)
    other_world = case_world()
    theirs = new_case(other_world)
    response = officer.get("/api/v1/cases")
    assert response.status_code == 200
    ids = {c["id"] for c in response.json()["items"]}
    assert mine.pk in ids and theirs.pk not in ids
    # and the detail of the other agency's case is not found
    assert officer.get(f"/api/v1/cases/{theirs.pk}").status_code == 404
    theirs_client = ApiClient(token_for(other_world.officer1.user))
    ids_b = {c["id"] for c in theirs_client.get("/api/v1/cases").json()["items"]}
    assert theirs.pk in ids_b and mine.pk not in ids_b


def test_list_filters_and_pagination(world: Any, officer: ApiClient) -> None:
    first = new_case(world)
    second = new_case(world)
    act(first, world, "check")
    by_status = officer.get("/api/v1/cases", {"status": "preliminary_check"}).json()
    assert [c["id"] for c in by_status["items"]] == [first.pk]
    assert officer.get("/api/v1/cases", {"q": "耕地"}).json()["count"] == 2
    assert officer.get("/api/v1/cases", {"q": "不存在的词"}).json()["count"] == 0
    page = officer.get("/api/v1/cases", {"limit": 1}).json()
    assert page["count"] == 2 and [c["id"] for c in page["items"]] == [second.pk]
    assert officer.get("/api/v1/cases", {"limit": 201}).status_code == 400
    today = timezone.localdate().isoformat()
    assert officer.get("/api/v1/cases", {"registered_from": today}).json()["count"] == 0


def test_detail_lists_available_actions_with_reasons_in_chinese(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    act(case, world, "check")
    response = officer.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "preliminary_check"
    assert body["version"] == Case.objects.get(pk=case.pk).version
    actions = {a["action"]: a for a in body["available_actions"]}
    register = actions["register"]
    assert register["allowed"] is False
    blocked = {v["code"]: v for v in register["blocked_by"]}
    assert any(v["basis"] == "行政处罚法 Art.54" for v in blocked.values()), blocked
    assert all(CJK.search(v["message"]) for v in register["blocked_by"])
    assert set(register["blocked_by"][0]) == {"code", "message", "basis"}


def test_party_identity_numbers_are_masked(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(
        f"/api/v1/cases/{case.pk}/parties",
        {"party_type": "legal", "name": "某建材公司", "id_number": USCC},
    )
    assert response.status_code == 201, response.content
    assert response.json()["id_number"] == "*" * 14 + USCC[-4:]
    detail = officer.get(f"/api/v1/cases/{case.pk}").json()
    numbers = [p["id_number"] for p in detail["parties"]]
    assert numbers == ["*" * 14 + RESIDENT_ID[-4:], "*" * 14 + USCC[-4:]]
    assert RESIDENT_ID not in officer.get(f"/api/v1/cases/{case.pk}").content.decode()


def test_party_with_invalid_identity_number_is_refused(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(
        f"/api/v1/cases/{case.pk}/parties",
        {"party_type": "natural", "name": "李四", "id_number": "110105194912310021"},
    )
    assert response.status_code == 400
    errors = response.json()["field_errors"]["id_number"]
    assert "GB 11643" in errors[0] and CJK.search(errors[0])


def test_a_successful_action(world: Any, officer: ApiClient, head: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(f"/api/v1/cases/{case.pk}/actions/check", {"version": case.version})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "preliminary_check"
    response = head.post(f"/api/v1/cases/{case.pk}/actions/register", {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "registered" and body["number"]
    kinds = {d["kind"]: d for d in body["deadlines"]}
    assert "cases.decision" in kinds
    assert set(kinds["cases.decision"]) >= {"kind", "due_date", "provisional", "status"}


def test_a_refused_action_names_the_article(world: Any, officer: ApiClient) -> None:
    case = act(new_case(world), world, "check")
    response = officer.post(f"/api/v1/cases/{case.pk}/actions/register", {})
    assert response.status_code == 409
    body = response.json()
    assert set(body) >= {"code", "message", "violations"}
    assert any(v["basis"] == "行政处罚法 Art.54" for v in body["violations"])
    assert all(CJK.search(v["message"]) for v in body["violations"])
    assert Case.objects.get(pk=case.pk).status == "preliminary_check"


def test_unknown_action_is_404(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(f"/api/v1/cases/{case.pk}/actions/fly", {})
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_action"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("decline", {}, "reason"),
        ("check", {"version": "one"}, "version"),
        ("check", [1, 2], "__all__"),
    ],
)
def test_invalid_body_is_422(world: Any, head: ApiClient, action: str, body: Any, field: str) -> None:
    case = new_case(world)
    response = head.post(f"/api/v1/cases/{case.pk}/actions/{action}", body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert field in payload["field_errors"]
    assert "violations" in payload
    assert Case.objects.get(pk=case.pk).status == "lead"


def test_malformed_json_is_422(world: Any, head: ApiClient) -> None:
    case = new_case(world)
    response = head.post(f"/api/v1/cases/{case.pk}/actions/check", raw=b"{not json")
    assert response.status_code == 422
    assert response.json()["code"] == "malformed_json"


def test_stale_version_is_a_conflict(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    stale = case.version
    act(case, world, "check")
    response = officer.post(f"/api/v1/cases/{case.pk}/actions/decline", {"version": stale, "reason": "x"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "case_version_conflict"
    assert CJK.search(body["message"])


def test_idempotency_key_replays_the_first_response(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    url = f"/api/v1/cases/{case.pk}/actions/check"
    headers = {"Idempotency-Key": "abc-123"}
    first = officer.post(url, {"version": case.version}, headers=headers)
    assert first.status_code == 200
    events = CaseEvent.objects.filter(case=case).count()
    second = officer.post(url, {"version": case.version}, headers=headers)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert CaseEvent.objects.filter(case=case).count() == events  # acted once
    assert IdempotencyKey.objects.filter(key="abc-123").count() == 1
    # same key, different body: refused
    other = officer.post(url, {"version": case.version + 5}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    # without a key the same request is a real second attempt (and now refused)
    again = officer.post(url, {})
    assert again.status_code == 409


def test_idempotency_key_is_per_user_and_refusals_are_not_stored(world: Any, officer: ApiClient) -> None:
    case = act(new_case(world), world, "check")
    url = f"/api/v1/cases/{case.pk}/actions/register"
    headers = {"Idempotency-Key": "k1"}
    assert officer.post(url, {}, headers=headers).status_code == 409
    assert not IdempotencyKey.objects.filter(key="k1").exists()
    head = ApiClient(token_for(world.head.user))
    assert head.post(url, {}, headers=headers).status_code == 200
    assert head.post(url, {}, headers=headers).status_code == 200  # replayed
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_events_timeline(world: Any, officer: ApiClient) -> None:
    case = act(new_case(world), world, "check")
    response = officer.get(f"/api/v1/cases/{case.pk}/events")
    assert response.status_code == 200
    events = response.json()
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["action"] == "create" and events[0]["to_status"] == "lead"
    last = events[-1]
    assert (last["action"], last["from_status"], last["to_status"]) == (
        "check",
        "lead",
        "preliminary_check",
    )
    assert last["actor"] == world.officer1.name
    assert set(last) == {"seq", "action", "from_status", "to_status", "actor", "at", "payload"}


def test_cases_are_in_the_openapi_schema(officer: ApiClient) -> None:
    paths = officer.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/parties",
        "/api/v1/cases/{case_id}/actions/{action}",
        "/api/v1/cases/{case_id}/events",
    } <= set(paths)
    action = paths["/api/v1/cases/{case_id}/actions/{action}"]["post"]
    assert {"409", "422"} <= set(action["responses"])
    assert "requestBody" in action
