"""Licences: issued from a granted application (行政许可法 Art.44), renewed (Art.50), expired.

A licence's expiry is a core Deadline (`licence.expiry`, calendar days, subject = the licence)
started when it is issued, so the reminders app's rules (90/30/7 days) can target it; temporary land
has its return date as a Deadline (`licence.temporary_land_return`). Statuses change only through
`_move_licence` and LICENCE_TRANSITIONS.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from core.models import Deadline
from core.services.clock import deadline_cancel, deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from core.services.numbering import number_take
from service import policies, selectors
from service.documents import ensure_number_pattern, remedy_bodies
from service.models import Application, AppStatus, Inspection, InspectionKind, Licence, LicenceStatus
from service.services.applications import ISSUE, _locked, _move, _sync, clean_text

EXPIRY = "licence.expiry"
RETURN = "licence.temporary_land_return"
L = LicenceStatus
LICENCE_TRANSITIONS: dict[str, frozenset[str]] = {
    L.VALID: frozenset({L.EXPIRED, L.REVOKED, L.WITHDRAWN, L.CANCELLED}),
    # 注销 (Art.70): after expiry without renewal (1), or once revoked or withdrawn (4).
    L.EXPIRED: frozenset({L.CANCELLED}),
    L.REVOKED: frozenset({L.CANCELLED}),
    L.WITHDRAWN: frozenset({L.CANCELLED}),
    L.CANCELLED: frozenset(),
}

# How a licence ends before (or after) its term: the status, the act, the document and its default
# legal basis (行政许可法; the officer may cite the paragraph or a special law instead).
ENDINGS: dict[str, tuple[str, str, str, str]] = {
    "revoke": (L.REVOKED, "licence.revoke", "licence_revocation", "《中华人民共和国行政许可法》第六十九条"),
    "withdraw": (
        L.WITHDRAWN,
        "licence.withdraw",
        "licence_withdrawal",
        "《中华人民共和国行政许可法》第八条第二款",
    ),
    "cancel": (L.CANCELLED, "licence.cancel", "licence_cancellation", "《中华人民共和国行政许可法》第七十条"),
}
PENDING_RENEWAL = (AppStatus.RECEIVED, AppStatus.CORRECTION, AppStatus.ACCEPTED, AppStatus.PAUSED)


def _move_licence(
    licence: Licence, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    if to not in LICENCE_TRANSITIONS[licence.status]:
        raise Conflict(
            _("A licence that is %(from)s cannot become %(to)s.")
            % {"from": L(licence.status).label, "to": L(to).label},
            code="licence_transition_refused",
        )
    old = licence.status
    licence.status = to
    licence.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=licence,
        agency_id=licence.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )


def _start_expiry(licence: Licence, *, actor: Any, start: datetime.date) -> Deadline:
    return deadline_start(
        actor=actor,
        subject=licence,
        agency_id=licence.agency_id,
        kind=EXPIRY,
        title=f"{licence.kind.name}有效期届满（{licence.number}）",
        legal_basis="《行政许可法》第50条",
        unit=Deadline.Unit.CALENDAR_DAYS,
        amount=max((licence.valid_until - start).days, 1),
        start_date=start,
        warn_days=5,
    )


def _plan_next(licence: Licence, *, after: datetime.date) -> Inspection | None:
    """The next post-licence inspection, at the interval of the licence's risk level, within validity."""
    due = after + datetime.timedelta(days=selectors.supervision_interval(licence.risk_level))
    if licence.status != L.VALID or due > licence.valid_until:
        return None
    return Inspection.objects.create(
        agency_id=licence.agency_id, licence=licence, kind=InspectionKind.PLAN, due_on=due
    )


def application_issue(
    *, actor: Any, application: Application, supervision_number: str = "", today: datetime.date | None = None
) -> Licence:
    """颁发: the licence of a granted application, within 10 WD of the decision (Art.44). A renewal
    extends the licence renewed instead of making a new one."""
    policies.ensure(actor, "handle", application)
    today = today or timezone.localdate()
    supervision_number = clean_text(supervision_number, 60)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != AppStatus.GRANTED:
            raise Conflict(
                _("A licence is issued only after the decision to grant it; this application is %(s)s.")
                % {"s": AppStatus(locked.status).label},
                code="application_not_granted",
            )
        t = locked.grant_terms
        valid_from = datetime.date.fromisoformat(t["valid_from"])
        valid_until = datetime.date.fromisoformat(t["valid_until"])
        if valid_until <= today:
            raise ValidationFailed(
                _(
                    "The validity granted ends on %(until)s, before the licence "
                    "would be issued (%(today)s): an expiry "
                    "date before the issue date is refused. Decide again on a new application."
                )
                % {"until": valid_until.isoformat(), "today": today.isoformat()},
                code="licence_expiry_before_issue",
                status=422,
            )
        if locked.renewal_of_id:
            licence = Licence.objects.select_for_update().get(pk=locked.renewal_of_id)
            if licence.status != L.VALID:
                raise Conflict(
                    _(
                        "Licence %(number)s is %(status)s: a renewal cannot bring it back "
                        "(行政许可法 Arts.50, 70); the applicant applies for a new licence."
                    )
                    % {"number": licence.number, "status": L(licence.status).label},
                    code="licence_renewal_not_valid",
                )
            licence = _renew(
                licence,
                actor=actor,
                until=valid_until,
                act="licence.renew",
                payload={"application": locked.pk},
            )
        else:
            sequence = f"licence_{locked.kind.code}"[:60]
            ensure_number_pattern(agency_id=locked.agency_id, sequence=sequence)
            issued = number_take(agency_id=locked.agency_id, kind=sequence, year=today.year, actor=actor)
            return_date = datetime.date.fromisoformat(t["return_date"]) if t.get("return_date") else None
            licence = Licence.objects.create(
                agency_id=locked.agency_id,
                kind=locked.kind,
                application=locked,
                number=issued.number,
                holder_name=locked.applicant_name,
                holder_id_number=locked.applicant_id_number,
                holder_phone=locked.applicant_phone,
                holder_email=locked.applicant_email,
                holder_address=locked.applicant_address,
                scope=t["scope"],
                location=t["location"],
                conditions=t["conditions"],
                supervision_number=supervision_number,
                issued_on=today,
                valid_from=valid_from,
                valid_until=valid_until,
                return_date=return_date,
                risk_level=t["risk_level"],
            )
            ledger_append(
                actor=actor,
                act="licence.issue",
                obj=licence,
                agency_id=licence.agency_id,
                payload={
                    "number": licence.number,
                    "application": locked.pk,
                    "kind": locked.kind.code,
                    "valid_from": t["valid_from"],
                    "valid_until": t["valid_until"],
                    "supervision_number": supervision_number,
                },
            )
            _start_expiry(licence, actor=actor, start=today)
            if return_date:
                deadline_start(
                    actor=actor,
                    subject=licence,
                    agency_id=licence.agency_id,
                    kind=RETURN,
                    title=f"临时用地交还期限（{licence.number}）",
                    legal_basis="《土地管理法》第57条",
                    unit=Deadline.Unit.CALENDAR_DAYS,
                    amount=max((return_date - today).days, 1),
                    start_date=today,
                    warn_days=5,
                )
            _plan_next(licence, after=today)
        _move(
            locked, to=AppStatus.ISSUED, actor=actor, act="application.issue", payload={"licence": licence.pk}
        )
        for deadline in selectors.subject_deadlines(locked, kind=ISSUE, open_only=True):
            deadline_satisfy(actor=actor, deadline=deadline, by_act="application.issue")
    _sync(application, locked)
    return licence


def _renew(
    licence: Licence, *, actor: Any, until: datetime.date, act: str, payload: dict[str, Any]
) -> Licence:
    old_until = licence.valid_until
    licence.valid_until = until
    licence.renewed_times += 1
    licence.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=licence,
        agency_id=licence.agency_id,
        payload={"old_valid_until": old_until.isoformat(), "new_valid_until": until.isoformat(), **payload},
    )
    for deadline in selectors.subject_deadlines(licence, kind=EXPIRY, open_only=True):
        deadline_cancel(actor=actor, deadline=deadline, reason="许可延续")
    _start_expiry(licence, actor=actor, start=max(old_until, timezone.localdate()))
    return licence


def licences_expiry_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """Periodic, idempotent. A licence past its validity with a renewal application filed in time and
    still undecided is renewed by law (行政许可法 Art.50: 逾期未作决定的，视为准予延续) for the same
    period — an automatic act of the system, logged; otherwise it expires."""
    today = today or timezone.localdate()
    renewed = expired = 0
    for pk in (
        Licence.objects.filter(status=L.VALID, valid_until__lt=today)
        .values_list("pk", flat=True)
        .order_by("pk")
    ):
        with transaction.atomic():
            licence = (
                Licence.objects.select_for_update()
                .filter(pk=pk, status=L.VALID, valid_until__lt=today)
                .first()
            )
            if licence is None:
                continue
            pending = (
                Application.objects.select_for_update()
                .filter(renewal_of=licence, status__in=PENDING_RENEWAL)
                .order_by("pk")
                .first()
            )
            if pending is not None:
                period = licence.valid_until - licence.valid_from
                _renew(
                    licence,
                    actor=None,
                    until=licence.valid_until + period,
                    act="licence.renew_deemed",
                    payload={"application": pending.pk, "basis": "《行政许可法》第50条"},
                )
                pending.decided_on = today
                pending.decision_reason = (
                    "行政机关在许可有效期届满前未作出是否准予延续的决定，视为准予延续（《行政许可法》第50条）"
                )
                _move(
                    pending,
                    to=AppStatus.DEEMED_RENEWED,
                    actor=None,
                    act="application.deemed_renewed",
                    payload={"licence": licence.pk},
                )
                for deadline in selectors.subject_deadlines(pending, open_only=True):
                    deadline_cancel(actor=None, deadline=deadline, reason="视为准予延续")
                renewed += 1
            else:
                _move_licence(
                    licence,
                    to=L.EXPIRED,
                    actor=None,
                    act="licence.expire",
                    payload={"valid_until": licence.valid_until.isoformat()},
                )
                expired += 1
    return {"renewed": renewed, "expired": expired}


def licence_set_risk(*, actor: Any, licence: Licence, risk_level: str) -> Licence:
    """Change the risk level (and so the supervision frequency) of a licence."""
    from service.models import RiskLevel

    policies.ensure(actor, "inspect", licence.agency)
    if risk_level not in RiskLevel.values:
        raise ValidationFailed(
            _("Choose a risk level."), field_errors={"risk_level": [_("Choose a risk level.")]}, status=422
        )
    with transaction.atomic():
        locked = Licence.objects.select_for_update().get(pk=licence.pk)
        old = locked.risk_level
        locked.risk_level = risk_level
        locked.save()
        ledger_append(
            actor=actor,
            act="licence.risk",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"from": old, "to": risk_level},
        )
    licence.risk_level = risk_level
    return licence


def licence_end(
    *,
    actor: Any,
    licence: Licence,
    how: str,
    reason: str,
    legal_basis: str = "",
    today: datetime.date | None = None,
) -> Licence:
    """撤销 (Art.69: granted unlawfully), 撤回 (Art.8 para.2: law or circumstances changed, public
    interest) or 注销 (Art.70) a licence, decided by the head with reasons and the provision applied:
    the status moves through LICENCE_TRANSITIONS, a sealed decision with the remedies is issued to the
    holder, and the licence's open time limits (expiry and its reminders, land return) are cancelled."""
    if how not in ENDINGS:
        raise ValidationFailed(
            _("Choose revoke (撤销), withdraw (撤回) or cancel (注销)."),
            field_errors={"how": [_("Choose how the licence ends.")]},
            status=422,
        )
    policies.ensure(actor, "revoke", licence)
    today = today or timezone.localdate()
    to, act, kind, default_basis = ENDINGS[how]
    reason, basis = clean_text(reason), clean_text(legal_basis, 300) or default_basis
    if not reason:
        raise ValidationFailed(
            _("State the reasons: the holder is told them in the decision and may challenge them."),
            field_errors={"reason": [_("Give the reasons.")]},
            status=422,
        )
    with transaction.atomic():
        locked = (
            Licence.objects.select_for_update(of=("self",))
            .select_related("kind", "agency")
            .get(pk=licence.pk)
        )
        if to not in LICENCE_TRANSITIONS[locked.status]:
            allowed = "、".join(str(L(s).label) for s in sorted(LICENCE_TRANSITIONS[locked.status]))
            raise Conflict(
                _(
                    "A licence that is %(from)s cannot become %(to)s (行政许可法 Arts.8, 69, 70). "
                    "Allowed next states: %(allowed)s."
                )
                % {"from": L(locked.status).label, "to": L(to).label, "allowed": allowed or _("none")},
                code="licence_transition_refused",
            )
        locked.ended_on, locked.end_reason, locked.end_basis = today, reason, basis
        _move_licence(locked, to=to, actor=actor, act=act, payload={"reason": reason, "basis": basis})
        for deadline in selectors.subject_deadlines(locked, open_only=True):
            deadline_cancel(actor=actor, deadline=deadline, reason=f"许可已{L(to).label}")
        ensure_number_pattern(agency_id=locked.agency_id, sequence=kind)
        from documents import services as document_services

        document_services.document_issue(
            actor=actor,
            kind=kind,
            context={
                "holder_name": locked.holder_name,
                "holder_id_number": locked.holder_id_number,
                "licence_kind": locked.kind.name,
                "licence_number": locked.number,
                "licence_issued_on": locked.issued_on,
                "reason": reason,
                "legal_basis": basis,
                **remedy_bodies(locked.agency),
            },
            subject_type="service.licence",
            subject_id=locked.pk,
            agency=locked.agency,
            on=today,
            key=f"{kind}-{locked.pk}",
        )
    for field in ("status", "ended_on", "end_reason", "end_basis"):
        setattr(licence, field, getattr(locked, field))
    return licence
