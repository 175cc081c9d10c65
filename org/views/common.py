"""What the org screens share: the form page, the refusal page, the policy gate for write screens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import DomainError, PermissionDenied
from org import policies
from org.forms import add_domain_error


def form_page(request: HttpRequest, form: Any, title: str, back: Any, status: int | None = None,
              **extra: Any) -> HttpResponse:
    """The one-form page; a bound (refused or invalid) form answers 400."""
    if status is None:
        status = 400 if form.is_bound else 200
    return render(request, "org/form.html", {"form": form, "title": title, "back": back, **extra},
                  status=status)


def denied(request: HttpRequest, exc: DomainError, back: Any = None) -> HttpResponse:
    """403 with the policy's reason (the denial is already in the ledger: policies.ensure)."""
    return render(request, "org/denied.html", {"reason": exc.message, "back": back}, status=exc.status)


def gate(request: HttpRequest, verb: str, obj: Any, back: Any = None) -> HttpResponse | None:
    """The 403 page when the actor may not `verb` `obj`, else None.

    Write screens ask before reading the form, so that a forbidden POST is refused (and recorded)
    even when its data is invalid, and a forbidden GET does not show a form that cannot be sent.
    """
    try:
        policies.ensure(request.user, verb, obj)
    except PermissionDenied as exc:
        return denied(request, exc, back)
    return None


def refusal(request: HttpRequest, form: Any, exc: DomainError, title: str, back: Any) -> HttpResponse:
    """A service refusal: 403 page for a permission denial, otherwise the form with the messages."""
    if isinstance(exc, PermissionDenied):
        return denied(request, exc, back)
    add_domain_error(form, exc)
    return form_page(request, form, title, back)
