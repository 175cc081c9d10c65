"""Writes on mediations (行政调解, issue 8 §5). Keyword-only, with `actor`; each in one transaction
with its ledger act. Statuses change only through `_move` and `mediation.states.TRANSITIONS`.

Time limits (LEGAL.md has none for mediation: [U] LegalSettings seeded by migration 0002, issue 8's
defaults): accept or refuse within 5 working days of receipt; conclude within 30 days of acceptance
unless the parties agree to extend (an act of its own). Once the conclusion time limit has passed
without an extension, the mediation can only be recorded as failed (or withdrawn).
"""

from __future__ import annotations

import datetime
import hashlib
import re
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
from mediation.models import (
    Channel,
    DisputeKind,
    Extension,
    Mediation,
    Party,
    Recusal,
    RecusalGround,
    RecusalOutcome,
    Session,
    Side,
)
from mediation.models import Status as S
from mediation.states import TRANSITIONS
from org import selectors as org_selectors

BASIS = "[U] 行政调解办理时限（配置项，LEGAL.md 未规定；默认值见 issue 8 §5）"
DEFAULT_ROUTES = (
    "调解不成的，当事人可以依法申请行政裁决（土地、林地、矿业权、水事权属争议由人民政府依法处理），"
    "或者依法向人民法院提起诉讼。"
)
DOCUMENT_KIND = "mediation_agreement"
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
MAX_TEXT = 5000


# Every document number is unique (documents.Document.number): each sequence gets its customary mark
# unless the agency configured a pattern of its own (core NumberPattern), as cases and service do.
NUMBER_PATTERNS = {"mediation": "{prefix}调〔{year}〕{seq}号", DOCUMENT_KIND: "{prefix}调协〔{year}〕{seq}号"}


def ensure_number_pattern(*, agency_id: int, sequence: str) -> None:
    """Record the default pattern of `sequence` for the agency (a system act) unless one is set."""
    from core.models import NumberPattern
    from core.scoping import agency_label
    from core.services.numbering import number_pattern_set

    if NumberPattern.objects.filter(agency_id=agency_id, kind=sequence).exists():
        return
    label = agency_label(agency_id)
    prefix = str(label.get("short_name") or label.get("name") or "")[:60]
    number_pattern_set(
        actor=None, agency_id=agency_id, kind=sequence, pattern=NUMBER_PATTERNS[sequence], prefix=prefix
    )


def _clean(value: Any, limit: int = MAX_TEXT) -> str:
    text = str(value or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()[:limit]


def _label(status: str) -> str:
    return str(S(status).label)


def _move(
    mediation: Mediation, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    """The only code that changes a mediation's status; refuses moves not in TRANSITIONS."""
    if to not in TRANSITIONS[mediation.status]:
        raise Conflict(
            _("A mediation that is %(from)s cannot become %(to)s. Allowed next states: %(allowed)s.")
            % {
                "from": _label(mediation.status),
                "to": _label(to),
                "allowed": "、".join(_label(s) for s in sorted(TRANSITIONS[mediation.status]))
                or _("none (the mediation has ended)"),
            },
            code="mediation_transition_refused",
        )
    old = mediation.status
    mediation.status = to
    mediation.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=mediation,
        agency_id=mediation.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )


def _record(mediation: Mediation, *, actor: Any, act: str, payload: dict[str, Any]) -> None:
    ledger_append(actor=actor, act=act, obj=mediation, agency_id=mediation.agency_id, payload=payload)


def _locked(mediation: Mediation) -> Mediation:
    return Mediation.objects.select_for_update(of=("self",)).select_related("agency").get(pk=mediation.pk)


def _sync(mediation: Mediation, locked: Mediation) -> None:
    for field in Mediation._meta.concrete_fields:
        setattr(mediation, field.attname, getattr(locked, field.attname))


def _ended(mediation: Mediation) -> None:
    if not TRANSITIONS[mediation.status]:
        raise Conflict(
            _("This mediation has ended (%(status)s); nothing more can be recorded on it.")
            % {"status": _label(mediation.status)},
            code="mediation_ended",
        )


def _within_time_limit(mediation: Mediation, today: datetime.date | None = None) -> None:
    """Refuse an act of mediation once the conclusion time limit has passed (issue 8 §5)."""
    due = selectors.conclusion_due(mediation)
    today = today or timezone.localdate()
    if due is not None and today > due:
        raise DomainError(
            _(
                "The time limit of this mediation ended on %(due)s (conclude within %(days)s days of "
                "acceptance unless the parties agree to extend, issue 8 §5; [U] setting "
                "mediation.conclusion_days). Record the failure of the mediation and the routes left to the "
                "parties, or, if the parties agreed to extend before that day, record their agreement."
            )
            % {"due": due.isoformat(), "days": selectors.legal_setting_int(*selectors.CONCLUSION_DAYS)},
            code="mediation_time_limit_passed",
            status=409,
        )


def _officer(actor: Any) -> Any:
    officer = org_selectors.officer_for(actor)
    if officer is None:
        raise ValidationFailed(_("Sign in with your officer account."), code="mediation_officer_required")
    return officer


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
        deadline_start(
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
        _move(locked, to=S.REFUSED, actor=actor, act="mediation.refuse", payload={"reason": reason})
        for d in selectors.mediation_deadlines(mediation=locked, kind=selectors.ACCEPTANCE, open_only=True):
            deadline_satisfy(actor=actor, deadline=d, by_act="mediation.refuse")
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


def mediation_party_add(*, actor: Any, mediation: Mediation, side: str, data: Mapping[str, Any]) -> Party:
    """Another party or a party's representative (法定代理人 / 委托代理人) joins the mediation."""
    policies.ensure(actor, "party", mediation)
    errors: dict[str, list[str]] = {}
    if side not in Side.values:
        errors["side"] = [_("Choose the side of the party.")]
    clean = _party_errors("party", data, errors)
    if errors:
        raise ValidationFailed(
            _("The party was not added: correct the fields marked."), field_errors=errors, status=422
        )
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        if locked.status == S.MEDIATING and locked.agreement_terms:
            raise Conflict(
                _(
                    "The agreement is being signed: a party cannot join now. Record a new draft of "
                    "the agreement first."
                ),
                code="mediation_agreement_drafted",
            )
        party = Party.objects.create(mediation=locked, side=side, **clean)
        _record(
            locked,
            actor=actor,
            act="mediation.party",
            payload={"party": party.pk, "side": side, "representative": bool(clean["representative"])},
        )
    return party


def mediation_session_record(
    *,
    actor: Any,
    mediation: Mediation,
    held_on: datetime.date | None,
    place: str,
    attendees: str,
    record: str,
) -> Session:
    """调解笔录: a session, who attended and what was said; the first one starts the mediation."""
    policies.ensure(actor, "session", mediation)
    place, attendees, record = _clean(place, 255), _clean(attendees), _clean(record, 20000)
    errors: dict[str, list[str]] = {}
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = [_("Give the date of the session.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("A session is recorded once it was held: the date cannot lie in the future.")]
    if not place:
        errors["place"] = [_("Give the place of the session.")]
    if not attendees:
        errors["attendees"] = [_("List who attended (parties, representatives, mediator, recorder).")]
    if not record:
        errors["record"] = [_("Write what was said.")]
    if errors:
        raise ValidationFailed(
            _("The session was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    assert held_on is not None
    officer = _officer(actor)
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        if locked.status == S.APPLIED:
            raise Conflict(
                _("Accept the application before the first session."), code="mediation_not_accepted"
            )
        _within_time_limit(locked)
        if locked.decided_at and held_on < timezone.localdate(locked.decided_at):
            raise ValidationFailed(
                _("A session cannot predate the acceptance of the application."),
                field_errors={"held_on": [_("Give a date on or after the acceptance.")]},
                status=422,
            )
        session = Session.objects.create(
            mediation=locked,
            held_on=held_on,
            place=place,
            attendees=attendees,
            record=record,
            recorded_by=officer,
        )
        payload = {"session": session.pk, "held_on": held_on.isoformat(), "length": len(record)}
        if locked.status == S.ACCEPTED:
            _move(locked, to=S.MEDIATING, actor=actor, act="mediation.session", payload=payload)
        else:
            _record(locked, actor=actor, act="mediation.session", payload=payload)
    _sync(mediation, locked)
    return session


def mediation_extend(
    *, actor: Any, mediation: Mediation, days: Any, agreed_on: datetime.date | None, note: str
) -> Extension:
    """延长调解期限: only with the parties' agreement, recorded before the time limit ends."""
    policies.ensure(actor, "extend", mediation)
    note = _clean(note)
    errors: dict[str, list[str]] = {}
    maximum = selectors.legal_setting_int(*selectors.MAX_EXTENSION_DAYS)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= maximum:
        errors["days"] = [
            _("Extend by 1 to %(max)d days ([U] setting mediation.max_extension_days).") % {"max": maximum}
        ]
    if not note:
        errors["note"] = [
            _("Record how both parties agreed to extend (e.g. both signed the session record).")
        ]
    if not isinstance(agreed_on, datetime.date) or agreed_on > timezone.localdate():
        errors["agreed_on"] = [_("Give the day the parties agreed (not in the future).")]
    if errors:
        raise ValidationFailed(
            _("The extension was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    assert agreed_on is not None
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        deadline = selectors.mediation_deadlines(
            mediation=locked, kind=selectors.CONCLUSION, open_only=True
        ).last()
        if deadline is None:
            raise Conflict(
                _("Only an accepted mediation has a time limit to extend."), code="mediation_not_accepted"
            )
        if agreed_on > deadline.due_date:
            raise DomainError(
                _(
                    "The parties agreed on %(on)s, after the time limit ended (%(due)s): an extension "
                    "must be agreed within the time limit. Record the failure of the mediation instead."
                )
                % {"on": agreed_on.isoformat(), "due": deadline.due_date.isoformat()},
                code="mediation_time_limit_passed",
                status=409,
            )
        old_due = deadline.due_date
        deadline_cancel(actor=actor, deadline=deadline, reason="双方当事人同意延长调解期限")
        new = deadline_start(
            actor=actor,
            subject=locked,
            agency_id=locked.agency_id,
            kind=selectors.CONCLUSION,
            title="行政调解办结期限（经双方同意延长）",
            legal_basis=BASIS,
            unit=Deadline.Unit.CALENDAR_DAYS,
            amount=days,
            start_date=old_due,
            responsible=locked.mediator.user if locked.mediator else None,
        )
        extension = Extension.objects.create(
            mediation=locked,
            days=days,
            agreed_on=agreed_on,
            note=note,
            old_due=old_due,
            new_due=new.due_date,
            by=actor if getattr(actor, "pk", None) else None,
        )
        _record(
            locked,
            actor=actor,
            act="mediation.extend",
            payload={
                "days": days,
                "old_due": old_due.isoformat(),
                "new_due": new.due_date.isoformat(),
                "note": note,
            },
        )
    return extension


def mediation_agreement_draft(*, actor: Any, mediation: Mediation, terms: str, performance: str) -> Mediation:
    """The terms the parties agreed on; a new draft clears the signatures given to the old one."""
    policies.ensure(actor, "agreement", mediation)
    terms, performance = _clean(terms), _clean(performance, 2000)
    errors: dict[str, list[str]] = {}
    if not terms:
        errors["terms"] = [_("Write the terms the parties agreed on.")]
    if not performance:
        errors["performance"] = [_("Say how and by when the agreement is performed.")]
    if errors:
        raise ValidationFailed(
            _("The agreement was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        if locked.status != S.MEDIATING:
            raise Conflict(
                _("An agreement follows at least one mediation session; record the session first."),
                code="mediation_no_session",
            )
        _within_time_limit(locked)
        cleared = list(locked.parties.filter(signed_on__isnull=False).values_list("pk", flat=True))
        for party in locked.parties.filter(pk__in=cleared):
            party.signed_on = None
            party.save(update_fields=["signed_on"])
        old = locked.agreement_terms
        locked.agreement_terms, locked.performance = terms, performance
        locked.save()
        _record(
            locked,
            actor=actor,
            act="mediation.agreement",
            payload={
                "old_terms": old,
                "terms": terms,
                "performance": performance,
                "signatures_cleared": cleared,
            },
        )
    _sync(mediation, locked)
    return mediation


def mediation_signature_record(
    *, actor: Any, mediation: Mediation, party_id: Any, signed_on: datetime.date | None
) -> Party:
    """A party signed the agreement (on paper, before the mediator): recorded with the date."""
    policies.ensure(actor, "sign", mediation)
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        if not locked.agreement_terms:
            raise Conflict(
                _("Record the terms of the agreement before the signatures."), code="mediation_no_agreement"
            )
        _within_time_limit(locked)
        try:
            party = locked.parties.select_for_update().get(pk=int(party_id))
        except (TypeError, ValueError, Party.DoesNotExist):
            raise ValidationFailed(
                _("Choose a party of this mediation."),
                field_errors={"party": [_("Choose a party.")]},
                status=422,
            ) from None
        if not isinstance(signed_on, datetime.date) or signed_on > timezone.localdate():
            raise ValidationFailed(
                _("Give the day the party signed (not in the future)."),
                field_errors={"signed_on": [_("Give the day of the signature.")]},
                status=422,
            )
        if party.signed_on:
            raise Conflict(
                _("%(name)s has already signed this agreement.") % {"name": party.name},
                code="mediation_signed",
            )
        party.signed_on = signed_on
        party.save(update_fields=["signed_on"])
        _record(
            locked,
            actor=actor,
            act="mediation.sign",
            payload={"party": party.pk, "signed_on": signed_on.isoformat()},
        )
    return party


def _agreement_context(m: Mediation) -> dict[str, Any]:
    parties = list(m.parties.all())

    def line(p: Party) -> str:
        text = f"{Side(p.side).label}：{p.name}"
        if p.id_number:
            text += f"，身份证件号码（统一社会信用代码）：{p.id_number}"
        if p.address:
            text += f"，住所：{p.address}"
        if p.representative:
            text += f"；{p.representative_role}：{p.representative}"
        return text

    return {
        "mediation_number": m.number,
        "dispute_kind": str(DisputeKind(m.kind).label),
        "parties": [line(p) for p in parties],
        "dispute": m.summary,
        "terms": [t.strip() for t in m.agreement_terms.splitlines() if t.strip()],
        "performance": m.performance,
        "mediator": m.mediator.name if m.mediator else "",
        "signatures": [
            f"{p.name}（已签名，{p.signed_on.year}年{p.signed_on.month}月{p.signed_on.day}日）"
            for p in parties
            if p.signed_on
        ],
    }


def mediation_conclude(*, actor: Any, mediation: Mediation) -> Mediation:
    """调解成功: the 调解协议书 is issued (PDF, numbered, signed) once every party has signed it."""
    policies.ensure(actor, "conclude", mediation)
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        if locked.status != S.MEDIATING or not locked.agreement_terms:
            raise Conflict(_("Record the terms of the agreement first."), code="mediation_no_agreement")
        _within_time_limit(locked)
        parties = list(locked.parties.all())
        unsigned = [p.name for p in parties if not p.signed_on]
        sides = {p.side for p in parties if p.signed_on}
        if unsigned or sides != {Side.APPLICANT, Side.RESPONDENT}:
            raise DomainError(
                _(
                    "The agreement binds only once both parties have signed it (调解协议书 signed by both "
                    "parties, issue 8 §5). Not signed yet: %(names)s. Record their signatures first."
                )
                % {"names": "、".join(unsigned) or _("one side")},
                code="mediation_signatures_missing",
                status=409,
            )
        ensure_number_pattern(agency_id=locked.agency_id, sequence=DOCUMENT_KIND)
        document = document_services.document_issue(
            actor=actor,
            kind=DOCUMENT_KIND,
            context=_agreement_context(locked),
            subject_type="mediation.mediation",
            subject_id=locked.pk,
            agency=locked.agency,
            key=f"mediation-{locked.pk}-agreement",
        )
        locked.document_id, locked.document_number = document.pk, document.number
        locked.concluded_on = timezone.localdate()
        _move(
            locked,
            to=S.AGREED,
            actor=actor,
            act="mediation.conclude",
            payload={"document": document.pk, "number": document.number},
        )
        for d in selectors.mediation_deadlines(mediation=locked, kind=selectors.CONCLUSION, open_only=True):
            deadline_satisfy(actor=actor, deadline=d, by_act="mediation.conclude")
    _sync(mediation, locked)
    return mediation


def mediation_fail(*, actor: Any, mediation: Mediation, reason: str, routes: str = "") -> Mediation:
    """调解不成: the reason and the routes left to the parties (行政裁决, 诉讼) — allowed also after
    the time limit."""
    policies.ensure(actor, "fail", mediation)
    reason, routes = _clean(reason), _clean(routes) or DEFAULT_ROUTES
    if not reason:
        raise ValidationFailed(
            _("Say why the mediation failed."), field_errors={"reason": [_("Give the reason.")]}, status=422
        )
    with transaction.atomic():
        locked = _locked(mediation)
        _ended(locked)
        if locked.status == S.APPLIED:
            raise Conflict(
                _("An application not accepted yet is refused, not failed."), code="mediation_not_accepted"
            )
        locked.failure_reason, locked.routes = reason, routes
        locked.concluded_on = timezone.localdate()
        _move(
            locked,
            to=S.FAILED,
            actor=actor,
            act="mediation.fail",
            payload={"reason": reason, "routes": routes},
        )
        for d in selectors.mediation_deadlines(mediation=locked, kind=selectors.CONCLUSION, open_only=True):
            deadline_satisfy(actor=actor, deadline=d, by_act="mediation.fail")
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
