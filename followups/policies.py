"""Who may do what with followups (`can`, `ensure`).

- Follow-up rules: the system administrator (configuration is theirs under 三员分立).
- Follow-ups are read by the enforcement roles of the agencies the user reads; a call or visit is
  recorded by the follow-up's officer or by an officer or head of its agency.
The rule is the one reminders share (`org.policies.agency_work_refusal`); a refusal through
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
        "Follow-up rules are configuration: only the system administrator "
        "may change them (三员分立). Ask the system administrator."
    ),
    "roles": gettext_lazy(
        "Follow-ups are read by the enforcement officers, heads and supervisors of the agency."
    ),
    "view": gettext_lazy("You may read only the follow-ups of the agencies you may read."),
    "handle": gettext_lazy(
        "Only the follow-up's officer, or an officer or head of its agency, may record the call or visit."
    ),
}


def reason_refused(actor: Any, verb: str, obj: Any = None) -> str | None:
    if verb not in VERBS:
        return _("Unknown action.")
    return agency_work_refusal(actor, verb, obj, owner_field="officer_id", refusals=REFUSALS)


def can(actor: Any, verb: str, obj: Any = None) -> bool:
    return reason_refused(actor, verb, obj) is None


def ensure(actor: Any, verb: str, obj: Any = None) -> None:
    reason = reason_refused(actor, verb, obj)
    if reason is None:
        return
    deny_on_record(
        actor=actor, verb=f"followups.{verb}", reason=reason, code="followups_permission_denied", obj=obj
    )
