"""Deadline services: start, pause/resume, satisfy, cancel, the transition table, recomputation."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from core.errors import CalendarUnavailable, Conflict, PermissionDenied, ValidationFailed
from core.models import CalendarYear, Deadline, LedgerEntry, WorkdayOverride
from core.services import calendar as cal
from core.services import clock
from core.services.clock import TRANSITIONS

pytestmark = pytest.mark.django_db
D = dt.date
S = Deadline.Status


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("officer1", email="officer1@example.cn", password="x")


@pytest.fixture
def admin():
    user = get_user_model().objects.create_user("sysadmin", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_workdayoverride"))
    return get_user_model().objects.get(pk=user.pk)


def start(officer, **kw):
    args = dict(
        actor=officer, subject=officer, agency_id=1, kind="penalty.decision",
        title="作出行政处罚决定", legal_basis="《行政处罚法》第六十条", unit=Deadline.Unit.WORKDAYS,
        amount=5, start_date=D(2026, 9, 28), responsible=officer, warn_days=2, today=D(2026, 9, 1),
    )
    args.update(kw)
    return clock.deadline_start(**args)


def acts(act):
    return list(LedgerEntry.objects.filter(act=act).order_by("seq"))


def test_given_a_start_when_deadline_started_then_due_date_follows_the_calendar_and_is_recorded(officer):
    d = start(officer)
    # 09-29, 09-30, (10-01…10-07 off), 10-08, 10-09, 10-10 (make-up Saturday)
    assert d.due_date == D(2026, 10, 10) and not d.provisional and d.status == S.OPEN
    entry = acts("deadline.started")[-1]
    assert entry.object_id == str(d.pk) and '"due_date":"2026-10-10"' in entry.payload


@pytest.mark.parametrize(
    ("unit", "amount", "start_date", "due"),
    [
        (Deadline.Unit.CALENDAR_DAYS, 3, D(2026, 9, 28), D(2026, 10, 8)),
        (Deadline.Unit.MONTHS, 1, D(2026, 9, 3), D(2026, 10, 8)),
        (Deadline.Unit.MONTHS, 6, D(2026, 8, 31), D(2027, 3, 1)),  # 2027-02-28 is a Sunday
    ],
)
def test_units_other_than_workdays_use_the_rest_day_rule(officer, unit, amount, start_date, due):
    d = start(officer, unit=unit, amount=amount, start_date=start_date)
    assert d.due_date == due
    assert d.provisional == (due.year >= 2027)


def test_bad_input_is_refused_with_field_errors_and_nothing_written(officer):
    with pytest.raises(ValidationFailed) as err:
        start(officer, title=" ", amount=0, warn_days=99, unit="fortnights")
    assert set(err.value.field_errors) == {"title", "amount", "warn_days", "unit"}
    assert not Deadline.objects.exists()
    with pytest.raises(CalendarUnavailable):
        start(officer, start_date=D(2040, 1, 2))
    assert not Deadline.objects.exists()


def test_given_started_long_ago_then_it_starts_overdue(officer):
    assert start(officer, start_date=D(2026, 8, 3), today=D(2026, 9, 1)).status == S.OVERDUE
    assert start(officer, start_date=D(2026, 8, 27), today=D(2026, 9, 1)).status == S.DUE_SOON  # due 09-03
    assert start(officer, start_date=D(2026, 8, 28), today=D(2026, 9, 1)).status == S.OPEN  # due 09-04


def test_pause_and_resume_extend_by_the_paused_working_days(officer):
    d = start(officer, start_date=D(2026, 9, 1), amount=10, today=D(2026, 9, 1))
    assert d.due_date == D(2026, 9, 15)
    clock.deadline_pause(actor=officer, deadline=d, reason="听证", on=D(2026, 9, 7))
    d.refresh_from_db()
    assert d.status == S.PAUSED
    # Paused Monday 09-07 to (resumed on) Monday 09-14: five working days; Sunday 09-20 is a
    # make-up working day, so the five extra days are 09-16, 09-17, 09-18, 09-20, 09-21.
    d = clock.deadline_resume(actor=officer, deadline=d, on=D(2026, 9, 14), today=D(2026, 9, 14))
    assert d.due_date == D(2026, 9, 21) and d.status == S.OPEN
    entry = acts("deadline.resumed")[-1]
    assert '"old_due":"2026-09-15"' in entry.payload and '"new_due":"2026-09-21"' in entry.payload


def test_pause_over_a_holiday_counts_only_working_days_and_calendar_units_count_every_day(officer):
    d = start(officer, start_date=D(2026, 9, 21), amount=10, today=D(2026, 9, 21))
    clock.deadline_pause(actor=officer, deadline=d, reason="鉴定", on=D(2026, 9, 28))
    d = clock.deadline_resume(actor=officer, deadline=d, on=D(2026, 10, 9), today=D(2026, 10, 9))
    # paused 09-28 … 10-08: 09-28, 09-29, 09-30, 10-08 are working days → +4
    assert d.due_date == cal.calendar_snapshot().add_workdays(D(2026, 9, 21), 14).date
    c = start(officer, unit=Deadline.Unit.CALENDAR_DAYS, amount=30, start_date=D(2026, 3, 2),
              today=D(2026, 3, 2))
    assert c.due_date == D(2026, 4, 1)
    clock.deadline_pause(actor=officer, deadline=c, reason="鉴定", on=D(2026, 3, 10))
    c = clock.deadline_resume(actor=officer, deadline=c, on=D(2026, 3, 20), today=D(2026, 3, 20))
    assert c.due_date == D(2026, 4, 13)  # 04-11 is a Saturday → Monday 04-13


def test_resume_when_not_paused_and_resume_before_pause_are_refused(officer):
    d = start(officer)
    with pytest.raises(Conflict):
        clock.deadline_resume(actor=officer, deadline=d, on=D(2026, 9, 29))
    clock.deadline_pause(actor=officer, deadline=d, reason="听证", on=D(2026, 9, 29))
    with pytest.raises(ValidationFailed):
        clock.deadline_resume(actor=officer, deadline=d, on=D(2026, 9, 28))
    with pytest.raises(ValidationFailed):
        clock.deadline_pause(actor=officer, deadline=d, reason="", on=D(2026, 9, 29))


def test_satisfy_and_cancel_close_the_deadline_and_closed_deadlines_refuse_every_move(officer):
    d = clock.deadline_satisfy(actor=officer, deadline=start(officer), by_act="penalty.decided#12")
    assert d.status == S.SATISFIED and d.satisfied_by == "penalty.decided#12" and d.satisfied_at
    with pytest.raises(Conflict) as err:
        clock.deadline_cancel(actor=officer, deadline=d, reason="撤案")
    assert err.value.code == "deadline_transition_refused"
    c = clock.deadline_cancel(actor=officer, deadline=start(officer), reason="撤案")
    assert c.status == S.CANCELLED
    with pytest.raises(Conflict):
        clock.deadline_pause(actor=officer, deadline=c, reason="听证", on=D(2026, 9, 29))
    assert len(acts("deadline.satisfied")) == 1 and len(acts("deadline.cancelled")) == 1


ALL = [s.value for s in S]


@pytest.mark.parametrize(("source", "target"), [(a, b) for a in ALL for b in ALL])
def test_transition_table_is_enforced_by_move(officer, source, target):
    d = start(officer)
    Deadline.objects.filter(pk=d.pk).update(status=source)
    d.refresh_from_db()
    if target in TRANSITIONS[source]:
        clock._move(d, to=target, actor=officer, act="test.move")
        d.refresh_from_db()
        assert d.status == target
    else:
        with pytest.raises(Conflict):
            clock._move(d, to=target, actor=officer, act="test.move")
        d.refresh_from_db()
        assert d.status == source


# --- calendar edits move deadlines ---------------------------------------------------------------


def test_override_change_recomputes_open_deadlines_that_touch_the_day_and_records_old_and_new(officer, admin):
    d = start(officer, start_date=D(2026, 3, 2), amount=5, today=D(2026, 3, 2))
    untouched = start(officer, start_date=D(2026, 5, 11), amount=5, today=D(2026, 3, 2))
    assert d.due_date == D(2026, 3, 9)
    cal.workday_override_set(actor=admin, date=D(2026, 3, 4), kind=WorkdayOverride.Kind.HOLIDAY, name="测试")
    d.refresh_from_db()
    assert d.due_date == D(2026, 3, 10)
    untouched.refresh_from_db()
    assert untouched.due_date == D(2026, 5, 18)
    rec = acts("deadline.recomputed")
    assert len(rec) == 1 and rec[0].object_id == str(d.pk)
    assert '"old_due":"2026-03-09"' in rec[0].payload and '"new_due":"2026-03-10"' in rec[0].payload
    setting = acts("calendar.override_set")[-1]
    assert '"old":null' in setting.payload and '"kind":"holiday"' in setting.payload
    cal.workday_override_remove(actor=admin, date=D(2026, 3, 4))
    d.refresh_from_db()
    assert d.due_date == D(2026, 3, 9)
    assert cal.add_workdays(D(2026, 3, 2), 5).date == D(2026, 3, 9)


def test_calendar_edits_need_the_administrator_permission(officer, admin):
    with pytest.raises(PermissionDenied):
        cal.workday_override_set(actor=officer, date=D(2026, 3, 4), kind="holiday", name="x")
    with pytest.raises(PermissionDenied):
        cal.calendar_year_publish_official(actor=officer, year=2027, holidays=[D(2027, 1, 1)], workdays=[],
                                           notice="x")
    with pytest.raises(ValidationFailed):
        cal.workday_override_set(actor=admin, date=D(2026, 3, 4), kind="workday", name="")
    with pytest.raises(CalendarUnavailable):
        cal.workday_override_set(actor=admin, date=D(2045, 3, 4), kind="holiday", name="")
    assert not WorkdayOverride.objects.filter(date=D(2026, 3, 4)).exists()


def test_publishing_the_official_2027_calendar_replaces_provisional_days_and_clears_flags(officer, admin):
    cal.calendar_snapshot()
    d = start(officer, start_date=D(2026, 12, 28), amount=10, today=D(2026, 12, 1))
    assert d.provisional
    before = d.due_date  # 12-29..12-31 (3), 01-01 holiday, 01-04..01-08 (5), 01-11, 01-12
    assert before == D(2027, 1, 12)
    provisional = set(cal.provisional_holidays(2027))
    # A notice that also makes 01-04/01-05 days off and Saturday 01-09 a make-up working day.
    holidays = sorted(provisional | {D(2027, 1, 2), D(2027, 1, 3), D(2027, 1, 4), D(2027, 1, 5)})
    cal.calendar_year_publish_official(actor=admin, year=2027, holidays=holidays, workdays=[D(2027, 1, 9)],
                                       notice="国办发明电〔2026〕X号")
    row = CalendarYear.objects.get(year=2027)
    assert row.source == CalendarYear.Source.OFFICIAL and row.notice.startswith("国办")
    assert not WorkdayOverride.objects.filter(date__year=2027, provisional=True).exists()
    d.refresh_from_db()
    assert d.due_date == D(2027, 1, 13) and not d.provisional
    rec = acts("deadline.recomputed")[-1]
    assert '"new_provisional":false' in rec.payload and '"old_due":"2027-01-12"' in rec.payload
    assert cal.add_workdays(D(2027, 1, 8), 1) == (D(2027, 1, 9), False)
    pub = acts("calendar.official_published")[-1]
    assert '"old_source":"provisional"' in pub.payload and "2027-01-04" in pub.payload


def test_publishing_refuses_bad_lists_with_reasons(admin):
    cal.calendar_snapshot()
    with pytest.raises(ValidationFailed) as err:
        cal.calendar_year_publish_official(
            actor=admin, year=2027, holidays=[D(2026, 1, 1), D(2027, 1, 6)],
            workdays=[D(2027, 1, 6), D(2027, 1, 7)], notice=""
        )
    assert set(err.value.field_errors) == {"notice", "holidays", "workdays"}
    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.PROVISIONAL
