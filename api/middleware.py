"""A NUL character in an API query string, refused before any filter passes it to PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from api.errors import json_error, nul_message, validation_failed_message


class QueryNulMiddleware:
    """400 `validation_failed` naming the fields whose query value holds a NUL: PostgreSQL text cannot
    hold one (a database error, so a 500, otherwise). The HTML forms clean their own fields; the API's
    filter schemas are many, and this covers them all, including the ones a `Text` field misses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("QUERY_STRING", "")
        if request.path.startswith("/api/") and ("%00" in raw or "\x00" in raw):
            fields = sorted(
                {k.replace("\x00", "") for k, v in request.GET.lists() if "\x00" in k + "".join(v)}
            )
            return json_error(
                400,
                "validation_failed",
                validation_failed_message(),
                {name or "__all__": [nul_message()] for name in fields or [""]},
            )
        return self.get_response(request)
