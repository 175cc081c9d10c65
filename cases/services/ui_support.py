"""Compositions of existing case services that one screen or endpoint performs as one act.

Nothing here holds a rule of its own: each step is an existing service (which checks the policy,
validates and writes its ledger act); this module only makes the steps one transaction, so that a
refused step leaves nothing half-done.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.models import CaseOfficer, OfficerRole, Recusal, RecusalOutcome
from cases.services.cases import case_officer_assign, recusal_decide


def recusal_decide_and_reassign(
    *,
    actor: Any,
    recusal: Recusal,
    granted: bool,
    reason: str = "",
    replacement_id: int | None = None,
) -> Recusal:
    """The head decides a 回避 (行政处罚法 Art.43) and, when granting it, assigns the officer who
    takes over, in one transaction (a refused assignment undoes the decision)."""
    with transaction.atomic():
        decided = recusal_decide(actor=actor, recusal=recusal, granted=granted, reason=reason)
        if decided.outcome == RecusalOutcome.GRANTED and replacement_id is not None:
            # the replacement takes the role the withdrawing officer had
            role = (
                CaseOfficer.objects.filter(case_id=decided.case_id, officer_id=decided.officer_id)
                .order_by("-pk")
                .values_list("role", flat=True)
                .first()
            ) or OfficerRole.ASSISTANT
            case_officer_assign(actor=actor, case=decided.case, officer_id=replacement_id, role=role)
    return decided
