"""The guidance API: the published library, public inquiries and the overdue list."""

from __future__ import annotations

import json

from django.test import Client

from guidance import services

from .test_library import DATA


def test_library_lists_only_published_entries_and_filters(world):
    draft = services.typical_case_create(actor=world.officer.user, data=DATA)
    published = services.typical_case_create(
        actor=world.officer.user, data={**DATA, "title": "示范指导农户依法建房"}
    )
    services.typical_case_submit(actor=world.officer.user, typical_case=published)
    services.typical_case_review(actor=world.head.user, typical_case=published, publish=True)
    client = Client()
    items = client.get("/api/v1/guidance/typical-cases", {"q": "示范"}).json()["items"]
    assert [i["id"] for i in items] == [published.pk]
    assert client.get(f"/api/v1/guidance/typical-cases/{draft.pk}").status_code == 404


def test_public_inquiry_and_tracking(world):
    client = Client()
    data = {
        "agency_id": world.agency.pk,
        "asker_name": "周某",
        "asker_phone": "13912345678",
        "question": "临时用地期限多长？",
    }
    response = client.post("/api/v1/guidance/inquiries", json.dumps(data), content_type="application/json")
    assert response.status_code == 201, response.content
    code = response.json()["display_code"]
    assert client.get(f"/api/v1/guidance/inquiries/track/{code}").status_code == 200
    bad = client.post(
        "/api/v1/guidance/inquiries", json.dumps({**data, "asker_phone": ""}), content_type="application/json"
    )
    assert bad.status_code == 422
    client.force_login(world.head.user)
    assert client.get("/api/v1/guidance/inquiries/overdue").json()["count"] == 0
