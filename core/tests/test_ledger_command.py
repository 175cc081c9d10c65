# ruff: noqa: F811  (pytest fixtures imported from core.testing)
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.services.ledger import ledger_append
from core.testing import drop_ledger_triggers, evidence_dir, key_dir, tamper_sql  # noqa: F401

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ledger", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_verify_reports_ok_with_counts(evidence_dir):
    for i in range(3):
        ledger_append(actor=None, act="test.act", payload={"i": i})
    out = run("verify")
    assert out.startswith("OK: 3 entries") and "0 stored files" in out
    data = json.loads(run("verify", "--json"))
    assert data["ok"] and data["entries"] == 3


def test_verify_exits_non_zero_naming_the_first_failure(evidence_dir):
    for i in range(4):
        ledger_append(actor=None, act="test.act", payload={"i": i})
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET payload = '{}' WHERE seq = 2")
    with pytest.raises(CommandError) as err:
        run("verify")
    assert err.value.returncode == 1
    assert "entry #2: hash_mismatch" in str(err.value)


def test_head_prints_seq_and_hash_and_json():
    entry = ledger_append(actor=None, act="test.act")
    out = run("head", "--unsigned")
    assert "seq:        1" in out and entry.entry_hash in out and "signature" not in out
    assert json.loads(run("head", "--unsigned", "--json"))["hash"] == entry.entry_hash


def test_signed_head_round_trips_through_verify_head(key_dir, tmp_path):
    entry = ledger_append(actor=None, act="test.act")
    text = run("head", "--key", "330102", "--json")
    doc = json.loads(text)
    assert doc["seq"] == entry.seq + 1 and doc["signature"]  # the key's creation is entry.seq + 1
    path = tmp_path / "head.json"
    path.write_text(text)
    assert run("verify-head", str(path)).startswith(f"OK: head #{doc['seq']} {doc['hash']}")
    pem = tmp_path / "key.pem"
    pem.write_text(run("public-key", "330102") + "\n")
    assert doc["public_key"].strip() == pem.read_text().strip()
    assert run("verify-head", str(path), "--public-key", str(pem)).startswith("OK")
    plain = run("head", "--key", "330102")
    assert "signature:" in plain and "fingerprint:" in plain and doc["fingerprint"] in plain

    path.write_text(json.dumps({**doc, "seq": entry.seq}))
    with pytest.raises(CommandError) as err:
        run("verify-head", str(path))
    assert err.value.returncode == 1 and "signature_invalid" in str(err.value)
    path.write_text("{not json")
    with pytest.raises(CommandError) as err:
        run("verify-head", str(path))
    assert err.value.returncode == 2


def test_a_bad_key_name_is_a_clear_error(key_dir):
    with pytest.raises(CommandError) as err:
        run("head", "--key", "../x")
    assert "signing_key_name_invalid" in str(err.value)
    with pytest.raises(CommandError) as err:
        run("public-key", "missing")
    assert "signing_key_missing" in str(err.value)
