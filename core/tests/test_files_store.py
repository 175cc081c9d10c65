# ruff: noqa: F811  (pytest fixtures imported from core.testing)
import hashlib
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from core.errors import NotFound, ValidationFailed
from core.hashing import digest_bytes
from core.models import LedgerEntry, StoredFile
from core.services.files import CHUNK_SIZE, evidence_storage, file_open, file_store, storage_path
from core.services.ledger import ledger_verify
from core.testing import evidence_dir  # noqa: F401

pytestmark = pytest.mark.django_db


class CountingReader(io.RawIOBase):
    """A stream of `size` pseudo-random bytes that records the largest read it was asked for."""

    def __init__(self, size):
        self.remaining = size
        self.largest_read = 0
        self.block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB

    def readable(self):
        return True

    def read(self, n=-1):
        self.largest_read = max(self.largest_read, n if n >= 0 else 1 << 62)
        n = self.remaining if n < 0 else min(n, self.remaining)
        self.remaining -= n
        return (self.block * (n // len(self.block) + 1))[:n]


@pytest.fixture
def officer():
    return get_user_model().objects.create_user(username="zhang", password="x" * 12)


def test_given_new_bytes_when_stored_then_named_by_digest_and_recorded(evidence_dir, officer):
    data = "现场照片".encode() * 1000
    stored = file_store(
        actor=officer, fileobj=io.BytesIO(data), filename="照片1.jpg", content_type="image/jpeg", agency_id=7
    )
    digest = hashlib.sha256(data).hexdigest()
    assert stored.digest == digest and stored.size == len(data) and stored.algorithm == "sha256"
    assert stored.storage_name == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    assert (evidence_dir / stored.storage_name).read_bytes() == data
    entry = LedgerEntry.objects.get(act="file.store")
    assert entry.file_digest == digest and entry.agency_id == 7 and entry.actor_id == officer.pk
    payload = json.loads(entry.payload)
    assert payload["filename"] == "照片1.jpg" and payload["deduplicated"] is False
    with file_open(stored) as fh:
        assert fh.read() == data
    with file_open(digest) as fh:
        assert fh.read() == data


def test_given_the_same_bytes_twice_then_one_file_two_acts(evidence_dir, officer):
    first = file_store(actor=officer, fileobj=io.BytesIO(b"same bytes"), filename="a.txt")
    second = file_store(
        actor=officer, fileobj=io.BytesIO(b"same bytes"), filename="b.txt", act="evidence.attached"
    )
    assert first.pk == second.pk and StoredFile.objects.count() == 1
    acts = list(LedgerEntry.objects.filter(file_digest=first.digest).order_by("seq"))
    assert [a.act for a in acts] == ["file.store", "evidence.attached"]
    assert json.loads(acts[1].payload)["deduplicated"] is True
    files = [p for p in evidence_dir.rglob("*") if p.is_file()]
    assert files == [evidence_dir / first.storage_name]


def test_a_large_file_is_streamed_in_chunks_never_read_whole(evidence_dir):
    reader = CountingReader(5 * CHUNK_SIZE + 123)
    stored = file_store(actor=None, fileobj=reader, filename="video.mp4")
    assert reader.largest_read <= CHUNK_SIZE
    assert stored.size == 5 * CHUNK_SIZE + 123
    expected = hashlib.sha256(CountingReader(5 * CHUNK_SIZE + 123).read()).hexdigest()
    assert stored.digest == expected


def test_an_sm3_deployment_stores_under_sm3(evidence_dir):
    with override_settings(ZHIFA_HASH_ALGORITHM="sm3"):
        stored = file_store(actor=None, fileobj=io.BytesIO(b"abc"), filename="abc.txt")
    # GB/T 32905 test vector for "abc"
    assert stored.digest == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert stored.digest == digest_bytes(b"abc", "sm3")
    assert stored.storage_name.startswith("sm3/66/c7/") and stored.algorithm == "sm3"
    assert ledger_verify().ok


def test_a_foreign_file_at_the_digest_path_is_never_overwritten(evidence_dir):
    data = b"the real evidence"
    name = storage_path(hashlib.sha256(data).hexdigest(), "sha256")
    (evidence_dir / name).parent.mkdir(parents=True)
    (evidence_dir / name).write_bytes(b"something else")
    stored = file_store(actor=None, fileobj=io.BytesIO(data), filename="e.bin")
    assert (evidence_dir / name).read_bytes() == b"something else"
    assert stored.storage_name != name
    assert (evidence_dir / stored.storage_name).read_bytes() == data
    assert ledger_verify().ok


def test_an_orphan_left_by_a_rolled_back_store_is_reused(evidence_dir):
    data = b"orphan bytes"
    name = storage_path(hashlib.sha256(data).hexdigest(), "sha256")
    (evidence_dir / name).parent.mkdir(parents=True)
    (evidence_dir / name).write_bytes(data)
    stored = file_store(actor=None, fileobj=io.BytesIO(data), filename="o.bin")
    assert stored.storage_name == name
    assert len([p for p in evidence_dir.rglob("*") if p.is_file()]) == 1


def test_given_a_stored_file_altered_on_disk_then_verify_names_it(evidence_dir):
    file_store(actor=None, fileobj=io.BytesIO(b"one"), filename="1.txt")
    stored = file_store(actor=None, fileobj=io.BytesIO(b"two"), filename="2.txt")
    assert ledger_verify().ok
    (evidence_dir / stored.storage_name).write_bytes(b"TWO")
    result = ledger_verify()
    assert result.failure.kind == "file_altered" and result.failure.digest == stored.digest
    assert result.failure.seq == 2


def test_given_a_stored_file_removed_then_verify_reports_it_missing(evidence_dir):
    stored = file_store(actor=None, fileobj=io.BytesIO(b"gone"), filename="g.txt")
    (evidence_dir / stored.storage_name).unlink()
    result = ledger_verify()
    assert (result.failure.kind, result.failure.digest) == ("file_missing", stored.digest)
    with pytest.raises(NotFound):
        file_open(stored)


def test_a_file_row_the_ledger_does_not_record_is_reported(evidence_dir):
    data = b"smuggled"
    digest = hashlib.sha256(data).hexdigest()
    name = evidence_storage().save(storage_path(digest, "sha256"), io.BytesIO(data))
    StoredFile.objects.create(digest=digest, algorithm="sha256", size=len(data), storage_name=name)
    result = ledger_verify()
    assert (result.failure.kind, result.failure.digest) == ("file_unrecorded", digest)
    assert ledger_verify(files=False).ok


def test_bad_input_is_refused(evidence_dir):
    with pytest.raises(ValidationFailed):
        file_store(actor=None, fileobj=io.StringIO("text"), filename="t.txt")
    with pytest.raises(ValidationFailed):
        file_store(actor=None, fileobj=io.BytesIO(b"x"), filename="")
    with pytest.raises(NotFound):
        file_open("0" * 64)
    assert StoredFile.objects.count() == 0 and LedgerEntry.objects.count() == 0


def test_the_store_works_through_the_storage_api_alone(settings, tmp_path):
    """A storage that is not a local directory (as S3 is not): Django's in-memory storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    stored = file_store(actor=None, fileobj=io.BytesIO(b"remote bytes"), filename="r.bin")
    again = file_store(actor=None, fileobj=io.BytesIO(b"remote bytes"), filename="r2.bin")
    assert again.pk == stored.pk
    with file_open(stored) as fh:
        assert fh.read() == b"remote bytes"
    assert ledger_verify().ok
    with evidence_storage().open(stored.storage_name, "wb") as fh:
        fh.write(b"REMOTE bytes")
    assert ledger_verify().failure.kind == "file_altered"
