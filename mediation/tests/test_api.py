"""The mediation API: public application and tracking, the officer's list and statistics."""

from __future__ import annotations

import json

from django.test import Client

from mediation.models import Mediation

from .conftest import apply


def body(world, **overrides):
    data = {
        "agency_id": world.agency.pk,
        "kind": "mining",
        "summary": "两家采石场对矿区界线有争议。",
        "applicant": {"name": "甲石料公司", "phone": "0371-1234567"},
        "respondent": {"name": "乙建材厂"},
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post("/api/v1/mediation-applications", json.dumps(data), content_type="application/json")


def test_public_application_then_tracking_by_code(world):
    client = Client()
    response = post(client, body(world))
    assert response.status_code == 201, response.content
    code = response.json()["display_code"]
    assert Mediation.objects.get().channel == "online"
    track = client.get(f"/api/v1/mediation-applications/{code}")
    assert track.status_code == 200 and track.json()["status"] == "applied"
    assert "甲石料公司" not in track.content.decode()


def test_bad_and_duplicate_applications_answer_with_codes(world):
    client = Client()
    bad = post(client, body(world, kind="x", summary=" "))
    assert bad.status_code == 422 and {"kind", "summary"} <= set(bad.json()["field_errors"])
    assert post(client, body(world)).status_code == 201
    duplicate = post(client, body(world))
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "mediation_duplicate"


def test_officers_list_and_statistics_are_scoped(world):
    apply(world)
    client = Client()
    client.force_login(world.head.user)
    listing = client.get("/api/v1/mediations")
    assert listing.status_code == 200 and listing.json()["count"] == 1
    assert client.get("/api/v1/mediations/statistics").json()["total"] == 1
    other = Client()
    other.force_login(world.outsider.user)
    assert other.get("/api/v1/mediations").json()["count"] == 0
    assert Client().get("/api/v1/mediations").status_code == 401
