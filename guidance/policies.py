"""Who may read and act on guidance records, typical cases and inquiries (`can`, `ensure`).

- Everything is read in the agency it belongs to (supervisors also read subordinate agencies).
- Guidance records are made by the agency's officers and heads; the outcome of a rectification is
  recorded by an officer who gave the guidance or a head.
- Typical cases are drafted by officers, legal reviewers and heads; a head or legal reviewer other
  than the author reviews and publishes (四眼原则); a head withdraws.
- Inquiries (首问负责): any officer or head of the agency takes one first; afterwards the responsible
  officer (until they hand it over to a named colleague) or a head hands over and answers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.denials import deny
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, read_agency_ids, roles_of

READERS = frozenset({Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
HANDLERS = frozenset({Role.OFFICER, Role.HEAD})
AUTHORS = frozenset({Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER})
REVIEWERS = frozenset({Role.HEAD, Role.LEGAL_REVIEWER})
VERBS = frozenset(
    {
        "view", "record", "outcome",  # guidance records
        "draft", "edit", "submit", "review", "withdraw",  # typical cases
        "receive", "take", "handover", "reply",  # inquiries
    }
)  # fmt: skip


def reason_refused(actor: Any, verb: str, obj: Any) -> str | None:
    if verb not in VERBS:
        return _("Unknown action “%(verb)s”.") % {"verb": verb}
    if is_unrestricted(actor):
        return None
    officer = officer_for(actor)
    if officer is None or not officer.active:
        return _("Only officers of the agency may do this.")
    roles = roles_of(user=actor)
    agency_id = getattr(obj, "agency_id", None)
    if verb == "view":
        ids = read_agency_ids(actor)
        if not roles & READERS or (ids is not None and agency_id not in ids):
            return _("This is read in its own agency (supervisors also read subordinate agencies).")
        return None
    if agency_id != officer.agency_id:
        return _("Only officers of the agency it belongs to may do this.")
    if verb in ("record", "receive", "take"):
        return None if roles & HANDLERS else _("Only officers and heads of the agency may do this.")
    if verb == "outcome":
        if (
            Role.HEAD in roles
            or obj.officers.filter(pk=officer.pk).exists()
            or obj.recorded_by_id == actor.pk
        ):
            return None
        return _("The outcome is recorded by an officer who gave the guidance or by a head of the agency.")
    if verb in ("draft", "edit", "submit"):
        if not roles & AUTHORS:
            return _("Typical cases are written by officers, legal reviewers and heads.")
        if verb != "draft" and obj.author_id != actor.pk and Role.HEAD not in roles:
            return _("Only the author or a head of the agency may change or submit this draft.")
        return None
    if verb == "review":
        if not roles & REVIEWERS:
            return _("A typical case is reviewed by a head or a legal reviewer of the agency.")
        if obj.author_id == actor.pk:
            return _("The author of a typical case does not review it: another head or legal reviewer does.")
        return None
    if verb == "withdraw":
        return (
            None if Role.HEAD in roles else _("Only a head of the agency withdraws a published typical case.")
        )
    # handover, reply: 首问负责
    if not roles & HANDLERS:
        return _("Only officers and heads of the agency may do this.")
    if Role.HEAD in roles:
        return None
    if obj.owner_id is None:
        return _("Nobody is responsible for this inquiry yet: take it first (首问负责).")
    if obj.owner_id != officer.pk:
        return _(
            "Only the responsible officer (首问负责) or a head may do this; ask the responsible officer "
            "to hand the inquiry over to you."
        )
    return None


def can(actor: Any, verb: str, obj: Any) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any) -> None:
    """Raise PermissionDenied, recorded in the ledger in its own transaction, unless allowed."""
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny(
        actor=actor,
        verb=f"guidance.{verb}",
        reason=reason,
        code="guidance_permission_denied",
        obj=obj,
        agency_id=getattr(obj, "agency_id", None),
    )
