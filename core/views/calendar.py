"""Screens of the clock: the calendar admin (years, days, official entry) and the deadlines list."""

from __future__ import annotations

import calendar as pycalendar
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import DeadlineFilterForm, OfficialCalendarForm, OverrideForm, OverrideRemoveForm
from core.models import CalendarYear, WorkdayOverride
from core.selectors.clock import calendar_status, deadlines_filtered
from core.services import calendar as cal

CHANGE = "core.change_workdayoverride"


def _apply_errors(form: Any, exc: DomainError) -> None:
    placed = False
    for name, msgs in exc.field_errors.items():
        for m in msgs:
            form.add_error(name if name in form.fields else None, m)
            placed = True
    if not placed or exc.message:
        form.add_error(None, exc.message)


@login_required
@permission_required(CHANGE, raise_exception=True)
def calendar_index(request: HttpRequest) -> HttpResponse:
    cal.calendar_snapshot()  # computes the provisional years when they are missing
    status = calendar_status()
    return render(request, "core/calendar.html", {"status": status, "this_year": timezone.localdate().year})


def _months(year: int, snap: cal.CalendarSnapshot) -> list[dict[str, Any]]:
    names = dict(WorkdayOverride.objects.filter(date__year=year).values_list("date", "name"))
    kinds = dict(WorkdayOverride.objects.filter(date__year=year).values_list("date", "kind"))
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            days: list[dict[str, Any] | None] = []
            for d in week:
                if d.month != month:
                    days.append(None)
                    continue
                kind = kinds.get(d, "")
                days.append({"date": d, "work": snap.is_workday(d), "kind": kind, "name": names.get(d, ""),
                             "weekend": d.weekday() >= 5})
            weeks.append(days)
        months.append({"month": month, "weeks": weeks})
    return months


@login_required
@permission_required(CHANGE, raise_exception=True)
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    snap = cal.calendar_snapshot()
    if year < snap.first_year or year > snap.last_year:
        raise Http404(_("No calendar is held for this year."))
    override_form, remove_form, official_form = OverrideForm(prefix="o"), OverrideRemoveForm(prefix="r"), None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "set":
                override_form = OverrideForm(request.POST, prefix="o")
                if override_form.is_valid():
                    data = override_form.cleaned_data
                    if data["date"].year != year:
                        override_form.add_error("date", _("Choose a day in %(year)s.") % {"year": year})
                    else:
                        cal.workday_override_set(actor=request.user, date=data["date"], kind=data["kind"],
                                                 name=data["name"])
                        messages.success(request, _("The day was saved; affected deadlines were recomputed."))
                        return redirect("core:calendar_year", year=year)
            elif action == "remove":
                remove_form = OverrideRemoveForm(request.POST, prefix="r")
                if remove_form.is_valid() and remove_form.cleaned_data["date"].year == year:
                    cal.workday_override_remove(actor=request.user, date=remove_form.cleaned_data["date"])
                    messages.success(request, _("The entry was removed; affected deadlines were recomputed."))
                    return redirect("core:calendar_year", year=year)
                messages.error(request, _("The entry to remove was not found in this year."))
            elif action == "publish":
                official_form = OfficialCalendarForm(request.POST, prefix="p")
                if official_form.is_valid():
                    data = official_form.cleaned_data
                    cal.calendar_year_publish_official(
                        actor=request.user, year=year, holidays=data["holidays"], workdays=data["workdays"],
                        notice=data["notice"],
                    )
                    messages.success(request, _("The official calendar was entered; open deadlines were "
                                                "recomputed."))
                    return redirect("core:calendar_year", year=year)
        except DomainError as exc:
            target = {"set": override_form, "publish": official_form}.get(action or "")
            if target is None:
                messages.error(request, exc.message)
            else:
                _apply_errors(target, exc)
    row = CalendarYear.objects.get(year=year)
    if official_form is None:
        official_form = OfficialCalendarForm(prefix="p")
    return render(request, "core/calendar_year.html", {
        "year": year,
        "row": row,
        "provisional": row.source == CalendarYear.Source.PROVISIONAL,
        "months": _months(year, snap),
        "overrides": WorkdayOverride.objects.filter(date__year=year).order_by("date"),
        "override_form": override_form,
        "remove_form": remove_form,
        "official_form": official_form,
        "prev_year": year - 1 if year > snap.first_year else None,
        "next_year": year + 1 if year < snap.last_year else None,
    })


@login_required
def deadlines_list(request: HttpRequest) -> HttpResponse:
    form = DeadlineFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = deadlines_filtered(user=request.user, **filters)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/deadlines.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate(),
    })
