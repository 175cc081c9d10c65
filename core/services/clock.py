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
from django.db import models, transaction
from django.db.models import Q
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


def _raise_alerts() -> int:
    """One Alert per deadline, recipient and level for deadlines whose level was not raised yet."""
    # Two equality filters (not one OR, not a NOT) so that each uses the (status, alert_level) index.
    need_soon = Q(status=S.DUE_SOON, alert_level="")
    need_over = Q(status=S.OVERDUE, alert_level__in=["", S.DUE_SOON])
    fields = ("id", "agency_id", "responsible_id", "status")
    rows = list(Deadline.objects.filter(need_soon).order_by().values_list(*fields))
    rows += list(Deadline.objects.filter(need_over).order_by().values_list(*fields))
    if not rows:
        return 0
    users = get_user_model()._default_manager.in_bulk({r[2] for r in rows if r[2] is not None})
    recipients: dict[tuple[int, int | None], list[int]] = {}
    created = 0
    batch: list[Alert] = []
    for pk, agency_id, responsible_id, status in rows:
        key = (agency_id, responsible_id)
        if key not in recipients:
            found = scoping.alert_recipients(agency_id=agency_id, responsible=users.get(responsible_id))
            recipients[key] = sorted({u.pk for u in found if u is not None})
        for uid in recipients[key]:
            batch.append(Alert(deadline_id=pk, recipient_id=uid, level=status))
        if len(batch) >= 5000:
            created += len(Alert.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Alert.objects.bulk_create(batch, ignore_conflicts=True))
    Deadline.objects.filter(need_soon).update(alert_level=S.DUE_SOON)
    Deadline.objects.filter(need_over).update(alert_level=S.OVERDUE)
    return created


def alerts_mail_pending() -> int:
    """Mail every recipient one digest of their alerts not mailed yet; marks them `emailed_at`.
    Runs after commit; a failed send leaves the alerts unmarked for the next scan."""
    last_id = Alert.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    pending = (
        Alert.objects.filter(emailed_at__isnull=True, pk__lte=last_id)
        .exclude(recipient__email="")
        .values_list("id", "recipient_id", "recipient__email", "level", "deadline__title",
                     "deadline__due_date", "deadline__provisional")
        .order_by("recipient_id", "deadline__due_date")
    )
    by_user: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    emails: dict[int, str] = {}
    for aid, uid, email, level, title, due, prov in pending.iterator(chunk_size=5000):
        by_user[uid].append((aid, level, title, due, prov))
        emails[uid] = email
    if not by_user:
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        messages: list[tuple[int, list[int], EmailMessage]] = []
        for uid, items in by_user.items():
            over = sum(1 for i in items if i[1] == S.OVERDUE)
            soon = len(items) - over
            subject = _("[Deadline alert] %(overdue)s overdue, %(soon)s due soon") % {
                "overdue": over, "soon": soon}
            lines = [_("The following deadlines need your attention:"), ""]
            for _aid, level, title, due, prov in items[:MAIL_LINES]:
                lines.append(
                    _("%(level)s: %(title)s — due %(due)s%(prov)s")
                    % {"level": Alert.Level(level).label, "title": title, "due": due.isoformat(),
                       "prov": _(" (provisional)") if prov else ""}
                )
            if len(items) > MAIL_LINES:
                lines.append(_("… and %(n)s more; see your to-do list.") % {"n": len(items) - MAIL_LINES})
            message = EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [emails[uid]])
            messages.append((uid, [i[0] for i in items], message))
    try:
        connection = mailers["default"]
        with connection:
            for uid, _ids, message in messages:
                connection.send_messages([message])
                Alert.objects.filter(recipient_id=uid, emailed_at__isnull=True, pk__lte=last_id).update(
                    emailed_at=timezone.now()
                )
                sent += 1
    except OSError as exc:
        logger.warning("deadline alert mail failed after %s messages: %s", sent, exc)
    return sent
