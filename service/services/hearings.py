"""Hearings on licence applications (听证, 行政许可法 Arts.46–48), each step a record on the clock.

    notified ──(request within 5 days of the notice, Art.47)──▶ requested ──▶ scheduled ──▶ held
    notified ──(not requested, or renounced in writing)──▶ waived

- notify: a sealed 行政许可听证告知书 tells the applicant of the right; `service.hearing_request`
  (5 working days, Art.82) starts;
- request: recorded by the officer; the decision time limit stops (Art.45: the hearing's time is not
  counted) and `service.hearing_hold` (held within 20 working days, Art.47) starts;
- schedule: the 听证通知书 gives time and place at least 7 working days before (Art.48(1)); the
  presiding officer is not the one who examined the application (Art.48(3));
- record: the hearing record (听证笔录, Art.48(5)); the decision clock runs again and the decision is
  taken on the record (Art.48 para.2).
Statuses change only through `_move_hearing` and HEARING_TRANSITIONS; the figures are LegalSettings.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from core.models import Deadline
from core.services.calendar import calendar_snapshot
from core.services.clock import deadline_cancel, deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from service import policies, selectors
from service.models import Application, AppStatus, Hearing, HearingStatus
from service.services.applications import (
    _issue_document,
    _locked,
    application_pause,
    application_resume,
    clean_text,
)

H = HearingStatus
HEARING_TRANSITIONS: dict[str, frozenset[str]] = {
    H.NOTIFIED: frozenset({H.REQUESTED, H.WAIVED}),
    H.REQUESTED: frozenset({H.SCHEDULED}),
    H.SCHEDULED: frozenset({H.HELD}),
    H.WAIVED: frozenset(),
    H.HELD: frozenset(),
}
OPEN_HEARING = (H.NOTIFIED, H.REQUESTED, H.SCHEDULED)
REQUEST = "service.hearing_request"
HOLD = "service.hearing_hold"
BASIS_47 = "《行政许可法》第47条"
PAUSE_REASON = "听证（《行政许可法》第45条、第47条）"

REQUEST_WORKDAYS = ("service.hearing_request_workdays", 5)
HOLD_WORKDAYS = ("service.hearing_hold_workdays", 20)
NOTICE_WORKDAYS = ("service.hearing_notice_workdays", 7)


def _move_hearing(
    hearing: Hearing, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    """The only code that changes a hearing's status; refuses moves not in HEARING_TRANSITIONS."""
    if to not in HEARING_TRANSITIONS[hearing.status]:
        allowed = "、".join(str(H(s).label) for s in sorted(HEARING_TRANSITIONS[hearing.status]))
        raise Conflict(
            _("A hearing whose status is “%(from)s” cannot become “%(to)s”. Allowed next steps: %(allowed)s.")
            % {"from": H(hearing.status).label, "to": H(to).label, "allowed": allowed or _("none")},
            code="hearing_transition_refused",
        )
    old = hearing.status
    hearing.status = to
    hearing.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=hearing,
        agency_id=hearing.agency_id,
        payload={"from": old, "to": to, "application": hearing.application_id, **(payload or {})},
    )


def _locked_hearing(hearing: Hearing) -> Hearing:
    return Hearing.objects.select_for_update(of=("self",)).select_related("application").get(pk=hearing.pk)


def _open(hearing: Hearing, kind: str) -> list[Deadline]:
    return list(selectors.subject_deadlines(hearing, kind=kind, open_only=True))


def hearing_notify_right(
    *, actor: Any, application: Application, reason: str, today: datetime.date | None = None
) -> Hearing:
    """告知听证权利: the licence directly concerns major interests of the applicant or others (Art.47);
    the applicant is told in writing and has 5 days to request a hearing."""
    policies.ensure(actor, "handle", application)
    today = today or timezone.localdate()
    reason = clean_text(reason, 300)
    if not reason:
        raise ValidationFailed(
            _(
                "Say why the licence calls for a hearing "
                "(e.g. it directly concerns major interests of others)."
            ),
            field_errors={"hearing_reason": [_("Give the reason.")]},
            status=422,
        )
    days = selectors.setting(REQUEST_WORKDAYS)
    with transaction.atomic():
        app = _locked(application)
        if app.status != AppStatus.ACCEPTED:
            raise Conflict(
                _(
                    "The right to a hearing is notified while an accepted application is examined; "
                    "this one is %(s)s."
                )
                % {"s": AppStatus(app.status).label},
                code="hearing_not_examining",
            )
        if Hearing.objects.filter(application=app, status__in=OPEN_HEARING).exists():
            raise Conflict(
                _("A hearing on this application is already under way: continue it instead."),
                code="hearing_open",
            )
        hearing = Hearing.objects.create(
            application=app, agency_id=app.agency_id, reason=reason, notified_on=today
        )
        ledger_append(
            actor=actor,
            act="hearing.notify",
            obj=hearing,
            agency_id=hearing.agency_id,
            payload={"application": app.pk, "reason": reason, "notified_on": today.isoformat()},
        )
        limit = deadline_start(
            actor=actor,
            subject=hearing,
            agency_id=app.agency_id,
            kind=REQUEST,
            title="听证申请期限",
            legal_basis=BASIS_47,
            unit=Deadline.Unit.WORKDAYS,
            amount=days,
            start_date=today,
            responsible=app.owner.user if app.owner else None,
            warn_days=1,
            today=today,
        )
        _issue_document(
            app,
            actor=actor,
            kind="licence_hearing_right",
            on=today,
            hearing_reason=reason,
            request_days=days,
            request_due=limit.due_date,
        )
    return hearing


def hearing_request(
    *, actor: Any, hearing: Hearing, requested_by: str, on: datetime.date | None = None
) -> Hearing:
    """听证申请: recorded when made within the 5 days (Art.47); the decision clock stops (Art.45) and
    the hearing must be held within 20 days."""
    policies.ensure(actor, "handle", hearing.application)
    on = on or timezone.localdate()
    requested_by = clean_text(requested_by, 200)
    if not requested_by:
        raise ValidationFailed(
            _("Say who requested the hearing (the applicant or an interested party)."),
            field_errors={"requested_by": [_("Give the name.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked_hearing(hearing)
        limit = next(iter(_open(locked, REQUEST)), None)
        if locked.status == H.NOTIFIED and limit is not None and on > limit.due_date:
            raise Conflict(
                _(
                    "The request came after %(due)s, the last of the %(days)d days after the notice "
                    "(行政许可法 Art.47): record the hearing as not requested."
                )
                % {"due": limit.due_date.isoformat(), "days": limit.amount},
                code="hearing_request_late",
            )
        locked.requested_on, locked.requested_by = on, requested_by
        _move_hearing(
            locked, to=H.REQUESTED, actor=actor, act="hearing.request", payload={"by": requested_by}
        )
        for deadline in _open(locked, REQUEST):
            deadline_satisfy(actor=actor, deadline=deadline, by_act="hearing.request")
        app = locked.application
        deadline_start(
            actor=actor,
            subject=locked,
            agency_id=locked.agency_id,
            kind=HOLD,
            title="组织听证期限",
            legal_basis=BASIS_47,
            unit=Deadline.Unit.WORKDAYS,
            amount=selectors.setting(HOLD_WORKDAYS),
            start_date=on,
            responsible=app.owner.user if app.owner else None,
            warn_days=3,
            today=on,
        )
        if app.status == AppStatus.ACCEPTED:
            application_pause(actor=actor, application=app, reason=PAUSE_REASON, on=on)
    _sync_hearing(hearing, locked)
    return hearing


def hearing_waive(
    *, actor: Any, hearing: Hearing, note: str = "", today: datetime.date | None = None
) -> Hearing:
    """Not requested within the 5 days, or renounced in writing by the applicant: examination goes on."""
    policies.ensure(actor, "handle", hearing.application)
    today = today or timezone.localdate()
    note = clean_text(note, 300)
    with transaction.atomic():
        locked = _locked_hearing(hearing)
        limit = next(iter(_open(locked, REQUEST)), None)
        if locked.status == H.NOTIFIED and limit is not None and today <= limit.due_date and not note:
            raise Conflict(
                _(
                    "The applicant may still request a hearing until %(due)s (行政许可法 Art.47); record the "
                    "waiver before then only with the applicant's written renunciation (say so in the note)."
                )
                % {"due": limit.due_date.isoformat()},
                code="hearing_request_open",
            )
        _move_hearing(locked, to=H.WAIVED, actor=actor, act="hearing.waive", payload={"note": note})
        for deadline in _open(locked, REQUEST):
            deadline_cancel(actor=actor, deadline=deadline, reason=note or "逾期未申请听证")
    _sync_hearing(hearing, locked)
    return hearing


def hearing_schedule(
    *,
    actor: Any,
    hearing: Hearing,
    hearing_on: datetime.date | None,
    hearing_time: str,
    place: str,
    presiding: str,
    public: bool = True,
    today: datetime.date | None = None,
) -> Hearing:
    """听证通知: time and place told at least 7 days before (Art.48(1)), held within 20 days of the
    request (Art.47), presided by someone other than the examining officer (Art.48(3))."""
    policies.ensure(actor, "handle", hearing.application)
    today = today or timezone.localdate()
    hearing_time, place, presiding = (
        clean_text(hearing_time, 40),
        clean_text(place, 200),
        clean_text(presiding, 100),
    )
    errors: dict[str, list[str]] = {}
    if not isinstance(hearing_on, datetime.date):
        errors["hearing_on"] = [_("Give the date of the hearing.")]
    if not place:
        errors["place"] = [_("Give the place of the hearing.")]
    if not presiding:
        errors["presiding"] = [_("Name the presiding officer.")]
    app = hearing.application
    if presiding and app.owner and presiding.startswith(app.owner.name):
        errors["presiding"] = [
            _(
                "%(name)s examines this application and may not preside over its hearing "
                "(行政许可法 Art.48(3)); name another officer."
            )
            % {"name": app.owner.name}
        ]
    notice_days = selectors.setting(NOTICE_WORKDAYS)
    if isinstance(hearing_on, datetime.date):
        earliest = calendar_snapshot().add_workdays(today, notice_days).date
        if hearing_on < earliest:
            errors["hearing_on"] = [
                _(
                    "The applicant must be told at least %(days)d working days before the hearing "
                    "(行政许可法 Art.48(1), Art.82): with notice today the hearing is on %(earliest)s "
                    "or later."
                )
                % {"days": notice_days, "earliest": earliest.isoformat()}
            ]
    if errors:
        raise ValidationFailed(
            _("The hearing was not scheduled: correct the fields marked."), field_errors=errors, status=422
        )
    assert isinstance(hearing_on, datetime.date)
    with transaction.atomic():
        locked = _locked_hearing(hearing)
        hold = next(iter(_open(locked, HOLD)), None)
        if locked.status == H.REQUESTED and hold is not None and hearing_on > hold.due_date:
            raise Conflict(
                _(
                    "The hearing must be held within %(days)d working days of the request, by %(due)s "
                    "(行政许可法 Art.47); choose an earlier date."
                )
                % {"days": hold.amount, "due": hold.due_date.isoformat()},
                code="hearing_too_late",
            )
        locked.notice_on, locked.hearing_on, locked.hearing_time = today, hearing_on, hearing_time
        locked.place, locked.presiding, locked.public = place, presiding, bool(public)
        _move_hearing(
            locked,
            to=H.SCHEDULED,
            actor=actor,
            act="hearing.schedule",
            payload={"hearing_on": hearing_on.isoformat(), "place": place, "presiding": presiding},
        )
        when = f"{hearing_on.year}年{hearing_on.month}月{hearing_on.day}日{hearing_time}"
        _issue_document(
            _locked(locked.application),
            actor=actor,
            kind="licence_hearing_notice",
            on=today,
            hearing_time=when,
            hearing_place=place,
            presiding_officer=presiding,
            public=bool(public),
        )
    _sync_hearing(hearing, locked)
    return hearing


def hearing_record(
    *,
    actor: Any,
    hearing: Hearing,
    record: str,
    attendees: str = "",
    held_on: datetime.date | None = None,
) -> Hearing:
    """听证笔录 (Art.48(5)); the decision time limit runs again and the decision rests on the record."""
    policies.ensure(actor, "handle", hearing.application)
    held_on = held_on or timezone.localdate()
    record, attendees = clean_text(record, 20000), clean_text(attendees, 2000)
    if not record:
        raise ValidationFailed(
            _("Enter the hearing record (听证笔录): the decision is taken on it (行政许可法 Art.48)."),
            field_errors={"record": [_("Enter the record.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked_hearing(hearing)
        if locked.hearing_on and held_on < locked.hearing_on:
            raise ValidationFailed(
                _("The hearing was scheduled for %(on)s; it cannot have been held before.")
                % {"on": locked.hearing_on.isoformat()},
                field_errors={"held_on": [_("Give the day the hearing was held.")]},
                status=422,
            )
        locked.record, locked.attendees, locked.held_on = record, attendees, held_on
        _move_hearing(
            locked,
            to=H.HELD,
            actor=actor,
            act="hearing.record",
            payload={"held_on": held_on.isoformat(), "record_chars": len(record)},
        )
        for deadline in _open(locked, HOLD):
            deadline_satisfy(actor=actor, deadline=deadline, by_act="hearing.record")
        app = locked.application
        if app.status == AppStatus.PAUSED:
            application_resume(actor=actor, application=app, on=held_on)
    _sync_hearing(hearing, locked)
    return hearing


def _sync_hearing(hearing: Hearing, locked: Hearing) -> None:
    for field in Hearing._meta.concrete_fields:
        setattr(hearing, field.attname, getattr(locked, field.attname))
