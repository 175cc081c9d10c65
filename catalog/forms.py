"""Forms of the catalog screens (parsing only; rules live in the services)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ItemCategory, LandClass, PartyKind

# Django 6.1's blank choice ("- Select an option -", BLANK_CHOICE_LABEL) has no Chinese in Django's
# catalog; every select of the catalog's forms uses this label instead (see `chinese_blanks`).
BLANK_LABEL = _("— please choose —")


def chinese_blanks(fields: Any) -> None:
    """Give every single-choice field in `fields` (a form's fields dict) the translated blank label:
    model choice fields through `empty_label`, plain choice fields by replacing a blank first choice."""
    for field in fields.values():
        if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = BLANK_LABEL
            continue
        if isinstance(field, forms.ChoiceField):
            choices: list[Any] = list(cast(Any, field.choices))
            if choices and choices[0][0] == "" and not isinstance(choices[0][1], list | tuple):
                field.choices = [("", BLANK_LABEL), *choices[1:]]


KIND_CHOICES = [
    ("provisions", _("legal provisions")),
    ("powers", _("power list")),
    ("standards", _("discretion standards")),
]


class PowerFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("all categories")), *ItemCategory.choices]
    )
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("responsible department"), required=False, queryset=None
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["department"].empty_label = _("all departments")  # type: ignore[attr-defined]


class StandardFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=100)


class TryForm(forms.Form):
    act_date = forms.DateField(
        label=_("date of the violation"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    land_class = forms.ChoiceField(
        label=_("land class"), required=False, choices=[("", BLANK_LABEL), *LandClass.choices]
    )
    area = forms.DecimalField(label=_("area"), required=False, min_value=0, max_digits=14, decimal_places=4)
    area_unit = forms.ChoiceField(
        label=_("area unit"), choices=[("m2", _("m²")), ("mu", _("mu"))], initial="m2"
    )
    illegal_income = forms.DecimalField(
        label=_("illegal income (yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    fee = forms.DecimalField(
        label=_("fee (yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    reduced_harm = forms.BooleanField(label=_("the party reduced or eliminated the harm"), required=False)
    coerced = forms.BooleanField(label=_("the party was coerced or deceived"), required=False)
    confessed = forms.BooleanField(label=_("the party confessed violations not yet known"), required=False)
    assisted = forms.BooleanField(label=_("the party helped the investigation"), required=False)
    first_violation = forms.BooleanField(label=_("first violation"), required=False)
    minor = forms.BooleanField(label=_("minor violation"), required=False)
    minor_harm = forms.BooleanField(label=_("minor harm"), required=False)
    no_harm = forms.BooleanField(label=_("no harm caused"), required=False)
    promptly_corrected = forms.BooleanField(label=_("promptly corrected"), required=False)

    def facts(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        area, unit = data.pop("area"), data.pop("area_unit")
        data.pop("act_date")
        if area is not None:
            data["area_mu" if unit == "mu" else "area_m2"] = area
        return data


class ProposalForm(forms.Form):
    party_kind = forms.ChoiceField(
        label=_("party"),
        choices=[(PartyKind.INDIVIDUAL, _("individual")), (PartyKind.ORGANISATION, _("organisation"))],
    )
    fine = forms.DecimalField(
        label=_("fine (yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    confiscation_value = forms.DecimalField(
        label=_("value confiscated (yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    revokes_licence = forms.BooleanField(label=_("revokes or suspends a licence"), required=False)
    stops_production = forms.BooleanField(label=_("orders production or business to stop"), required=False)
    demolition = forms.BooleanField(
        label=_("demolition of buildings on illegally occupied land"), required=False
    )
    confiscates_buildings = forms.BooleanField(
        label=_("confiscation of buildings on illegally occupied land"), required=False
    )
    expropriation = forms.BooleanField(label=_("house expropriation"), required=False)
    forced_relocation = forms.BooleanField(label=_("forced relocation"), required=False)
    hearing_held = forms.BooleanField(label=_("a hearing was held"), required=False)
    major_rights = forms.BooleanField(label=_("major rights of the party or a third party"), required=False)
    major_public_interest = forms.BooleanField(label=_("major public interest involved"), required=False)
    complex_case = forms.BooleanField(label=_("difficult or complex case"), required=False)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("what to import"), choices=KIND_CHOICES)
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("agency"), queryset=None)
    effective_from = forms.DateField(
        label=_("valid from (when the file gives no date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(label=_("file (.xlsx or .csv)"))

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()
        chinese_blanks(self.fields)
