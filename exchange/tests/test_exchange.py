"""Reporting upward: the export validates against the published JSON Schema, carries no personal
data, is incremental by ledger cursor and idempotent; a city instance receives its county's batches
through the API with the county's own bearer token, and both reconciliation reports match."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.utils import timezone

from cases.services import case_facts_update, party_add
from cases.tests.factories import ADDRESS, RESIDENT_ID, new_case
from core.errors import Conflict, PermissionDenied
from core.models import LedgerEntry
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from exchange import schema, services
from exchange.models import ReceivedRecord

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _store(evidence_dir, key_dir):  # noqa: F811
    return evidence_dir


def _cases(w: Any, n: int = 2) -> list[Any]:
    cases = []
    for _ in range(n):
        case = new_case(w)
        party_add(
            actor=w.head.user,
            case=case,
            party_type="natural",
            name="李四光",
            id_number="110105198001010016",
            address="城关镇西村五组8号",
            phone=PHONE,
        )
        cases.append(case)
    return cases


def _bytes(batch: Any) -> bytes:
    return b"".join(services.batch_bytes(batch))


def _lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def test_the_export_validates_against_the_published_schema_and_carries_no_personal_data(w):
    _cases(w)
    batch = services.export_next(actor=w.head.user, agency=w.agency)
    data = _bytes(batch)
    validator = jsonschema.Draft202012Validator(schema.SCHEMA, format_checker=jsonschema.FormatChecker())
    docs = _lines(data)
    for doc in docs:
        validator.validate(doc)
    assert docs[0]["type"] == "header" and docs[-1]["type"] == "trailer"
    kinds = {d["kind"] for d in docs if d["type"] == "record"}
    assert {"subject", "staff", "case", "statistics"} <= kinds
    text = data.decode()
    for secret in (
        RESIDENT_ID,
        "110105198001010016",
        "张三",
        "李四光",
        ADDRESS,
        "西村五组8号",
        PHONE,
        "13800000001",
    ):
        assert secret not in text
    assert "张某" in text and "李某" in text
    # The schema rejects what a careless exporter could add (additionalProperties: false).
    case_line = next(d for d in docs if d.get("kind") == "case")
    case_line["data"]["parties"][0]["id_number"] = RESIDENT_ID
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(case_line)


def test_the_same_cursor_gives_the_same_bytes_and_the_next_batch_only_what_changed(w):
    _first, second = _cases(w)
    batch = services.export_next(actor=w.head.user, agency=w.agency)
    again = services.export_next(actor=w.head.user, agency=w.agency, since=0)
    assert again.pk == batch.pk and _bytes(again) == _bytes(batch)
    # The export's own ledger acts touch no exported record: no empty batch is stored.
    assert services.export_next(actor=w.head.user, agency=w.agency) is None
    case_facts_update(
        actor=w.head.user,
        case=second,
        facts={"land_class": "farmland", "area_m2": "450"},
        act_started_on=timezone.localdate() - dt.timedelta(days=40),
        act_ended_on=None,
        continuing=True,
    )
    nxt = services.export_next(actor=w.head.user, agency=w.agency)
    assert nxt.since == batch.until
    records = [d for d in _lines(_bytes(nxt)) if d["type"] == "record"]
    assert [(r["kind"], r["id"]) for r in records if r["kind"] == "case"] == [("case", str(second.pk))]
    with pytest.raises(Conflict):
        services.export_next(actor=w.head.user, agency=w.agency, since=batch.until + 1)
    with pytest.raises(PermissionDenied):
        services.export_next(actor=w.officer1.user, agency=w.agency)


def token_issue(*, actor: Any, name: str) -> tuple[None, str]:
    """A bearer token through the API's own login endpoint (the way an integration gets one)."""
    response = Client().post(
        "/api/v1/auth/token",
        {"username": actor.username, "password": "Zhifa-test-2026!", "name": name},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return None, response.json()["token"]


def _api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_city_receives_its_countys_batches_and_the_reconciliation_matches(w):
    cases = _cases(w, 3)
    _, county_token = token_issue(actor=w.head.user, name="上报")
    _, city_token = token_issue(actor=w.supervisor.user, name="汇聚")
    county, city = _api(county_token), _api(city_token)

    exported = county.get("/api/v1/exchange/export")
    assert exported.status_code == 200 and exported["Content-Type"] == "application/x-ndjson"
    body = b"".join(exported.streaming_content)
    until = int(exported["X-Zhifa-Until"])
    received = county.post("/api/v1/exchange/receive", body, content_type="application/x-ndjson")
    assert received.status_code == 201, received.content
    assert received.json()["count"] == len(_lines(body)) - 2
    # The same batch again: nothing changes (idempotent).
    count = ReceivedRecord.objects.count()
    again = county.post("/api/v1/exchange/receive", body, content_type="application/x-ndjson")
    assert again.status_code == 200 and ReceivedRecord.objects.count() == count
    assert LedgerEntry.objects.filter(act="exchange.batch_received").count() == 1

    def matches() -> None:
        mine = county.get("/api/v1/exchange/reconciliation").json()
        theirs = city.get(f"/api/v1/exchange/received/{w.agency.code}/reconciliation").json()
        assert mine["kinds"]["case"] and services.reconcile(mine, theirs) == []

    matches()
    # A change in the county, the next batch, and the reports still match.
    case_facts_update(
        actor=w.head.user,
        case=cases[0],
        facts={"land_class": "farmland", "area_m2": "999"},
        act_started_on=timezone.localdate() - dt.timedelta(days=10),
        act_ended_on=None,
        continuing=True,
    )
    new_case(w)
    nxt = county.get("/api/v1/exchange/export", {"since": until})
    assert int(nxt["X-Zhifa-Since"]) == until
    body2 = b"".join(nxt.streaming_content)
    stale = services.reconcile(
        county.get("/api/v1/exchange/reconciliation").json(),
        city.get(f"/api/v1/exchange/received/{w.agency.code}/reconciliation").json(),
    )
    assert any(d["kind"] == "case" for d in stale)  # before the batch arrives, the reports differ
    assert (
        county.post("/api/v1/exchange/receive", body2, content_type="application/x-ndjson").status_code == 201
    )
    matches()


def test_a_broken_or_out_of_order_batch_is_refused_and_nothing_is_stored(w):
    _cases(w)
    _, token = token_issue(actor=w.head.user, name="上报")
    county = _api(token)
    body = b"".join(county.get("/api/v1/exchange/export").streaming_content)
    lines = body.splitlines(keepends=True)
    tampered = [*lines[:2], lines[2].replace(b'"active":true', b'"active":false'), *lines[3:]]
    response = county.post(
        "/api/v1/exchange/receive", b"".join(tampered), content_type="application/x-ndjson"
    )
    assert response.status_code == 400 and response.json()["code"] == "exchange_invalid_batch"
    cut = county.post("/api/v1/exchange/receive", b"".join(lines[:-1]), content_type="application/x-ndjson")
    assert cut.status_code == 400
    assert ReceivedRecord.objects.count() == 0
    header = json.loads(lines[0])
    header["since"], header["until"] = header["until"], header["until"] + 5
    skipped = json.dumps(header).encode() + b"\n" + b"".join(lines[1:])
    assert (
        county.post("/api/v1/exchange/receive", skipped, content_type="application/x-ndjson").status_code
        == 409
    )


def test_only_the_agencys_own_officers_send_its_batches_and_supervisors_read_them(w):
    _cases(w, 1)
    batch = services.export_next(actor=w.head.user, agency=w.agency)
    data = _bytes(batch)
    with pytest.raises(PermissionDenied):
        services.ingest(actor=w.city_head.user, lines=[data])
    denial = LedgerEntry.objects.filter(act="auth.permission_denied").latest("seq")
    assert "exchange.send" in denial.payload
    services.ingest(actor=w.head.user, lines=data.splitlines(keepends=True))
    with pytest.raises(PermissionDenied):
        services.received_reconciliation(actor=w.outsider.user, source=w.agency)
    report = services.received_reconciliation(actor=w.city_head.user, source=w.agency)
    assert report["kinds"]["case"]


def test_the_schema_is_published_without_login(client, db):
    response = client.get("/exchange/schema/v1.json")
    assert response.status_code == 200 and response.json() == json.loads(json.dumps(schema.SCHEMA))
    jsonschema.Draft202012Validator.check_schema(schema.SCHEMA)


def test_the_number_of_queries_does_not_grow_with_the_records(w):
    import io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.export_stream(w.agency, io.BytesIO())
        return len(ctx.captured_queries)

    _cases(w, 2)
    queries()  # the agency's signing key is made on first use
    few = queries()
    _cases(w, 5)
    assert queries() == few
