"""Forms of the public complaint page and the officers' screens. The rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints import abuse
from complaints.models import Category, Satisfaction, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, choices=())
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": abuse.MAX_DESCRIPTION}),
        help_text=_("What happened, where and when; who was involved. At most 5000 characters."),
        required=False,
    )
    location = forms.CharField(
        label=_("Location"), required=False, widget=forms.TextInput(attrs={"maxlength": abuse.MAX_LOCATION})
    )
    officer_named = forms.CharField(
        label=_("Officer complained about (name)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100}),
        help_text=_("Only for complaints about enforcement conduct."),
    )
    officer_certificate = forms.CharField(
        label=_("Their certificate number, if known"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 60}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Pictures (JPEG, PNG, GIF, WebP) or PDF; at most 5 files, 5 MB each, 15 MB together."),
    )
    anonymous = forms.BooleanField(
        label=_("Report anonymously (reports of violations only)"),
        required=False,
        help_text=_("You can still follow the report with its tracking code, but we cannot call you back."),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100, "autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 30, "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"maxlength": 254, "autocomplete": "email"}),
    )
    # The honeypot: hidden from people (the `hidden` attribute), filled in by naive robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *agencies]
        if len(agencies) == 1 and not self.is_bound:
            self.initial["agency"] = agencies[0][0]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class FeedbackForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    satisfaction = forms.ChoiceField(
        label=_("Are you satisfied with the answer?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": abuse.MAX_FEEDBACK}),
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("all")), *Category.choices]
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    q = forms.CharField(label=_("Tracking code or text"), required=False, max_length=100)
