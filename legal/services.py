"""Writes on the legal department's registers. Keyword-only, with `actor`; each in one transaction with
its ledger act. A normative document's status changes only through `_move` (DOCUMENT_TRANSITIONS); a
referral's through `_move_referral` (REFERRAL_TRANSITIONS).

Time limits on the clock (LegalSettings, [U] configuration — LEGAL.md sets none):
`legal.referral_answer_workdays` (5) for the receiving agency to accept or refuse a referral, and
`legal.filing_days` (30 calendar days from the decision) to file a normative document with the level
above (by analogy with 法规规章备案条例 Art.3, 30 days).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from catalog import selectors as catalog_selectors
from core.errors import Conflict, ValidationFailed
from core.services.clock import deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from legal import policies, selectors
from legal.models import (
    Accountability,
    Adviser,
    Cleanup,
    CleanupResult,
    DocumentStatus,
    FaultKind,
    JointAction,
    NormativeDocument,
    OpinionRequest,
    OpinionStatus,
    Referral,
    ReferralStatus,
)
from org import selectors as org_selectors

D = DocumentStatus
DOCUMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    D.DRAFTING: frozenset({D.REVIEWING}),
    D.REVIEWING: frozenset({D.DRAFTING, D.REVIEWED}),  # failed review → back to drafting
    D.REVIEWED: frozenset({D.DECIDED}),
    D.DECIDED: frozenset({D.FILED}),
    D.FILED: frozenset({D.PUBLISHED}),
    D.PUBLISHED: frozenset({D.DRAFTING, D.REPEALED}),  # cleanup: amend / repeal (retain: no move)
    D.REPEALED: frozenset(),
}
R = ReferralStatus
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    R.SENT: frozenset({R.ACCEPTED, R.REFUSED}),
    R.ACCEPTED: frozenset(),
    R.REFUSED: frozenset(),
}

REFERRAL_DAYS = "legal.referral_answer_workdays"
FILING_DAYS = "legal.filing_days"
EXEMPTIONS = "legal.accountability_exemptions"
REFERRAL_KIND = "legal.referral_answer"
FILING_KIND = "legal.document_filing"


def _setting(key: str, default: Any) -> Any:
    return case_selectors.legal_setting(key, default)


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _record(*, actor: Any, act: str, obj: Any, payload: dict[str, Any]) -> None:
    ledger_append(actor=actor, act=act, obj=obj, agency_id=obj.agency_id, payload=payload)


def _required(errors: dict[str, list[str]], **values: Any) -> None:
    for name, value in values.items():
        if not str(value or "").strip():
            errors[name] = [_("This field is required.")]


def _raise(errors: dict[str, list[str]], what: str) -> None:
    if errors:
        raise ValidationFailed(what, field_errors=errors)


def _not_future(errors: dict[str, list[str]], **dates: dt.date | None) -> None:
    today = timezone.localdate()
    for name, day in dates.items():
        if day is None:
            errors[name] = [_("Enter a date.")]
        elif day > today:
            errors[name] = [_("The date cannot be in the future.")]


# --- advisers and opinions -----------------------------------------------------------------------


def adviser_add(
    *,
    actor: Any,
    agency: Any,
    name: str,
    firm: str,
    contract_start: dt.date,
    contract_end: dt.date,
    phone: str = "",
    specialties: str = "",
) -> Adviser:
    policies.ensure(actor, "manage", agency)
    errors: dict[str, list[str]] = {}
    _required(errors, name=name, firm=firm)
    if contract_end <= contract_start:
        errors["contract_end"] = [_("The engagement must end after it starts.")]
    _raise(errors, _("The adviser was not added: correct the fields listed."))
    with transaction.atomic():
        adviser = Adviser.objects.create(
            agency_id=agency.pk,
            name=_text(name, 50),
            firm=_text(firm, 200),
            phone=_text(phone, 50),
            specialties=_text(specialties, 200),
            contract_start=contract_start,
            contract_end=contract_end,
        )
        _record(
            actor=actor,
            act="legal.adviser_added",
            obj=adviser,
            payload={
                "name": adviser.name,
                "firm": adviser.firm,
                "contract_start": contract_start.isoformat(),
                "contract_end": contract_end.isoformat(),
            },
        )
    return adviser


def opinion_request(
    *,
    actor: Any,
    adviser: Adviser,
    question: str,
    case_id: int | None = None,
    document: NormativeDocument | None = None,
    draft_title: str = "",
) -> OpinionRequest:
    """Ask a legal adviser for an opinion on a case (checked through the cases selectors) or a draft."""
    policies.ensure(actor, "manage", adviser)
    errors: dict[str, list[str]] = {}
    _required(errors, question=question)
    if not adviser.active or adviser.contract_end < timezone.localdate():
        errors["adviser"] = [
            _("%(name)s is no longer engaged as legal adviser (engagement ended %(end)s).")
            % {"name": adviser.name, "end": adviser.contract_end.isoformat()}
        ]
    targets = sum(1 for t in (case_id, document, _text(draft_title, 200)) if t)
    if targets != 1:
        errors["case_id"] = [_("Ask about exactly one case or one draft.")]
    if case_id:
        case = case_selectors.visible_cases(actor).filter(pk=case_id, agency_id=adviser.agency_id).first()
        if case is None:
            errors["case_id"] = [_("Case %(id)s does not exist in the agency.") % {"id": case_id}]
    if document is not None and document.agency_id != adviser.agency_id:
        errors["document"] = [_("The draft belongs to another agency.")]
    _raise(errors, _("The request was not sent: correct the fields listed."))
    with transaction.atomic():
        request = OpinionRequest.objects.create(
            agency_id=adviser.agency_id,
            adviser=adviser,
            case_id=case_id or None,
            document=document,
            draft_title=_text(draft_title, 200),
            question=_text(question, 5000),
            requested_by=actor,
            requested_on=timezone.localdate(),
        )
        _record(
            actor=actor,
            act="legal.opinion_requested",
            obj=request,
            payload={
                "adviser": adviser.pk,
                "case": case_id,
                "document": getattr(document, "pk", None),
                "draft_title": request.draft_title,
            },
        )
    return request


def opinion_record(
    *, actor: Any, request: OpinionRequest, opinion: str, answered_on: dt.date
) -> OpinionRequest:
    policies.ensure(actor, "manage", request)
    errors: dict[str, list[str]] = {}
    _required(errors, opinion=opinion)
    _not_future(errors, answered_on=answered_on)
    if answered_on and answered_on < request.requested_on:
        errors["answered_on"] = [
            _("The opinion cannot be dated before the request (%(day)s).")
            % {"day": request.requested_on.isoformat()}
        ]
    _raise(errors, _("The opinion was not recorded: correct the fields listed."))
    with transaction.atomic():
        locked = OpinionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != OpinionStatus.REQUESTED:
            raise Conflict(
                _("This request is already %(status)s; an opinion is recorded once.")
                % {"status": OpinionStatus(locked.status).label},
                code="opinion_closed",
            )
        locked.status, locked.opinion, locked.answered_on = (
            OpinionStatus.ANSWERED,
            _text(opinion, 20000),
            answered_on,
        )
        locked.save()
        _record(
            actor=actor,
            act="legal.opinion_recorded",
            obj=locked,
            payload={
                "from": OpinionStatus.REQUESTED,
                "to": OpinionStatus.ANSWERED,
                "answered_on": answered_on.isoformat(),
                "opinion_sha256": hashlib.sha256(locked.opinion.encode()).hexdigest(),
            },
        )
    return locked


# --- normative documents -------------------------------------------------------------------------


def _move(
    doc: NormativeDocument, *, to: str, actor: Any, act: str, changes: dict[str, Any]
) -> NormativeDocument:
    """The only code that changes a normative document's status."""
    if to not in DOCUMENT_TRANSITIONS[doc.status]:
        allowed = "、".join(str(D(s).label) for s in sorted(DOCUMENT_TRANSITIONS[doc.status]))
        raise Conflict(
            _(
                "A normative document that is “%(from)s” cannot become “%(to)s”; the order is drafting → "
                "legality review → decision → filing with the level above → publication → cleanup. "
                "Allowed next: %(allowed)s."
            )
            % {"from": D(doc.status).label, "to": D(to).label, "allowed": allowed or _("none")},
            code="document_transition_refused",
        )
    old = {"status": doc.status, **{k: _plain(getattr(doc, k)) for k in changes}}
    for key, value in changes.items():
        setattr(doc, key, value)
    doc.status = to
    doc.save()
    new = {"status": to, **{k: _plain(v) for k, v in changes.items()}}
    _record(actor=actor, act=act, obj=doc, payload={"old": old, "new": new})
    return doc


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _locked_doc(doc: NormativeDocument) -> NormativeDocument:
    return NormativeDocument.objects.select_for_update().get(pk=doc.pk)


def _power_codes(errors: dict[str, list[str]], codes: Iterable[str]) -> list[str]:
    """The codes normalised (trimmed, once each, sorted); an error unless each is a power-list item."""
    wanted = sorted({str(c).strip() for c in codes if str(c).strip()})
    if len(wanted) > 50 or any(len(c) > 50 for c in wanted):
        errors["power_codes"] = [_("Give at most 50 power-list codes of at most 50 characters each.")]
        return wanted
    known = set(
        catalog_selectors.visible_power_items(None).filter(code__in=wanted).values_list("code", flat=True)
    )
    unknown = [c for c in wanted if c not in known]
    if unknown:
        errors["power_codes"] = [
            _("Not in the power list: %(codes)s. Give the codes of the power-list items (权责清单).")
            % {"codes": "、".join(unknown)}
        ]
    return wanted


def document_draft(
    *, actor: Any, agency: Any, title: str, summary: str = "", power_codes: Iterable[str] = ()
) -> NormativeDocument:
    """Draft a normative document, optionally naming the power-list items it is a basis for."""
    policies.ensure(actor, "manage", agency)
    errors: dict[str, list[str]] = {}
    _required(errors, title=title)
    codes = _power_codes(errors, power_codes)
    _raise(errors, _("The draft was not saved: correct the fields listed."))
    with transaction.atomic():
        doc = NormativeDocument.objects.create(
            agency_id=agency.pk, title=_text(title, 200), summary=_text(summary, 5000), power_codes=codes
        )
        _record(
            actor=actor,
            act="legal.document_drafted",
            obj=doc,
            payload={"title": doc.title, "power_codes": codes},
        )
    return doc


def document_powers_set(
    *, actor: Any, document: NormativeDocument, power_codes: Iterable[str]
) -> NormativeDocument:
    """Name the power-list items the document is an enforcement basis for (the catalog links them to
    it while it is in force); not for a repealed document."""
    policies.ensure(actor, "manage", document)
    errors: dict[str, list[str]] = {}
    codes = _power_codes(errors, power_codes)
    _raise(errors, _("The power-list items were not saved: correct the fields listed."))
    with transaction.atomic():
        doc = _locked_doc(document)
        if doc.status == D.REPEALED:
            raise Conflict(
                _(
                    "A repealed normative document is no longer a basis for enforcement; link a document "
                    "in force."
                ),
                code="document_repealed",
            )
        if doc.power_codes != codes:
            old = list(doc.power_codes)
            doc.power_codes = codes
            doc.save(update_fields=["power_codes", "updated_at"])
            _record(
                actor=actor,
                act="legal.document_powers_set",
                obj=doc,
                payload={"old": {"power_codes": old}, "new": {"power_codes": codes}},
            )
    document.power_codes = doc.power_codes
    return doc


def document_submit(*, actor: Any, document: NormativeDocument) -> NormativeDocument:
    """Send the draft to the legality review (合法性审查)."""
    policies.ensure(actor, "manage", document)
    with transaction.atomic():
        return _move(
            _locked_doc(document), to=D.REVIEWING, actor=actor, act="legal.document_submitted", changes={}
        )


def document_review(
    *, actor: Any, document: NormativeDocument, lawful: bool, opinion: str
) -> NormativeDocument:
    """The legality review: lawful → may be decided; not lawful → back to drafting with the opinion."""
    policies.ensure(actor, "manage", document)
    if not _text(opinion, 10000):
        raise ValidationFailed(
            _("Write the review opinion (it is kept with the document)."),
            field_errors={"opinion": [_("This field is required.")]},
        )
    with transaction.atomic():
        doc = _locked_doc(document)
        return _move(
            doc,
            to=D.REVIEWED if lawful else D.DRAFTING,
            actor=actor,
            act="legal.document_reviewed",
            changes={"review_opinion": _text(opinion, 10000), "reviewed_on": timezone.localdate()},
        )


def document_decide(
    *, actor: Any, document: NormativeDocument, doc_number: str, decided_on: dt.date, decided_by: str
) -> NormativeDocument:
    """Adopted (by the collective meeting named) and numbered; starts the filing time limit."""
    policies.ensure(actor, "decide", document)
    errors: dict[str, list[str]] = {}
    _required(errors, doc_number=doc_number, decided_by=decided_by)
    _not_future(errors, decided_on=decided_on)
    _raise(errors, _("The decision was not recorded: correct the fields listed."))
    with transaction.atomic():
        doc = _move(
            _locked_doc(document),
            to=D.DECIDED,
            actor=actor,
            act="legal.document_decided",
            changes={
                "doc_number": _text(doc_number, 100),
                "decided_on": decided_on,
                "decided_by": _text(decided_by, 200),
                "version": document.version,
            },
        )
        deadline_start(
            actor=actor,
            subject=doc,
            agency_id=doc.agency_id,
            kind=FILING_KIND,
            title=_("File “%(title)s” with the level above") % {"title": doc.title},
            legal_basis=_(
                "[U] filing of normative documents within the configured days (by analogy with "
                "法规规章备案条例 Art.3)"
            ),
            unit="calendar_days",
            amount=int(_setting(FILING_DAYS, 30)),
            start_date=decided_on,
            responsible=actor if getattr(actor, "pk", None) else None,
        )
    return doc


def _satisfy(subject: Any, kind: str, actor: Any, by_act: str) -> None:
    for deadline in selectors.open_deadlines(subject=subject, kind=kind):
        deadline_satisfy(actor=actor, deadline=deadline, by_act=by_act)


def document_file(
    *, actor: Any, document: NormativeDocument, filed_with: str, filed_on: dt.date, receipt: str
) -> NormativeDocument:
    """备案 with the level above: the receipt (回执) number is required."""
    policies.ensure(actor, "manage", document)
    errors: dict[str, list[str]] = {}
    _required(errors, filed_with=filed_with, receipt=receipt)
    _not_future(errors, filed_on=filed_on)
    if filed_on and document.decided_on and filed_on < document.decided_on:
        errors["filed_on"] = [
            _("Filing cannot precede the decision (%(day)s).") % {"day": document.decided_on}
        ]
    _raise(
        errors,
        _(
            "The filing was not recorded: the level above's receipt is required (seed 003: every "
            "normative document is filed)."
        ),
    )
    with transaction.atomic():
        doc = _move(
            _locked_doc(document),
            to=D.FILED,
            actor=actor,
            act="legal.document_filed",
            changes={
                "filed_with": _text(filed_with, 200),
                "filed_on": filed_on,
                "filing_receipt": _text(receipt, 100),
            },
        )
        _satisfy(doc, FILING_KIND, actor, "legal.document_filed")
    return doc


def document_publish(
    *, actor: Any, document: NormativeDocument, published_on: dt.date, published_where: str
) -> NormativeDocument:
    policies.ensure(actor, "manage", document)
    errors: dict[str, list[str]] = {}
    _required(errors, published_where=published_where)
    _not_future(errors, published_on=published_on)
    _raise(errors, _("The publication was not recorded: correct the fields listed."))
    with transaction.atomic():
        return _move(
            _locked_doc(document),
            to=D.PUBLISHED,
            actor=actor,
            act="legal.document_published",
            changes={"published_on": published_on, "published_where": _text(published_where, 200)},
        )


def document_cleanup(
    *, actor: Any, document: NormativeDocument, round: str, result: str, reason: str, done_on: dt.date
) -> Cleanup:
    """清理: the result of a cleanup round for one published document — retain, amend (back to
    drafting as a new version) or repeal."""
    policies.ensure(actor, "manage", document)
    errors: dict[str, list[str]] = {}
    _required(errors, round=round, reason=reason)
    _not_future(errors, done_on=done_on)
    if result not in CleanupResult.values:
        errors["result"] = [_("Choose retain, amend or repeal.")]
    _raise(errors, _("The cleanup result was not recorded: correct the fields listed."))
    with transaction.atomic():
        doc = _locked_doc(document)
        if doc.status != D.PUBLISHED:
            raise Conflict(
                _("Only a published document is cleaned up; this one is “%(status)s”.")
                % {"status": D(doc.status).label},
                code="document_not_published",
            )
        if Cleanup.objects.filter(document=doc, round=_text(round, 60)).exists():
            raise Conflict(
                _("The document already has a result in the cleanup round “%(round)s”.") % {"round": round},
                code="cleanup_exists",
            )
        row = Cleanup.objects.create(
            document=doc,
            round=_text(round, 60),
            result=result,
            reason=_text(reason, 5000),
            done_on=done_on,
            by=actor if getattr(actor, "pk", None) else None,
        )
        if result == CleanupResult.REPEAL:
            _move(
                doc,
                to=D.REPEALED,
                actor=actor,
                act="legal.document_cleaned",
                changes={"repealed_on": done_on},
            )
        elif result == CleanupResult.AMEND:
            _move(
                doc,
                to=D.DRAFTING,
                actor=actor,
                act="legal.document_cleaned",
                changes={"version": doc.version + 1},
            )
        else:
            _record(
                actor=actor,
                act="legal.document_cleaned",
                obj=doc,
                payload={"round": row.round, "result": result},
            )
    document.refresh_from_db()
    return row


# --- referrals and joint actions -------------------------------------------------------------------


def referral_send(
    *,
    actor: Any,
    agency: Any,
    to_name: str,
    subject: str,
    reason: str,
    sent_on: dt.date,
    case_id: int | None = None,
    to_agency_id: int | None = None,
) -> Referral:
    """移送 a matter (optionally a case of the agency) to another agency; the receiving agency's answer
    is due within the configured working days."""
    policies.ensure(actor, "manage", agency)
    errors: dict[str, list[str]] = {}
    to_agency = None
    if to_agency_id:
        to_agency = org_selectors.visible_agencies(None).filter(pk=to_agency_id, active=True).first()
        if to_agency is None or to_agency.pk == agency.pk:
            errors["to_agency_id"] = [_("Choose another active agency.")]
        elif not _text(to_name, 200):
            to_name = to_agency.name
    _required(errors, to_name=to_name, subject=subject, reason=reason)
    _not_future(errors, sent_on=sent_on)
    if case_id and not case_selectors.visible_cases(actor).filter(pk=case_id, agency_id=agency.pk).exists():
        errors["case_id"] = [_("Case %(id)s does not exist in the agency.") % {"id": case_id}]
    _raise(errors, _("The referral was not recorded: correct the fields listed."))
    with transaction.atomic():
        referral = Referral.objects.create(
            agency_id=agency.pk,
            case_id=case_id or None,
            to_agency=to_agency,
            to_name=_text(to_name, 200),
            subject=_text(subject, 200),
            reason=_text(reason, 5000),
            sent_on=sent_on,
        )
        _record(
            actor=actor,
            act="legal.referral_sent",
            obj=referral,
            payload={
                "case": case_id,
                "to_agency": to_agency_id,
                "to_name": referral.to_name,
                "subject": referral.subject,
                "sent_on": sent_on.isoformat(),
            },
        )
        deadline_start(
            actor=actor,
            subject=referral,
            agency_id=agency.pk,
            kind=REFERRAL_KIND,
            title=_("Acceptance of the referral “%(subject)s” by %(to)s")
            % {"subject": referral.subject, "to": referral.to_name},
            legal_basis=_("[U] answer to a referral within the configured working days"),
            unit="workdays",
            amount=int(_setting(REFERRAL_DAYS, 5)),
            start_date=sent_on,
            responsible=actor if getattr(actor, "pk", None) else None,
        )
    return referral


def referral_answer(
    *,
    actor: Any,
    referral: Referral,
    accepted: bool,
    answered_on: dt.date,
    receipt_number: str = "",
    note: str = "",
) -> Referral:
    """The receiving agency accepts (with its receipt number) or refuses (with its reason)."""
    policies.ensure(actor, "answer_referral", referral)
    errors: dict[str, list[str]] = {}
    if accepted:
        _required(errors, receipt_number=receipt_number)
    else:
        _required(errors, note=note)
    _not_future(errors, answered_on=answered_on)
    if answered_on and answered_on < referral.sent_on:
        errors["answered_on"] = [
            _("The answer cannot precede the referral (%(day)s).") % {"day": referral.sent_on}
        ]
    _raise(
        errors,
        _("The answer was not recorded: an acceptance needs its receipt number, a refusal its reason."),
    )
    to = R.ACCEPTED if accepted else R.REFUSED
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if to not in REFERRAL_TRANSITIONS[locked.status]:
            raise Conflict(
                _("The referral was already answered (%(status)s).") % {"status": R(locked.status).label},
                code="referral_answered",
            )
        old = locked.status
        locked.status, locked.answered_on = to, answered_on
        locked.receipt_number, locked.answer_note = _text(receipt_number, 100), _text(note, 5000)
        locked.save()
        _record(
            actor=actor,
            act="legal.referral_answered",
            obj=locked,
            payload={
                "from": old,
                "to": to,
                "receipt_number": locked.receipt_number,
                "answered_on": answered_on.isoformat(),
            },
        )
        _satisfy(locked, REFERRAL_KIND, actor, "legal.referral_answered")
    return locked


def joint_action_record(
    *, actor: Any, agency: Any, title: str, held_on: dt.date, participants: Iterable[Any], place: str = ""
) -> JointAction:
    """联合执法 with the participating agencies: agency ids on the platform or names of outside bodies."""
    policies.ensure(actor, "manage", agency)
    errors: dict[str, list[str]] = {}
    _required(errors, title=title)
    parties: list[dict[str, Any]] = []
    for item in participants:
        if isinstance(item, int) or str(item).isdigit():
            other = org_selectors.visible_agencies(None).filter(pk=int(item)).first()
            if other is None:
                errors["participants"] = [_("Unknown agency %(id)s.") % {"id": item}]
                continue
            parties.append({"agency_id": other.pk, "name": other.name})
        elif _text(item, 200):
            parties.append({"agency_id": None, "name": _text(item, 200)})
    if not parties:
        errors.setdefault("participants", [_("Name at least one other participating agency.")])
    _raise(errors, _("The joint action was not recorded: correct the fields listed."))
    with transaction.atomic():
        action = JointAction.objects.create(
            agency_id=agency.pk,
            title=_text(title, 200),
            held_on=held_on,
            place=_text(place, 200),
            participants=parties,
        )
        _record(
            actor=actor,
            act="legal.joint_action",
            obj=action,
            payload={"title": action.title, "held_on": held_on.isoformat(), "participants": parties},
        )
    return action


def joint_action_result(
    *, actor: Any, action: JointAction, result: str, violations_found: int, cases_opened: int
) -> JointAction:
    policies.ensure(actor, "manage", action)
    errors: dict[str, list[str]] = {}
    _required(errors, result=result)
    if not isinstance(violations_found, int) or violations_found < 0:
        errors["violations_found"] = [_("Enter a whole number, 0 or more.")]
    if not isinstance(cases_opened, int) or cases_opened < 0:
        errors["cases_opened"] = [_("Enter a whole number, 0 or more.")]
    _raise(errors, _("The result was not recorded: correct the fields listed."))
    with transaction.atomic():
        locked = JointAction.objects.select_for_update().get(pk=action.pk)
        old = {
            "result": locked.result,
            "violations_found": locked.violations_found,
            "cases_opened": locked.cases_opened,
        }
        locked.result, locked.violations_found, locked.cases_opened = (
            _text(result, 10000),
            violations_found,
            cases_opened,
        )
        locked.save()
        _record(
            actor=actor,
            act="legal.joint_action_result",
            obj=locked,
            payload={
                "old": old,
                "new": {
                    "result": locked.result,
                    "violations_found": violations_found,
                    "cases_opened": cases_opened,
                },
            },
        )
    return locked


# --- accountability ------------------------------------------------------------------------------


def exemption_grounds() -> dict[str, str]:
    """The grounds of 免予追究 (LegalSetting `legal.accountability_exemptions`, code → label)."""
    rows = _setting(EXEMPTIONS, [])
    return {str(r["code"]): str(r["label"]) for r in rows if isinstance(r, dict) and "code" in r}


def accountability_record(
    *,
    actor: Any,
    agency: Any,
    kind: str,
    person_ids: Iterable[int],
    finding: str,
    found_on: dt.date,
    consequence: str = "",
    exemptions: Iterable[str] = (),
    case_id: int | None = None,
) -> Accountability:
    """责任追究: a fault finding. With an exemption ground the finding is recorded as exempted
    (免予追究) and the consequence must say so; without one a consequence is required."""
    policies.ensure(actor, "accountability", agency)
    errors: dict[str, list[str]] = {}
    if kind not in FaultKind.values:
        errors["kind"] = [_("Choose omission, wrong case or abuse of power.")]
    _required(errors, finding=finding)
    _not_future(errors, found_on=found_on)
    ids = sorted({int(i) for i in person_ids})
    persons = list(org_selectors.visible_officers(None).filter(pk__in=ids, agency_id=agency.pk))
    if not ids or len(persons) != len(ids):
        errors["person_ids"] = [_("Name the officers of the agency the finding concerns.")]
    grounds = exemption_grounds()
    codes = sorted(set(exemptions))
    unknown = [c for c in codes if c not in grounds]
    if unknown:
        errors["exemptions"] = [_("Unknown exemption ground(s): %(codes)s.") % {"codes": "、".join(unknown)}]
    if not codes and not _text(consequence, 200):
        errors["consequence"] = [_("State the consequence, or the exemption ground that applies.")]
    if kind == FaultKind.WRONG_CASE and not case_id:
        errors["case_id"] = [_("A wrong-case finding names the case.")]
    if case_id and not case_selectors.visible_cases(actor).filter(pk=case_id, agency_id=agency.pk).exists():
        errors["case_id"] = [_("Case %(id)s does not exist in the agency.") % {"id": case_id}]
    _raise(errors, _("The finding was not recorded: correct the fields listed."))
    with transaction.atomic():
        row = Accountability.objects.create(
            agency_id=agency.pk,
            kind=kind,
            case_id=case_id or None,
            finding=_text(finding, 20000),
            consequence=_text(consequence, 200) or (_("exempted (免予追究)") if codes else ""),
            exemptions=codes,
            exempted=bool(codes),
            found_on=found_on,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        row.persons.set(persons)
        # The finding's text stays out of the ledger (read by the audit administrator): its digest.
        _record(
            actor=actor,
            act="legal.accountability_recorded",
            obj=row,
            payload={
                "kind": kind,
                "case": case_id,
                "persons": ids,
                "exemptions": codes,
                "exempted": bool(codes),
                "found_on": found_on.isoformat(),
                "finding_sha256": hashlib.sha256(row.finding.encode()).hexdigest(),
            },
        )
    return row
