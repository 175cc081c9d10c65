"""/api/v1/: the NinjaAPI's URLs, every answer JSON (also 404 for unknown paths and 405)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from api import errors
from api.main import api


def _api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Note when the request started (see errors._record_denial); ninja answers a wrong method
    with a plain-text 405: give it our JSON body."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.api_started_at = timezone.now()  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not errors.is_json_error(response):
            return errors.method_not_allowed(request, response.get("Allow", ""))
        return response

    return wrapper


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return errors.not_found(request)


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _api_view(pattern.callback)
    return list(patterns)


app_name = "api-v1"
urlpatterns: list[URLPattern | URLResolver] = [
    *_patterns(),
    re_path(r"^.*$", not_found, name="not-found"),
]
