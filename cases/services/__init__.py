"""Writes on penalty cases. Other apps import from here."""

from cases.services.cases import (
    case_facts_update,
    case_officer_assign,
    lead_register,
    party_add,
    recusal_apply,
    recusal_decide,
)
from cases.services.transitions import TransitionRefused, available_actions, case_act

__all__ = [
    "TransitionRefused",
    "available_actions",
    "case_act",
    "case_facts_update",
    "case_officer_assign",
    "lead_register",
    "party_add",
    "recusal_apply",
    "recusal_decide",
]
