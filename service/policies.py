"""Who may handle licence applications, licences and inspections (`can`, `ensure`).

- Reading: officers, heads, legal reviewers and supervisors of the agencies they read.
- Registering an application at the window and taking it on first contact (首问负责): the agency's
  officers and heads.
- Handling an application (补正, 受理, decision, issue, pause): the responsible officer or a head,
  holding a valid enforcement certificate covering the licence kind's field (seed 004: 持证上岗;
  行政许可法 Art.34 on the staff who examine).
- Extending the decision time limit: a head of the agency (行政许可法 Art.42: 经本行政机关负责人批准).
- Inspections, patrols and draws: the agency's officers and heads.
- Revoking, withdrawing or cancelling a licence (行政许可法 Arts.8, 69, 70): a head of the agency.
- Licence kinds and supervision frequencies (catalog configuration): the system administrator.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, officer_may_enforce, read_agency_ids, roles_of

HANDLERS = frozenset({Role.OFFICER, Role.HEAD})
READERS = frozenset({Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
OWNER_VERBS = frozenset({"handle", "handover"})
VERBS = frozenset({"view", "register", "take", "extend", "inspect", "revoke", "administer", *OWNER_VERBS})


def reason_refused(actor: Any, verb: str, obj: Any) -> str | None:
    """`obj` is an Application, a Licence or an Agency (for register/inspect)."""
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    if verb == "administer":
        if Role.SYSTEM_ADMIN in roles_of(user=actor):
            return None
        return _(
            "Licence kinds and supervision frequencies are configuration: only the system "
            "administrator may change them (三员分立). Ask the system administrator."
        )
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only officers of the agency may handle licence matters.")
    roles = roles_of(user=actor)
    agency_id = getattr(obj, "agency_id", None) or getattr(obj, "pk", None)
    if verb == "view":
        ids = read_agency_ids(actor)
        if not roles & READERS or (ids is not None and agency_id not in ids):
            return _("Licence matters are read in their agency (supervisors also read subordinate agencies).")
        return None
    if officer.agency_id != agency_id or not roles & HANDLERS:
        return _("Licence matters are handled by the officers and heads of the agency concerned.")
    if verb == "extend":
        if Role.HEAD not in roles:
            return _(
                "Only the head of the agency approves extending the decision time limit "
                "(行政许可法 Art.42: 经本行政机关负责人批准); ask the head to approve it."
            )
        return None
    if verb == "revoke":
        if Role.HEAD not in roles:
            return _(
                "Revoking, withdrawing or cancelling a licence is decided by the head of the agency "
                "(行政许可法 Arts.8, 69, 70); ask the head to decide it."
            )
        return None
    if verb in OWNER_VERBS:
        verdict = officer_may_enforce(
            officer=officer, field_code=obj.kind.field_code, on=timezone.localdate()
        )
        if verb == "handle" and not verdict.allowed:
            return _(
                "Licence applications are handled only by staff holding a valid certificate: %(reason)s"
            ) % {"reason": verdict.reason}
        if Role.HEAD not in roles:
            if obj.owner_id is None:
                return _("Nobody has taken this application yet: take it first (首问负责).")
            if obj.owner_id != officer.pk:
                return _(
                    "Only the responsible officer (首问负责) or a head of the agency may do this; ask the "
                    "responsible officer to hand the application over to you."
                )
    return None


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any) -> None:
    """Raise PermissionDenied, recorded in the ledger in its own transaction, unless allowed."""
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"service.{verb}",
        reason=reason,
        code="service_permission_denied",
        obj=obj,
        agency_id=getattr(obj, "agency_id", None) or getattr(obj, "pk", None),
    )
