"""Who may draft, approve, publish and withdraw a publication (`can`, `ensure`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, roles_of

VERB_ROLES: dict[str, frozenset[str]] = {
    "draft": frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD}),
    "approve": frozenset({Role.LEGAL_REVIEWER, Role.HEAD}),
    "publish": frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD}),
    "withdraw": frozenset({Role.LEGAL_REVIEWER, Role.HEAD}),
    "view": frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR}),
    # 年度报告: computed by any officer, approved and published by the head (seed 001/004)
    "annual_compute": frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR}),
    "annual_approve": frozenset({Role.HEAD}),
    "annual_publish": frozenset({Role.HEAD}),
    # 严重违法失信名单: officers propose, notify and record objections; the head lists and decides
    "violator_propose": frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD}),
    "violator_list": frozenset({Role.HEAD}),
}


def reason_refused(actor: Any, verb: str, agency_id: int) -> str | None:
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only officers of the deciding agency handle its publications.")
    if officer.agency_id != agency_id:
        return _("Publications are handled by the agency that made the decision.")
    if not roles_of(user=actor) & VERB_ROLES[verb]:
        return _("Your role does not allow this step of the publication.")
    return None


def can(actor: Any, verb: str, agency_id: int) -> bool:
    return reason_refused(actor, verb, agency_id) is None


def ensure(actor: Any, verb: str, agency_id: int, *, obj: Any = None) -> None:
    """Raise PermissionDenied, recorded in the ledger in its own transaction, unless allowed."""
    reason = reason_refused(actor, verb, agency_id)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"publication.{verb}",
        reason=reason,
        code="permission_denied",
        obj=obj,
        agency_id=agency_id,
    )
