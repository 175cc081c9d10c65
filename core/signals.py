"""Logins, logouts and failed logins are acts: they go into the ledger (等保 audit)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from core.services.ledger import ledger_append


def _ip(request: Any) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


@receiver(auth_signals.user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    ledger_append(actor=user, act="auth.login", obj=user, payload={"ip": _ip(request)})


@receiver(auth_signals.user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        ledger_append(actor=user, act="auth.logout", obj=user, payload={"ip": _ip(request)})


@receiver(auth_signals.user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username typed is recorded (it may not exist); the password never is.
    ledger_append(
        actor=None,
        act="auth.login_failed",
        payload={"username": str(credentials.get("username", ""))[:150], "ip": _ip(request)},
    )
