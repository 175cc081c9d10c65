"""Who may do what in supervision (`can`, `ensure`).

- Reading (dashboards, deadline watch, review results, rankings): heads and legal reviewers of an
  agency read that agency; supervisors read their agency and every subordinate agency
  (org.selectors.read_agency_ids).
- Supervisors at the level above are read-only in subordinate agencies except for one act: they may
  issue a 督办 there. Everything else that writes (scoring, samples, assessment runs, targets,
  consequences, indicators) is done in one's own agency by its heads (and, for case-file review,
  its legal reviewers).
- A 督办 is answered by its addressee (or a head of the addressee's agency) and concluded by the
  user who issued it (or a head or supervisor of the issuing agency).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, read_agency_ids, roles_of

READERS = frozenset({Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
ISSUERS = frozenset({Role.HEAD, Role.SUPERVISOR})
REVIEWERS = frozenset({Role.HEAD, Role.LEGAL_REVIEWER})
OWN_AGENCY_VERBS = {
    "score": REVIEWERS,
    "draw_sample": REVIEWERS,
    "run_assessment": frozenset({Role.HEAD}),
    "set_target": frozenset({Role.HEAD}),
    "record_consequence": frozenset({Role.HEAD}),
    "return_for_correction": REVIEWERS,
}
VERBS = frozenset({"view", "issue_order", "respond", "conclude", "edit_config", *OWN_AGENCY_VERBS})


def reads_agency(actor: Any, agency_id: int) -> bool:
    ids = read_agency_ids(actor)
    return ids is None or agency_id in ids


def reason_refused(actor: Any, verb: str, obj: Any = None) -> str | None:
    """Why `actor` may not do `verb` on `obj` (an agency id, or a SupervisionOrder), or None."""
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    roles = roles_of(user=actor)
    if officer is None or not officer.active:
        return _("Only officers of an agency may use supervision.")
    if verb == "view":
        if not roles & READERS or (obj is not None and not reads_agency(actor, int(obj))):
            return _(
                "Supervision is read by the agency's heads and legal reviewers, and by supervisors for "
                "their agency and its subordinate agencies."
            )
        return None
    if verb == "edit_config":
        if not roles & ISSUERS:
            return _("Indicators and scoring sheets are set by agency heads and supervisors.")
        return None
    if verb == "issue_order":
        if not roles & ISSUERS:
            return _("A 督办 is issued by a head of the agency or a supervisor at the level above.")
        agency_id = int(obj)
        if agency_id != officer.agency_id and not (
            Role.SUPERVISOR in roles and reads_agency(actor, agency_id)
        ):
            return _(
                "A head issues 督办 in their own agency; supervisors also in their subordinate agencies."
            )
        return None
    if verb == "respond":
        order = obj
        if order.addressee_id == officer.pk:
            return None
        if Role.HEAD in roles and officer.agency_id == order.agency_id:
            return None
        return _("A 督办 is answered by its addressee or a head of the addressee's agency.")
    if verb == "conclude":
        order = obj
        if order.issued_by_id == actor.pk:
            return None
        if roles & ISSUERS and officer.agency_id == order.issuer_agency_id:
            return None
        return _("A 督办 is concluded by whoever issued it, or a head or supervisor of the issuing agency.")
    # verbs of one's own agency
    agency_id = int(obj)
    if not roles & OWN_AGENCY_VERBS[verb]:
        return {
            "score": _("Case files are scored by the agency's legal reviewers and heads."),
            "draw_sample": _("Review samples are drawn by the agency's legal reviewers and heads."),
            "run_assessment": _("The assessment is run by a head of the agency."),
            "set_target": _("Responsibility targets are set by a head of the agency."),
            "record_consequence": _("Consequences of the ranking are recorded by a head of the agency."),
            "return_for_correction": _(
                "Case files are returned for correction by the agency's legal reviewers and heads."
            ),
        }[verb]
    if agency_id != officer.agency_id:
        return _(
            "Supervisors see subordinate agencies read-only: this is done by the agency itself "
            "(a supervisor may only issue a 督办 there)."
        )
    return None


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any = None) -> None:
    """Raise PermissionDenied, recorded in the ledger in its own transaction, unless allowed."""
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"supervision.{verb}",
        reason=reason,
        code="supervision_permission_denied",
        obj=obj,
        agency_id=getattr(obj, "agency_id", obj if isinstance(obj, int) else None),
    )
