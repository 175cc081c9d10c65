"""Fixtures for the API tests: users with officers and tokens, a JSON client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from api import services
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

PASSWORD = "Zhifa-test-2026!"


@pytest.fixture(autouse=True)
def _document_files(key_dir, evidence_dir):  # noqa: F811
    """Case acts issue documents (PDF in the store, signed with the agency key): both in tmp_path."""
    return key_dir, evidence_dir


class ApiClient:
    """A Django test client that speaks JSON and can carry a bearer token."""

    def __init__(self, token: str | None = None, **client_kwargs: Any) -> None:
        self.client = Client(**client_kwargs)
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        result = dict(headers or {})
        if self.token:
            result.setdefault("Authorization", f"Bearer {self.token}")
        return result

    def get(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.get(path, params or {}, headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, path: str, data: Any = None, *, raw: bytes | str | None = None, **kw: Any) -> Any:
        body = raw if raw is not None else json.dumps(data if data is not None else {})
        return self.client.post(
            path, body, content_type="application/json", headers=self._headers(kw.pop("headers", None)), **kw
        )

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.delete(path, headers=self._headers(kw.pop("headers", None)), **kw)


@pytest.fixture
def agency_a() -> Any:
    return AgencyFactory()


@pytest.fixture
def agency_b() -> Any:
    return AgencyFactory()


@pytest.fixture
def officer_a(agency_a: Any) -> Any:
    return OfficerFactory(agency=agency_a, roles=[Role.OFFICER], certified_fields=["land"])


def token_for(user: Any) -> str:
    _token, raw = services.token_issue(actor=user, name="test")
    return raw


@pytest.fixture
def client_a(officer_a: Any) -> ApiClient:
    return ApiClient(token_for(officer_a.user))


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient()
