"""复议 / 诉讼: applications against a decision and their outcomes.

A change or revocation updates the case (ledger act `case.remedy_outcome`, a case event); a
revocation or a finding of unlawfulness marks the decision revoked (`Case.decision_revoked_on`).
What was published is withdrawn in the same transaction (行政处罚法 Art.48, within 3 WD) by
`request_publication_withdrawal`, which also sends `decision_withdrawal_required` after the commit.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import policies
from cases.models import Case, PenaltyKind, Remedy, RemedyKind, RemedyOutcome
from cases.services.cases import _bump, _ledger, _locked, _sync
from core.errors import ValidationFailed

# Sent (after the commit) with sender=Case, case_id, remedy_id, outcome, decided_on when a
# reconsideration or court changed, revoked or found unlawful the decision.
decision_withdrawal_required = Signal()

WITHDRAWING_OUTCOMES = (RemedyOutcome.CHANGED, RemedyOutcome.REVOKED, RemedyOutcome.CONFIRMED_UNLAWFUL)
REVOKING_OUTCOMES = (RemedyOutcome.REVOKED, RemedyOutcome.CONFIRMED_UNLAWFUL)


def request_publication_withdrawal(*, case: Case, remedy: Remedy) -> None:
    """Withdraw the published decision at once (Art.48: within 3 WD), as the system, with a reason
    naming the body and the outcome only (cases.services.publication.withdraw_for_remedy); then
    tell any other listener after the commit."""
    from cases.services.publication import withdraw_for_remedy

    withdraw_for_remedy(
        case=case, remedy_kind=remedy.kind, outcome=remedy.outcome, revoked_on=remedy.decided_on
    )
    payload = {
        "case_id": case.pk,
        "remedy_id": remedy.pk,
        "outcome": remedy.outcome,
        "decided_on": remedy.decided_on,
    }
    transaction.on_commit(lambda: decision_withdrawal_required.send(sender=Case, **payload))


def remedy_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    filed_on: datetime.date,
    body: str,
    note: str = "",
) -> Remedy:
    """Record an application for reconsideration (复议) or a suit (诉讼) against the decision.

    While it is pending the late surcharge is not counted (行政处罚法 Art.73); execution is not
    suspended.
    """
    policies.ensure(actor, "act", case)
    errors: dict[str, list[str]] = {}
    if kind not in RemedyKind.values:
        errors["kind"] = [_("Choose reconsideration or litigation.")]
    if not (body or "").strip():
        errors["body"] = [_("Name the reconsideration body or the court.")]
    if filed_on > timezone.localdate():
        errors["filed_on"] = [_("The filing date cannot lie in the future.")]
    if case.decided_on is None:
        errors["filed_on"] = [_("There is no decision to challenge yet.")]
    elif filed_on < case.decided_on:
        errors["filed_on"] = [_("The filing date lies before the decision.")]
    if errors:
        raise ValidationFailed(
            _("The reconsideration or litigation was not recorded: correct the fields listed."),
            field_errors=errors,
        )
    with transaction.atomic():
        locked = _locked(case)
        remedy = Remedy.objects.create(
            case=locked, kind=kind, filed_on=filed_on, body=body.strip(), note=note
        )
        _bump(locked)
        _ledger(
            locked,
            actor=actor,
            act="case.remedy_record",
            payload={"remedy": remedy.pk, "kind": kind, "filed_on": filed_on, "body": remedy.body},
        )
    _sync(case, locked)
    return remedy


def remedy_outcome_record(
    *,
    actor: Any,
    remedy: Remedy,
    outcome: str,
    decided_on: datetime.date,
    changed_amount: Decimal | None = None,
    changed_kinds: list[str] | None = None,
    note: str = "",
) -> Remedy:
    """Record the outcome (upheld, changed, revoked, confirmed unlawful) of a reconsideration or suit.

    - changed: the decided penalty becomes `changed_kinds` / `changed_amount` (those given);
    - revoked / confirmed unlawful: the decision is marked revoked;
    - changed, revoked, confirmed unlawful: `request_publication_withdrawal` (Art.48).
    Ledger act `case.remedy_outcome` with old and new values.
    """
    case = remedy.case
    policies.ensure(actor, "act", case)
    errors: dict[str, list[str]] = {}
    if outcome not in RemedyOutcome.values:
        errors["outcome"] = [_("Choose upheld, changed, revoked or confirmed unlawful.")]
    if decided_on < remedy.filed_on:
        errors["decided_on"] = [_("The outcome cannot be decided before the application was filed.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date cannot lie in the future.")]
    if outcome == RemedyOutcome.CHANGED:
        if changed_amount is None and changed_kinds is None:
            errors["changed_amount"] = [_("Give the changed penalty (kinds or amount).")]
        if changed_amount is not None and changed_amount < 0:
            errors["changed_amount"] = [_("Enter a non-negative amount in yuan.")]
        if changed_kinds is not None and any(k not in PenaltyKind.values for k in changed_kinds):
            errors["changed_kinds"] = [_("Choose kinds of penalty from the list.")]
    if errors:
        raise ValidationFailed(
            _("The outcome was not recorded: correct the fields listed."), field_errors=errors
        )
    with transaction.atomic():
        locked_remedy = Remedy.objects.select_for_update().get(pk=remedy.pk)
        if locked_remedy.outcome:
            raise ValidationFailed(
                _("The outcome of this application is already recorded."),
                code="remedy_already_decided",
                field_errors={"outcome": [_("Already recorded.")]},
            )
        locked = _locked(case)
        old = {
            "decided_kinds": list(locked.decided_kinds or []),
            "decided_amount": locked.decided_amount,
            "decision_revoked_on": locked.decision_revoked_on,
        }
        locked_remedy.outcome, locked_remedy.decided_on = outcome, decided_on
        if note:
            locked_remedy.note = "\n".join(x for x in (locked_remedy.note, note) if x)
        locked_remedy.save()
        if outcome == RemedyOutcome.CHANGED:
            if changed_kinds is not None:
                locked.decided_kinds = list(changed_kinds)
            if changed_amount is not None:
                locked.decided_amount = changed_amount
        if outcome in REVOKING_OUTCOMES:
            locked.decision_revoked_on = decided_on
        new = {
            "decided_kinds": list(locked.decided_kinds or []),
            "decided_amount": locked.decided_amount,
            "decision_revoked_on": locked.decision_revoked_on,
        }
        _bump(locked)
        _ledger(
            locked,
            actor=actor,
            act="case.remedy_outcome",
            payload={
                "remedy": locked_remedy.pk,
                "kind": locked_remedy.kind,
                "outcome": outcome,
                "decided_on": decided_on,
                "old": old,
                "new": new,
            },
        )
        if outcome in WITHDRAWING_OUTCOMES:
            request_publication_withdrawal(case=locked, remedy=locked_remedy)
    _sync(case, locked)
    remedy.__dict__.update({k: v for k, v in locked_remedy.__dict__.items() if not k.startswith("_")})
    return locked_remedy
