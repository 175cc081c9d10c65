"""Forms of the mediation screens and the public application. The rules live in services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mediation.models import DisputeKind, RecusalGround, Side, Status

PARTY_FIELDS = ("name", "id_number", "address", "phone", "representative", "representative_role")


def _party_fields(prefix: str, label: Any) -> dict[str, forms.Field]:
    return {
        f"{prefix}_name": forms.CharField(
            label=_("Name of the %(side)s") % {"side": label}, max_length=200, required=False
        ),
        f"{prefix}_id_number": forms.CharField(
            label=_("Identity number or credit code"), max_length=40, required=False
        ),
        f"{prefix}_address": forms.CharField(label=_("Address"), max_length=255, required=False),
        f"{prefix}_phone": forms.CharField(
            label=_("Phone"),
            max_length=30,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "tel"}),
        ),
        f"{prefix}_representative": forms.CharField(
            label=_("Representative"), max_length=100, required=False
        ),
        f"{prefix}_representative_role": forms.CharField(
            label=_("Capacity of the representative"),
            max_length=60,
            required=False,
            help_text=_("e.g. legal representative, agent ad litem"),
        ),
    }


class ApplicationForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, choices=())
    kind = forms.ChoiceField(
        label=_("Kind of dispute"), choices=[("", "—"), *DisputeKind.choices], required=False
    )
    summary = forms.CharField(
        label=_("The dispute"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        help_text=_("What land, mine or water; what the parties disagree on; since when."),
        required=False,
    )
    request = forms.CharField(
        label=_("What the applicant asks for"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(
        self, *args: Any, agencies: Sequence[tuple[int, str]] = (), channels: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *agencies]
        if len(agencies) == 1 and not self.is_bound:
            self.initial["agency"] = agencies[0][0]
        for prefix, label in (("applicant", _("applicant")), ("respondent", _("respondent"))):
            self.fields.update(_party_fields(prefix, label))
        if channels:
            self.fields["channel"] = forms.ChoiceField(
                label=_("Received"), choices=[("window", _("at the window")), ("phone", _("by phone"))]
            )

    def party(self, prefix: str) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"{prefix}_{name}", "") for name in PARTY_FIELDS}


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    kind = forms.ChoiceField(
        label=_("Kind of dispute"), required=False, choices=[("", _("all")), *DisputeKind.choices]
    )
    q = forms.CharField(label=_("Number or text"), required=False, max_length=100)


class StatsForm(forms.Form):
    start = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)


SIDE_CHOICES = Side.choices
GROUND_CHOICES = RecusalGround.choices
