"""The Action API beyond transitions: facts, discretion, payments, remedies, recusals, delivery rules."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from api.tests.conftest import ApiClient, token_for
from cases.models import CaseOfficer, Payment, Recusal, Remedy
from cases.tests.factories import case_world, new_case, walk
from catalog.tests.factories import occupation_standard

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def review_passed(monkeypatch: Any) -> None:
    monkeypatch.setattr("cases.workflow.guards.review_status", lambda kind, case_id: "passed")


@pytest.fixture
def world() -> Any:
    return case_world()


@pytest.fixture
def head(world: Any) -> ApiClient:
    return ApiClient(token_for(world.head.user))


@pytest.fixture
def officer(world: Any) -> ApiClient:
    return ApiClient(token_for(world.officer1.user))


def patch(client: ApiClient, path: str, data: Any) -> Any:
    import json

    return client.client.patch(
        path, json.dumps(data), content_type="application/json", headers=client._headers(None)
    )


# ---------------------------------------------------------------- facts and discretion


def test_patch_facts_changes_only_what_is_sent_and_discretion_follows(world: Any, officer: ApiClient) -> None:
    occupation_standard(agency=world.agency)
    case = new_case(world)  # farmland, 300 m²
    response = patch(
        officer,
        f"/api/v1/cases/{case.pk}/facts",
        {"violation_code": "illegal_occupation", "area_mu": "15", "first_violation": True},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["violation_code"] == "illegal_occupation"
    assert body["facts"]["area_m2"] == "10000.00" and body["facts"]["land_class"] == "farmland"
    assert body["facts"]["first_violation"] is True
    assert body["act_ended_on"] is None  # continuing, untouched
    discretion = officer.get(f"/api/v1/cases/{case.pk}/discretion").json()
    assert discretion["available"] is True
    assert (discretion["code"], discretion["version"], discretion["tier"]) == (
        "illegal_occupation",
        1,
        "一般",
    )
    # 15 亩 of farmland: 一般, 300–600 yuan/m² × 10,000 m²
    assert Decimal(discretion["range_min"]) == Decimal("3000000.00")
    assert Decimal(discretion["recommended"]) == Decimal("4500000.00")


def test_post_facts_refuses_an_end_before_the_start_with_422(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(
        f"/api/v1/cases/{case.pk}/facts",
        {
            "act_started_on": (TODAY() - datetime.timedelta(days=3)).isoformat(),
            "act_ended_on": (TODAY() - datetime.timedelta(days=9)).isoformat(),
        },
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert "act_ended_on" in body["field_errors"] and CJK.search(body["message"])
    assert body["violations"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"land_class": "swamp"}, "land_class"),
        ({"area_m2": "-5"}, "area_m2"),
        ({"illegal_income": "12.345"}, "illegal_income"),
        ({"act_started_on": "2026-13-01"}, "act_started_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_facts_are_422_with_chinese_field_errors(
    world: Any, officer: ApiClient, body: dict[str, Any], field: str
) -> None:
    case = new_case(world)
    response = patch(officer, f"/api/v1/cases/{case.pk}/facts", body)
    assert response.status_code == 422, response.content
    errors = response.json()["field_errors"]
    assert field in errors and all(CJK.search(m) for m in errors[field])


def test_facts_of_another_agencys_case_are_404(world: Any) -> None:
    other = case_world()
    case = new_case(other)
    client = ApiClient(token_for(world.officer1.user))
    assert patch(client, f"/api/v1/cases/{case.pk}/facts", {"land_class": "other"}).status_code == 404


def test_discretion_says_what_is_missing(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    body = officer.get(f"/api/v1/cases/{case.pk}/discretion").json()
    assert body["available"] is False and CJK.search(body["problem"])


# ---------------------------------------------------------------- payments


def test_payment_recorded_is_listed_in_the_case_detail(world: Any, officer: ApiClient) -> None:
    case = walk(new_case(world), world, "delivered")  # fine 5,000 yuan
    response = officer.post(
        f"/api/v1/cases/{case.pk}/payments",
        {"amount": "1200.50", "paid_on": TODAY().isoformat(), "receipt_number": "FS-7"},
    )
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["amount"]) == Decimal("1200.50")
    detail = officer.get(f"/api/v1/cases/{case.pk}").json()
    assert [p["receipt_number"] for p in detail["payments"]] == ["FS-7"]
    status = detail["payment_status"]
    assert Decimal(status["paid_total"]) == Decimal("1200.50")
    assert Decimal(status["outstanding"]) == Decimal("3799.50")
    assert status["paid_in_full"] is False


def test_payment_without_a_decided_fine_is_a_409_rule_refusal(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(
        f"/api/v1/cases/{case.pk}/payments",
        {"amount": "10.00", "paid_on": TODAY().isoformat(), "receipt_number": "FS-1"},
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "no_fine_to_pay" and "Art" in body["violations"][0]["basis"]
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [({"amount": "0"}, "amount"), ({"amount": "1.001"}, "amount"), ({"channel": "cheque"}, "channel")],
)
def test_invalid_payment_is_422(world: Any, officer: ApiClient, over: dict[str, Any], field: str) -> None:
    case = walk(new_case(world), world, "delivered")
    body = {"amount": "10.00", "paid_on": TODAY().isoformat(), "receipt_number": "FS-1", **over}
    response = officer.post(f"/api/v1/cases/{case.pk}/payments", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["field_errors"]


def test_malformed_payment_json_is_422(world: Any, officer: ApiClient) -> None:
    case = walk(new_case(world), world, "delivered")
    response = officer.post(f"/api/v1/cases/{case.pk}/payments", raw=b"{not json")
    assert response.status_code == 422 and response.json()["code"] == "malformed_json"


# ---------------------------------------------------------------- remedies


def test_remedy_and_its_revoking_outcome(world: Any, officer: ApiClient) -> None:
    case = walk(new_case(world), world, "delivered")
    response = officer.post(
        f"/api/v1/cases/{case.pk}/remedies",
        {"kind": "litigation", "filed_on": TODAY().isoformat(), "body": "某县人民法院"},
    )
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    assert response.json()["outcome"] == ""
    outcome = officer.post(
        f"/api/v1/cases/{case.pk}/remedies/{rid}/outcome",
        {"outcome": "revoked", "decided_on": TODAY().isoformat()},
    )
    assert outcome.status_code == 200, outcome.content
    assert outcome.json()["outcome"] == "revoked"
    case.refresh_from_db()
    assert case.decision_revoked_on == TODAY()
    again = officer.post(
        f"/api/v1/cases/{case.pk}/remedies/{rid}/outcome",
        {"outcome": "upheld", "decided_on": TODAY().isoformat()},
    )
    assert again.status_code == 422 and again.json()["code"] == "remedy_already_decided"
    assert officer.get(f"/api/v1/cases/{case.pk}").json()["remedies"][0]["outcome"] == "revoked"


def test_remedy_without_a_decision_is_refused(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(
        f"/api/v1/cases/{case.pk}/remedies",
        {"kind": "reconsideration", "filed_on": TODAY().isoformat(), "body": "县人民政府"},
    )
    assert response.status_code == 422
    assert "filed_on" in response.json()["field_errors"]
    assert not Remedy.objects.exists()


def test_outcome_of_a_remedy_of_another_case_is_404(world: Any, officer: ApiClient) -> None:
    case = walk(new_case(world), world, "delivered")
    other = new_case(world)
    rid = officer.post(
        f"/api/v1/cases/{case.pk}/remedies",
        {"kind": "litigation", "filed_on": TODAY().isoformat(), "body": "某县人民法院"},
    ).json()["id"]
    response = officer.post(
        f"/api/v1/cases/{other.pk}/remedies/{rid}/outcome",
        {"outcome": "upheld", "decided_on": TODAY().isoformat()},
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- recusal


def test_recusal_applied_and_granted_with_reassignment(
    world: Any, officer: ApiClient, head: ApiClient
) -> None:
    case = new_case(world)
    response = officer.post(
        f"/api/v1/cases/{case.pk}/recusals",
        {"officer_id": world.officer1.pk, "applied_by": "officer", "reason": "与当事人有利害关系"},
    )
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    assert response.json()["outcome"] == "pending"
    denied = officer.post(f"/api/v1/cases/{case.pk}/recusals/{rid}/decision", {"granted": True})
    assert denied.status_code == 403
    decided = head.post(
        f"/api/v1/cases/{case.pk}/recusals/{rid}/decision",
        {"granted": True, "reason": "理由成立", "replacement_officer_id": world.chair.pk},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["outcome"] == "granted"
    assert not CaseOfficer.objects.filter(case=case, officer=world.officer1, active=True).exists()
    assert CaseOfficer.objects.get(case=case, officer=world.chair, active=True).role == "lead"
    assert [r["outcome"] for r in head.get(f"/api/v1/cases/{case.pk}").json()["recusals"]] == ["granted"]


def test_deciding_twice_is_a_409(world: Any, head: ApiClient) -> None:
    case = new_case(world)
    rid = head.post(
        f"/api/v1/cases/{case.pk}/recusals",
        {"officer_id": world.officer2.pk, "applied_by": "party", "reason": "当事人申请"},
    ).json()["id"]
    assert (
        head.post(f"/api/v1/cases/{case.pk}/recusals/{rid}/decision", {"granted": False}).status_code == 200
    )
    again = head.post(f"/api/v1/cases/{case.pk}/recusals/{rid}/decision", {"granted": True})
    assert again.status_code == 409 and again.json()["code"] == "recusal_decided"
    assert Recusal.objects.get(pk=rid).outcome == "refused"


def test_recusal_of_an_officer_not_on_the_case_is_422(world: Any, officer: ApiClient) -> None:
    case = new_case(world)
    response = officer.post(
        f"/api/v1/cases/{case.pk}/recusals",
        {"officer_id": world.chair.pk, "applied_by": "party", "reason": "当事人申请"},
    )
    assert response.status_code == 422 and "officer_id" in response.json()["field_errors"]


# ---------------------------------------------------------------- delivery through the action endpoint


def test_electronic_delivery_without_consent_is_a_409_naming_art_61(world: Any, officer: ApiClient) -> None:
    case = walk(new_case(world), world, "decided")
    url = f"/api/v1/cases/{case.pk}/actions/deliver"
    body = {"method": "electronic", "delivered_on": TODAY().isoformat()}
    refused = officer.post(url, body)
    assert refused.status_code == 409
    violation = refused.json()["violations"][0]
    assert (
        violation["code"] == "electronic_delivery_without_consent"
        and violation["basis"] == "行政处罚法 Art.61"
    )
    ok = officer.post(url, {**body, "consent_signed": True, "electronic_address": "party@example.cn"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["deliveries"][-1]["method"] == "electronic"


# ---------------------------------------------------------------- schema


def test_new_endpoints_are_in_the_openapi_schema_with_409_and_422(officer: ApiClient) -> None:
    paths = officer.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/cases/{case_id}/facts", "patch"),
        ("/api/v1/cases/{case_id}/facts", "post"),
        ("/api/v1/cases/{case_id}/payments", "post"),
        ("/api/v1/cases/{case_id}/remedies", "post"),
        ("/api/v1/cases/{case_id}/remedies/{remedy_id}/outcome", "post"),
        ("/api/v1/cases/{case_id}/recusals", "post"),
        ("/api/v1/cases/{case_id}/recusals/{recusal_id}/decision", "post"),
    ]:
        operation = paths[path][method]
        assert {"409", "422"} <= set(operation["responses"]), (path, method)
        assert operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "/api/v1/cases/{case_id}/discretion" in paths
