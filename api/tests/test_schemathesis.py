"""Schemathesis over /api/v1/openapi.json: no 5xx, every response matches the documented schema.

Runs in the normal suite against the Django WSGI app in-process (same database connection and
transaction as the test), with a token, a fixed seed and a small budget per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api.tests.conftest import token_for
from catalog.services.demo import catalog_load_demo
from catalog.tests.factories import admin_of
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def keep_test_connection():
    """Like Django's test Client: a finished request must not close the test's DB connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value):  # the exchange endpoint's batch body: one JSON document per line
    import json

    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode()


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    ops = []
    for result in schema.get_all_operations():
        ops.append(result.ok())
    return ops


def test_every_operation_answers_within_its_schema(keep_test_connection):
    city = AgencyFactory(level="city")
    county = AgencyFactory(parent=city)
    officer = OfficerFactory(agency=city, roles=[Role.SUPERVISOR, Role.OFFICER], certified_fields=["land"])
    OfficerFactory(agency=county, certified_fields=["land"])
    catalog_load_demo(actor=admin_of(city), agency=city)
    headers = {"Authorization": f"Bearer {token_for(officer.user)}"}
    operations = _operations()
    assert len(operations) >= 8
    tested = []
    statuses: set[int] = set()
    by_operation: dict[str, set[int]] = {}
    for operation in operations:
        if operation.method.upper() == "DELETE" and operation.path == "/api/v1/auth/token":
            continue  # would revoke the token the rest of the run uses

        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses.add(response.status_code)
            by_operation.setdefault(f"{case.method.upper()} {case.path}", set()).add(
                response.status_code
            )

        run()
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert "GET /api/v1/calendar/add-workdays" in tested
    # The major-decision question answered valid proposals and refused invalid ones, never a 5xx.
    assert {200, 400} <= by_operation["POST /api/v1/major-decision-rules/requirements"]
    assert 200 in statuses and 400 in statuses  # both valid and invalid input were exercised
