"""The evidence vault on S3 (django-storages) against a real s3rver on loopback: upload, duplicate
detection, chunked upload spooled locally then streamed to S3, verification (altered / missing
objects) and the case-file archive read from S3."""

import io
import json
import zipfile

import pytest

from core.models import StoredFile
from core.services.files import evidence_storage
from records import selectors
from records.archive_check import archive_verify
from records.services import evidence_file_ingest, upload_chunk, upload_complete, upload_start
from records.services.archive import archive_build, archive_export
from records.tests.helpers import JPEG, sha256, stream, video_bytes

# S3 signatures carry the time; s3rver refuses a request from a clock hours off its own
# (core.testing_clock: the suite's shifted clock stops for these tests).
pytestmark = pytest.mark.real_clock


def _keys(s3):
    resp = s3["client"].list_objects_v2(Bucket=s3["bucket"], Prefix=s3["prefix"] + "/")
    return sorted(o["Key"] for o in resp.get("Contents", []))


def _ingest(world, case, data=JPEG, name="现场照片1.jpg", ctype="image/jpeg"):
    return evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(data),
        filename=name,
        content_type=ctype,
        action="investigate",
    )


def test_upload_and_duplicate_on_s3(s3_evidence, world, case):
    s3 = s3_evidence
    first = _ingest(world, case).file
    key = f"{s3['prefix']}/{first.stored.storage_name}"
    assert _keys(s3) == [key]
    body = s3["client"].get_object(Bucket=s3["bucket"], Key=key)["Body"].read()
    assert body == JPEG and first.stored.digest == sha256(JPEG)
    again = _ingest(world, case, name="副本.jpg")
    assert again.duplicate and again.file.pk == first.pk
    assert _keys(s3) == [key] and StoredFile.objects.count() == 1
    assert type(evidence_storage()).__name__ == "S3Storage"


def test_chunked_upload_spools_locally_and_completes_to_s3(s3_evidence, world, case):
    s3 = s3_evidence
    data = video_bytes(3 * 1024 * 1024 + 17)
    session = upload_start(
        actor=world.officer1.user,
        case=case,
        filename="执法记录仪.mp4",
        size=len(data),
        content_type="video/mp4",
        expected_digest=sha256(data),
        action="investigate",
    )
    step = 1024 * 1024
    for offset in range(0, len(data), step):
        part = data[offset : offset + step]
        upload_chunk(
            actor=world.officer1.user,
            token=session.token,
            offset=offset,
            stream=io.BytesIO(part),
            length=len(part),
        )
        if offset == 0:
            assert (s3["spool"] / f"{session.token}.part").exists()  # on local disk while in progress
            assert _keys(s3) == []
    result = upload_complete(actor=world.officer1.user, token=session.token)
    assert result.file.stored.digest == sha256(data)
    assert not (s3["spool"] / f"{session.token}.part").exists()
    key = f"{s3['prefix']}/{result.file.stored.storage_name}"
    assert _keys(s3) == [key]
    assert s3["client"].head_object(Bucket=s3["bucket"], Key=key)["ContentLength"] == len(data)


def test_verification_reads_s3_and_names_altered_and_missing_objects(s3_evidence, world, case):
    s3 = s3_evidence
    a = _ingest(world, case).file
    b = _ingest(world, case, data=video_bytes(10_000), name="录像.mp4", ctype="video/mp4").file
    assert [c.status for c in selectors.evidence_verify(case.pk)] == ["ok", "ok"]
    s3["client"].put_object(
        Bucket=s3["bucket"], Key=f"{s3['prefix']}/{a.stored.storage_name}", Body=JPEG + b"!"
    )
    s3["client"].delete_object(Bucket=s3["bucket"], Key=f"{s3['prefix']}/{b.stored.storage_name}")
    checks = {c.file.pk: c.status for c in selectors.evidence_verify(case.pk)}
    assert checks == {a.pk: "altered", b.pk: "missing"}


def test_archive_reads_media_from_s3_and_is_stored_there(s3_evidence, world, case, tmp_path):
    s3 = s3_evidence
    video = video_bytes(200_000)
    _ingest(world, case, data=video, name="录像.mp4", ctype="video/mp4")
    type(case).objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    package = archive_build(actor=world.officer1.user, case=case)
    assert f"{s3['prefix']}/{package.stored.storage_name}" in _keys(s3)
    out = archive_export(actor=world.officer1.user, package=package, dest=tmp_path / "pkg.zip")
    assert archive_verify(out).ok
    zf = zipfile.ZipFile(out)
    assert zf.read(next(n for n in zf.namelist() if n.endswith("录像.mp4"))) == video
    assert json.loads(zf.read("manifest.json"))["case"]["id"] == case.pk
