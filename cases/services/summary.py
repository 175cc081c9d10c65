"""The summary-procedure wizard (简易程序): one call registers the case and walks it on the spot.

`summary_case_record` runs in one transaction: the lead and case (procedure summary), the party,
the acting officer and the second officer on the case (行政处罚法 Art.42: at least two), then the
declared acts `record_on_spot`, `decide_on_spot` (numbered decision handed over on the spot: a
Delivery in person, the filing deadline started) and `collect_on_spot` (a Payment against the fiscal
receipt) / `await_payment` / `execute_warning` (cases/workflow/summary.py). Any refusal rolls
everything back (no case, no number taken) and is raised to the caller.

The filing with the agency (备案, Art.52) and the hand-over of collected cash (Art.71) come later, at
the office, as the acts `file_with_agency` / `file_pending_payment` and `hand_over_cash`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseOfficer, LeadSource, OfficerRole, PenaltyKind, Procedure
from cases.services.cases import _bump, _ledger, _sync, lead_register, party_add
from cases.services.transitions import case_act
from core.errors import PermissionDenied, ValidationFailed
from org.selectors import officer_for, visible_officers

PAYMENT_ON_SPOT = "on_spot"
PAYMENT_LATER = "later"


def _co_officer(*, agency: Any, officer: Any, co_officer_id: int | None) -> Any:
    """The second officer on the spot: an active officer of the same agency, not the actor."""
    if co_officer_id is None:
        return None
    found = visible_officers(None).filter(pk=co_officer_id, agency_id=agency.pk, active=True).first()
    if found is None or found.pk == officer.pk:
        raise ValidationFailed(
            _("Choose the second officer on the spot among the other officers of the agency."),
            field_errors={"co_officer_id": [_("Choose another officer of the agency.")]},
        )
    return found


def _assign(*, actor: Any, case: Case, officer: Any, role: str) -> None:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    CaseOfficer.objects.create(case=locked, officer=officer, role=role, active=True)
    _bump(locked)
    _ledger(locked, actor=actor, act="case.officer_assigned", payload={"officer": officer.pk, "role": role})
    _sync(case, locked)


def summary_case_record(
    *,
    actor: Any,
    agency: Any,
    party_type: str,
    party_name: str,
    id_number: str,
    findings: str,
    facts_certain: bool,
    kinds: list[str],
    amount: Decimal | None = None,
    payment: str = PAYMENT_LATER,
    receipt_number: str = "",
    hard_to_collect: bool = False,
    location: str = "",
    party_address: str = "",
    field_code: str = "land",
    co_officer_id: int | None = None,
    certificates_shown: bool = False,
    legal_basis: str = "",
    rights_informed: bool = False,
    party_statement: str = "",
    statement_response: str = "",
    remedies_informed: bool = False,
    party_signed: bool = False,
    refusal_note: str = "",
    today: datetime.date | None = None,
) -> Case:
    """当场处罚 (行政处罚法 Arts.51–53, 68–70): register, record, decide, hand over the decision and
    (for a fine) collect it or leave it to be paid — all or nothing.

    The law's conditions are the declaration's guards, each refusal naming its article: two
    certified officers (Arts.42, 52) who showed their certificates (Art.52); the party identified
    (Art.52); facts certain, a warning or a fine within 200 / 3,000 yuan (Art.51); the legal basis and
    place stated (Arts.51–52); the party told the right to state and defend (Art.44), the statement
    answered (Art.45), the remedies stated (Art.52); signature or refusal noted (Art.52); on-the-spot
    collection only ≤ 100 yuan or if hard to collect (Art.68), with a fiscal receipt (Art.70).
    """
    day = today or timezone.localdate()
    officer = officer_for(actor)
    if officer is None or officer.agency_id != agency.pk:
        raise PermissionDenied(
            _("Only officers of the agency may decide on the spot."), code="case_permission_denied"
        )
    second = _co_officer(agency=agency, officer=officer, co_officer_id=co_officer_id)
    with transaction.atomic():
        case = lead_register(
            actor=actor,
            agency=agency,
            source=LeadSource.PATROL,
            discovered_on=day,
            description=findings,
            location=location,
            field_code=field_code,
            procedure=Procedure.SUMMARY,
        )
        party_add(
            actor=actor,
            case=case,
            party_type=party_type,
            name=party_name,
            id_number=id_number,
            address=party_address,
        )
        _assign(actor=actor, case=case, officer=officer, role=OfficerRole.LEAD)
        if second is not None:
            _assign(actor=actor, case=case, officer=second, role=OfficerRole.ASSISTANT)
        case_act(
            case=case,
            actor=actor,
            action="record_on_spot",
            data={
                "findings": findings,
                "facts_certain": facts_certain,
                "certificates_shown": certificates_shown,
                "location": location,
            },
            today=day,
        )
        case_act(
            case=case,
            actor=actor,
            action="decide_on_spot",
            data={
                "kinds": list(kinds),
                "amount": str(amount) if amount is not None else None,
                "legal_basis": legal_basis,
                "rights_informed": rights_informed,
                "party_statement": party_statement,
                "statement_response": statement_response,
                "remedies_informed": remedies_informed,
                "party_signed": party_signed,
                "refusal_note": refusal_note,
            },
            today=day,
        )
        if PenaltyKind.FINE not in case.decided_kinds:
            case_act(case=case, actor=actor, action="execute_warning", today=day)
        elif payment == PAYMENT_ON_SPOT:
            case_act(
                case=case,
                actor=actor,
                action="collect_on_spot",
                data={"receipt_number": receipt_number, "hard_to_collect": hard_to_collect},
                today=day,
            )
        else:
            case_act(case=case, actor=actor, action="await_payment", today=day)
    return case
