"""`zhifa ledger head` prints the head with its signature: by default the top-level agency's."""

# ruff: noqa: F811  (pytest fixtures imported from core.testing)
from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import LedgerEntry
from core.services.ledger import ledger_append
from core.testing import key_dir  # noqa: F401

pytestmark = pytest.mark.django_db

ROOTS = {"top": 7}


def top_level_for_tests(user):
    return ROOTS["top"] if user is None else None


def label_for_tests(agency_id):
    if agency_id not in (7, 8):
        raise ObjectDoesNotExist(f"no agency {agency_id}")
    return {"code": f"AG{agency_id}", "name": "测试局", "short_name": "测试局"}


@pytest.fixture(autouse=True)
def _hooks(settings):
    settings.ZHIFA_ACTOR_AGENCY = "core.tests.test_ledger_head_command.top_level_for_tests"
    settings.ZHIFA_AGENCY_LABEL = "core.tests.test_ledger_head_command.label_for_tests"


def run(*args):
    out = io.StringIO()
    call_command("ledger", "head", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_head_is_signed_by_default_with_the_top_level_agencys_key(key_dir):
    ledger_append(actor=None, act="test.act")
    out = run()
    signed = LedgerEntry.objects.get(act="ledger.head_signed")
    head = LedgerEntry.objects.get(seq=signed.seq - 1)  # the head signed (after the key's creation)
    assert head.entry_hash in out and "key:        AG7 (ed25519)" in out and "signature:" in out
    assert signed.agency_id == 7 and json.loads(signed.payload)["key_name"] == "AG7"
    doc = json.loads(run("--agency", "8", "--json"))
    assert doc["key_name"] == "AG8" and doc["signature"]


def test_without_a_single_top_level_agency_the_command_asks_for_one_in_chinese(key_dir, monkeypatch):
    monkeypatch.setitem(ROOTS, "top", None)
    with pytest.raises(CommandError, match="--agency") as err:
        run()
    assert err.value.returncode == 2 and "顶级" in str(err.value)
    assert "signature" not in run("--unsigned")


def test_an_unknown_agency_id_is_a_chinese_error_not_a_traceback(key_dir):
    with pytest.raises(CommandError) as err:
        run("--agency", "999")
    assert err.value.returncode == 2 and "999" in str(err.value) and "机关" in str(err.value)
    with pytest.raises(CommandError, match="--key"):
        run("--agency", "8", "--key", "x")
