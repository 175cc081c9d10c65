"""Forms of the records screens: they collect input and turn it into the services' arguments.

The rules live in records.services; a refusal comes back as a DomainError shown on the form, with
everything typed kept.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from records.models import Classification, EvidenceKind, MediaKind, RecordKind, SignatureStatus
from records.steps import step_choices

STATE_SECRETS = _(
    "State secrets are never stored in this system (保守国家秘密法). Sensitive material (trade secrets, "
    "personal privacy) is marked “sensitive” and only the case officers, the heads and legal "
    "reviewers see it."
)


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service refusal on the form: per field where the field exists, always the message on top."""
    form.add_error(None, exc.message)
    aliases = {
        "person_name": "person_name",
        "qa": "qa",
        "officer_ids": "officers",
        "file": "file",
        "collected_by_ids": "collected_by",
        "file_ids": "file_ids",
        "file_refs": "file_refs",
    }
    for name, messages in exc.field_errors.items():
        target = aliases.get(name, name)
        for message in messages:
            if target in form.fields and message != exc.message:
                form.add_error(target, message)


def _dt(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _area(label: Any, *, required: bool = True, rows: int = 4, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


QA_LINE = re.compile(r"^\s*(问|答|Q|A)\s*[:：]\s*(.*)$", re.IGNORECASE)


def parse_qa(text: str) -> list[dict[str, str]]:
    """“问：…” / “答：…” lines (continuation lines join the one before) into [{q, a}]."""
    items: list[dict[str, str]] = []
    current: str | None = None
    for line in (text or "").splitlines():
        m = QA_LINE.match(line)
        if m:
            tag = "q" if m.group(1).upper() in ("问", "Q") else "a"
            if tag == "q" or not items or items[-1]["a"]:
                if tag == "q":
                    items.append({"q": m.group(2).strip(), "a": ""})
                else:
                    items.append({"q": "", "a": m.group(2).strip()})
            else:
                items[-1]["a"] = m.group(2).strip()
            current = tag
        elif line.strip() and items and current:
            items[-1][current] = (items[-1][current] + "\n" + line.strip()).strip()
    return items


def format_qa(qa: list[dict[str, str]]) -> str:
    return "\n".join(f"问：{i.get('q', '')}\n答：{i.get('a', '')}" for i in qa)


def parse_people(text: str) -> list[dict[str, str]]:
    out = []
    for line in (text or "").splitlines():
        if line.strip():
            parts = re.split(r"[,，;；]", line, maxsplit=1)
            name = parts[0].strip()
            role = parts[1].strip() if len(parts) > 1 else ""
            out.append({"name": name, "role": role})
    return out


def format_people(people: list[dict[str, str]]) -> str:
    return "\n".join(f"{p.get('name', '')}，{p.get('role', '')}".rstrip("，") for p in people)


class RecordForm(forms.Form):
    action = forms.ChoiceField(label=_("Case step"))
    started_at = _dt(_("Started at"))
    ended_at = _dt(_("Ended at"), required=False)
    place = forms.CharField(label=_("Place"), max_length=255)
    officers = forms.MultipleChoiceField(
        label=_("Officers"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Questioning and inspection need at least two officers with valid certificates "
            "(行政处罚法 Arts.42 and 55)."
        ),
    )
    signature = forms.ChoiceField(label=_("Signature"), choices=SignatureStatus.choices)
    signature_note = forms.CharField(
        label=_("Signature note"),
        required=False,
        max_length=255,
        help_text=_("If the person refused to sign or was absent, note the circumstances and any witness."),
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        initial=Classification.INTERNAL,
        help_text=STATE_SECRETS,
    )

    kind = ""

    def __init__(self, *args: Any, officers: Any = (), files: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = step_choices()  # type: ignore[attr-defined]
        self.fields["officers"].choices = [(str(o.pk), o.name) for o in officers]  # type: ignore[attr-defined]
        if "file_refs" in self.fields:
            self.fields["file_refs"].choices = [  # type: ignore[attr-defined]
                (str(f.pk), f"{f.filename} ({f.stored.digest[:12]}…)") for f in files
            ]

    def content(self) -> dict[str, Any]:
        raise NotImplementedError

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "action": cd["action"],
            "started_at": cd["started_at"],
            "ended_at": cd.get("ended_at"),
            "place": cd["place"],
            "in_case_room": bool(cd.get("in_case_room")),
            "officer_ids": [int(i) for i in cd["officers"]],
            "content": self.content(),
            "signature": cd["signature"],
            "signature_note": cd.get("signature_note", ""),
            "classification": cd["classification"],
        }

    @classmethod
    def initial_from(cls, record: Any) -> dict[str, Any]:
        tz = timezone.get_current_timezone()
        initial = {
            "action": record.action,
            "started_at": record.started_at.astimezone(tz),
            "ended_at": record.ended_at.astimezone(tz) if record.ended_at else None,
            "place": record.place,
            "in_case_room": record.in_case_room,
            "officers": [str(o.pk) for o in record.officers.all()],
            "signature": record.signature,
            "signature_note": record.signature_note,
            "classification": record.classification,
        }
        initial.update(cls.initial_content(record.content))
        return initial

    @classmethod
    def initial_content(cls, content: dict[str, Any]) -> dict[str, Any]:
        return {}


class PersonMixin(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    person_gender = forms.CharField(label=_("Gender"), max_length=10, required=False)
    person_id_number = forms.CharField(label=_("Identity document number"), max_length=40, required=False)
    person_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    person_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    person_relation = forms.CharField(
        label=_("Relation to the case"),
        max_length=100,
        required=False,
        help_text=_("e.g. party, witness, legal representative"),
    )

    def person(self) -> dict[str, str]:
        cd = self.cleaned_data
        return {
            k: cd.get(f"person_{k}", "")
            for k in ("name", "gender", "id_number", "phone", "address", "relation")
        }

    @staticmethod
    def person_initial(content: dict[str, Any]) -> dict[str, Any]:
        person = content.get("person") or {}
        return {f"person_{k}": v for k, v in person.items()}


class InterviewForm(PersonMixin, RecordForm):
    kind = RecordKind.INTERVIEW
    in_case_room = forms.BooleanField(
        label=_("Questioned in the agency's case-handling room (执法办案场所)"),
        required=False,
        help_text=_("Questioning in the case-handling room requires a whole-process audio-video recording."),
    )
    qa = _area(
        _("Questions and answers"),
        rows=10,
        help_text=_("One line per question “问：…” and per answer “答：…”."),
    )

    def content(self) -> dict[str, Any]:
        return {"person": self.person(), "qa": parse_qa(self.cleaned_data["qa"])}

    @classmethod
    def initial_content(cls, content: dict[str, Any]) -> dict[str, Any]:
        return {**cls.person_initial(content), "qa": format_qa(content.get("qa") or [])}


class InspectionForm(RecordForm):
    kind = RecordKind.INSPECTION
    persons_present = _area(
        _("Persons present"),
        required=False,
        rows=3,
        help_text=_("One per line: name, role (e.g. 张三，当事人)."),
    )
    findings = _area(_("Findings"), rows=8)
    sketch = _area(_("Sketch or description of the site"), required=False, rows=3)
    file_refs = forms.MultipleChoiceField(
        label=_("Photos and files referred to"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def content(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "persons_present": parse_people(cd.get("persons_present", "")),
            "findings": cd["findings"],
            "sketch": cd.get("sketch", ""),
            "file_refs": [int(i) for i in cd.get("file_refs") or []],
        }

    @classmethod
    def initial_content(cls, content: dict[str, Any]) -> dict[str, Any]:
        return {
            "persons_present": format_people(content.get("persons_present") or []),
            "findings": content.get("findings", ""),
            "sketch": content.get("sketch", ""),
            "file_refs": [str(i) for i in content.get("file_refs") or []],
        }


class StatementForm(PersonMixin, RecordForm):
    kind = RecordKind.STATEMENT
    statement = _area(_("Statement and defence"), rows=8)
    response = _area(_("The agency's response"), required=False, rows=4)

    def content(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {"person": self.person(), "statement": cd["statement"], "response": cd.get("response", "")}

    @classmethod
    def initial_content(cls, content: dict[str, Any]) -> dict[str, Any]:
        return {
            **cls.person_initial(content),
            "statement": content.get("statement", ""),
            "response": content.get("response", ""),
        }


class HearingForm(RecordForm):
    kind = RecordKind.HEARING
    chair = forms.CharField(label=_("Hearing chair"), max_length=100)
    recorder = forms.CharField(label=_("Recorder"), max_length=100)
    participants = _area(
        _("Participants"),
        required=False,
        rows=3,
        help_text=_("One per line: name, role (e.g. 张三，当事人)."),
    )
    public = forms.BooleanField(label=_("Held in public"), required=False, initial=True)
    proceedings = _area(_("Course of the hearing"), rows=10)

    def content(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "chair": cd["chair"],
            "recorder": cd["recorder"],
            "participants": parse_people(cd.get("participants", "")),
            "public": bool(cd.get("public")),
            "proceedings": cd["proceedings"],
        }

    @classmethod
    def initial_content(cls, content: dict[str, Any]) -> dict[str, Any]:
        return {
            "chair": content.get("chair", ""),
            "recorder": content.get("recorder", ""),
            "participants": format_people(content.get("participants") or []),
            "public": content.get("public", True),
            "proceedings": content.get("proceedings", ""),
        }


FORMS: dict[str, type[RecordForm]] = {
    RecordKind.INTERVIEW: InterviewForm,
    RecordKind.INSPECTION: InspectionForm,
    RecordKind.STATEMENT: StatementForm,
    RecordKind.HEARING: HearingForm,
}


class CorrectionMixin(forms.Form):
    reason = _area(
        _("Reason for the correction"),
        rows=2,
        help_text=_("The previous version stays on file; the correction becomes a new version."),
    )


def correction_form(kind: str) -> type[RecordForm]:
    base = FORMS[kind]
    return type(f"Correct{base.__name__}", (CorrectionMixin, base), {})


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,video/*,audio/*,application/pdf", "capture": "environment"}
        ),
    )
    media_kind = forms.ChoiceField(
        label=_("Kind of file"),
        required=False,
        choices=[("", _("recognise from the file")), *list(MediaKind.choices)],
    )
    action = forms.ChoiceField(label=_("Case step"), required=False)
    device = forms.CharField(
        label=_("Capture device"),
        required=False,
        max_length=120,
        help_text=_("e.g. body camera number, phone model"),
    )
    captured_at = _dt(_("Captured at"), required=False)
    place = forms.CharField(label=_("Capture place"), required=False, max_length=255)
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        initial=Classification.INTERNAL,
        help_text=STATE_SECRETS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "—"), *step_choices()]  # type: ignore[attr-defined]


class EvidenceItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence (行政处罚法 Art.46)"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Name"), max_length=200)
    proves = _area(_("What it proves"), rows=3)
    source = forms.CharField(label=_("Source"), max_length=255)
    collected_by = forms.MultipleChoiceField(label=_("Collected by"), widget=forms.CheckboxSelectMultiple)
    collected_on = forms.DateField(
        label=_("Collected on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=datetime.date.today,
    )
    file_ids = forms.MultipleChoiceField(
        label=_("Files"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, officers: Any = (), files: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collected_by"].choices = [(str(o.pk), o.name) for o in officers]  # type: ignore[attr-defined]
        self.fields["file_ids"].choices = [  # type: ignore[attr-defined]
            (str(f.pk), f"{f.filename} ({f.stored.digest[:12]}…)") for f in files
        ]


class ExclusionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AvRuleForm(forms.Form):
    requirement = forms.ChoiceField(label=_("Requirement"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from records.models import AvRequirement

        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = AvRequirement.choices  # type: ignore[attr-defined]


class RetentionFilterForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    record_class = forms.ChoiceField(label=_("Class"), required=False)
    due = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("due", _("period run: may be released")), ("all", _("all files of closed cases"))],
    )

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        from records.models import RetentionClass

        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("all"))] + [(a.pk, a.name) for a in agencies]  # type: ignore[attr-defined]
        self.fields["record_class"].choices = [("", _("all"))] + [  # type: ignore[attr-defined]
            (v, label)
            for v, label in RetentionClass.choices
            if v not in (RetentionClass.CASE_FILE, RetentionClass.TEXT_RECORD)
        ]


class ReleaseRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the release"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReleaseDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("approve")), ("refuse", _("refuse"))]
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class RetentionRuleForm(forms.Form):
    years = forms.IntegerField(label=_("Years kept after closing"), min_value=1, max_value=100)
    basis = forms.CharField(label=_("Basis"), max_length=255, required=False)
