"""The summary-procedure wizard (简易程序): one call registers the case and walks it on the spot.

`summary_case_record` runs in one transaction: the lead and case (procedure summary), the party,
the acting officer on the case, then the declared acts `record_on_spot`, `decide_on_spot` and
`collect_on_spot` / `await_payment` / `execute_warning` (cases/workflow/summary.py). Any refusal
rolls everything back (no case, no number taken) and is raised to the caller.
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
from core.errors import PermissionDenied
from org.selectors import officer_for

PAYMENT_ON_SPOT = "on_spot"
PAYMENT_LATER = "later"


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
    today: datetime.date | None = None,
) -> Case:
    """当场处罚: register, record, decide and (for a fine) collect or leave to pay — all or nothing."""
    day = today or timezone.localdate()
    officer = officer_for(actor)
    if officer is None or officer.agency_id != agency.pk:
        raise PermissionDenied(
            _("Only officers of the agency may decide on the spot."), code="case_permission_denied"
        )
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
        locked = Case.objects.select_for_update().get(pk=case.pk)
        CaseOfficer.objects.create(case=locked, officer=officer, role=OfficerRole.LEAD, active=True)
        _bump(locked)
        _ledger(
            locked,
            actor=actor,
            act="case.officer_assigned",
            payload={"officer": officer.pk, "role": OfficerRole.LEAD},
        )
        _sync(case, locked)
        case_act(
            case=case,
            actor=actor,
            action="record_on_spot",
            data={"findings": findings, "facts_certain": facts_certain, "location": location},
            today=day,
        )
        case_act(
            case=case,
            actor=actor,
            action="decide_on_spot",
            data={"kinds": list(kinds), "amount": str(amount) if amount is not None else None},
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
