"""Forms of the review screens: they collect input; the rules live in review.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from review.models import (
    NOT_APPLICABLE_POINTS,
    ChecklistPoint,
    PointVerdict,
    ReviewOpinion,
    RiskDimension,
    RiskLevel,
)

BLANK: list[tuple[str, Any]] = [("", "---------")]


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service refusal on the form: per field where the field exists, always the message on top."""
    form.add_error(None, exc.message)
    for name, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the reviewer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("Legal reviewer"))

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = BLANK + [
            (str(o.user_id), o.name) for o in reviewers
        ]


class ConcludeForm(forms.Form):
    """The seven points (verdict + note each), the opinion and its reasons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for point in ChecklistPoint:
            choices = [
                c
                for c in PointVerdict.choices
                if c[0] != PointVerdict.NOT_APPLICABLE or point in NOT_APPLICABLE_POINTS
            ]
            self.fields[point.value] = forms.ChoiceField(
                label=point.label, choices=choices, widget=forms.RadioSelect, required=False
            )
            self.fields[f"{point.value}_note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["opinion"] = forms.ChoiceField(
            label=_("Opinion"), choices=ReviewOpinion.choices, widget=forms.RadioSelect, required=False
        )
        self.fields["reasons"] = forms.CharField(
            label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 4})
        )

    def points(self) -> list[tuple[Any, Any]]:
        return [(self[p.value], self[f"{p.value}_note"]) for p in ChecklistPoint]

    def checklist(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            p.value: {"verdict": data.get(p.value) or "", "note": data.get(f"{p.value}_note") or ""}
            for p in ChecklistPoint
        }


class DeliberationForm(forms.Form):
    """Held on, chair, and for each officer of the agency: attended? and their opinion."""

    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    chaired_by = forms.ChoiceField(label=_("Chaired by"))
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, officers: Any, heads: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())
        self.officers = list(officers)
        cast(forms.ChoiceField, self.fields["chaired_by"]).choices = BLANK + [
            (str(o.user_id), o.name) for o in self.officers if o.user_id in heads
        ]
        self.fields["attendees"] = forms.MultipleChoiceField(
            label=_("Attendees"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(o.user_id), o.name) for o in self.officers],
        )
        for o in self.officers:
            self.fields[f"opinion_{o.user_id}"] = forms.CharField(
                label=_("Opinion of %(name)s") % {"name": o.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def opinion_fields(self) -> list[Any]:
        return [self[f"opinion_{o.user_id}"] for o in self.officers]

    def attendee_ids(self) -> list[int]:
        return [int(i) for i in self.cleaned_data.get("attendees") or []]

    def opinions(self) -> dict[int, str]:
        return {o.user_id: self.cleaned_data.get(f"opinion_{o.user_id}") or "" for o in self.officers}


class RiskAssessmentForm(forms.Form):
    """Six dimensions (level + note each), overall level, mitigation measures."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dim in RiskDimension:
            self.fields[dim.value] = forms.ChoiceField(
                label=dim.label, choices=[*BLANK, *RiskLevel.choices], required=False
            )
            self.fields[f"{dim.value}_note"] = forms.CharField(
                label=_("Risk found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["overall_level"] = forms.ChoiceField(
            label=_("Overall risk level"), choices=[*BLANK, *RiskLevel.choices], required=False
        )
        self.fields["mitigation"] = forms.CharField(
            label=_("Mitigation measures and emergency plan"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def dimension_fields(self) -> list[tuple[Any, Any]]:
        return [(self[d.value], self[f"{d.value}_note"]) for d in RiskDimension]

    def dimensions(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            d.value: {"level": data.get(d.value) or "", "note": data.get(f"{d.value}_note") or ""}
            for d in RiskDimension
        }
