"""Reads of the API app: tokens, scoped to their owner."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from api.models import ApiToken, token_digest
from core.models import LedgerEntry


def token_by_key(raw: str) -> ApiToken | None:
    """The token row a raw bearer token refers to (active or not), or None."""
    return ApiToken.objects.select_related("user").filter(key_digest=token_digest(raw)).first()


def tokens_of(actor: Any) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first."""
    return ApiToken.objects.filter(user_id=actor.pk).order_by("-created", "-pk")


def denial_recorded_since(*, actor: Any, since: datetime.datetime) -> bool:
    """Whether a permission denial of `actor` has been recorded in the ledger since `since`."""
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return LedgerEntry.objects.filter(
        recorded_at__gte=since, act__endswith="permission_denied", actor_id=actor_id
    ).exists()
