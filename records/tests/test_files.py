import hashlib
import io
import json
import random
import tracemalloc
from pathlib import Path

import pytest

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import LedgerEntry, StoredFile
from core.services.ledger import ledger_verify
from records import selectors
from records.models import EvidenceFile, UploadSession
from records.services import evidence_file_ingest, upload_chunk, upload_complete, upload_start, upload_status
from records.services import uploads as uploads_module
from records.tests.helpers import JPEG, sha256, stream, video_bytes


def _ingest(world, case, data=JPEG, **kw):
    args = dict(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(data),
        filename="现场照片1.jpg",
        content_type="image/jpeg",
        device="执法记录仪 DSJ-01",
        place="东村三组",
        action="investigate",
    )
    args.update(kw)
    return evidence_file_ingest(**args)


def test_digest_at_capture_in_store_and_ledger(world, case, evidence_dir):
    result = _ingest(world, case)
    ef = result.file
    assert ef.stored.digest == sha256(JPEG) and ef.stored.size == len(JPEG)
    assert ef.media_kind == "photo" and not result.duplicate and not result.bytes_known
    stored_path = evidence_dir / ef.stored.storage_name
    assert stored_path.read_bytes() == JPEG
    entry = LedgerEntry.objects.get(act="records.file_captured", object_id=str(ef.pk))
    assert entry.file_digest == sha256(JPEG)
    payload = json.loads(entry.payload)
    assert payload["size"] == len(JPEG) and payload["device"] == "执法记录仪 DSJ-01"
    assert payload["place"] == "东村三组" and payload["uploader"] == world.officer1.user.username
    assert payload["content_type"] == "image/jpeg"
    assert ledger_verify().failure is None  # the ledger's own file check accepts the capture
    assert not list((evidence_dir / ".uploads").iterdir())  # no spool left


def test_same_bytes_recognised_and_linked_not_stored_twice(world, case, evidence_dir):
    first = _ingest(world, case).file
    again = _ingest(world, case, filename="副本.jpg")
    assert again.duplicate and again.file.pk == first.pk
    assert LedgerEntry.objects.filter(act="records.file_duplicate").count() == 1
    other_step = _ingest(world, case, action="seize")
    assert other_step.bytes_known and not other_step.duplicate
    assert other_step.file.stored_id == first.stored_id
    assert StoredFile.objects.count() == 1
    files = [p for p in evidence_dir.rglob("*") if p.is_file()]
    assert len(files) == 1


def test_empty_and_mismatched_type_refused(world, case, evidence_dir):
    with pytest.raises(ValidationFailed) as exc:
        _ingest(world, case, data=b"")
    assert exc.value.code == "file_empty"
    with pytest.raises(ValidationFailed) as exc:
        _ingest(world, case, data=b"%PDF-1.7 fake", content_type="image/jpeg")
    assert exc.value.code == "file_type_mismatch"
    assert not EvidenceFile.objects.exists() and not StoredFile.objects.exists()
    assert not list((evidence_dir / ".uploads").iterdir())


def test_odd_file_names_cleaned(world, case):
    ef = _ingest(world, case, filename="../../etc/现场\x00照片 .jpg").file
    assert ef.filename == "现场照片 .jpg"


def test_officer_of_another_agency_refused_upload(world, case):
    with pytest.raises(PermissionDenied):
        _ingest(world, case, actor=world.outsider.user)
    with pytest.raises(PermissionDenied):
        upload_start(
            actor=world.outsider.user, case=case, filename="a.mp4", size=10, content_type="video/mp4"
        )
    assert not EvidenceFile.objects.exists()


def _start(world, case, data, **kw):
    args = dict(
        actor=world.officer1.user,
        case=case,
        filename="执法记录仪.mp4",
        size=len(data),
        content_type="video/mp4",
        device="DSJ-01",
        action="seize",
    )
    args.update(kw)
    return upload_start(**args)


def _put(world, session, data, offset, **kw):
    return upload_chunk(
        actor=world.officer1.user,
        token=session.token,
        offset=offset,
        stream=io.BytesIO(data),
        length=kw.pop("length", len(data)),
        **kw,
    )


def test_resumable_upload_across_interruption(world, case, settings):
    settings.ZHIFA_UPLOAD_MAX_CHUNK = 1000
    data = video_bytes(3500)
    session = _start(world, case, data, expected_digest=sha256(data))
    _put(world, session, data[:1000], 0)
    _put(world, session, data[1000:2000], 1000)
    # The server dies mid-chunk: half a chunk in the spool, the running hash lost with the process.
    spool = uploads_module._spool_of(session)
    with spool.open("ab") as fh:
        fh.write(data[2000:2500])
    uploads_module._HASHERS.clear()
    status = upload_status(actor=world.officer1.user, token=session.token)
    assert status.received == 2000  # the client resumes where the server confirmed
    with pytest.raises(Conflict) as exc:
        upload_complete(actor=world.officer1.user, token=session.token)
    assert exc.value.code == "upload_incomplete"
    _put(world, session, data[2000:3000], 2000)
    _put(world, session, data[3000:], 3000)
    result = upload_complete(actor=world.officer1.user, token=session.token)
    assert result.file.stored.digest == sha256(data) and result.file.stored.size == len(data)
    assert result.file.media_kind == "video" and result.file.action == "seize"
    assert UploadSession.objects.get(pk=session.pk).status == "complete"
    assert not spool.exists()
    assert [c.status for c in selectors.evidence_verify(case.pk)] == ["ok"]


def test_corrupt_truncated_oversized_and_misplaced_chunks_lose_nothing(world, case, settings):
    settings.ZHIFA_UPLOAD_MAX_CHUNK = 1000
    data = video_bytes(1500)
    session = _start(world, case, data)
    _put(world, session, data[:1000], 0, chunk_sha256=sha256(data[:1000]))
    bad = bytearray(data[1000:])
    bad[10] ^= 0xFF
    with pytest.raises(ValidationFailed) as exc:
        _put(world, session, bytes(bad), 1000, chunk_sha256=sha256(data[1000:]))
    assert exc.value.code == "upload_chunk_corrupt" and "1000" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        _put(world, session, data[1000:1200], 1000, length=300)
    assert exc.value.code == "upload_chunk_truncated"
    with pytest.raises(ValidationFailed) as exc:
        _put(world, session, data[1000:] + b"xxxx", 1000)
    assert exc.value.code == "upload_oversized"
    with pytest.raises(Conflict) as exc:
        _put(world, session, data[1000:], 900)
    assert exc.value.code == "upload_offset_mismatch" and "1000" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        _put(world, session, data[1000:] * 3, 1000, length=1520)
    assert exc.value.code in ("upload_chunk_size", "upload_oversized")
    assert uploads_module._spool_of(session).stat().st_size == 1000  # the good chunk is kept
    assert upload_status(actor=world.officer1.user, token=session.token).received == 1000
    _put(world, session, data[1000:], 1000, chunk_sha256=sha256(data[1000:]))
    result = upload_complete(actor=world.officer1.user, token=session.token)
    assert result.file.stored.digest == sha256(data)


def test_declared_digest_mismatch_stores_nothing(world, case):
    data = video_bytes(500)
    session = _start(world, case, data, expected_digest="0" * 64)
    _put(world, session, data, 0)
    with pytest.raises(ValidationFailed) as exc:
        upload_complete(actor=world.officer1.user, token=session.token)
    assert exc.value.code == "upload_digest_mismatch"
    assert not StoredFile.objects.exists() and not EvidenceFile.objects.exists()


def test_first_chunk_type_mismatch_stops_upload(world, case):
    data = b"%PDF-1.4" + b"x" * 100
    session = _start(world, case, data, content_type="video/mp4")
    with pytest.raises(ValidationFailed) as exc:
        _put(world, session, data, 0)
    assert exc.value.code == "file_type_mismatch"
    with pytest.raises(Conflict):
        _put(world, session, data, 0)


def test_only_the_uploader_continues_an_upload(world, case):
    data = video_bytes(100)
    session = _start(world, case, data)
    with pytest.raises(PermissionDenied):
        upload_chunk(
            actor=world.officer2.user,
            token=session.token,
            offset=0,
            stream=io.BytesIO(data),
            length=len(data),
        )


def test_zero_and_too_large_sizes_refused_at_start(world, case, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed):
        _start(world, case, b"", size=0)
    with pytest.raises(ValidationFailed) as exc:
        _start(world, case, b"", size=1001)
    assert exc.value.code == "file_too_large"


class _Wire:
    """A request body as it arrives from the socket: `length` bytes produced on read, never held whole."""

    def __init__(self, rnd, length, hasher, first):
        self.rnd, self.left, self.hasher, self.first = rnd, length, hasher, first

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        if n <= 0:
            return b""
        block = self.rnd.randbytes(n)
        if self.first:
            block = (b"\x00\x00\x00\x18ftypmp42" + block[12:])[:n]
            self.first = False
        self.left -= n
        self.hasher.update(block)
        return block


def test_large_file_streamed_in_chunks_in_constant_memory(world, case, evidence_dir):
    total, chunk = 50 * 1024 * 1024, 8 * 1024 * 1024
    expected = hashlib.sha256()
    rnd = random.Random(7)
    session = _start(world, case, b"", size=total)
    offset = 0
    peaks = []
    tracemalloc.start()
    try:
        while offset < total:
            n = min(chunk, total - offset)
            tracemalloc.reset_peak()
            upload_chunk(
                actor=world.officer1.user,
                token=session.token,
                offset=offset,
                stream=_Wire(rnd, n, expected, offset == 0),
                length=n,
            )
            peaks.append(tracemalloc.get_traced_memory()[1])
            offset += n
        result = upload_complete(actor=world.officer1.user, token=session.token)
    finally:
        tracemalloc.stop()
    # An 8 MiB chunk is read, hashed and written 1 MiB at a time: memory does not grow with the file.
    assert max(peaks) < 4 * 1024 * 1024, peaks
    assert result.file.stored.digest == expected.hexdigest() and result.file.stored.size == total
    assert Path(evidence_dir / result.file.stored.storage_name).stat().st_size == total


def test_verify_reports_altered_and_missing_files(world, case, evidence_dir):
    a = _ingest(world, case).file
    b = _ingest(world, case, data=video_bytes(300), filename="v.mp4", content_type="video/mp4").file
    assert [c.status for c in selectors.evidence_verify(case.pk)] == ["ok", "ok"]
    path_a = evidence_dir / a.stored.storage_name
    raw = bytearray(path_a.read_bytes())
    raw[-1] ^= 0x01
    path_a.write_bytes(bytes(raw))
    (evidence_dir / b.stored.storage_name).unlink()
    checks = {c.file.pk: c for c in selectors.evidence_verify(case.pk)}
    assert checks[a.pk].status == "altered" and checks[b.pk].status == "missing"


def test_bench_command_runs_on_a_small_file(world, case):
    import os
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    size = os.environ.get("RECORDS_BENCH_SIZE", "3M")  # e.g. RECORDS_BENCH_SIZE=2G pytest -s -k bench
    call_command("records_bench_ingest", case=case.pk, size=size, chunk="8M", stdout=out)
    print(out.getvalue())
    assert "MB/s" in out.getvalue() and "peak RSS" in out.getvalue()
