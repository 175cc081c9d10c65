"""Writes of the API app: issuing and revoking tokens, recording refused requests. Each is a ledger act."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import TOKEN_PREFIX, ApiToken, token_digest
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.services.ledger import ledger_append

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
# last_used is bookkeeping, not history: refreshed at most this often, never a ledger act.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_issue(
    *, actor: Any, name: str = "", expires_in_days: int = DEFAULT_TOKEN_DAYS, ip: str = ""
) -> tuple[ApiToken, str]:
    """Issue a bearer token to `actor` (who has just proved password and, where required, OTP).

    Returns the token row and the raw token, which is shown once and never stored.
    """
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(
            _("A token is valid for 1 to %(max)d days; choose a validity in that range.")
            % {"max": MAX_TOKEN_DAYS},
            code="token_validity_out_of_range",
            field_errors={"expires_in_days": [_("Enter a whole number of days from 1 to %(max)d.") % {
                "max": MAX_TOKEN_DAYS}]},
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name.strip()[:100],
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            key_digest=token_digest(raw),
            created=now,
            expires=now + datetime.timedelta(days=expires_in_days),
        )
        ledger_append(
            actor=actor,
            act="api.token_issued",
            obj=token,
            payload={
                "name": token.name,
                "prefix": token.prefix,
                "expires": token.expires.isoformat(),
                "ip": ip,
            },
        )
    return token, raw


def token_revoke(*, actor: Any, token_id: int, ip: str = "") -> ApiToken:
    """Revoke a token: only its owner or a holder of `api.revoke_any_apitoken`; twice is a no-op."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None:
            raise NotFound(
                _("There is no API token with this id; list your tokens to find the one to revoke."),
                code="token_not_found",
            )
        if token.user_id != actor.pk and not actor.has_perm("api.revoke_any_apitoken"):
            raise PermissionDenied(
                _(
                    "Only the token's owner or a security administrator may revoke an API token "
                    "(separation of duties, 三员分立); ask the owner or the security administrator."
                ),
                code="token_revoke_forbidden",
            )
        if token.revoked is not None:
            return token
        token.revoked = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked", "revoked_by"])
        ledger_append(
            actor=actor,
            act="api.token_revoked",
            obj=token,
            payload={"prefix": token.prefix, "owner": token.user_id, "ip": ip},
        )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used (bookkeeping, like the ledger head; not an act)."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


def request_refusal_record(
    *, actor: Any, method: str, path: str, code: str, status: int, ip: str = ""
) -> None:
    """A refused API request (permission denial) is an act: who asked for what, and why it was refused."""
    with transaction.atomic():
        ledger_append(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            act="api.permission_denied",
            object_type="api.request",
            object_id=path[:64],
            payload={"method": method, "path": path[:500], "code": code, "status": status, "ip": ip},
        )
