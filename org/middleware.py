"""Makes permission denials survive a rolled-back transaction (see org.policies)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from org.policies import flush_pending_denials, forget_pending_denials


class PermissionDenialLedgerMiddleware:
    """After each request, re-append any `auth.permission_denied` entry that was rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forget_pending_denials()
        try:
            return self.get_response(request)
        finally:
            flush_pending_denials()
