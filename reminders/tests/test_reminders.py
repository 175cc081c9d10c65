"""Reminders end to end on the services: the scan's windows and idempotency, e-mail over a real SMTP
server, SMS through a local gateway with signed delivery reports, retries and channel fall-back,
quiet hours, tasks for officers, rule editing."""

from __future__ import annotations

import datetime as dt
import email
import json
from email.header import decode_header, make_header

import pytest
from django.test import override_settings

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from core.services.clock import deadline_satisfy
from reminders import services
from reminders.channels import sign
from reminders.models import (
    Delivery,
    DeliveryStatus,
    Reminder,
    ReminderRule,
    ReminderStatus,
    ReminderTask,
    SmsMessage,
    TaskKind,
)
from reminders.testing import free_port

from .conftest import NOW, SECRET, TODAY, licence_deadline

pytestmark = pytest.mark.django_db
RS = ReminderStatus


def rule(code: str) -> ReminderRule:
    return ReminderRule.objects.get(code=code)


def only_rules(*codes: str) -> None:
    ReminderRule.objects.exclude(code__in=codes).update(active=False)


def body_of(raw: bytes) -> tuple[str, str]:
    msg = email.message_from_bytes(raw)
    subject = str(make_header(decode_header(msg["Subject"])))
    return subject, msg.get_payload(decode=True).decode(msg.get_content_charset())


def test_default_rules_are_seeded_as_data():
    expiry = rule("licence-expiry-holder")
    assert expiry.deadline_kind == "licence.expiry" and expiry.offsets == [90, 30, 7]
    assert expiry.channels[0] == "sms" and "phone" in expiry.channels
    kinds = set(ReminderRule.objects.values_list("deadline_kind", flat=True))
    assert {"licence.temporary_land_return", "cases.payment", "cases.correction"} <= kinds
    assert services.delivery_settings().max_attempts == 5


def test_the_scan_creates_the_reminder_of_each_deadlines_current_window_once(world):
    only_rules("licence-expiry-holder")
    far = licence_deadline(world, 1, due_in=100)
    d85 = licence_deadline(world, 2, due_in=85)
    d25 = licence_deadline(world, 3, due_in=25)
    d5 = licence_deadline(world, 4, due_in=5)
    d0 = licence_deadline(world, 5, due_in=0)
    past = licence_deadline(world, 6, due_in=-1)
    done = licence_deadline(world, 7, due_in=5)
    deadline_satisfy(actor=None, deadline=done, by_act="licence.renewed")
    other_kind = licence_deadline(world, 8, due_in=5, kind="cases.payment")

    result = services.reminders_scan(today=TODAY, now=NOW)

    got = dict(Reminder.objects.values_list("deadline_id", "days_before"))
    assert got == {d85.pk: 90, d25.pk: 30, d5.pk: 7, d0.pk: 7}
    assert result.created == 4
    assert far.pk not in got and past.pk not in got and done.pk not in got and other_kind.pk not in got
    assert json.loads(LedgerEntry.objects.filter(act="reminder.scan").last().payload)["created"] == 4

    again = services.reminders_scan(today=TODAY, now=NOW)
    assert again.created == 0 and Reminder.objects.count() == 4

    # 60 days later the 85-day deadline enters the 30-day window: one new reminder, nothing else.
    later = services.reminders_scan(today=TODAY + dt.timedelta(days=60), now=NOW)
    assert later.created == 2  # and the 100-day one enters its 90-day window
    assert set(Reminder.objects.filter(deadline=d85).values_list("days_before", flat=True)) == {90, 30}


def test_a_reminder_goes_by_email_over_smtp_with_its_code_and_link(world, smtp):
    only_rules("licence-expiry-holder")
    licence_deadline(
        world,
        11,
        due_in=30,
        contact={
            "name": "新密市某矿业有限公司",
            "email": "kuang@example.cn",
            "number": "C4101832010127130078",
        },
    )
    result = services.reminders_run(today=TODAY, now=NOW)
    assert result["created"] == 1 and result["sent"] == 1

    reminder = Reminder.objects.get()
    assert reminder.status == RS.SENT and reminder.channel == "email" and len(reminder.access_code) == 8
    assert len(smtp.messages) == 1
    rcpt, raw = smtp.messages[0]
    subject, body = body_of(raw)
    assert rcpt == ["kuang@example.cn"] and "采矿许可证有效期届满" in subject
    assert "C4101832010127130078" in body and reminder.access_code in body and "/gongkai/reminders/?" in body
    assert "2026年04月09日" in body and "新密市自然资源局" in body
    (delivery,) = reminder.deliveries.all()
    assert delivery.status == DeliveryStatus.SENT and delivery.channel == "email"
    assert LedgerEntry.objects.filter(act="reminder.sent", object_id=str(reminder.pk)).exists()

    # A rerun of the whole job sends nothing twice.
    assert services.reminders_run(today=TODAY, now=NOW)["sent"] == 0
    assert len(smtp.messages) == 1


def test_smtp_down_is_retried_with_backoff_then_failed_and_handed_to_an_officer(world, settings):
    only_rules("licence-expiry-holder")
    services.delivery_settings_update(
        actor=None, quiet_start="21:00", quiet_end="08:00", max_attempts=3, retry_base_minutes=5
    )
    licence_deadline(
        world, 12, due_in=7, contact={"name": "某公司", "email": "a@example.cn", "number": "XK-12"}
    )
    closed_port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2},
        }
    }
    services.reminders_scan(today=TODAY, now=NOW)
    first = services.reminders_send(now=NOW)
    assert first.retried == 1
    reminder = Reminder.objects.get()
    assert reminder.status == RS.QUEUED and reminder.next_attempt_at == NOW + dt.timedelta(minutes=5)
    # Not yet due again: nothing is attempted.
    assert services.reminders_send(now=NOW + dt.timedelta(minutes=4)).retried == 0
    second = services.reminders_send(now=NOW + dt.timedelta(minutes=5))
    assert second.retried == 1
    reminder.refresh_from_db()
    assert reminder.next_attempt_at == NOW + dt.timedelta(minutes=15)  # 5, then 10 more
    third = services.reminders_send(now=NOW + dt.timedelta(minutes=15))
    assert third.failed == 1
    reminder.refresh_from_db()
    assert reminder.status == RS.FAILED
    statuses = list(reminder.deliveries.values_list("status", flat=True))
    assert statuses == [DeliveryStatus.RETRY, DeliveryStatus.RETRY, DeliveryStatus.FAILED]
    assert all("refused" in d for d in reminder.deliveries.values_list("detail", flat=True))  # ECONNREFUSED
    task = ReminderTask.objects.get(reminder=reminder)
    assert task.kind == TaskKind.DELIVERY_FAILED and task.assignee == world.officer.user


def test_smtp_back_up_delivers_the_queued_reminder(world, settings, smtp):
    only_rules("licence-expiry-holder")
    licence_deadline(
        world, 13, due_in=7, contact={"name": "某公司", "email": "b@example.cn", "number": "XK-13"}
    )
    real = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    services.reminders_run(today=TODAY, now=NOW)
    assert Reminder.objects.get().status == RS.QUEUED and not smtp.messages
    settings.MAILERS = real
    assert services.reminders_send(now=NOW + dt.timedelta(minutes=5)).sent == 1
    assert len(smtp.messages) == 1 and Reminder.objects.get().status == RS.SENT


def test_an_email_failure_moves_to_the_next_channel(world, settings):
    only_rules("licence-expiry-holder")
    services.delivery_settings_update(
        actor=None, quiet_start="21:00", quiet_end="08:00", max_attempts=1, retry_base_minutes=5
    )
    licence_deadline(
        world,
        14,
        due_in=7,
        contact={"name": "某公司", "email": "c@example.cn", "address": "新密市城关镇1号", "number": "XK-14"},
    )
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    services.reminders_run(today=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    assert reminder.status == RS.QUEUED and reminder.channel == "letter"
    services.reminders_send(now=NOW)
    reminder.refresh_from_db()
    assert reminder.status == RS.TASK
    assert ReminderTask.objects.get(reminder=reminder).kind == TaskKind.LETTER


def test_sms_goes_through_the_gateway_and_the_signed_report_marks_it_delivered(world, gateway, client):
    only_rules("licence-expiry-holder")
    licence_deadline(
        world, 21, due_in=30, contact={"name": "张三", "phone": "138 1234 5678", "number": "XK-21"}
    )
    services.reminders_run(today=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    assert reminder.status == RS.SENT and reminder.channel == "sms"
    (message,) = gateway.messages
    assert message["to"] == "13812345678" and reminder.access_code in message["text"]
    assert message["callback_url"].endswith("/gongkai/reminders/sms/report/")
    log = SmsMessage.objects.get()
    assert log.provider_id == message["message_id"] and log.status == "accepted"

    body = json.dumps({"message_id": message["message_id"], "status": "DELIVRD"}).encode()
    forged = client.post(
        "/gongkai/reminders/sms/report/",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sign(body, "not-the-secret"),
    )
    assert forged.status_code == 403
    reminder.refresh_from_db()
    assert reminder.status == RS.SENT

    ok = client.post(
        "/gongkai/reminders/sms/report/",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sign(body, SECRET),
    )
    assert ok.status_code == 200
    reminder.refresh_from_db()
    assert reminder.status == RS.DELIVERED
    again = client.post(
        "/gongkai/reminders/sms/report/",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sign(body, SECRET),
    )
    assert again.status_code == 200
    assert list(reminder.deliveries.values_list("status", flat=True)) == [
        DeliveryStatus.SENT,
        DeliveryStatus.DELIVERED,
    ]


def test_an_undelivered_sms_report_fails_the_reminder_and_makes_a_task(world, gateway, client):
    only_rules("licence-expiry-holder")
    licence_deadline(
        world, 22, due_in=30, contact={"name": "李四", "phone": "13912345678", "number": "XK-22"}
    )
    services.reminders_run(today=TODAY, now=NOW)
    (message,) = gateway.messages
    body = json.dumps({"message_id": message["message_id"], "status": "UNDELIV", "reason": "空号"}).encode()
    response = client.post(
        "/gongkai/reminders/sms/report/",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=sign(body, SECRET),
    )
    assert response.status_code == 200
    reminder = Reminder.objects.get()
    assert reminder.status == RS.FAILED
    assert reminder.deliveries.last().detail == "空号"
    assert ReminderTask.objects.get(reminder=reminder).kind == TaskKind.DELIVERY_FAILED


def test_a_gateway_refusal_is_retried(world, gateway):
    only_rules("licence-expiry-holder")
    licence_deadline(
        world, 23, due_in=30, contact={"name": "王五", "phone": "13712345678", "number": "XK-23"}
    )
    gateway.fail_with = 503
    services.reminders_run(today=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    assert reminder.status == RS.QUEUED and reminder.deliveries.get().status == DeliveryStatus.RETRY
    assert "503" in reminder.deliveries.get().detail
    assert SmsMessage.objects.get().status == "refused"
    gateway.fail_with = None
    assert services.reminders_send(now=NOW + dt.timedelta(minutes=5)).sent == 1
    assert len(gateway.messages) == 1


def test_nothing_is_sent_in_quiet_hours_and_the_reminders_wait(world, smtp):
    only_rules("licence-expiry-holder")
    licence_deadline(
        world, 31, due_in=7, contact={"name": "某公司", "email": "q@example.cn", "number": "XK-31"}
    )
    night = NOW.replace(hour=22)
    result = services.reminders_run(today=TODAY, now=night)
    assert result["created"] == 1 and result["quiet"] is True and result["sent"] == 0
    assert not smtp.messages and Reminder.objects.get().status == RS.QUEUED
    early = services.reminders_send(now=(night + dt.timedelta(hours=9)).replace(hour=7, minute=59))
    assert early.quiet and not smtp.messages
    morning = services.reminders_send(now=(night + dt.timedelta(hours=10)).replace(hour=8, minute=0))
    assert morning.sent == 1 and len(smtp.messages) == 1


def test_a_party_without_contact_becomes_an_officers_task_and_the_outcome_is_recorded(world):
    only_rules("licence-expiry-holder")
    licence_deadline(world, 41, due_in=7, contact={"name": "无联系方式的持证人", "number": "XK-41"})
    result = services.reminders_run(today=TODAY, now=NOW)
    assert result["tasks"] == 1
    reminder = Reminder.objects.get()
    assert reminder.status == RS.TASK
    assert reminder.deliveries.get().status == DeliveryStatus.FAILED
    task = ReminderTask.objects.get()
    assert task.kind == TaskKind.NO_CONTACT and task.assignee == world.officer.user

    with pytest.raises(ValidationFailed) as exc:
        services.task_record(actor=world.officer.user, task=task, outcome="not_reached", note="")
    assert "note" in exc.value.field_errors
    with pytest.raises(PermissionDenied):
        services.task_record(actor=world.outsider.user, task=task, outcome="reached", note="")
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=world.outsider.user.pk).exists()

    services.task_record(actor=world.officer.user, task=task, outcome="reached", note="已上门告知持证人")
    reminder.refresh_from_db()
    assert reminder.status == RS.DELIVERED
    assert reminder.deliveries.last().status == DeliveryStatus.DELIVERED
    assert LedgerEntry.objects.filter(act="reminder.task_done", object_id=str(task.pk)).exists()
    with pytest.raises(Conflict):
        services.task_record(actor=world.officer.user, task=task, outcome="not_reached", note="再次")


def test_a_phone_only_party_gets_a_phone_call_task_when_no_sms_gateway_is_configured(world):
    only_rules("licence-expiry-holder")
    licence_deadline(world, 42, due_in=7, contact={"name": "赵六", "phone": "13612345678", "number": "XK-42"})
    with override_settings(ZHIFA_SMS_GATEWAY_URL=""):
        services.reminders_run(today=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    assert reminder.channel == "phone" and reminder.status == RS.TASK
    task = ReminderTask.objects.get()
    assert task.kind == TaskKind.PHONE_CALL
    services.task_record(actor=world.head.user, task=task, outcome="not_reached", note="电话无人接听")
    reminder.refresh_from_db()
    assert reminder.status == RS.FAILED


def test_a_reminder_of_a_deadline_met_meanwhile_is_cancelled_not_sent(world, smtp):
    only_rules("licence-expiry-holder")
    deadline = licence_deadline(
        world, 51, due_in=7, contact={"name": "某", "email": "m@example.cn", "number": "X"}
    )
    services.reminders_scan(today=TODAY, now=NOW)
    deadline_satisfy(actor=None, deadline=deadline, by_act="licence.renewed")
    result = services.reminders_send(now=NOW)
    assert result.cancelled == 1 and not smtp.messages
    assert Reminder.objects.get().status == RS.CANCELLED


def test_officer_audience_is_reminded_by_email(world, smtp):
    only_rules("licence-expiry-officer")
    licence_deadline(world, 61, due_in=20, contact={"name": "某", "number": "XK-61"})
    services.reminders_run(today=TODAY, now=NOW)
    ((rcpt, raw),) = smtp.messages
    assert rcpt == ["wang@xinmi.example.cn"] and "王执法" in body_of(raw)[1]


def test_rules_are_edited_by_the_system_administrator_only_with_a_ledger_entry(world):
    r = rule("licence-expiry-holder")
    with pytest.raises(PermissionDenied):
        services.rule_update(
            actor=world.officer.user,
            rule=r,
            version=r.version,
            name=r.name,
            offsets=[60],
            audience="party",
            channels=["sms"],
            template_text="x",
            active=True,
        )
    updated = services.rule_update(
        actor=world.admin.user,
        rule=r,
        version=r.version,
        name=r.name,
        offsets=[60, 15, 3],
        audience="party",
        channels=["email", "letter"],
        template_text="{name}：{title}于{due_date}到期。查询码{code}",
        active=True,
    )
    assert updated.offsets == [60, 15, 3] and updated.version == 2
    entry = LedgerEntry.objects.filter(act="reminder.rule_changed").last()
    assert json.loads(entry.payload)["old"]["offsets"] == [90, 30, 7] and json.loads(entry.payload)["new"][
        "offsets"
    ] == [60, 15, 3]
    with pytest.raises(Conflict):  # stale version: someone else saved in between
        services.rule_update(
            actor=world.admin.user,
            rule=r,
            version=1,
            name=r.name,
            offsets=[5],
            audience="party",
            channels=["email"],
            template_text="x",
            active=True,
        )
    with pytest.raises(ValidationFailed) as exc:
        services.rule_update(
            actor=world.admin.user,
            rule=r,
            version=2,
            name=r.name,
            offsets=[400],
            audience="party",
            channels=["fax"],
            template_text="{nope}",
            active=True,
        )
    assert set(exc.value.field_errors) == {"offsets", "channels", "template_text"}


def test_quiet_hours_are_data_changed_with_a_ledger_entry(world):
    with pytest.raises(PermissionDenied):
        services.delivery_settings_update(
            actor=world.officer.user,
            quiet_start="22:00",
            quiet_end="07:00",
            max_attempts=5,
            retry_base_minutes=5,
        )
    with pytest.raises(ValidationFailed) as exc:
        services.delivery_settings_update(
            actor=world.admin.user,
            quiet_start="25:00",
            quiet_end="07:00",
            max_attempts=5,
            retry_base_minutes=5,
        )
    assert "quiet_start" in exc.value.field_errors
    conf = services.delivery_settings_update(
        actor=world.admin.user, quiet_start="22:00", quiet_end="07:00", max_attempts=5, retry_base_minutes=5
    )
    assert conf.quiet(NOW.replace(hour=6, minute=59)) and not conf.quiet(NOW.replace(hour=7))
    entry = LedgerEntry.objects.filter(act="org.legal_setting_changed").last()
    assert json.loads(entry.payload)["new"] == {"start": "22:00", "end": "07:00"}


def test_deliveries_are_append_only(world):
    with pytest.raises(TypeError):
        Delivery.objects.all().update(detail="x")
    assert Deadline.objects.count() == 0
