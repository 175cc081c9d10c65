"""Who a reminder goes to: the party or holder of the deadline's subject, or its responsible officer.

The clock's `Deadline` names its subject generically (content type + id). Each domain that starts
deadlines with reminders offers a selector giving the party's contact; RESOLVERS maps the subject's
"app_label.model" to that selector's dotted path. A subject without a resolver (or a domain not
installed yet) has no contact: the reminder becomes a task for an officer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# "app_label.model" of the deadline's subject → callable(subject_id) -> dict(name, email, phone,
# address[, number]) — `number` is the licence or case number the holder knows.
RESOLVERS: dict[str, str] = {
    "service.licence": "reminders.contacts.licence_contact",
    "cases.case": "cases.selectors.case_party_contact",
}


def licence_contact(licence_id: int) -> dict[str, str]:
    """The holder's contact from the service app, with the licence number the holder knows."""
    from service.selectors import licence_contact as holder
    from service.selectors import licence_get

    data = dict(holder(licence_id))
    data.setdefault("number", licence_get(actor=None, pk=licence_id).number)
    return data


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    reference: str = ""

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.phone or self.address)


def _clean(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def party_contact(*, subject_label: str, subject_id: str) -> Contact:
    """The party's contact for a deadline subject; an empty Contact when no domain offers one."""
    path = RESOLVERS.get(subject_label)
    if not path:
        return Contact()
    try:
        resolver = import_string(path)
    except ImportError:
        logger.warning("reminders: no contact selector %s yet (subject %s)", path, subject_label)
        return Contact()
    data = resolver(int(subject_id) if str(subject_id).isdigit() else subject_id) or {}
    return Contact(
        name=_clean(data.get("name"), 200),
        email=_clean(data.get("email"), 254),
        phone=_clean(data.get("phone"), 50),
        address=_clean(data.get("address"), 255),
        reference=_clean(data.get("number") or data.get("reference"), 120),
    )


def officer_contact(user: Any) -> Contact:
    """The responsible officer: their name and work e-mail (officers are reminded by e-mail)."""
    if user is None:
        return Contact()
    name = getattr(getattr(user, "officer", None), "name", "") or user.get_username()
    return Contact(name=_clean(name, 200), email=_clean(user.email, 254))
