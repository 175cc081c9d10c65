"""Forms of the supervision screens: they validate the shape; the services decide the rules."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.models import Direction, Level


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return super().format_value(value)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or datetime.date(today.year, 1, 1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)


class WatchForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("overdue and due soon")), ("overdue", _("overdue")), ("due_soon", _("due soon"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    due_to = forms.DateField(label=_("Due by"), required=False, widget=DateInput)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("all")), *agencies]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("all")), *[(k, k) for k in kinds]]  # type: ignore[attr-defined]


class OrderForm(forms.Form):
    addressee = forms.TypedChoiceField(label=_("Addressee"), coerce=int)
    requirement = forms.CharField(
        label=_("Required response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What the addressee must do, and what to report back."),
    )
    workdays = forms.IntegerField(label=_("Working days to respond"), min_value=1, max_value=60, initial=5)

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = [("", "—"), *officers]  # type: ignore[attr-defined]


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ConcludeForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Conclusion"),
        choices=[("1", _("accept the response")), ("0", _("do not accept: respond again"))],
        coerce=lambda v: v == "1",
    )
    conclusion = forms.CharField(
        label=_("Remarks"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class SampleForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    closed_from = forms.DateField(label=_("Closed from"), widget=DateInput)
    closed_to = forms.DateField(label=_("Closed to"), widget=DateInput)
    size = forms.IntegerField(label=_("Cases to draw"), min_value=1, max_value=500, initial=10)
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        help_text=_(
            "Leave empty for a new random seed; the seed used is recorded, so the draw can be repeated."
        ),
    )


class CorrectionForm(forms.Form):
    requirement = forms.CharField(
        label=_("What to correct"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    workdays = forms.IntegerField(label=_("Working days to correct"), min_value=1, max_value=60, initial=10)


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    formula = forms.CharField(
        label=_("Formula"),
        max_length=300,
        help_text=_("Metric names with numbers, + - * / and parentheses, e.g. closed_on_time / closed."),
    )
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=2)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class RunForm(forms.Form):
    level = forms.ChoiceField(label=_("Assess"), choices=Level.choices)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)


class RecordForm(forms.Form):
    record = forms.CharField(
        label=_("Record"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("When, who took part, what was said or proposed."),
    )


class TargetForm(forms.Form):
    subject = forms.ChoiceField(label=_("Department or officer"))
    metric = forms.ChoiceField(label=_("Metric"))
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2, min_value=0)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(
        self, *args: Any, subjects: list[tuple[str, str]], metrics: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "—"), *subjects]  # type: ignore[attr-defined]
        self.fields["metric"].choices = metrics  # type: ignore[attr-defined]


SHEET_HELP = _(
    "One item per line: code | title | points. Below an item, one deduction per line starting with "
    "“-”: code | what is wrong | points deducted."
)


def sheet_text(items: list[dict[str, Any]]) -> str:
    """The sheet's items in the editable line format."""
    lines = []
    for item in items:
        lines.append(f"{item['code']} | {item['title']} | {item['points']}")
        lines += [f"  - {d['code']} | {d['label']} | {d['points']}" for d in item.get("deductions", [])]
    return "\n".join(lines)


class SheetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    total = forms.IntegerField(
        label=_("Total points"),
        min_value=1,
        max_value=1000,
        initial=100,
        help_text=_("The items' points must add up to this total."),
    )
    items = forms.CharField(
        label=_("Items and deductions"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "mono"}),
        max_length=20000,
        help_text=SHEET_HELP,
    )

    def clean_items(self) -> list[dict[str, Any]]:
        """The shape only (three fields a line, points a whole number); the service decides the rest."""
        items: list[dict[str, Any]] = []
        errors = []
        for n, raw in enumerate(self.cleaned_data["items"].splitlines(), 1):
            line = raw.strip()
            if not line:
                continue
            deduction = line.startswith("-")
            parts = [p.strip() for p in line.lstrip("-").split("|")]
            if len(parts) != 3 or not parts[2].lstrip("-").isdigit():
                errors.append(_("Line %(n)d: write code | title | points, with whole points.") % {"n": n})
                continue
            code, title, points = parts[0], parts[1], int(parts[2])
            if deduction:
                if not items:
                    errors.append(_("Line %(n)d: a deduction must follow its item.") % {"n": n})
                    continue
                items[-1]["deductions"].append({"code": code, "label": title, "points": points})
            else:
                items.append({"code": code, "title": title, "points": points, "deductions": []})
        if errors:
            raise forms.ValidationError(errors)
        return items
