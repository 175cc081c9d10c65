"""Who may edit document templates, issue documents and read them.

- Templates are shared by every agency, so they are platform configuration: only a system
  administrator (三员分立) of a top-level agency, or the platform operator (a bootstrap superuser,
  the system), may create, preview and activate template versions.
- Issuing: an enforcement officer, legal reviewer or agency head acting for the issuing agency
  (the calling domain, e.g. cases, checks its own rules before it asks for a document).
- Reading an issued document: whoever may read the issuing agency (org scoping).
- An agency's seal image: the system administrator of that agency (or the platform operator).
A refusal is an act: `ensure` appends `auth.permission_denied` in its own transaction, before the
refused act's transaction starts, so the entry survives.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny, known_user
from org import selectors as org_selectors
from org.roles import Role

TEMPLATE_ROLES = frozenset({Role.SYSTEM_ADMIN})
ISSUE_ROLES = frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD})
VERBS = frozenset({"manage_templates", "issue", "view", "manage_seal"})


def _authenticated(actor: Any) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def _agency_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    value = getattr(obj, "agency_id", None)
    if value is None and obj.__class__.__name__ == "Agency":
        value = getattr(obj, "pk", None)
    return int(value) if value is not None else None


def reason_refused(actor: Any, verb: str, obj: Any = None) -> str | None:
    """None when allowed; otherwise the Chinese reason and what would make it allowed."""
    if verb not in VERBS:
        return _("Unknown action.")
    if org_selectors.is_unrestricted(actor):
        return None
    if not _authenticated(actor):
        return _("Log in first.")
    roles = org_selectors.roles_of(user=actor)
    if verb == "manage_templates":
        officer = org_selectors.officer_for(actor)
        if roles & TEMPLATE_ROLES and officer is not None and officer.agency.parent_id is None:
            return None
        return _(
            "Document templates are shared by every agency: only the system administrator of the "
            "top-level agency may edit, preview or activate them (等保2.0 三员分立). Ask that "
            "administrator to make the change."
        )
    agency_id = _agency_id(obj)
    if verb == "manage_seal":
        officer = org_selectors.officer_for(actor)
        if (
            roles & TEMPLATE_ROLES
            and officer is not None
            and agency_id is not None
            and officer.agency_id == agency_id
        ):
            return None
        return _(
            "Only the system administrator of the agency may upload or remove its seal image; ask that "
            "administrator."
        )
    readable = org_selectors.read_agency_ids(actor)
    if verb == "view":
        if readable is None or (agency_id is not None and agency_id in readable):
            return None
        return _(
            "You may read only the documents of the agencies you may read; ask an officer of that agency."
        )
    # issue
    if roles & ISSUE_ROLES and readable is not None and agency_id is not None and agency_id in readable:
        officer = org_selectors.officer_for(actor)
        if officer is not None and officer.agency_id == agency_id:
            return None
    return _(
        "Only an enforcement officer, legal reviewer or head of the issuing agency may issue its "
        "documents; ask an officer of that agency."
    )


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any = None) -> None:
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny(
        actor=known_user(actor),
        verb=f"documents.{verb}",
        reason=reason,
        code="documents.permission_denied",
        obj=obj,
    )
