"""Forms of the case screens: they collect input; the rules live in cases.services and the declaration.

Each action of the procedure gets its form from a small field spec (`ACTION_FIELDS`) naming the
`data` keys the declaration's `clean_*` function reads (cases/workflow/penalty.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import LeadSource, OfficerRole, PartyType, PenaltyKind, ProposedOutcome
from core.errors import DomainError

BLANK: list[tuple[str, Any]] = [("", "---------")]


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service refusal on the form: per field where the field exists, always the message on top."""
    form.add_error(None, exc.message)
    for name, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label: Any, *, required: bool = True, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _line(label: Any, *, required: bool = True, max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length)


def _money(label: Any, *, required: bool = False) -> forms.CharField:
    # Kept as text: the declaration parses it as Decimal (never float) and names the rule when it refuses.
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "2000.00"}),
    )


def _choice(label: Any, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=BLANK + list(choices), required=required)


def _kinds(label: Any, *, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=PenaltyKind.choices, required=required, widget=forms.CheckboxSelectMultiple
    )


def _flag(label: Any, *, initial: bool = False) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, initial=initial)


NO_PENALTY_GROUNDS = [
    (ProposedOutcome.NO_PENALTY_MINOR.value, ProposedOutcome.NO_PENALTY_MINOR.label),
    (ProposedOutcome.FIRST_VIOLATION.value, ProposedOutcome.FIRST_VIOLATION.label),
    (ProposedOutcome.NO_PENALTY_FACTS.value, ProposedOutcome.NO_PENALTY_FACTS.label),
]
DELIVERY_METHODS = [
    ("direct", _("direct delivery (直接送达)")),
    ("left", _("left at the address (留置送达)")),
    ("post", _("by post (邮寄送达)")),
    ("entrusted", _("entrusted delivery (委托送达)")),
    ("electronic", _("electronic delivery with consent (电子送达)")),
    ("announcement", _("public announcement (公告送达)")),
]
TRANSFER_TO = [
    ("public_security", _("public security organ")),
    ("discipline", _("discipline inspection body")),
    ("other_agency", _("another administrative agency")),
]
CRIME_DECISIONS = [
    ("transferred", _("transferred to the public security organ")),
    ("not_transferred", _("not transferred")),
]


def _crime_fields() -> dict[str, forms.Field]:
    return {
        "crime_decision": _choice(_("Decision on crime transfer"), CRIME_DECISIONS, required=False),
        "crime_reason": _text(_("Reason for not transferring"), required=False, rows=2),
    }


# The fields of each action's form, by the `data` key the declaration reads. Actions absent here
# take no data: their page asks for a confirmation only.
ACTION_FIELDS: dict[str, Callable[[], dict[str, forms.Field]]] = {
    "decline": lambda: {"reason": _text(_("Reason for not registering"))},
    "register": lambda: {
        "registered_on": _date(_("Registered on (立案日期)"), required=False, help_text=_("Empty: today."))
    },
    "report": lambda: {
        "proposed_outcome": _choice(_("Proposed outcome"), ProposedOutcome.choices),
        "kinds": _kinds(_("Proposed penalty kinds")),
        "amount": _money(_("Proposed fine (yuan)")),
        "report": _text(_("Investigation report"), required=False, rows=5),
    },
    "reinvestigate": lambda: {"reason": _text(_("What is to be investigated further"))},
    "notify": lambda: {"delivered_on": _date(_("Notice delivered to the party on"))},
    "record_statement": lambda: {
        "received_on": _date(_("Statement received on")),
        "points": _text(
            _("Points of the statement and the responses"),
            required=False,
            rows=6,
            help_text=_("One point per line; the officer's response after a vertical bar: point | response."),
        ),
        "hearing_waived": _flag(_("The party waives the hearing")),
    },
    "request_hearing": lambda: {"requested_on": _date(_("Hearing requested on"))},
    "schedule_hearing": lambda: {
        "hearing_date": _date(_("Hearing date")),
        "notice_on": _date(_("Hearing notice given on")),
        "chair_id": _choice(_("Chair of the hearing"), []),
    },
    "hold_hearing": lambda: {
        "held_on": _date(_("Hearing held on")),
        "attended": _flag(_("The party attended (absence counts as waiver)"), initial=True),
        "record": _text(_("Hearing record"), required=False, rows=5),
    },
    "decide": lambda: {
        "decided_on": _date(_("Decided on"), required=False, help_text=_("Empty: today.")),
        "kinds": _kinds(_("Penalty kinds (empty: as notified)")),
        "amount": _money(_("Fine (yuan; empty: as notified)")),
        **_crime_fields(),
    },
    "decide_no_penalty": lambda: {
        "outcome": _choice(_("Ground for not penalising"), NO_PENALTY_GROUNDS),
        "decided_on": _date(_("Decided on"), required=False, help_text=_("Empty: today.")),
        **_crime_fields(),
    },
    "transfer": lambda: {
        "to": _choice(_("Transferred to"), TRANSFER_TO),
        "recipient": _line(_("Receiving body"), required=False),
        "reason": _text(_("Reason for the transfer")),
    },
    "deliver": lambda: {
        "method": _choice(_("Delivery method"), DELIVERY_METHODS),
        "delivered_on": _date(_("Delivered on")),
    },
    "complete_execution": lambda: {
        "completed_on": _date(_("Execution completed on")),
        "paid_amount": _money(_("Amount paid (yuan)")),
        "receipt_number": _line(_("Payment receipt number"), required=False, max_length=100),
        "note": _text(_("Note"), required=False, rows=2),
    },
    # The summary procedure (cases/workflow/summary.py)
    "record_on_spot": lambda: {
        "findings": _text(_("Facts found on the spot"), rows=4),
        "location": _line(_("Location"), required=False, max_length=255),
        "facts_certain": _flag(_("The facts are certain (违法事实确凿)")),
    },
    "decide_on_spot": lambda: {
        "kinds": _kinds(_("Penalty kinds"), required=True),
        "amount": _money(_("Fine (yuan)")),
    },
    "collect_on_spot": lambda: {
        "receipt_number": _line(_("Fiscal receipt number"), required=False, max_length=100),
        "hard_to_collect": _flag(_("The fine would be hard to collect afterwards")),
        "collected_on": _date(_("Collected on"), required=False, help_text=_("Empty: today.")),
    },
    "record_payment": lambda: {
        "paid_on": _date(_("Paid on")),
        "paid_amount": _money(_("Amount paid (yuan)")),
        "receipt_number": _line(_("Payment receipt number"), required=False, max_length=100),
    },
    "hand_over_cash": lambda: {
        "handed_on": _date(_("Handed to the agency on"), required=False, help_text=_("Empty: today.")),
    },
    "file_with_agency": lambda: {
        "filed_on": _date(_("Filed with the agency on"), required=False, help_text=_("Empty: today.")),
    },
}


def action_needs_data(action: str) -> bool:
    return action in ACTION_FIELDS


class ActionForm(forms.Form):
    """One action's form: its fields from ACTION_FIELDS plus the case version the officer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, action: str, officers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        spec = ACTION_FIELDS.get(action)
        for name, field in (spec() if spec else {}).items():
            self.fields[name] = field
        if "chair_id" in self.fields:
            chair = self.fields["chair_id"]
            assert isinstance(chair, forms.ChoiceField)
            chair.choices = BLANK + [(str(o.pk), o.name) for o in officers]

    def data_for_service(self) -> dict[str, Any]:
        """The `data` of `case_act`: the cleaned values under the declaration's keys."""
        cd = dict(self.cleaned_data)
        out: dict[str, Any] = {"version": cd.pop("version")}
        crime_decision, crime_reason = cd.pop("crime_decision", None), cd.pop("crime_reason", "")
        if crime_decision:
            out["crime_transfer"] = {"decision": crime_decision, "reason": crime_reason}
        for key, value in cd.items():
            if key == "points":
                out[key] = _points(value)
            elif key in ("amount", "kinds") and self.action == "decide" and not value:
                continue  # absent: the decision keeps what was notified
            elif key == "kinds":
                out[key] = list(value)
            elif value is not None:
                out[key] = value
        return out


def _points(text: str) -> list[dict[str, str]]:
    points = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        point, _sep, response = line.partition("|")
        points.append({"point": point.strip(), "response": response.strip()})
    return points


class LeadForm(forms.Form):
    """案源登记."""

    source = _choice(_("Source of the lead"), LeadSource.choices)
    discovered_on = _date(_("Discovered on"))
    title = _line(_("Short title"), required=False)
    description = _text(_("What was found"), rows=4)
    location = _line(_("Location"), required=False, max_length=255)
    reported_by = _line(_("Reported by"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discovered_on"].initial = timezone.localdate()


class PartyForm(forms.Form):
    """当事人 with the identity number checked by the service (GB 11643 / GB 32100)."""

    party_type = _choice(_("Party type"), PartyType.choices)
    name = _line(_("Name"))
    id_number = _line(_("Identity number (身份证号 or 统一社会信用代码)"), max_length=32)
    address = _line(_("Address"), required=False, max_length=255)
    phone = _line(_("Phone"), required=False, max_length=50)
    representative = _line(_("Legal representative"), required=False, max_length=100)


class OfficerAssignForm(forms.Form):
    officer_id = forms.ChoiceField(label=_("Officer"))
    role = forms.ChoiceField(label=_("Role in the case"), choices=OfficerRole.choices)

    def __init__(self, *args: Any, officers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = BLANK + [(str(o.pk), o.name) for o in officers]
        self.fields["role"].initial = OfficerRole.ASSISTANT


class CaseFilterForm(forms.Form):
    """The case list's filters (GET)."""

    q = forms.CharField(label=_("Search number or description"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    mine = forms.BooleanField(label=_("My cases first"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cases.models import CaseStatus, Procedure

        super().__init__(*args, **kwargs)
        status, procedure = self.fields["status"], self.fields["procedure"]
        assert isinstance(status, forms.ChoiceField) and isinstance(procedure, forms.ChoiceField)
        status.choices = [("", _("all")), *CaseStatus.choices]
        procedure.choices = [("", _("all")), *Procedure.choices]

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "").replace("\x00", "").strip()


SUMMARY_KINDS = [
    (PenaltyKind.WARNING.value, PenaltyKind.WARNING.label),
    (PenaltyKind.FINE.value, PenaltyKind.FINE.label),
]
SUMMARY_PAYMENT = [
    ("on_spot", _("collected on the spot (当场收缴, fiscal receipt)")),
    ("later", _("paid at the bank within 15 days")),
]


class SummaryCaseForm(forms.Form):
    """简易程序 on the spot: party, facts, penalty and payment in one form (cases.services.summary)."""

    party_type = _choice(_("Party type"), PartyType.choices)
    party_name = _line(_("Name of the party"))
    id_number = _line(_("Identity number (身份证号 or 统一社会信用代码)"), max_length=32)
    party_address = _line(_("Address"), required=False, max_length=255)
    findings = _text(_("Facts found on the spot"), rows=4)
    location = _line(_("Location"), required=False, max_length=255)
    facts_certain = _flag(_("The facts are certain (违法事实确凿)"))
    kinds = forms.MultipleChoiceField(
        label=_("Penalty"), choices=SUMMARY_KINDS, widget=forms.CheckboxSelectMultiple
    )
    amount = _money(_("Fine (yuan)"))
    payment = forms.ChoiceField(
        label=_("Payment"), choices=SUMMARY_PAYMENT, initial="later", widget=forms.RadioSelect, required=False
    )
    receipt_number = _line(_("Fiscal receipt number"), required=False, max_length=100)
    hard_to_collect = _flag(_("The fine would be hard to collect afterwards"))

    def data_for_service(self) -> dict[str, Any]:
        from decimal import Decimal, InvalidOperation

        cd = dict(self.cleaned_data)
        raw = (cd.pop("amount") or "").strip()
        amount: Decimal | None = None
        if raw and "fine" in cd["kinds"]:
            try:
                amount = Decimal(raw)
            except InvalidOperation:
                amount = None
        cd["kinds"] = list(cd["kinds"])
        cd["payment"] = cd.get("payment") or "later"
        return {**cd, "amount": amount}

    def clean_amount(self) -> str:
        from decimal import Decimal, InvalidOperation

        raw = (self.cleaned_data.get("amount") or "").strip()
        if raw:
            try:
                value = Decimal(raw)
            except InvalidOperation:
                raise forms.ValidationError(_("Enter an amount in yuan, e.g. 50.00.")) from None
            if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
                raise forms.ValidationError(_("Enter an amount in yuan, e.g. 50.00."))
        return raw
