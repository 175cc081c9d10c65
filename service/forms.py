"""Forms of the portal's application page and the officers' screens. The rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from service import abuse
from service.models import AppStatus, LicenceStatus, RiskLevel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ApplicationForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, choices=())
    kind = forms.TypedChoiceField(label=_("Licence applied for"), coerce=int, choices=())
    renewal_of = forms.CharField(
        label=_("Licence to renew (its number), for a renewal only"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 60}),
    )
    joint = forms.BooleanField(label=_("Joint or centralised handling"), required=False)
    applicant_name = forms.CharField(
        label=_("Applicant (person or organisation)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    applicant_id_number = forms.CharField(
        label=_("Identity card number or unified social credit code"), max_length=30, required=False
    )
    applicant_phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    applicant_email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    project = forms.CharField(label=_("Project or scope applied for"), max_length=200, required=False)
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": abuse.MAX_TEXT}),
    )
    attachments = MultipleFileField(
        label=_("Application materials"),
        required=False,
        help_text=_("PDF documents or pictures (JPEG, PNG); at most 8 files, 5 MB each."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, agencies: Any = (), kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        kind_field = self.fields["kind"]
        assert isinstance(agency_field, forms.TypedChoiceField) and isinstance(
            kind_field, forms.TypedChoiceField
        )
        agency_field.choices = [("", "—"), *agencies]
        kind_field.choices = [("", "—"), *kinds]
        if len(agencies) == 1 and not self.is_bound:
            self.initial["agency"] = agencies[0][0]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ApplicationFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *AppStatus.choices]
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    q = forms.CharField(label=_("Tracking code, applicant or project"), required=False, max_length=100)


class LicenceFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *LicenceStatus.choices]
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("all")), *RiskLevel.choices]
    )
    q = forms.CharField(label=_("Number, holder or scope"), required=False, max_length=100)


class LicenceKindForm(forms.Form):
    """A licence kind (catalog data) as the system administrator edits it; the rules are in
    service.services.catalog.licence_kind_save."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Lowercase letters, digits and underscores; it names the number sequence and never changes."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    field_code = forms.ChoiceField(label=_("Field of enforcement (certificate required)"), choices=())
    power_code = forms.CharField(label=_("Power item code (权责清单)"), max_length=40, required=False)
    basis = forms.CharField(label=_("Legal basis"), max_length=200, required=False)
    validity_months = forms.IntegerField(
        label=_("Usual validity (months)"), min_value=1, max_value=600, required=False
    )
    temporary_land = forms.BooleanField(label=_("Temporary land use (return date)"), required=False)
    active = forms.BooleanField(label=_("Active (offered to applicants)"), required=False, initial=True)

    def __init__(
        self, *args: Any, fields: list[tuple[str, str]], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_code"].choices = fields  # type: ignore[attr-defined]
        if editing:
            self.fields["code"].disabled = True


class FrequencyForm(forms.Form):
    interval_days = forms.IntegerField(label=_("Inspect every (days)"), min_value=1, max_value=3650)
