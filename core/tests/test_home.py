"""The officer's home (我的待办): alerts, open deadlines, provisional marks, calendar health."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import Deadline
from core.services import clock

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("li.hua", password="x")


@pytest.fixture
def calendar_admin():
    user = get_user_model().objects.create_user("sysadmin", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_workdayoverride"))
    return user


def start(user, **kw):
    args = dict(
        actor=user, subject=user, agency_id=1, kind="penalty.decision", title="作出行政处罚决定",
        legal_basis="《行政处罚法》第六十条", unit=Deadline.Unit.WORKDAYS, amount=5,
        start_date=D(2026, 9, 28), responsible=user, warn_days=2,
    )
    args.update(kw)
    return clock.deadline_start(**args)


def test_given_nothing_to_do_then_home_shows_chinese_empty_states(client, officer):
    client.force_login(officer)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>我的待办</h1>" in body
    assert "暂无预警" in body and "暂无未完成的期限" in body
    assert 'lang="zh-Hans"' in body and "行政执法综合管理监督平台" in body


@time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=dt.UTC), tick=False)
def test_given_deadlines_and_alerts_then_home_lists_them_with_badges(client, officer):
    overdue = start(officer, title="送达行政处罚决定书", start_date=D(2026, 9, 1))
    later = start(officer, title="复核现场勘验", start_date=D(2026, 12, 21), amount=15)
    clock.deadlines_scan(today=D(2026, 10, 12))
    someone_else = get_user_model().objects.create_user("zhang.san", password="x")
    start(someone_else, title="别人的期限")
    overdue.refresh_from_db()
    later.refresh_from_db()
    assert overdue.status == Deadline.Status.OVERDUE and later.provisional

    client.force_login(officer)
    body = client.get(reverse("core:home")).content.decode()
    assert body.count("送达行政处罚决定书") == 2  # once as an alert, once in the deadlines table
    assert "超期" in body and 'class="is-overdue"' in body
    assert later.due_date.isoformat() in body
    assert '<span class="badge badge-provisional"' in body and "暂定" in body
    assert "别人的期限" not in body


@time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_from_november_the_calendar_warning_shows_to_the_system_administrator_only(
    client, officer, calendar_admin
):
    client.force_login(calendar_admin)
    body = client.get(reverse("core:home")).content.decode()
    assert 'id="calendar-health"' in body and "2027" in body
    client.force_login(officer)
    assert 'id="calendar-health"' not in client.get(reverse("core:home")).content.decode()


@time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_before_november_no_calendar_warning(client, calendar_admin):
    client.force_login(calendar_admin)
    assert 'id="calendar-health"' not in client.get(reverse("core:home")).content.decode()


def test_navigation_marks_the_current_page_and_shows_the_ledger_to_auditors_only(client, officer):
    client.force_login(officer)
    body = client.get(reverse("core:home")).content.decode()
    assert 'aria-current="page">首页/待办</a>' in body
    assert "全过程记录" not in body
    # the links are rendered once per set of answers (core.templatetags.zhifa_ui.main_nav); the mark
    # moves with the page, and a page outside the navigation marks none
    cases = client.get(reverse("cases:case_list")).content.decode()
    assert 'aria-current="page">案件</a>' in cases and 'aria-current="page">首页/待办</a>' not in cases
    assert cases.count('aria-current="page"') == 1
    assert 'aria-current="page"' not in client.get(reverse("org:password_change")).content.decode()
    auditor = get_user_model().objects.create_user("auditor", password="x")
    auditor.user_permissions.add(Permission.objects.get(codename="view_ledgerentry"))
    client.force_login(auditor)
    assert "全过程记录" in client.get(reverse("core:home")).content.decode()


def test_url_or_empty_hides_a_missing_route():
    from django.template import Context, Template

    html = Template(
        '{% load zhifa_ui %}{% nav_item "nowhere:missing" "X" %}|{% nav_item "core:home" "Home" %}'
    ).render(Context({}))
    assert html == f'|<li><a href="{reverse("core:home")}">Home</a></li>'


def test_url_or_empty_caches_per_script_prefix():
    """The navigation's plain routes are reversed once per process, but per script prefix: a
    deployment under a sub-path gets its own links."""
    from django.template import Context, Template
    from django.urls import get_script_prefix, set_script_prefix

    tpl = Template('{% load zhifa_ui %}{% url_or_empty "core:home" %}')
    before = get_script_prefix()
    try:
        home = reverse("core:home")
        assert tpl.render(Context({})) == home
        set_script_prefix("/county/")
        assert tpl.render(Context({})) == "/county/" + home.lstrip("/")
    finally:
        set_script_prefix(before)
    assert tpl.render(Context({})) == reverse("core:home")
