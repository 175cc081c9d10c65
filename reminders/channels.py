"""The channels a reminder travels by, behind one adapter interface.

`adapter.available(reminder)` says whether the recipient can be reached that way;
`adapter.send(reminder)` makes one attempt and returns an `Outcome` (never raises for a delivery
failure: a refused connection, an SMTP error, a gateway error are outcomes with a reason).

- e-mail: real SMTP through Django's mailer (settings MAILERS["default"]); the Message-ID names the
  reminder and attempt so a receiving side can tell a resend.
- SMS: an HTTP gateway with the shape of the real ones — JSON POST {to, text, client_ref,
  callback_url} with a bearer key, answer {message_id, status}; delivery reports come back to
  `/gongkai/reminders/sms/report/` signed with HMAC-SHA256 (header X-Signature). Settings
  ZHIFA_SMS_GATEWAY_URL, ZHIFA_SMS_API_KEY, ZHIFA_SMS_CALLBACK_SECRET (or the same environment
  variables). Every message is logged (`SmsMessage`).
- letter and phone: work for an officer (`ReminderTask`): issue and post the 提示书, or call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.urls import reverse
from django.utils.translation import gettext as _

from reminders.models import Channel, Reminder, SmsMessage


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str = ""
    provider_id: str = ""
    task: bool = False  # handed to an officer (letter, phone call)


class Adapter(Protocol):
    code: str

    def available(self, reminder: Reminder) -> bool: ...

    def send(self, reminder: Reminder, *, attempt: int, subject: str) -> Outcome: ...


def setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, ""))


def public_url(path: str) -> str:
    return setting("ZHIFA_PUBLIC_BASE_URL").rstrip("/") + path


class EmailAdapter:
    code: str = Channel.EMAIL

    def __init__(self) -> None:
        self._mailer: Any = None

    def available(self, reminder: Reminder) -> bool:
        return "@" in reminder.email

    def open(self) -> None:
        """Keep one SMTP connection for a batch (closed by `close`)."""
        if self._mailer is None:
            self._mailer = mailers["default"]
            self._mailer.open()

    def close(self) -> None:
        if self._mailer is not None:
            try:
                self._mailer.close()
            except (OSError, smtplib.SMTPException):
                pass
            self._mailer = None

    def send(self, reminder: Reminder, *, attempt: int, subject: str) -> Outcome:
        return self.deliver(
            to=reminder.email,
            subject=subject,
            text=reminder.text,
            headers={
                "Message-ID": f"<reminder-{reminder.pk}-{attempt}@zhifa>",
                "X-Zhifa-Reminder": str(reminder.pk),
            },
        )

    def deliver(self, *, to: str, subject: str, text: str, headers: dict[str, str]) -> Outcome:
        """One message over SMTP (reminders and notifications to parties share it)."""
        message = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
        message.extra_headers.update(headers)
        try:
            self.open()
            self._mailer.send_messages([message])
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            return Outcome(False, _("SMTP: %(error)s") % {"error": str(exc)[:200] or type(exc).__name__})
        return Outcome(True, _("accepted by the mail server"))


def sign(body: bytes, secret: str | None = None) -> str:
    key = (secret if secret is not None else setting("ZHIFA_SMS_CALLBACK_SECRET")).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def digits(phone: str) -> str:
    return "".join(c for c in phone or "" if c.isdigit())


def mobile(phone: str) -> bool:
    """A mainland mobile number, and a gateway configured to reach it."""
    number = digits(phone)
    return len(number) == 11 and number.startswith("1") and bool(setting("ZHIFA_SMS_GATEWAY_URL"))


class SmsAdapter:
    code: str = Channel.SMS

    def available(self, reminder: Reminder) -> bool:
        return mobile(reminder.phone)

    def send(self, reminder: Reminder, *, attempt: int, subject: str) -> Outcome:
        phone = digits(reminder.phone)
        log = SmsMessage.objects.create(reminder=reminder, phone=phone, text=reminder.text)
        return self.submit(log, client_ref=f"reminder-{reminder.pk}-{attempt}")

    def submit(self, log: SmsMessage, *, client_ref: str) -> Outcome:
        """Hand the logged message to the gateway (reminders and notifications to parties share it)."""
        body = json.dumps(
            {
                "to": log.phone,
                "text": log.text,
                "client_ref": client_ref,
                "callback_url": public_url(reverse("reminders_public:sms_report")),
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            setting("ZHIFA_SMS_GATEWAY_URL"),
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {setting('ZHIFA_SMS_API_KEY')}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            log.status = "refused"
            log.report = {"http_status": exc.code}
            log.save(update_fields=["status", "report"])
            return Outcome(
                False, _("SMS gateway refused the message (HTTP %(status)s)") % {"status": exc.code}
            )
        except (OSError, ValueError) as exc:
            log.status = "error"
            log.save(update_fields=["status"])
            return Outcome(False, _("SMS gateway unreachable: %(error)s") % {"error": str(exc)[:200]})
        provider_id = str(answer.get("message_id") or "")[:100]
        log.provider_id = provider_id
        log.status = str(answer.get("status") or "accepted")[:16]
        log.save(update_fields=["provider_id", "status"])
        if not provider_id:
            return Outcome(False, _("SMS gateway gave no message id"))
        return Outcome(True, _("accepted by the SMS gateway"), provider_id=provider_id)


class TaskAdapter:
    """Letter and phone call: an officer does it; the attempt hands the reminder to them."""

    def __init__(self, code: str) -> None:
        self.code = code

    def available(self, reminder: Reminder) -> bool:
        if self.code == Channel.LETTER:
            return bool(reminder.address)
        return bool(reminder.phone)

    def send(self, reminder: Reminder, *, attempt: int, subject: str) -> Outcome:
        return Outcome(True, _("handed to an officer"), task=True)


def adapters() -> dict[str, Adapter]:
    return {
        Channel.EMAIL: EmailAdapter(),
        Channel.SMS: SmsAdapter(),
        Channel.LETTER: TaskAdapter(Channel.LETTER),
        Channel.PHONE: TaskAdapter(Channel.PHONE),
    }
