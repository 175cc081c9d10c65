"""严重违法失信名单 (issue 8 §7): publishing serious violators, under 国办发〔2020〕49号.

    entry = violator_propose(actor=officer, publication=pub, rule_code="revocation")
        # the decision is published and meets the rule (fine / penalty kinds, read from the case)
    violator_notify(actor=officer, entry=entry)
        # 拟列入严重违法失信名单告知书 issued through the documents app; the objection window
        # (publicity.violator_objection_workdays, 5 WD [U]) runs from today
    violator_objection(actor=officer, entry=entry, text=..., received_on=...)   # the party objects
    violator_objection_decide(actor=head, entry=entry, upheld=False, reason=...)
        # upheld → not listed (dropped); rejected → may be listed
    violator_list(actor=head, entry=entry)
        # only after the window closed and any objection was decided; display period from the rule
    credit_repair_apply(actor=officer, entry=entry, statement=...)  # 信用修复 application
    credit_repair_decide(actor=head, repair=..., approve=True, reason=...)  # → removed early
    violators_expire()  # periodic: entries past their display period are removed (idempotent)

proposed → notified → listed → removed, and proposed/notified → dropped (VIOLATOR_TRANSITIONS, one
`_move`); each move is a ledger act ``violator.<verb>``. The public page shows listed entries only,
with the masked party label, the decision number, the rule and its basis, and the display period.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.services.calendar import add_workdays, months_later
from core.services.ledger import ledger_append
from publicity import masking, policies
from publicity.models import CreditRepair, Publication, PublicationStatus, ViolatorEntry, ViolatorRule
from publicity.models import ViolatorStatus as V

BASIS = "国办发〔2020〕49号"
NOTICE_KIND = "violator_notice"

VIOLATOR_TRANSITIONS: dict[str, frozenset[str]] = {
    V.PROPOSED: frozenset({V.NOTIFIED, V.DROPPED}),
    V.NOTIFIED: frozenset({V.LISTED, V.DROPPED}),
    V.LISTED: frozenset({V.REMOVED}),
    V.DROPPED: frozenset(),
    V.REMOVED: frozenset(),
}
VERBS: dict[str, str] = {V.NOTIFIED: "notify", V.LISTED: "list", V.DROPPED: "drop", V.REMOVED: "remove"}
OPEN = (V.PROPOSED, V.NOTIFIED, V.LISTED)


def _move(entry: ViolatorEntry, *, to: str, actor: Any, payload: dict[str, Any] | None = None) -> None:
    old = entry.status
    if to not in VIOLATOR_TRANSITIONS[old]:
        raise DomainError(
            _(
                "The entry is “%(status)s”: a party is notified in writing and heard before it is listed, "
                "and a listed party leaves the list by credit repair or at the end of the display period."
            )
            % {"status": V(old).label},
            code="violator_transition",
            basis=BASIS,
        )
    entry.status = to
    entry.save()
    ledger_append(
        actor=actor,
        act=f"violator.{VERBS[to]}",
        obj=entry,
        agency_id=entry.agency_id,
        payload={"old": {"status": old}, "new": {"status": to}, **(payload or {})},
    )


def _locked(entry: ViolatorEntry) -> ViolatorEntry:
    return ViolatorEntry.objects.select_for_update().get(pk=entry.pk)


def decision_facts(case_id: int) -> dict[str, Any]:
    """The decided fine and penalty kinds of the case (read through cases.selectors)."""
    from cases.selectors import visible_cases

    row: dict[str, Any] = dict(
        visible_cases(None).filter(pk=case_id).values("decided_amount", "decided_kinds").first() or {}
    )
    return {"fine": row.get("decided_amount") or Decimal("0"), "kinds": list(row.get("decided_kinds") or [])}


def qualifies(rule: ViolatorRule, facts: dict[str, Any]) -> bool:
    if rule.min_fine is not None and Decimal(facts.get("fine") or 0) >= rule.min_fine:
        return True
    return bool(set(rule.penalty_kinds or []) & set(facts.get("kinds") or []))


def _criteria(rule: ViolatorRule) -> str:
    parts = []
    if rule.min_fine is not None:
        parts.append(_("a fine of at least %(amount)s yuan") % {"amount": rule.min_fine})
    if rule.penalty_kinds:
        parts.append(_("one of the penalties %(kinds)s") % {"kinds": "、".join(rule.penalty_kinds)})
    return _(" or ").join(parts) or _("no criterion (the rule is incomplete)")


def violator_propose(*, actor: Any, publication: Publication, rule_code: str) -> ViolatorEntry:
    """Propose to list the party of a published decision under an active rule it meets."""
    policies.ensure(actor, "violator_propose", publication.agency_id, obj=publication)
    rule = ViolatorRule.objects.filter(code=rule_code, active=True).first()
    if rule is None:
        raise DomainError(
            _("There is no active serious-violator rule “%(code)s”.") % {"code": rule_code},
            code="violator_rule_unknown",
            field_errors={"rule": [_("Choose one of the rules.")]},
        )
    if publication.status != PublicationStatus.PUBLISHED:
        raise DomainError(
            _("Only a party of a published decision can be listed: publish the decision first."),
            code="violator_not_published",
            basis=BASIS,
        )
    facts = decision_facts(publication.case_id)
    if not qualifies(rule, facts):
        raise DomainError(
            _("The decision does not meet the rule “%(rule)s” (it requires %(criteria)s; basis: %(basis)s).")
            % {"rule": rule.title, "criteria": _criteria(rule), "basis": rule.legal_basis},
            code="violator_not_qualified",
            basis=rule.legal_basis,
        )
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if ViolatorEntry.objects.filter(publication=locked, status__in=OPEN).exists():
            raise DomainError(
                _("The party of this decision is already proposed or listed."), code="violator_duplicate"
            )
        entry = ViolatorEntry.objects.create(
            publication=locked,
            rule=rule,
            agency_id=locked.agency_id,
            party_label=locked.party_label,
            decision_number=locked.document_number,
            reason=f"{rule.title}（{locked.document_number}）",
            proposed_by=actor if getattr(actor, "pk", None) else None,
        )
        ledger_append(
            actor=actor,
            act="violator.propose",
            obj=entry,
            agency_id=entry.agency_id,
            payload={
                "publication": locked.pk,
                "rule": rule.code,
                "basis": rule.legal_basis,
                "fine": str(facts["fine"]),
                "kinds": facts["kinds"],
                "new": {"status": V.PROPOSED},
            },
        )
    return entry


def _party_name(publication: Publication) -> str:
    data = publication.party_data or {}
    for key in ("organisations", "persons"):
        if data.get(key):
            return str(data[key][0])
    return publication.party_label


def violator_notify(*, actor: Any, entry: ViolatorEntry, today: datetime.date | None = None) -> ViolatorEntry:
    """告知: issue the written notice of the intended listing; the objection window starts."""
    from documents.services import document_issue
    from org.selectors import visible_agencies
    from publicity.selectors import legal_setting_int

    policies.ensure(actor, "violator_propose", entry.agency_id, obj=entry)
    today = today or timezone.localdate()
    days = legal_setting_int("publicity.violator_objection_workdays", 5)
    until = add_workdays(today, days).date
    with transaction.atomic():
        locked = _locked(entry)
        if locked.status != V.PROPOSED:
            _move(locked, to=V.NOTIFIED, actor=actor)  # raises with the rule
        pub = locked.publication
        agency = visible_agencies(None).get(pk=locked.agency_id)
        _ensure_number_pattern(agency.pk)
        document = document_issue(
            actor=actor,
            kind=NOTICE_KIND,
            context={
                "party_name": _party_name(pub),
                "decision_number": locked.decision_number,
                "rule_title": locked.rule.title,
                "legal_basis": locked.rule.legal_basis,
                "display_period": _("%(months)s months") % {"months": locked.rule.display_months},
                "objection_days": days,
                "objection_until": until,
            },
            subject_type="publicity.violatorentry",
            subject_id=locked.pk,
            agency=agency,
            on=today,
            key=f"violator-{locked.pk}",
        )
        locked.notified_on = today
        locked.objection_until = until
        locked.notice_document_id = document.pk
        locked.notice_number = document.number
        _move(
            locked,
            to=V.NOTIFIED,
            actor=actor,
            payload={
                "document": document.pk,
                "number": document.number,
                "objection_until": until.isoformat(),
            },
        )
    return locked


def _ensure_number_pattern(agency_id: int) -> None:
    from core.models import NumberPattern
    from core.scoping import agency_label
    from core.services.numbering import number_pattern_set

    if NumberPattern.objects.filter(agency_id=agency_id, kind=NOTICE_KIND).exists():
        return
    label = agency_label(agency_id)
    prefix = str(label.get("short_name") or label.get("name") or "")[:60]
    number_pattern_set(
        actor=None,
        agency_id=agency_id,
        kind=NOTICE_KIND,
        pattern="{prefix}信告〔{year}〕{seq}号",
        prefix=prefix,
    )


def violator_objection(
    *, actor: Any, entry: ViolatorEntry, text: str, received_on: datetime.date | None = None
) -> ViolatorEntry:
    """陈述申辩: record the party's objection, received within the window."""
    policies.ensure(actor, "violator_propose", entry.agency_id, obj=entry)
    received_on = received_on or timezone.localdate()
    text = (text or "").strip()
    if not text:
        raise DomainError(
            _("Write down the party's objection."),
            code="violator_objection_empty",
            field_errors={"text": [_("This field is required.")]},
        )
    with transaction.atomic():
        locked = _locked(entry)
        if locked.status != V.NOTIFIED or locked.objection_until is None:
            raise DomainError(
                _("An objection is recorded after the party was notified and before the listing."),
                code="violator_objection_state",
                basis=BASIS,
            )
        if received_on > locked.objection_until:
            raise DomainError(
                _("The objection window closed on %(date)s; an objection received on %(received)s is late.")
                % {"date": locked.objection_until, "received": received_on},
                code="violator_objection_late",
                basis=BASIS,
            )
        locked.objection_text = text
        locked.objection_received_on = received_on
        locked.objection_outcome = ""
        locked.save()
        ledger_append(
            actor=actor,
            act="violator.objection",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"received_on": received_on.isoformat(), "length": len(text)},
        )
    return locked


def violator_objection_decide(
    *, actor: Any, entry: ViolatorEntry, upheld: bool, reason: str
) -> ViolatorEntry:
    """The head decides the objection: upheld → the party is not listed; rejected → it may be."""
    policies.ensure(actor, "violator_list", entry.agency_id, obj=entry)
    if not (reason or "").strip():
        raise DomainError(
            _("Give the reason for the decision on the objection."),
            code="violator_reason_missing",
            field_errors={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        locked = _locked(entry)
        if not locked.objection_text or locked.objection_outcome:
            raise DomainError(
                _("There is no undecided objection on this entry."), code="violator_no_objection"
            )
        locked.objection_outcome = "upheld" if upheld else "rejected"
        locked.objection_reason = reason.strip()
        if upheld:
            _move(
                locked, to=V.DROPPED, actor=actor, payload={"objection": "upheld", "reason": reason.strip()}
            )
        else:
            locked.save()
            ledger_append(
                actor=actor,
                act="violator.objection_rejected",
                obj=locked,
                agency_id=locked.agency_id,
                payload={"reason": reason.strip()},
            )
    return locked


def violator_list(*, actor: Any, entry: ViolatorEntry, today: datetime.date | None = None) -> ViolatorEntry:
    """列入: after the objection window and any objection decided; the display period starts."""
    policies.ensure(actor, "violator_list", entry.agency_id, obj=entry)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(entry)
        if locked.status == V.NOTIFIED and locked.objection_until and today <= locked.objection_until:
            raise DomainError(
                _(
                    "The party may object until %(date)s: the listing waits until the objection window has "
                    "closed."
                )
                % {"date": locked.objection_until},
                code="violator_window_open",
                basis=BASIS,
            )
        if locked.objection_text and not locked.objection_outcome:
            raise DomainError(
                _("The party objected: decide the objection before listing."),
                code="violator_objection_pending",
                basis=BASIS,
            )
        locked.listed_on = today
        locked.display_until = months_later(today, locked.rule.display_months)
        _move(locked, to=V.LISTED, actor=actor, payload={"display_until": locked.display_until.isoformat()})
    return locked


def violator_drop(*, actor: Any, entry: ViolatorEntry, reason: str) -> ViolatorEntry:
    policies.ensure(actor, "violator_list", entry.agency_id, obj=entry)
    with transaction.atomic():
        locked = _locked(entry)
        _move(locked, to=V.DROPPED, actor=actor, payload={"reason": (reason or "").strip()})
    return locked


def credit_repair_apply(
    *, actor: Any, entry: ViolatorEntry, statement: str, submitted_on: datetime.date | None = None
) -> CreditRepair:
    """信用修复 application of a listed party (rectified, paid, committed), recorded by an officer."""
    policies.ensure(actor, "violator_propose", entry.agency_id, obj=entry)
    if not (statement or "").strip():
        raise DomainError(
            _("Write down what the party did to repair its credit (rectification, payment, commitment)."),
            code="credit_repair_empty",
            field_errors={"statement": [_("This field is required.")]},
        )
    with transaction.atomic():
        locked = _locked(entry)
        if locked.status != V.LISTED:
            raise DomainError(
                _("Only a listed party can apply for credit repair."), code="credit_repair_state"
            )
        if locked.repairs.filter(status="pending").exists():
            raise DomainError(
                _("A credit repair application is already pending."), code="credit_repair_pending"
            )
        repair = CreditRepair.objects.create(
            entry=locked,
            statement=statement.strip(),
            submitted_on=submitted_on or timezone.localdate(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        ledger_append(
            actor=actor,
            act="violator.repair_apply",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"repair": repair.pk},
        )
    return repair


def credit_repair_decide(*, actor: Any, repair: CreditRepair, approve: bool, reason: str) -> CreditRepair:
    """The head approves (the entry leaves the list now) or refuses, with a reason."""
    policies.ensure(actor, "violator_list", repair.entry.agency_id, obj=repair.entry)
    if not (reason or "").strip():
        raise DomainError(
            _("Give the reason for the decision on the credit repair."),
            code="violator_reason_missing",
            field_errors={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        locked = CreditRepair.objects.select_for_update().get(pk=repair.pk)
        if locked.status != "pending":
            raise DomainError(_("The application has been decided already."), code="credit_repair_decided")
        if actor is not None and locked.recorded_by_id == getattr(actor, "pk", None):
            raise DomainError(
                _("The officer who recorded the application may not approve it: the head decides."),
                code="credit_repair_same_person",
            )
        locked.status = "approved" if approve else "refused"
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.decided_at = timezone.now()
        locked.decision_reason = reason.strip()
        locked.save()
        entry = _locked(locked.entry)
        if approve:
            entry.removed_on = timezone.localdate()
            entry.removal_reason = "信用修复"
            _move(entry, to=V.REMOVED, actor=actor, payload={"repair": locked.pk, "reason": "credit_repair"})
        else:
            ledger_append(
                actor=actor,
                act="violator.repair_refused",
                obj=entry,
                agency_id=entry.agency_id,
                payload={"repair": locked.pk, "reason": reason.strip()},
            )
    return locked


def violators_expire(*, today: datetime.date | None = None) -> int:
    """Remove the listed entries whose display period has ended (system act; idempotent)."""
    today = today or timezone.localdate()
    n = 0
    for entry in ViolatorEntry.objects.filter(status=V.LISTED, display_until__lt=today).order_by("pk"):
        with transaction.atomic():
            locked = _locked(entry)
            if locked.status != V.LISTED:
                continue
            locked.removed_on = today
            locked.removal_reason = "公示期届满"
            _move(locked, to=V.REMOVED, actor=None, payload={"reason": "display_period_ended"})
            n += 1
    return n


def public_reason_is_clean(entry: ViolatorEntry) -> bool:
    """The public fields carry no personal data of the decision's parties."""
    party = masking.PartyData.from_dict(entry.publication.party_data)
    text = f"{entry.party_label} {entry.reason}"
    return not masking.residual_findings(text, party)
