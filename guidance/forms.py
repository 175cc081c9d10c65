"""Forms of the guidance screens and public pages. The rules live in services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guidance.models import (
    CaseCategory,
    Field,
    GuidanceKind,
    GuidanceStatus,
    InquiryChannel,
    InquiryStatus,
    Method,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GuidanceKind.choices)
    method = forms.ChoiceField(label=_("Method of guidance"), choices=Method.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    party_name = forms.CharField(label=_("Party"), max_length=200, required=False)
    party_id_number = forms.CharField(
        label=_("Identity number or credit code"), max_length=40, required=False
    )
    party_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    party_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    place = forms.CharField(label=_("Place (on-site guidance)"), max_length=255, required=False)
    officers = forms.MultipleChoiceField(
        label=_("Officers who gave the guidance"), required=False, choices=()
    )
    matter = forms.CharField(label=_("Matter"), max_length=300, required=False)
    advice = forms.CharField(
        label=_("What was advised (one point per line)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)
    rectification_text = forms.CharField(label=_("What is to be rectified"), max_length=500, required=False)
    rectification_deadline = forms.DateField(label=_("Rectification deadline"), required=False, widget=DATE)

    def __init__(self, *args: Any, officers: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officers"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(officers)


class RecordFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *GuidanceKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *GuidanceStatus.choices]
    )
    q = forms.CharField(label=_("Party or matter"), required=False, max_length=100)


class TypicalCaseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CaseCategory.choices)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    method = forms.ChoiceField(
        label=_("Guidance method"), choices=[("", "—"), *Method.choices], required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    body = forms.CharField(label=_("The case"), widget=forms.Textarea(attrs={"rows": 10}), required=False)
    lessons = forms.CharField(label=_("Commentary"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("all")), *CaseCategory.choices]
    )
    field = forms.ChoiceField(label=_("Field"), required=False, choices=[("", _("all")), *Field.choices])
    method = forms.ChoiceField(
        label=_("Guidance method"), required=False, choices=[("", _("all")), *Method.choices]
    )


class InquiryForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, choices=())
    asker_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    asker_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    asker_email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    question = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 6, "maxlength": 3000}), required=False
    )
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
        if channels:
            self.fields["channel"] = forms.ChoiceField(
                label=_("Received"),
                choices=[c for c in InquiryChannel.choices if c[0] != InquiryChannel.ONLINE],
            )


class InquiryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *InquiryStatus.choices]
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)
