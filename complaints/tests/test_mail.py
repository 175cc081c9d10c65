"""E-mail to the complainant at acceptance and at the answer, through a real SMTP server on
loopback (aiosmtpd), sent after commit; the answer masked as on the public tracking page."""

from __future__ import annotations

import email
import json
import socket
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from complaints import services
from complaints.tests.conftest import SECRETS, submit
from core.models import LedgerEntry

pytestmark = pytest.mark.django_db
THIRD_ID = "410183198807150011"  # a valid 18-digit number (checksum) of a third person


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp():
    sink, port = Sink(), _port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        with override_settings(MAILERS=mailers, ZHIFA_PUBLIC_BASE_URL="https://zhifa.example.cn"):
            yield sink
    finally:
        controller.stop()


def _read(raw: bytes) -> tuple[str, str]:
    msg = email.message_from_bytes(raw)
    subject = str(make_header(decode_header(msg["Subject"])))
    body = msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")
    return subject, body


def _acts(complaint) -> list[str]:
    return list(LedgerEntry.objects.filter(object_id=str(complaint.pk)).values_list("act", flat=True))


def test_acceptance_and_answer_are_mailed_after_commit(world, smtp, django_capture_on_commit_callbacks):
    complaint = submit(world, category="other", description="咨询")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.complaint_accept(actor=world.intake.user, complaint=complaint)
    assert smtp.messages == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    [(rcpt, raw)] = smtp.messages
    assert rcpt == [SECRETS[2]]
    subject, body = _read(raw)
    assert "已受理" in subject and complaint.tracking_code[:4] in subject.replace("-", "")
    assert "首问负责" in body and "https://zhifa.example.cn/gongkai/complaints/track/?code=" in body

    answer = f"经核查，举报人王小明（电话13812345678）反映的邻居身份证号{THIRD_ID}建房问题已移交乡镇处理。"
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_reply(actor=world.intake.user, complaint=complaint, text=answer)
    assert len(smtp.messages) == 2
    subject, body = _read(smtp.messages[1][1])
    assert "已答复" in subject and "已移交乡镇处理" in body
    answer_part = body.split("答复如下：", 1)[1]  # the greeting names the complainant, to them only
    for secret in (THIRD_ID, "13812345678", "王小明"):
        assert secret not in answer_part
    assert "举报人王某" in answer_part
    assert _acts(complaint).count("complaint.mailed") == 2


def test_the_tracking_page_shows_the_answer_masked(world, client):
    complaint = submit(world, category="other", description="咨询")
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    services.complaint_reply(
        actor=world.intake.user,
        complaint=complaint,
        text=f"王小明您好，已联系13812345678并核实身份证{THIRD_ID}，结果另函告知 wxm@example.com。",
    )
    page = client.get("/gongkai/complaints/track/", {"code": complaint.tracking_code}).content.decode()
    assert "结果另函告知" in page
    for secret in (*SECRETS, THIRD_ID):
        assert secret not in page
    complaint.refresh_from_db()
    assert THIRD_ID in complaint.reply  # the officer's text is kept as written


def test_no_mail_without_an_address_or_when_anonymous(world, smtp, django_capture_on_commit_callbacks):
    complaint = submit(world, category="other", description="咨询", contact_email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_accept(actor=world.intake.user, complaint=complaint)
    assert smtp.messages == []


def test_a_server_that_is_down_is_recorded_and_the_act_stands(world, django_capture_on_commit_callbacks):
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _port(), "timeout": 2},
        }
    }
    complaint = submit(world, category="other", description="咨询")
    with override_settings(MAILERS=mailers), django_capture_on_commit_callbacks(execute=True):
        services.complaint_accept(actor=world.intake.user, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == "accepted"
    failed = LedgerEntry.objects.get(act="complaint.mail_failed", object_id=str(complaint.pk))
    assert (
        json.loads(failed.payload)["kind"] == "accept" and "Connection" in json.loads(failed.payload)["error"]
    )
