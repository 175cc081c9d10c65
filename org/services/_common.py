"""Helpers shared by org services: ledger snapshots with old and new values."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from core.services.ledger import ledger_append


def jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Field values for the ledger; foreign keys by id (`<name>_id`)."""
    out: dict[str, Any] = {}
    for name in fields:
        f = obj._meta.get_field(name)
        key = f.attname if isinstance(f, models.ForeignKey) else name
        out[key] = jsonable(getattr(obj, key))
    return out


def changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"field": {"old": …, "new": …}} for the fields that changed."""
    return {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}


def record(
    *, actor: Any, act: str, obj: models.Model, agency_id: int | None, payload: dict[str, Any]
) -> None:
    ledger_append(actor=actor, act=act, obj=obj, agency_id=agency_id, payload=payload)


class Unset:
    """Marks an optional keyword argument that was not given (leave the field unchanged)."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


class Problems:
    """Collects field errors so that one refusal lists every problem."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self, code: str = "validation_failed") -> None:
        from core.errors import ValidationFailed

        if self.errors:
            text = "；".join(m for msgs in self.errors.values() for m in msgs)
            raise ValidationFailed(text, code=code, field_errors=self.errors)
