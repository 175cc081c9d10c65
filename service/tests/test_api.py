"""Given the JSON API, when an applicant applies and tracks, and an officer reads licences, then the
same rules as the portal apply and nothing personal is returned in public."""

from __future__ import annotations

import pytest
from django.test import Client

from service import services
from service.models import Application
from service.tests.conftest import USCC, submit, terms

pytestmark = pytest.mark.django_db


def test_kinds_apply_and_track(world, client: Client):
    kinds = client.get("/api/v1/service/kinds").json()
    assert {"建设用地规划许可证", "采矿许可证", "临时用地批准"} <= {k["name"] for k in kinds}
    assert "不动产登记" not in {k["name"] for k in kinds}
    body = {
        "agency_id": world.agency.pk,
        "kind_id": world.kind.pk,
        "applicant_name": "某公司",
        "applicant_id_number": USCC,
        "applicant_phone": "13800000000",
        "project": "厂房",
        "location": "嘉定镇",
    }
    response = client.post("/api/v1/service/applications", body, content_type="application/json")
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    assert USCC not in response.content.decode() and "13800000000" not in response.content.decode()
    again = client.post("/api/v1/service/applications", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "application_duplicate"
    bad = client.post(
        "/api/v1/service/applications",
        {**body, "applicant_id_number": "x", "project": "其他"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "applicant_id_number" in bad.json()["field_errors"]
    track = client.get(f"/api/v1/service/applications/track/{code[:4]}-{code[4:8]}-{code[8:]}")
    assert track.status_code == 200 and track.json()["status"] == "received"
    assert track.json()["notices"] == [] and track.json()["hearing"] is None
    assert client.get("/api/v1/service/applications/track/AAAAAAAAAAAA").status_code == 404
    assert Application.objects.count() == 1


def test_officer_reads_licences_in_scope(world, client: Client):
    app = submit(world, actor=world.clerk.user)
    services.application_accept(actor=world.clerk.user, application=app)
    services.application_decide(actor=world.clerk.user, application=app, grant=True, terms=terms())
    licence = services.application_issue(actor=world.clerk.user, application=app)
    assert client.get("/api/v1/service/licences").status_code == 401
    client.force_login(world.clerk.user)
    data = client.get("/api/v1/service/licences").json()
    assert data["count"] == 1 and data["items"][0]["number"] == licence.number
    assert (
        client.get(f"/api/v1/service/licences/{licence.pk}").json()["valid_until"]
        == licence.valid_until.isoformat()
    )
    track = client.get(f"/api/v1/service/applications/track/{app.tracking_code}").json()
    assert [n["kind"] for n in track["notices"]] == ["licence_acceptance", "licence_grant"]
    assert track["notices"][0]["url"].startswith("/gongkai/service/track/notices/")
    services.licence_end(
        actor=world.head.user, licence=licence, how="withdraw", reason="规划调整，公共利益需要"
    )
    ended = client.get(f"/api/v1/service/licences/{licence.pk}").json()
    assert ended["status"] == "withdrawn" and ended["ended_on"] and "第八条" in ended["end_basis"]
    client.force_login(world.outsider.user)
    assert client.get("/api/v1/service/licences").json()["count"] == 0
    assert client.get(f"/api/v1/service/licences/{licence.pk}").status_code == 404
