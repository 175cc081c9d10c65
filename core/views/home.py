"""The officer's home: my to-dos (alerts, open deadlines, expiring certificates, calendar health).

core may not import a domain app, so the officer's certificates come through a callable named in
`settings.ZHIFA_HOME_CERTIFICATES` (like core/scoping.py); the panel is left out while that
callable does not exist. Domain apps add their own panels (e.g. cases: my cases, what is due and
overdue in them) through the callables named in `settings.ZHIFA_HOME_PANELS`, each rendering its
HTML from the request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from core.selectors import clock

CERTIFICATE_WINDOW_DAYS = 30


def _my_expiring_certificates(user: Any) -> list[Any] | None:
    path = getattr(settings, "ZHIFA_HOME_CERTIFICATES", "")
    if not path:
        return None
    try:
        resolver = import_string(path)
    except ImportError:
        return None
    return list(resolver(user=user, within_days=CERTIFICATE_WINDOW_DAYS))


def _panels(request: HttpRequest) -> list[str]:
    """The domain apps' home panels (settings.ZHIFA_HOME_PANELS), in order; empty ones left out."""
    out = []
    for path in getattr(settings, "ZHIFA_HOME_PANELS", ()):
        try:
            panel = import_string(path)
        except ImportError:
            continue
        html = panel(request)
        if html:
            out.append(html)
    return out


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的待办: what needs the user's attention now."""
    user = request.user
    is_calendar_admin = user.has_perm("core.change_workdayoverride")
    context: dict[str, Any] = {
        "alerts": clock.alerts_for_user(user=user),
        "deadlines": clock.deadlines_for_user(user=user),
        "certificates": _my_expiring_certificates(user),
        "certificate_window_days": CERTIFICATE_WINDOW_DAYS,
        "calendar_warnings": clock.calendar_health_warnings() if is_calendar_admin else [],
        "panels": _panels(request),
    }
    return render(request, "core/home.html", context)
