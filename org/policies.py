"""Who may do what to the organisation: `can`, `ensure`, and the visible_* querysets.

Rules (三员分立, see org/roles.py):
- "view": anyone whose read scope (org.selectors.read_agency_ids) contains the object's agency;
- agencies and departments are written by the system administrator;
- officers, roles, certificates and legal qualifications by the security administrator;
- both only within their own agency and its subordinate agencies (administered_agency_ids);
- platform-wide data (fields of enforcement, the org legal settings) by any system administrator,
  as with the working-day calendar;
- supervisors read subordinate agencies but write nothing here; nobody grants or revokes their own
  roles; the system (actor None) and a bootstrap superuser may do everything.

A refusal is itself an act: `ensure` appends `auth.permission_denied` to the ledger before raising.
Choice made so that the denial survives the caller's rollback: services call `ensure` *before*
opening their own transaction, so in a request (ATOMIC_REQUESTS is off) the denial commits on its
own. When `ensure` runs inside someone else's transaction that then rolls back, the entry would be
lost; to cover that case each denial is also remembered for the current request, and
`org.middleware.PermissionDenialLedgerMiddleware` (or `flush_pending_denials()` for commands) writes
again, outside any transaction, every remembered denial whose entry did not commit. A separate
database connection was rejected: the outer transaction may hold the ledger head lock (and, on
SQLite, the database write lock), so a second connection would wait on its own caller.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.denials import object_agency_id, record_denial, saved_object
from core.errors import PermissionDenied
from core.models import LedgerEntry
from org.models import Agency, Certificate, Department, LegalQualification, Officer, RoleAssignment
from org.roles import ENFORCEMENT_ROLES, Role
from org.selectors import (
    administered_agency_ids,
    is_unrestricted,
    officer_for,
    read_agency_ids,
    roles_of,
    visible_agencies,
    visible_certificates,
    visible_departments,
    visible_officers,
)

__all__ = [
    "VERBS",
    "agency_work_refusal",
    "can",
    "ensure",
    "flush_pending_denials",
    "reason_refused",
    "visible_agencies",
    "visible_certificates",
    "visible_departments",
    "visible_officers",
]

# verb → (the administrator role that may do it, Chinese label of the act)
VERBS: dict[str, tuple[Role | None, Any]] = {
    "view": (None, gettext_lazy("view")),
    "create_agency": (Role.SYSTEM_ADMIN, gettext_lazy("create an agency under")),
    "update_agency": (Role.SYSTEM_ADMIN, gettext_lazy("change the agency")),
    "create_department": (Role.SYSTEM_ADMIN, gettext_lazy("create a department in")),
    "update_department": (Role.SYSTEM_ADMIN, gettext_lazy("change the department")),
    "create_officer": (Role.SECURITY_ADMIN, gettext_lazy("create an officer in")),
    "update_officer": (Role.SECURITY_ADMIN, gettext_lazy("change the officer")),
    "transfer_officer": (Role.SECURITY_ADMIN, gettext_lazy("transfer the officer")),
    "deactivate_officer": (Role.SECURITY_ADMIN, gettext_lazy("deactivate the officer")),
    "grant_role": (Role.SECURITY_ADMIN, gettext_lazy("grant a role to")),
    "revoke_role": (Role.SECURITY_ADMIN, gettext_lazy("revoke a role of")),
    "issue_certificate": (Role.SECURITY_ADMIN, gettext_lazy("issue a certificate to")),
    "change_certificate": (Role.SECURITY_ADMIN, gettext_lazy("change the certificate")),
    "record_qualification": (Role.SECURITY_ADMIN, gettext_lazy("record a legal qualification of")),
    "reset_mfa": (Role.SECURITY_ADMIN, gettext_lazy("reset the authenticator of")),
    "manage_enforcement_field": (Role.SYSTEM_ADMIN, gettext_lazy("change the field of enforcement")),
    "change_legal_setting": (Role.SYSTEM_ADMIN, gettext_lazy("change the legal setting")),
}

# Platform-wide data (like the working-day calendar): the role suffices, there is no agency scope.
PLATFORM_VERBS = frozenset({"manage_enforcement_field", "change_legal_setting"})


def _agency_id_of(obj: Any) -> int | None:
    if isinstance(obj, Agency):
        return obj.pk
    if isinstance(obj, (Department, Officer)):
        return obj.agency_id
    if isinstance(obj, (Certificate, LegalQualification, RoleAssignment)):
        return obj.officer.agency_id
    return None


def reason_refused(actor: Any, verb: str, obj: Any) -> str | None:
    """None when `actor` may do `verb` to `obj`; otherwise the Chinese reason and what would help."""
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    role, label = VERBS[verb]
    top = "" if verb in PLATFORM_VERBS else _("the top level")
    label_args = {"act": label, "object": str(obj) if obj is not None else top}
    if actor is None or not getattr(actor, "is_authenticated", False) or officer_for(actor) is None:
        return (
            _(
                "You may not %(act)s %(object)s: you are not registered as an officer of any agency. "
                "Ask the security administrator to register you."
            )
            % label_args
        )
    agency_id = _agency_id_of(obj)
    if role is None:
        ids = read_agency_ids(actor)
        if ids is not None and agency_id not in ids:
            return (
                _(
                    "You may not %(act)s %(object)s: it belongs to an agency outside your scope "
                    "(your own agency; supervisors also read subordinate agencies)."
                )
                % label_args
            )
        return None
    if role not in roles_of(user=actor):
        return _(
            "You may not %(act)s %(object)s: only the %(role)s may do this (等保2.0 三员分立: "
            "administrative duties are separated). Ask the %(role)s of your agency."
        ) % {**label_args, "role": role.label}
    if verb in PLATFORM_VERBS:
        return None
    ids = administered_agency_ids(actor)
    if agency_id is None or (ids is not None and agency_id not in ids):
        return (
            _(
                "You may not %(act)s %(object)s: administrators act only within their own agency "
                "and its subordinate agencies. Ask the administrator of that agency."
            )
            % label_args
        )
    if verb == "reset_mfa" and isinstance(obj, Officer) and obj.user_id == actor.pk:
        return _(
            "You may not reset your own authenticator (等保2.0 三员分立). Ask another security administrator."
        )
    if verb in ("grant_role", "revoke_role") and isinstance(obj, Officer) and obj.user_id == actor.pk:
        return _(
            "You may not change your own roles (等保2.0 三员分立: no one grants themselves "
            "permissions). Ask another security administrator."
        )
    return None


def can(actor: Any, verb: str, obj: Any) -> bool:
    """May `actor` do `verb` to `obj`? For templates and the API's available actions."""
    return reason_refused(actor, verb, obj) is None


@dataclass(frozen=True)
class _PendingDenial:
    entry_hash: str
    kwargs: dict[str, Any]


_pending: contextvars.ContextVar[tuple[_PendingDenial, ...]] = contextvars.ContextVar(
    "org_pending_denials", default=()
)


def _record_denial(actor: Any, verb: str, obj: Any, reason: str) -> None:
    officer = officer_for(actor)
    kwargs: dict[str, Any] = {
        "actor": actor,
        "verb": verb,
        "reason": reason,
        "agency_id": officer.agency_id if officer else None,
    }
    target = saved_object(obj)
    if target is not None:  # by name: a rewrite after a rollback must not depend on the instance
        kwargs["object_type"], kwargs["object_id"] = target._meta.label_lower, str(target.pk)
    entry = record_denial(**kwargs)
    _pending.set((*_pending.get(), _PendingDenial(entry.entry_hash, kwargs)))


def ensure(actor: Any, verb: str, obj: Any) -> None:
    """Raise PermissionDenied (and record the denial in the ledger) unless `can(actor, verb, obj)`."""
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    _record_denial(actor, verb, obj, reason)
    raise PermissionDenied(reason, code="permission_denied")


def flush_pending_denials() -> int:
    """Re-append denials whose entry was rolled back with the caller's transaction; clear the list.

    Call outside any transaction (the middleware does, after the response). Returns how many were
    written again.
    """
    pending = _pending.get()
    _pending.set(())
    rewritten = 0
    for item in pending:
        if not LedgerEntry.objects.filter(entry_hash=item.entry_hash).exists():
            record_denial(**item.kwargs, extra={"rolled_back_and_rewritten": True})
            rewritten += 1
    return rewritten


def forget_pending_denials() -> None:
    _pending.set(())


AGENCY_WORK_HANDLERS = frozenset({Role.OFFICER, Role.HEAD})


def agency_work_refusal(
    actor: Any, verb: str, obj: Any, *, owner_field: str, refusals: Mapping[str, Any]
) -> str | None:
    """The rule reminders and follow-ups share for their configuration and their agency's records.

    - "manage_rules" (rules and settings are configuration): the system administrator (三员分立);
    - otherwise the actor holds an enforcement role; "view": `obj` is None or belongs to an agency
      the actor reads;
    - any other verb (recording the work): the user named by `obj.<owner_field>`, or an officer or
      head of `obj`'s agency.
    `refusals` holds the domain's own reasons under "manage_rules", "roles", "view" and "handle";
    the caller refuses verbs it does not know before asking. The system and a bootstrap superuser
    may do everything.
    """
    if is_unrestricted(actor):
        return None
    roles = roles_of(user=actor)
    if verb == "manage_rules":
        return None if Role.SYSTEM_ADMIN in roles else str(refusals["manage_rules"])
    if not roles & ENFORCEMENT_ROLES:
        return str(refusals["roles"])
    ids = read_agency_ids(actor)
    agency_id = object_agency_id(obj)
    if verb == "view":
        if obj is None or ids is None or agency_id in ids:
            return None
        return str(refusals["view"])
    officer = officer_for(actor)
    if obj is not None and getattr(obj, owner_field, None) == getattr(actor, "pk", None):
        return None
    if officer is not None and officer.agency_id == agency_id and roles & AGENCY_WORK_HANDLERS:
        return None
    return str(refusals["handle"])
