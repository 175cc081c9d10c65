from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reminders.models import Audience, Channel, ReminderStatus, TaskOutcome


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or recipient"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *ReminderStatus.choices]
    )
    channel = forms.ChoiceField(
        label=pgettext_lazy("reminders", "Channel"),
        required=False,
        choices=[("", _("all")), *Channel.choices],
    )
    kind = forms.CharField(label=_("Deadline kind"), required=False, max_length=80)


class TaskForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=TaskOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note (what was said, or why the party could not be reached)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskHandoverForm(forms.Form):
    """移交 of a task to a named colleague of the reminder's agency → services.task_handover."""

    officer = forms.ChoiceField(label=_("Colleague who takes the task over"))
    reason = forms.CharField(label=_("Reason for the hand-over"), max_length=500)

    def __init__(self, *args: Any, officers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((str(o.pk), o.name) for o in officers)]


def _ints(value: str) -> list[int]:
    out = []
    for part in value.replace("，", ",").split(","):
        part = part.strip()
        if part:
            if not part.isdigit():
                raise forms.ValidationError(
                    _("Write whole numbers of days separated by commas, e.g. 90, 30, 7.")
                )
            out.append(int(part))
    return out


class RuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=120)
    offsets = forms.CharField(label=_("Days before the due date (comma-separated)"), max_length=100)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    channels = forms.CharField(
        label=_("Channels in order (comma-separated: email, sms, letter, phone)"), max_length=100
    )
    template_text = forms.CharField(
        label=_("Text of the reminder"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("Placeholders: {name} {title} {due_date} {days} {reference} {code} {link} {agency}"),
    )
    active = forms.BooleanField(label=_("Active"), required=False)

    def clean_offsets(self) -> list[int]:
        return _ints(self.cleaned_data["offsets"])

    def clean_channels(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["channels"].replace("，", ",").split(",") if c.strip()]

    @staticmethod
    def initial_for(rule: Any) -> dict[str, Any]:
        return {
            "version": rule.version,
            "name": rule.name,
            "offsets": ", ".join(str(o) for o in rule.offsets),
            "audience": rule.audience,
            "channels": ", ".join(rule.channels),
            "template_text": rule.template_text,
            "active": rule.active,
        }


class SettingsForm(forms.Form):
    quiet_start = forms.CharField(label=_("Quiet hours begin (HH:MM)"), max_length=5)
    quiet_end = forms.CharField(label=_("Quiet hours end (HH:MM)"), max_length=5)
    max_attempts = forms.IntegerField(label=_("Attempts per channel"), min_value=1, max_value=20)
    retry_base_minutes = forms.IntegerField(
        label=_("First retry after (minutes, doubled each time)"), min_value=1, max_value=1440
    )


class LookupForm(forms.Form):
    ref = forms.CharField(label=_("Licence or decision number"), max_length=120)
    code = forms.CharField(label=_("Reminder code"), max_length=12)
