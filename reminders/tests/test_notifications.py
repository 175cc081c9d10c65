"""Notifications to parties about other domains' acts, through the reminders' channels: queued in the
act's transaction (idempotent per key, recorded), sent by SMS through the local gateway or by e-mail
over real SMTP, retried then moved to the next channel, quiet hours respected, no contact recorded."""

from __future__ import annotations

import datetime as dt
import email
import json
from email.header import decode_header, make_header

import pytest
from django.test import override_settings

from core.models import LedgerEntry
from reminders import services
from reminders.channels import sign
from reminders.models import Notification, NotificationStatus, SmsMessage
from reminders.testing import free_port

from .conftest import NOW, SECRET

pytestmark = pytest.mark.django_db
NS = NotificationStatus


def queue(world, key="mediation.accept:1:1", **kw):
    values = {
        "actor": world.officer.user,
        "key": key,
        "agency_id": world.agency.pk,
        "subject_label": "mediation.mediation",
        "subject_id": 1,
        "event": "mediation.accept",
        "recipient_name": "张某某",
        "subject": "调解申请已受理",
        "text": "张某某：您的调解申请已受理。",
        "now": NOW,
        **kw,
    }
    return services.notification_queue(**values)


def acts(key: str) -> list[str]:
    return [e.act for e in LedgerEntry.objects.filter(act__startswith="notification.") if key in e.payload]


def test_queueing_is_idempotent_per_key_and_recorded(world, gateway):
    first = queue(world, phone="13800000001")
    again = queue(world, phone="13800000001")
    assert first.pk == again.pk and Notification.objects.count() == 1
    assert (first.status, first.channel) == (NS.QUEUED, "sms")
    assert acts(first.key) == ["notification.queued"]


def test_a_party_without_contact_is_recorded_and_nothing_is_sent(world):
    n = queue(world)
    assert n.status == NS.NO_CONTACT and n.next_attempt_at is None
    assert acts(n.key) == ["notification.no_contact"]
    assert services.notifications_send(now=NOW) == {"sent": 0, "retried": 0, "failed": 0}


def test_sms_then_delivery_report(world, gateway, client):
    n = queue(world, phone="13800000001", email="zhang@example.cn")
    assert services.notifications_send(now=NOW)["sent"] == 1
    n.refresh_from_db()
    assert n.status == NS.SENT and n.provider_id
    assert gateway.messages[0]["to"] == "13800000001" and "已受理" in gateway.messages[0]["text"]
    body = json.dumps({"message_id": n.provider_id, "status": "DELIVRD"}).encode()
    services.sms_report(body=body, signature=sign(body, SECRET))
    n.refresh_from_db()
    assert n.status == NS.DELIVERED
    assert SmsMessage.objects.get(notification=n).status == "delivered"
    assert acts(n.key) == ["notification.queued", "notification.sent", "notification.delivered"]


def test_email_over_real_smtp(world, smtp):
    n = queue(world, email="zhang@example.cn")
    assert n.channel == "email"
    services.notifications_send(now=NOW)
    n.refresh_from_db()
    assert n.status == NS.SENT
    ((to, raw),) = smtp.messages
    msg = email.message_from_bytes(raw)
    assert to == ["zhang@example.cn"]
    assert str(make_header(decode_header(msg["Subject"]))) == "调解申请已受理"
    assert "已受理" in msg.get_payload(decode=True).decode(msg.get_content_charset())


def test_a_down_gateway_is_retried_then_the_next_channel_is_used(world, gateway, smtp):
    gateway.fail_with = 503
    n = queue(world, phone="13800000001", email="zhang@example.cn")
    assert services.notifications_send(now=NOW)["retried"] == 1
    n.refresh_from_db()
    assert n.status == NS.QUEUED and n.next_attempt_at == NOW + dt.timedelta(minutes=5)
    later = NOW
    for _ in range(4):  # max_attempts (5) on SMS, then e-mail
        later = later + dt.timedelta(hours=2)
        services.notifications_send(now=later)
    n.refresh_from_db()
    assert n.channel == "email"
    services.notifications_send(now=later + dt.timedelta(minutes=1))
    n.refresh_from_db()
    assert n.status == NS.SENT and len(smtp.messages) == 1
    assert "notification.retry" in acts(n.key)


def test_quiet_hours_hold_notifications(world, smtp):
    n = queue(world, email="zhang@example.cn")
    services.notifications_send(now=NOW.replace(hour=22))
    n.refresh_from_db()
    assert n.status == NS.QUEUED and not smtp.messages


def test_an_smtp_server_that_is_down_ends_failed_after_the_attempts(world):
    with override_settings(
        MAILERS={
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
            }
        }
    ):
        n = queue(world, email="zhang@example.cn")
        later = NOW
        for _ in range(5):
            services.notifications_send(now=later)
            later = later + dt.timedelta(hours=1)
    n.refresh_from_db()
    assert n.status == NS.FAILED and n.attempts == 5 and "Connection refused" in n.detail
    assert acts(n.key)[-1] == "notification.failed"
