"""Forms of the case screens: they collect input; the rules live in cases.services and the declaration.

Each action of the procedure gets its form from a small field spec (`ACTION_FIELDS`) naming the
`data` keys the declaration's `clean_*` function reads (cases/workflow/penalty.py).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import (
    DeliveryMethod,
    LeadSource,
    OfficerRole,
    PartyType,
    PaymentChannel,
    PenaltyKind,
    ProposedOutcome,
    RecusalApplicant,
    RemedyKind,
    RemedyOutcome,
)
from core.errors import DomainError

BLANK: list[tuple[str, Any]] = [("", "---------")]


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service refusal on the form: per field where the field exists, always the message on top."""
    form.add_error(None, exc.message)
    rows = getattr(form, "rows", {})
    for name, messages in exc.field_errors.items():
        for message in messages:
            if name in rows and isinstance(form, ActionForm):
                form.add_refusal(name, message)
            else:
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
# The six methods (GLOSSARY.md; 行政处罚法 Art.61 with 民事诉讼法 Arts.87–95), as the model names them.
DELIVERY_METHODS = DeliveryMethod.choices


def _delivery_fields(date_label: Any) -> dict[str, forms.Field]:
    """Every fact the delivery rules read (cases.services.execution.clean_delivery_data)."""
    return {
        "method": forms.ChoiceField(
            label=_("Delivery method"),
            choices=DELIVERY_METHODS,
            initial=DeliveryMethod.IN_PERSON,
            widget=forms.RadioSelect,
        ),
        "delivered_on": _date(
            date_label,
            required=False,
            help_text=_("Not needed for a public notice: give the announcement date."),
        ),
        "recipient": _line(_("Recipient (who received the document)"), required=False),
        "witness": _line(
            _("Witness (留置送达: required)"),
            required=False,
            max_length=200,
        ),
        "consent_signed": _flag(_("The party signed its consent to electronic delivery (电子送达确认书)")),
        "electronic_address": _line(
            _("E-mail address or mobile number the party agreed to (电子送达)"),
            required=False,
            max_length=200,
        ),
        "announced_on": _date(
            _("Announced on (公告送达)"),
            required=False,
            help_text=_("A public notice counts as served 30 days after its announcement."),
        ),
    }


TRANSFER_TO = [
    ("public_security", _("public security organ")),
    ("discipline", _("discipline inspection body")),
    ("other_agency", _("another administrative agency")),
]
CRIME_DECISIONS = [
    ("transferred", _("transferred to the public security organ")),
    ("not_transferred", _("not transferred")),
]


def _amount_reason() -> forms.CharField:
    return _text(
        _("Reason for an amount outside the discretion range"),
        required=False,
        rows=2,
        help_text=_("Needed when the fine lies outside the range the discretion standard gives (Art.34)."),
    )


def _crime_fields() -> dict[str, forms.Field]:
    return {
        "crime_decision": _choice(_("Decision on crime transfer"), CRIME_DECISIONS, required=False),
        "crime_reason": _text(_("Reason for not transferring"), required=False, rows=2),
    }


def _certificates_shown() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Both officers showed their enforcement certificates (出示执法证件)"),
        required=False,
        help_text=_("行政处罚法 Art.52."),
    )


def _on_spot_decision_fields() -> dict[str, forms.Field]:
    """What the decision on the spot states and records (cases.workflow.summary.clean_decision)."""
    return {
        "legal_basis": forms.CharField(
            label=_("Legal basis (law and article)"),
            max_length=255,
            help_text=_("E.g. 《城市道路管理条例》第二十七条、第四十二条 (行政处罚法 Arts.51, 52)."),
        ),
        "rights_informed": forms.BooleanField(
            label=_(
                "The party was told the facts, reasons and basis of the penalty and the right to state "
                "and defend (陈述、申辩)"
            ),
            required=False,
            help_text=_("行政处罚法 Art.44."),
        ),
        "party_statement": _text(
            _("The party's statement and defence"),
            required=False,
            rows=3,
            help_text=_("Empty when the party stated nothing."),
        ),
        "statement_response": _text(
            _("Review of the statement (adopted, or why not)"),
            required=False,
            rows=3,
            help_text=_("Required when the party made a statement (行政处罚法 Art.45)."),
        ),
        "remedies_informed": forms.BooleanField(
            label=_(
                "The decision states the route and period for administrative reconsideration and litigation"
            ),
            required=False,
            help_text=_("行政处罚法 Art.52."),
        ),
        "party_signed": forms.BooleanField(
            label=_("The party signed for the decision on the spot"),
            required=False,
            help_text=_("行政处罚法 Art.52."),
        ),
        "refusal_note": forms.CharField(
            label=_("Note of the refusal to sign"),
            required=False,
            max_length=500,
            help_text=_(
                "Required when the party did not sign: what was noted on the decision, e.g. "
                "“当事人拒绝签收，已当场宣读并交付”."
            ),
        ),
    }


def _filing_fields() -> dict[str, forms.Field]:
    return {
        "filed_on": _date(
            _("Filed with the agency on"),
            required=False,
            help_text=_("Empty: today. The filing (备案) is due by the date shown under Deadlines."),
        ),
    }


# ---------------------------------------------------------------- execution (cases/workflow/execution.py)

CORRECTION_KINDS = [
    ("stop", _("stop the violation (责令停止违法行为)")),
    ("correct", _("correct the violation (责令改正)")),
    ("stop_and_correct", _("stop and correct (责令停止违法行为并限期改正)")),
]
PLAN_KINDS = [
    ("deferral", _("deferral (暂缓缴纳)")),
    ("instalments", _("instalments (分期缴纳)")),
]
SUBJECT_CHOICES = [
    ("fine", _("the fine (罚款)")),
    ("orders", _("the orders of the decision (责令退还、拆除、恢复原状)")),
]
COURT_OUTCOME_CHOICES = [
    ("enforced", _("enforced (准予执行并已执行)")),
    ("not_accepted", _("not accepted (不予受理)")),
    ("refused", _("enforcement refused (裁定不准予执行)")),
    ("terminated", _("enforcement terminated (终结执行)")),
]


def _order_kinds() -> list[tuple[str, Any]]:
    from cases.workflow.execution import ORDER_KINDS, ORDER_LABELS

    return [(k, ORDER_LABELS[k]) for k in ORDER_KINDS]


def _days_field(label: Any, *, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=3650,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "15"}),
    )


def _order_select(label: Any, *, help_text: Any = "") -> forms.TypedChoiceField:
    # choices: the case's pending orders of the kind the act is for (ActionForm.__init__)
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None, help_text=help_text)


def _subject() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("What is enforced"), choices=SUBJECT_CHOICES, initial="fine", widget=forms.RadioSelect
    )


def _correction_fields() -> dict[str, forms.Field]:
    delivery = _delivery_fields(_("Notice delivered to the party on"))
    delivery["delivered_on"].help_text = _(
        "Empty: the day of issue. Not needed for a public notice: give the announcement date."
    )
    return {
        "kind": forms.ChoiceField(
            label=_("The notice orders the party to"),
            choices=CORRECTION_KINDS,
            initial="stop_and_correct",
            widget=forms.RadioSelect,
            help_text=_(
                "行政处罚法 Art.28: the agency orders the party to correct, or to correct within a deadline."
            ),
        ),
        "issued_on": _date(_("Notice issued on")),
        "content": _text(_("What the party is ordered to do"), rows=3),
        "days": _days_field(
            _("Days allowed to correct"),
            help_text=_(
                "Needed unless the notice only orders to stop. 2, 3, 5 or 7 days are working days, other "
                "periods calendar days (行政处罚法 Arts.28, 85)."
            ),
        ),
        **delivery,
    }


def _plan_fields() -> dict[str, forms.Field]:
    return {
        "kind": forms.ChoiceField(
            label=_("Deferral or instalments"),
            choices=PLAN_KINDS,
            initial="instalments",
            widget=forms.RadioSelect,
            help_text=_(
                "A party in real economic difficulty may, on application approved by the agency, pay "
                "later or in instalments (行政处罚法 Art.66)."
            ),
        ),
        "applied_on": _date(_("The party applied on")),
        "approved_on": _date(_("Approved on")),
        "reason": _text(_("Reason (the party's difficulty)"), rows=2),
        "due_date": _date(
            _("New due date (deferral)"),
            required=False,
            help_text=_("For a deferral only; after the current due date (行政处罚法 Art.66)."),
        ),
    }


def _court_outcome_fields() -> dict[str, forms.Field]:
    return {
        "subject": _subject(),
        "outcome": forms.ChoiceField(
            label=_("The court's outcome"), choices=COURT_OUTCOME_CHOICES, widget=forms.RadioSelect
        ),
        "decided_on": _date(_("Ruled on")),
        "measure": forms.ChoiceField(
            label=_("On-site measure taken in the enforcement"),
            choices=[
                ("", _("none")),
                ("seizure", _("seizure (查封、扣押)")),
                ("demolition", _("forced demolition (强制拆除)")),
            ],
            required=False,
            help_text=_("Whole-process audio-video recording is required for these (国办发〔2018〕118号)."),
        ),
        "collected_amount": _money(_("Amount collected by the court (yuan)")),
        "receipt_number": _line(
            _("Receipt number of the collected amount"),
            required=False,
            max_length=100,
        ),
        "note": _text(_("Note"), required=False, rows=2),
    }


class OrderRowForm(forms.Form):
    """One order of the decision (行政处罚法 Art.59; 土地管理法 Art.77): kind, what, and the deadline
    as days from receipt or a date (none for confiscated buildings, handed over by the agency)."""

    kind = forms.ChoiceField(label=_("Order"), required=False)
    description = _line(
        _("What exactly (e.g. which buildings, which parcel)"), required=False, max_length=500
    )
    days = _days_field(_("Days from receipt of the decision"))
    deadline = _date(_("or a deadline date"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = BLANK + _order_kinds()

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        kind, days, deadline = cd.get("kind"), cd.get("days"), cd.get("deadline")
        if not kind:
            if cd.get("description") or days or deadline:
                self.add_error("kind", _("Choose the kind of order."))
            return cd
        if kind == "confiscate_buildings":
            if days or deadline:
                self.add_error(
                    "days",
                    _(
                        "Confiscated buildings are handed over by the agency within 90 days "
                        "(土地管理法实施条例 Art.58): give no deadline."
                    ),
                )
        elif not days and not deadline:
            self.add_error("days", _("Give the deadline: days from receipt, or a date (行政处罚法 Art.59)."))
        elif days and deadline:
            self.add_error("deadline", _("Give days or a date, not both."))
        return cd

    def as_order(self) -> dict[str, Any] | None:
        cd = getattr(self, "cleaned_data", {}) or {}
        if not cd.get("kind"):
            return None
        order: dict[str, Any] = {"kind": cd["kind"], "description": (cd.get("description") or "").strip()}
        if cd.get("deadline"):
            order["deadline"] = cd["deadline"]
        elif cd.get("days"):
            order["days"] = cd["days"]
        return order


class InstalmentRowForm(forms.Form):
    """One instalment of a fine paid in instalments (行政处罚法 Art.66)."""

    due_date = _date(_("Due date"), required=False)
    amount = _money(_("Amount (yuan)"))

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        raw = (cd.get("amount") or "").strip()
        try:
            cd["amount"] = parse_amount(raw, positive=True)
        except forms.ValidationError as exc:
            self.add_error("amount", exc)
            return cd
        if cd["amount"] is not None and not cd.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", _("Give the due date of this instalment."))
        if cd.get("due_date") and cd["amount"] is None:
            self.add_error("amount", _("Give the amount of this instalment."))
        return cd

    def as_instalment(self) -> dict[str, Any] | None:
        cd = getattr(self, "cleaned_data", {}) or {}
        if not cd.get("due_date") or cd.get("amount") is None:
            return None
        return {"due_date": cd["due_date"], "amount": str(cd["amount"])}


ROW_EXTRA = 3
ROW_MAX = 12
OrderRowFormSet = forms.formset_factory(
    OrderRowForm, extra=ROW_EXTRA, max_num=ROW_MAX, absolute_max=ROW_MAX, validate_max=True
)
InstalmentRowFormSet = forms.formset_factory(
    InstalmentRowForm, extra=ROW_EXTRA, max_num=ROW_MAX, absolute_max=ROW_MAX, validate_max=True
)
# List-valued data keys: (formset class, legend, help text). Repeated rows that work without
# JavaScript (ROW_EXTRA blank rows; "add a row" re-renders the form with one more).
ACTION_ROWS: dict[str, dict[str, tuple[Any, Any, Any]]] = {
    "decide": {
        "orders": (
            OrderRowFormSet,
            _("Orders of the decision (责令退还土地、限期拆除、恢复原状、没收)"),
            _(
                "Each order with its deadline for the party (行政处罚法 Art.59; 土地管理法 Art.77). A "
                "decision to demolish must state the order and its deadline; leave unused rows empty."
            ),
        )
    },
    "approve_payment_plan": {
        "instalments": (
            InstalmentRowFormSet,
            _("Instalments"),
            _(
                "For instalments only: at least two, in order of due date, adding up to what is owed "
                "(行政处罚法 Art.66). Leave unused rows empty."
            ),
        )
    },
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
        "amount_reason": _amount_reason(),
        "report": _text(_("Investigation report"), required=False, rows=5),
    },
    "reinvestigate": lambda: {"reason": _text(_("What is to be investigated further"))},
    "notify": lambda: _delivery_fields(_("Notice delivered to the party on")),
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
        "amount_reason": _amount_reason(),
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
    "deliver": lambda: _delivery_fields(_("Delivered on")),
    "complete_execution": lambda: {
        "completed_on": _date(_("Execution completed on")),
        "paid_amount": _money(_("Amount paid (yuan)")),
        "receipt_number": _line(_("Payment receipt number"), required=False, max_length=100),
        "note": _text(_("Note"), required=False, rows=2),
    },
    # The summary procedure (cases/workflow/summary.py: clean_record, clean_decision, clean_payment, …)
    "record_on_spot": lambda: {
        "findings": _text(_("Facts found on the spot"), rows=4),
        "location": _line(_("Place (where the violation was found)"), required=False, max_length=255),
        "facts_certain": _flag(_("The facts are certain (违法事实确凿)")),
        "certificates_shown": _certificates_shown(),
    },
    "decide_on_spot": lambda: {
        "kinds": _kinds(_("Penalty kinds"), required=True),
        "amount": _money(_("Fine (yuan)")),
        "decided_on": _date(_("Decided on"), required=False, help_text=_("Empty: today.")),
        **_on_spot_decision_fields(),
    },
    "collect_on_spot": lambda: {
        "receipt_number": _line(_("Fiscal receipt number"), required=False, max_length=100),
        "hard_to_collect": _flag(_("The fine would be hard to collect afterwards")),
        "collected_on": _date(_("Collected on"), required=False, help_text=_("Empty: today.")),
    },
    "record_payment": lambda: {
        "channel": forms.ChoiceField(
            label=_("Channel"),
            choices=[(c, PaymentChannel(c).label) for c in (PaymentChannel.BANK, PaymentChannel.ONLINE)],
            initial=PaymentChannel.BANK,
            widget=forms.RadioSelect,
        ),
        "paid_amount": _money(_("Amount paid (yuan)")),
        "paid_on": _date(
            _("Paid on"),
            required=False,
            help_text=_("Needed with an amount; leave both empty when the payments are already recorded."),
        ),
        "receipt_number": _line(_("Payment receipt number"), required=False, max_length=100),
    },
    "hand_over_cash": lambda: {
        "handed_on": _date(_("Handed to the agency on"), required=False, help_text=_("Empty: today.")),
    },
    "file_with_agency": lambda: _filing_fields(),
    "file_pending_payment": lambda: _filing_fields(),
    # The execution stage and orders during the investigation (cases/workflow/execution.py)
    "order_correction": _correction_fields,
    "check_correction": lambda: {
        "checked_on": _date(_("Checked on")),
        "corrected": _flag(_("The violation has been stopped / corrected")),
        "finding": _text(
            _("Finding of the check"),
            rows=3,
            help_text=_("What the officers found on site (行政处罚法 Art.28)."),
        ),
    },
    "approve_payment_plan": _plan_fields,
    "verify_order": lambda: {
        "order": _order_select(
            _("Order verified"),
            help_text=_("The pending orders to return land, demolish or restore (土地管理法 Arts.77, 83)."),
        ),
        "verified_on": _date(_("Verified on site on")),
        "officer_ids": forms.TypedMultipleChoiceField(
            label=_("Officers who verified on site"),
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "At least two officers of the case certified for the field (行政处罚法 Arts.42, 55)."
            ),
        ),
        "finding": _text(_("Finding on site"), rows=3),
        "complied": _flag(_("The party has complied with the order"), initial=True),
    },
    "hand_over_confiscated": lambda: {
        "order": _order_select(
            _("Confiscation order"),
            help_text=_(
                "Confiscated buildings are handed to the government within 90 days "
                "(土地管理法实施条例 Art.58)."
            ),
        ),
        "handed_on": _date(_("Handed over on")),
        "recipient": _line(_("Received by (the people's government or its designated department)")),
        "note": _text(_("Note"), required=False, rows=2),
    },
    "serve_reminder": lambda: {
        "subject": _subject(),
        **_delivery_fields(_("Reminder delivered on")),
        "note": _text(
            _("Note"),
            required=False,
            rows=2,
            help_text=_(
                "The reminder states the obligation, its deadline, the amount and the party's right to "
                "state and defend (行政强制法 Art.35)."
            ),
        ),
    },
    "apply_to_court": lambda: {
        "subject": _subject(),
        "applied_on": _date(
            _("Applied on"),
            help_text=_(
                "10 working days after the reminder was served (行政强制法 Art.54), after the "
                "reconsideration and litigation periods, within 3 months (Art.53)."
            ),
        ),
        "court": _line(_("Court")),
        "note": _text(_("Note"), required=False, rows=2),
    },
    "record_court_outcome": _court_outcome_fields,
}


def action_needs_data(action: str) -> bool:
    return action in ACTION_FIELDS


class ActionForm(forms.Form):
    """One action's form: its fields from ACTION_FIELDS, its repeated rows from ACTION_ROWS (a formset
    per list-valued key) plus the case version the officer saw.

    `officers`: the agency's officers (chair of a hearing); `verifiers`: the case's officers certified
    for its field (on-site verification); `orders`: the case's orders (cases.Case.orders).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self,
        *args: Any,
        action: str,
        officers: Any = (),
        verifiers: Any = (),
        orders: Any = (),
        owed: Decimal | None = None,
        subject: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        spec = ACTION_FIELDS.get(action)
        for name, field in (spec() if spec else {}).items():
            self.fields[name] = field
        self.row_errors: dict[str, list[str]] = {}
        data = args[0] if args else kwargs.get("data")
        # a POST without a list's management form (an older page, a script) has no rows of it
        self.rows: dict[str, Any] = {
            name: formset(data, prefix=name)
            if data is not None and f"{name}-TOTAL_FORMS" in data
            else formset(prefix=name)
            for name, (formset, _legend, _help) in ACTION_ROWS.get(action, {}).items()
        }
        if "chair_id" in self.fields:
            chair = self.fields["chair_id"]
            assert isinstance(chair, forms.ChoiceField)
            chair.choices = BLANK + [(str(o.pk), o.name) for o in officers]
        if "officer_ids" in self.fields:
            ids = self.fields["officer_ids"]
            assert isinstance(ids, forms.ChoiceField)
            ids.choices = [(o.pk, o.name) for o in verifiers]
        if "order" in self.fields:
            self._order_choices(orders)
        if "subject" in self.fields and subject:
            self.fields["subject"].initial = subject
        self.owed = owed

    def _order_choices(self, orders: Any) -> None:
        from cases.workflow.execution import CONFISCATE, ORDER_LABELS

        wanted = {CONFISCATE} if self.action == "hand_over_confiscated" else None
        choices: list[tuple[Any, str]] = []
        for o in orders or []:
            if o.get("status") != "pending":
                continue
            fits = o["kind"] in wanted if wanted is not None else o["kind"] != CONFISCATE
            if not fits:
                continue
            label = f"{o['n']}. {ORDER_LABELS.get(o['kind'], o['kind'])}"
            if o.get("description"):
                label += f" — {o['description']}"
            if o.get("due_on"):
                label += " " + str(_("(due %(on)s)") % {"on": o["due_on"]})
            choices.append((o["n"], label))
        field = self.fields["order"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = BLANK + choices
        if len(choices) == 1 and not self.is_bound:
            field.initial = choices[0][0]

    # ---------------------------------------------------------------- repeated rows

    def row_sets(self) -> list[dict[str, Any]]:
        """For the template: each formset with its legend, help text and the errors on the list."""
        spec = ACTION_ROWS.get(self.action, {})
        out = []
        for name, formset in self.rows.items():
            _cls, legend, help_text = spec[name]
            if name == "instalments" and self.owed is not None:
                help_text = format_lazy(
                    "{} {}", help_text, _("Owed now: %(owed)s yuan.") % {"owed": self.owed}
                )
            errors: list[Any] = list(self.row_errors.get(name, []))
            if self.is_bound and formset.is_bound:
                errors = [*formset.non_form_errors(), *errors]
            out.append(
                {
                    "name": name,
                    "formset": formset,
                    "legend": legend,
                    "help_text": help_text,
                    "errors": errors,
                    "can_add": formset.total_form_count() < ROW_MAX,
                }
            )
        return out

    def add_refusal(self, name: str | None, message: str) -> None:
        """A refusal of the service or the declaration, next to the field (or the rows) it concerns."""
        if name in self.fields:
            self.add_error(name, message)
        elif name in self.rows:
            self.row_errors.setdefault(name, []).append(message)
        else:
            self.add_error(None, message)

    def quiet(self) -> ActionForm:
        """Keep what was typed but show no errors (re-rendered to add a row, nothing submitted)."""
        from django.forms.utils import ErrorDict, ErrorList

        self._errors = ErrorDict()
        self.cleaned_data = {}
        for formset in self.rows.values():
            for form in formset.forms:
                form._errors = ErrorDict()
                form.cleaned_data = {}
            formset._errors = [ErrorDict() for _f in formset.forms]
            formset._non_form_errors = ErrorList()
        return self

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(formset.is_valid() for formset in self.rows.values() if formset.is_bound)])

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if self.action == "order_correction" and cd.get("kind") in ("correct", "stop_and_correct"):
            if not cd.get("days"):
                self.add_error(
                    "days",
                    _("Give the days allowed to correct (行政处罚法 Art.28: correct within a deadline)."),
                )
        if self.action == "approve_payment_plan":
            if cd.get("kind") == "deferral" and not cd.get("due_date"):
                self.add_error("due_date", _("A deferral needs the new due date (行政处罚法 Art.66)."))
        if self.action == "verify_order" and len(set(cd.get("officer_ids") or [])) == 1:
            self.add_error(
                "officer_ids",
                _("Choose at least two officers who verified on site (行政处罚法 Arts.42, 55)."),
            )
        if self.action == "record_court_outcome":
            try:
                amount = parse_amount(cd.get("collected_amount") or "")
            except forms.ValidationError as exc:
                self.add_error("collected_amount", exc)
            else:
                if amount and not (cd.get("receipt_number") or "").strip():
                    self.add_error(
                        "receipt_number",
                        _("Money collected by the court is recorded with its receipt number."),
                    )
        return cd

    def _rows_for_service(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        orders = self.rows.get("orders")
        if orders is not None:
            out["orders"] = [o for f in orders.forms if (o := f.as_order()) is not None]
        instalments = self.rows.get("instalments")
        if instalments is not None and self.cleaned_data.get("kind") == "instalments":
            items = [i for f in instalments.forms if (i := f.as_instalment()) is not None]
            if len(items) < 2:
                self.row_errors.setdefault("instalments", []).append(
                    str(_("Give at least two instalments with due date and amount (行政处罚法 Art.66)."))
                )
            out["instalments"] = items
        return out

    def rows_valid(self) -> bool:
        """The list-level checks that need the cleaned rows (run after is_valid)."""
        self._row_data = self._rows_for_service()
        return not any(self.row_errors.values())

    def data_for_service(self) -> dict[str, Any]:
        """The `data` of `case_act`: the cleaned values under the declaration's keys."""
        cd = dict(self.cleaned_data)
        out: dict[str, Any] = {"version": cd.pop("version")}
        crime_decision, crime_reason = cd.pop("crime_decision", None), cd.pop("crime_reason", "")
        if crime_decision:
            out["crime_transfer"] = {"decision": crime_decision, "reason": crime_reason}
        if self.action == "approve_payment_plan" and cd.get("kind") == "instalments":
            cd.pop("due_date", None)
        for key, value in cd.items():
            if key == "points":
                out[key] = _points(value)
            elif key in ("amount", "kinds") and self.action == "decide" and not value:
                continue  # absent: the decision keeps what was notified
            elif key in ("kinds", "officer_ids"):
                out[key] = list(value)
            elif value is not None:
                out[key] = value
        rows = getattr(self, "_row_data", None)
        out.update(rows if rows is not None else self._rows_for_service())
        return out


# A refusal of the declaration (its code) on an action's form, and the field(s) it concerns: the
# first of them that the form has gets the message with its article (the list stays on top).
ACTION_VIOLATION_FIELDS: dict[str, tuple[str, ...]] = {
    "order_missing": ("orders",),
    "order_deadline_passed": ("delivered_on",),
    "order_not_pending": ("order",),
    "no_pending_order": ("order",),
    "date_before_delivery": ("verified_on", "handed_on"),
    "verifiers_not_certified": ("officer_ids",),
    "payment_plan_invalid": ("instalments", "due_date"),
    "obligation_not_overdue": ("subject",),
    "no_reminder": ("subject",),
    "reminder_period_running": ("applied_on",),
    "remedy_period_running": ("applied_on",),
    "remedy_pending": ("applied_on",),
    "court_window_passed": ("applied_on",),
    "nothing_to_enforce": ("subject",),
    "no_court_application": ("subject",),
    "act_already_ended": ("kind",),
    "amount_reason_required": ("amount_reason",),
    "amount_above_statutory_maximum": ("amount",),
    "heavier_than_notified": ("kinds",),
    "crime_transfer_undecided": ("crime_decision",),
    "delivery_before_decision": ("delivered_on",),
    "hearing_notice_late": ("notice_on",),
    "chair_investigated": ("chair_id",),
    "chair_other_agency": ("chair_id",),
}


def add_action_violations(form: ActionForm, violations: list[dict[str, str]]) -> None:
    """Each refused rule next to the field it concerns on an action's form, with its article."""
    for v in violations:
        names = list(ACTION_VIOLATION_FIELDS.get(v["code"], ()))
        if v["code"] == "payment_plan_invalid" and form.data.get("kind") == "deferral":
            names = ["due_date"]
        name = next((n for n in names if n in form.fields or n in form.rows), None)
        if name is None:
            continue
        text = f"{v['message']}（{v['basis']}）" if v.get("basis") else v["message"]
        if name in form.rows:
            form.row_errors.setdefault(name, []).append(text)
        else:
            form.errors.setdefault(name, form.error_class()).append(text)


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

    static_rendering = True  # unbound HTML is the same for every case (core's render_form)

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
    """The case list's filters (GET). Unbound, its HTML depends on nothing but the language: rendered
    once per process (core.templatetags.zhifa_ui.render_form)."""

    static_rendering = True

    q = forms.CharField(
        label=_("Search case number, party name or title"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    mine = forms.BooleanField(label=_("My cases only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

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
    """简易程序 on the spot: party, officers, facts, notice, decision, delivery and payment in one form
    → cases.services.summary.summary_case_record (all or nothing). The form checks the shape of what
    was typed; the law's conditions are the declaration's guards (cases/workflow/summary.py), whose
    refusals the view shows next to the fields they concern (`VIOLATION_FIELDS`)."""

    # 1. the party
    party_type = _choice(_("Party type"), PartyType.choices)
    party_name = _line(_("Name of the party"))
    id_number = _line(_("Identity number (身份证号 or 统一社会信用代码)"), max_length=32)
    party_address = _line(_("Address"), required=False, max_length=255)
    # 2. the officers
    field_code = forms.ChoiceField(
        label=_("Field of enforcement"),
        required=False,
        help_text=_(
            "The fields your enforcement certificate covers; both officers must be certified for it "
            "(行政处罚法 Art.42). The list of second officers follows the field chosen."
        ),
    )
    co_officer_id = forms.TypedChoiceField(
        label=_("Second officer on the spot"),
        coerce=int,
        empty_value=None,
        help_text=_("At least two officers certified for the field (行政处罚法 Arts.42, 52)."),
    )
    certificates_shown = _certificates_shown()
    # 3. the facts
    findings = _text(_("Facts found on the spot"), rows=4)
    location = forms.CharField(
        label=_("Place (where the violation was found)"),
        max_length=255,
        help_text=_("The decision states the place (行政处罚法 Art.52)."),
    )
    facts_certain = forms.BooleanField(
        label=_("The facts are certain (违法事实确凿)"),
        required=False,
        help_text=_("Otherwise use the general procedure (行政处罚法 Art.51)."),
    )
    # 4.–6. notice, statement, decision, delivery: the fields shared with the action form
    kinds = forms.MultipleChoiceField(
        label=_("Penalty"),
        choices=SUMMARY_KINDS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A warning, or a fine of at most 200 yuan for a natural person or 3,000 yuan for an "
            "organisation (行政处罚法 Art.51)."
        ),
    )
    amount = _money(_("Fine (yuan)"))
    # 7. the payment
    payment = forms.ChoiceField(
        label=_("Payment"), choices=SUMMARY_PAYMENT, initial="later", widget=forms.RadioSelect, required=False
    )
    receipt_number = _line(_("Fiscal receipt number"), required=False, max_length=100)
    hard_to_collect = _flag(_("The fine would be hard to collect afterwards"))

    # The wizard's steps, in order: (title, field names).
    STEPS: list[tuple[Any, tuple[str, ...]]] = [
        (_("Party"), ("party_type", "party_name", "id_number", "party_address")),
        (_("Officers on the spot"), ("field_code", "co_officer_id", "certificates_shown")),
        (_("Facts and legal basis"), ("findings", "location", "facts_certain", "legal_basis")),
        (
            _("Notice, statement and defence"),
            ("rights_informed", "party_statement", "statement_response"),
        ),
        (_("Decision"), ("kinds", "amount", "remedies_informed")),
        (_("Handing over the decision"), ("party_signed", "refusal_note")),
        (_("Payment of the fine"), ("payment", "receipt_number", "hard_to_collect")),
    ]

    def __init__(
        self, *args: Any, co_officers: Any = (), enforcement_fields: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_on_spot_decision_fields())
        field = self.fields["co_officer_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = BLANK + [(str(o.pk), str(o.name)) for o in co_officers]
        codes = self.fields["field_code"]
        assert isinstance(codes, forms.ChoiceField)
        codes.choices = [(str(code), str(name)) for code, name in enforcement_fields]

    def steps(self) -> list[tuple[Any, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.STEPS]

    def clean_amount(self) -> str:
        raw = (self.cleaned_data.get("amount") or "").strip()
        parse_amount(raw)
        return raw

    def clean_field_code(self) -> str:
        """Empty (an older page): the field the wizard offered first (land by default)."""
        return str(self.cleaned_data.get("field_code") or self.initial.get("field_code") or "land")

    def data_for_service(self) -> dict[str, Any]:
        """The keyword arguments of summary_case_record."""
        cd = dict(self.cleaned_data)
        raw = cd.pop("amount") or ""
        kinds = list(cd.pop("kinds"))
        return {
            **cd,
            "kinds": kinds,
            "amount": parse_amount(raw) if "fine" in kinds else None,
            "payment": cd.get("payment") or "later",
            "co_officer_id": cd["co_officer_id"],
            "legal_basis": cd["legal_basis"].strip(),
            "location": cd["location"].strip(),
            "party_statement": (cd.get("party_statement") or "").strip(),
            "statement_response": (cd.get("statement_response") or "").strip(),
            "refusal_note": (cd.get("refusal_note") or "").strip(),
        }


# A refusal of the declaration (its code) and the wizard field it concerns, to show it there too.
VIOLATION_FIELDS: dict[str, str] = {
    "two_officers_required": "co_officer_id",
    "certificates_not_shown": "certificates_shown",
    "no_party": "party_name",
    "party_identity_invalid": "id_number",
    "facts_not_certain": "facts_certain",
    "summary_kind_not_allowed": "kinds",
    "summary_fine_too_high": "amount",
    "decision_content_missing": "legal_basis",
    "statement_right_not_told": "rights_informed",
    "statement_not_answered": "statement_response",
    "remedies_not_stated": "remedies_informed",
    "receipt_not_signed": "refusal_note",
    "on_spot_collection_refused": "payment",
    "no_fiscal_receipt": "receipt_number",
}


def add_violations(form: forms.BaseForm, violations: list[dict[str, str]]) -> None:
    """Each refused rule next to the field it concerns, with its article (the list stays on top)."""
    for v in violations:
        name = VIOLATION_FIELDS.get(v["code"])
        if name in form.fields:
            text = f"{v['message']}（{v['basis']}）" if v.get("basis") else v["message"]
            form.add_error(name, text)


# ---------------------------------------------------------------- the case page's own forms

SQM_PER_MU = Decimal("10000") / Decimal("15")  # 1 亩 = 666.67 m²
CENT = Decimal("0.01")

# catalog.LandClass values (cases may not import catalog.models); the catalog validates them again.
LAND_CLASSES = [
    ("basic_farmland", _("permanent basic farmland (永久基本农田)")),
    ("farmland", _("cultivated land (耕地)")),
    ("other", _("other land (其他土地)")),
]

# Facts that the discretion standard, the exemptions list (行政处罚法 Art.33) and the catalog's
# major-decision rules read, each with its label. Only those `case_facts_update` accepts are shown.
FACT_FLAGS: list[tuple[str, Any]] = [
    ("first_violation", _("First violation (初次违法)")),
    ("minor", _("The violation is minor (违法行为轻微)")),
    ("minor_harm", _("The harm is minor (危害后果轻微)")),
    ("no_harm", _("No harm was caused (没有造成危害后果)")),
    ("promptly_corrected", _("Promptly corrected (及时改正)")),
    ("reduced_harm", _("The party reduced the harm itself (Art.32, 主动消除或者减轻危害后果)")),
    ("coerced", _("The party was coerced or deceived (Art.32, 受他人胁迫或者诱骗)")),
    ("confessed", _("The party confessed violations unknown to the agency (Art.32, 主动供述)")),
    ("assisted", _("The party helped the investigation (Art.32, 配合查处有立功表现)")),
    ("buildings", _("New buildings stand on the land (违法用地上新建建筑物)")),
    ("major_rights", _("Major rights of the party or a third party are concerned (Art.58)")),
    ("major_public_interest", _("Major public interest is concerned (Art.58)")),
    ("complex_case", _("Difficult or complex case with several legal relationships (Art.58)")),
    (
        "limitation_extended",
        _("Public life, health or financial security was harmed (5-year limitation, Art.36)"),
    ),
]
FACT_AMOUNTS: list[tuple[str, Any]] = [
    ("illegal_income", _("Illegal income (yuan)")),
    ("confiscation_value", _("Value of what would be confiscated (yuan)")),
    ("fee", _("Fee the fine is a multiple of (yuan; e.g. cultivation fee)")),
]
FACT_TEXTS: list[tuple[str, Any]] = [
    ("village", _("Village")),
    ("parcel", _("Parcel")),
]


def _accepted_facts() -> set[str]:
    from cases.services.cases import FACT_KEYS

    return set(FACT_KEYS)


def parse_amount(raw: str, *, positive: bool = False) -> Decimal | None:
    """Yuan with at most two places (never float); None when empty; ValidationError otherwise."""
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise forms.ValidationError(_("Enter an amount in yuan, e.g. 50.00.")) from None
    if not value.is_finite() or value < 0 or value != value.quantize(CENT) or value >= Decimal("1e12"):
        raise forms.ValidationError(_("Enter an amount in yuan, e.g. 50.00."))
    if positive and value <= 0:
        raise forms.ValidationError(_("Enter an amount greater than zero."))
    return value


class CaseFactsForm(forms.Form):
    """The facts used by discretion and the guards → case_facts_update."""

    violation_code = forms.ChoiceField(label=_("Violation (discretion standard)"), required=False)
    act_started_on = _date(_("Act started on"), required=False)
    act_ended_on = _date(_("Act ended on"), required=False, help_text=_("Empty while the act continues."))
    continuing = _flag(_("The act continues (持续状态)"))
    land_class = _choice(_("Land class"), LAND_CLASSES, required=False)
    area_m2 = forms.CharField(
        label=_("Area (m²)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "666.67"}),
        help_text=_("1 亩 = 666.67 m²; leave empty and give 亩 below to have it converted."),
    )
    area_mu = forms.CharField(
        label=_("Area (亩)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1"}),
    )
    # For the documents when the catalog and the records app do not give them (cases/documents.py).
    legal_basis = forms.CharField(
        label=_("Legal basis (provisions violated)"),
        required=False,
        max_length=500,
        help_text=_("E.g. 《土地管理法》第七十七条第一款; used when the power list gives none."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line; the records app's evidence list comes first."),
    )

    def __init__(self, *args: Any, violations: Any = (), case: Any = None, **kwargs: Any) -> None:
        if case is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(case)
        super().__init__(*args, **kwargs)
        accepted = _accepted_facts()
        self.flags = [key for key, _label in FACT_FLAGS if key in accepted]
        self.amounts = [key for key, _label in FACT_AMOUNTS if key in accepted]
        self.texts = [key for key, _label in FACT_TEXTS if key in accepted]
        for key, label in FACT_AMOUNTS:
            if key in self.amounts:
                self.fields[key] = _money(label)
        for key, label in FACT_TEXTS:
            if key in self.texts:
                self.fields[key] = _line(label, required=False)
        for key, label in FACT_FLAGS:
            if key in self.flags:
                self.fields[key] = _flag(label)
        code = self.fields["violation_code"]
        assert isinstance(code, forms.ChoiceField)
        choices = [(str(c), str(name)) for c, name in violations]
        current = self.initial.get("violation_code") or (case.violation_code if case is not None else "")
        if current and current not in {c for c, _n in choices}:
            choices.append((current, current))
        code.choices = BLANK + choices

    @staticmethod
    def initial_for(case: Any) -> dict[str, Any]:
        facts = dict(case.facts or {})
        initial: dict[str, Any] = {
            "violation_code": case.violation_code,
            "act_started_on": case.act_started_on,
            "act_ended_on": case.act_ended_on,
            "continuing": case.act_started_on is not None and case.act_ended_on is None,
        }
        for key, value in facts.items():
            initial[key] = value
        if isinstance(initial.get("evidence"), list):
            initial["evidence"] = "\n".join(str(e) for e in initial["evidence"])
        return initial

    def clean_area_m2(self) -> Decimal | None:
        return parse_amount(self.cleaned_data.get("area_m2") or "")

    def clean_area_mu(self) -> Decimal | None:
        raw = (self.cleaned_data.get("area_mu") or "").strip()
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a number of 亩, e.g. 1.5.")) from None
        if not value.is_finite() or value < 0 or value >= Decimal("1e9"):
            raise forms.ValidationError(_("Enter a number of 亩, e.g. 1.5."))
        return value

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        for key in self.amounts:
            if key in cd:
                try:
                    cd[key] = parse_amount(cd.get(key) or "")
                except forms.ValidationError as exc:
                    self.add_error(key, exc)
        today = timezone.localdate()
        started, ended = cd.get("act_started_on"), cd.get("act_ended_on")
        if started and started > today:
            self.add_error("act_started_on", _("The act cannot start in the future."))
        if ended and ended > today:
            self.add_error("act_ended_on", _("The act cannot end in the future; tick “continues” instead."))
        if cd.get("continuing") and ended:
            self.add_error("act_ended_on", _("An act that continues has no end date; clear one of them."))
        if ended and not started:
            self.add_error("act_started_on", _("Give the day the act started."))
        return cd

    def data_for_service(self) -> dict[str, Any]:
        """The keyword arguments of case_facts_update."""
        cd = self.cleaned_data
        area = cd.get("area_m2")
        if area is None and cd.get("area_mu") is not None:
            area = (cd["area_mu"] * SQM_PER_MU).quantize(CENT, rounding=ROUND_HALF_UP)
        facts: dict[str, Any] = {
            "land_class": cd.get("land_class") or "",
            "area_m2": "" if area is None else str(area),
        }
        for key in self.amounts:
            value = cd.get(key)
            facts[key] = "" if value is None else str(value)
        for key in self.texts:
            facts[key] = (cd.get(key) or "").strip()
        for key in self.flags:
            facts[key] = bool(cd.get(key))
        facts["legal_basis"] = (cd.get("legal_basis") or "").strip()
        facts["evidence"] = [line.strip() for line in (cd.get("evidence") or "").splitlines() if line.strip()]
        return {
            "violation_code": cd.get("violation_code") or "",
            "act_started_on": cd.get("act_started_on"),
            "act_ended_on": cd.get("act_ended_on"),
            "continuing": bool(cd.get("continuing")),
            "facts": {k: v for k, v in facts.items() if k in _accepted_facts()},
        }

    def flag_fields(self) -> list[Any]:
        return [self[key] for key in self.flags]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in self.flags]


class PaymentForm(forms.Form):
    """缴款 → payment_record."""

    static_rendering = True  # unbound HTML is the same for every case (core's render_form)

    amount = _money(_("Amount paid (yuan)"), required=True)
    paid_on = _date(_("Paid on"))
    receipt_number = _line(_("Payment receipt number"), max_length=100)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=PaymentChannel.choices, initial=PaymentChannel.BANK
    )

    def clean_amount(self) -> Decimal | None:
        return parse_amount(self.cleaned_data.get("amount") or "", positive=True)

    def clean_paid_on(self) -> Any:
        paid_on = self.cleaned_data.get("paid_on")
        if paid_on and paid_on > timezone.localdate():
            raise forms.ValidationError(_("The payment date cannot lie in the future."))
        return paid_on


class DeliveryScanForm(forms.Form):
    """The scan of the signed 送达回证: uploaded here (→ delivery_receipt_scan_upload) or chosen among
    the case's files uploaded on the records page (→ delivery_receipt_scan_link). Any number is passed
    on: the service says, in Chinese, when it is not a file of this case."""

    scan = forms.FileField(
        label=_("Scan or photo of the signed receipt (image or PDF)"),
        required=False,
    )
    file_id = forms.IntegerField(label=_("or a file already uploaded on the records page"), required=False)

    def __init__(self, *args: Any, files_offered: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file_id"].widget = forms.Select(choices=[("", "—"), *(files_offered or [])])
        self.fields["scan"].widget.attrs["accept"] = "image/*,application/pdf"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("scan") and not data.get("file_id"):
            raise forms.ValidationError(
                _("Upload the scan of the signed receipt, or choose a file already uploaded to this case.")
            )
        if data.get("scan") and data.get("file_id"):
            raise forms.ValidationError(_("Upload a scan or choose a file, not both."))
        return data


class RemedyForm(forms.Form):
    """复议 / 诉讼 application → remedy_record."""

    static_rendering = True  # unbound HTML is the same for every case (core's render_form)

    kind = _choice(_("Kind"), RemedyKind.choices)
    filed_on = _date(_("Filed on"))
    body = _line(_("Reconsideration body or court"))
    note = _text(_("Note"), required=False, rows=2)


class RemedyOutcomeForm(forms.Form):
    """Outcome of a reconsideration or suit → remedy_outcome_record."""

    static_rendering = True  # unbound HTML is the same for every case (core's render_form)

    outcome = _choice(_("Outcome"), RemedyOutcome.choices)
    decided_on = _date(_("Decided on"))
    changed_kinds = _kinds(_("Changed penalty kinds (only when changed)"))
    changed_amount = _money(_("Changed fine (yuan; only when changed)"))
    note = _text(_("Note"), required=False, rows=2)

    def clean_changed_amount(self) -> Decimal | None:
        return parse_amount(self.cleaned_data.get("changed_amount") or "")

    def data_for_service(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "outcome": cd["outcome"],
            "decided_on": cd["decided_on"],
            "changed_amount": cd.get("changed_amount"),
            "changed_kinds": list(cd["changed_kinds"]) if cd.get("changed_kinds") else None,
            "note": cd.get("note") or "",
        }


class RecusalApplyForm(forms.Form):
    """回避 application (行政处罚法 Art.43) by the officer or on the party's application."""

    officer_id = forms.ChoiceField(label=_("Officer asked to withdraw"))
    applied_by = forms.ChoiceField(
        label=_("Applied for by"), choices=RecusalApplicant.choices, widget=forms.RadioSelect
    )
    reason = _text(_("Reason for the recusal"), rows=2)

    def __init__(self, *args: Any, officers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = BLANK + [(str(o.pk), o.name) for o in officers]


RECUSAL_DECISIONS = [("granted", _("grant: the officer withdraws")), ("refused", _("refuse"))]


class RecusalDecideForm(forms.Form):
    """The head decides a recusal and, when granting, may name the officer who takes over."""

    decision = forms.ChoiceField(label=_("Decision"), choices=RECUSAL_DECISIONS, widget=forms.RadioSelect)
    reason = _text(_("Reason for the decision"), required=False, rows=2)
    replacement_id = forms.ChoiceField(label=_("Officer who takes over (when granted)"), required=False)

    def __init__(self, *args: Any, officers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["replacement_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = BLANK + [(str(o.pk), o.name) for o in officers]

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if cd.get("decision") == "refused" and cd.get("replacement_id"):
            self.add_error("replacement_id", _("Name a replacement only when the recusal is granted."))
        return cd
