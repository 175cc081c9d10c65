"""Forms of the template screens and the public verification page (they validate input only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TemplateVersionForm(forms.Form):
    body = forms.CharField(
        label=_("Template body"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "code", "spellcheck": "false"}),
        help_text=_(
            "Django template HTML. Use the context keys listed below, e.g. {{ party_name }}, "
            "{% for item in evidence %}…{% endfor %} and {{ issued_on|cn_date }}."
        ),
    )
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Your copy of the PDF"))


class SealUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Seal image (PNG)"),
        help_text=_("A PNG with a transparent background, 50 to 2000 pixels, at most 1 MB."),
    )
