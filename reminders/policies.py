"""Who may do what with reminders (`can`, `ensure`).

- Rules and delivery settings (quiet hours, attempts): the system administrator (legal figures and
  configuration are theirs under 三员分立).
- Reminders and their tasks are read by the enforcement roles of the agencies the user reads; a task
  is recorded by its assignee or by an officer or head of the reminder's agency.
The rule is the one follow-ups share (`org.policies.agency_work_refusal`); a refusal through
`ensure` is a ledger act (`core.denials.deny_on_record`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.denials import deny_on_record
from org.policies import AGENCY_WORK_HANDLERS, agency_work_refusal

VERBS = frozenset({"view", "handle", "manage_rules"})
HANDLERS = AGENCY_WORK_HANDLERS

REFUSALS = {
    "manage_rules": gettext_lazy(
        "Reminder rules and delivery settings are configuration: only the system administrator "
        "may change them (三员分立). Ask the system administrator."
    ),
    "roles": gettext_lazy(
        "Reminders are read by the enforcement officers, heads and supervisors of the agency."
    ),
    "view": gettext_lazy("You may read only the reminders of the agencies you may read."),
    "handle": gettext_lazy(
        "Only the officer the task is assigned to, or an officer or head of the reminder's agency, "
        "may record it."
    ),
}


def reason_refused(actor: Any, verb: str, obj: Any = None) -> str | None:
    if verb not in VERBS:
        return _("Unknown action.")
    return agency_work_refusal(actor, verb, obj, owner_field="assignee_id", refusals=REFUSALS)


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any = None) -> None:
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny_on_record(
        actor=actor, verb=f"reminders.{verb}", reason=reason, code="reminders_permission_denied", obj=obj
    )
