"""django-axes lockout page (settings.AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The same page for known and unknown usernames (no user enumeration), status 429."""
    cooloff_hours = float(getattr(settings, "AXES_COOLOFF_TIME", 0) or 0)
    context = {
        "failure_limit": int(getattr(settings, "AXES_FAILURE_LIMIT", 5)),
        "cooloff_minutes": round(cooloff_hours * 60),
    }
    return render(request, "security/lockout.html", context, status=429)
