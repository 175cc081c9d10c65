import hashlib
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from records.models import EvidenceFile, EvidenceItem, Record
from records.tests.helpers import JPEG, video_bytes


def _login(client, officer):
    client.force_login(officer.user)
    return client


def test_records_page_lists_av_rules_and_phone_capture_upload(client, world, case):
    page = _login(client, world.officer1).get(reverse("records:records_home", args=[case.pk]))
    assert page.status_code == 200
    text = page.text
    assert "查封、扣押" in text and 'capture="environment"' in text
    assert "国家秘密" in text  # the upload form says state secrets are never stored


def test_other_agency_officer_gets_404(client, world, case):
    _login(client, world.outsider)
    for name, args in [
        ("records:records_home", [case.pk]),
        ("records:evidence_list", [case.pk]),
        ("records:verify", [case.pk]),
        ("records:record_new", [case.pk, "interview"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    resp = client.post(
        reverse("records:file_upload", args=[case.pk]),
        {"file": SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"), "classification": "internal"},
    )
    assert resp.status_code == 404
    assert not EvidenceFile.objects.exists()


def test_interview_form_keeps_what_was_typed_and_saves(client, world, case):
    _login(client, world.officer1)
    url = reverse("records:record_new", args=[case.pk, "interview"])
    assert client.get(url).status_code == 200
    start = (timezone.localtime() - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "action": "investigate",
        "started_at": start,
        "place": "东村三组",
        "officers": [str(world.officer1.pk)],
        "signature": "signed",
        "classification": "internal",
        "person_name": "张三",
        "person_id_number": "11010519491231002X",
        "qa": "问：是否建房？\n答：是的。",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "东村三组" in bad.text and "是否建房" in bad.text  # kept
    assert "第四十二条" in bad.text or "Arts.42" in bad.text or "42" in bad.text
    data["officers"] = [str(world.officer1.pk), str(world.officer2.pk)]
    ok = client.post(url, data)
    record = Record.objects.get()
    assert ok.status_code == 302 and record.content["qa"] == [{"q": "是否建房？", "a": "是的。"}]
    detail = client.get(ok.url)
    assert "是否建房" in detail.text
    corr = client.get(reverse("records:record_correct", args=[case.pk, record.pk]))
    assert "是否建房" in corr.text
    data["reason"] = "补充"
    data["qa"] += "\n问：面积？\n答：三百平方米。"
    done = client.post(reverse("records:record_correct", args=[case.pk, record.pk]), data)
    assert done.status_code == 302 and Record.objects.count() == 2


def test_form_upload_shows_digest_and_refuses_empty(client, world, case):
    _login(client, world.officer1)
    url = reverse("records:file_upload", args=[case.pk])
    resp = client.post(
        url,
        {
            "file": SimpleUploadedFile("照片.jpg", JPEG, "image/jpeg"),
            "action": "investigate",
            "classification": "internal",
            "device": "手机",
            "place": "东村",
        },
        follow=True,
    )
    assert hashlib.sha256(JPEG).hexdigest() in resp.text
    bad = client.post(
        url,
        {
            "file": SimpleUploadedFile("空.jpg", b"", "image/jpeg"),
            "classification": "internal",
            "device": "DSJ-9",
        },
    )
    assert bad.status_code == 400 and "DSJ-9" in bad.text


def test_chunked_upload_endpoints(client, world, case):
    _login(client, world.officer1)
    data = video_bytes(5000)
    start = client.post(
        reverse("records:upload_start", args=[case.pk]),
        json.dumps(
            {
                "filename": "执法记录仪.mp4",
                "size": len(data),
                "content_type": "video/mp4",
                "action": "seize",
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        ),
        content_type="application/json",
    )
    assert start.status_code == 201, start.content
    token = start.json()["token"]
    url = reverse("records:upload_chunk", args=[case.pk, token])
    r = client.put(
        f"{url}?offset=0",
        data[:3000],
        content_type="application/octet-stream",
        headers={"X-Chunk-SHA256": hashlib.sha256(data[:3000]).hexdigest()},
    )
    assert r.status_code == 200 and r.json()["offset"] == 3000
    bad = client.put(f"{url}?offset=0", data[:10], content_type="application/octet-stream")
    assert bad.status_code == 409 and "3000" in bad.json()["message"]
    corrupt = client.put(
        f"{url}?offset=3000",
        data[3000:],
        content_type="application/octet-stream",
        headers={"X-Chunk-SHA256": "0" * 64},
    )
    assert corrupt.status_code == 400 and corrupt.json()["code"] == "upload_chunk_corrupt"
    assert client.get(url).json()["offset"] == 3000
    client.put(f"{url}?offset=3000", data[3000:], content_type="application/octet-stream")
    done = client.post(reverse("records:upload_finish", args=[case.pk, token]))
    assert done.status_code == 201 and done.json()["digest"] == hashlib.sha256(data).hexdigest()
    page = client.get(reverse("records:records_home", args=[case.pk]))
    assert done.json()["digest"] in page.text
    verify = client.get(reverse("records:verify", args=[case.pk]))
    assert done.json()["digest"] in verify.text and "完好" in verify.text


def test_evidence_list_add_and_exclude(client, world, case):
    _login(client, world.officer1)
    url = reverse("records:evidence_list", args=[case.pk])
    bad = client.post(
        url,
        {
            "kind": "documentary",
            "title": "土地证",
            "proves": "",
            "source": "村委会",
            "collected_by": [str(world.officer1.pk)],
            "collected_on": "2026-01-05",
        },
    )
    assert bad.status_code == 400 and "土地证" in bad.text
    ok = client.post(
        url,
        {
            "kind": "documentary",
            "title": "土地证",
            "proves": "土地权属",
            "source": "村委会",
            "collected_by": [str(world.officer1.pk)],
            "collected_on": "2026-01-05",
        },
    )
    assert ok.status_code == 302
    item = EvidenceItem.objects.get()
    client.post(reverse("records:evidence_toggle", args=[case.pk, item.pk]), {"reason": "非法取得"})
    page = client.get(url)
    assert "非法取得" in page.text and "<del>土地证</del>" in page.text


def test_av_rules_page_read_only_for_officers(client, world, case):
    _login(client, world.officer1)
    url = reverse("records:av_rules", args=[case.pk])
    assert client.get(url).status_code == 200
    from records.models import AvRule

    rule = AvRule.objects.get(code="hearing")
    assert client.post(url, {"rule": rule.pk, "requirement": "required"}).status_code == 403
    rule.refresh_from_db()
    assert rule.requirement == "as_needed"
