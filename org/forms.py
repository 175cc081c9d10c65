"""Forms of the organisation screens. They parse input; the rules live in org.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from org.models import AgencyLevel, DepartmentKind, EnforcementField
from org.roles import Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service refusal on the form: per-field errors where the field exists, else on top."""
    placed = False
    for field, messages in exc.field_errors.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    short_name = forms.CharField(label=_("short name"), max_length=50, required=False)
    code = forms.CharField(label=_("code"), max_length=50)
    level = forms.ChoiceField(label=_("level"), choices=AgencyLevel.choices)
    region_code = forms.CharField(label=_("region code"), max_length=12, required=False)
    duties = forms.CharField(label=_("duties"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    address = forms.CharField(label=_("address"), max_length=255, required=False)
    phone = forms.CharField(label=_("public phone"), max_length=50, required=False)


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=DepartmentKind.choices)


class OfficerEditForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    title = forms.CharField(label=_("title"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone (private)"), max_length=50, required=False)
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("department"), queryset=None, required=False
    )
    is_auxiliary = forms.BooleanField(label=_("auxiliary staff"), required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class OfficerCreateForm(OfficerEditForm):
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("agency"), queryset=None
    )
    username = forms.CharField(label=_("login name"), max_length=150)
    password = forms.CharField(
        label=_("initial password"), widget=forms.PasswordInput(render_value=False), required=False,
        help_text=_("Leave empty to create the login without a password "
                    "(it cannot be used until one is set)."),
    )
    email = forms.EmailField(label=_("e-mail"), required=False)

    field_order = ["agency", "department", "name", "username", "password", "email", "title", "phone",
                   "is_auxiliary"]

    def __init__(self, *args: Any, agencies: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, departments=departments, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)


class CertificateIssueForm(forms.Form):
    number = forms.CharField(label=_("certificate number"), max_length=50)
    issuing_body = forms.CharField(label=_("issuing body"), max_length=200)
    fields_covered = forms.ModelMultipleChoiceField(
        label=_("fields of enforcement"), queryset=EnforcementField.objects.filter(active=True),
        to_field_name="code", widget=forms.CheckboxSelectMultiple,
    )
    issued_on = forms.DateField(label=_("issued on"), widget=DATE)
    expires_on = forms.DateField(label=_("expires on"), widget=DATE)


class CertificateRenewForm(forms.Form):
    expires_on = forms.DateField(label=_("new expiry date"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class QualificationForm(forms.Form):
    certificate_number = forms.CharField(label=_("qualification certificate number"), max_length=50)
    obtained_on = forms.DateField(label=_("obtained on"), widget=DATE)


CERTIFICATE_FILTERS = [
    ("", _("any")),
    ("valid", _("valid")),
    ("expiring", _("expiring within 30 days")),
    ("expired", _("expired")),
    ("suspended", _("suspended")),
    ("revoked", _("revoked")),
    ("none", _("no certificate")),
]


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("name or certificate number"), required=False, max_length=50)
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("agency"), queryset=None, required=False
    )
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("department"), queryset=None, required=False
    )
    role = forms.ChoiceField(label=_("role"), choices=[("", _("any")), *Role.choices], required=False)
    certificate = forms.ChoiceField(label=_("certificate"), choices=CERTIFICATE_FILTERS, required=False)

    def __init__(self, *args: Any, agencies: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class AgencyEditForm(AgencyForm):
    parent: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("parent agency"), queryset=None, required=False
    )
    active = forms.BooleanField(label=_("active"), required=False)

    field_order = ["name", "short_name", "code", "level", "parent"]

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class DepartmentEditForm(DepartmentForm):
    active = forms.BooleanField(label=_("active"), required=False)


class TransferForm(forms.Form):
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("new agency"), queryset=None
    )
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("department"), queryset=None, required=False
    )

    def __init__(self, *args: Any, agencies: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        # Department names repeat across agencies (every bureau has an 办公室): name the agency too.
        self.fields["department"].label_from_instance = (  # type: ignore[attr-defined]
            lambda d: f"{d.agency.short_name or d.agency.name} · {d.name}"
        )


class EnforcementFieldForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=32,
                           help_text=_("Lowercase letters, digits and underscores; it cannot change later."))
    name = forms.CharField(label=_("name"), max_length=50)
    active = forms.BooleanField(label=_("active"), required=False, initial=True)


class LegalReviewerRatioForm(forms.Form):
    ratio = forms.DecimalField(
        label=_("least share of legal reviewers"), min_value=0, max_value=1, decimal_places=4,
        help_text=_("Legal reviewers / enforcement staff of an agency, for example 0.05 for 5%."),
    )
