"""The follow-ups API: list scoped to the caller, satisfaction figures, the signed-link answer."""

from __future__ import annotations

import datetime as dt

import pytest

from api import services as api_services
from followups import services
from followups.models import Followup

from .test_followups import ANSWERS, TODAY, closed_case, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, raw = api_services.token_issue(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_followups_and_the_questionnaire_answer(world, client):  # noqa: F811
    closed_case(world, closed_on=TODAY - dt.timedelta(days=35))
    services.followups_run(today=TODAY)
    f = Followup.objects.get()
    headers = bearer(world.officer1.user)
    listing = client.get("/api/v1/followups", **headers).json()
    assert listing["count"] == 1 and listing["items"][0]["source"] == "case_closed"
    assert client.get("/api/v1/followups", **bearer(world.outsider.user)).json()["count"] == 0

    token = services.questionnaire_token(f)
    bad = client.post(
        f"/api/v1/public/questionnaires/{token}",
        {**ANSWERS, "conduct": "bad"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "conduct" in bad.json()["field_errors"]
    ok = client.post(f"/api/v1/public/questionnaires/{token}", ANSWERS, content_type="application/json")
    assert ok.status_code == 201
    again = client.post(f"/api/v1/public/questionnaires/{token}", ANSWERS, content_type="application/json")
    assert again.status_code == 409
    forged = client.post(
        f"/api/v1/public/questionnaires/{token[:-3]}xyz", ANSWERS, content_type="application/json"
    )
    assert forged.status_code == 400

    figures = client.get(
        "/api/v1/followups/satisfaction", {"start": "2026-01-01", "end": "2026-03-31"}, **headers
    ).json()
    assert figures["answered"] == 1 and figures["satisfaction_rate"] == 1.0
