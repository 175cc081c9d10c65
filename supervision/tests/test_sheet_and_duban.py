"""Issue 9 §3: the scoring sheet's edit screen (every save a new version and a ledger act; a sheet
whose items do not add up to the declared total is refused). §2: the 督办 history of one case."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cases.tests.factories import new_case
from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org.mfa import force_login_verified
from supervision import selectors, services
from supervision.models import ScoringSheet
from supervision.templatetags.supervision import duban_count

ITEMS = """subject | 执法主体 | 40
  - no_cert | 执法人员无证 | 20
procedure | 执法程序 | 60
  - no_notice | 未履行告知程序 | 30
"""


def login(client, officer):
    force_login_verified(client, officer.user)


def test_a_sheet_whose_items_do_not_add_up_to_the_total_is_refused(sup):
    head = sup.world.head.user
    before = ScoringSheet.objects.get(active=True)
    items = [
        {"code": "a", "title": "主体", "points": 40, "deductions": []},
        {"code": "b", "title": "程序", "points": 55, "deductions": []},
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.sheet_save(actor=head, name="新标准", total=100, items=items)
    assert exc.value.code == "sheet_total_mismatch"
    assert "95" in exc.value.message and "100" in exc.value.message
    assert ScoringSheet.objects.get(active=True) == before
    with pytest.raises(PermissionDenied):
        services.sheet_save(actor=sup.world.officer1.user, name="新标准", total=95, items=items)

    sheet = services.sheet_save(actor=head, name="新标准", total=95, items=items)
    assert sheet.active and sheet.total == sheet.total_points == 95
    before.refresh_from_db()
    assert not before.active
    entry = LedgerEntry.objects.filter(act="supervision.sheet_save").last()
    payload = json.loads(entry.payload)
    assert payload["total"] == 95 and payload["replaces"] == [before.pk]
    assert payload["old"][0]["items"] == before.items


def test_the_sheet_screen_saves_a_new_version_and_shows_the_refusal(client, sup):
    login(client, sup.world.head)
    url = reverse("supervision:sheet")
    page = client.get(url)
    assert page.status_code == 200
    assert "执法主体与执法人员" in page.content.decode()  # the seeded sheet, in the line format

    refused = client.post(url, {"name": "省级评查标准", "total": "90", "items": ITEMS})
    assert refused.status_code == 200
    assert "100" in refused.content.decode() and "90" in refused.content.decode()
    assert not ScoringSheet.objects.filter(name="省级评查标准").exists()

    saved = client.post(url, {"name": "省级评查标准", "total": "100", "items": ITEMS})
    assert saved.status_code == 302
    sheet = ScoringSheet.objects.get(active=True)
    assert sheet.name == "省级评查标准" and sheet.total == 100
    assert sheet.items[1]["deductions"] == [{"code": "no_notice", "label": "未履行告知程序", "points": 30}]

    bad = client.post(url, {"name": "x", "total": "100", "items": "only two | fields"})
    assert bad.status_code == 200 and ScoringSheet.objects.get(active=True) == sheet


def test_only_heads_and_supervisors_may_save_the_sheet_on_screen(client, sup):
    login(client, sup.reviewer)
    url = reverse("supervision:sheet")
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "x", "total": "100", "items": ITEMS}).status_code == 403


def _order(sup, case, **kw):
    return services.order_issue(
        actor=kw.pop("actor", sup.world.head.user),
        agency_id=sup.county.pk,
        case_id=case.pk,
        addressee_id=kw.pop("addressee", sup.world.officer1).pk,
        requirement=kw.pop("requirement", "报告调查进展"),
        workdays=3,
    )


def test_duban_history_of_a_case_lists_every_order_with_its_responses(sup):
    head = sup.world.head.user
    case = new_case(sup.world)
    first = _order(sup, case, requirement="三日内报告调查进展")
    services.order_respond(actor=sup.world.officer1.user, order=first, response="已完成现场勘验")
    services.order_conclude(actor=head, order=first, accepted=False, conclusion="未附勘验笔录")
    services.order_respond(actor=sup.world.officer1.user, order=first, response="已补附勘验笔录")
    services.order_conclude(actor=head, order=first, accepted=True, conclusion="同意")
    second = _order(sup, case, actor=sup.supervisor.user, addressee=sup.world.officer2)
    other_case = new_case(sup.world)
    _order(sup, other_case)

    history = selectors.case_duban(actor=head, case_id=case.pk)
    assert [h.order for h in history] == [first, second]
    texts = [s["text"] for s in history[0].steps]
    assert texts == ["三日内报告调查进展", "已完成现场勘验", "未附勘验笔录", "已补附勘验笔录", "同意"]
    assert history[1].order.status == "issued"
    assert selectors.duban_count_for_case(case.pk, head) == {"total": 2, "open": 1}
    assert selectors.duban_count_for_case(case.pk, sup.supervisor.user)["total"] == 2

    # the case's officer sees the orders addressed to them; other agencies see nothing
    mine = selectors.case_duban(actor=sup.world.officer1.user, case_id=case.pk)
    assert [h.order for h in mine] == [first]
    assert selectors.case_duban(actor=sup.sibling_head.user, case_id=case.pk) is None
    assert selectors.duban_count_for_case(case.pk, sup.sibling_head.user) == {"total": 0, "open": 0}


def test_duban_page_and_count_tag(client, sup, rf):
    case = new_case(sup.world)
    order = _order(sup, case)
    url = reverse("supervision:case_duban", args=[case.pk])
    login(client, sup.world.head)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert order.number in body and "报告调查进展" in body
    assert reverse("supervision:order_new") + f"?case={case.pk}" in body

    login(client, sup.sibling_head)
    assert client.get(url).status_code == 404

    request = rf.get("/")
    request.user = sup.world.head.user
    assert duban_count({"request": request}, case.pk) == {"total": 1, "open": 1}
    request.user = sup.sibling_head.user
    assert duban_count({"request": request}, case.pk) == {"total": 0, "open": 0}
