"""The working-day calendar (工作日 / 法定节假日 / 调休) and the day arithmetic of LEGAL.md §7.

Where the days come from:
- official years (2004–2026 today) are seeded from `chinesecalendar` into `WorkdayOverride` by a
  data migration; an administrator enters later years from the 国务院办公厅 notice
  (`calendar_year_publish_official`) and may correct single days (`workday_override_set/remove`);
- a year with no official data is computed provisionally from the statutory holidays of the
  放假办法 (国务院令第795号) with `lunar-python`, lazily, the first time the calendar is loaded,
  for every year up to the current year + `PROVISIONAL_YEARS_AHEAD`. Results that depend on a
  provisional year say so (`provisional=True`) and are recomputed when the official data arrives.

Arithmetic runs on an immutable `CalendarSnapshot` (prefix sums over every day, O(1) per call).
`calendar_snapshot()` returns the per-process cached snapshot after one cheap query that compares
the calendar's version (row count, revision sum and last change time of `CalendarYear`).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import CalendarUnavailable, NotFound, PermissionDenied, ValidationFailed
from core.models import CalendarYear, WorkdayOverride
from core.services.ledger import ledger_append

FIRST_YEAR = 2004
PROVISIONAL_YEARS_AHEAD = 5
CHANGE_PERMISSION = "core.change_workdayoverride"
BASIS = "LEGAL.md §7; 国务院令第795号《全国年节及纪念日放假办法》"

# chinesecalendar names its holidays in English; the calendar shows them in Chinese (data, not UI).
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class Reckoned(NamedTuple):
    """A computed date and whether it depends on a provisional (not yet official) calendar year."""

    date: dt.date
    provisional: bool


class Counted(NamedTuple):
    """A count of working days and whether it depends on a provisional calendar year."""

    days: int
    provisional: bool


def _unavailable(year: int, first: int, last: int) -> CalendarUnavailable:
    return CalendarUnavailable(
        _(
            "No working-day calendar is held for %(year)s: official data covers the years from "
            "%(first)s and provisional calendars are computed up to %(last)s under State Council "
            "Decree No. 795 (LEGAL.md §7). An administrator can enter the official calendar of "
            "that year; dates from %(first)s to %(last)s can be computed now."
        )
        % {"year": year, "first": first, "last": last},
        basis=BASIS,
    )


class CalendarSnapshot:
    """An immutable view of every day from `first_year`-01-01 to `last_year`-12-31.

    `_w[i]` is the number of working days before day index i, `_pv[i]` the number of days of
    provisional years before it, `_ords` the ordinals of all working days in order.
    """

    __slots__ = ("_first", "_n", "_ords", "_pv", "_w", "_work", "first_year", "key", "last_year",
                 "overrides", "provisional_years")

    def __init__(
        self,
        *,
        first_year: int,
        last_year: int,
        overrides: Mapping[dt.date, bool],
        provisional_years: Iterable[int],
        key: Any = None,
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.key = key
        self.overrides = dict(overrides)
        self.provisional_years = frozenset(provisional_years)
        first = dt.date(first_year, 1, 1).toordinal()
        n = dt.date(last_year, 12, 31).toordinal() - first + 1
        work = bytearray(n)
        w = [0] * (n + 1)
        pv = [0] * (n + 1)
        ords: list[int] = []
        c = p = 0
        for i in range(n):
            o = first + i
            d = dt.date.fromordinal(o)
            is_work = self.overrides.get(d, d.weekday() < 5)
            if is_work:
                work[i] = 1
                ords.append(o)
                c += 1
            if d.year in self.provisional_years:
                p += 1
            w[i + 1] = c
            pv[i + 1] = p
        self._first, self._n, self._work, self._w, self._pv, self._ords = first, n, work, w, pv, ords

    def _idx(self, d: dt.date) -> int:
        i = d.toordinal() - self._first
        if i < 0 or i >= self._n:
            raise _unavailable(d.year, self.first_year, self.last_year)
        return i

    def _past_end(self) -> CalendarUnavailable:
        return _unavailable(self.last_year + 1, self.first_year, self.last_year)

    def is_workday(self, d: dt.date) -> bool:
        return bool(self._work[self._idx(d)])

    def is_provisional(self, d: dt.date) -> bool:
        return d.year in self.provisional_years

    def add_workdays(self, start: dt.date, n: int) -> Reckoned:
        """The n-th working day after `start` (start not counted); n < 0 counts backwards."""
        i = self._idx(start)
        if n == 0:
            return Reckoned(start, False)
        if n > 0:
            k = self._w[i + 1] + n
            if k > len(self._ords):
                raise self._past_end()
            o = self._ords[k - 1]
            j = o - self._first
            return Reckoned(dt.date.fromordinal(o), self._pv[j + 1] != self._pv[i + 1])
        k = self._w[i] + n
        if k < 0:
            raise _unavailable(self.first_year - 1, self.first_year, self.last_year)
        o = self._ords[k]
        j = o - self._first
        return Reckoned(dt.date.fromordinal(o), self._pv[i] != self._pv[j])

    def workdays_between(self, a: dt.date, b: dt.date) -> Counted:
        """Working days in (a, b]; negative when b is before a."""
        ia, ib = self._idx(a), self._idx(b)
        lo, hi = (ia, ib) if ia <= ib else (ib, ia)
        days = self._w[hi + 1] - self._w[lo + 1]
        return Counted(days if ia <= ib else -days, self._pv[hi + 1] != self._pv[lo + 1])

    def roll_forward(self, d: dt.date) -> Reckoned:
        """`d` itself when a working day, else the next working day (LEGAL.md §7 rest-day rule)."""
        i = self._idx(d)
        if self._work[i]:
            return Reckoned(d, self._pv[i + 1] != self._pv[i])
        k = self._w[i + 1]
        if k >= len(self._ords):
            raise self._past_end()
        o = self._ords[k]
        j = o - self._first
        return Reckoned(dt.date.fromordinal(o), self._pv[j + 1] != self._pv[i])

    def add_calendar_days(self, start: dt.date, n: int) -> Reckoned:
        """start + n calendar days; a last day on a rest day moves to the next working day."""
        if n < 0:
            raise ValidationFailed(_("A period in calendar days cannot be negative."), code="negative_period")
        self._idx(start)
        raw = start + dt.timedelta(days=n)
        return self.roll_forward(raw)

    def add_months(self, start: dt.date, n: int) -> Reckoned:
        """The matching day n months later (else the month's last day), then the rest-day rule."""
        if n < 0:
            raise ValidationFailed(_("A period in months cannot be negative."), code="negative_period")
        self._idx(start)
        return self.roll_forward(months_later(start, n))


def months_later(start: dt.date, n: int) -> dt.date:
    """The matching day n months after `start`, or that month's last day when it has none."""
    m0 = start.month - 1 + n
    y, m = start.year + m0 // 12, m0 % 12 + 1
    return dt.date(y, m, min(start.day, pycalendar.monthrange(y, m)[1]))


# --- where the days come from -------------------------------------------------------------------


def official_package_days(year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """(holidays, make-up working days) of `year` from chinesecalendar, names in Chinese."""
    import chinese_calendar

    hol = {d: HOLIDAY_NAMES_ZH.get(str(nm), str(nm)) for d, nm in chinese_calendar.holidays.items()
           if d.year == year}
    wrk = {d: HOLIDAY_NAMES_ZH.get(str(nm), str(nm)) for d, nm in chinese_calendar.workdays.items()
           if d.year == year}
    return hol, wrk


def official_package_years() -> list[int]:
    import chinese_calendar

    return sorted({d.year for d in chinese_calendar.holidays})


def seed_official_rows(year_model: Any, override_model: Any) -> int:
    """Insert every chinesecalendar year that is not in the table yet; returns the years added.

    Takes the model classes so that the data migration can pass its historical models.
    """
    have = set(year_model.objects.values_list("year", flat=True))
    added = 0
    for year in official_package_years():
        if year in have:
            continue
        hol, wrk = official_package_days(year)
        rows = [override_model(date=d, kind="holiday", name=nm, provisional=False) for d, nm in hol.items()]
        rows += [override_model(date=d, kind="workday", name=nm, provisional=False) for d, nm in wrk.items()]
        override_model.objects.bulk_create(rows)
        year_model.objects.create(year=year, source="official", notice="chinesecalendar 1.11.0", revision=1)
        added += 1
    return added


def provisional_holidays(year: int) -> dict[dt.date, str]:
    """Rest days of `year` under 国务院令第795号 without the annual notice: the 13 statutory days,
    plus, for each that falls on a weekend, the next weekday not already a holiday (补假).
    No make-up working days are invented."""
    from lunar_python import Lunar, Solar

    def solar(s: Any) -> dt.date:
        return dt.date(s.getYear(), s.getMonth(), s.getDay())

    statutory: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    new_year = solar(Lunar.fromYmd(year, 1, 1).getSolar())
    for k in range(-1, 3):  # 除夕 to 初三
        statutory[new_year + dt.timedelta(days=k)] = "春节"
    qingming = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    statutory.setdefault(solar(qingming), "清明节")
    statutory.setdefault(dt.date(year, 5, 1), "劳动节")
    statutory.setdefault(dt.date(year, 5, 2), "劳动节")
    statutory.setdefault(solar(Lunar.fromYmd(year, 5, 5).getSolar()), "端午节")
    statutory.setdefault(solar(Lunar.fromYmd(year, 8, 15).getSolar()), "中秋节")
    for day in (1, 2, 3):
        statutory.setdefault(dt.date(year, 10, day), "国庆节")
    days = dict(statutory)
    for d in sorted(statutory):
        if d.weekday() >= 5:
            c = d + dt.timedelta(days=1)
            while c.weekday() >= 5 or c in days:
                c += dt.timedelta(days=1)
            days[c] = f"{statutory[d]}（补假）"
    return days


def _last_year_allowed(today: dt.date | None = None) -> int:
    return (today or timezone.localdate()).year + PROVISIONAL_YEARS_AHEAD


def _ensure_years(upto: int) -> None:
    """Compute and store the provisional years after the last year held, up to `upto`."""
    last = CalendarYear.objects.aggregate(m=Max("year"))["m"] or (FIRST_YEAR - 1)
    for year in range(last + 1, upto + 1):
        try:
            with transaction.atomic():
                days = provisional_holidays(year)
                WorkdayOverride.objects.bulk_create(
                    [WorkdayOverride(date=d, kind=WorkdayOverride.Kind.HOLIDAY, name=nm, provisional=True)
                     for d, nm in sorted(days.items())]
                )
                CalendarYear.objects.create(year=year, source=CalendarYear.Source.PROVISIONAL, revision=1)
                ledger_append(
                    actor=None,
                    act="calendar.provisional_computed",
                    object_type="core.calendaryear",
                    object_id=str(year),
                    payload={"year": year, "holidays": {d.isoformat(): nm for d, nm in sorted(days.items())}},
                )
        except IntegrityError:
            # Another process computed the same year first; its rows are the same.
            continue


def _db_key() -> tuple[Any, ...]:
    agg = CalendarYear.objects.aggregate(n=Count("id"), rev=Sum("revision"), ts=Max("updated_at"))
    return (agg["n"], agg["rev"], agg["ts"])


_cache: CalendarSnapshot | None = None


def calendar_snapshot(*, today: dt.date | None = None) -> CalendarSnapshot:
    """The current calendar (cached per process, rebuilt when any year's days changed)."""
    global _cache
    upto = _last_year_allowed(today)
    key = (*_db_key(), upto)
    snap = _cache
    if snap is not None and snap.key == key:
        return snap
    _ensure_years(upto)
    key = (*_db_key(), upto)
    years = dict(CalendarYear.objects.filter(year__lte=upto).values_list("year", "source"))
    if not years:
        raise _unavailable(FIRST_YEAR, FIRST_YEAR, upto)
    first, last = min(years), max(years)
    overrides = {
        d: kind == WorkdayOverride.Kind.WORKDAY
        for d, kind in WorkdayOverride.objects.filter(date__year__lte=last).values_list("date", "kind")
    }
    snap = CalendarSnapshot(
        first_year=first,
        last_year=last,
        overrides=overrides,
        provisional_years=[y for y, s in years.items() if s == CalendarYear.Source.PROVISIONAL],
        key=key,
    )
    _cache = snap
    return snap


def add_workdays(start: dt.date, n: int) -> Reckoned:
    """The n-th working day after `start`, the start day not counted (行政处罚法 Art.85)."""
    return calendar_snapshot().add_workdays(start, n)


def workdays_between(a: dt.date, b: dt.date) -> Counted:
    """The number of working days in (a, b]."""
    return calendar_snapshot().workdays_between(a, b)


def add_calendar_days(start: dt.date, n: int) -> Reckoned:
    """start + n days; a last day on a rest day moves to the next working day (民诉法 Art.85)."""
    return calendar_snapshot().add_calendar_days(start, n)


def add_months(start: dt.date, n: int) -> Reckoned:
    """The matching day n months later, else month-end, then the rest-day rule."""
    return calendar_snapshot().add_months(start, n)


# --- administrator edits --------------------------------------------------------------------------


def _ensure_may_change(actor: Any) -> None:
    if actor is not None and not actor.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied(
            _(
                "Only a system administrator may change the working-day calendar (permission "
                "%(perm)s). Ask a system administrator to make this change."
            )
            % {"perm": CHANGE_PERMISSION}
        )


def _year_row(year: int) -> CalendarYear:
    snap = calendar_snapshot()
    if year < snap.first_year or year > snap.last_year:
        raise _unavailable(year, snap.first_year, snap.last_year)
    return CalendarYear.objects.select_for_update().get(year=year)


def _bump(row: CalendarYear) -> None:
    row.revision += 1
    row.save(update_fields=["revision", "source", "notice", "updated_at"])


def _override_state(o: WorkdayOverride | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"kind": o.kind, "name": o.name, "provisional": o.provisional}


@transaction.atomic
def workday_override_set(*, actor: Any, date: dt.date, kind: str, name: str = "") -> WorkdayOverride:
    """Mark one day as a public holiday or a make-up working day (调休, by the annual notice)."""
    _ensure_may_change(actor)
    if kind not in WorkdayOverride.Kind.values:
        raise ValidationFailed(
            _("Unknown kind of day %(kind)s: choose public holiday or make-up working day.") % {"kind": kind},
            field_errors={"kind": [_("Choose public holiday or make-up working day.")]},
        )
    name = (name or "").strip()[:60]
    if kind == WorkdayOverride.Kind.WORKDAY and date.weekday() < 5:
        existing = WorkdayOverride.objects.filter(date=date).first()
        if existing is None:
            raise ValidationFailed(
                _(
                    "%(date)s is a weekday and already a working day: a make-up working day can only "
                    "be a Saturday or Sunday (LEGAL.md §7). To make a weekday a working day again, "
                    "remove its holiday entry."
                )
                % {"date": date.isoformat()},
                field_errors={"date": [_("A make-up working day must be a Saturday or Sunday.")]},
            )
    row = _year_row(date.year)
    existing = WorkdayOverride.objects.select_for_update().filter(date=date).first()
    old = _override_state(existing)
    provisional = row.source == CalendarYear.Source.PROVISIONAL
    if existing is not None and existing.kind == kind and existing.name == name:
        return existing
    if existing is None:
        existing = WorkdayOverride(date=date)
    existing.kind, existing.name, existing.provisional = kind, name, provisional
    existing.save()
    _bump(row)
    ledger_append(
        actor=actor,
        act="calendar.override_set",
        obj=existing,
        payload={"date": date.isoformat(), "old": old, "new": _override_state(existing)},
    )
    from core.services.clock import deadlines_recompute

    deadlines_recompute(actor=actor, changed_days=[date])
    return existing


@transaction.atomic
def workday_override_remove(*, actor: Any, date: dt.date) -> None:
    """Return one day to the plain week (Monday–Friday working, weekend rest)."""
    _ensure_may_change(actor)
    row = _year_row(date.year)
    existing = WorkdayOverride.objects.select_for_update().filter(date=date).first()
    if existing is None:
        raise NotFound(
            _("%(date)s has no holiday or make-up working day entry to remove.") % {"date": date.isoformat()}
        )
    old = _override_state(existing)
    pk = existing.pk
    existing.delete()
    _bump(row)
    ledger_append(
        actor=actor,
        act="calendar.override_removed",
        object_type="core.workdayoverride",
        object_id=str(pk),
        payload={"date": date.isoformat(), "old": old, "new": None},
    )
    from core.services.clock import deadlines_recompute

    deadlines_recompute(actor=actor, changed_days=[date])


@transaction.atomic
def calendar_year_publish_official(
    *,
    actor: Any,
    year: int,
    holidays: list[dt.date],
    workdays: list[dt.date],
    notice: str,
    names: Mapping[dt.date, str] | None = None,
) -> CalendarYear:
    """Enter a year's official calendar from the 国务院办公厅 notice; it replaces every day of the
    year (provisional or not), and every open deadline touching a changed day is recomputed."""
    _ensure_may_change(actor)
    notice = (notice or "").strip()
    errors: dict[str, list[str]] = {}
    if not notice:
        errors["notice"] = [_("Name the notice (issuer, number and date) that publishes this calendar.")]
    hol, wrk = set(holidays), set(workdays)
    wrong_year = sorted(d for d in hol | wrk if d.year != year)
    if wrong_year:
        errors.setdefault("holidays", []).append(
            _("These days are not in %(year)s: %(days)s.")
            % {"year": year, "days": ", ".join(d.isoformat() for d in wrong_year)}
        )
    both = sorted(hol & wrk)
    if both:
        errors.setdefault("workdays", []).append(
            _("These days are listed both as holidays and as make-up working days: %(days)s.")
            % {"days": ", ".join(d.isoformat() for d in both)}
        )
    weekday_work = sorted(d for d in wrk if d.weekday() < 5)
    if weekday_work:
        errors.setdefault("workdays", []).append(
            _("A make-up working day must be a Saturday or Sunday; these are weekdays: %(days)s.")
            % {"days": ", ".join(d.isoformat() for d in weekday_work)}
        )
    if not hol:
        errors.setdefault("holidays", []).append(_("An official calendar lists at least one public holiday."))
    if errors:
        raise ValidationFailed(
            _(
                "The official calendar of %(year)s was not entered: correct the listed days "
                "(LEGAL.md §7, 国务院令第795号)."
            )
            % {"year": year},
            field_errors=errors,
        )
    row = _year_row(year)
    names = dict(names or {})
    old_rows = list(WorkdayOverride.objects.select_for_update().filter(date__year=year))
    old_kind = {o.date: o.kind for o in old_rows}
    old_names = {o.date: o.name for o in old_rows}
    new_kind = {d: WorkdayOverride.Kind.HOLIDAY.value for d in hol}
    new_kind.update({d: WorkdayOverride.Kind.WORKDAY.value for d in wrk})
    WorkdayOverride.objects.filter(date__year=year).delete()
    WorkdayOverride.objects.bulk_create(
        [WorkdayOverride(date=d, kind=k, name=(names.get(d) or old_names.get(d, ""))[:60], provisional=False)
         for d, k in sorted(new_kind.items())]
    )
    old_source = row.source
    row.source, row.notice = CalendarYear.Source.OFFICIAL, notice[:200]
    _bump(row)

    def _is_work(kinds: Mapping[dt.date, str], d: dt.date) -> bool:
        k = kinds.get(d)
        return d.weekday() < 5 if k is None else k == WorkdayOverride.Kind.WORKDAY

    changed = sorted(
        d for d in set(old_kind) | set(new_kind) if _is_work(old_kind, d) != _is_work(new_kind, d)
    )
    ledger_append(
        actor=actor,
        act="calendar.official_published",
        obj=row,
        payload={
            "year": year,
            "notice": row.notice,
            "old_source": old_source,
            "old": {d.isoformat(): k for d, k in sorted(old_kind.items())},
            "new": {d.isoformat(): k for d, k in sorted(new_kind.items())},
            "changed_days": [d.isoformat() for d in changed],
        },
    )
    from core.services.clock import deadlines_recompute

    deadlines_recompute(actor=actor, changed_days=changed, years_now_official=[year])
    return row
