"""Who may do what in training (`can`, `ensure`, `reason_refused`).

- Organising training (plans, sessions, attendance, the question bank, exams, paper scores, marking,
  the annual review) is done by the agency's heads and its legal department (legal reviewers), in
  their own agency only;
- an exam is taken by the officer themself, once, in their own agency, while it is open;
- a candidate's results are read by the candidate, the organisers of their agency and supervisors
  of the level above (read-only); a marker never marks their own attempt.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, read_agency_ids, roles_of

ORGANISERS = frozenset({Role.HEAD, Role.LEGAL_REVIEWER})
VERBS = frozenset({"manage", "take", "view_attempt", "mark"})


def _agency_id(obj: Any) -> int | None:
    return getattr(obj, "agency_id", None) or getattr(obj, "pk", None)


def reason_refused(actor: Any, verb: str, obj: Any) -> str | None:
    """None when allowed; otherwise the Chinese reason and what would make the act allowed.

    `obj` is an agency (manage), an exam (take) or an attempt (view_attempt, mark)."""
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only active officers registered in an agency use training and exams.")
    roles = roles_of(user=actor)
    agency_id = _agency_id(obj)
    if verb == "take":
        if officer.agency_id != agency_id:
            return _("An exam is taken by the officers of the agency that set it.")
        return None
    if verb == "view_attempt":
        if obj.officer_id == officer.pk:
            return None
        ids = read_agency_ids(actor)
        in_scope = ids is None or agency_id in ids
        if in_scope and ((roles & ORGANISERS and officer.agency_id == agency_id) or Role.SUPERVISOR in roles):
            return None
        return _(
            "Exam results are read by the candidate, the heads and legal department of their agency "
            "and supervisors of the level above."
        )
    if officer.agency_id != agency_id or not roles & ORGANISERS:
        return _(
            "Training and exams are organised by the heads and the legal department (legal reviewers) "
            "of the agency; ask them."
        )
    if verb == "mark" and obj.officer_id == officer.pk:
        return _("Nobody marks their own exam (回避): ask another organiser of the agency.")
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
        verb=f"training.{verb}",
        reason=reason,
        code="training_permission_denied",
        obj=obj,
        agency_id=_agency_id(obj),
    )
