from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followups.models import AnsweredBy, Conduct, Rectification, Satisfaction, Source, Status


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Number or party"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    source = forms.ChoiceField(label=_("Event"), required=False, choices=[("", _("all")), *Source.choices])


class QuestionnaireForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("1. How satisfied are you with the way your matter was handled?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    rectification = forms.ChoiceField(
        label=_("2. Has the matter been rectified?"), choices=Rectification.choices, widget=forms.RadioSelect
    )
    conduct = forms.ChoiceField(
        label=_("3. How did the officers behave (manners, fairness, integrity)?"),
        choices=Conduct.choices,
        widget=forms.RadioSelect,
    )
    conduct_opinion = forms.CharField(
        label=_("What was wrong in the officers' conduct?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opinion = forms.CharField(
        label=_("4. Other opinions and suggestions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecordForm(QuestionnaireForm):
    answered_by = forms.ChoiceField(
        label=_("How the answers were obtained"),
        choices=[(c, label) for c, label in AnsweredBy.choices if c != AnsweredBy.ONLINE],
    )


class UnreachableForm(forms.Form):
    note = forms.CharField(
        label=_("What was tried and why the party was not reached"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    days_after = forms.IntegerField(label=_("Follow up after (days)"), min_value=0, max_value=730)
    answer_days = forms.IntegerField(
        label=_("Days to answer before a call or visit"), min_value=1, max_value=365
    )
    by_whom = forms.CharField(label=_("By whom"), max_length=120)
    method = forms.CharField(label=_("How"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False)
