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

The policies' own refusals go through `deny`: it appends `auth.permission_denied` with the payload
{"verb": "<app>.<verb>", "reason": ...} in its own atomic block and raises `core.errors.
PermissionDenied(reason, code=...)`. Policies call it before the refused act's transaction opens
(services call `ensure` first), so the entry commits on its own. When a caller does hold a
transaction, the block is a savepoint: the entry stays when the caller catches the refusal and goes
on, and is rolled back with the caller's transaction otherwise (org.policies re-appends its own
denials after such a rollback, `flush_pending_denials`). `deny_on_record` is the common form for a
policy whose objects carry their `agency_id` (reminders, follow-ups).
"""

from __future__ import annotations

import contextvars
from typing import Any, NoReturn

from django.core.signals import request_started
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.errors import PermissionDenied
from core.models import LedgerEntry
from core.services.ledger import ledger_append

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


def saved_object(obj: Any) -> models.Model | None:
    """`obj` when it is a saved model instance (the entry then names it), otherwise None."""
    return obj if isinstance(obj, models.Model) and obj.pk is not None else None


def known_user(actor: Any) -> Any:
    """`actor` when it is an authenticated user; None (the ledger's "system") for anyone else."""
    return actor if getattr(actor, "is_authenticated", False) else None


def object_agency_id(obj: Any) -> int | None:
    """The `agency_id` the object carries, as an int (None when it has none)."""
    value = getattr(obj, "agency_id", None)
    return int(value) if value is not None else None


def record_denial(
    *,
    actor: Any,
    verb: str,
    reason: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    agency_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> LedgerEntry:
    """Append one `auth.permission_denied` act in its own atomic block and return the entry.

    Payload {"verb": verb, "reason": reason, **extra}. The entry names `obj` only when it is a saved
    model instance (or the explicit `object_type` / `object_id`); without `agency_id`, the ledger
    files it under the agency the actor acts for (`ledger_append`).
    """
    with transaction.atomic():
        return ledger_append(
            actor=actor,
            act=DENIAL_ACT,
            obj=saved_object(obj),
            object_type=object_type,
            object_id=object_id,
            payload={"verb": verb, "reason": reason, **(extra or {})},
            agency_id=agency_id,
        )


def deny(
    *,
    actor: Any,
    verb: str,
    reason: str,
    code: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    agency_id: int | None = None,
) -> NoReturn:
    """Record the refusal (`record_denial`) and raise `PermissionDenied(reason, code=code)`.

    `verb` is recorded as given ("reminders.handle"); `code` is the policy's stable error code.
    """
    record_denial(
        actor=actor,
        verb=verb,
        reason=reason,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        agency_id=agency_id,
    )
    raise PermissionDenied(reason, code=code)


def deny_on_record(*, actor: Any, verb: str, reason: str, code: str, obj: Any = None) -> NoReturn:
    """`deny` for a policy whose objects carry their `agency_id`: an anonymous actor is recorded as
    the system, and a saved object is named with its own agency (otherwise the actor's agency)."""
    target = saved_object(obj)
    deny(
        actor=known_user(actor),
        verb=verb,
        reason=reason,
        code=code,
        obj=target,
        agency_id=object_agency_id(target) if target is not None else None,
    )
