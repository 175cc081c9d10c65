"""The 403 page (config.urls.handler403): every permission denial ends in the ledger, once."""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from core.denials import DENIAL_ACT, denial_recorded, mark_denial_recorded
from core.services.ledger import ledger_append

log = logging.getLogger("zhifa.denials")


def record_denial(request: HttpRequest, reason: str) -> None:
    """Append `auth.permission_denied` (actor, path, method, reason) in its own transaction,
    unless the request's denial has been recorded already (core.denials)."""
    if denial_recorded(request):
        return
    user = getattr(request, "user", None)
    authenticated = bool(getattr(user, "is_authenticated", False))
    payload: dict[str, object] = {
        "path": request.path[:300],
        "method": request.method or "",
        "reason": reason[:500],
    }
    if not authenticated:
        payload["anonymous"] = True
    try:
        with transaction.atomic():
            ledger_append(actor=user if authenticated else None, act=DENIAL_ACT, payload=payload)
    except Exception:  # the refusal is answered even if recording fails; the log says so
        log.exception("could not record a permission denial in the ledger")
        return
    mark_denial_recorded(request)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Record the denial, then answer 403: the Chinese 403.html page, JSON under /api/."""
    record_denial(request, str(exception or "") or "permission_denied")
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"code": "permission_denied", "message": _("You may not perform this request.")}, status=403
        )
    return defaults.permission_denied(request, exception or Exception())
