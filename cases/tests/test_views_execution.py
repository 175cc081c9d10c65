"""The execution stage through the case page's action forms: orders of the decision (repeated rows,
no JavaScript), on-site verification by two officers, hand-over, instalments, 催告 and the court,
责令改正 during the investigation. Refusals show next to their fields with the article; what was
typed is kept."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from cases.models import CaseStatus
from cases.tests.factories import FINE, act, case_world, new_case, walk
from org.mfa import force_login_verified

pytestmark = pytest.mark.django_db

S = CaseStatus
D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def _url(case, action: str) -> str:
    return reverse("cases:case_action", args=[case.pk, action])


def _post(client, officer, case, action: str, body: dict[str, Any]):
    force_login_verified(client, officer.user)
    case.refresh_from_db()
    return client.post(_url(case, action), {"version": case.version, **body})


def _rows(name: str, rows: list[dict[str, Any]], total: int = 3) -> dict[str, Any]:
    """A formset's POST: the management form and the rows (unused rows left empty)."""
    data: dict[str, Any] = {
        f"{name}-TOTAL_FORMS": str(max(total, len(rows))),
        f"{name}-INITIAL_FORMS": "0",
        f"{name}-MIN_NUM_FORMS": "0",
        f"{name}-MAX_NUM_FORMS": "12",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{name}-{i}-{key}"] = value
    return data


def _field_errors(text: str, name: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="id_{name}_error"[^>]*>(.*?)</ul>', text, re.S)
    return html.unescape(found.group(1)) if found else ""


def _row_errors(text: str, name: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="rows-{name}-error"[^>]*>(.*?)</ul>', text, re.S)
    return html.unescape(found.group(1)) if found else ""


def _notified(world, kinds: list[str], facts: dict[str, Any] | None = None):
    case = walk(new_case(world, facts=facts), world, S.INVESTIGATING)
    case = act(case, world, "report", data={**FINE, "kinds": kinds})
    case = act(case, world, "notify")
    return act(case, world, "record_statement")  # hearing waived


DEMOLISH_ROW = {"kind": "demolish", "description": "拆除非法占用土地上新建的两层砖混房屋", "days": "15"}


# ---------------------------------------------------------------- orders: decide, verify, complete


def test_demolition_decided_with_its_deadline_verified_by_two_officers_then_execution_completed(
    client, world
):
    case = _notified(world, ["fine", "demolition"])
    force_login_verified(client, world.head.user)
    page = client.get(_url(case, "decide"))
    assert page.status_code == 200
    # three blank rows, each with the kinds of order; Chinese legend citing the articles
    assert 'name="orders-TOTAL_FORMS" value="3"' in page.text
    assert page.text.count('name="orders-2-kind"') == 1 and "限期拆除" in page.text
    assert "行政处罚法 Art.59" in page.text

    # no order: refused with the rule next to the rows; what was typed is kept
    response = _post(client, world.head, case, "decide", {"amount_reason": "情节较重", **_rows("orders", [])})
    assert response.status_code == 409
    assert "行政处罚法 Art.59; 土地管理法 Art.77" in _row_errors(response.text, "orders")
    assert "情节较重" in response.text
    # a demolition without its deadline: the row says so, nothing is submitted
    response = _post(client, world.head, case, "decide", _rows("orders", [{"kind": "demolish"}]))
    assert response.status_code == 400
    assert "Art.59" in response.text and 'value="demolish" selected' in response.text
    # "add a row" without JavaScript: one more row, the typed row kept, no error, nothing changed
    response = _post(
        client, world.head, case, "decide", {**_rows("orders", [DEMOLISH_ROW]), "add_row": "orders"}
    )
    assert response.status_code == 200
    assert 'name="orders-TOTAL_FORMS" value="4"' in response.text and 'name="orders-3-kind"' in response.text
    assert "两层砖混房屋" in response.text and 'class="errorlist' not in response.text
    case.refresh_from_db()
    assert case.status == S.NOTIFIED

    response = _post(client, world.head, case, "decide", _rows("orders", [DEMOLISH_ROW], total=4))
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.status == S.DECIDED
    assert [(o["kind"], o["days"], o["description"]) for o in case.orders] == [
        ("demolish", 15, "拆除非法占用土地上新建的两层砖混房屋")
    ]
    case = act(case, world, "deliver")
    case = act(case, world, "execute")
    assert case.orders[0]["due_on"]

    # verification: the order select lists the pending order, the officers are the case's certified ones
    force_login_verified(client, world.officer1.user)
    page = client.get(_url(case, "verify_order"))
    assert page.status_code == 200
    select = re.search(r'<select name="order"[^>]*>(.*?)</select>', page.text, re.S)
    assert select and "1. 限期拆除" in select.group(1) and case.orders[0]["due_on"] in select.group(1)
    boxes = set(re.findall(r'name="officer_ids" value="(\d+)"', page.text))
    assert boxes == {str(world.officer1.pk), str(world.officer2.pk)}  # not the chair, not the outsider
    assert "行政处罚法 Arts.42, 55" in page.text
    on = case.delivered_on.isoformat()
    body = {"order": "1", "verified_on": on, "finding": "经现场核查，违法建筑物已拆除", "complied": "on"}
    response = _post(
        client, world.officer1, case, "verify_order", {**body, "officer_ids": [world.officer1.pk]}
    )
    assert response.status_code == 400
    assert "Arts.42, 55" in _field_errors(response.text, "officer_ids")
    assert "违法建筑物已拆除" in response.text  # kept
    before = (case.delivered_on - datetime.timedelta(days=1)).isoformat()
    both = [world.officer1.pk, world.officer2.pk]
    response = _post(
        client, world.officer1, case, "verify_order", {**body, "verified_on": before, "officer_ids": both}
    )
    assert response.status_code == 409
    assert "行政处罚法 Art.61" in _field_errors(response.text, "verified_on")
    response = _post(client, world.officer1, case, "verify_order", {**body, "officer_ids": both})
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.orders[0]["status"] == "verified"
    assert case.orders[0]["verifications"][0]["officer_ids"] == sorted(both)

    # completion: the fine paid with its receipt, every order performed
    response = _post(
        client,
        world.officer1,
        case,
        "complete_execution",
        {"completed_on": on, "paid_amount": "5000.00", "receipt_number": "NO.0001"},
    )
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.status == S.EXECUTED


def test_confiscated_buildings_handed_over_through_the_form(client, world):
    case = _notified(
        world, ["fine", "confiscation"], facts={"land_class": "farmland", "area_m2": "300", "buildings": True}
    )
    confiscate = {"kind": "confiscate_buildings", "description": "没收新建厂房"}
    response = _post(client, world.head, case, "decide", _rows("orders", [{**confiscate, "days": "10"}]))
    assert (
        response.status_code == 400 and "土地管理法实施条例 Art.58" in response.text
    )  # no deadline for the party
    response = _post(client, world.head, case, "decide", _rows("orders", [confiscate]))
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    case = act(case, world, "deliver")
    case = act(case, world, "execute")
    force_login_verified(client, world.officer1.user)
    page = client.get(_url(case, "hand_over_confiscated"))
    select = re.search(r'<select name="order"[^>]*>(.*?)</select>', page.text, re.S)
    assert select and "没收新建厂房" in select.group(1)
    assert "土地管理法实施条例 Art.58" in page.text
    response = _post(
        client,
        world.officer1,
        case,
        "hand_over_confiscated",
        {"order": "1", "handed_on": case.delivered_on.isoformat(), "recipient": "县人民政府", "note": ""},
    )
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.orders[0]["status"] == "handed_over"


# ---------------------------------------------------------------- money: instalments


def test_payment_plan_with_two_instalments_through_the_form():
    with at(D(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, S.EXECUTING)  # fine 5,000, delivered 03-02, due 03-17
    from django.test import Client

    client = Client()
    plan = {
        "kind": "instalments",
        "applied_on": "2026-03-05",
        "approved_on": "2026-03-06",
        "reason": "当事人确有经济困难",
        "due_date": "",
    }
    with at(D(2026, 3, 6)):
        force_login_verified(client, world.head.user)
        page = client.get(_url(case, "approve_payment_plan"))
        assert page.status_code == 200
        assert 'name="instalments-2-amount"' in page.text and "5000.00" in page.text  # what is owed
        assert "行政处罚法 Art.66" in page.text
        # one instalment only: the list says so, the row is kept
        one = _rows("instalments", [{"due_date": "2026-04-01", "amount": "5000.00"}])
        response = _post(client, world.head, case, "approve_payment_plan", {**plan, **one})
        assert response.status_code == 400
        assert "Art.66" in _row_errors(response.text, "instalments")
        # instalments that do not add up: the rule with its article next to the rows, typed values kept
        short = _rows(
            "instalments",
            [
                {"due_date": "2026-04-01", "amount": "2500.00"},
                {"due_date": "2026-05-01", "amount": "1000.00"},
            ],
        )
        response = _post(client, world.head, case, "approve_payment_plan", {**plan, **short})
        assert response.status_code == 409
        errors = _row_errors(response.text, "instalments")
        assert "5000.00" in errors and "行政处罚法 Art.66" in errors
        assert 'value="1000.00"' in response.text and "当事人确有经济困难" in response.text
        # an officer who is not the head: refused with the article
        ok = _rows(
            "instalments",
            [
                {"due_date": "2026-04-01", "amount": "2500.00"},
                {"due_date": "2026-05-01", "amount": "2500.00"},
            ],
        )
        response = _post(client, world.officer1, case, "approve_payment_plan", {**plan, **ok})
        assert response.status_code == 409 and "行政处罚法 Art.66" in response.text
        response = _post(client, world.head, case, "approve_payment_plan", {**plan, **ok})
        assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert [(i["due_date"], i["amount"]) for i in case.payment_plan["instalments"]] == [
        ("2026-04-01", "2500.00"),
        ("2026-05-06", "2500.00"),  # 05-01 falls in the May Day holiday
    ]


def test_deferral_needs_its_new_due_date(client, world):
    case = walk(new_case(world), world, S.EXECUTING)
    d = case.delivered_on.isoformat()
    body = {
        "kind": "deferral",
        "applied_on": d,
        "approved_on": d,
        "reason": "经济困难",
        **_rows("instalments", []),
    }
    response = _post(client, world.head, case, "approve_payment_plan", body)
    assert response.status_code == 400 and "Art.66" in _field_errors(response.text, "due_date")
    due = (case.delivered_on + datetime.timedelta(days=60)).isoformat()
    response = _post(client, world.head, case, "approve_payment_plan", {**body, "due_date": due})
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.payment_plan["kind"] == "deferral"


# ---------------------------------------------------------------- 催告 and the court


def test_reminder_then_court_application_refused_before_the_window_and_allowed_after():
    from django.test import Client

    with at(D(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, S.EXECUTING)  # delivered 03-02, due 03-17
    client = Client()
    reminder = {"subject": "fine", "method": "in_person", "delivered_on": "2026-03-17", "note": ""}
    with at(D(2026, 3, 17)):
        response = _post(client, world.officer1, case, "serve_reminder", reminder)
        assert response.status_code == 409
        assert "行政强制法 Arts.35, 54" in _field_errors(response.text, "subject")
    with at(D(2026, 9, 25)):
        force_login_verified(client, world.officer1.user)
        page = client.get(_url(case, "serve_reminder"))
        assert re.search(r'value="fine"[^>]*checked', page.text)  # the fine is owed: the default subject
        response = _post(
            client, world.officer1, case, "serve_reminder", {**reminder, "delivered_on": "2026-09-25"}
        )
        assert response.status_code == 302, response.text
    apply = {"subject": "fine", "applied_on": "2026-10-15", "court": "县人民法院", "note": ""}
    with at(D(2026, 10, 15)):
        response = _post(client, world.head, case, "apply_to_court", apply)
        assert response.status_code == 409
        errors = _field_errors(response.text, "applied_on")
        assert "2026-10-15" in errors and "行政强制法 Art.54" in errors
        assert "县人民法院" in response.text  # kept
        case.refresh_from_db()
        assert not case.enforcement.get("court")
    with at(D(2026, 10, 16)):
        response = _post(client, world.head, case, "apply_to_court", {**apply, "applied_on": "2026-10-16"})
        assert response.status_code == 302, response.text
    with at(D(2026, 11, 20)):
        outcome = {"subject": "fine", "outcome": "enforced", "decided_on": "2026-11-20", "note": ""}
        response = _post(
            client, world.officer1, case, "record_court_outcome", {**outcome, "collected_amount": "5000.00"}
        )
        assert response.status_code == 400 and _field_errors(response.text, "receipt_number")
        response = _post(
            client,
            world.officer1,
            case,
            "record_court_outcome",
            {**outcome, "collected_amount": "5000.00", "receipt_number": "(2026)执123号"},
        )
        assert response.status_code == 302, response.text
        response = _post(client, world.officer1, case, "complete_execution", {"completed_on": "2026-11-20"})
        assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.status == S.EXECUTED and case.enforcement["court"][0]["outcome"] == "enforced"


# ---------------------------------------------------------------- 责令改正 during the investigation


def test_order_to_correct_needs_its_days_then_the_check_is_recorded(client, world):
    case = walk(new_case(world), world, S.INVESTIGATING)
    force_login_verified(client, world.officer1.user)
    page = client.get(_url(case, "order_correction"))
    assert page.status_code == 200 and "行政处罚法 Art.28" in page.text
    d = case.registered_on.isoformat()
    body = {
        "kind": "correct",
        "issued_on": d,
        "content": "限期拆除新建建筑物，恢复土地原状",
        "method": "in_person",
    }
    response = _post(client, world.officer1, case, "order_correction", body)
    assert response.status_code == 400 and "Art.28" in _field_errors(response.text, "days")
    assert "恢复土地原状" in response.text
    response = _post(client, world.officer1, case, "order_correction", {**body, "days": "15"})
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.correction_orders[0]["days"] == 15
    assert case.correction_orders[0]["delivered_on"] == d  # defaults to the day of issue
    response = _post(
        client,
        world.officer1,
        case,
        "check_correction",
        {"checked_on": d, "corrected": "on", "finding": "已拆除并恢复原状"},
    )
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.correction_orders[0]["corrected"] is True


def test_execution_actions_are_listed_on_the_case_page_with_their_reasons(client, world):
    case = walk(new_case(world), world, S.EXECUTING)
    force_login_verified(client, world.officer1.user)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    for action in ("serve_reminder", "apply_to_court", "verify_order", "approve_payment_plan"):
        assert f"why-{action}" in page.text or _url(case, action) in page.text, action
    assert "行政强制法 Arts.35, 54" in page.text  # 催告 is blocked while nothing is overdue


def test_a_decision_without_orders_needs_no_rows_posted(client, world):
    """A fine only: the decision form submitted without the rows' management form (an older page)."""
    case = _notified(world, ["fine"])
    response = _post(client, world.head, case, "decide", {})
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.status == S.DECIDED and case.orders == []
