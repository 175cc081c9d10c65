"""Hooks through which core asks the org app about people without importing it.

core must not import any domain app (import-linter), yet its selectors need to know which agencies
an actor may see and who should hear about a deadline. The org app provides these as plain
callables, named in settings and resolved here at call time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


def visible_agency_ids(user: Any) -> list[int]:
    """Agency ids whose records `user` may read (own agency; supervisors add subordinates)."""
    resolver = import_string(settings.ZHIFA_VISIBLE_AGENCIES)
    return list(resolver(user))


def alert_recipients(*, agency_id: int, responsible: Any) -> Iterable[Any]:
    """Users who receive an alert on a deadline: the responsible officer and the agency's heads."""
    resolver = import_string(settings.ZHIFA_ALERT_RECIPIENTS)
    return list(resolver(agency_id=agency_id, responsible=responsible))


def agency_label(agency_id: int) -> dict[str, str]:
    """{"code", "name", "short_name"} of an agency, for numbering prefixes and key names."""
    resolver = import_string(settings.ZHIFA_AGENCY_LABEL)
    return dict(resolver(agency_id))


def actor_agency_id(user: Any) -> int | None:
    """The agency `user` acts for (their officer's agency), None when they are not an officer.

    With `user` None (the system) the top-level agency of the platform (the province), when exactly
    one agency has no parent; None otherwise. The ledger files a user's acts under their agency and
    shows system-wide entries only to auditors of that top-level agency (core.selectors.ledger).
    """
    resolver = import_string(settings.ZHIFA_ACTOR_AGENCY)
    value = resolver(user)
    return None if value is None else int(value)
