"""Writes on penalty cases. Other apps import from here."""

from cases.services.cases import (
    case_facts_update,
    case_officer_assign,
    lead_register,
    party_add,
    recusal_apply,
    recusal_decide,
)
from cases.services.execution import (
    case_late_surcharge,
    delivery_record,
    late_surcharge,
    payment_record,
)
from cases.services.remedies import decision_withdrawal_required, remedy_outcome_record, remedy_record
from cases.services.transitions import TransitionRefused, available_actions, case_act

__all__ = [
    "TransitionRefused",
    "available_actions",
    "case_act",
    "case_facts_update",
    "case_late_surcharge",
    "case_officer_assign",
    "decision_withdrawal_required",
    "delivery_record",
    "late_surcharge",
    "lead_register",
    "party_add",
    "payment_record",
    "recusal_apply",
    "recusal_decide",
    "remedy_outcome_record",
    "remedy_record",
]
