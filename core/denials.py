"""Every permission denial is a ledger act, recorded once (ARCHITECTURE.md, Conventions).

Policies (`org.policies`, `catalog.policies`, …), the ledger browser and the API record the denials
they refuse themselves, with the details they know. Any other `django.core.exceptions.
PermissionDenied` a view raises — `@permission_required(raise_exception=True)`, a view that turns a
policy's refusal into a 403 — reaches `core.views.errors.permission_denied` (config.urls.handler403),
which appends `auth.permission_denied` unless the request's denial has been recorded already.

"Recorded already" is known without the recorders' help: every `auth.permission_denied` entry saved
while a request runs marks that request (a context variable reset when each request starts), and a
recorder that holds the request may also set `request._zhifa_denial_recorded = True`
(`mark_denial_recorded`). So a policy's denial followed by the view's 403 is one entry, not two.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.core.signals import request_started
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.models import LedgerEntry

DENIAL_ACT = "auth.permission_denied"
REQUEST_MARKER = "_zhifa_denial_recorded"

_recorded: contextvars.ContextVar[bool] = contextvars.ContextVar("zhifa_denial_recorded", default=False)


def mark_denial_recorded(request: Any = None) -> None:
    """Note that the current request's denial is in the ledger (the 403 handler then adds none)."""
    _recorded.set(True)
    if request is not None:
        setattr(request, REQUEST_MARKER, True)


def denial_recorded(request: Any) -> bool:
    return bool(getattr(request, REQUEST_MARKER, False)) or _recorded.get()


@receiver(request_started)
def _forget_on_request_start(sender: Any, **kwargs: Any) -> None:
    _recorded.set(False)


@receiver(post_save, sender=LedgerEntry)
def _mark_on_denial_entry(sender: Any, instance: LedgerEntry, created: bool, **kwargs: Any) -> None:
    if created and instance.act == DENIAL_ACT:
        _recorded.set(True)
