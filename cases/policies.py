"""Who may do what to a case: `can`, `ensure`, `reason_refused`.

- "view": the case's agency is in the actor's read scope (org.selectors.visible_agency_ids);
- "act": the actor is an active officer of the case's agency (the procedure's guards then say
  which acts need the head or an officer assigned to the case);
- the system (actor None) and a bootstrap superuser may do everything.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cases.models import Case
from core.errors import PermissionDenied
from org.roles import ENFORCEMENT_ROLES
from org.selectors import is_unrestricted, officer_for, roles_of, visible_agency_ids

VERBS = ("view", "act")


def reason_refused(actor: Any, verb: str, case: Case) -> str | None:
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    if case.agency_id not in visible_agency_ids(actor):
        return _("You may not see case %(case)s: it belongs to an agency outside your scope.") % {
            "case": case
        }
    if verb == "view":
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active or officer.agency_id != case.agency_id:
        return _("Only officers of the agency that handles case %(case)s may act on it.") % {"case": case}
    if not (roles_of(user=actor) & ENFORCEMENT_ROLES):
        return _("You hold no enforcement role; administrators do not act on cases (三员分立).")
    return None


def can(actor: Any, verb: str, case: Case) -> bool:
    return reason_refused(actor, verb, case) is None


def ensure(actor: Any, verb: str, case: Case) -> None:
    reason = reason_refused(actor, verb, case)
    if reason is not None:
        raise PermissionDenied(reason, code="case_permission_denied")
