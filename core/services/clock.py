"""The clock: `Deadline` rows, their status transitions, recomputation and the daily scan.

A deadline is started by some act on some object (`deadline_start`), its due date computed on the
working-day calendar (core.services.calendar, LEGAL.md §7). Pauses (中止, e.g. a hearing or an
expert appraisal) extend it by the paused working or calendar days when they end. The daily
`deadlines_scan` marks deadlines due soon (到期预警) and overdue (超期) with set-based UPDATEs,
raises one `Alert` per deadline, recipient and level, and mails the recipients after commit.

Callers (domain services) have checked their own policies: starting, meeting or cancelling a
deadline is a consequence of a domain act, recorded here as a ledger act of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, mailers
from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import scoping
from core.errors import Conflict, ValidationFailed
from core.models import Alert, Deadline, DeadlinePause
from core.services.calendar import CalendarSnapshot, Reckoned, calendar_snapshot, months_later
from core.services.ledger import ledger_append

logger = logging.getLogger(__name__)

S = Deadline.Status
MAX_WARN_DAYS = 60
MAIL_LINES = 50
# (agency, responsible, recipient) rows per INSERT … SELECT of alerts (3 parameters each).
ALERT_KEYS_PER_INSERT = 500

# The one table of allowed status moves; `_move` is the only code that assigns a status to a
# single deadline, and the scan's set-based UPDATEs filter on the same table (`_sources`).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.DUE_SOON, S.OVERDUE, S.PAUSED, S.SATISFIED, S.CANCELLED}),
    S.DUE_SOON: frozenset({S.OPEN, S.OVERDUE, S.PAUSED, S.SATISFIED, S.CANCELLED}),
    S.OVERDUE: frozenset({S.OPEN, S.DUE_SOON, S.PAUSED, S.SATISFIED, S.CANCELLED}),
    S.PAUSED: frozenset({S.OPEN, S.DUE_SOON, S.OVERDUE, S.SATISFIED, S.CANCELLED}),
    S.SATISFIED: frozenset(),
    S.CANCELLED: frozenset(),
}
ACTIVE = (S.OPEN, S.DUE_SOON, S.OVERDUE, S.PAUSED)


def _sources(to: str) -> list[str]:
    return [s for s, targets in TRANSITIONS.items() if to in targets]


def _status_label(status: str) -> str:
    return str(S(status).label)


def _move(
    deadline: Deadline, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    """Change one deadline's status (saving it) and record the act; refuses moves not in TRANSITIONS."""
    if to not in TRANSITIONS[deadline.status]:
        raise Conflict(
            _(
                "A deadline that is %(from)s cannot become %(to)s. Allowed next states: %(allowed)s."
            )
            % {
                "from": _status_label(deadline.status),
                "to": _status_label(to),
                "allowed": "、".join(_status_label(s) for s in sorted(TRANSITIONS[deadline.status]))
                or _("none (the deadline is closed)"),
            },
            code="deadline_transition_refused",
        )
    old = deadline.status
    deadline.status = to
    deadline.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=deadline,
        agency_id=deadline.agency_id,
        payload={"from": old, "to": to, "due_date": deadline.due_date.isoformat(), **(payload or {})},
    )


# --- computing due dates -----------------------------------------------------------------------


def compute_due(
    snap: CalendarSnapshot,
    *,
    unit: str,
    amount: int,
    start: dt.date,
    pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> Reckoned:
    """The due date of a period of `amount` `unit`s from `start` (start day not counted), extended
    by every ended pause [started_on, ended_on) counted in the same unit (days for months)."""
    ended = [(s, e) for s, e in pauses if e is not None]
    provisional = False
    if unit == Deadline.Unit.WORKDAYS:
        extra = 0
        for s, e in ended:
            c = snap.workdays_between(s - dt.timedelta(days=1), e - dt.timedelta(days=1))
            extra += c.days
            provisional = provisional or c.provisional
        r = snap.add_workdays(start, amount + extra)
    elif unit == Deadline.Unit.CALENDAR_DAYS:
        r = snap.add_calendar_days(start, amount + sum((e - s).days for s, e in ended))
    elif unit == Deadline.Unit.MONTHS:
        snap.add_months(start, 0)  # range check of the start
        raw = months_later(start, amount) + dt.timedelta(days=sum((e - s).days for s, e in ended))
        r = snap.roll_forward(raw)
    else:
        raise ValidationFailed(
            _("Unknown unit %(unit)s: choose working days, calendar days or months.") % {"unit": unit},
            field_errors={"unit": [_("Choose working days, calendar days or months.")]},
        )
    return Reckoned(r.date, r.provisional or provisional)


def _classify(snap: CalendarSnapshot, *, due: dt.date, warn_days: int, today: dt.date) -> str:
    if due < today:
        return S.OVERDUE
    if due <= snap.add_workdays(today, warn_days).date:
        return S.DUE_SOON
    return S.OPEN


def _pauses(deadline: Deadline) -> list[tuple[dt.date, dt.date | None]]:
    return [(p.started_on, p.ended_on) for p in deadline.pauses.all()]


def _locked(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def deadline_start(
    *,
    actor: Any,
    subject: models.Model,
    agency_id: int,
    kind: str,
    title: str,
    legal_basis: str,
    unit: str,
    amount: int,
    start_date: dt.date,
    responsible: Any = None,
    warn_days: int = 2,
    today: dt.date | None = None,
) -> Deadline:
    """Start a time limit on `subject`; due date per LEGAL.md §7 (start day not counted)."""
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the deadline a title.")]
    if not isinstance(amount, int) or amount < 1:
        errors["amount"] = [_("The length of a period is a whole number of at least 1.")]
    if not isinstance(warn_days, int) or not 0 <= warn_days <= MAX_WARN_DAYS:
        errors["warn_days"] = [
            _("Warn between 0 and %(max)s working days before the due date.") % {"max": MAX_WARN_DAYS}
        ]
    if unit not in Deadline.Unit.values:
        errors["unit"] = [_("Choose working days, calendar days or months.")]
    if errors:
        raise ValidationFailed(
            _("The deadline was not started: correct the fields listed."), field_errors=errors
        )
    snap = calendar_snapshot()
    due = compute_due(snap, unit=unit, amount=amount, start=start_date)
    today = today or timezone.localdate()
    deadline = Deadline.objects.create(
        agency_id=agency_id,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        kind=kind[:80],
        title=title.strip()[:200],
        legal_basis=(legal_basis or "")[:200],
        unit=unit,
        amount=amount,
        start_date=start_date,
        due_date=due.date,
        provisional=due.provisional,
        warn_days=warn_days,
        responsible=responsible,
        status=_classify(snap, due=due.date, warn_days=warn_days, today=today),
    )
    ledger_append(
        actor=actor,
        act="deadline.started",
        obj=deadline,
        agency_id=agency_id,
        payload={
            "subject": [deadline.subject_type.app_label, deadline.subject_type.model, deadline.subject_id],
            "kind": deadline.kind,
            "title": deadline.title,
            "legal_basis": deadline.legal_basis,
            "unit": unit,
            "amount": amount,
            "start_date": start_date.isoformat(),
            "due_date": due.date.isoformat(),
            "provisional": due.provisional,
            "status": deadline.status,
            "responsible": getattr(responsible, "pk", None),
        },
    )
    return deadline


@transaction.atomic
def deadline_pause(*, actor: Any, deadline: Deadline, reason: str, on: dt.date) -> DeadlinePause:
    """Suspend a running deadline from `on` (中止); the paused days are added when it resumes."""
    deadline = _locked(deadline)
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Give the reason for the suspension (e.g. hearing, expert appraisal)."),
            field_errors={"reason": [_("Give the reason for the suspension.")]},
        )
    if on < deadline.start_date:
        raise ValidationFailed(
            _("A deadline cannot be suspended before it started on %(start)s.")
            % {"start": deadline.start_date.isoformat()},
            field_errors={"on": [_("Choose a day on or after the start date.")]},
        )
    pause = DeadlinePause.objects.create(deadline=deadline, reason=reason.strip()[:200], started_on=on)
    _move(deadline, to=S.PAUSED, actor=actor, act="deadline.paused",
          payload={"reason": pause.reason, "paused_from": on.isoformat()})
    return pause


@transaction.atomic
def deadline_resume(*, actor: Any, deadline: Deadline, on: dt.date, today: dt.date | None = None) -> Deadline:
    """End the current suspension on `on`: the due date moves by the paused days in its unit."""
    deadline = _locked(deadline)
    pause = deadline.pauses.select_for_update().filter(ended_on__isnull=True).order_by("-started_on").first()
    if deadline.status != S.PAUSED or pause is None:
        raise Conflict(
            _("Only a suspended deadline can be resumed; this one is %(status)s.")
            % {"status": _status_label(deadline.status)},
            code="deadline_not_paused",
        )
    if on < pause.started_on:
        raise ValidationFailed(
            _("A suspension cannot end (%(on)s) before it began (%(start)s).")
            % {"on": on.isoformat(), "start": pause.started_on.isoformat()},
            field_errors={"on": [_("Choose a day on or after the start of the suspension.")]},
        )
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    snap = calendar_snapshot()
    old_due = deadline.due_date
    due = compute_due(snap, unit=deadline.unit, amount=deadline.amount, start=deadline.start_date,
                      pauses=_pauses(deadline))
    deadline.due_date, deadline.provisional = due.date, due.provisional
    to = _classify(snap, due=due.date, warn_days=deadline.warn_days, today=today or timezone.localdate())
    _move(deadline, to=to, actor=actor, act="deadline.resumed",
          payload={"paused_from": pause.started_on.isoformat(), "resumed_on": on.isoformat(),
                   "old_due": old_due.isoformat(), "new_due": due.date.isoformat(),
                   "provisional": due.provisional})
    return deadline


@transaction.atomic
def deadline_satisfy(*, actor: Any, deadline: Deadline, by_act: str) -> Deadline:
    """Record that the act `by_act` met the deadline (late when after the due date)."""
    deadline = _locked(deadline)
    deadline.satisfied_by = (by_act or "")[:120]
    deadline.satisfied_at = timezone.now()
    late = timezone.localdate(deadline.satisfied_at) > deadline.due_date
    deadline.pauses.filter(ended_on__isnull=True).update(ended_on=timezone.localdate())
    _move(deadline, to=S.SATISFIED, actor=actor, act="deadline.satisfied",
          payload={"by_act": deadline.satisfied_by, "late": late})
    return deadline


@transaction.atomic
def deadline_cancel(*, actor: Any, deadline: Deadline, reason: str) -> Deadline:
    """Cancel a deadline whose proceedings ended otherwise (e.g. case withdrawn)."""
    deadline = _locked(deadline)
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Give the reason for cancelling the deadline."),
            field_errors={"reason": [_("Give the reason for cancelling the deadline.")]},
        )
    _move(deadline, to=S.CANCELLED, actor=actor, act="deadline.cancelled", payload={"reason": reason.strip()})
    return deadline


@transaction.atomic
def deadline_reassign(*, actor: Any, deadline: Deadline, responsible: Any) -> Deadline:
    """A new responsible user (e.g. after a hand-over, 首问负责); recorded with the old and the new."""
    deadline = _locked(deadline)
    old = deadline.responsible_id
    new = getattr(responsible, "pk", None)
    if old == new:
        return deadline
    deadline.responsible_id = new
    deadline.save(update_fields=["responsible", "updated_at"])
    ledger_append(actor=actor, act="deadline.reassigned", obj=deadline, agency_id=deadline.agency_id,
                  payload={"from": old, "to": new})
    return deadline


def deadlines_recompute(
    *,
    actor: Any,
    changed_days: Iterable[dt.date],
    years_now_official: Iterable[int] = (),
    today: dt.date | None = None,
) -> int:
    """Recompute every running deadline whose period touches a changed day, and every provisional
    one; each change of due date is a `deadline.recomputed` act. Returns how many changed."""
    changed = sorted(set(changed_days))
    cond = Q(provisional=True)
    if changed:
        cond |= Q(start_date__lt=changed[-1], due_date__gte=changed[0])
    snap = calendar_snapshot()
    today = today or timezone.localdate()
    n = 0
    with transaction.atomic():
        qs = Deadline.objects.select_for_update().filter(cond, status__in=ACTIVE).prefetch_related("pauses")
        for d in qs:
            due = compute_due(snap, unit=d.unit, amount=d.amount, start=d.start_date, pauses=_pauses(d))
            if due.date == d.due_date and due.provisional == d.provisional:
                continue
            old_due, old_prov = d.due_date, d.provisional
            d.due_date, d.provisional = due.date, due.provisional
            d.save(update_fields=["due_date", "provisional", "updated_at"])
            ledger_append(
                actor=actor,
                act="deadline.recomputed",
                obj=d,
                agency_id=d.agency_id,
                payload={"old_due": old_due.isoformat(), "new_due": due.date.isoformat(),
                         "old_provisional": old_prov, "new_provisional": due.provisional,
                         "changed_days": [c.isoformat() for c in changed][:400],
                         "years_now_official": list(years_now_official)},
            )
            if d.status != S.PAUSED:
                to = _classify(snap, due=d.due_date, warn_days=d.warn_days, today=today)
                if to != d.status:
                    _move(d, to=to, actor=actor, act="deadline.status_changed",
                          payload={"reason": "recomputed"})
            n += 1
    return n


# --- the daily scan ----------------------------------------------------------------------------


class ScanResult(NamedTuple):
    today: dt.date
    reopened: int
    overdue: int
    due_soon: int
    alerts: int


def deadlines_scan(*, today: dt.date | None = None) -> ScanResult:
    """Mark due-soon (within warn_days working days) and overdue deadlines, raise alerts to the
    responsible officer and the heads, and mail them after commit. Idempotent: a second run on
    the same day changes nothing and creates no alert."""
    today = today or timezone.localdate()
    snap = calendar_snapshot()
    horizon = {w: snap.add_workdays(today, w).date for w in range(MAX_WARN_DAYS + 1)}
    with transaction.atomic():
        _serialise_scans()
        live = Deadline.objects.filter(status__in=[S.DUE_SOON, S.OVERDUE])
        # A due date moved later (recomputation, resumed pause) brings a deadline back to open.
        reopened = live.filter(status=S.OVERDUE, due_date__gte=today).update(status=S.OPEN)
        ws = set(
            Deadline.objects.filter(status=S.DUE_SOON, due_date__gt=horizon[0])
            .order_by().values_list("warn_days", flat=True).distinct()
        )
        for w in ws:
            reopened += Deadline.objects.filter(
                status=S.DUE_SOON, warn_days=w, due_date__gt=horizon[min(w, MAX_WARN_DAYS)]
            ).update(status=S.OPEN)
        overdue = Deadline.objects.filter(status__in=_sources(S.OVERDUE), due_date__lt=today).exclude(
            status=S.PAUSED
        ).update(status=S.OVERDUE)
        due_soon = 0
        ws = set(
            Deadline.objects.filter(status=S.OPEN, due_date__gte=today, due_date__lte=horizon[MAX_WARN_DAYS])
            .order_by().values_list("warn_days", flat=True).distinct()
        )
        for w in sorted(ws):
            due_soon += Deadline.objects.filter(
                status=S.OPEN, warn_days=w, due_date__gte=today, due_date__lte=horizon[min(w, MAX_WARN_DAYS)]
            ).update(status=S.DUE_SOON)
        alerts = _raise_alerts()
        ledger_append(
            actor=None,
            act="deadline.scan",
            payload={"today": today.isoformat(), "reopened": reopened, "overdue": overdue,
                     "due_soon": due_soon, "alerts": alerts},
        )
        transaction.on_commit(alerts_mail_pending)
    return ScanResult(today, reopened, overdue, due_soon, alerts)


# Any constant: the key of the transaction-level advisory lock that serialises scans on PostgreSQL.
SCAN_LOCK_KEY = 0x7A68_6966  # "zhif"


def _serialise_scans() -> None:
    """Two scans at once (crontask on two hosts, or a manual `zhifa deadlines scan` during the
    nightly one) would both read the same deadlines before either marks them, and both mail the
    digest. On PostgreSQL the second waits here for the first to commit; SQLite already serialises
    writers (`transaction_mode=IMMEDIATE`)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK_KEY])


def _raise_alerts() -> int:
    """One Alert per deadline, recipient and level for deadlines whose level was not raised yet.

    Set-based: the recipients are resolved once per (agency, responsible officer) through
    `core.scoping.alert_recipients`, then INSERT … SELECT statements join the deadlines needing an
    alert to a VALUES list of (agency, responsible, recipient). The unique constraint (deadline,
    recipient, level) with ON CONFLICT DO NOTHING keeps the scan idempotent."""
    # Two equality filters (not one OR, not a NOT) so that each uses the (status, alert_level) index.
    needs = (
        (Q(status=S.DUE_SOON, alert_level=""), S.DUE_SOON, ("",)),
        (Q(status=S.OVERDUE, alert_level__in=["", S.DUE_SOON]), S.OVERDUE, ("", S.DUE_SOON)),
    )
    keys: set[tuple[int, int | None]] = set()
    for need, _status, _levels in needs:
        # Plain rows, distinct in Python: a DISTINCT lets SQLite's planner prefer the agency index.
        keys.update(Deadline.objects.filter(need).order_by().values_list("agency_id", "responsible_id"))
    if not keys:
        return 0
    users = get_user_model()._default_manager.in_bulk({r for _a, r in keys if r is not None})
    targets: list[tuple[int, int, int]] = []  # (agency, responsible or 0, recipient)
    for agency_id, responsible_id in sorted(keys, key=lambda k: (k[0], k[1] or 0)):
        found = scoping.alert_recipients(agency_id=agency_id, responsible=users.get(responsible_id))
        for uid in sorted({u.pk for u in found if u is not None and u.pk is not None}):
            targets.append((agency_id, responsible_id or 0, uid))
    created = 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for i in range(0, len(targets), ALERT_KEYS_PER_INSERT):
        for _need, status, levels in needs:
            created += _insert_alerts(targets[i:i + ALERT_KEYS_PER_INSERT], status=status,
                                      levels=levels, now=now)
    for need, status, _levels in needs:
        Deadline.objects.filter(need).update(alert_level=status)
    return created


def _insert_alerts(
    targets: list[tuple[int, int, int]], *, status: str, levels: tuple[str, ...], now: Any
) -> int:
    """INSERT … SELECT one alert of level `status` per target recipient for the deadlines in
    `status` whose alert_level is one of `levels` and whose (agency, responsible or 0) is in
    `targets`; returns the rows inserted (existing alerts are skipped by the unique constraint)."""
    if not targets:
        return 0
    qn = connection.ops.quote_name
    a = {f.name: qn(str(f.column)) for f in Alert._meta.concrete_fields}
    d = {f.name: qn(str(f.column)) for f in Deadline._meta.concrete_fields}
    row = "(CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS BIGINT))"
    # Typed on PostgreSQL (a bare parameter in a SELECT list would be text under server-side
    # binding); SQLite stores the adapted text as is (a CAST to its DATETIME affinity would not).
    now_sql = "%s"
    if connection.vendor == "postgresql":
        now_sql = f"CAST(%s AS {Alert._meta.get_field('created_at').db_type(connection)})"
    sql = (
        # WITH after INSERT: Python's sqlite3 reports rowcount only for statements that begin so.
        f"INSERT INTO {qn(Alert._meta.db_table)} "
        f"({a['deadline']}, {a['recipient']}, {a['level']}, {a['created_at']}, {a['emailed_at']}, "
        f"{a['read_at']}) "
        f"WITH r (agency_id, responsible_id, recipient_id) AS (VALUES {', '.join([row] * len(targets))}) "
        f"SELECT d.{d['id']}, r.recipient_id, %s, {now_sql}, NULL, NULL "
        # CROSS JOIN: SQLite keeps the deadlines (via the status/alert_level index) as the outer
        # loop and indexes the small VALUES list; PostgreSQL plans it as an inner join.
        f"FROM {qn(Deadline._meta.db_table)} d CROSS JOIN r "
        f"WHERE d.{d['status']} = %s AND d.{d['alert_level']} IN ({', '.join(['%s'] * len(levels))}) "
        f"AND r.agency_id = d.{d['agency_id']} AND r.responsible_id = COALESCE(d.{d['responsible']}, 0) "
        "ON CONFLICT DO NOTHING"
    )
    params: list[Any] = [v for t in targets for v in t]
    params += [status, now, status, *levels]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return max(int(cur.rowcount), 0)


def alerts_mail_pending() -> int:
    """Mail every recipient one digest of their alerts not mailed yet; marks them `emailed_at`.
    Runs after commit; a failed send leaves the alerts unmarked for the next scan.

    The digest needs per recipient only the counts by level and the first MAIL_LINES alerts by
    due date: both are read set-based (GROUP BY, ROW_NUMBER), not every pending alert."""
    last_id = Alert.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    pending = Alert.objects.filter(emailed_at__isnull=True, pk__lte=last_id).exclude(recipient__email="")
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    emails: dict[int, str] = {}
    for uid, email, level, n in (
        pending.order_by().values_list("recipient_id", "recipient__email", "level").annotate(n=Count("pk"))
    ):
        counts[uid][level] += n
        emails[uid] = email
    if not emails:
        return 0
    first = (
        pending.annotate(
            rank=Window(RowNumber(), partition_by=[F("recipient_id")],
                        order_by=[F("deadline__due_date").asc(), F("pk").asc()])
        )
        .filter(rank__lte=MAIL_LINES)
        .values_list("recipient_id", "level", "deadline__title", "deadline__due_date",
                     "deadline__provisional")
        .order_by("recipient_id", "deadline__due_date", "pk")
    )
    by_user: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for uid, level, title, due, prov in first:
        by_user[uid].append((level, title, due, prov))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        messages: list[tuple[int, EmailMessage]] = []
        for uid in sorted(emails):
            over = counts[uid][S.OVERDUE]
            total = sum(counts[uid].values())
            subject = _("[Deadline alert] %(overdue)s overdue, %(soon)s due soon") % {
                "overdue": over, "soon": total - over}
            lines = [_("The following deadlines need your attention:"), ""]
            for level, title, due, prov in by_user[uid][:MAIL_LINES]:
                lines.append(
                    _("%(level)s: %(title)s — due %(due)s%(prov)s")
                    % {"level": Alert.Level(level).label, "title": title, "due": due.isoformat(),
                       "prov": _(" (provisional)") if prov else ""}
                )
            if total > MAIL_LINES:
                lines.append(_("… and %(n)s more; see your to-do list.") % {"n": total - MAIL_LINES})
            message = EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [emails[uid]])
            messages.append((uid, message))
    try:
        mailer = mailers["default"]
        with mailer:
            for uid, message in messages:
                mailer.send_messages([message])
                Alert.objects.filter(recipient_id=uid, emailed_at__isnull=True, pk__lte=last_id).update(
                    emailed_at=timezone.now()
                )
                sent += 1
    except OSError as exc:
        logger.warning("deadline alert mail failed after %s messages: %s", sent, exc)
    return sent
