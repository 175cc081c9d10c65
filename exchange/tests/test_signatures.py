"""Signed batches: the exporting agency signs each batch (its archive-manifest key); the receiving
endpoint accepts a good batch once (idempotent), and refuses — with a ledger act that survives the
refusal — a batch whose signature is missing, does not verify, or is made with a key it does not trust."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from core.hashing import canonical_json
from core.models import LedgerEntry
from core.services import signing
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from exchange import services
from exchange.models import ReceivedBatch, ReceivedRecord, SourceKey
from exchange.tests.test_exchange import _cases, _lines


@pytest.fixture(autouse=True)
def _store(evidence_dir, key_dir):  # noqa: F811
    return key_dir


def _client(user: Any) -> Client:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "Zhifa-test-2026!", "name": "上报"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return Client(headers={"Authorization": f"Bearer {response.json()['token']}"})


def _export(w: Any) -> bytes:
    return b"".join(services.batch_bytes(services.export_next(actor=w.head.user, agency=w.agency)))


def _send(client: Client, body: bytes) -> Any:
    return client.post("/api/v1/exchange/receive", body, content_type="application/x-ndjson")


def _join(docs: list[dict[str, Any]]) -> bytes:
    return b"".join(canonical_json(d).encode("utf-8") + b"\n" for d in docs)


def _forged(body: bytes) -> bytes:
    """A careful forgery: a record changed and every digest recomputed, the signature kept."""
    docs = _lines(body)
    record = next(d for d in docs if d.get("kind") == "staff")
    record["data"]["name"] = "冒名顶替"
    record["digest"] = hashlib.sha256(canonical_json(record["data"]).encode("utf-8")).hexdigest()
    records = _join([d for d in docs if d["type"] == "record"])
    docs[-1]["digest"] = hashlib.sha256(records).hexdigest()
    return _join(docs)


def _resigned(body: bytes, key_name: str) -> bytes:
    """The batch signed again with another key (what someone holding another key could send)."""
    docs = _lines(body)
    trailer = {k: v for k, v in docs[-1].items() if k != "signature"}
    key = signing.signing_key_ensure(key_name=key_name)
    docs[-1] = {
        **trailer,
        "signature": {
            "key_name": key_name,
            "algorithm": key.algorithm,
            "public_key": key.public_key_pem,
            "fingerprint": key.fingerprint,
            "value": signing.sign(key_name, canonical_json(trailer).encode("utf-8")),
        },
    }
    return _join(docs)


def _refusals(reason: str) -> int:
    return sum(
        1
        for e in LedgerEntry.objects.filter(act="exchange.batch_refused")
        if json.loads(e.payload)["reason"] == reason
    )


def test_each_batch_is_signed_with_the_agencys_key_over_header_records_and_counts(w):
    _cases(w, 1)
    body = _export(w)
    docs = _lines(body)
    trailer = docs[-1]
    sig = trailer.pop("signature")
    key = signing.public_key(key_name=w.agency.code)
    assert (sig["key_name"], sig["fingerprint"], sig["public_key"]) == (
        w.agency.code,
        key.fingerprint,
        key.public_key_pem,
    )
    assert trailer["header_digest"] == hashlib.sha256(body.split(b"\n", 1)[0] + b"\n").hexdigest()
    assert signing.verify_signature(key.public_key_pem, canonical_json(trailer).encode("utf-8"), sig["value"])
    made = LedgerEntry.objects.filter(act="exchange.batch_exported").latest("seq")
    assert sig["value"] in made.payload and key.fingerprint in made.payload


def test_a_tampered_batch_is_refused_and_recorded_a_good_one_accepted_once(w):
    _cases(w, 2)
    body = _export(w)
    county = _client(w.head.user)

    forged = _send(county, _forged(body))
    assert forged.status_code == 409, forged.content
    assert forged.json()["code"] == "exchange_signature_invalid"
    assert "签名" in forged.json()["message"]
    assert _refusals("signature_invalid") == 1  # the refusal's ledger act survives the refusal
    assert ReceivedBatch.objects.count() == ReceivedRecord.objects.count() == SourceKey.objects.count() == 0

    header = body.split(b"\n", 1)[0]
    moved = header.replace(b'"since":0', b'"since":0 ')  # same cursors, other header bytes
    assert _send(county, moved + body[len(header) :]).status_code == 409
    assert _refusals("signature_invalid") == 2

    docs = _lines(body)
    docs[-1].pop("signature")
    unsigned = _send(county, _join(docs))
    assert unsigned.status_code == 409 and _refusals("unsigned") == 1

    good = _send(county, body)
    assert good.status_code == 201, good.content
    assert ReceivedRecord.objects.count() == good.json()["count"] > 0
    pinned = SourceKey.objects.get()
    assert pinned.fingerprint == signing.public_key(key_name=w.agency.code).fingerprint
    again = _send(county, body)
    assert again.status_code == 200 and again.json() == good.json()
    assert LedgerEntry.objects.filter(act="exchange.batch_received").count() == 1
    assert SourceKey.objects.count() == 1


def test_a_batch_signed_with_a_key_other_than_the_agencys_own_is_refused(w):
    _cases(w, 1)
    body = _resigned(_export(w), "SOMEONE-ELSE")
    with pytest.raises(services.Conflict) as refused:
        services.ingest(actor=w.head.user, lines=[body])
    assert refused.value.code == "exchange_signature_invalid"
    assert _refusals("key_not_trusted") == 1 and ReceivedBatch.objects.count() == 0


def test_on_another_instance_the_first_signed_batch_pins_the_key_and_a_new_key_needs_registering(
    w, settings, tmp_path
):
    _cases(w, 1)
    first = _export(w)
    county_keys = Path(settings.ZHIFA_KEY_DIR)
    settings.ZHIFA_KEY_DIR = tmp_path / "city-keys"  # the receiving instance holds no county key
    batch, new = services.ingest(actor=w.head.user, lines=[first])
    assert new and SourceKey.objects.get().batch == batch
    assert LedgerEntry.objects.filter(act="exchange.source_key_pinned").count() == 1

    settings.ZHIFA_KEY_DIR = county_keys
    _cases(w, 1)
    second = _resigned(_export(w), "CNTY01-2027")  # the county changed its key
    settings.ZHIFA_KEY_DIR = tmp_path / "city-keys"
    with pytest.raises(services.Conflict):
        services.ingest(actor=w.head.user, lines=[second])
    assert _refusals("key_not_trusted") == 1

    pub = tmp_path / "county-2027.pub"
    settings.ZHIFA_KEY_DIR = county_keys
    pub.write_text(signing.public_key(key_name="CNTY01-2027").public_key_pem)
    settings.ZHIFA_KEY_DIR = tmp_path / "city-keys"
    call_command("exchange_trust_key", w.agency.code, str(pub))
    call_command("exchange_trust_key", w.agency.code, str(pub))  # idempotent
    assert SourceKey.objects.count() == 2
    _batch, new = services.ingest(actor=w.head.user, lines=[second])
    assert new
