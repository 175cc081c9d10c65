"""Forms of core's screens: calendar overrides, the official calendar of a year, deadline filters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.models import Deadline, WorkdayOverride

MAX_DAYS = 400
DATE = forms.DateInput(attrs={"type": "date"})


def parse_day_list(text: str) -> list[dt.date]:
    """Dates separated by spaces, commas or new lines; `A..B` (or `A~B`) is an inclusive range."""
    days: list[dt.date] = []
    for token in re.split(r"[\s,，、;；]+", text.strip()):
        if not token:
            continue
        parts = re.split(r"\.\.|~|～", token)
        try:
            if len(parts) == 1:
                days.append(dt.date.fromisoformat(parts[0]))
            elif len(parts) == 2:
                a, b = dt.date.fromisoformat(parts[0]), dt.date.fromisoformat(parts[1])
                if b < a or (b - a).days > MAX_DAYS:
                    raise ValueError
                days.extend(a + dt.timedelta(days=i) for i in range((b - a).days + 1))
            else:
                raise ValueError
        except ValueError:
            raise forms.ValidationError(
                _("%(token)s is not a date or a date range: write YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD."),
                params={"token": token},
                code="bad_date",
            ) from None
        if len(days) > MAX_DAYS:
            raise forms.ValidationError(_("Too many days in one list."), code="too_many")
    return sorted(set(days))


class OverrideForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=WorkdayOverride.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False,
                           help_text=_("e.g. 春节, 国庆节（调休）"))


class OverrideRemoveForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.HiddenInput)


class OfficialCalendarForm(forms.Form):
    notice = forms.CharField(
        label=_("Official notice"), max_length=200,
        help_text=_("Issuer, number and date of the State Council General Office notice."),
    )
    holidays = forms.CharField(
        label=_("Days off (public holidays and days off in lieu)"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dates or ranges, e.g. 2027-02-05..2027-02-11, 2027-04-05"),
    )
    workdays = forms.CharField(
        label=_("Make-up working days"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Saturdays or Sundays that are working days, e.g. 2027-02-13"),
    )

    def clean_holidays(self) -> list[dt.date]:
        return parse_day_list(self.cleaned_data["holidays"])

    def clean_workdays(self) -> list[dt.date]:
        return parse_day_list(self.cleaned_data.get("workdays") or "")


class DeadlineFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Deadline.Status.choices]
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DATE)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        a, b = data.get("due_from"), data.get("due_to")
        if a and b and b < a:
            raise forms.ValidationError(_("The end of the due-date range is before its start."), code="range")
        return data


def place_domain_error(form: Any, exc: DomainError) -> None:
    """Show a service refusal on a form: each field error on its field where the form has it, else
    (when none could be placed) the refusal's message on top."""
    placed = False
    for name, errors in exc.field_errors.items():
        for error in errors:
            if name in form.fields:
                form.add_error(name, error)
                placed = True
    if not placed:
        form.add_error(None, exc.message)
