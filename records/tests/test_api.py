"""Records API (/api/v1/cases/{id}/evidence|records|files…): scoped reads, 403 for sensitive material
the caller may not see, a ledger entry for each sensitive read, verification of a file."""

import datetime
import json
from pathlib import Path

from django.conf import settings

from core.models import LedgerEntry
from records.models import Classification
from records.services import evidence_exclude, evidence_file_ingest, evidence_item_add, record_create
from records.storage import open_stream
from records.tests.helpers import JPEG, interview_content, started, stream, video_bytes

API = "/api/v1"


def _get(client, user, path, **params):
    client.force_login(user)
    return client.get(API + path, params)


def _material(world, case):
    photo = evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(JPEG),
        filename="现场照片.jpg",
        content_type="image/jpeg",
        action="investigate",
        device="执法记录仪 DSJ-01",
        place="东村三组",
    ).file
    secret = evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(video_bytes()),
        filename="询问录像.mp4",
        content_type="video/mp4",
        action="investigate",
        classification=Classification.SENSITIVE,
    ).file
    record = record_create(
        actor=world.officer1.user,
        case=case,
        kind="interview",
        action="investigate",
        started_at=started(),
        place="办案区询问室",
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content=interview_content("隐私人"),
        signature="signed",
        classification=Classification.SENSITIVE,
    )
    item = evidence_item_add(
        actor=world.officer1.user,
        case=case,
        kind="audiovisual",
        title="现场照片",
        proves="占地建房的事实",
        source="现场拍摄",
        collected_by_ids=[world.officer1.pk, world.officer2.pk],
        collected_on=datetime.date.today(),
        file_ids=[photo.pk, secret.pk],
    )
    return {"photo": photo, "secret": secret, "record": record, "item": item}


def test_files_with_digests_and_sensitive_ones_only_for_case_officers(client, world, case):
    m = _material(world, case)
    resp = _get(client, world.officer1.user, f"/cases/{case.pk}/files")
    assert resp.status_code == 200
    body = resp.json()
    assert body["count"] == 2
    photo = next(f for f in body["items"] if f["id"] == m["photo"].pk)
    assert photo["digest"] == m["photo"].stored.digest and photo["algorithm"] == "sha256"
    assert photo["device"] == "执法记录仪 DSJ-01" and photo["size"] == len(JPEG)
    # an officer of the agency not on the case: no trace of the sensitive file
    other = _get(client, world.chair.user, f"/cases/{case.pk}/files").json()
    assert [f["id"] for f in other["items"]] == [m["photo"].pk]
    assert "询问录像" not in json.dumps(other, ensure_ascii=False)
    # …and 403 (recorded) when asking for it directly
    denied = _get(client, world.chair.user, f"/cases/{case.pk}/files/{m['secret'].pk}")
    assert denied.status_code == 403 and denied.json()["code"] == "records_permission_denied"
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=world.chair.user.pk).count() == 1


def test_other_agency_gets_404_everywhere(client, world, case):
    m = _material(world, case)
    for path in [
        f"/cases/{case.pk}/evidence",
        f"/cases/{case.pk}/records",
        f"/cases/{case.pk}/records/{m['record'].pk}",
        f"/cases/{case.pk}/files",
        f"/cases/{case.pk}/files/{m['photo'].pk}",
        f"/cases/{case.pk}/files/{m['photo'].pk}/content",
        f"/cases/{case.pk}/files/{m['photo'].pk}/verification",
    ]:
        resp = _get(client, world.outsider.user, path)
        assert resp.status_code == 404, path
        assert resp["Content-Type"].startswith("application/json")


def test_sensitive_record_read_is_logged_and_identity_masked(client, world, case):
    m = _material(world, case)
    listed = _get(client, world.officer1.user, f"/cases/{case.pk}/records").json()
    assert [r["id"] for r in listed["items"]] == [m["record"].pk]
    assert _get(client, world.chair.user, f"/cases/{case.pk}/records").json()["count"] == 0
    before = LedgerEntry.objects.filter(act="records.sensitive_viewed").count()
    resp = _get(client, world.officer1.user, f"/cases/{case.pk}/records/{m['record'].pk}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["content"]["person"]["name"] == "隐私人"
    assert body["content"]["person"]["id_number"] == "**************002X"
    assert body["officers"] == [world.officer1.name, world.officer2.name]
    entries = LedgerEntry.objects.filter(act="records.sensitive_viewed")
    assert entries.count() == before + 1
    assert entries.last().actor_id == world.officer1.user.pk
    assert _get(client, world.chair.user, f"/cases/{case.pk}/records/{m['record'].pk}").status_code == 403
    assert _get(client, world.officer1.user, f"/cases/{case.pk}/records/999999").status_code == 404


def test_sensitive_file_detail_and_content_are_logged(client, world, case):
    m = _material(world, case)
    head = world.head.user
    assert _get(client, head, f"/cases/{case.pk}/files/{m['secret'].pk}").status_code == 200
    assert LedgerEntry.objects.filter(act="records.sensitive_viewed", actor_id=head.pk).count() == 1
    content = _get(client, head, f"/cases/{case.pk}/files/{m['secret'].pk}/content")
    assert content.status_code == 200
    assert b"".join(content.streaming_content) == video_bytes()
    assert LedgerEntry.objects.filter(act="records.sensitive_downloaded", actor_id=head.pk).count() == 1
    plain = _get(client, world.chair.user, f"/cases/{case.pk}/files/{m['photo'].pk}/content")
    assert b"".join(plain.streaming_content) == JPEG


def test_evidence_list_with_exclusion_and_visible_files_only(client, world, case):
    m = _material(world, case)
    evidence_exclude(actor=world.head.user, case=case, item=m["item"], reason="取证程序违法")
    body = _get(client, world.officer1.user, f"/cases/{case.pk}/evidence").json()
    assert len(body) == 1
    item = body[0]
    assert (item["number"], item["kind"], item["title"]) == (1, "audiovisual", "现场照片")
    assert item["excluded"] is True and item["exclusion_reason"] == "取证程序违法"
    assert sorted(item["file_ids"]) == sorted([m["photo"].pk, m["secret"].pk])
    assert _get(client, world.chair.user, f"/cases/{case.pk}/evidence").json()[0]["file_ids"] == [
        m["photo"].pk
    ]


def test_verification_names_an_altered_file(client, world, case):
    m = _material(world, case)
    url = f"/cases/{case.pk}/files/{m['photo'].pk}/verification"
    ok = _get(client, world.officer1.user, url).json()
    assert ok["ok"] is True and ok["status"] == "ok" and ok["digest"] == m["photo"].stored.digest
    assert ok["ledger_seq"] > 0
    with open_stream(m["photo"].stored.storage_name) as fh:
        data = bytearray(fh.read())
    data[10] ^= 0xFF
    path = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"]) / m["photo"].stored.storage_name
    path.chmod(0o644)
    path.write_bytes(bytes(data))
    bad = _get(client, world.officer1.user, url).json()
    assert bad["ok"] is False and bad["status"] == "altered"


def test_records_endpoints_are_routed():
    # The whole OpenAPI schema is checked by api/tests/test_schemathesis.py; here: every records
    # endpoint resolves to the API (records may not import api, so no router introspection).
    from django.urls import resolve

    for p in [
        "/api/v1/cases/1/evidence",
        "/api/v1/cases/1/records",
        "/api/v1/cases/1/records/2",
        "/api/v1/cases/1/files",
        "/api/v1/cases/1/files/2",
        "/api/v1/cases/1/files/2/content",
        "/api/v1/cases/1/files/2/verification",
    ]:
        match = resolve(p)
        assert match.namespace == "api-v1" and match.url_name, p
