"""The docs page and the schema: served locally (no CDN), every script allowed by the CSP nonce."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_public_json():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "行政执法综合管理监督平台 API"
    assert "/api/v1/calendar/add-workdays" in schema["paths"]
    assert "ErrorOut" in schema["components"]["schemas"]


def test_the_docs_page_loads_local_scripts_under_the_csp_nonce():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert "cdn" not in html.lower() and "https://" not in html
    for src in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(src), src
