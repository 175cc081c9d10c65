"""Helpers shared by the catalog services: ledger snapshots and validity-period checks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

# Bounds of a number given as a fact or an amount: beyond them no real case lies, and the
# arithmetic of the tiers (quantize to the cent) would overflow Decimal's context.
MAX_INTEGER_DIGITS = 14
MAX_EXPONENT = 12


def plain(value: Any) -> Any:
    """A JSON-safe copy of a field value for ledger payloads (old/new values)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attr = field.attname if isinstance(field, models.ForeignKey) else name
        out[name] = plain(getattr(obj, attr))
    return out


def changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}


def periods_overlap(
    a_from: datetime.date | None,
    a_until: datetime.date | None,
    b_from: datetime.date | None,
    b_until: datetime.date | None,
) -> bool:
    """Half-open periods [from, until) overlap? None = unbounded."""
    lo = datetime.date.min
    hi = datetime.date.max
    return (a_from or lo) < (b_until or hi) and (b_from or lo) < (a_until or hi)


def in_force(start: datetime.date | None, end: datetime.date | None, on: datetime.date) -> bool:
    return (start is None or start <= on) and (end is None or on < end)


def number_problem(value: Decimal) -> str | None:
    """None when `value` is a usable quantity; otherwise the Chinese reason it is refused:
    not finite (NaN, Infinity), negative, an exponent beyond ±12 or more than 14 integer digits."""
    if not value.is_finite():
        return _("Enter a finite number (not NaN or Infinity).")
    if value < 0:
        return _("Enter a number of zero or more.")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and abs(exponent) > MAX_EXPONENT:
        return _("Enter the number in plain digits with at most %(places)s decimal places.") % {
            "places": MAX_EXPONENT
        }
    if value != 0 and value.adjusted() + 1 > MAX_INTEGER_DIGITS:
        return _("The number is too large: at most %(digits)s digits before the decimal point.") % {
            "digits": MAX_INTEGER_DIGITS
        }
    return None
