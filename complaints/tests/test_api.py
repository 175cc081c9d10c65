"""POST /api/v1/complaints and GET /api/v1/complaints/track/{code}: public, no login."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaints import services
from complaints.models import Complaint
from complaints.tests.conftest import PNG, SECRETS

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints"


def _body(world, **overrides):
    data = {
        "agency_id": world.agency.pk,
        "category": "violation",
        "description": "村民在基本农田上挖塘养鱼",
        "location": "后寨村",
        "contact_name": SECRETS[0],
        "contact_phone": SECRETS[1],
    }
    data.update(overrides)
    return data


def test_api_submission_201_with_attachment_and_tracking(world):
    client = Client()
    response = client.post(URL, {**_body(world), "attachments": [SimpleUploadedFile("a.png", PNG)]})
    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["tracking_code"] == complaint.tracking_code and body["status"] == "received"
    assert complaint.attachments.get().content_type == "image/png"
    for secret in (*SECRETS, "挖塘养鱼", "后寨村"):
        assert secret not in response.content.decode()

    track = client.get(f"{URL}/track/{body['display_code'].lower()}")
    assert track.status_code == 200 and track.json()["status_label"] == "已收到"
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    services.complaint_no_lead(actor=world.intake.user, complaint=complaint, reason="已有案件")
    services.complaint_reply(actor=world.intake.user, complaint=complaint, text="已并入在办案件。")
    track = client.get(f"{URL}/track/{complaint.tracking_code}").json()
    assert track["reply"] == "已并入在办案件。" and track["feedback_open"] is True
    assert SECRETS[0] not in json.dumps(track, ensure_ascii=False)
    feedback = client.post(
        f"{URL}/track/{complaint.tracking_code}/feedback",
        {"satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert feedback.status_code == 200 and feedback.json()["status"] == "closed"
    again = client.post(
        f"{URL}/track/{complaint.tracking_code}/feedback",
        {"satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_api_json_submission_and_422_with_chinese_field_errors(world):
    client = Client()
    ok = client.post(URL, _body(world, anonymous=True), content_type="application/json")
    assert ok.status_code == 201
    assert Complaint.objects.get().contact_name == ""
    bad = client.post(
        URL,
        _body(world, category="conduct", anonymous=True, description="x" * 6000, agency_id=999999),
        content_type="application/json",
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "validation_failed"
    assert set(body["field_errors"]) == {"agency", "description", "anonymous"}
    assert "描述过长：6000 个字符" in body["field_errors"]["description"][0]
    fake = client.post(URL, {**_body(world), "attachments": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00")]})
    assert fake.status_code == 422 and "不是图片" in fake.json()["field_errors"]["attachments"][0]
    assert client.post(URL, "{", content_type="application/json").status_code == 400
    assert Complaint.objects.count() == 1


def test_api_429_when_an_address_sends_too_many(world, settings):
    settings.ZHIFA_COMPLAINTS_PER_HOUR = 1
    client = Client()
    assert client.post(URL, _body(world), content_type="application/json").status_code == 201
    throttled = client.post(URL, _body(world), content_type="application/json")
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


def test_api_honeypot_and_unknown_codes(world):
    client = Client()
    trap = client.post(URL, _body(world, website="x"), content_type="application/json")
    assert trap.status_code == 422 and Complaint.objects.count() == 0
    assert client.get(f"{URL}/track/AAAA-BBBB-CCCC").status_code == 404
    assert client.get(f"{URL}/track/0000").json()["code"] == "complaint_not_found"


def test_api_odd_input_never_fails_with_500(world):
    client = Client()
    huge = client.post(URL, _body(world, agency_id=10**30), content_type="application/json")
    assert huge.status_code == 422 and "agency" in huge.json()["field_errors"]
    nul = client.post(
        URL, _body(world, description="占地\x00建房", contact_name=["x"]), content_type="application/json"
    )
    assert nul.status_code == 422 and "contact_name" in nul.json()["field_errors"]
    broken = client.generic(
        "POST",
        URL,
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
        content_type="multipart/form-data; boundary=",
    )
    assert broken.status_code == 400
    assert client.post(URL, "[1, 2]", content_type="application/json").status_code == 422
