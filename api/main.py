"""The NinjaAPI instance mounted at /api/v1/: auth, JSON errors, docs that run under the CSP."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from api import errors
from api.auth import BearerTokenAuth, SessionAuthentication


class LocalSwagger(Swagger):
    """Swagger UI from ninja's bundled static files (no CDN) with a nonce on every script."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings),
            "api": api,
            "add_csrf": True,
        }
        return render(request, "api/swagger.html", context)


api = NinjaAPI(
    title="行政执法综合管理监督平台 API",
    version="1",
    description=(
        "县级自然资源执法机关的行政执法综合管理监督平台接口。集成系统使用 "
        "`POST /api/v1/auth/token` 取得令牌，以 `Authorization: Bearer <token>` 调用；"
        "网页端使用会话（需 CSRF）。所有错误均为 JSON：`{code, message, field_errors}`。"
    ),
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[BearerTokenAuth(), SessionAuthentication()],
)
errors.install(api)


def _register() -> None:
    from api.routes import auth, calendar, cases, catalog, complaints, org

    api.add_router("/auth", auth.router)
    api.add_router("/", org.router)
    api.add_router("/", catalog.router)
    api.add_router("/calendar", calendar.router)
    api.add_router("/", cases.router)
    api.add_router("/", complaints.router)
    api.add_router("/", __import__("api.routes.records", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.supervision", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.training", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.legal", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.exchange", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.service", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.guidance", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.mediation", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.reminders", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.followups", fromlist=["router"]).router)
    api.add_router("/", __import__("api.routes.publicity", fromlist=["router"]).router)


_register()
