from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes lockout: same page for known and unknown usernames (no user enumeration)."""
    return render(
        request,
        "core/login.html",
        {"lockout": _("Too many failed attempts. This login is locked for 30 minutes; contact the security administrator to unlock it sooner.")},
        status=429,
    )
