"""The officer's case screens: list, lead registration, case page, actions, parties, officers."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Case, CaseStatus, Party
from cases.tests.factories import RESIDENT_ID, case_world, new_case, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return new_case(world)


def _zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def _login(client, officer):
    client.force_login(officer.user)
    return client


def test_list_shows_own_agency_cases_only_and_other_agency_case_is_404(client, world, case):
    other = new_case(case_world())
    page = _login(client, world.officer1).get(reverse("cases:case_list"))
    assert page.status_code == 200
    assert reverse("cases:case_detail", args=[case.pk]) in page.text
    assert reverse("cases:case_detail", args=[other.pk]) not in page.text
    assert "登记案源" in page.text
    assert client.get(reverse("cases:case_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("cases:case_action", args=[other.pk, "check"])).status_code == 404


def test_list_filters_search_and_my_cases_only(client, world, case):
    unassigned = new_case(world, assign=False)
    _login(client, world.officer1)
    page = client.get(reverse("cases:case_list"), {"status": "investigating"})
    assert reverse("cases:case_detail", args=[case.pk]) not in page.text
    page = client.get(reverse("cases:case_list"), {"q": "占用耕地", "mine": "on"})
    assert reverse("cases:case_detail", args=[case.pk]) in page.text
    assert reverse("cases:case_detail", args=[unassigned.pk]) not in page.text  # not the officer's
    page = client.get(reverse("cases:case_list"), {"q": "占用耕地"})
    assert reverse("cases:case_detail", args=[unassigned.pk]) in page.text
    assert "没有符合条件的案件" in client.get(reverse("cases:case_list"), {"q": "无此案件"}).text


def test_list_filter_form_shows_what_was_chosen(client, world, case):
    """The unbound filter form is rendered once per process; a filtered list renders it afresh with
    the choices kept, and the plain list again without them."""
    _login(client, world.officer1)
    plain = client.get(reverse("cases:case_list")).text
    assert 'name="status"' in plain
    assert not re.search(r'value="investigating"[^>]*selected', plain)
    chosen = client.get(reverse("cases:case_list"), {"status": "investigating", "q": "占用耕地"}).text
    status_select = chosen.split('name="status"')[1].split("</select>")[0]
    assert re.search(r'value="investigating"[^>]*selected', status_select)
    assert 'value="占用耕地"' in chosen
    again = client.get(reverse("cases:case_list")).text
    assert again.split('name="status"')[1].split("</select>")[0] == plain.split('name="status"')[1].split(
        "</select>"
    )[0]


def test_register_lead_via_the_form_and_errors_keep_what_was_typed(client, world):
    _login(client, world.officer1)
    url = reverse("cases:lead_new")
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    bad = client.post(url, {"source": "patrol", "discovered_on": future, "description": "某村违法建房"})
    assert bad.status_code == 400
    assert "某村违法建房" in bad.text and "发现日期不能晚于今天" in bad.text
    ok = client.post(
        url,
        {
            "source": "patrol",
            "discovered_on": timezone.localdate().isoformat(),
            "description": "某村违法建房",
        },
    )
    assert ok.status_code == 302
    case = Case.objects.get(lead__description="某村违法建房")
    assert case.agency_id == world.agency.pk and case.status == CaseStatus.LEAD
    assert ok["Location"] == reverse("cases:case_detail", args=[case.pk])


def test_case_page_lists_blocked_actions_with_chinese_reason_and_article(client, world, case):
    walk(case, world, CaseStatus.PRELIMINARY_CHECK)
    page = _login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    text = page.text
    # 立案 needs the head: shown disabled, with the rule and its article.
    blocked = re.search(
        r'<button[^>]*disabled[^>]*>立案</button>\s*<ul class="errorlist"[^>]*>(.*?)</ul>', text, re.S
    )
    assert blocked and "负责人" in blocked.group(1) and "行政处罚法 Art.54" in blocked.group(1)
    assert "<svg" in text and 'data-state="preliminary_check"><rect' in text and "#ffe39a" in text
    assert "处罚决定期限" not in text  # no deadline yet before 立案


def test_allowed_action_by_post_moves_the_status(client, world, case):
    _login(client, world.officer1)
    url = reverse("cases:case_action", args=[case.pk, "check"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PRELIMINARY_CHECK
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert _zh(CaseStatus.PRELIMINARY_CHECK.label) in page.text


def test_action_with_data_register_shows_deadline(client, world, case):
    walk(case, world, CaseStatus.PRELIMINARY_CHECK)
    _login(client, world.head)
    url = reverse("cases:case_action", args=[case.pk, "register"])
    response = client.post(url, {"version": case.version, "registered_on": ""})
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.case_number
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert "处罚决定期限" in page.text


def test_refused_action_shows_violations_and_changes_nothing(client, world, case):
    walk(case, world, CaseStatus.PRELIMINARY_CHECK)
    before = Case.objects.get(pk=case.pk)
    response = _login(client, world.officer1).post(
        reverse("cases:case_action", args=[case.pk, "register"]), {"version": case.version}
    )
    assert response.status_code == 409
    assert "行政处罚法 Art.54" in response.text and "notice-error" in response.text
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.version) == (before.status, before.version)


def test_invalid_action_data_is_shown_on_the_form(client, world, case):
    walk(case, world, CaseStatus.INVESTIGATING)
    response = _login(client, world.officer1).post(
        reverse("cases:case_action", args=[case.pk, "report"]),
        {"version": case.version, "proposed_outcome": "penalty", "kinds": ["fine"], "amount": "-5"},
    )
    assert response.status_code == 400
    assert 'value="-5"' in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING


def test_stale_version_shows_the_conflict_and_the_fresh_state(client, world, case):
    stale = case.version
    walk(case, world, CaseStatus.PRELIMINARY_CHECK)
    response = _login(client, world.head).post(
        reverse("cases:case_action", args=[case.pk, "decline"]),
        {"version": stale, "reason": "不属于本机关管辖"},
    )
    assert response.status_code == 409
    assert "notice-warning" in response.text and _zh(CaseStatus.PRELIMINARY_CHECK.label) in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.PRELIMINARY_CHECK


def test_party_add_form_validates_and_keeps_input(client, world, case):
    _login(client, world.officer1)
    url = reverse("cases:party_add", args=[case.pk])
    bad = client.post(url, {"party_type": "natural", "name": "李四", "id_number": "110105194912310021"})
    assert bad.status_code == 400 and "李四" in bad.text and "110105194912310021" in bad.text
    ok = client.post(url, {"party_type": "natural", "name": "李四", "id_number": RESIDENT_ID})
    assert ok.status_code == 302
    assert Party.objects.filter(case=case, name="李四").exists()


def test_head_assigns_an_officer(client, world):
    case = new_case(world, assign=False)
    _login(client, world.head)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert reverse("cases:officer_assign", args=[case.pk]) in page.text
    ok = client.post(
        reverse("cases:officer_assign", args=[case.pk]), {"officer_id": world.officer1.pk, "role": "lead"}
    )
    assert ok.status_code == 302
    assert case.officers.filter(officer=world.officer1, active=True).exists()


def test_outsider_may_not_post_actions(world, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.outsider.user)
    assert client.post(reverse("cases:case_action", args=[case.pk, "check"]), {"version": 1}).status_code in (
        403,
        404,
    )


def test_csrf_enforced_and_no_inline_script_without_nonce(world, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer1.user)
    url = reverse("cases:case_action", args=[case.pk, "check"])
    assert client.post(url, {"version": case.version}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.LEAD
    for page in (
        client.get(reverse("cases:case_detail", args=[case.pk])),
        client.get(reverse("cases:case_list")),
        client.get(url),
        client.get(reverse("cases:lead_new")),
    ):
        nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"]).group(1)
        assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script[^>]*>", page.text))
        assert "<style" not in page.text and " style=" not in page.text
        assert 'name="csrfmiddlewaretoken"' in page.text or page.request["PATH_INFO"].endswith("/cases/")
