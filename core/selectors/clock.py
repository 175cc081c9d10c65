"""Reads of the clock for the home page, the deadlines list and the health check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import scoping
from core.models import Alert, CalendarYear, Deadline

AGENCY_WIDE_PERMISSION = "core.view_agency_deadlines"
RUNNING = (Deadline.Status.OPEN, Deadline.Status.DUE_SOON, Deadline.Status.OVERDUE, Deadline.Status.PAUSED)


@dataclass(frozen=True)
class YearInfo:
    year: int
    official: bool
    notice: str


@dataclass(frozen=True)
class CalendarStatus:
    today: dt.date
    years: list[YearInfo]
    first_year: int | None
    last_year: int | None
    next_year_official: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.warnings


def calendar_health_warnings(*, today: dt.date | None = None) -> list[str]:
    """A warning for each year whose official calendar has not been entered while it matters:
    the current year, next year from 1 November, and any year a running deadline falls due in
    (its due date then rests on the provisional calendar)."""
    today = today or timezone.localdate()
    official = set(
        CalendarYear.objects.filter(source=CalendarYear.Source.OFFICIAL).values_list("year", flat=True)
    )
    years = {today.year} - official
    if today.month >= 11 and today.year + 1 not in official:
        years.add(today.year + 1)
    running = Deadline.objects.filter(status__in=RUNNING)
    span = running.aggregate(first=Min("due_date"), last=Max("due_date"))
    if span["last"] is not None:
        for year in range(span["first"].year, span["last"].year + 1):
            if year not in official and year not in years and running.filter(due_date__year=year).exists():
                years.add(year)
    return [
        _(
            "The official working-day calendar of %(year)s has not been entered: deadlines that reach "
            "into %(year)s are computed on a provisional calendar (statutory holidays only, State "
            "Council Decree No. 795) and marked provisional. A system administrator should enter the "
            "State Council General Office notice for %(year)s under Calendar."
        )
        % {"year": year}
        for year in sorted(years)
    ]


def calendar_status(*, today: dt.date | None = None) -> CalendarStatus:
    """The years held (official or provisional) and the health warnings, for the UI and CLI."""
    today = today or timezone.localdate()
    years = [
        YearInfo(y, s == CalendarYear.Source.OFFICIAL, n)
        for y, s, n in CalendarYear.objects.order_by("year").values_list("year", "source", "notice")
    ]
    return CalendarStatus(
        today=today,
        years=years,
        first_year=years[0].year if years else None,
        last_year=years[-1].year if years else None,
        next_year_official=any(y.year == today.year + 1 and y.official for y in years),
        warnings=calendar_health_warnings(today=today),
    )


def visible_deadlines(*, user: Any) -> QuerySet[Deadline]:
    """Deadlines `user` may see: their own, plus every deadline of the agencies they see when they
    hold `core.view_agency_deadlines` (heads, supervisors)."""
    if not getattr(user, "is_authenticated", False):
        return Deadline.objects.none()
    cond = Q(responsible=user)
    if user.has_perm(AGENCY_WIDE_PERMISSION):
        cond |= Q(agency_id__in=scoping.visible_agency_ids(user))
    return Deadline.objects.filter(cond).select_related("responsible")


def deadlines_for_user(*, user: Any, limit: int = 20) -> list[Deadline]:
    """Running deadlines for the to-do home: overdue first, then due soon, then by due date."""
    order = {
        Deadline.Status.OVERDUE: 0,
        Deadline.Status.DUE_SOON: 1,
        Deadline.Status.OPEN: 2,
        Deadline.Status.PAUSED: 3,
    }
    qs = visible_deadlines(user=user).filter(status__in=RUNNING).order_by("due_date", "pk")
    rows = list(qs.filter(status__in=[Deadline.Status.OVERDUE, Deadline.Status.DUE_SOON])[:limit])
    if len(rows) < limit:
        rest = qs.filter(status__in=[Deadline.Status.OPEN, Deadline.Status.PAUSED])
        rows += list(rest[: limit - len(rows)])
    return sorted(rows, key=lambda d: (order[Deadline.Status(d.status)], d.due_date, d.pk))


def deadlines_filtered(
    *,
    user: Any,
    status: str | None = None,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
) -> QuerySet[Deadline]:
    """The deadlines list page: visible deadlines filtered by status and due-date range."""
    qs = visible_deadlines(user=user)
    if status:
        qs = qs.filter(status=status)
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    return qs.order_by("due_date", "pk")


def alerts_for_user(*, user: Any, limit: int = 50) -> list[Alert]:
    """The user's alerts (到期预警 / 超期) on deadlines still running, newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Alert.objects.filter(recipient=user, deadline__status__in=RUNNING)
        .select_related("deadline")
        .order_by("-created_at", "-pk")[:limit]
    )
