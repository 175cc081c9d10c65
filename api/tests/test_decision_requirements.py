"""POST /api/v1/major-decision-rules/requirements: what a proposed decision needs, and which rule says so."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from api.tests.conftest import ApiClient, token_for
from catalog.services import major_rule_create
from catalog.tests.factories import admin_of
from core.models import LedgerEntry
from org.roles import Role
from org.tests.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/major-decision-rules/requirements"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _kinds(body: dict) -> set[str]:
    return {r["kind"] for r in body["requirements"]}


def test_given_an_individual_fined_30000_then_review_hearing_and_risk_assessment_with_their_rules(
    client_a, agency_a
):
    before = LedgerEntry.objects.count()
    response = client_a.post(URL, {"party_kind": "individual", "fine": 30000})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["agency_id"] == agency_a.pk
    assert body["on"] == datetime.date.today().isoformat()
    assert _kinds(body) == {"legal_review", "hearing_notice", "risk_assessment"}
    assert body["needs"] == {
        "legal_review": True, "risk_assessment": True, "deliberation": False, "hearing_notice": True,
    }
    risk = next(r for r in body["requirements"] if r["kind"] == "risk_assessment")
    assert risk["rule_id"] > 0 and risk["rule_agency_id"] is None  # the default catalog
    assert risk["rule_name"] == "罚款3万元以上须风险评估"
    assert "2013" in risk["basis"] and risk["trigger"] == "fine_at_least"
    assert Decimal(risk["amount"]) == 30000
    assert all(_has_chinese(r["label"]) for r in body["requirements"])
    assert LedgerEntry.objects.count() == before  # asking is a read, not an act


def test_given_a_small_fine_then_nothing_is_needed(client_a):
    body = client_a.post(URL, {"party_kind": "organisation", "fine": "500"}).json()
    assert body["requirements"] == []
    assert not any(body["needs"].values())


def test_given_flags_then_their_statutory_requirements(client_a):
    body = client_a.post(URL, {"complex_case": True}).json()
    assert _kinds(body) == {"legal_review", "deliberation"}
    body = client_a.post(URL, {"hearing_held": True, "major_rights": True}).json()
    assert [r["kind"] for r in body["requirements"]] == ["legal_review"]
    assert "第58条" in body["requirements"][0]["basis"]
    body = client_a.post(URL, {"party_kind": "organisation", "expropriation": True}).json()
    assert _kinds(body) == {"risk_assessment"}


def test_given_the_agencys_own_threshold_then_it_replaces_the_default(client_a, agency_a):
    rule = major_rule_create(
        actor=admin_of(agency_a),
        agency=agency_a,
        values={
            "name": "对个人罚款2万元以上须法制审核",
            "trigger": "fine_at_least",
            "party_kind": "individual",
            "amount": Decimal(20000),
            "requirement": "legal_review",
            "basis": "本局目录",
            "effective_from": datetime.date(2024, 1, 1),
        },
    )
    body = client_a.post(URL, {"party_kind": "individual", "fine": 25000}).json()
    review = next(r for r in body["requirements"] if r["kind"] == "legal_review")
    assert review["rule_id"] == rule.pk and review["rule_agency_id"] == agency_a.pk
    assert review["basis"] == "本局目录"
    below = client_a.post(URL, {"party_kind": "individual", "fine": 15000}).json()
    assert below["needs"]["legal_review"] is False
    # Before the agency's rule took effect, the default catalog applied.
    earlier = client_a.post(URL, {"party_kind": "individual", "fine": 15000, "on": "2023-06-01"}).json()
    assert earlier["on"] == "2023-06-01" and earlier["needs"]["legal_review"] is True


@pytest.mark.parametrize(
    "proposal,field",
    [
        ({"fine": -1}, "fine"),
        ({"confiscation_value": "-0.01"}, "confiscation_value"),
        ({"fine": "很多"}, "fine"),
        ({"party_kind": "company"}, "party_kind"),
        ({"party_kind": 3}, "party_kind"),
        ({"demolition": "maybe"}, "demolition"),
        ({"fines": 30000}, "fines"),  # a misspelt key must not answer "nothing needed"
        ({"on": "2026-02-30"}, "on"),
    ],
)
def test_given_bad_input_then_a_400_with_chinese_field_errors(client_a, proposal, field):
    response = client_a.post(URL, proposal)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    assert _has_chinese(body["message"])
    assert set(body["field_errors"]) == {field}
    assert all(_has_chinese(m) for m in body["field_errors"][field])


def test_given_a_user_who_is_no_officer_then_the_agency_is_required():
    client = ApiClient(token_for(UserFactory()))
    response = client.post(URL, {"fine": 30000})
    assert response.status_code == 400
    assert response.json()["code"] == "agency_required"
    assert _has_chinese(response.json()["message"])


def test_given_an_audit_administrator_then_refused_and_recorded(agency_a):
    auditor = OfficerFactory(agency=agency_a, roles=[Role.AUDIT_ADMIN])
    before = LedgerEntry.objects.filter(act="auth.permission_denied").count()
    response = ApiClient(token_for(auditor.user)).post(URL, {"fine": 30000})
    assert response.status_code == 403
    assert response.json()["code"] == "catalog.permission_denied"
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == before + 1


def test_given_no_credentials_then_401(anon):
    response = anon.post(URL, {"fine": 30000})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("proposal", [{"fine": 1000000}, {"confiscation_value": "200000"}])
def test_given_money_without_the_party_kind_then_400_asking_for_it(client_a, proposal):
    """Issue 3 item 1: the amount thresholds differ by party kind, so the API requires it."""
    response = client_a.post(URL, proposal)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "party_kind_required"
    assert set(body["field_errors"]) == {"party_kind"}
    assert _has_chinese(body["message"]) and all(_has_chinese(m) for m in body["field_errors"]["party_kind"])


def test_given_no_money_and_no_party_kind_then_answered_with_notes_where_party_rules_apply(client_a):
    body = client_a.post(URL, {"complex_case": True}).json()
    assert all(r["note"] == "" for r in body["requirements"])
    body = client_a.post(URL, {"party_kind": "individual", "fine": 1000000}).json()
    assert {"legal_review", "hearing_notice"} <= _kinds(body)
