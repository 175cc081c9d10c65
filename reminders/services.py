"""Reminders: editing the rules, the scan that derives reminders from the clock, sending them.

- `rule_update` / `delivery_settings_update`: the system administrator edits rules and the delivery
  figures (quiet hours, attempts, back-off), each change a ledger act with old and new values.
- `reminders_scan`: set-based — one INSERT … SELECT per (rule, days-before) over the clock's
  deadlines, ON CONFLICT DO NOTHING on the unique (rule, deadline, days_before). A rerun, or a scan
  killed halfway (its transaction rolls back), neither duplicates nor loses a reminder. One summary
  ledger act per scan (`reminder.scan`), like the clock's `deadline.scan`.
- `reminders_send`: each queued reminder is taken in its own transaction under a row lock (SKIP
  LOCKED on PostgreSQL; SQLite serialises writers) and re-checked before the attempt, so two
  workers never send the same reminder; every attempt is a `Delivery` row and a ledger act. A failed
  attempt is retried with exponential back-off, after `max_attempts` the next channel of the rule is
  tried, and when none is left the reminder is failed and handed to an officer. Nothing is sent
  during quiet hours: the reminders wait, queued.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.errors import Conflict, NotFound, ValidationFailed
from core.models import Deadline, LegalSetting
from core.services.ledger import ledger_append
from reminders import channels as ch
from reminders import policies
from reminders.contacts import Contact, officer_contact, party_contact
from reminders.models import (
    Audience,
    Channel,
    Delivery,
    DeliveryStatus,
    Reminder,
    ReminderRule,
    ReminderStatus,
    ReminderTask,
    ReminderTaskHandover,
    SmsMessage,
    TaskKind,
    TaskOutcome,
)
from reminders.notifications import notification_queue as notification_queue  # for other apps' acts
from reminders.notifications import notifications_send, sms_reported

RS = ReminderStatus
ACTIVE_DEADLINES = (Deadline.Status.OPEN, Deadline.Status.DUE_SOON)
PLACEHOLDERS = ("name", "title", "due_date", "days", "reference", "code", "link", "agency")
LETTER_KIND = "guidance_prompt"  # 行政提示书 (documents/kinds.py)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L

# The one table of status moves; `_move` is the only code that changes one reminder's status.
TRANSITIONS: dict[str, frozenset[str]] = {
    RS.QUEUED: frozenset({RS.SENT, RS.TASK, RS.FAILED, RS.CANCELLED, RS.QUEUED}),
    RS.SENT: frozenset({RS.DELIVERED, RS.FAILED}),
    RS.TASK: frozenset({RS.DELIVERED, RS.SENT, RS.FAILED}),
    RS.FAILED: frozenset({RS.DELIVERED}),  # an officer reached the party after all
    RS.DELIVERED: frozenset(),
    RS.CANCELLED: frozenset(),
}

QUIET_KEY = "reminders.quiet_hours"
ATTEMPTS_KEY = "reminders.max_attempts"
BACKOFF_KEY = "reminders.retry_base_minutes"
DEFAULTS: dict[str, Any] = {QUIET_KEY: {"start": "21:00", "end": "08:00"}, ATTEMPTS_KEY: 5, BACKOFF_KEY: 5}


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliverySettings:
    quiet_start: dt.time
    quiet_end: dt.time
    max_attempts: int
    retry_base_minutes: int

    def quiet(self, at: dt.datetime) -> bool:
        """Whether `at` (local time) lies in the quiet hours (the window may span midnight)."""
        t = timezone.localtime(at).time()
        if self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= t < self.quiet_end
        return t >= self.quiet_start or t < self.quiet_end

    def quiet_ends(self, at: dt.datetime) -> dt.datetime:
        local = timezone.localtime(at)
        end = local.replace(hour=self.quiet_end.hour, minute=self.quiet_end.minute, second=0, microsecond=0)
        return end if end > local else end + dt.timedelta(days=1)


def _setting(key: str) -> Any:
    row = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return DEFAULTS[key] if row is None else row


def _time(value: str) -> dt.time:
    return dt.datetime.strptime(str(value).strip(), "%H:%M").time()


def delivery_settings() -> DeliverySettings:
    quiet = _setting(QUIET_KEY)
    return DeliverySettings(
        quiet_start=_time(quiet.get("start", "21:00")),
        quiet_end=_time(quiet.get("end", "08:00")),
        max_attempts=int(_setting(ATTEMPTS_KEY)),
        retry_base_minutes=int(_setting(BACKOFF_KEY)),
    )


def delivery_settings_update(
    *, actor: Any, quiet_start: str, quiet_end: str, max_attempts: int, retry_base_minutes: int
) -> DeliverySettings:
    """Change the quiet hours and retry figures (each changed setting one ledger act)."""
    policies.ensure(actor, "manage_rules")  # before the transaction: a denial stays in the ledger
    with transaction.atomic():
        return _settings_save(
            actor=actor,
            quiet_start=quiet_start,
            quiet_end=quiet_end,
            max_attempts=max_attempts,
            retry_base_minutes=retry_base_minutes,
        )


def _settings_save(
    *, actor: Any, quiet_start: str, quiet_end: str, max_attempts: int, retry_base_minutes: int
) -> DeliverySettings:
    errors: dict[str, list[str]] = {}
    for name, value in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
        try:
            _time(value)
        except ValueError:
            errors[name] = [_("Write the time as HH:MM, e.g. 21:00.")]
    if not 1 <= int(max_attempts) <= 20:
        errors["max_attempts"] = [_("Between 1 and 20 attempts.")]
    if not 1 <= int(retry_base_minutes) <= 1440:
        errors["retry_base_minutes"] = [_("Between 1 and 1440 minutes.")]
    if errors:
        raise ValidationFailed(
            _("The delivery settings were not saved: correct the fields listed."), field_errors=errors
        )
    new: dict[str, Any] = {
        QUIET_KEY: {"start": _time(quiet_start).strftime("%H:%M"), "end": _time(quiet_end).strftime("%H:%M")},
        ATTEMPTS_KEY: int(max_attempts),
        BACKOFF_KEY: int(retry_base_minutes),
    }
    for key, value in new.items():
        row = LegalSetting.objects.select_for_update().filter(key=key).first()
        old = DEFAULTS[key] if row is None else row.value
        if old == value:
            continue
        if row is None:
            row = LegalSetting.objects.create(key=key, value=value, description=key)
        else:
            row.value = value
            row.save(update_fields=["value", "updated_at"])
        ledger_append(
            actor=actor,
            act="org.legal_setting_changed",
            obj=row,
            payload={"key": key, "old": old, "new": value},
        )
    return delivery_settings()


# --- rules ---------------------------------------------------------------------------------------


def _check_rule(*, offsets: list[int], channels: list[str], template_text: str, audience: str) -> None:
    errors: dict[str, list[str]] = {}
    if not offsets or any(not isinstance(o, int) or not 0 <= o <= 365 for o in offsets):
        errors["offsets"] = [_("Give one or more whole numbers of days between 0 and 365, e.g. 90, 30, 7.")]
    if not channels or any(c not in Channel.values for c in channels) or len(set(channels)) != len(channels):
        errors["channels"] = [_("Choose one or more channels, each once, in the order to try them.")]
    if audience not in Audience.values:
        errors["audience"] = [_("Choose the party or the responsible officer.")]
    elif audience == Audience.OFFICER and channels and channels != [Channel.EMAIL]:
        errors["channels"] = [_("Officers are reminded by e-mail only.")]
    unknown = sorted(set(re.findall(r"\{(\w+)\}", template_text or "")) - set(PLACEHOLDERS))
    if not (template_text or "").strip():
        errors["template_text"] = [_("Write the text of the reminder.")]
    elif unknown:
        errors["template_text"] = [
            _("Unknown placeholders %(names)s; use only %(allowed)s.")
            % {
                "names": "、".join(f"{{{n}}}" for n in unknown),
                "allowed": "、".join(f"{{{n}}}" for n in PLACEHOLDERS),
            }
        ]
    if errors:
        raise ValidationFailed(
            _("The reminder rule was not saved: correct the fields listed."), field_errors=errors
        )


def rule_update(
    *,
    actor: Any,
    rule: ReminderRule,
    version: int,
    name: str,
    offsets: list[int],
    audience: str,
    channels: list[str],
    template_text: str,
    active: bool,
) -> ReminderRule:
    """Change a rule; refused when someone else changed it since `version` was read."""
    policies.ensure(actor, "manage_rules")  # before the transaction: a denial stays in the ledger
    with transaction.atomic():
        return _rule_update(
            actor=actor,
            rule=rule,
            version=version,
            name=name,
            offsets=offsets,
            audience=audience,
            channels=channels,
            template_text=template_text,
            active=active,
        )


def _rule_update(
    *,
    actor: Any,
    rule: ReminderRule,
    version: int,
    name: str,
    offsets: list[int],
    audience: str,
    channels: list[str],
    template_text: str,
    active: bool,
) -> ReminderRule:
    rule = ReminderRule.objects.select_for_update().get(pk=rule.pk)
    if rule.version != version:
        raise Conflict(
            _(
                "Someone else changed this rule while you were editing it; reload it, check their change "
                "and apply yours again."
            ),
            code="reminder_rule_changed",
        )
    offsets = sorted({int(o) for o in offsets}, reverse=True)
    _check_rule(offsets=offsets, channels=channels, template_text=template_text, audience=audience)
    fields = ("name", "offsets", "audience", "channels", "template_text", "active")
    old = {f: getattr(rule, f) for f in fields}
    new = {
        "name": name.strip()[:120] or rule.name,
        "offsets": offsets,
        "audience": audience,
        "channels": list(channels),
        "template_text": template_text.strip(),
        "active": bool(active),
    }
    if old == new:
        return rule
    for f, v in new.items():
        setattr(rule, f, v)
    rule.version += 1
    rule.save()
    ledger_append(
        actor=actor,
        act="reminder.rule_changed",
        obj=rule,
        payload={"code": rule.code, "old": old, "new": new, "version": rule.version},
    )
    return rule


# --- the scan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    today: dt.date
    created: int

    def as_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "created": self.created}


SCAN_LOCK_KEY = 0x7A68_7265  # "zhre": serialises scans on PostgreSQL


def reminders_scan(*, today: dt.date | None = None, now: dt.datetime | None = None) -> ScanResult:
    """Create the reminders now due: for each active rule and each of its days-before `o`
    (descending o1 > o2 > … > on), the running deadlines of the rule's kind whose due date lies in
    the window of `o` — (today + next smaller o, today + o] — so a deadline started late gets only
    the reminder of its current window, and a missed day is caught up by the next scan."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK_KEY])
        for rule in ReminderRule.objects.filter(active=True).order_by("pk"):
            offsets = rule.offsets_desc()
            for i, days in enumerate(offsets):
                lower = today + dt.timedelta(days=offsets[i + 1]) if i + 1 < len(offsets) else None
                created += _insert(
                    rule, days, upper=today + dt.timedelta(days=days), lower=lower, today=today, now=now
                )
        ledger_append(
            actor=None, act="reminder.scan", payload={"today": today.isoformat(), "created": created}
        )
    return ScanResult(today, created)


def kind_match(deadline_kind: str) -> tuple[str, str]:
    """The SQL test of a rule's deadline kind: exact, or a family of numbered kinds when the rule's
    kind ends in ".*" — e.g. "cases.order.*" matches the deadlines of every order of a decision
    ("cases.order.1", "cases.order.2", … opened by cases.workflow.execution on delivery)."""
    if deadline_kind.endswith(".*"):
        prefix = deadline_kind[:-1]
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return "LIKE %s ESCAPE '\\'", escaped + "%"
    return "= %s", deadline_kind


def _insert(
    rule: ReminderRule, days: int, *, upper: dt.date, lower: dt.date | None, today: dt.date, now: dt.datetime
) -> int:
    qn = connection.ops.quote_name
    r = {f.name: qn(str(f.column)) for f in Reminder._meta.concrete_fields}
    d = {f.name: qn(str(f.column)) for f in Deadline._meta.concrete_fields}
    ts = connection.ops.adapt_datetimefield_value(now)
    ts_sql = "%s"
    if connection.vendor == "postgresql":
        ts_sql = "CAST(%s AS timestamp with time zone)"
    empty = ("recipient_name", "email", "phone", "address", "reference", "access_code", "text", "channel")
    kind_sql, kind_param = kind_match(rule.deadline_kind)
    columns = [
        "created_at",
        "updated_at",
        "rule",
        "deadline",
        "days_before",
        "agency_id",
        "due_date",
        "status",
        "attempts",
        "next_attempt_at",
        *empty,
    ]
    sql = (
        f"INSERT INTO {qn(Reminder._meta.db_table)} ({', '.join(r[c] for c in columns)}) "
        f"SELECT {ts_sql}, {ts_sql}, CAST(%s AS BIGINT), d.{d['id']}, CAST(%s AS INTEGER), "
        f"d.{d['agency_id']}, "
        f"d.{d['due_date']}, %s, 0, {ts_sql}, {', '.join(['%s'] * len(empty))} "
        f"FROM {qn(Deadline._meta.db_table)} d "
        f"WHERE d.{d['kind']} {kind_sql} AND d.{d['status']} IN (%s, %s) "
        f"AND d.{d['due_date']} <= %s AND d.{d['due_date']} {'>' if lower else '>='} %s "
        "ON CONFLICT DO NOTHING"
    )
    params: list[Any] = [
        ts,
        ts,
        rule.pk,
        days,
        RS.QUEUED,
        ts,
        *([""] * len(empty)),
        kind_param,
        *ACTIVE_DEADLINES,
        upper,
        lower or today,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(int(cursor.rowcount), 0)


# --- sending -------------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    tasks: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    quiet: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _move(
    reminder: Reminder, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    if to not in TRANSITIONS[reminder.status]:
        raise Conflict(
            _("A reminder that is %(from)s cannot become %(to)s.")
            % {"from": RS(reminder.status).label, "to": RS(to).label},
            code="reminder_transition_refused",
        )
    old = reminder.status
    reminder.status = to
    reminder.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=reminder,
        agency_id=reminder.agency_id,
        payload={"from": old, "to": to, "channel": reminder.channel, **(payload or {})},
    )


def new_access_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def portal_link(reminder: Reminder) -> str:
    query = urlencode({"ref": reminder.reference, "code": reminder.access_code})
    return ch.public_url(reverse("reminders_public:lookup")) + "?" + query


def render_text(template: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def _prepare(reminder: Reminder, deadline: Deadline) -> Contact:
    """First attempt: resolve the recipient, give the reminder its code and its text."""
    if reminder.rule.audience == Audience.OFFICER:
        contact = officer_contact(deadline.responsible)
    else:
        subject = ContentType.objects.get_for_id(deadline.subject_type_id)
        contact = party_contact(
            subject_label=f"{subject.app_label}.{subject.model}", subject_id=deadline.subject_id
        )
    reminder.recipient_name = contact.name
    reminder.email, reminder.phone, reminder.address = contact.email, contact.phone, contact.address
    reminder.reference = contact.reference or f"{deadline.subject_id}"
    reminder.access_code = new_access_code()
    from org.selectors import agency_label

    try:
        agency = agency_label(reminder.agency_id)["name"]
    except Exception:
        agency = ""
    values = {
        "name": contact.name or _("party"),
        "title": deadline.title,
        "due_date": deadline.due_date.strftime("%Y年%m月%d日"),
        "days": (deadline.due_date - timezone.localdate()).days,
        "reference": reminder.reference,
        "code": reminder.access_code,
        "link": portal_link(reminder),
        "agency": agency,
    }
    reminder.text = render_text(reminder.rule.template_text, values)
    return contact


def _pick_channel(reminder: Reminder, adapters: dict[str, ch.Adapter], after: str = "") -> str:
    order = [c for c in reminder.rule.channels if c in adapters]
    if after in order:
        order = order[order.index(after) + 1 :]
    return next((c for c in order if adapters[c].available(reminder)), "")


def _task(reminder: Reminder, kind: str, deadline: Deadline) -> ReminderTask:
    assignee = deadline.responsible
    if assignee is None:
        from org.selectors import agency_heads

        assignee = agency_heads(agency_id=reminder.agency_id).order_by("pk").first()
    task, _created = ReminderTask.objects.get_or_create(
        reminder=reminder, kind=kind, defaults={"agency_id": reminder.agency_id, "assignee": assignee}
    )
    return task


def _subject(reminder: Reminder) -> str:
    return _("[Reminder] %(title)s") % {"title": reminder.deadline.title}


def _attempt(
    reminder: Reminder,
    adapters: dict[str, ch.Adapter],
    now: dt.datetime,
    conf: DeliverySettings,
    result: SendResult,
) -> None:
    deadline = reminder.deadline
    if deadline.status not in (*ACTIVE_DEADLINES, Deadline.Status.OVERDUE):
        _move(
            reminder,
            to=RS.CANCELLED,
            actor=None,
            act="reminder.cancelled",
            payload={"reason": f"deadline {deadline.status}"},
        )
        result.cancelled += 1
        return
    if not reminder.channel:
        _prepare(reminder, deadline)
        reminder.channel = _pick_channel(reminder, adapters)
        if not reminder.channel:
            Delivery.objects.create(
                reminder=reminder,
                attempt=1,
                channel=Channel.PHONE,
                status=DeliveryStatus.FAILED,
                detail=_("no contact channel"),
            )
            _task(reminder, TaskKind.NO_CONTACT, deadline)
            _move(reminder, to=RS.TASK, actor=None, act="reminder.no_contact")
            result.tasks += 1
            return
    reminder.attempts += 1
    adapter = adapters[reminder.channel]
    outcome = adapter.send(reminder, attempt=reminder.attempts, subject=_subject(reminder))
    if outcome.ok and outcome.task:
        Delivery.objects.create(
            reminder=reminder,
            attempt=reminder.attempts,
            channel=reminder.channel,
            status=DeliveryStatus.SENT,
            detail=outcome.detail,
        )
        kind = TaskKind.LETTER if reminder.channel == Channel.LETTER else TaskKind.PHONE_CALL
        _task(reminder, kind, deadline)
        _move(reminder, to=RS.TASK, actor=None, act="reminder.task")
        result.tasks += 1
        return
    if outcome.ok:
        Delivery.objects.create(
            reminder=reminder,
            attempt=reminder.attempts,
            channel=reminder.channel,
            status=DeliveryStatus.SENT,
            detail=outcome.detail,
            provider_id=outcome.provider_id,
        )
        _move(reminder, to=RS.SENT, actor=None, act="reminder.sent", payload={"attempt": reminder.attempts})
        result.sent += 1
        return
    if reminder.attempts < conf.max_attempts:
        Delivery.objects.create(
            reminder=reminder,
            attempt=reminder.attempts,
            channel=reminder.channel,
            status=DeliveryStatus.RETRY,
            detail=outcome.detail[:300],
        )
        wait = conf.retry_base_minutes * 2 ** (reminder.attempts - 1)
        reminder.next_attempt_at = now + dt.timedelta(minutes=wait)
        _move(
            reminder,
            to=RS.QUEUED,
            actor=None,
            act="reminder.retry",
            payload={
                "attempt": reminder.attempts,
                "reason": outcome.detail[:300],
                "next_attempt_at": reminder.next_attempt_at.isoformat(),
            },
        )
        result.retried += 1
        return
    Delivery.objects.create(
        reminder=reminder,
        attempt=reminder.attempts,
        channel=reminder.channel,
        status=DeliveryStatus.FAILED,
        detail=outcome.detail[:300],
    )
    following = _pick_channel(reminder, adapters, after=reminder.channel)
    if following:
        old_channel = reminder.channel
        reminder.channel, reminder.attempts, reminder.next_attempt_at = following, 0, now
        _move(
            reminder,
            to=RS.QUEUED,
            actor=None,
            act="reminder.channel_changed",
            payload={"from_channel": old_channel, "reason": outcome.detail[:300]},
        )
        result.retried += 1
        return
    _task(reminder, TaskKind.DELIVERY_FAILED, deadline)
    _move(
        reminder,
        to=RS.FAILED,
        actor=None,
        act="reminder.failed",
        payload={"attempts": reminder.attempts, "reason": outcome.detail[:300]},
    )
    result.failed += 1


def reminders_send(
    *, now: dt.datetime | None = None, limit: int = 1000, adapters: dict[str, ch.Adapter] | None = None
) -> SendResult:
    """Attempt the queued reminders whose time has come (at most `limit`), outside quiet hours."""
    now = now or timezone.now()
    conf = delivery_settings()
    result = SendResult()
    if conf.quiet(now):
        result.quiet = True
        return result
    adapters = adapters or ch.adapters()
    ids = list(
        Reminder.objects.filter(status=RS.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    try:
        for pk in ids:
            with transaction.atomic():
                qs = Reminder.objects.select_related("rule", "deadline", "deadline__responsible")
                if connection.features.has_select_for_update_skip_locked:
                    qs = qs.select_for_update(skip_locked=True, of=("self",))
                reminder = qs.filter(pk=pk, status=RS.QUEUED, next_attempt_at__lte=now).first()
                if reminder is None:  # another worker has it, or it was attempted meanwhile
                    continue
                _attempt(reminder, adapters, now, conf, result)
    finally:
        for adapter in adapters.values():
            close = getattr(adapter, "close", None)
            if close is not None:
                close()
    return result


def reminders_run(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The periodic job: scan, then send what is due."""
    scan = reminders_scan(today=today, now=now)
    sent = reminders_send(now=now)
    notices = notifications_send(now=now)
    return {**scan.as_dict(), **sent.as_dict(), "notifications": notices}


# --- officers' work and delivery reports ---------------------------------------------------------


def task_record(*, actor: Any, task: ReminderTask, outcome: str, note: str) -> ReminderTask:
    """The officer records what came of the call (or of reaching the party another way)."""
    policies.ensure(actor, "handle", task)
    with transaction.atomic():
        return _task_record(actor=actor, task=task, outcome=outcome, note=note)


def _task_record(*, actor: Any, task: ReminderTask, outcome: str, note: str) -> ReminderTask:
    task = ReminderTask.objects.select_for_update().select_related("reminder").get(pk=task.pk)
    policies.ensure(actor, "handle", task)
    if task.done_at is not None:
        raise Conflict(
            _("This task was already recorded as done; its outcome cannot be changed."),
            code="reminder_task_done",
        )
    if outcome not in TaskOutcome.values:
        raise ValidationFailed(
            _("Choose whether the party was reached."),
            field_errors={"outcome": [_("Choose whether the party was reached.")]},
        )
    if outcome == TaskOutcome.NOT_REACHED and not (note or "").strip():
        raise ValidationFailed(
            _("Say why the party could not be reached (e.g. number not in service, nobody at the address)."),
            field_errors={"note": [_("Say why the party could not be reached.")]},
        )
    task.outcome, task.note = outcome, (note or "").strip()
    task.done_at, task.done_by = timezone.now(), actor
    task.save()
    reminder = Reminder.objects.select_for_update().get(pk=task.reminder_id)
    attempt = reminder.deliveries.count() + 1
    channel = Channel.LETTER if task.kind == TaskKind.LETTER else Channel.PHONE
    if outcome == TaskOutcome.REACHED:
        Delivery.objects.create(
            reminder=reminder,
            attempt=attempt,
            channel=channel,
            status=DeliveryStatus.DELIVERED,
            detail=task.note[:300] or _("reached by an officer"),
        )
        if reminder.status != RS.DELIVERED:
            _move(
                reminder,
                to=RS.DELIVERED,
                actor=actor,
                act="reminder.delivered",
                payload={"task": task.pk, "note": task.note},
            )
    else:
        Delivery.objects.create(
            reminder=reminder,
            attempt=attempt,
            channel=channel,
            status=DeliveryStatus.FAILED,
            detail=task.note[:300],
        )
        if reminder.status in (RS.TASK, RS.QUEUED):
            _move(
                reminder,
                to=RS.FAILED,
                actor=actor,
                act="reminder.failed",
                payload={"task": task.pk, "reason": task.note},
            )
    ledger_append(
        actor=actor,
        act="reminder.task_done",
        obj=task,
        agency_id=task.agency_id,
        payload={"kind": task.kind, "outcome": outcome, "note": task.note},
    )
    return task


def task_handover(*, actor: Any, task: ReminderTask, officer_id: Any, reason: str) -> ReminderTaskHandover:
    """移交: the task goes to a named colleague of the reminder's agency, with the reason; the
    colleague answers for it from now on (首问负责, issue 8 §6). Logged as a hand-over row and the
    ledger act `reminder.task_handover`."""
    from org import selectors as org_selectors

    policies.ensure(actor, "handle", task)
    reason = " ".join((reason or "").split())[:500]
    try:
        pk = int(officer_id)
    except (TypeError, ValueError):
        pk = 0
    colleague = (
        org_selectors.visible_officers(None)
        .filter(agency_id=task.agency_id, active=True, pk=pk if 0 < pk < 2**62 else 0)
        .first()
    )
    errors: dict[str, list[str]] = {}
    if colleague is None:
        errors["officer"] = [_("Choose a named colleague of the reminder's agency.")]
    if not reason:
        errors["reason"] = [_("Say why the task is handed over (e.g. the colleague knows the party).")]
    if errors:
        raise ValidationFailed(
            _("The task was not handed over: correct the fields marked."), field_errors=errors, status=422
        )
    assert colleague is not None
    with transaction.atomic():
        locked = ReminderTask.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise Conflict(
                _("This task is already recorded as done; a done task is not handed over."),
                code="reminder_task_done",
            )
        if locked.assignee_id == colleague.user_id:
            raise ValidationFailed(
                _("%(name)s already has this task.") % {"name": colleague.name},
                field_errors={"officer": [_("Choose another officer.")]},
                status=422,
            )
        record = ReminderTaskHandover.objects.create(
            task=locked,
            from_user_id=locked.assignee_id,
            to_user_id=colleague.user_id,
            reason=reason,
            by=actor if getattr(actor, "pk", None) else None,
        )
        ledger_append(
            actor=actor,
            act="reminder.task_handover",
            obj=locked,
            agency_id=locked.agency_id,
            payload={
                "from": locked.assignee_id,
                "to": colleague.user_id,
                "to_name": colleague.name,
                "reason": reason,
            },
        )
        locked.assignee_id = colleague.user_id
        locked.save(update_fields=["assignee", "updated_at"])
    task.assignee_id = colleague.user_id
    return record


def letter_issue(*, actor: Any, task: ReminderTask) -> Any:
    """Issue the 提示书 of a letter task (see `_letter_issue`)."""
    policies.ensure(actor, "handle", task)
    with transaction.atomic():
        return _letter_issue(actor=actor, task=task)


def _letter_issue(*, actor: Any, task: ReminderTask) -> Any:
    """Issue the 提示书 of a letter task through the documents app (numbered, sealed, signed); the
    officer prints and posts it, then records the task. Idempotent per reminder."""
    from documents.services import document_issue
    from org.selectors import visible_agencies

    task = (
        ReminderTask.objects.select_for_update()
        .select_related("reminder", "reminder__deadline")
        .get(pk=task.pk)
    )
    policies.ensure(actor, "handle", task)
    reminder = task.reminder
    if task.kind != TaskKind.LETTER:
        raise Conflict(_("Only a letter task issues a 提示书."), code="reminder_not_letter")
    agency = visible_agencies(actor).filter(pk=reminder.agency_id).first()
    if agency is None:
        raise NotFound(_("The agency of this reminder is not among the agencies you act for."))
    deadline = reminder.deadline
    document = document_issue(
        actor=actor,
        kind=LETTER_KIND,
        context={
            "party_name": reminder.recipient_name or _("party"),
            "party_address": reminder.address,
            "matter": f"{deadline.title}（{reminder.reference}）",
            "content": [
                reminder.text,
                _(
                    "You can read your reminders on the portal with the number %(reference)s and the code "
                    "%(code)s."
                )
                % {"reference": reminder.reference, "code": reminder.access_code},
            ],
            "basis": deadline.legal_basis,
        },
        subject_type="reminders.reminder",
        subject_id=reminder.pk,
        agency=agency,
        key=f"reminder-{reminder.pk}",
    )
    if reminder.document_id != document.pk:
        reminder.document_id = document.pk
        reminder.save(update_fields=["document_id", "updated_at"])
        Delivery.objects.create(
            reminder=reminder,
            attempt=reminder.deliveries.count() + 1,
            channel=Channel.LETTER,
            status=DeliveryStatus.SENT,
            detail=_("提示书 %(number)s issued for posting") % {"number": document.number},
        )
        ledger_append(
            actor=actor,
            act="reminder.letter_issued",
            obj=reminder,
            agency_id=reminder.agency_id,
            payload={"document": document.pk, "number": document.number},
        )
    return document


def sms_report(*, body: bytes, signature: str) -> SmsMessage:
    """A delivery report from the SMS gateway, signed with the shared secret (HMAC-SHA256)."""
    import hmac
    import json

    if not ch.setting("ZHIFA_SMS_CALLBACK_SECRET") or not hmac.compare_digest(ch.sign(body), signature or ""):
        raise ValidationFailed(
            _("The delivery report's signature is wrong."), code="sms_signature", status=403
        )
    try:
        data = json.loads(body.decode())
        provider_id = str(data["message_id"])
        state = str(data["status"]).upper()
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            _("The delivery report is not valid JSON with message_id and status."), code="sms_report_invalid"
        ) from exc
    with transaction.atomic():
        sms = SmsMessage.objects.select_for_update().filter(provider_id=provider_id).first()
        if sms is None:
            raise NotFound(_("No SMS has this message id."), code="sms_unknown")
        if sms.reported_at is not None:  # a repeated report changes nothing
            return sms
        reason = str(data.get("reason") or state)
        delivered = state in {"DELIVRD", "DELIVERED"}
        sms.status = "delivered" if delivered else "undelivered"
        sms.report, sms.reported_at = data, timezone.now()
        sms.save(update_fields=["status", "report", "reported_at"])
        if sms.notification_id:
            sms_reported(
                notification_id=sms.notification_id,
                delivered=delivered,
                provider_id=provider_id,
                reason=reason,
            )
        reminder = (
            Reminder.objects.select_for_update().filter(pk=sms.reminder_id).first()
            if sms.reminder_id
            else None
        )
        if reminder is not None:
            Delivery.objects.create(
                reminder=reminder,
                attempt=reminder.attempts,
                channel=Channel.SMS,
                provider_id=provider_id,
                status=DeliveryStatus.DELIVERED if delivered else DeliveryStatus.FAILED,
                detail=str(data.get("reason") or state)[:300],
            )
            if reminder.status == RS.SENT:
                if delivered:
                    _move(
                        reminder,
                        to=RS.DELIVERED,
                        actor=None,
                        act="reminder.delivered",
                        payload={"provider_id": provider_id},
                    )
                else:
                    _task(reminder, TaskKind.DELIVERY_FAILED, reminder.deadline)
                    _move(
                        reminder,
                        to=RS.FAILED,
                        actor=None,
                        act="reminder.failed",
                        payload={"provider_id": provider_id, "reason": str(data.get("reason") or state)},
                    )
    return sms
