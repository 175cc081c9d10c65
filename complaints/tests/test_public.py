"""The public form and tracking page (/gongkai/complaints/), no login."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Complaint
from complaints.tests.conftest import PDF, SECRETS, form_data, png
from core.models import StoredFile

pytestmark = pytest.mark.django_db

NEW = "/gongkai/complaints/new/"
TRACK = "/gongkai/complaints/track/"


def test_public_submission_with_attachment_then_tracking_shows_status_without_personal_data(client, world):
    page = client.get(NEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "新密市自然资源局" in html and 'name="website"' in html  # agencies listed, honeypot present

    response = client.post(
        NEW,
        {
            **form_data(world),
            "attachments": [png(), SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("complaints_public:submitted")
    complaint = Complaint.objects.get()
    assert complaint.status == "received" and complaint.contact_name == SECRETS[0]
    stored = [(a.filename, a.content_type) for a in complaint.attachments.all()]
    assert stored == [("photo.png", "image/png"), ("scan.pdf", "application/pdf")]
    assert StoredFile.objects.filter(digest=complaint.attachments.first().file.digest).exists()

    submitted = client.get(response["Location"]).content.decode()
    code = complaint.tracking_code
    assert len(code) == 12 and not set(code) & set("01OIL")
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in submitted

    track = client.get(TRACK, {"code": f"{code[:4].lower()}-{code[4:8]} {code[8:]}"})
    assert track.status_code == 200
    text = track.content.decode()
    assert "已收到" in text and "新密市自然资源局" in text and "违法行为举报" in text
    for secret in (*SECRETS, "耕地上建房", "城关镇东村三组", "photo.png"):
        assert secret not in text
    assert track["Cache-Control"] == "no-store"


def test_invalid_input_keeps_what_was_typed_with_chinese_errors(client, world):
    data = form_data(
        world,
        category="conduct",
        anonymous="on",
        contact_phone="",
        contact_email="",
        description="执法人员态度恶劣，当众辱骂群众。",
        officer_named="赵执法",
    )
    response = client.post(NEW, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "执法人员态度恶劣，当众辱骂群众。" in html and 'value="赵执法"' in html  # kept
    assert "只有违法行为举报可以匿名" in html
    assert Complaint.objects.count() == 0

    response = client.post(NEW, form_data(world, contact_phone="abc", contact_email=""))
    assert "请填写数字组成的电话号码" in response.content.decode()
    response = client.post(NEW, form_data(world, contact_phone="", contact_email=""))
    assert "请填写电话号码或电子邮箱" in response.content.decode()


def test_enormous_description_refused_with_a_clear_message(client, world):
    response = client.post(NEW, form_data(world, description="占" * 100_000))
    assert response.status_code == 400
    assert "描述过长：100000 个字符，最多 5000 个" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_attachment_type_is_checked_by_content_not_by_name(client, world):
    fake = SimpleUploadedFile(
        "photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )
    response = client.post(NEW, {**form_data(world), "attachments": [fake]})
    assert response.status_code == 400
    assert "photo.png 不是图片（JPEG、PNG、GIF、WebP）或 PDF 文件" in response.content.decode()
    assert Complaint.objects.count() == 0 and StoredFile.objects.count() == 0


def test_oversized_attachment_refused(client, world, settings):
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1))
    response = client.post(NEW, {**form_data(world), "attachments": [big]})
    assert response.status_code == 400
    assert "big.png 过大" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_scripts_in_complaint_text_are_escaped(client, world):
    client.post(NEW, form_data(world, description="<script>alert('x')</script>占地", location="<b>村</b>"))
    complaint = Complaint.objects.get()
    client.force_login(world.head.user)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;占地" in html
    assert "<script>alert" not in html and "<b>村</b>" not in html


def test_honeypot_refuses_and_stores_nothing(client, world):
    response = client.post(NEW, form_data(world, website="http://spam.example"))
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_submissions_are_throttled_per_address(client, world, settings):
    settings.ZHIFA_COMPLAINTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(NEW, form_data(world)).status_code == 302
    third = client.post(NEW, form_data(world))
    assert third.status_code == 429 and int(third["Retry-After"]) > 0
    assert "提交的投诉过多" in third.content.decode()
    other = client.post(NEW, form_data(world), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302  # another address is not affected
    assert Complaint.objects.count() == 3


def test_tracking_look_ups_are_throttled_and_unknown_codes_answered_404(client, world, settings):
    settings.ZHIFA_COMPLAINT_LOOKUPS_PER_MINUTE = 3
    assert client.get(TRACK).status_code == 200
    assert client.get(TRACK, {"code": "ABCD-EFGH-JKMN"}).status_code == 404
    assert client.get(TRACK, {"code": "x" * 5000}).status_code == 404
    client.get(TRACK, {"code": "ABCD-EFGH-JKMN"})
    assert client.get(TRACK, {"code": "ABCD-EFGH-JKMN"}).status_code == 429


def test_anonymous_report_stores_no_contact(client, world):
    response = client.post(NEW, form_data(world, anonymous="on"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.anonymous and (
        complaint.contact_name,
        complaint.contact_phone,
        complaint.contact_email,
    ) == ("", "", "")
