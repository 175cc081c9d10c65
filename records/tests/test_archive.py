"""Case-file archive (案卷归档): package contents and order, manifest and signature, offline check,
read-only afterwards, and the `zhifa archive` command."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry, LegalSetting
from core.services.files import file_open
from core.services.ledger import ledger_verify
from documents.services import document_issue
from documents.tests.conftest import decision_context
from records import selectors
from records.archive_check import archive_verify
from records.filing import DEFAULT_FILING_STANDARD, SETTING_KEY
from records.models import ArchivePackage
from records.services import (
    evidence_exclude,
    evidence_file_ingest,
    evidence_item_add,
    record_correct,
    record_create,
)
from records.services.archive import archive_build
from records.tests.helpers import JPEG, interview_content, started, stream, video_bytes


def _close(case, status="closed"):
    type(case).objects.filter(pk=case.pk).update(status=status, closed_on=timezone.localdate())
    case.refresh_from_db()
    return case


def _file(world, case, data, name, ctype, **kw):
    return evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(data),
        filename=name,
        content_type=ctype,
        action="investigate",
        **kw,
    ).file


def _interview(world, case):
    return record_create(
        actor=world.officer1.user,
        case=case,
        kind="interview",
        action="investigate",
        started_at=started(),
        place="城关镇东村三组现场",
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content=interview_content(),
        signature="signed",
    )


def _full_case(world, case):
    record = _interview(world, case)
    record_correct(
        actor=world.officer1.user,
        record=record,
        case=case,
        reason="笔误更正",
        started_at=record.started_at,
        place=record.place,
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content=interview_content("张三丰"),
        signature="signed",
    )
    photo = _file(world, case, JPEG, "现场照片1.jpg", "image/jpeg", record=None)
    video = _file(world, case, video_bytes(50_000), "执法记录仪.mp4", "video/mp4")
    wrong = _file(world, case, JPEG + b"x", "无关照片.jpg", "image/jpeg")
    evidence_item_add(
        actor=world.officer1.user,
        case=case,
        kind="audiovisual",
        title="现场照片及录像",
        proves="占地事实",
        source="现场拍摄",
        collected_by_ids=[world.officer1.pk, world.officer2.pk],
        collected_on=datetime.date.today(),
        file_ids=[photo.pk, video.pk],
    )
    other = evidence_item_add(
        actor=world.officer1.user,
        case=case,
        kind="documentary",
        title="无关照片",
        proves="无",
        source="现场",
        collected_by_ids=[world.officer1.pk],
        collected_on=datetime.date.today(),
        file_ids=[wrong.pk],
    )
    evidence_exclude(actor=world.officer1.user, case=case, item=other, reason="与本案无关")
    document = document_issue(
        actor=world.head.user,
        kind="penalty_decision",
        context=decision_context(),
        subject_type="cases.case",
        subject_id=case.pk,
        agency=world.agency,
    )
    return photo, video, wrong, document


def _zip_of(package):
    with file_open(package.stored) as fh:
        return fh.read()


def test_archive_package_of_a_closed_case(world, case, tmp_path):
    _photo, video, _wrong, document = _full_case(world, case)
    _close(case)
    head_before = LedgerEntry.objects.order_by("-seq").first()
    package = archive_build(actor=world.officer1.user, case=case)
    data = _zip_of(package)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    manifest = json.loads(zf.read("manifest.json"))
    # the ledger head at archiving time, then the act recording the package
    assert manifest["ledger_head"]["seq"] == head_before.seq
    assert manifest["ledger_head"]["hash"] == head_before.entry_hash
    act = LedgerEntry.objects.get(act="records.case_archived")
    assert act.file_digest == package.stored.digest and act.seq == head_before.seq + 1
    # 正卷 in the standard's order: cover, index, decision, records, evidence list, evidence, AV, …, 备考表
    main = [n for n in names if n.startswith("正卷/")]
    assert (
        main[0].endswith("封面.pdf") and main[1].endswith("卷内目录.pdf") and main[-1].endswith("备考表.pdf")
    )
    assert "行政处罚决定书" in main[2]
    order = [
        next(i for i, n in enumerate(main) if key in n)
        for key in ("行政处罚决定书", "询问笔录", "证据清单", "现场照片1.jpg", "执法记录仪.mp4")
    ]
    assert order == sorted(order)
    # 副卷: the superseded version of the record and the excluded evidence
    secondary = [n for n in names if n.startswith("副卷/")]
    assert any("更正前" in n for n in secondary) and any("无关照片.jpg" in n for n in secondary)
    assert secondary[-1].endswith("备考表.pdf")
    # originals byte for byte, the document's stored PDF, digests and ledger sequences in the manifest
    items = {i["path"]: i for i in manifest["items"]}
    video_path = next(n for n in names if n.endswith("执法记录仪.mp4"))
    assert zf.read(video_path) == video_bytes(50_000)
    assert items[video_path]["digest"] == video.stored.digest
    captured = LedgerEntry.objects.get(act="records.file_captured", object_id=str(video.pk))
    assert items[video_path]["ledger_seq"] == captured.seq
    decision_path = main[2]
    with file_open(document.stored_file) as fh:
        assert zf.read(decision_path) == fh.read()
    assert items[decision_path]["ledger_seq"] == LedgerEntry.objects.get(act="document.issue").seq
    assert zf.read(main[3]).startswith(b"%PDF")  # the record rendered as PDF
    assert "manifest.pdf" in items and zf.read("manifest.pdf").startswith(b"%PDF")
    # signed with the agency's key; the offline check accepts it
    sig = json.loads(zf.read("manifest.sig"))
    assert sig["signature_algorithm"] == "ed25519" and sig["fingerprint"] == package.key_fingerprint
    out = tmp_path / "pkg.zip"
    out.write_bytes(data)
    check = archive_verify(out)
    assert check.ok, check.problems
    assert check.checked == len(manifest["items"])
    assert ledger_verify().failure is None


def _rewrite(src, dest, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)


def test_offline_check_names_altered_missing_added_items_and_bad_signature(world, case, tmp_path, capsys):
    _full_case(world, case)
    _close(case)
    package = archive_build(actor=world.officer1.user, case=case)
    good = tmp_path / "good.zip"
    good.write_bytes(_zip_of(package))
    names = zipfile.ZipFile(good).namelist()
    video_path = next(n for n in names if n.endswith(".mp4"))
    photo_path = next(n for n in names if n.endswith("现场照片1.jpg"))

    altered = tmp_path / "altered.zip"
    _rewrite(good, altered, lambda n, d: (d[:-1] + bytes([d[-1] ^ 1])) if n == video_path else d)
    result = archive_verify(altered)
    assert not result.ok and [p for p, _w in result.problems] == [video_path]

    missing = tmp_path / "missing.zip"
    _rewrite(good, missing, lambda n, d: None if n == photo_path else d)
    assert [p for p, _w in archive_verify(missing).problems] == [photo_path]

    forged = tmp_path / "forged.zip"

    def forge(name, data):
        if name == "manifest.json":
            m = json.loads(data)
            m["case"]["title"] = "篡改"
            return json.dumps(m, ensure_ascii=False).encode()
        return data

    _rewrite(good, forged, forge)
    assert "manifest.json" in [p for p, _w in archive_verify(forged).problems]

    call_command("archive", "verify", str(good))
    assert "OK" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("archive", "verify", str(altered))
    assert video_path in capsys.readouterr().err
    with pytest.raises(CommandError):  # pinned to another key
        call_command("archive", "verify", str(good), "--fingerprint", "0" * 64)


def test_only_closed_cases_are_archived_and_archived_cases_are_read_only(world, case):
    with pytest.raises(ValidationFailed) as exc:
        archive_build(actor=world.officer1.user, case=case)
    assert exc.value.code == "archive_case_not_closed"
    with pytest.raises(PermissionDenied):  # an officer of another agency
        _close(case)
        archive_build(actor=world.outsider.user, case=case)
    assert selectors.archive_missing(case_id=case.pk)  # nothing built yet
    archive_build(actor=world.officer1.user, case=case)
    assert selectors.archive_missing(case_id=case.pk) == []
    stale = type(case).objects.get(pk=case.pk)
    _close(case, "archived")
    assert stale.status == "closed"  # an old copy of the case: the policy reads the status afresh
    with pytest.raises(PermissionDenied):
        _file(world, stale, JPEG, "晚到的照片.jpg", "image/jpeg")
    with pytest.raises(PermissionDenied):
        _interview(world, case)


def test_filing_order_is_data(world, case):
    _file(world, case, JPEG, "现场照片1.jpg", "image/jpeg")
    _close(case)
    standard = json.loads(json.dumps(DEFAULT_FILING_STANDARD))
    standard["volumes"][0]["title"] = "正本卷"
    LegalSetting.objects.update_or_create(key=SETTING_KEY, defaults={"value": standard})
    package = archive_build(actor=world.officer1.user, case=case)
    names = zipfile.ZipFile(io.BytesIO(_zip_of(package))).namelist()
    assert any(n.startswith("正本卷/") and n.endswith("现场照片1.jpg") for n in names)
    assert ArchivePackage.objects.filter(case_id=case.pk).count() == 1


def test_archive_build_command(world, case, tmp_path, capsys):
    _file(world, case, JPEG, "现场照片1.jpg", "image/jpeg")
    _close(case)
    out = tmp_path / "out.zip"
    call_command("archive", "build", str(case.pk), "--out", str(out))
    assert "ledger head" in capsys.readouterr().out
    assert archive_verify(out).ok


def test_archive_button_on_the_records_page(client, world, case):
    _file(world, case, JPEG, "现场照片1.jpg", "image/jpeg")
    client.force_login(world.officer1.user)
    home = client.get(f"/cases/{case.pk}/records/")
    assert "archive/" not in home.text.split("archive-title")[1]  # open case: no button
    _close(case)
    home = client.get(f"/cases/{case.pk}/records/")
    assert f"/cases/{case.pk}/records/archive/" in home.text
    resp = client.post(f"/cases/{case.pk}/records/archive/")
    assert resp.status_code == 302
    package = ArchivePackage.objects.get(case_id=case.pk)
    download = client.get(f"/cases/{case.pk}/records/archive/{package.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    client.force_login(world.outsider.user)
    assert client.get(f"/cases/{case.pk}/records/archive/{package.pk}/download/").status_code == 404
