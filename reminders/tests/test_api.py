"""The reminders API: list and detail scoped to the caller, task outcome, the public look-up."""

from __future__ import annotations

import pytest

from api import services as api_services
from reminders import services
from reminders.models import Reminder, ReminderRule, ReminderTask

from .conftest import NOW, TODAY, licence_deadline

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, raw = api_services.token_issue(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_lists_reminders_and_records_a_task(world, client, smtp):
    ReminderRule.objects.exclude(code="licence-expiry-holder").update(active=False)
    licence_deadline(
        world, 91, due_in=7, contact={"name": "某公司", "email": "x@example.cn", "number": "XK-91"}
    )
    licence_deadline(world, 92, due_in=7, contact={"name": "无联系", "number": "XK-92"})
    services.reminders_run(today=TODAY, now=NOW)
    headers = bearer(world.officer.user)
    listing = client.get("/api/v1/reminders", {"status": "sent"}, **headers)
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1 and body["items"][0]["reference"] == "XK-91"
    detail = client.get(f"/api/v1/reminders/{body['items'][0]['id']}", **headers).json()
    assert detail["deliveries"][0]["status"] == "sent" and detail["rule_code"] == "licence-expiry-holder"

    task = ReminderTask.objects.get()
    refused = client.post(
        f"/api/v1/reminder-tasks/{task.pk}/outcome",
        {"outcome": "not_reached", "note": ""},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 400 and "note" in refused.json()["field_errors"]
    ok = client.post(
        f"/api/v1/reminder-tasks/{task.pk}/outcome",
        {"outcome": "reached", "note": "电话告知"},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200 and ok.json()["outcome"] == "reached"

    outsider = bearer(world.outsider.user)
    assert client.get("/api/v1/reminders", **outsider).json()["count"] == 0
    assert client.get(f"/api/v1/reminders/{body['items'][0]['id']}", **outsider).status_code == 404


def test_api_public_lookup_needs_number_and_code(world, client, smtp):
    ReminderRule.objects.exclude(code="licence-expiry-holder").update(active=False)
    licence_deadline(
        world, 93, due_in=7, contact={"name": "某公司", "email": "y@example.cn", "number": "XK-93"}
    )
    services.reminders_run(today=TODAY, now=NOW)
    code = Reminder.objects.get().access_code
    found = client.get("/api/v1/public/reminders", {"ref": "XK-93", "code": code})
    assert found.status_code == 200 and found.json()[0]["title"] == "采矿许可证有效期届满"
    assert client.get("/api/v1/public/reminders", {"ref": "XK-93", "code": "ZZZZZZZZ"}).json() == []
