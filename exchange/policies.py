"""Who may export, send and read upward data (`can`, `ensure`, `reason_refused`).

- An agency's export (and its reconciliation report) is made by its heads and legal department;
- a batch is sent (received here) only by a head or legal reviewer of the agency the batch is from,
  with their own login or bearer token — never on behalf of another agency;
- what was received from a subordinate agency is read by the heads, legal department and supervisors
  of the agencies above it, read-only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, roles_of

KEEPERS = frozenset({Role.HEAD, Role.LEGAL_REVIEWER})
READERS = frozenset({Role.HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR})
VERBS = frozenset({"export", "send", "read_received"})


def reason_refused(actor: Any, verb: str, agency: Any) -> str | None:
    """`agency` is the exporting agency (export, send) or the source of received data."""
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only active officers registered in an agency report upward.")
    roles = roles_of(user=actor)
    if verb == "read_received":
        ancestors = [int(p) for p in agency.path.strip("/").split("/") if p][:-1]
        if roles & READERS and officer.agency_id in ancestors:
            return None
        return _(
            "What a subordinate agency reported is read by the heads, legal department and supervisors "
            "of the agencies above it."
        )
    if officer.agency_id != agency.pk or not roles & KEEPERS:
        return _(
            "An agency's data is reported upward by its own heads or legal department (with their own "
            "login or bearer token), never on behalf of another agency."
        )
    return None


def can(actor: Any, verb: str, agency: Any) -> bool:
    return reason_refused(actor, verb, agency) is None


def ensure(actor: Any, verb: str, agency: Any) -> None:
    reason = reason_refused(actor, verb, agency)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"exchange.{verb}",
        reason=reason,
        code="exchange_permission_denied",
        obj=agency,
        agency_id=agency.pk,
    )
