"""Test doubles and helpers for the reminder channels: a local SMS gateway, a loopback SMTP sink.

`SmsGatewayDouble` is a real HTTP server on 127.0.0.1 speaking the gateway protocol the SMS adapter
uses (JSON POST with a bearer key → {message_id, status}); it logs every message, can be told to
refuse, and can post the signed delivery report back to the callback URL, as a gateway does.
`SmtpSink` is an aiosmtpd server on loopback that keeps the messages it receives.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmsGatewayDouble:
    def __init__(self, api_key: str = "test-key") -> None:
        self.api_key = api_key
        self.messages: list[dict[str, Any]] = []
        self.fail_with: int | None = None  # an HTTP status to answer with instead of accepting
        self._lock = threading.Lock()
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.headers.get("Authorization") != f"Bearer {double.api_key}":
                    self._answer(401, {"error": "unauthorised"})
                    return
                if double.fail_with:
                    self._answer(double.fail_with, {"error": "unavailable"})
                    return
                try:
                    body = json.loads(raw.decode())
                    assert body["to"] and body["text"]
                except (ValueError, KeyError, AssertionError):
                    self._answer(400, {"error": "bad request"})
                    return
                with double._lock:
                    message_id = f"SMS{len(double.messages) + 1:08d}"
                    double.messages.append({**body, "message_id": message_id})
                self._answer(200, {"message_id": message_id, "status": "accepted"})

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> SmsGatewayDouble:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def report(
        self,
        message_id: str,
        *,
        status: str = "DELIVRD",
        secret: str,
        url: str | None = None,
        reason: str = "",
    ) -> tuple[int, bytes]:
        """Post the signed delivery report of `message_id` to its callback URL (or `url`)."""
        from reminders.channels import sign

        message = next(m for m in self.messages if m["message_id"] == message_id)
        body = json.dumps({"message_id": message_id, "status": status, "reason": reason}).encode()
        request = urllib.request.Request(
            url or message["callback_url"],
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Signature": sign(body, secret)},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


class _Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


class SmtpSink:
    """A real SMTP server on loopback keeping every message (aiosmtpd)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = _Sink()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[tuple[list[str], bytes]]:
        return self.handler.messages

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def mailers(self) -> dict[str, Any]:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }


# ---- worker targets for the multi-process tests (run in scratch databases) ----------------------


def worker_run(today: str, now: str) -> dict[str, Any]:
    """Scan and send once (one worker process of the concurrency test)."""
    import datetime as dt

    from reminders.services import reminders_run

    _use_derived_contacts()
    return reminders_run(today=dt.date.fromisoformat(today), now=dt.datetime.fromisoformat(now))


def worker_run_and_die(today: str, now: str, after: int) -> None:
    """Scan, then send but die (os._exit) in the middle of the `after`+1-th attempt, before it
    reaches the channel: the process is killed with an open transaction."""
    import datetime as dt
    import os

    from reminders import channels, services

    _use_derived_contacts()
    real = channels.adapters()
    count = {"n": 0}

    class Dying:
        def __init__(self, inner: Any) -> None:
            self.inner, self.code = inner, inner.code

        def available(self, reminder: Any) -> bool:
            return bool(self.inner.available(reminder))

        def send(self, reminder: Any, **kw: Any) -> Any:
            if count["n"] >= after:
                os._exit(9)
            count["n"] += 1
            return self.inner.send(reminder, **kw)

    services.reminders_scan(today=dt.date.fromisoformat(today), now=dt.datetime.fromisoformat(now))
    services.reminders_send(
        now=dt.datetime.fromisoformat(now), adapters={k: Dying(v) for k, v in real.items()}
    )


def derived_contact(subject_id: Any) -> dict[str, str]:
    """A contact derived from the subject id (worker processes of the multi-process tests)."""
    return {
        "name": f"持证人{subject_id}",
        "email": f"holder{subject_id}@example.cn",
        "number": f"XK-{subject_id}",
    }


def _use_derived_contacts() -> None:
    from reminders import contacts

    contacts.RESOLVERS["org.officer"] = "reminders.testing.derived_contact"


def worker_seed(count: int, due_on: str) -> int:
    """Create `count` licence-expiry deadlines due on `due_on` (subjects: org.officer ids 1..count)."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from core.models import Deadline

    ct = ContentType.objects.get(app_label="org", model="officer")
    due = dt.date.fromisoformat(due_on)
    Deadline.objects.bulk_create(
        Deadline(
            agency_id=1,
            subject_type=ct,
            subject_id=str(i),
            kind="licence.expiry",
            title="采矿许可证有效期届满",
            unit="calendar_days",
            amount=1,
            start_date=due - dt.timedelta(days=365),
            due_date=due,
        )
        for i in range(1, count + 1)
    )
    from reminders.models import ReminderRule

    ReminderRule.objects.exclude(code="licence-expiry-holder").update(active=False)
    return count


def worker_counts() -> dict[str, Any]:
    from core.services.ledger import ledger_verify
    from reminders.models import Delivery, Reminder

    return {
        "reminders": Reminder.objects.count(),
        "by_status": {
            s: Reminder.objects.filter(status=s).count() for s in ("queued", "sent", "task", "failed")
        },
        "deliveries": Delivery.objects.count(),
        "ledger_ok": ledger_verify().as_dict().get("ok"),
    }


def worker_scan_and_die(today: str, now: str) -> None:
    """Die (os._exit) inside the scan's transaction, after its first INSERT … SELECT."""
    import datetime as dt
    import os

    from reminders import services

    real = services._insert
    calls = {"n": 0}

    def dying(*args: Any, **kwargs: Any) -> int:
        n = real(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] >= 1 and n:
            os._exit(9)
        return n

    services._insert = dying
    services.reminders_scan(today=dt.date.fromisoformat(today), now=dt.datetime.fromisoformat(now))
