"""Mediation proceedings: parties and representatives, sessions with their records, extension by the
parties' agreement, the agreement and its signatures, the 调解协议书, failure with the routes left."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, ValidationFailed
from core.models import Deadline
from core.services.clock import deadline_cancel, deadline_satisfy, deadline_start
from documents import services as document_services
from mediation import policies, selectors
from mediation.models import (
    DisputeKind,
    Extension,
    Mediation,
    Party,
    Session,
    Side,
)
from mediation.models import Status as S
from mediation.services._common import (
    BASIS,
    DEFAULT_ROUTES,
    DOCUMENT_KIND,
    _clean,
    _ended,
    _locked,
    _move,
    _officer,
    _record,
    _sync,
    _within_time_limit,
    ensure_number_pattern,
    notify_parties,
)
from mediation.services.intake import _party_errors


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
        notify_parties(
            locked,
            actor=actor,
            event="mediation.session",
            occasion=str(session.pk),
            subject=_("A mediation session was recorded"),
            text=lambda p: (
                _(
                    "%(name)s: the session of mediation %(number)s held on %(on)s at %(place)s is recorded. "
                    "You may read the record at %(agency)s."
                )
                % {
                    "name": p.name,
                    "number": locked.number,
                    "on": f"{held_on.year}年{held_on.month}月{held_on.day}日",
                    "place": place,
                    "agency": locked.agency.name,
                }
            ),
        )
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
        notify_parties(
            locked,
            actor=actor,
            event="mediation.conclude",
            subject=_("The mediation agreement is issued"),
            text=lambda p: (
                _(
                    "%(name)s: the agreement of mediation %(number)s, signed by both parties, is issued as "
                    "%(document)s. Perform it as agreed: %(performance)s"
                )
                % {
                    "name": p.name,
                    "number": locked.number,
                    "document": document.number,
                    "performance": locked.performance,
                }
            ),
        )
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
        notify_parties(
            locked,
            actor=actor,
            event="mediation.fail",
            subject=_("The mediation ended without agreement"),
            text=lambda p: (
                _("%(name)s: mediation %(number)s ended without agreement (%(reason)s). %(routes)s")
                % {"name": p.name, "number": locked.number, "reason": reason.rstrip("。."), "routes": routes}
            ),
        )
    _sync(mediation, locked)
    return mediation
