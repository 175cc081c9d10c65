"""Power catalog endpoints: scoped to the caller, legal bases included, evaluation through catalog."""

from __future__ import annotations

import pytest

from api.tests.conftest import ApiClient, token_for
from catalog.services.demo import catalog_load_demo
from catalog.tests.factories import admin_of
from core.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalog(agency_a):
    return catalog_load_demo(actor=admin_of(agency_a), agency=agency_a)


def test_power_items_come_with_their_legal_bases_and_filter_by_kind(client_a, demo_catalog):
    listed = client_a.get("/api/v1/power-items", {"limit": 200}).json()
    assert listed["count"] > 5
    assert any(item["legal_bases"] for item in listed["items"])
    kinds = {item["kind"] for item in listed["items"]}
    kind = sorted(kinds)[0]
    only = client_a.get("/api/v1/power-items", {"kind": kind, "limit": 200}).json()
    assert 0 < only["count"] < listed["count"] or len(kinds) == 1
    assert {item["kind"] for item in only["items"]} == {kind}
    provisions = client_a.get("/api/v1/legal-provisions").json()
    assert provisions["count"] > 0 and provisions["items"][0]["reference"]


def test_another_agencys_catalog_is_not_visible(client_a, demo_catalog, agency_a, agency_b):
    from org.tests.factories import OfficerFactory

    outsider = ApiClient(token_for(OfficerFactory(agency=agency_b).user))
    assert outsider.get("/api/v1/power-items").json()["count"] == 0
    item_id = client_a.get("/api/v1/power-items").json()["items"][0]["id"]
    assert client_a.get(f"/api/v1/power-items/{item_id}").status_code == 200
    response = outsider.get(f"/api/v1/power-items/{item_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "power_item_not_found"


def test_standards_list_their_tiers_and_evaluate_facts(client_a, demo_catalog):
    standards = client_a.get("/api/v1/discretion-standards").json()["items"]
    assert standards and all(s["tiers"] for s in standards)
    standard = next(s for s in standards if s["dimension"].startswith("area"))
    land_class = standard["tiers"][0]["land_classes"][0] if standard["tiers"][0]["land_classes"] else ""
    before = LedgerEntry.objects.count()
    response = client_a.post("/api/v1/discretion/evaluate", {
        "standard_id": standard["id"], "act_date": standard["effective_from"],
        "facts": {"land_class": land_class, "area_m2": 500},
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["standard_id"] == standard["id"]
    assert body["tier"] and body["reasons"]
    assert body["recommended"] is not None
    assert LedgerEntry.objects.count() == before  # evaluating is a read, not an act


def test_evaluating_bad_facts_is_a_400_with_field_errors(client_a, demo_catalog):
    standard = client_a.get("/api/v1/discretion-standards").json()["items"][0]
    response = client_a.post("/api/v1/discretion/evaluate", {
        "standard_id": standard["id"], "act_date": "2026-01-05", "facts": {"area_m2": "很多"},
    })
    assert response.status_code == 400
    assert "area_m2" in response.json()["field_errors"]


def test_major_decision_rules_are_listed(client_a, demo_catalog):
    rules = client_a.get("/api/v1/major-decision-rules").json()
    assert rules["count"] > 0
    assert {"trigger", "requirement", "basis"} <= set(rules["items"][0])


@pytest.mark.parametrize(
    "raw_value",
    [
        "99999999999999999999999999999999999999999999999999",  # a JSON number of 50 digits
        '"1e99999"',
        '"1E+13"',
        '"0.0000000000001"',
        '"123456789012345"',  # 15 integer digits
        '"NaN"',
        '"-Infinity"',
        "1e400",  # a JSON number beyond a float: parsed as infinity
    ],
)
def test_evaluating_absurd_numbers_is_a_400_with_a_chinese_field_error(client_a, demo_catalog, raw_value):
    """Issue 3 item 2: these were a 500 (decimal.InvalidOperation when quantizing the range)."""
    standard = client_a.get("/api/v1/discretion-standards").json()["items"][0]
    body = (
        f'{{"standard_id": {standard["id"]}, "act_date": "{standard["effective_from"]}", '
        f'"facts": {{"area_m2": {raw_value}, "illegal_income": {raw_value}}}}}'
    )
    response = client_a.post("/api/v1/discretion/evaluate", raw=body)
    assert response.status_code == 400, response.content
    errors = response.json()["field_errors"]
    assert set(errors) == {"area_m2", "illegal_income"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in errors["area_m2"])


def test_evaluating_the_largest_accepted_area_is_answered(client_a, demo_catalog):
    standard = client_a.get("/api/v1/discretion-standards").json()["items"][0]
    response = client_a.post("/api/v1/discretion/evaluate", {
        "standard_id": standard["id"], "act_date": standard["effective_from"],
        "facts": {"area_m2": "99999999999999.999999999999", "illegal_income": "1E+12"},
    })
    assert response.status_code == 200, response.content


def test_evaluating_an_act_date_in_the_future_or_before_the_standard_is_a_400(client_a, demo_catalog):
    """Issue 3 item 4."""
    import datetime

    standard = client_a.get("/api/v1/discretion-standards").json()["items"][0]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    first = datetime.date.fromisoformat(standard["effective_from"])
    before = (first - datetime.timedelta(days=1)).isoformat()
    for act_date, code in ((tomorrow, "catalog.act_date_future"), (before, "catalog.no_version_at_act_date")):
        response = client_a.post("/api/v1/discretion/evaluate", {
            "standard_id": standard["id"], "act_date": act_date, "facts": {"area_m2": 500},
        })
        assert response.status_code == 400, response.content
        assert response.json()["code"] == code
        assert set(response.json()["field_errors"]) == {"act_date"}


@pytest.mark.parametrize("land_class", ["farmland", "耕地"])
def test_evaluate_accepts_the_land_class_value_or_its_chinese_name(client_a, demo_catalog, land_class):
    """Issue 3 item 6: values are basic_farmland / farmland / other; the Chinese names are accepted."""
    standards = client_a.get("/api/v1/discretion-standards").json()["items"]
    standard = next(s for s in standards if s["tiers"][0]["land_classes"])
    classes = {c for t in standard["tiers"] for c in t["land_classes"]}
    assert classes == {"basic_farmland", "farmland", "other"}
    response = client_a.post("/api/v1/discretion/evaluate", {
        "standard_id": standard["id"], "act_date": standard["effective_from"],
        "facts": {"land_class": land_class, "area_m2": 800},
    })
    assert response.status_code == 200, response.content
    assert response.json()["tier"] == "轻微"


def test_a_nul_character_in_a_code_or_search_is_a_400(client_a, demo_catalog):
    """PostgreSQL refuses NUL in text (found by schemathesis on PG): a 400, not a 500."""
    response = client_a.post("/api/v1/discretion/evaluate", {
        "violation_code": "illegal\u0000occupation", "act_date": "2024-06-01", "facts": {},
    })
    assert response.status_code == 400, response.content
    assert "violation_code" in response.json()["field_errors"]
    assert client_a.get("/api/v1/power-items", {"q": "a\u0000b"}).status_code == 400
    assert client_a.get("/api/v1/legal-provisions", {"q": "a\u0000b"}).status_code == 400
