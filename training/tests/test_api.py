from __future__ import annotations

from django.test import Client
from django.utils import timezone

from training.tests.conftest import bank, online_exam, right_answers


def _client(user) -> Client:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "Zhifa-test-2026!"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return Client(headers={"Authorization": f"Bearer {response.json()['token']}"})


def test_an_officer_takes_an_exam_through_the_api(world):
    bank(world)
    exam = online_exam(world, count=4)
    api = _client(world.officer.user)
    assert [e["id"] for e in api.get("/api/v1/training/exams").json()] == [exam.pk]
    started = api.post(f"/api/v1/training/exams/{exam.pk}/start", content_type="application/json")
    assert started.status_code == 200
    body = started.json()
    assert len(body["questions"]) == 4 and "answer" not in body["questions"][0] and body["seed"] is not None
    from training.selectors import attempt_get

    attempt = attempt_get(attempt_id=body["id"], actor=world.officer.user)
    done = api.post(
        f"/api/v1/training/attempts/{body['id']}/submit",
        {"answers": right_answers(attempt)},
        content_type="application/json",
    ).json()
    assert done["status"] in ("marked", "submitted")
    # Someone else's attempt is not found; results are the officer's own.
    other = _client(world.colleague.user)
    assert other.get(f"/api/v1/training/attempts/{body['id']}").status_code == 404
    today = timezone.localdate().isoformat()
    rows = other.get("/api/v1/training/results", {"start": today, "end": today}).json()
    assert rows == []
