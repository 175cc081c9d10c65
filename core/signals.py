"""Logins, logouts and failed logins are acts: they go into the ledger (等保 audit)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from core.scoping import actor_agency_id
from core.services.ledger import ledger_append


def _ip(request: Any) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


def _agency_of_username(username: str) -> int | None:
    """The agency of the account a failed login named; None (system-wide) for unknown names."""
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    return actor_agency_id(user) if user is not None else None


@receiver(auth_signals.user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    ledger_append(actor=user, act="auth.login", obj=user, payload={"ip": _ip(request)})


@receiver(auth_signals.user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        ledger_append(actor=user, act="auth.logout", obj=user, payload={"ip": _ip(request)})


@receiver(auth_signals.user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username typed is recorded (it may not exist); the password never is. A known account's
    # failures are filed under its agency, so that agency's auditors see them.
    username = str(credentials.get("username", ""))[:150]
    ledger_append(
        actor=None,
        act="auth.login_failed",
        payload={"username": username, "ip": _ip(request)},
        agency_id=_agency_of_username(username),
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
        agency_id=_agency_of_username(str(username or "")[:150]),
        payload={
            "username": str(username or "")[:150],
            "ip": str(ip_address or _ip(request)),
            "failures": int(failures or 0),
        },
    )
