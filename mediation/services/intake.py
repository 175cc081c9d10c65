"""Mediation intake: the application (duplicate guard), acceptance with a mediator or refusal with
reason, naming another mediator, withdrawal, and the recusal of a mediator (issue 8 §5)."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, ValidationFailed
from core.models import Deadline
from core.services.clock import deadline_cancel, deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from core.services.numbering import number_take
from documents import services as document_services
from mediation import policies, selectors
from mediation.documents import refusal_context
from mediation.models import (
    Channel,
    DisputeKind,
    Mediation,
    Party,
    Recusal,
    RecusalGround,
    RecusalOutcome,
    Side,
)
from mediation.models import Status as S
from mediation.services._common import (
    BASIS,
    DEFAULT_ROUTES,
    PHONE_RE,
    REFUSAL_KIND,
    _clean,
    _ended,
    _label,
    _locked,
    _move,
    _record,
    _sync,
    ensure_number_pattern,
    notify_parties,
)
from org import selectors as org_selectors


def _norm_name(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", name or "").lower() if not ch.isspace())


def duplicate_key(kind: str, applicant: str, respondent: str) -> str:
    """The same kind of dispute between the same two parties (either side) counts as a duplicate."""
    names = "|".join(sorted([_norm_name(applicant), _norm_name(respondent)]))
    return hashlib.sha256(f"{kind}|{names}".encode()).hexdigest()


def _party_errors(prefix: str, data: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, str]:
    out = {
        "name": _clean(data.get("name"), 200),
        "id_number": _clean(data.get("id_number"), 40),
        "address": _clean(data.get("address"), 255),
        "phone": _clean(data.get("phone"), 30),
        "representative": _clean(data.get("representative"), 100),
        "representative_role": _clean(data.get("representative_role"), 60),
    }
    if not out["name"]:
        errors[f"{prefix}_name"] = [_("Give the name of the person or organisation.")]
    if out["phone"] and not PHONE_RE.match(out["phone"]):
        errors[f"{prefix}_phone"] = [_("Enter a phone number of digits (a leading + and dashes allowed).")]
    if out["representative"] and not out["representative_role"]:
        errors[f"{prefix}_representative_role"] = [
            _("Say in what capacity the representative acts (legal representative, agent…).")
        ]
    return out


def _new_code() -> str:
    return "".join(secrets.choice(selectors.CODE_ALPHABET) for _ in range(selectors.CODE_LENGTH))


def mediation_apply(
    *,
    actor: Any,
    agency_id: Any,
    kind: str,
    channel: str,
    summary: str,
    request: str = "",
    location: str = "",
    applicant: Mapping[str, Any],
    respondent: Mapping[str, Any],
    related_case_id: int | None = None,
) -> Mediation:
    """调解申请: received at the window, by phone or online (actor None); the 5-working-day time limit
    to accept or refuse starts on the day of receipt. The same kind of dispute between the same parties
    is refused while one is open."""
    errors: dict[str, list[str]] = {}
    agency = None
    try:
        pk = int(agency_id)
        if 0 < pk < 2**62:
            agency = org_selectors.visible_agencies(None).filter(active=True, pk=pk).first()
    except (TypeError, ValueError):
        pass
    if agency is None:
        errors["agency"] = [_("Choose the agency that is to mediate.")]
    if kind not in DisputeKind.values:
        errors["kind"] = [_("Choose the kind of dispute: land ownership, land use, mining rights or water.")]
    if channel not in Channel.values or (actor is None) != (channel == Channel.ONLINE):
        errors["channel"] = [_("Choose how the application was received.")]
    summary, request, location = _clean(summary), _clean(request), _clean(location, 255)
    if not summary:
        errors["summary"] = [
            _("Describe the dispute: what land, mine or water, and what the parties disagree on.")
        ]
    a = _party_errors("applicant", applicant, errors)
    r = _party_errors("respondent", respondent, errors)
    if a["name"] and r["name"] and _norm_name(a["name"]) == _norm_name(r["name"]):
        errors["respondent_name"] = [_("A dispute has two sides: the respondent cannot be the applicant.")]
    if channel == Channel.ONLINE and not a["phone"]:
        errors["applicant_phone"] = [_("Give a phone number so that the agency can reach you.")]
    if errors:
        raise ValidationFailed(
            _("The application was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    assert agency is not None
    if actor is not None:
        policies.ensure(actor, "apply", Mediation(agency=agency))
    key = duplicate_key(kind, a["name"], r["name"])
    today = timezone.localdate()
    existing = Mediation.objects.filter(
        agency=agency, duplicate_key=key, status__in=[S.APPLIED, S.ACCEPTED, S.MEDIATING]
    ).first()
    if existing is not None:
        raise _duplicate(existing)
    try:
        with transaction.atomic():
            mediation = Mediation.objects.create(
                agency=agency,
                tracking_code=_new_code(),
                kind=kind,
                channel=channel,
                summary=summary,
                request=request,
                location=location,
                duplicate_key=key,
                received_on=today,
                related_case_id=related_case_id,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            for side, data in ((Side.APPLICANT, a), (Side.RESPONDENT, r)):
                Party.objects.create(mediation=mediation, side=side, **data)
            ledger_append(
                actor=actor,
                act="mediation.apply",
                obj=mediation,
                agency_id=agency.pk,
                payload={"kind": kind, "channel": channel, "status": mediation.status, "parties": 2},
            )
            deadline_start(
                actor=actor,
                subject=mediation,
                agency_id=agency.pk,
                kind=selectors.ACCEPTANCE,
                title="行政调解受理期限",
                legal_basis=BASIS,
                unit=Deadline.Unit.WORKDAYS,
                amount=selectors.legal_setting_int(*selectors.ACCEPTANCE_WORKDAYS),
                start_date=today,
            )
    except IntegrityError:  # a concurrent application of the same dispute won
        winner = Mediation.objects.filter(
            agency=agency, duplicate_key=key, status__in=[S.APPLIED, S.ACCEPTED, S.MEDIATING]
        ).first()
        if winner is None:
            raise
        raise _duplicate(winner) from None
    return mediation


def _duplicate(existing: Mediation) -> DomainError:
    return DomainError(
        _(
            "An application for mediation of the same dispute between the same parties is already being "
            "handled (received on %(on)s, %(status)s): one dispute is mediated once at a time. Add what is "
            "new to that mediation instead."
        )
        % {"on": existing.received_on.isoformat(), "status": _label(existing.status)},
        code="mediation_duplicate",
        status=409,
    )


def _mediator_conflict(mediation: Mediation, officer: Any) -> str | None:
    if mediation.recusals.filter(officer_id=officer.pk, outcome=RecusalOutcome.GRANTED).exists():
        return _("%(name)s withdrew from this mediation (回避 granted) and cannot mediate it again.") % {
            "name": officer.name
        }
    if mediation.related_case_id:
        from cases import selectors as case_selectors

        if officer.user_id in case_selectors.case_handler_user_ids(case_id=mediation.related_case_id):
            return _(
                "%(name)s handled the related case and must withdraw (回避): a mediator must have no part in "
                "a related case. Choose another officer."
            ) % {"name": officer.name}
    return None


def _mediator(mediation: Mediation, officer_id: Any) -> Any:
    try:
        pk = int(officer_id)
    except (TypeError, ValueError):
        pk = 0
    officer = (
        selectors.agency_officers(agency_id=mediation.agency_id)
        .filter(pk=pk if 0 < pk < 2**62 else 0)
        .first()
    )
    if officer is None:
        raise ValidationFailed(
            _("Choose an active officer of the agency as mediator."),
            field_errors={"mediator": [_("Choose an officer of this agency.")]},
            status=422,
        )
    conflict = _mediator_conflict(mediation, officer)
    if conflict:
        raise DomainError(
            conflict, code="mediation_mediator_conflict", status=409, field_errors={"mediator": [conflict]}
        )
    return officer


def mediation_accept(*, actor: Any, mediation: Mediation, mediator_id: Any) -> Mediation:
    """受理 with the mediator named; the 30-day time limit to conclude starts today."""
    policies.ensure(actor, "decide", mediation)
    with transaction.atomic():
        locked = _locked(mediation)
        officer = _mediator(locked, mediator_id)
        locked.mediator = officer
        locked.decided_at = timezone.now()
        year = timezone.localdate().year
        ensure_number_pattern(agency_id=locked.agency_id, sequence="mediation")
        locked.number = number_take(
            agency_id=locked.agency_id, kind="mediation", year=year, obj=locked, actor=actor
        ).number
        _move(
            locked,
            to=S.ACCEPTED,
            actor=actor,
            act="mediation.accept",
            payload={"mediator": officer.pk, "number": locked.number},
        )
        for d in selectors.mediation_deadlines(mediation=locked, kind=selectors.ACCEPTANCE, open_only=True):
            deadline_satisfy(actor=actor, deadline=d, by_act="mediation.accept")
        due = deadline_start(
            actor=actor,
            subject=locked,
            agency_id=locked.agency_id,
            kind=selectors.CONCLUSION,
            title="行政调解办结期限",
            legal_basis=BASIS,
            unit=Deadline.Unit.CALENDAR_DAYS,
            amount=selectors.legal_setting_int(*selectors.CONCLUSION_DAYS),
            start_date=timezone.localdate(),
            responsible=officer.user,
        ).due_date
        notify_parties(
            locked,
            actor=actor,
            event="mediation.accept",
            subject=_("The application for mediation is accepted"),
            text=lambda p: (
                _(
                    "%(name)s: %(agency)s accepted the application for mediation %(number)s. Mediator: "
                    "%(mediator)s. The mediation is to be concluded by %(due)s unless the parties agree to "
                    "extend; the mediator will tell you the time and place of the sessions."
                )
                % {
                    "name": p.name,
                    "agency": locked.agency.name,
                    "number": locked.number,
                    "mediator": officer.name,
                    "due": f"{due.year}年{due.month}月{due.day}日",
                }
            ),
        )
    _sync(mediation, locked)
    return mediation


def mediation_refuse(*, actor: Any, mediation: Mediation, reason: str) -> Mediation:
    """不予受理, with the reason the applicant reads."""
    policies.ensure(actor, "decide", mediation)
    reason = _clean(reason)
    if not reason:
        raise ValidationFailed(
            _("Give the reason why the application is not accepted; the applicant reads it."),
            code="mediation_reason_required",
            field_errors={"reason": [_("Give the reason.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(mediation)
        locked.refusal_reason = reason
        locked.decided_at = timezone.now()
        locked.concluded_on = timezone.localdate()
        ensure_number_pattern(agency_id=locked.agency_id, sequence=REFUSAL_KIND)
        document = document_services.document_issue(
            actor=actor,
            kind=REFUSAL_KIND,
            context=refusal_context(locked, routes=DEFAULT_ROUTES),
            subject_type="mediation.mediation",
            subject_id=locked.pk,
            agency=locked.agency,
            key=f"mediation-{locked.pk}-refusal",
        )
        locked.refusal_document_id, locked.refusal_document_number = document.pk, document.number
        _move(
            locked,
            to=S.REFUSED,
            actor=actor,
            act="mediation.refuse",
            payload={"reason": reason, "document": document.pk, "number": document.number},
        )
        for d in selectors.mediation_deadlines(mediation=locked, kind=selectors.ACCEPTANCE, open_only=True):
            deadline_satisfy(actor=actor, deadline=d, by_act="mediation.refuse")
        notify_parties(
            locked,
            actor=actor,
            event="mediation.refuse",
            sides=(Side.APPLICANT,),
            subject=_("Your application for mediation is not accepted"),
            text=lambda p: (
                _(
                    "%(name)s: %(agency)s does not accept your application for mediation (tracking code "
                    "%(code)s): %(reason)s. The notice %(number)s names the routes left to you: %(routes)s"
                )
                % {
                    "name": p.name,
                    "agency": locked.agency.name,
                    "code": selectors.display_code(locked.tracking_code),
                    "reason": reason.rstrip("。."),
                    "number": document.number,
                    "routes": DEFAULT_ROUTES,
                }
            ),
        )
    _sync(mediation, locked)
    return mediation


def mediation_mediator_assign(*, actor: Any, mediation: Mediation, mediator_id: Any) -> Mediation:
    """Name another mediator (e.g. after a recusal was granted)."""
    policies.ensure(actor, "assign", mediation)
    with transaction.atomic():
        locked = _locked(mediation)
        if locked.status not in (S.ACCEPTED, S.MEDIATING):
            raise Conflict(
                _("A mediator is named for an accepted mediation that has not ended."),
                code="mediation_not_open",
            )
        officer = _mediator(locked, mediator_id)
        old = locked.mediator_id
        locked.mediator = officer
        locked.save()
        _record(locked, actor=actor, act="mediation.mediator", payload={"from": old, "to": officer.pk})
    _sync(mediation, locked)
    return mediation


def mediation_withdraw(*, actor: Any, mediation: Mediation, reason: str) -> Mediation:
    """The applicant withdraws the application (recorded by the officer who heard it)."""
    policies.ensure(actor, "withdraw", mediation)
    reason = _clean(reason)
    if not reason:
        raise ValidationFailed(
            _("Record how and why the applicant withdrew."),
            field_errors={"reason": [_("Give the reason.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(mediation)
        locked.withdrawal_reason = reason
        locked.concluded_on = timezone.localdate()
        _move(locked, to=S.WITHDRAWN, actor=actor, act="mediation.withdraw", payload={"reason": reason})
        for d in selectors.mediation_deadlines(mediation=locked, open_only=True):
            deadline_cancel(actor=actor, deadline=d, reason="申请人撤回调解申请")
    _sync(mediation, locked)
    return mediation


def recusal_apply(*, actor: Any, mediation: Mediation, ground: str, reason: str, applied_by: str) -> Recusal:
    """回避 of the mediator, applied for by a party or declared by the mediator; the head decides."""
    policies.ensure(actor, "recuse", mediation)
    reason, applied_by = _clean(reason), _clean(applied_by, 100)
    errors: dict[str, list[str]] = {}
    if ground not in RecusalGround.values:
        errors["ground"] = [
            _("Choose the ground: a relative of a party, a related case, or another interest.")
        ]
    if not reason:
        errors["reason"] = [_("Give the facts of the ground.")]
    if not applied_by:
        errors["applied_by"] = [_("Say who applies (the party's name, or the mediator).")]
    if errors:
        raise ValidationFailed(
            _("The recusal was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        if locked.mediator is None:
            raise Conflict(_("No mediator is named yet."), code="mediation_no_mediator")
        if locked.recusals.filter(officer=locked.mediator, outcome=RecusalOutcome.PENDING).exists():
            raise Conflict(
                _("A recusal of this mediator is already pending."), code="mediation_recusal_pending"
            )
        recusal = Recusal.objects.create(
            mediation=locked, officer=locked.mediator, ground=ground, reason=reason, applied_by=applied_by
        )
        _record(
            locked,
            actor=actor,
            act="mediation.recusal_applied",
            payload={"recusal": recusal.pk, "officer": recusal.officer_id, "ground": ground},
        )
    return recusal


def recusal_decide(*, actor: Any, recusal: Recusal, granted: bool) -> Recusal:
    """The head decides; a granted recusal takes the mediator off (name another one)."""
    mediation = recusal.mediation
    policies.ensure(actor, "decide_recusal", mediation)
    with transaction.atomic():
        locked = _locked(mediation)
        rec = Recusal.objects.select_for_update().get(pk=recusal.pk)
        if rec.outcome != RecusalOutcome.PENDING:
            raise Conflict(_("This recusal was already decided."), code="mediation_recusal_decided")
        rec.outcome = RecusalOutcome.GRANTED if granted else RecusalOutcome.REFUSED
        rec.decided_by, rec.decided_at = actor if getattr(actor, "pk", None) else None, timezone.now()
        rec.save()
        if granted and locked.mediator_id == rec.officer_id:
            locked.mediator = None
            locked.save()
        _record(
            locked,
            actor=actor,
            act="mediation.recusal_decided",
            payload={"recusal": rec.pk, "outcome": rec.outcome},
        )
    return rec
