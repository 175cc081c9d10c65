"""Who may do what with a case's records and evidence: `can`, `ensure`, `reason_refused`.

- "view": the actor may view the case (cases.policies: the case's agency is in their read scope);
- "act" (make a record, upload a file, list or exclude evidence): the actor may act on the case
  (an active officer with an enforcement role of the case's agency), and the case is not closed;
- "view_sensitive": material classified 敏感 is seen only by the officers assigned to the case,
  the heads and legal reviewers of the case's agency (issue 5 §3);
- "archive" (build the case-file archive package): an officer who may act on the case (cases.policies
  "act"), whatever the case's status (the service requires a closed case);
- "release" (approve the release of a file after its retention period): a head of the case's agency;
- "configure" (audio-video rules, retention rules): a system administrator (org.roles, 三员分立).
The case's status is read afresh through cases.selectors, so a case archived meanwhile is read-only
even for a caller holding an older copy.
The system (actor None) and a bootstrap superuser may do everything. A refusal through `ensure`
is itself a ledger act (`auth.permission_denied`), written in its own transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cases import policies as case_policies
from cases.selectors import case_officer_ids
from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, roles_of

VERBS = ("view", "act", "view_sensitive", "configure", "archive", "release")
CLOSED_STATUSES = frozenset({"closed", "archived", "declined", "transferred"})


def _current_status(case: Any) -> str:
    """The case's status as committed now: one narrow query on the case's own table (the model comes
    from the instance; records imports nothing of cases.models)."""
    status = type(case)._default_manager.filter(pk=case.pk).values_list("status", flat=True).first()
    return str(case.status if status is None else status)


def reason_refused(actor: Any, verb: str, case: Any = None) -> str | None:
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    # The status as committed now, not as the caller's copy of the case says (the policy reads, it
    # does not write to the caller's object).
    status = _current_status(case) if verb == "act" and case is not None else ""
    if is_unrestricted(actor):
        if status in CLOSED_STATUSES:
            return _closed(case, status)
        return None
    if verb == "configure":
        if Role.SYSTEM_ADMIN in roles_of(user=actor):
            return None
        return _(
            "Only a system administrator may change the audio-video and retention rules (等保2.0 三员分立); "
            "ask the system administrator of your agency."
        )
    base = case_policies.reason_refused(actor, "act" if verb in ("act", "archive") else "view", case)
    if base is not None:
        return base
    if verb == "release":
        officer = officer_for(actor)
        if officer is not None and officer.agency_id == case.agency_id and Role.HEAD in roles_of(user=actor):
            return None
        return _(
            "Only a head of the agency that handled the case may approve the release of a file after its "
            "retention period."
        )
    if status in CLOSED_STATUSES:
        return _closed(case, status)
    if verb == "view_sensitive":
        officer = officer_for(actor)
        if officer is None:
            return _sensitive()
        if officer.pk in case_officer_ids(case=case, active_only=False):
            return None
        if officer.agency_id == case.agency_id and roles_of(user=actor) & {Role.HEAD, Role.LEGAL_REVIEWER}:
            return None
        return _sensitive()
    return None


def _closed(case: Any, status: str) -> str:
    label = dict(case._meta.get_field("status").flatchoices).get(status, status)
    return _(
        "Case %(case)s is %(status)s: its records and evidence are read-only (行政处罚法 Art.47: the "
        "file is archived as it stood). Nothing can be added unless the case is reopened."
    ) % {"case": case, "status": label}


def _sensitive() -> str:
    return _(
        "This material is classified sensitive (trade secrets or personal privacy): only the officers "
        "assigned to the case, the agency's heads and legal reviewers may see it."
    )


def can(actor: Any, verb: str, case: Any = None) -> bool:
    return reason_refused(actor, verb, case) is None


def ensure(actor: Any, verb: str, case: Any = None) -> None:
    """Raise PermissionDenied, recording the denial in the ledger, unless `can(actor, verb, case)`."""
    reason = reason_refused(actor, verb, case)
    if reason is None:
        return
    officer = officer_for(actor)
    deny(
        actor=actor,
        verb=f"records.{verb}",
        reason=reason,
        code="records_permission_denied",
        object_type="cases.case" if case is not None else "",
        object_id=str(case.pk) if case is not None else "",
        agency_id=officer.agency_id if officer else None,
    )
