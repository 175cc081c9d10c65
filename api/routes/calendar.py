"""The working-day calendar (core's clock): add working days, count them, show a year."""


import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from api.errors import with_errors
from api.routes.fields import IsoDate
from core.errors import CalendarUnavailable, ValidationFailed
from core.models import CalendarYear, WorkdayOverride
from core.services import calendar as clock

router = Router(tags=["calendar"])

YEAR: Any = Path(..., ge=1, le=9999)  # type: ignore[type-arg]

# Longest span the API computes: about ten years of working days either way.
MAX_WORKDAYS = 2500
MAX_SPAN_DAYS = 3660


class AddWorkdaysIn(Schema):
    date: IsoDate
    n: int = Field(
        ..., ge=-MAX_WORKDAYS, le=MAX_WORKDAYS, description="working days to add (start not counted)"
    )


class ReckonedOut(Schema):
    date: datetime.date
    provisional: bool = Field(..., description="depends on a provisional (not yet official) calendar year")


class BetweenIn(Schema):
    start: IsoDate
    end: IsoDate


class CountedOut(Schema):
    start: datetime.date
    end: datetime.date
    days: int = Field(..., description="working days in (start, end]; negative when end < start")
    provisional: bool


class DayOut(Schema):
    date: datetime.date
    kind: str = Field(..., description="holiday or workday (make-up working day)")
    name: str
    provisional: bool


class YearOut(Schema):
    year: int
    source: str = Field(..., description="official or provisional")
    notice: str
    days: list[DayOut]


@router.get("/add-workdays", response=with_errors(ReckonedOut), summary="Add working days to a date")
def add_workdays(request: HttpRequest, params: Query[AddWorkdaysIn]) -> Any:
    result = clock.add_workdays(params.date, params.n)
    return {"date": result.date, "provisional": result.provisional}


@router.get("/workdays-between", response=with_errors(CountedOut), summary="Count working days")
def workdays_between(request: HttpRequest, params: Query[BetweenIn]) -> Any:
    if abs((params.end - params.start).days) > MAX_SPAN_DAYS:
        raise ValidationFailed(
            _("The span between start and end may be at most %(days)d days; choose a shorter span.")
            % {"days": MAX_SPAN_DAYS},
            code="span_too_long",
            field_errors={"end": [_("At most %(days)d days after start.") % {"days": MAX_SPAN_DAYS}]},
        )
    result = clock.workdays_between(params.start, params.end)
    return {"start": params.start, "end": params.end, "days": result.days, "provisional": result.provisional}


@router.get("/{year}", response=with_errors(YearOut), summary="A year's holidays and make-up working days")
def calendar_year(request: HttpRequest, year: int = YEAR) -> Any:
    snapshot = clock.calendar_snapshot()  # computes provisional years that are due
    row = CalendarYear.objects.filter(year=year).first()
    if row is None or not snapshot.first_year <= year <= snapshot.last_year:
        raise CalendarUnavailable(
            _(
                "No working-day calendar is held for %(year)s: calendars exist for %(first)s to "
                "%(last)s (official data, then provisional years under State Council Decree No. 795). "
                "An administrator can enter the official calendar of that year."
            )
            % {"year": year, "first": snapshot.first_year, "last": snapshot.last_year},
            basis=clock.BASIS,
        )
    days = WorkdayOverride.objects.filter(date__year=year).order_by("date")
    return {
        "year": row.year,
        "source": row.source,
        "notice": row.notice,
        "days": [
            {"date": d.date, "kind": d.kind, "name": d.name, "provisional": d.provisional} for d in days
        ],
    }
