"""Who may do what with followups (`can`, `ensure`).

- Follow-up rules: the system administrator (configuration is theirs under 三员分立).
- Follow-ups are read by the enforcement roles of the agencies the user reads; a call or visit is
  recorded by the follow-up's officer or by an officer or head of its agency.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.services.ledger import ledger_append
from org.roles import ENFORCEMENT_ROLES, Role
from org.selectors import is_unrestricted, officer_for, read_agency_ids, roles_of

VERBS = frozenset({"view", "handle", "manage_rules"})
HANDLERS = frozenset({Role.OFFICER, Role.HEAD})


def _agency_id(obj: Any) -> int | None:
    value = getattr(obj, "agency_id", None)
    return int(value) if value is not None else None


def reason_refused(actor: Any, verb: str, obj: Any = None) -> str | None:
    if verb not in VERBS:
        return _("Unknown action.")
    if is_unrestricted(actor):
        return None
    roles = roles_of(user=actor)
    if verb == "manage_rules":
        if Role.SYSTEM_ADMIN in roles:
            return None
        return _(
            "Follow-up rules are configuration: only the system administrator "
            "may change them (三员分立). Ask the system administrator."
        )
    if not roles & ENFORCEMENT_ROLES:
        return _("Follow-ups are read by the enforcement officers, heads and supervisors of the agency.")
    ids = read_agency_ids(actor)
    agency_id = _agency_id(obj)
    if verb == "view":
        if obj is None or ids is None or agency_id in ids:
            return None
        return _("You may read only the follow-ups of the agencies you may read.")
    officer = officer_for(actor)
    if obj is not None and getattr(obj, "officer_id", None) == getattr(actor, "pk", None):
        return None
    if officer is not None and officer.agency_id == agency_id and roles & HANDLERS:
        return None
    return _(
        "Only the follow-up's officer, or an officer or head of its agency, may record the call or visit."
    )


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any = None) -> None:
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    kwargs: dict[str, Any] = {
        "actor": actor if getattr(actor, "is_authenticated", False) else None,
        "act": "auth.permission_denied",
        "payload": {"verb": f"followups.{verb}", "reason": reason},
    }
    if obj is not None and getattr(obj, "pk", None) is not None:
        kwargs["obj"] = obj
        kwargs["agency_id"] = _agency_id(obj)
    with transaction.atomic():
        ledger_append(**kwargs)
    raise PermissionDenied(reason, code="followups_permission_denied")
