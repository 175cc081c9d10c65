"""Who may read and act on a mediation (`can`, `ensure`).

- Read: officers, heads, legal reviewers and supervisors of the agencies the actor reads.
- Accept or refuse, assign a mediator, decide a recusal: the agency's heads (受理 is the agency's act).
- Parties, sessions, extension, agreement, signatures, failure, withdrawal: the mediator assigned
  or a head of the agency — never a mediator whose recusal is pending or was granted.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from mediation.models import Mediation, RecusalOutcome
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, read_agency_ids, roles_of

READERS = frozenset({Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
HEAD_VERBS = frozenset({"decide", "assign", "decide_recusal"})
MEDIATOR_VERBS = frozenset(
    {"party", "session", "extend", "agreement", "sign", "conclude", "fail", "withdraw"}
)
VERBS = frozenset({"view", "apply", "recuse", *HEAD_VERBS, *MEDIATOR_VERBS})


def reason_refused(actor: Any, verb: str, mediation: Mediation | None) -> str | None:
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only officers of the agency may handle mediations.")
    roles = roles_of(user=actor)
    if verb == "view":
        ids = read_agency_ids(actor)
        if not roles & READERS or (
            mediation is not None and ids is not None and mediation.agency_id not in ids
        ):
            return _(
                "Mediations are read in the agency that handles them (supervisors also read "
                "subordinate agencies)."
            )
        return None
    if verb == "apply":
        if mediation is not None and officer.agency_id != mediation.agency_id:
            return _("An officer records applications for mediation of their own agency only.")
        return (
            None if roles & {Role.OFFICER, Role.HEAD} else _("Only officers and heads record applications.")
        )
    assert mediation is not None
    if officer.agency_id != mediation.agency_id or not roles & {Role.OFFICER, Role.HEAD}:
        return _("Mediations are handled by the officers and heads of the agency that received them.")
    if Role.HEAD in roles:
        return None
    if verb in HEAD_VERBS:
        return _(
            "Only a head of the agency accepts or refuses an application, assigns the mediator and decides "
            "a recusal; ask the head."
        )
    if verb == "recuse":
        return None
    if mediation.mediator_id != officer.pk:
        return _("Only the mediator assigned or a head of the agency may do this.")
    if mediation.recusals.filter(officer_id=officer.pk).exclude(outcome=RecusalOutcome.REFUSED).exists():
        return _(
            "A recusal of the mediator is pending or was granted (回避): the mediator may not act until the "
            "head has decided it, and not at all once it is granted."
        )
    return None


def can(actor: Any, verb: str, mediation: Mediation | None) -> bool:
    return reason_refused(actor, verb, mediation) is None


def ensure(actor: Any, verb: str, mediation: Mediation | None) -> None:
    """Raise PermissionDenied, recorded in the ledger in its own transaction, unless allowed."""
    reason = reason_refused(actor, verb, mediation)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"mediation.{verb}",
        reason=reason,
        code="mediation_permission_denied",
        obj=mediation,
        agency_id=getattr(mediation, "agency_id", None),
    )
