"""Calendar admin screens and the deadlines list."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import CalendarYear, Deadline, LedgerEntry, WorkdayOverride
from core.services import calendar as cal
from core.services import clock

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_user("sysadmin", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_workdayoverride"))
    client.force_login(user)
    return client


def test_only_administrators_see_the_calendar_admin(client):
    client.force_login(get_user_model().objects.create_user("officer1", password="x"))
    assert client.get(reverse("core:calendar")).status_code == 403
    assert client.get(reverse("core:calendar_year", args=[2026])).status_code == 403


def test_year_list_marks_provisional_years(admin_client):
    body = admin_client.get(reverse("core:calendar")).content.decode()
    assert reverse("core:calendar_year", args=[2027]) in body
    assert "badge-provisional" in body and "badge-valid" in body


def test_year_view_marks_holidays_and_make_up_days(admin_client):
    body = admin_client.get(reverse("core:calendar_year", args=[2026])).content.decode()
    assert 'class="makeup" title="春节"' in body and 'class="holiday" title="春节"' in body
    assert admin_client.get(reverse("core:calendar_year", args=[1999])).status_code == 404


def test_setting_a_day_through_the_form_goes_through_the_service(admin_client):
    url = reverse("core:calendar_year", args=[2026])
    data = {"action": "set", "o-date": "2026-03-04", "o-kind": "holiday", "o-name": "测试"}
    r = admin_client.post(url, data)
    assert r.status_code == 302
    assert WorkdayOverride.objects.get(date=D(2026, 3, 4)).kind == "holiday"
    assert LedgerEntry.objects.filter(act="calendar.override_set").exists()
    r = admin_client.post(url, {"action": "remove", "r-date": "2026-03-04"})
    assert r.status_code == 302 and not WorkdayOverride.objects.filter(date=D(2026, 3, 4)).exists()


def test_bad_form_input_is_shown_as_errors_and_changes_nothing(admin_client):
    url = reverse("core:calendar_year", args=[2026])
    cal.calendar_snapshot()
    before = WorkdayOverride.objects.count()
    r = admin_client.post(url, {"action": "set", "o-date": "2026-02-30", "o-kind": "holiday"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    r = admin_client.post(url, {"action": "set", "o-date": "2026-03-04", "o-kind": "workday"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    r = admin_client.post(url, {"action": "set", "o-date": "2025-03-04", "o-kind": "holiday"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert WorkdayOverride.objects.count() == before


def test_entering_the_official_calendar_through_the_form(admin_client):
    cal.calendar_snapshot()
    url = reverse("core:calendar_year", args=[2027])
    r = admin_client.post(url, {"action": "publish", "p-notice": "国办发明电〔2026〕7号",
                                "p-holidays": "2027-01-01..2027-01-03, 2027-02-05..2027-02-11\n2027-04-05",
                                "p-workdays": "2027-02-13"})
    assert r.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "official"
    assert WorkdayOverride.objects.get(date=D(2027, 2, 13)).kind == "workday"
    r = admin_client.post(url, {"action": "publish", "p-notice": "x", "p-holidays": "2027-13-01"})
    assert r.status_code == 200 and "2027-13-01" in r.content.decode()


def test_deadlines_list_filters_paginates_and_marks_provisional(client):
    user = get_user_model().objects.create_user("officer1", password="x")
    client.force_login(user)
    for i in range(30):
        clock.deadline_start(actor=user, subject=user, agency_id=1, kind="k", title=f"期限{i}",
                             legal_basis="", unit=Deadline.Unit.WORKDAYS, amount=5,
                             start_date=D(2026, 3, 2) + dt.timedelta(days=i), responsible=user,
                             today=D(2026, 3, 2))
    clock.deadline_start(actor=user, subject=user, agency_id=1, kind="k", title="跨年期限", legal_basis="",
                         unit=Deadline.Unit.WORKDAYS, amount=5, start_date=D(2026, 12, 28), responsible=user,
                         today=D(2026, 3, 2))
    url = reverse("core:deadlines")
    first = client.get(url).content.decode()
    assert "期限0<" in first and "期限29<" not in first and "page=2" in first
    last = client.get(url, {"due_from": "2026-12-01"}).content.decode()
    assert "跨年期限" in last and "badge-provisional" in last and "期限0<" not in last
    bad = client.get(url, {"due_from": "2026-12-01", "due_to": "2026-01-01"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    other = get_user_model().objects.create_user("officer2", password="x")
    client.force_login(other)
    assert "期限0<" not in client.get(url).content.decode()
