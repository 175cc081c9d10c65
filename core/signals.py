"""Logins, logouts and failed logins are acts: they go into the ledger (等保 audit)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
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


@receiver(user_locked_out)
def _on_lockout(
    sender: Any, request: Any = None, username: Any = None, ip_address: Any = None, **kwargs: Any
) -> None:
    # axes sends this when a username+IP pair reaches the limit, and again for each attempt the
    # lockout refuses (which also extends it); only reaching the limit is a new act, the refused
    # attempts are recorded as auth.login_failed.
    failures = getattr(request, "axes_failures_since_start", None) if request is not None else None
    credentials = getattr(request, "axes_credentials", None)
    if request is not None and failures != get_failure_limit(request, credentials):
        return
    ledger_append(
        actor=None,
        act="auth.lockout",
        payload={
            "username": str(username or "")[:150],
            "ip": str(ip_address or _ip(request)),
            "failures": int(failures or 0),
        },
    )
