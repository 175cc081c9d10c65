"""config.urls.handler500: an exception before the API views (here: in a middleware) is still JSON
under /api/, and the Chinese 500 page elsewhere; never Django's bare HTML or a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

EXPLODING = "api.tests.test_server_error.ExplodingMiddleware"


class ExplodingMiddleware:
    """Test only: fails every request before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise RuntimeError("secret detail from the middleware")


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("position", ["first", "after_locale", "last"])
def test_given_a_middleware_that_raises_when_an_api_path_is_asked_then_json_internal_error(position):
    middleware = list(settings.MIDDLEWARE)
    if position == "first":
        middleware.insert(0, EXPLODING)
    elif position == "after_locale":
        middleware.insert(middleware.index("django.middleware.locale.LocaleMiddleware") + 1, EXPLODING)
    else:
        middleware.append(EXPLODING)
    with override_settings(MIDDLEWARE=middleware):
        for method, path in [("get", "/api/v1/agencies"), ("post", "/api/v1/auth/token"), ("get", "/api/x")]:
            response = getattr(_client(), method)(path)
            assert response.status_code == 500, (position, path)
            assert response["Content-Type"].startswith("application/json")
            body = json.loads(response.content)
            assert body["code"] == "internal_error"
            assert _has_chinese(body["message"])
            assert "secret" not in response.content.decode()


def test_given_a_middleware_that_raises_when_a_page_is_asked_then_the_chinese_500_page():
    with override_settings(MIDDLEWARE=[EXPLODING, *settings.MIDDLEWARE]):
        response = _client().get("/catalog/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<html" in page and _has_chinese(page)
    assert "secret" not in page


def test_given_an_english_speaking_client_then_the_api_error_follows_its_language():
    middleware = [*settings.MIDDLEWARE, EXPLODING]
    with override_settings(MIDDLEWARE=middleware):
        response = _client().get("/api/v1/agencies", headers={"Accept-Language": "en"})
    body = json.loads(response.content)
    assert response.status_code == 500 and body["code"] == "internal_error"
    assert body["message"].startswith("An internal error")
