"""Notifications to parties about the acts of other domains (e.g. a mediation accepted, a session
held, an agreement reached or the mediation failed), sent by the reminders' channels.

- `notification_queue`: called by the other domain's service inside its own transaction — one row
  per (act, recipient) key, idempotent, one `notification.queued` ledger act; a recipient with no
  e-mail address nor mobile number is recorded as `no_contact` (the act's documents reach them by
  post or at the window) and nothing is sent. After commit the queued messages are sent at once
  (outside quiet hours); whatever failed waits for the periodic `reminders_run`.
- `notifications_send`: each queued notification under a row lock in its own transaction, SMS first
  then e-mail, `max_attempts` per channel with the reminders' back-off, each attempt a ledger act
  (`notification.sent` / `.retry` / `.failed`), quiet hours respected. Re-exported by
  `reminders.services`, the surface other apps import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.ledger import ledger_append
from reminders import channels as ch
from reminders.models import Channel, Notification, NotificationStatus

NS = NotificationStatus
ORDER = (Channel.SMS, Channel.EMAIL)

# The one table of status moves of a notification (`_move` is the only code that changes one).
TRANSITIONS: dict[str, frozenset[str]] = {
    NS.QUEUED: frozenset({NS.QUEUED, NS.SENT, NS.FAILED}),
    NS.SENT: frozenset({NS.DELIVERED, NS.FAILED}),
    NS.NO_CONTACT: frozenset(),
    NS.DELIVERED: frozenset(),
    NS.FAILED: frozenset(),
}


def _move(n: Notification, *, to: str, act: str, payload: dict[str, Any] | None = None) -> None:
    if to not in TRANSITIONS[n.status]:
        raise ValueError(f"notification {n.pk}: {n.status} → {to} is not allowed")
    old, n.status = n.status, to
    n.save()
    ledger_append(
        actor=None,
        act=act,
        obj=n,
        agency_id=n.agency_id,
        payload={"from": old, "to": to, "channel": n.channel, "key": n.key, **(payload or {})},
    )


def _reachable(email: str, phone: str) -> list[str]:
    found: list[str] = []
    if ch.mobile(phone):
        found.append(Channel.SMS)
    if "@" in (email or ""):
        found.append(Channel.EMAIL)
    return found


def notification_queue(
    *,
    actor: Any,
    key: str,
    agency_id: int,
    subject_label: str,
    subject_id: Any,
    event: str,
    recipient_name: str,
    subject: str,
    text: str,
    email: str = "",
    phone: str = "",
    now: dt.datetime | None = None,
) -> Notification:
    """Queue one message to a party (idempotent per `key`); recorded in the ledger either way."""
    existing = Notification.objects.filter(key=key[:120]).first()
    if existing is not None:
        return existing
    email, phone = (email or "").strip()[:254], (phone or "").strip()[:50]
    reachable = _reachable(email, phone)
    now = now or timezone.now()
    n = Notification.objects.create(
        key=key[:120],
        agency_id=agency_id,
        subject_label=subject_label[:60],
        subject_id=str(subject_id)[:40],
        event=event[:60],
        recipient_name=(recipient_name or "").strip()[:200],
        email=email,
        phone=phone,
        subject=subject[:200],
        text=text,
        status=NS.QUEUED if reachable else NS.NO_CONTACT,
        channel=reachable[0] if reachable else "",
        next_attempt_at=now if reachable else None,
        detail="" if reachable else _("no e-mail address, and no mobile number or no SMS gateway"),
    )
    ledger_append(
        actor=actor,
        act="notification.queued" if reachable else "notification.no_contact",
        obj=n,
        agency_id=agency_id,
        payload={
            "key": n.key,
            "event": event,
            "subject": f"{subject_label}:{subject_id}",
            "recipient": n.recipient_name,
            "channel": n.channel,
        },
    )
    if reachable:
        pk = n.pk
        transaction.on_commit(lambda: notifications_send(ids=[pk]))
    return n


def notifications_send(
    *,
    now: dt.datetime | None = None,
    ids: list[int] | None = None,
    limit: int = 1000,
    adapters: dict[str, Any] | None = None,
) -> dict[str, int]:
    """Attempt the queued notifications whose time has come (outside quiet hours)."""
    from reminders.services import delivery_settings

    now = now or timezone.now()
    conf = delivery_settings()
    result = {"sent": 0, "retried": 0, "failed": 0}
    if conf.quiet(now):
        return result
    qs = Notification.objects.filter(status=NS.QUEUED, next_attempt_at__lte=now)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    pks = list(qs.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    if not pks:
        return result
    adapters = adapters or {Channel.EMAIL: ch.EmailAdapter(), Channel.SMS: ch.SmsAdapter()}
    try:
        for pk in pks:
            with transaction.atomic():
                locked = Notification.objects.all()
                if connection.features.has_select_for_update_skip_locked:
                    locked = locked.select_for_update(skip_locked=True)
                n = locked.filter(pk=pk, status=NS.QUEUED, next_attempt_at__lte=now).first()
                if n is not None:
                    result[_attempt(n, adapters, now, conf)] += 1
    finally:
        for adapter in adapters.values():
            close = getattr(adapter, "close", None)
            if close is not None:
                close()
    return result


def _attempt(n: Notification, adapters: dict[str, Any], now: dt.datetime, conf: Any) -> str:
    from reminders.models import SmsMessage

    n.attempts += 1
    if n.channel == Channel.SMS:
        log = SmsMessage.objects.create(notification=n, phone=ch.digits(n.phone), text=n.text)
        outcome = adapters[Channel.SMS].submit(log, client_ref=f"notification-{n.pk}-{n.attempts}")
    else:
        outcome = adapters[Channel.EMAIL].deliver(
            to=n.email,
            subject=n.subject,
            text=n.text,
            headers={
                "Message-ID": f"<notification-{n.pk}-{n.attempts}@zhifa>",
                "X-Zhifa-Notification": str(n.pk),
            },
        )
    n.detail = outcome.detail[:300]
    if outcome.ok:
        n.provider_id, n.sent_at = outcome.provider_id, now
        _move(n, to=NS.SENT, act="notification.sent", payload={"attempt": n.attempts})
        return "sent"
    if n.attempts < conf.max_attempts:
        n.next_attempt_at = now + dt.timedelta(minutes=conf.retry_base_minutes * 2 ** (n.attempts - 1))
        _move(n, to=NS.QUEUED, act="notification.retry", payload={"attempt": n.attempts, "reason": n.detail})
        return "retried"
    later = ORDER[ORDER.index(Channel(n.channel)) + 1 :]
    following = [c for c in _reachable(n.email, n.phone) if c in later]
    if following:
        old = n.channel
        n.channel, n.attempts, n.next_attempt_at = following[0], 0, now
        _move(n, to=NS.QUEUED, act="notification.retry", payload={"from_channel": old, "reason": n.detail})
        return "retried"
    _move(n, to=NS.FAILED, act="notification.failed", payload={"attempts": n.attempts, "reason": n.detail})
    return "failed"


def sms_reported(*, notification_id: int, delivered: bool, provider_id: str, reason: str) -> None:
    """The gateway's delivery report of a notification's SMS (called by `services.sms_report`)."""
    n = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if n is None or n.status != NS.SENT:
        return
    n.detail = reason[:300]
    _move(
        n,
        to=NS.DELIVERED if delivered else NS.FAILED,
        act="notification.delivered" if delivered else "notification.failed",
        payload={"provider_id": provider_id, "reason": reason[:300]},
    )
