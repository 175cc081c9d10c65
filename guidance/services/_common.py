"""Helpers shared by the guidance services."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from core.errors import Conflict
from core.services.ledger import ledger_append


def clean(value: Any, limit: int = 5000) -> str:
    """Text without control characters (tabs and new lines kept), stripped and cut to `limit`."""
    text = str(value or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()[:limit]


def move(
    obj: Any,
    *,
    table: dict[str, frozenset[str]],
    labels: Any,
    to: str,
    actor: Any,
    act: str,
    code: str,
    payload: dict[str, Any] | None = None,
) -> None:
    """The only code that changes a guidance record's, typical case's or inquiry's status."""
    if to not in table[obj.status]:
        raise Conflict(
            _("This cannot go from %(from)s to %(to)s. Allowed next states: %(allowed)s.")
            % {
                "from": labels(obj.status).label,
                "to": labels(to).label,
                "allowed": "、".join(str(labels(s).label) for s in sorted(table[obj.status])) or _("none"),
            },
            code=code,
        )
    old = obj.status
    obj.status = to
    obj.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=obj,
        agency_id=obj.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )
