"""The public portal's JSON API (issue 7 §3–5): search, one decision, open data, annual reports and
serious violators — no login, paginated, throttled, documented, and never an unmasked text."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory
from publicity.annual_services import annual_report_approve, annual_report_compute, annual_report_publish
from publicity.services import (
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from publicity.tests.test_masking import CARD, OLD_ID, PARTY_ID, REALISTIC, THIRD_ID

pytestmark = pytest.mark.django_db

BASE = "/api/v1/portal"
# What the REALISTIC decision holds and masking removes (identity numbers 18 and 15 digits, the
# third person's number, a bank card, a phone, the party's name and home address).
SECRETS = (PARTY_ID, THIRD_ID, OLD_ID, CARD, "13812345678", "张三", "后寨村3组15号")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the throttle counts live in the cache
    yield
    cache.clear()


@pytest.fixture
def world() -> Any:
    agency = AgencyFactory(name="新密市自然资源局")
    drafter = OfficerFactory(agency=agency, roles=[Role.OFFICER]).user
    reviewer = OfficerFactory(agency=agency, roles=[Role.LEGAL_REVIEWER]).user
    head = OfficerFactory(agency=agency, roles=[Role.HEAD, Role.OFFICER]).user
    return agency, drafter, reviewer, head


def _draft(world: Any, *, n: int, text: str = REALISTIC, category: str = "非法占用土地") -> Any:
    agency, drafter, _reviewer, _head = world
    return publication_draft(
        actor=drafter,
        case_id=500 + n,
        agency_id=agency.pk,
        title=f"新密市自然资源局行政处罚决定书（第{n}号）",
        text=text,
        party_data={
            "persons": ["张三"],
            "id_numbers": [PARTY_ID],
            "addresses": ["河南省新密市超化镇后寨村3组15号"],
            "phones": ["13812345678"],
        },
        due_on=datetime.date.today() + datetime.timedelta(days=9),
        document_number=f"新自然资罚〔2025〕{n}号",
        decided_on=datetime.date(2025, 3, n),
        category=category,
    )


def _publish(world: Any, **kw: Any) -> Any:
    reviewer = world[2]
    pub = _draft(world, **kw)
    publication_approve(actor=reviewer, publication=pub)
    return publication_publish(actor=reviewer, publication=pub)


def _get(path: str, **params: Any) -> Any:
    return Client().get(BASE + path, params)


def test_search_finds_masked_decisions_with_two_characters_and_pages(world):
    first = _publish(world, n=1)
    second = _publish(world, n=2, text="当事人未经批准占用耕地建房，责令退还，罚款。")
    _draft(world, n=3, text="罚款 未发布的决定")  # a draft: never in the API

    response = _get("/decisions", q="罚款", limit=1)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2 and body["count_capped"] is False and body["limit"] == 1
    [hit] = body["items"]
    assert hit["id"] == str(second.public_id)  # newest first
    assert "罚款" in hit["excerpt"] and "<mark>" not in hit["excerpt"]
    assert hit["url"].endswith(f"/gongkai/decisions/{second.public_id}/")
    assert hit["agency"] == "新密市自然资源局" and hit["kind"] == "penalty" and hit["year"] == 2025
    assert _get("/decisions", q="罚款", limit=1, offset=1).json()["items"][0]["id"] == str(first.public_id)

    # filters, and operators in the query are words like any other (no injection, no error)
    assert _get("/decisions", q="罚款", year=2024).json()["count"] == 0
    assert _get("/decisions", category="非法采矿").json()["count"] == 0
    assert _get("/decisions", q='"罚款"* -( ').json()["count"] == 2
    assert _get("/decisions", kind="bogus").status_code in (400, 422)
    assert _get("/decisions", limit=10_000).status_code in (400, 422)


def test_an_unmasked_identity_number_never_appears(world):
    """Every endpoint, including a search for the identity number itself, over a decision whose
    original text holds 18- and 15-digit identity numbers, a card, a phone, a name, an address."""
    pub = _publish(world, n=1)
    original = unicodedata.normalize("NFKC", pub.original_text)
    assert PARTY_ID in original and THIRD_ID in original and OLD_ID in original  # a meaningful test
    withdrawn = _publish(world, n=2)
    publication_withdraw(actor=world[2], publication=withdrawn, reason="复议机关撤销了该决定。")

    answers = [
        _get("/decisions").json(),
        _get("/decisions", q="新密").json(),
        _get(f"/decisions/{pub.public_id}").json(),
        _get(f"/decisions/{withdrawn.public_id}").json(),
        _get("/open-data/decisions").json(),
    ]
    for secret in SECRETS:
        found = _get("/decisions", q=secret).json()
        assert found["count"] == 0, secret  # the index holds only the masked text
        answers.append(found)
    # decoded JSON (no \\u escapes), so that a Chinese name or address would be seen
    text = "\n".join(json.dumps(a, ensure_ascii=False) for a in answers)
    assert "某" in text  # the masked text is there …
    # … the personal data is not, in any width or spacing (full-width digits, "138 1234 5678")
    flat = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))
    for secret in SECRETS:
        assert secret not in flat, secret


def test_one_decision_and_withdrawal(world):
    pub = _publish(world, n=1)
    detail = _get(f"/decisions/{pub.public_id}").json()
    assert detail["status"] == "published" and detail["text"] == pub.masked_text
    assert detail["document_number"] == "新自然资罚〔2025〕1号" and detail["category"] == "非法占用土地"

    publication_withdraw(actor=world[2], publication=pub, reason="复议机关撤销了该决定。")
    detail = _get(f"/decisions/{pub.public_id}").json()
    assert detail["status"] == "withdrawn" and detail["text"] == ""
    assert detail["withdrawal_reason"] == "复议机关撤销了该决定。"
    assert _get("/decisions", q="新密").json()["count"] == 0  # off the search

    draft = _draft(world, n=2)
    for path in (f"/decisions/{draft.public_id}", f"/decisions/{uuid.uuid4()}"):
        response = _get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "decision_not_found"
    assert _get("/decisions/not-a-uuid").status_code in (400, 422)


def test_open_data_pages_in_a_stable_order(world):
    pubs = [_publish(world, n=n) for n in (1, 2, 3)]
    body = _get("/open-data/decisions", limit=2).json()
    assert body["count"] == 3
    assert [r["id"] for r in body["items"]] == [str(p.public_id) for p in pubs[:2]]  # oldest first
    rest = _get("/open-data/decisions", limit=2, offset=2).json()["items"]
    assert [r["id"] for r in rest] == [str(pubs[2].public_id)]
    assert rest[0]["text"] == pubs[2].masked_text
    assert _get("/open-data/decisions", year=timezone.localdate().year).json()["count"] == 3
    assert _get("/open-data/decisions", year=2001).json()["count"] == 0


def test_annual_reports_only_once_published(world):
    agency, _drafter, _reviewer, head = world
    year = timezone.localdate().year
    report = annual_report_compute(actor=head, agency_id=agency.pk, year=year)
    assert _get("/annual-reports").json()["count"] == 0
    assert _get(f"/annual-reports/{report.pk}").status_code == 404
    annual_report_publish(actor=head, report=annual_report_approve(actor=head, report=report))

    listing = _get("/annual-reports").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert item["year"] == year and item["agency"] == "新密市自然资源局" and "data" not in item
    detail = _get(f"/annual-reports/{report.pk}").json()
    assert detail["data"]["cases"] == report.data["cases"]
    assert detail["url"].endswith(f"/gongkai/annual/{report.pk}/")
    assert _get("/annual-reports/99999999").json()["code"] == "annual_report_not_found"


def test_serious_violators_listed_only_and_masked(monkeypatch, key_dir, evidence_dir):  # noqa: F811
    from cases.tests.factories import case_world, new_case, publish_decision, walk
    from publicity.violators import violator_list, violator_notify, violator_propose

    monkeypatch.setattr("cases.workflow.guards.review_status", lambda kind, case_id: "passed")
    w = case_world()
    case = walk(new_case(w), w, "delivered", heavy=True)  # a demolition order: qualifies
    pub = publish_decision(case, w)
    entry = violator_propose(actor=w.officer1.user, publication=pub, rule_code="demolition")
    today = timezone.localdate()
    entry = violator_notify(actor=w.officer1.user, entry=entry, today=today)
    assert _get("/violators").json()["count"] == 0  # notified is not listed
    entry = violator_list(actor=w.head.user, entry=entry, today=entry.objection_until + datetime.timedelta(1))

    body = _get("/violators").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["decision_number"] == pub.document_number and row["party"].endswith("某")
    assert row["legal_basis"] and row["display_until"] == entry.display_until.isoformat()
    assert _get("/violators", q=pub.document_number).json()["count"] == 1
    assert _get("/violators", q="没有这个").json()["count"] == 0
    # the party's identity numbers and name, which the case handed to masking, never appear
    secrets = [*pub.party_data.get("id_numbers", []), *pub.party_data.get("persons", [])]
    assert secrets and any(s in pub.original_text for s in secrets)
    text = json.dumps(
        [body, _get(f"/decisions/{pub.public_id}").json(), _get("/open-data/decisions").json()],
        ensure_ascii=False,
    )
    for secret in secrets:
        assert secret not in text, secret


def test_throttled_per_address(settings, world):
    settings.ZHIFA_PUBLIC_API_PER_MINUTE = 3
    for _ in range(3):
        assert _get("/decisions").status_code == 200
    response = _get("/annual-reports")  # one limit for every endpoint of the portal API
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) >= 1
    assert Client(REMOTE_ADDR="10.0.0.9").get(BASE + "/decisions").status_code == 200


def test_documented_in_openapi_without_authentication():
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/portal/decisions",
        "/api/v1/portal/decisions/{public_id}",
        "/api/v1/portal/open-data/decisions",
        "/api/v1/portal/annual-reports",
        "/api/v1/portal/annual-reports/{report_id}",
        "/api/v1/portal/violators",
    ):
        operation = paths[path]["get"]
        assert operation.get("security", []) == [], path  # no login
        assert "429" in operation["responses"] and operation["summary"], path
    search = paths["/api/v1/portal/decisions"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert {"q", "year", "agency_id", "category", "kind", "limit", "offset"} <= names
