"""Forms of the catalog's editing screens (system administrator). Parsing only: the services
decide what is allowed; their refusals are shown on the form with `add_domain_error`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.forms import BLANK_LABEL, chinese_blanks
from catalog.models import (
    DiscretionStandard,
    DiscretionTier,
    ExemptionRule,
    LandClass,
    LegalProvision,
    MajorDecisionRule,
    PowerItem,
)
from catalog.services.discretion import EXEMPTION_FACTS, STANDARD_FIELDS, TIER_FIELDS
from catalog.services.major import RULE_FIELDS
from core.errors import DomainError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.DateField):
        kwargs["widget"] = DATE
    if isinstance(field, models.JSONField) and field.name == "land_classes":
        return forms.MultipleChoiceField(
            label=field.verbose_name,
            choices=LandClass.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    return field.formfield(**kwargs)


def model_fields(model: type[models.Model], names: Any) -> dict[str, forms.Field]:
    """Form fields for `names` of `model`, labelled by the model's (translated) verbose names."""
    fields = dict(forms.fields_for_model(model, fields=list(names), formfield_callback=_formfield))
    chinese_blanks(fields)  # Django's blank label is not translated
    return fields


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> list[str]:
    """Show a service refusal on the form: per field where the field exists, else above the form.
    Returns the messages for keys that are not fields of the form (e.g. "tiers")."""
    rest: list[str] = []
    placed = False
    for name, messages in exc.field_errors.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
        else:
            rest.extend(messages)
    if not placed and not rest:
        form.add_error(None, exc.message)
    elif rest and not placed:
        form.add_error(None, exc.message if len(rest) == 1 else _("Nothing was saved; see the errors below."))
    return rest


class CatalogForm(forms.Form):
    """A form built from model fields; `agency` is offered only when the caller passes agencies."""

    model: type[models.Model]
    names: tuple[str, ...] = ()

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(self.model, self.names))
        if agencies is not None:
            agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
                label=_("agency"), queryset=agencies, empty_label=BLANK_LABEL
            )
            if agencies.count() == 1:
                agency.initial = agencies.first()
            self.fields = {"agency": agency, **self.fields}

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "agency"}


class PowerItemForm(CatalogForm):
    model = PowerItem
    names = ("name", "kind", "legal_bases", "department", *PowerItem.CONTENT_FIELDS[2:])

    def __init__(self, *args: Any, departments: Any, with_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            code = model_fields(PowerItem, ["code"])
            self.fields = (
                {k: v for k, v in self.fields.items() if k == "agency"}
                | code
                | {k: v for k, v in self.fields.items() if k != "agency"}
            )
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["legal_bases"].queryset = LegalProvision.objects.all()  # type: ignore[attr-defined]
        self.fields["legal_bases"].help_text = _("Hold Ctrl (⌘ on a Mac) to choose several provisions.")

    def content(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in PowerItem.CONTENT_FIELDS}


class DateForm(forms.Form):
    """The one date a publish or retire act needs."""

    day = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["day"].label = label


class ProvisionForm(CatalogForm):
    model = LegalProvision
    names = ("law_name", "article", "paragraph", "item", "text", "effective_from", "effective_until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("paragraph", "item"):
            self.fields[name].help_text = _("0 or empty = the whole article (paragraph).")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("paragraph", "item"):
            if data.get(name) is None:
                data[name] = 0
        return data


class StandardForm(CatalogForm):
    model = DiscretionStandard
    names = STANDARD_FIELDS

    def __init__(self, *args: Any, with_code: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]
        self.fields["recommended_point"].required = False

    def values(self) -> dict[str, Any]:
        values = super().values()
        if values.get("recommended_point") is None:
            values.pop("recommended_point", None)  # the model's default (the midpoint)
        return values


class TierForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(DiscretionTier, [f for f in TIER_FIELDS if f != "order"]))


class BaseTierFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def tiers(self) -> list[dict[str, Any]]:
        """The tiers in the order of the rows; blank and deleted rows left out."""
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        return [
            {k: v for k, v in row.items() if k != "DELETE"} | {"order": index}
            for index, row in enumerate(rows)
        ]


TierFormSet = forms.formset_factory(
    TierForm, formset=BaseTierFormSet, extra=2, can_delete=True, max_num=60, validate_max=True
)


def tier_initial(standard: DiscretionStandard) -> list[dict[str, Any]]:
    return [{k: getattr(t, k) for k in TIER_FIELDS} for t in standard.tiers.all()]


def standard_initial(standard: DiscretionStandard) -> dict[str, Any]:
    return {k: getattr(standard, k) for k in STANDARD_FIELDS}


class ExemptionForm(CatalogForm):
    model = ExemptionRule
    names = ("power_code", "kind", "max_area_m2", "description", "effective_from")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_facts"] = forms.MultipleChoiceField(
            label=_("required facts"),
            choices=list(EXEMPTION_FACTS.items()),
            widget=forms.CheckboxSelectMultiple,
        )


class MajorRuleForm(CatalogForm):
    model = MajorDecisionRule
    names = tuple(f for f in RULE_FIELDS if f != "agency")
