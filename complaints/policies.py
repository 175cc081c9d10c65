"""Who may read and handle a complaint (`can`, `ensure`, `conflict_reason`).

- Complaints are read and handled in the agency they were sent to (supervisors also read those of
  subordinate agencies, read-only).
- Taking a complaint on first contact (受理) is open to the agency's officers and heads; afterwards
  the responsible officer (首问负责: the owner until handed over to a named colleague) and the
  agency's heads act on it.
- A complaint about an officer's conduct is never seen nor handled by that officer or their own
  department (the complainant's identity is never shown to the party complained about).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from complaints.models import Category, Complaint
from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, read_agency_ids, roles_of

HANDLERS = frozenset({Role.OFFICER, Role.HEAD})
READERS = frozenset({Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
OWNER_VERBS = frozenset({"identify", "assign", "handover", "decide_lead", "reply", "close"})
VERBS = frozenset({"view", "accept", *OWNER_VERBS})


def conflict_reason(complaint: Complaint, officer: Any) -> str | None:
    """Why `officer` may not see or handle this conduct complaint, or None."""
    subject = complaint.subject_officer
    if complaint.category != Category.CONDUCT or subject is None or officer is None:
        return None
    if officer.pk == subject.pk:
        return _(
            "A complaint about an officer's conduct is never handled by the officer complained "
            "about (首问负责 and 回避): it goes to a colleague in another department."
        )
    if subject.department_id is not None and officer.department_id == subject.department_id:
        return _(
            "A complaint about an officer's conduct is never handled by the department of the officer "
            "complained about: assign it to another department or to an officer outside it."
        )
    return None


def reason_refused(actor: Any, verb: str, complaint: Complaint) -> str | None:
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only officers of the agency the complaint was sent to may handle it.")
    roles = roles_of(user=actor)
    ids = read_agency_ids(actor)
    if verb == "view":
        if not roles & READERS or (ids is not None and complaint.agency_id not in ids):
            return _(
                "Complaints are read in the agency they were sent to (supervisors also read "
                "subordinate agencies)."
            )
    elif officer.agency_id != complaint.agency_id or not roles & HANDLERS:
        return _("Complaints are handled by the officers and heads of the agency they were sent to.")
    conflict = conflict_reason(complaint, officer)
    if conflict:
        return conflict
    if verb in OWNER_VERBS and Role.HEAD not in roles:
        if complaint.owner_id is None:
            return _("Nobody has taken this complaint yet: accept it first (首问负责).")
        if complaint.owner_id != officer.pk:
            return _(
                "Only the responsible officer (首问负责) or a head of the agency may do this; ask "
                "the responsible officer to hand the complaint over to you."
            )
    return None


def can(actor: Any, verb: str, complaint: Complaint) -> bool:
    return reason_refused(actor, verb, complaint) is None


def ensure(actor: Any, verb: str, complaint: Complaint) -> None:
    """Raise PermissionDenied, recorded in the ledger in its own transaction, unless allowed."""
    reason = reason_refused(actor, verb, complaint)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"complaint.{verb}",
        reason=reason,
        code="complaint_permission_denied",
        obj=complaint,
        agency_id=complaint.agency_id,
    )
