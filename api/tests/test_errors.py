"""Every error under /api/ is JSON {code, message, field_errors?}; never an HTML page."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from api import errors
from api.main import api

pytestmark = pytest.mark.django_db


def _is_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_malformed_json_is_a_400_in_chinese(anon):
    body = _is_error(anon.post("/api/v1/auth/token", raw="{not json"), 400, "malformed_json")
    assert _has_chinese(body["message"])


def test_wrong_types_give_chinese_field_errors(anon):
    response = anon.post(
        "/api/v1/auth/token", {"username": "x", "password": "y", "expires_in_days": "many"}
    )
    body = _is_error(response, 400, "validation_failed")
    assert set(body["field_errors"]) == {"expires_in_days"}
    assert _has_chinese(body["field_errors"]["expires_in_days"][0])


def test_a_missing_field_is_named(anon):
    body = _is_error(anon.post("/api/v1/auth/token", {"username": "x"}), 400, "validation_failed")
    assert "password" in body["field_errors"]
    assert _has_chinese(body["field_errors"]["password"][0])


def test_a_body_over_the_upload_limit_is_a_json_413(anon, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = json.dumps({"username": "x" * 5000, "password": "y"})
    _is_error(anon.post("/api/v1/auth/token", raw=big), 413, "request_too_large")


def test_a_body_over_the_request_limit_is_refused_before_reading(anon, settings):
    settings.ZHIFA_MAX_REQUEST_BYTES = 100
    big = json.dumps({"username": "x" * 500, "password": "y"})
    _is_error(anon.post("/api/v1/auth/token", raw=big), 413, "request_too_large")


def test_unknown_path_is_a_json_404(client_a):
    _is_error(client_a.get("/api/v1/no/such/thing"), 404, "not_found")
    _is_error(client_a.post("/api/v1/no/such/thing", {}), 404, "not_found")


def test_unknown_path_outside_v1_is_a_json_404(anon):
    _is_error(anon.get("/api/v0/agencies"), 404, "not_found")


def test_wrong_method_is_a_json_405(anon):
    response = anon.get("/api/v1/auth/token")
    body = _is_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]
    assert _has_chinese(body["message"])


def test_an_unknown_object_is_a_json_404(client_a):
    _is_error(client_a.get("/api/v1/agencies/999999"), 404, "agency_not_found")


def test_an_unexpected_exception_becomes_internal_error_json():
    request = RequestFactory().get("/api/v1/agencies")
    response = api.on_exception(request, RuntimeError("boom"))
    body = _is_error(response, 500, "internal_error")
    assert "boom" not in body["message"]


def test_every_validation_type_has_a_chinese_message():
    kinds = [
        "missing", "int_parsing", "float_parsing", "bool_parsing", "string_type", "date_parsing",
        "datetime_parsing", "greater_than_equal", "less_than_equal", "string_too_long",
        "literal_error", "list_type", "dict_type", "extra_forbidden", "json_invalid", "anything_else",
    ]
    for kind in kinds:
        message = errors.validation_message({"type": kind, "ctx": {"ge": 1, "le": 2, "max_length": 3}})
        assert _has_chinese(message), kind


def test_a_nul_character_in_a_query_string_is_a_400_naming_the_field(client):
    """Found by schemathesis: GET /api/v1/guidance/typical-cases?field=%00 reached PostgreSQL, whose
    text cannot hold NUL, and answered 500. Every API filter is covered by core.middleware."""
    response = client.get("/api/v1/guidance/typical-cases?field=%C3%9DQ%00x&q=ok")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["field_errors"] == {"field": ["文本中含有空字符（NUL），请删除。"]}
    assert client.get("/api/v1/guidance/typical-cases?q=ok").status_code == 200
