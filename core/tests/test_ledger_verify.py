# ruff: noqa: F811  (pytest fixtures imported from core.testing)
import datetime
import json
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import LedgerEntry, LedgerHead
from core.services.ledger import (
    GENESIS_HASH,
    _bulk_query,
    _fetch_chunk,
    _time_text,
    entry_hash_of,
    entry_material,
    ledger_append,
    ledger_head,
    ledger_head_publish,
    ledger_verify,
    published_head_check,
)
from core.testing import drop_ledger_triggers, key_dir, tamper_sql  # noqa: F401

pytestmark = pytest.mark.django_db


def _append(n, start=1, **kw):
    return [
        ledger_append(
            actor=None, act=f"test.act{i}", payload={"i": i, "名称": '甲\n"乙"\\', "x": [1, None]}, **kw
        )
        for i in range(start, start + n)
    ]


def _rechain_from(seq):
    """What a forger with database access does: recompute every hash from `seq` on."""
    prev = LedgerEntry.objects.get(seq=seq - 1).entry_hash if seq > 1 else GENESIS_HASH
    for entry in LedgerEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev
        new_hash = entry_hash_of(entry)
        tamper_sql(
            "UPDATE core_ledgerentry SET prev_hash = %s, entry_hash = %s WHERE seq = %s",
            [prev, new_hash, entry.seq],
        )
        prev = new_hash
    tamper_sql("UPDATE core_ledgerhead SET entry_hash = %s WHERE id = 1", [prev])


def test_given_empty_ledger_when_verified_then_intact():
    result = ledger_verify()
    assert result.ok and result.entries == 0 and result.head_hash == GENESIS_HASH


def test_given_intact_chain_when_verified_in_small_chunks_then_every_entry_checked():
    entries = _append(7)
    result = ledger_verify(chunk_size=3)
    assert result.ok, result.failure
    assert result.entries == 7 and result.head_seq == 7
    assert result.head_hash == entries[-1].entry_hash
    assert result.bytes_hashed > 7 * 100


def test_the_fast_time_text_equals_the_hashed_isoformat_also_without_microseconds():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 8, 0, 0, tzinfo=datetime.UTC), tick=False):
        whole = ledger_append(actor=None, act="test.whole_second")
    fraction = ledger_append(actor=None, act="test.fraction")
    with connection.cursor() as cur:
        cur.execute("SELECT seq, recorded_at FROM core_ledgerentry ORDER BY seq")
        raw = dict(cur.fetchall())
    assert _time_text(raw[whole.seq]) == "2026-03-01T08:00:00+00:00"
    assert _time_text(raw[fraction.seq]) == fraction.recorded_at.astimezone(datetime.UTC).isoformat()
    assert ledger_verify().ok


def test_given_an_edited_entry_when_verified_then_hash_mismatch_names_that_entry():
    _append(5)
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET payload = %s WHERE seq = 3", ['{"i":999}'])
    result = ledger_verify(chunk_size=2)
    assert not result.ok
    assert (result.failure.kind, result.failure.seq) == ("hash_mismatch", 3)
    assert result.entries == 2


def test_given_an_edited_entry_with_recomputed_hash_then_the_next_link_is_broken():
    _append(5)
    drop_ledger_triggers()
    entry = LedgerEntry.objects.get(seq=3)
    entry.act = "test.forged"
    tamper_sql(
        "UPDATE core_ledgerentry SET act = %s, entry_hash = %s WHERE seq = 3",
        ["test.forged", entry_hash_of(entry)],
    )
    result = ledger_verify()
    assert (result.failure.kind, result.failure.seq) == ("broken_link", 4)


def test_given_a_deleted_entry_when_verified_then_missing_seq():
    _append(5)
    drop_ledger_triggers()
    tamper_sql("DELETE FROM core_ledgerentry WHERE seq = 3")
    result = ledger_verify()
    assert (result.failure.kind, result.failure.seq) == ("missing_seq", 3)


def test_given_the_last_entries_deleted_then_the_head_shows_they_are_missing():
    _append(5)
    drop_ledger_triggers()
    tamper_sql("DELETE FROM core_ledgerentry WHERE seq >= 4")
    result = ledger_verify()
    assert (result.failure.kind, result.failure.seq) == ("missing_seq", 4)


def test_given_an_unknown_algorithm_recorded_then_it_is_reported():
    _append(3)
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET algorithm = 'md5' WHERE seq = 2")
    result = ledger_verify()
    assert (result.failure.kind, result.failure.seq) == ("unknown_algorithm", 2)


def test_given_a_chain_that_switches_to_sm3_midway_then_each_entry_is_checked_with_its_own_algorithm():
    _append(3)
    with override_settings(ZHIFA_HASH_ALGORITHM="sm3"):
        _append(3, start=4)
    _append(2, start=7)
    algorithms = list(LedgerEntry.objects.order_by("seq").values_list("algorithm", flat=True))
    assert algorithms == ["sha256"] * 3 + ["sm3"] * 3 + ["sha256"] * 2
    sm3_entry = LedgerEntry.objects.get(seq=5)
    assert entry_hash_of(sm3_entry) == sm3_entry.entry_hash
    assert ledger_verify().ok
    # the same entry checked as if it were SHA-256 fails: the algorithm really is per entry
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET algorithm = 'sha256' WHERE seq = 5")
    result = ledger_verify()
    assert (result.failure.kind, result.failure.seq) == ("hash_mismatch", 5)


def test_given_an_sm3_entry_edited_then_hash_mismatch():
    with override_settings(ZHIFA_HASH_ALGORITHM="sm3"):
        _append(3)
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET actor_label = 'mallory' WHERE seq = 2")
    result = ledger_verify()
    assert (result.failure.kind, result.failure.seq) == ("hash_mismatch", 2)
    assert "sm3" in result.failure.detail


def test_the_head_reports_the_last_entry():
    entries = _append(2)
    head = ledger_head()
    assert head["seq"] == 2 and head["hash"] == entries[-1].entry_hash and head["algorithm"] == "sha256"
    assert head["recorded_at"] == entries[-1].recorded_at.isoformat()


def test_given_a_published_head_then_it_is_signed_recorded_and_checks(key_dir):
    _append(3)
    doc = ledger_head_publish(actor=None, key_name="330102")
    assert doc["signature"] and doc["fingerprint"]
    signed = LedgerEntry.objects.get(act="ledger.head_signed")
    assert LedgerEntry.objects.get(seq=4).act == "signing.key_created"  # the key's first use
    assert doc["seq"] == 4 and signed.seq == 5 and json.loads(signed.payload)["signature"] == doc["signature"]
    assert published_head_check(doc, chain=False) is None
    assert ledger_verify().ok


def test_a_published_head_with_an_altered_hash_fails_its_signature(key_dir):
    _append(3)
    doc = ledger_head_publish(actor=None, key_name="330102")
    forged = {**doc, "hash": LedgerEntry.objects.get(seq=2).entry_hash, "seq": 2}
    failure = published_head_check(forged, chain=False)
    assert failure.kind == "signature_invalid"
    assert published_head_check("not a head", chain=False).kind == "signature_invalid"


def test_a_published_head_signed_by_another_key_fails_against_the_trusted_key(key_dir):
    from core.services.signing import signing_key_ensure

    _append(1)
    doc = ledger_head_publish(actor=None, key_name="330102")
    other = signing_key_ensure(key_name="other")
    failure = published_head_check(doc, trusted_public_key_pem=other.public_key_pem)
    assert failure.kind == "signature_invalid"


def test_given_a_rewritten_tail_with_a_forged_signed_head_then_signature_invalid(key_dir):
    _append(3)
    doc = ledger_head_publish(actor=None, key_name="330102")
    signed = LedgerEntry.objects.get(act="ledger.head_signed")
    drop_ledger_triggers()
    forged = {**doc, "hash": "f" * 64}
    tamper_sql(
        "UPDATE core_ledgerentry SET payload = %s WHERE seq = %s",
        [json.dumps(forged, sort_keys=True, ensure_ascii=False, separators=(",", ":")), signed.seq],
    )
    _rechain_from(signed.seq)
    result = ledger_verify()
    assert (result.failure.kind, result.failure.seq) == ("signature_invalid", signed.seq)


def test_given_a_whole_chain_rewritten_then_the_signed_head_no_longer_matches(key_dir):
    _append(3)
    doc = ledger_head_publish(actor=None, key_name="330102")
    _append(2, start=10)
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET act = 'test.forged' WHERE seq = 2")
    _rechain_from(2)
    result = ledger_verify()
    signed = LedgerEntry.objects.get(act="ledger.head_signed")
    assert (result.failure.kind, result.failure.seq) == ("head_not_in_chain", signed.seq)
    assert published_head_check(doc, chain=False).kind == "head_not_in_chain"
    assert LedgerHead.objects.get(pk=1).seq == signed.seq + 2


def test_the_database_builds_the_same_entry_bytes_as_python_for_awkward_content():
    awkward = {
        "控制": "".join(chr(c) for c in range(32)) + "\x7f\u2028\u2029",
        "quotes": "\"'\\/",
        "emoji": "🙂𠀀",
        "数字": [1.5, -0, 10**20, None, True],
    }
    with time_machine.travel(datetime.datetime(2026, 3, 1, 8, 0, 0, tzinfo=datetime.UTC), tick=False):
        ledger_append(actor=None, act="test.whole_second", payload=awkward, object_id="\n")
    ledger_append(actor=None, act="test.awkward", payload=awkward, agency_id=2**40, object_type="a\tb")
    with override_settings(ZHIFA_HASH_ALGORITHM="sm3"):
        ledger_append(actor=None, act="test.awkward.sm3", payload=awkward, file_digest="ab" * 32)
    fast = ledger_verify(files=False, chunk_size=1)  # one algorithm per chunk: every chunk in bulk
    slow = ledger_verify(files=False, in_database=False)
    assert fast.ok and slow.ok
    assert fast.rechecked == 0 and slow.rechecked == 0
    assert fast.bytes_hashed == slow.bytes_hashed > 0


# ---- the bytes the database builds are `entry_material`, for any content ---------------------

_AWKWARD = '"\\/\x00\x01\x08\x09\x0a\x0c\x0d\x1b\x1f\x7f\x80\xa0\u2028\u2029\ufeff中文罚〔〕🙂𠀀\U0010ffff'


def _awkward_text(max_size):
    # PostgreSQL text cannot hold NUL, and no UTF-8 text holds a lone surrogate
    chars = st.one_of(st.sampled_from(_AWKWARD), st.characters(codec="utf-8"))
    nul = "\x00" if connection.vendor == "postgresql" else ""
    return st.text(chars, max_size=max_size).map(lambda s: s.replace(nul, "") if nul else s)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | _awkward_text(20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_awkward_text(8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    label=st.none() | _awkward_text(150),
    act=_awkward_text(80),
    object_type=_awkward_text(80),
    object_id=_awkward_text(64),
    agency_id=st.none() | st.integers(-(2**63), 2**63 - 1),
    payload=st.dictionaries(_awkward_text(10), _json_values, max_size=4),
    file_digest=st.sampled_from(["", "ab" * 32]),
    when=st.datetimes(datetime.datetime(1970, 1, 2), datetime.datetime(2999, 12, 31)),
    algorithm=st.sampled_from(["sha256", "sm3"]),
)
def test_the_bytes_the_database_builds_are_the_entry_material(
    label, act, object_type, object_id, agency_id, payload, file_digest, when, algorithm
):
    user, _ = get_user_model().objects.get_or_create(username="hypothesis-actor")
    actor = None if label is None else SimpleNamespace(pk=user.pk, username=label)
    with (
        override_settings(ZHIFA_HASH_ALGORITHM=algorithm),
        time_machine.travel(when.replace(tzinfo=datetime.UTC), tick=False),
    ):
        entry = ledger_append(
            actor=actor, act=act, object_type=object_type, object_id=object_id, payload=payload,
            agency_id=agency_id, file_digest=file_digest,
        )  # fmt: skip
    entry.refresh_from_db()
    expected = entry_material(
        seq=entry.seq, prev_hash=entry.prev_hash, algorithm=entry.algorithm,
        recorded_at=entry.recorded_at.astimezone(datetime.UTC).isoformat(), actor_id=entry.actor_id,
        actor_label=entry.actor_label, agency_id=entry.agency_id, act=entry.act,
        object_type=entry.object_type, object_id=entry.object_id, payload=entry.payload,
        file_digest=entry.file_digest,
    )  # fmt: skip
    chunk = _fetch_chunk(_bulk_query(connection.vendor), entry.seq - 1, entry.seq)
    assert chunk.materials == expected
    assert chunk.intact_after(entry.prev_hash)


# ---- bulk chunks, the one-by-one walk and the threads that fetch ahead ----------------------


def test_given_two_edited_entries_in_different_chunks_then_the_lower_seq_is_reported():
    _append(10)
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET payload = '{}' WHERE seq IN (3, 7)")
    result = ledger_verify(chunk_size=4)
    assert (result.failure.kind, result.failure.seq) == ("hash_mismatch", 3)
    # the chunk (0, 4] walked one by one (4) and #3 re-checked through the ORM (1); (4, 8] never read
    assert result.rechecked == 4 + 1


def test_given_database_bytes_that_differ_from_python_then_chunks_are_rewalked_not_reported(monkeypatch):
    from core.services import ledger

    _append(5)
    broken = ledger._bulk_query(connection.vendor).replace("(material,", "(upper(material),")
    assert "upper" in broken
    monkeypatch.setattr(ledger, "_bulk_query", lambda vendor: broken)
    result = ledger_verify(chunk_size=2)
    assert result.ok and result.entries == 5 and result.rechecked == 5


def test_prefetching_threads_yield_chunks_in_order_and_stop_when_left():
    from core.services.ledger import _prefetched

    ranges = [(lo, lo + 1) for lo in range(50)]
    assert list(_prefetched(lambda lo, hi: (lo, hi), ranges, workers=3)) == ranges
    chunks = _prefetched(lambda lo, hi: lo, ranges, workers=2)
    assert [next(chunks) for _ in range(3)] == [0, 1, 2]
    chunks.close()  # joins the threads; a hang here would be the bug


def test_prefetching_threads_hand_an_error_to_the_caller():
    from core.services.ledger import _prefetched

    def fetch(lo, hi):
        if lo == 4:
            raise RuntimeError("database gone")
        return lo

    with pytest.raises(RuntimeError, match="database gone"):
        list(_prefetched(fetch, [(lo, lo + 1) for lo in range(10)], workers=2))
