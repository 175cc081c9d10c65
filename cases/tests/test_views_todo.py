"""我的待办 and the case list: my cases, what is due soon and overdue in them (on the home page
through core's panel hook), the list's filters and search; the wizard's field of enforcement."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from cases import selectors
from cases.models import CaseStatus, Procedure
from cases.tests.factories import case_world, new_case, walk
from org.mfa import force_login_verified
from org.selectors import enforcement_fields, officers_certified
from org.tests.factories import CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))
TODAY = D(2026, 3, 16)  # a Monday, no holiday within two weeks


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def _options(text: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text, re.S)
    assert select, name
    return set(re.findall(r'<option value="(\d+)"', select.group(1)))


def _detail(case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def test_home_shows_my_cases_and_what_is_due_soon_and_overdue_in_them_linked(client):
    with at(TODAY):
        world = case_world()
        overdue = new_case(world, discovered_on=TODAY - datetime.timedelta(days=30))
        soon = new_case(world, discovered_on=D(2026, 3, 6))  # 立案 within 10 WD: 03-20
        later = new_case(world, discovered_on=TODAY)  # due 03-30: not yet listed
        others = new_case(world, discovered_on=TODAY - datetime.timedelta(days=30), assign=False)
        force_login_verified(client, world.officer1.user)
        body = client.get(reverse("core:home")).text
    assert "我的案件" in body
    panel = body[body.index('id="my-deadlines"') : body.index('id="my-cases"')]
    cases_panel = body[body.index('id="my-cases"') :]
    for case in (overdue, soon, later):
        assert _detail(case) in cases_panel
    assert _detail(others) not in body  # not an officer of it
    assert _detail(overdue) in panel and _detail(soon) in panel and _detail(later) not in panel
    assert "立案期限" in panel and "2026-03-20" in panel
    assert "超期" in panel and "即将到期" in panel
    rows = re.findall(r'<tr class="(is-overdue|is-due-soon)">', panel)
    assert rows == ["is-overdue", "is-due-soon"]  # the oldest due date first
    # the selector behind it: annotated with the case and whether it is overdue
    found = list(selectors.my_deadlines(actor=world.officer1.user, today=TODAY))
    assert [(d.case_pk, d.overdue) for d in found] == [(overdue.pk, True), (soon.pk, False)]


def test_home_panels_are_paginated_and_left_out_for_a_user_without_officer(client, monkeypatch):
    monkeypatch.setattr("cases.views.TODO_PAGE_SIZE", 2)
    with at(TODAY):
        world = case_world()
        cases = [new_case(world, discovered_on=TODAY - datetime.timedelta(days=30)) for _ in range(3)]
        force_login_verified(client, world.officer1.user)
        first = client.get(reverse("core:home")).text
        assert "第 1 页，共 2 页" in first and "due_page=2" in first and "cases_page=2" in first
        second = client.get(reverse("core:home"), {"due_page": "2"}).text
        panel = second[second.index('id="my-deadlines"') : second.index('id="my-cases"')]
        assert "第 2 页，共 2 页" in panel
        assert sum(_detail(c) in panel for c in cases) == 1
        page = client.get(reverse("cases:todo"))
        assert page.status_code == 200 and "第 1 页，共 2 页" in page.text
    from django.contrib.auth import get_user_model

    plain = get_user_model().objects.create_user("plain.user", password="x")
    client.force_login(plain)
    assert 'id="my-cases"' not in client.get(reverse("core:home")).text


def test_case_list_filters_status_procedure_mine_overdue_and_searches_number_party_title(client, world):
    today = datetime.date.today()
    mine = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    late = new_case(world, discovered_on=today - datetime.timedelta(days=40), assign=False)
    company = new_case(world, party_type="legal", assign=False)
    force_login_verified(client, world.officer1.user)
    url = reverse("cases:case_list")

    def listed(**params) -> set[int]:
        page = client.get(url, params)
        assert page.status_code == 200
        return {c.pk for c in (mine, late, company) if _detail(c) in page.text}

    assert listed() == {mine.pk, late.pk, company.pk}
    assert listed(status="investigating") == {mine.pk}
    assert listed(procedure=Procedure.GENERAL) == {mine.pk, late.pk, company.pk}
    assert listed(procedure=Procedure.SUMMARY) == set()
    assert listed(mine="on") == {mine.pk}
    assert listed(overdue="on") == {late.pk}
    assert listed(q=mine.case_number) == {mine.pk}
    assert listed(q="某公司") == {company.pk}  # party name
    assert listed(q="张三", mine="on") == {mine.pk}
    assert listed(q="无此案件") == set()
    page = client.get(url, {"q": "某公司"})
    assert "搜索案件编号、当事人名称或标题" in page.text and "仅看超期" in page.text
    assert 'value="某公司"' in page.text  # what was typed is kept


def test_officers_certified_is_one_query_and_matches_officer_may_enforce(world, django_assert_num_queries):
    from org.selectors import officer_may_enforce

    today = datetime.date.today()
    expired = OfficerFactory(agency=world.agency)
    CertificateFactory(officer=expired, expires_on=today - datetime.timedelta(days=1))
    OfficerFactory(agency=world.agency, is_auxiliary=True, certified_fields=["land"])
    OfficerFactory(agency=world.agency, certified_fields=["mineral"])
    with django_assert_num_queries(1):
        found = list(officers_certified(agency=world.agency, field_code="land", on=today))
    expected = [
        o
        for o in world.agency.officers.order_by("name", "pk")
        if officer_may_enforce(officer=o, field_code="land", on=today).allowed
    ]
    assert found == expected
    assert {world.head.pk, world.officer1.pk, world.officer2.pk, world.chair.pk} <= {o.pk for o in found}
    assert expired.pk not in {o.pk for o in found}


def test_wizard_offers_the_fields_the_officer_is_certified_for_and_their_officers(client, world):
    world.officer1.certificates.first().fields.add(*enforcement_fields().filter(code="mineral"))
    miner = OfficerFactory(agency=world.agency, name="矿产执法员", certified_fields=["mineral"])
    force_login_verified(client, world.officer1.user)
    page = client.get(reverse("cases:summary_new"))
    select = re.search(r'<select name="field_code"[^>]*>(.*?)</select>', page.text, re.S)
    assert select
    options = re.findall(r'<option value="([a-z_]+)"( selected)?', select.group(1))
    assert options[0] == ("land", " selected") and {o for o, _s in options} == {"land", "mineral"}
    offered = _options(page.text, "co_officer_id")
    assert str(miner.pk) not in offered and str(world.officer2.pk) in offered
    # the field chosen drives the second-officer list (re-rendered with what was typed)
    response = client.post(reverse("cases:summary_new"), {"field_code": "mineral", "party_name": "王五"})
    assert response.status_code == 400
    offered = _options(response.text, "co_officer_id")
    assert str(miner.pk) in offered and str(world.officer2.pk) not in offered
    assert 'value="mineral" selected' in response.text and "王五" in response.text
