"""Writes on mediations (行政调解, issue 8 §5), split by sub-domain: intake (application, acceptance,
refusal, mediator, withdrawal, recusal) and proceedings (parties, sessions, extension, agreement,
signatures, conclusion, failure). See `_common` for the time limits and the one `_move`."""

from mediation.services._common import DEFAULT_ROUTES, DOCUMENT_KIND, _move, ensure_number_pattern
from mediation.services.intake import (
    duplicate_key,
    mediation_accept,
    mediation_apply,
    mediation_mediator_assign,
    mediation_refuse,
    mediation_withdraw,
    recusal_apply,
    recusal_decide,
)
from mediation.services.proceedings import (
    mediation_agreement_draft,
    mediation_conclude,
    mediation_extend,
    mediation_fail,
    mediation_party_add,
    mediation_session_record,
    mediation_signature_record,
)

__all__ = [
    "DEFAULT_ROUTES",
    "DOCUMENT_KIND",
    "_move",
    "duplicate_key",
    "ensure_number_pattern",
    "mediation_accept",
    "mediation_agreement_draft",
    "mediation_apply",
    "mediation_conclude",
    "mediation_extend",
    "mediation_fail",
    "mediation_mediator_assign",
    "mediation_party_add",
    "mediation_refuse",
    "mediation_session_record",
    "mediation_signature_record",
    "mediation_withdraw",
    "recusal_apply",
    "recusal_decide",
]
