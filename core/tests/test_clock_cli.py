"""`zhifa workdays …`, `zhifa calendar status` and the calendar health check."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from core.checks import calendar_next_year_official
from core.models import CalendarYear, Deadline
from core.selectors import clock as sel
from core.services import calendar as cal
from core.services import clock

pytestmark = pytest.mark.django_db
D = dt.date
ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_add_prints_the_iso_date():
    assert run("add", "2026-09-30", "1") == "2026-10-08"
    assert run("add", "2026-02-13", "2") == "2026-02-24"


def test_add_into_a_provisional_year_says_provisional():
    assert run("add", "2026-12-30", "3") == "2027-01-05 provisional"


def test_between_prints_the_count():
    assert run("between", "2026-09-30", "2026-10-10") == "3"
    assert run("between", "2026-02-13", "2026-02-28") == "6"


@pytest.mark.parametrize(
    ("args", "needle"),
    [(("add", "2026-02-30", "1"), "2026-02-30"), (("add", "2026-03-02", "five"), "five"),
     (("add", "2045-01-02", "1"), "2045"), (("between", "x", "2026-01-01"), "x")],
)
def test_bad_input_is_a_command_error_naming_the_value(args, needle):
    with pytest.raises(CommandError) as err:
        run(*args)
    assert needle in str(err.value)


@pytest.mark.slow
def test_the_console_script_exits_non_zero_without_traceback_on_bad_input():
    from core.testing import scratch_database, worker_env

    with scratch_database() as url:
        env = worker_env(url)
        ok = subprocess.run([sys.executable, str(ROOT / "manage.py"), "workdays", "add", "2026-09-30", "1"],
                            env=env, cwd=ROOT, capture_output=True, text=True)
        assert ok.returncode == 0 and ok.stdout.strip() == "2026-10-08"
        bad = subprocess.run([sys.executable, str(ROOT / "manage.py"), "workdays", "add", "2026-13-01", "1"],
                             env=env, cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "2026-13-01" in bad.stderr


def test_health_check_warns_from_november_when_next_year_is_not_official(time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 31, 12, 0))
    assert calendar_next_year_official() == []
    time_machine.move_to(dt.datetime(2026, 11, 1, 12, 0))
    warnings = calendar_next_year_official()
    assert [w.id for w in warnings] == ["core.W001"] and "2027" in warnings[0].msg
    CalendarYear.objects.update_or_create(year=2027, defaults={"source": "official", "notice": "x"})
    assert calendar_next_year_official() == []


def test_calendar_status_lists_years_and_sources():
    cal.calendar_snapshot(today=D(2026, 11, 25))
    status = sel.calendar_status(today=D(2026, 11, 25))
    assert status.first_year == 2004 and status.last_year >= 2031
    by_year = {y.year: y.official for y in status.years}
    assert by_year[2026] is True and by_year[2027] is False
    assert not status.next_year_official and status.warnings


# --- selectors for the home page ----------------------------------------------------------------


def officers_of_agency(user):
    return [1] if user.username != "outsider" else [2]


@pytest.fixture
def team(settings):
    settings.ZHIFA_VISIBLE_AGENCIES = "core.tests.test_clock_cli.officers_of_agency"
    User = get_user_model()
    officer = User.objects.create_user("officer1", password="x")
    colleague = User.objects.create_user("officer2", password="x")
    head = User.objects.create_user("head1", password="x")
    head.user_permissions.add(Permission.objects.get(codename="view_agency_deadlines"))
    outsider = User.objects.create_user("outsider", password="x")
    outsider.user_permissions.add(Permission.objects.get(codename="view_agency_deadlines"))
    return {u.username: User.objects.get(pk=u.pk) for u in (officer, colleague, head, outsider)}


def make(user, start, title):
    return clock.deadline_start(actor=user, subject=user, agency_id=1, kind="k", title=title, legal_basis="",
                                unit=Deadline.Unit.WORKDAYS, amount=5, start_date=start, responsible=user,
                                today=D(2026, 3, 10))


def test_deadlines_for_user_shows_own_to_officers_and_the_agency_to_heads(team):
    mine_late = make(team["officer1"], D(2026, 2, 26), "逾期")
    mine_later = make(team["officer1"], D(2026, 4, 1), "以后")
    theirs = make(team["officer2"], D(2026, 3, 9), "同事")
    clock.deadline_satisfy(actor=team["officer1"], deadline=make(team["officer1"], D(2026, 3, 2), "已办"),
                           by_act="x")
    assert [d.pk for d in sel.deadlines_for_user(user=team["officer1"])] == [mine_late.pk, mine_later.pk]
    seen_by_head = {d.pk for d in sel.deadlines_for_user(user=team["head1"])}
    assert seen_by_head == {mine_late.pk, mine_later.pk, theirs.pk}
    assert sel.deadlines_for_user(user=team["outsider"]) == []
    assert [d.pk for d in sel.deadlines_for_user(user=team["head1"], limit=1)] == [mine_late.pk]


def test_alerts_for_user_lists_only_the_users_alerts_on_running_deadlines(team, settings):
    settings.ZHIFA_ALERT_RECIPIENTS = "core.tests.test_deadline_scan.recipients_for_test"
    late = make(team["officer1"], D(2026, 2, 26), "逾期")
    clock.deadlines_scan(today=D(2026, 3, 10))
    alerts = sel.alerts_for_user(user=team["officer1"])
    assert [(a.deadline_id, a.level) for a in alerts] == [(late.pk, "overdue")]
    assert sel.alerts_for_user(user=team["officer2"]) == []
    clock.deadline_satisfy(actor=team["officer1"], deadline=late, by_act="x")
    assert sel.alerts_for_user(user=team["officer1"]) == []
