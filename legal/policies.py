"""Who may do what with the legal department's registers (`can`, `ensure`, `reason_refused`).

- The registers (advisers, opinions, normative documents, referrals, joint actions) are kept by the
  legal department (legal reviewers) and the heads of the agency; officers of the agency and
  supervisors of the level above read them;
- a normative document is decided by a head (集体讨论 is recorded as the meeting that decided);
- a referral to an agency on the platform is answered (accepted or refused) by that agency's legal
  department or heads, or recorded by the sender from the paper receipt;
- accountability findings (责任追究) are read and recorded only by the legal department and the heads
  of the agency — not by the persons concerned' colleagues, not by supervisors; every refusal is in
  the ledger.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, read_agency_ids, roles_of

KEEPERS = frozenset({Role.LEGAL_REVIEWER, Role.HEAD})
VERBS = frozenset({"view", "manage", "decide", "answer_referral", "accountability"})


def _agency_id(obj: Any) -> int | None:
    return getattr(obj, "agency_id", None) or getattr(obj, "pk", None)


def reason_refused(actor: Any, verb: str, obj: Any) -> str | None:
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only active officers registered in an agency use the legal registers.")
    roles = roles_of(user=actor)
    agency_id = _agency_id(obj)
    if verb == "view":
        ids = read_agency_ids(actor)
        if ids is not None and agency_id not in ids:
            return _("The registers are read in their agency (supervisors also read subordinate agencies).")
        return None
    if verb == "answer_referral":
        to_id = getattr(obj, "to_agency_id", None)
        if roles & KEEPERS and officer.agency_id in {to_id, obj.agency_id}:
            return None
        return _(
            "A referral is answered by the legal department or a head of the agency it was sent to "
            "(or recorded by the sender from the acceptance receipt)."
        )
    if officer.agency_id != agency_id or not roles & KEEPERS:
        if verb == "accountability":
            return _(
                "Accountability findings (责任追究) are read and recorded only by the legal department "
                "and the heads of the agency."
            )
        return _(
            "The legal registers are kept by the legal department (legal reviewers) and the heads of "
            "the agency."
        )
    if verb == "decide" and Role.HEAD not in roles:
        return _(
            "A normative document is decided by a head of the agency (after collective deliberation); "
            "ask a head."
        )
    return None


def can(actor: Any, verb: str, obj: Any) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any) -> None:
    """Raise PermissionDenied, recorded in the ledger in its own transaction, unless allowed."""
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"legal.{verb}",
        reason=reason,
        code="legal_permission_denied",
        obj=obj,
        agency_id=_agency_id(obj),
    )
