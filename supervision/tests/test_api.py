"""The supervision API: deadline watch, 督办 through JSON with per-field errors, case history, charts."""

from __future__ import annotations

import json

from cases.tests.factories import new_case, walk
from core.models import Deadline


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_orders_through_the_api(client, sup):
    case = new_case(sup.world)
    client.force_login(sup.supervisor.user)
    r = _post(
        client,
        "/api/v1/supervision/orders",
        {
            "agency_id": sup.county.pk,
            "addressee_id": sup.world.officer1.pk,
            "requirement": "",
            "workdays": 0,
            "case_id": case.pk,
        },
    )
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "validation_failed" and {"requirement", "workdays"} <= set(body["field_errors"])
    r = _post(
        client,
        "/api/v1/supervision/orders",
        {
            "agency_id": sup.county.pk,
            "addressee_id": sup.world.officer1.pk,
            "requirement": "报告进展",
            "workdays": 5,
            "case_id": case.pk,
        },
    )
    assert r.status_code == 201, r.content
    order = r.json()
    assert order["status"] == "issued" and order["number"].startswith("督办")
    client.force_login(sup.world.officer1.user)
    r = _post(client, f"/api/v1/supervision/orders/{order['id']}/respond", {"response": "已完成"})
    assert r.status_code == 200 and r.json()["status"] == "responded"
    r = _post(
        client, f"/api/v1/supervision/orders/{order['id']}/conclude", {"accepted": True, "conclusion": "好"}
    )
    assert r.status_code == 403 and r.json()["code"] == "supervision_permission_denied"
    client.force_login(sup.world.head.user)
    history = client.get(f"/api/v1/supervision/cases/{case.pk}/orders").json()
    assert [o["id"] for o in history] == [order["id"]]
    assert [s["text"] for s in history[0]["steps"]] == ["报告进展", "已完成"]
    client.force_login(sup.sibling_head.user)
    r = client.get(f"/api/v1/supervision/cases/{case.pk}/orders")
    assert r.status_code == 404 and r.json()["code"] == "case_not_found"


def test_watch_and_charts(client, sup):
    case = walk(new_case(sup.world), sup.world, "closed")
    d = Deadline.objects.filter(agency_id=sup.county.pk).first()
    Deadline.objects.filter(pk=d.pk).update(status=Deadline.Status.OVERDUE)
    client.force_login(sup.supervisor.user)
    rows = client.get("/api/v1/supervision/deadlines").json()
    assert rows["count"] == 1 and rows["items"][0]["id"] == d.pk and rows["items"][0]["case_id"] == case.pk
    chart = client.get("/api/v1/supervision/charts/outcomes").json()
    assert [(r["key"], r["value"]) for r in chart["rows"]] == [("status:closed", 1.0)]
    assert client.get("/api/v1/supervision/charts/nope").status_code == 404
    client.force_login(sup.world.officer1.user)
    assert client.get("/api/v1/supervision/deadlines").status_code == 403
    assert client.get(f"/api/v1/supervision/cases/{case.pk}/review").status_code == 403
