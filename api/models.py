"""API tokens for integrations. Only a digest of each token is stored; the token itself is shown once."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "zf_"


def token_digest(raw: str) -> str:
    """SHA-256 of the bearer token: the only form in which a token is kept."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for one user; revoked tokens are kept (they are referenced by the ledger)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # First characters of the token, to let a user tell tokens apart; never enough to use it.
    prefix = models.CharField(_("prefix"), max_length=12)
    key_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        permissions = [("revoke_any_apitoken", _("Can revoke any user's API token"))]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_active(self, at: object = None) -> bool:
        now = at or timezone.now()
        return self.revoked is None and self.expires > now  # type: ignore[operator]


class IdempotencyKey(models.Model):
    """The first response to a write sent with an `Idempotency-Key` header, replayed for repeats.

    Unique per (user, key): a concurrent duplicate waits on the constraint and then replays.
    """

    key = models.CharField(_("key"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    body_digest = models.CharField(_("body digest"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))
    response_json = models.JSONField(_("response"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.key}"
