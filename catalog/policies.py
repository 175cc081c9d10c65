"""Who may read and edit the power catalog.

- Read: officers, reviewers, heads, supervisors and the system administrator see the catalog of
  the agencies they may read (org scoping: own agency; supervisors also subordinates), plus what
  those agencies inherit: rows of an ancestor agency (province standards) and default rows with no
  agency (the default major-decision catalog).
- Edit (create, revise, publish, retire, import): the system administrator (三员分立: the catalog is
  system configuration) within the agencies they administer. Default rows: the system or a
  bootstrap superuser only.
- A refusal is an act: `ensure` appends `auth.permission_denied` to the ledger. Services call
  `ensure` before opening their transaction, so the entry survives the refusal.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from org import selectors as org_selectors
from org.roles import Role

READ_ROLES = frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR, Role.SYSTEM_ADMIN})
EDIT_ROLES = frozenset({Role.SYSTEM_ADMIN})
VERBS = frozenset({"view", "edit"})


def _authenticated(actor: Any) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def _own_read_ids(actor: Any) -> set[int] | None:
    """The agencies the actor reads (None = all), before their ancestors are added."""
    if org_selectors.is_unrestricted(actor):
        return None
    if not _authenticated(actor) or not (org_selectors.roles_of(user=actor) & READ_ROLES):
        return set()
    ids = org_selectors.read_agency_ids(actor)
    return None if ids is None else set(ids)


def readable_agency_ids(actor: Any) -> set[int] | None:
    """Agencies whose catalog rows the actor sees (None = all): readable agencies and their ancestors."""
    visible = _own_read_ids(actor)
    if not visible:  # all (None) or none
        return visible
    return visible | ancestor_ids(visible)


def editable_agency_ids(actor: Any) -> set[int] | None:
    """Agencies whose catalog the actor may change (None = all)."""
    if org_selectors.is_unrestricted(actor):
        return None
    if not _authenticated(actor) or not (org_selectors.roles_of(user=actor) & EDIT_ROLES):
        return set()
    ids = org_selectors.administered_agency_ids(actor)
    return None if ids is None else set(ids)


def ancestor_ids(agency_ids: set[int]) -> set[int]:
    """Ids of every ancestor of the given agencies (province standards apply below them)."""
    found: set[int] = set()
    for agency in org_selectors.visible_agencies(None).filter(pk__in=agency_ids):
        found.update(int(a) for a in agency.ancestor_ids)
    return found - agency_ids


def agency_chain(agency: Any) -> list[int]:
    """The agency's id followed by its ancestors' ids, nearest first."""
    return [int(agency.pk), *reversed([int(a) for a in agency.ancestor_ids])]


def reason_refused(actor: Any, verb: str, obj: Any = None) -> str | None:
    """None when allowed; otherwise the Chinese reason and what would make it allowed."""
    if verb not in VERBS:
        return _("Unknown action.")
    agency_id = getattr(obj, "agency_id", None) if obj is not None else None
    if verb == "view":
        if obj is None and _own_read_ids(actor) != set():  # the navigation's question, on every page
            return None
        ids = readable_agency_ids(actor)
        if ids is None or (ids and (obj is None or agency_id is None or agency_id in ids)):
            return None
        return _(
            "You may read only the catalog of your own agency (supervisors: also subordinate "
            "agencies). Ask an officer of that agency, or a supervisor above it."
        )
    ids = editable_agency_ids(actor)
    if ids is None:
        return None
    if obj is None and ids:
        return None
    if ids and agency_id is not None and agency_id in ids:
        return None
    if ids and obj is not None and agency_id is None:
        return _(
            "The default catalog shared by every agency can be changed only by the platform "
            "operator; add a rule for your own agency instead, which takes precedence."
        )
    return _(
        "Only the system administrator of this agency may change its power catalog (等保2.0 三员分立: "
        "catalog data is system configuration). Ask that administrator to make the change."
    )


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    """May `actor` do `verb` ("view" / "edit") to a catalog row (obj None: to the catalog at all)."""
    return reason_refused(actor, verb, obj) is None


def can_edit_agency(actor: Any, agency: Any) -> bool:
    ids = editable_agency_ids(actor)
    return ids is None or (agency is not None and int(agency.pk) in ids)


def _deny(actor: Any, verb: str, obj: Any, reason: str) -> None:
    deny(actor=actor, verb=f"catalog.{verb}", reason=reason, code="catalog.permission_denied", obj=obj)


def ensure(actor: Any, verb: str, obj: Any = None) -> None:
    reason = reason_refused(actor, verb, obj)
    if reason is not None:
        _deny(actor, verb, obj, reason)


def ensure_edit_agency(actor: Any, agency: Any) -> None:
    if not can_edit_agency(actor, agency):
        _deny(
            actor,
            "edit",
            agency,
            _(
                "Only the system administrator of this agency may change its power catalog "
                "(等保2.0 三员分立: catalog data is system configuration). "
                "Ask that administrator to make the change."
            ),
        )
