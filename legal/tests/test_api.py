from __future__ import annotations

from django.test import Client
from django.utils import timezone

from core.models import LedgerEntry
from legal import services
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory


def _client(user) -> Client:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "Zhifa-test-2026!"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return Client(headers={"Authorization": f"Bearer {response.json()['token']}"})


def test_documents_and_accountability_through_the_api(db):
    agency = AgencyFactory()
    legal = OfficerFactory(agency=agency, roles=[Role.LEGAL_REVIEWER])
    officer = OfficerFactory(agency=agency)
    api = _client(legal.user)
    created = api.post(
        "/api/v1/legal/documents", {"title": "执法全过程记录办法"}, content_type="application/json"
    )
    assert created.status_code == 201
    doc_id = created.json()["id"]
    step = api.post(
        f"/api/v1/legal/documents/{doc_id}/steps", {"step": "decide"}, content_type="application/json"
    )
    assert step.status_code == 403  # a head decides; the transition is not even reached
    assert (
        api.post(
            f"/api/v1/legal/documents/{doc_id}/steps", {"step": "nonsense"}, content_type="application/json"
        ).status_code
        == 400
    )
    ok = api.post(
        f"/api/v1/legal/documents/{doc_id}/steps", {"step": "submit"}, content_type="application/json"
    )
    assert ok.json()["status"] == "reviewing"
    services.accountability_record(
        actor=legal.user,
        agency=agency,
        kind="omission",
        person_ids=[officer.pk],
        finding="未按期核查",
        consequence="批评教育",
        found_on=timezone.localdate(),
    )
    assert [r["finding"] for r in api.get("/api/v1/legal/accountability").json()] == ["未按期核查"]
    refused = _client(officer.user).get("/api/v1/legal/accountability")
    assert refused.status_code == 403 and "未按期核查" not in refused.content.decode()
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=officer.user.pk).exists()
