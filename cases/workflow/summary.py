"""The summary procedure (简易程序) of an administrative penalty case, declared on the same engine.

On-the-spot record → decision on the spot, handed to the party (当场交付) → paid on the spot (当场收缴)
or to be paid at the bank, or a warning → filed with the agency (备案) → closed → archived.
Rules: LEGAL.md §1 (行政处罚法 Arts.42, 44–45, 51–53, 67–71, 85) and §7 (day counting).

- Who: at least two officers certified for the field, who show their certificates (Art.42: "执法人员
  不得少于两人"; Art.52 makes no exception for the summary procedure, LEGAL.md §1 "Officers").
- When: facts certain with a legal basis, and a warning or a fine ≤ 200 yuan for a natural person /
  ≤ 3,000 yuan for an organisation (Art.51).
- Before deciding: the party is told the facts, reasons and basis and the right to state and defend
  (Art.44), their statement is answered (Art.45); the decision states the violation, penalty and
  basis, amount, time, place, the route and period for reconsideration and litigation (Art.52).
- The numbered decision is handed over on the spot: a `Delivery` (直接送达, in person) with the
  party's signature or the refusal noted on the decision (Art.52).
- The fine is collected on the spot only if ≤ 100 yuan or hard to collect afterwards (Art.68), against
  a fiscal receipt (Art.70), recorded as a `Payment` (channel 当场收缴); the cash reaches the agency
  within 2 working days (Art.71, a deadline). Otherwise the party pays within 15 days (Arts.53, 67).
- 备案 (Art.52): the decision is filed with the agency; a deadline started at the decision
  (`cases.summary_filing_workdays`, default 2 working days — the statute sets no period, LEGAL.md
  gives none: an [U] agency/provincial figure) and satisfied by the filing, flagged when late.

Statuses reuse `CaseStatus` values: lead → registered (recorded on the spot) → decided → executing
(fine to be paid) / executed → closed → archived. The filing is orthogonal to the payment (a fine paid
at the bank takes up to 15 days, the filing is due in 2 working days), so it is an act recorded without
a status change, from "fine to be paid" (`file_pending_payment`) or "executed" (`file_with_agency`);
`close` requires it. Summary-specific data lives under `case.facts["summary"]` and in the event
payloads.

Figures are legal settings (seeded by cases/0005): `cases.summary_fine_max_person` (200),
`cases.summary_fine_max_organisation` (3000), `cases.on_spot_collection_max` (100),
`cases.cash_handover_workdays` (2), `cases.summary_filing_workdays` (2), and
`cases.payment_calendar_days` (15, cases/0002).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CaseOfficer, PartyType, PaymentChannel, PenaltyKind
from cases.models import CaseStatus as S
from cases.selectors import case_deadlines, legal_setting
from cases.workflow import guards as g
from cases.workflow.documents import document_gaps, issue_document
from cases.workflow.effects import (
    assign,
    cancel_open_deadlines,
    satisfy_deadline,
    start_deadline,
    start_payment_deadline,
    take_number,
)
from cases.workflow.engine import Context, Transition, Violation, Workflow
from cases.workflow.penalty import PAYMENT, clean_nothing
from core.errors import ValidationFailed
from org.selectors import officers_may_investigate

CASH_HANDOVER = "cases.cash_handover"
FILING = "cases.summary_filing"
SUMMARY_KINDS = (PenaltyKind.WARNING.value, PenaltyKind.FINE.value)
BANK_CHANNELS = (PaymentChannel.BANK.value, PaymentChannel.ONLINE.value)

# Legal settings read by this procedure: key → (default, description, basis). Seeded by the data
# migration cases/0005 from this table; an administrator changes them as ledger acts.
SETTINGS: dict[str, tuple[int, str, str]] = {
    "cases.summary_fine_max_person": (
        200,
        "summary procedure: highest fine for a natural person (yuan)",
        "行政处罚法 Art.51",
    ),
    "cases.summary_fine_max_organisation": (
        3000,
        "summary procedure: highest fine for a legal person or other organisation (yuan)",
        "行政处罚法 Art.51",
    ),
    "cases.on_spot_collection_max": (
        100,
        "fine collected on the spot without further ground (yuan)",
        "行政处罚法 Art.68(一)",
    ),
    "cases.cash_handover_workdays": (
        2,
        "cash collected on the spot handed to the agency within (working days)",
        "行政处罚法 Art.71",
    ),
    "cases.summary_filing_workdays": (
        2,
        "on-the-spot decision filed with the agency (备案) within (working days); the statute sets no "
        "period: agency/provincial rule [U]",
        "行政处罚法 Art.52",
    ),
}

# Labels of the ledger acts `case.<action>` this procedure writes (registered in cases/apps.py).
ACT_LABELS: dict[str, Any] = {
    "case.record_on_spot": gettext_lazy("Facts recorded on the spot (summary procedure)"),
    "case.decide_on_spot": gettext_lazy("Penalty decided on the spot"),
    "case.collect_on_spot": gettext_lazy("Fine collected on the spot"),
    "case.await_payment": gettext_lazy("Fine left to be paid at the bank"),
    "case.record_payment": gettext_lazy("Payment of the fine recorded"),
    "case.execute_warning": gettext_lazy("Warning executed"),
    "case.hand_over_cash": gettext_lazy("Cash collected on the spot handed to the agency"),
    "case.file_with_agency": gettext_lazy("On-the-spot decision filed with the agency"),
    "case.file_pending_payment": gettext_lazy("On-the-spot decision filed with the agency (fine unpaid)"),
}


def summary_facts(case: Any) -> dict[str, Any]:
    value = (case.facts or {}).get("summary")
    return dict(value) if isinstance(value, dict) else {}


def _limit(key: str) -> Decimal:
    default = SETTINGS[key][0]
    try:
        return Decimal(str(legal_setting(key, default)))
    except (InvalidOperation, ValueError):
        return Decimal(default)


def fine_limit(case: Any) -> Decimal:
    """Art.51: 200 yuan for a natural person, 3,000 yuan for a legal person or other organisation."""
    if g.party_kind(case) == "individual":
        return _limit("cases.summary_fine_max_person")
    return _limit("cases.summary_fine_max_organisation")


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


# ---------------------------------------------------------------- request bodies


def clean_record(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "findings": g.require_text(data, "findings"),
        "facts_certain": bool(data.get("facts_certain")),
        "certificates_shown": bool(data.get("certificates_shown")),
        "location": _text(data, "location"),
        "recorded_on": g.parse_date(data, "recorded_on", required=False),
    }


def clean_decision(data: Mapping[str, Any]) -> dict[str, Any]:
    kinds = g.parse_kinds(data, "kinds") or []
    if not kinds:
        raise ValidationFailed(
            _("Choose the penalty: a warning or a fine."),
            field_errors={"kinds": [_("Choose at least one kind of penalty.")]},
        )
    amount = g.parse_money(data, "amount")
    if PenaltyKind.FINE in kinds and amount is None:
        raise ValidationFailed(
            _("A fine needs its amount in yuan."),
            field_errors={"amount": [_("Give the amount of the fine.")]},
        )
    if PenaltyKind.FINE in kinds and amount is not None and amount <= 0:
        raise ValidationFailed(
            _("A fine needs its amount in yuan."),
            field_errors={"amount": [_("Enter an amount above zero.")]},
        )
    return {
        "kinds": kinds,
        "amount": amount if PenaltyKind.FINE in kinds else None,
        "decided_on": g.parse_date(data, "decided_on", required=False),
        "legal_basis": _text(data, "legal_basis"),
        "rights_informed": bool(data.get("rights_informed")),
        "remedies_informed": bool(data.get("remedies_informed")),
        "party_statement": _text(data, "party_statement"),
        "statement_response": _text(data, "statement_response"),
        "party_signed": bool(data.get("party_signed")),
        "refusal_note": _text(data, "refusal_note"),
    }


def clean_collection(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "collected_on": g.parse_date(data, "collected_on", required=False),
        "receipt_number": _text(data, "receipt_number"),
        "hard_to_collect": bool(data.get("hard_to_collect")),
    }


def clean_payment(data: Mapping[str, Any]) -> dict[str, Any]:
    amount = g.parse_money(data, "paid_amount")
    channel = _text(data, "channel") or PaymentChannel.BANK.value
    if channel not in BANK_CHANNELS:
        raise ValidationFailed(
            _("A fine left to be paid is paid at the designated bank or online."),
            field_errors={"channel": [_("Choose the bank or online payment.")]},
        )
    return {
        "paid_on": g.parse_date(data, "paid_on", required=amount is not None),
        "paid_amount": amount,
        "receipt_number": _text(data, "receipt_number"),
        "channel": channel,
    }


def clean_handover(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"handed_on": g.parse_date(data, "handed_on", required=False)}


def clean_filing(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"filed_on": g.parse_date(data, "filed_on", required=False)}


# ---------------------------------------------------------------- guards: who and whom


def on_spot_officers(ctx: Context) -> Violation | None:
    """Art.42 (two officers, no exception for the summary procedure in Art.52): at least two distinct
    active case officers certified for the field."""
    officers = [
        co.officer
        for co in CaseOfficer.objects.filter(case=ctx.case, active=True).select_related("officer__user")
    ]
    verdict = officers_may_investigate(officers=officers, field_code=ctx.case.field_code, on=ctx.today)
    if verdict.allowed:
        return None
    qualified = sum(1 for v in verdict.per_officer.values() if v.allowed) if verdict.per_officer else 0
    reasons = "；".join(str(v.reason) for v in (verdict.per_officer or {}).values() if not v.allowed)
    message = _(
        "A penalty decided on the spot needs at least two officers certified for this field, both on the "
        "case; %(count)d qualify. Assign a second certified officer or use the general procedure."
    ) % {"count": qualified}
    return Violation("two_officers_required", f"{message} {reasons}".strip(), "行政处罚法 Arts.42, 52")


def certificates_shown(ctx: Context) -> Violation | None:
    """Art.52: the officers show their enforcement certificates to the party."""
    if ctx.preview and ctx.action == "record_on_spot":
        return None
    data = ctx.data if "certificates_shown" in ctx.data else summary_facts(ctx.case)
    if data.get("certificates_shown"):
        return None
    return Violation(
        "certificates_not_shown",
        _(
            "The officers must show their enforcement certificates (执法证件) to the party; "
            "record that they did."
        ),
        "行政处罚法 Art.52",
    )


def party_identified(ctx: Context) -> Violation | None:
    """The decision names the party (Art.52): every party has a name and an identity number that
    passes its checksum (GB 11643 for a resident, GB 32100 for an organisation)."""
    from cases.services.identity import check_resident_id, check_uscc

    parties = list(ctx.case.parties.all())
    if not parties:
        return Violation(
            "no_party",
            _("Identify the party (name and identity number) before deciding on the spot."),
            "行政处罚法 Art.52",
        )
    bad: list[str] = []
    for party in parties:
        try:
            if not (party.name or "").strip() or not (party.id_number or "").strip():
                raise ValueError(_("name or identity number missing"))
            if party.party_type == PartyType.NATURAL:
                check_resident_id(party.id_number, today=ctx.today)
            else:
                check_uscc(party.id_number)
        except ValueError as exc:
            bad.append(f"{party.name or '?'}: {exc}")
    if not bad:
        return None
    return Violation(
        "party_identity_invalid",
        _("Check the identity of the party against the identity document: %(problems)s")
        % {"problems": "；".join(bad)},
        "行政处罚法 Art.52",
    )


def facts_certain(ctx: Context) -> Violation | None:
    """Art.51: 违法事实确凿 — the summary procedure only for facts that are certain."""
    if ctx.preview and ctx.action == "record_on_spot":
        return None
    data = ctx.data if "facts_certain" in ctx.data else summary_facts(ctx.case)
    if data.get("facts_certain") and str(data.get("findings") or "").strip():
        return None
    return Violation(
        "facts_not_certain",
        _(
            "The summary procedure needs facts that are certain and recorded on the spot; "
            "otherwise use the general procedure."
        ),
        "行政处罚法 Art.51",
    )


# ---------------------------------------------------------------- guards: the decision


def within_summary_limits(ctx: Context) -> Violation | None:
    """Art.51: a warning, or a fine ≤ 200 yuan (natural person) / ≤ 3,000 yuan (organisation)."""
    if ctx.preview:
        return None
    kinds = list(ctx.data.get("kinds") or [])
    other = [k for k in kinds if k not in SUMMARY_KINDS]
    if other:
        return Violation(
            "summary_kind_not_allowed",
            _(
                "The summary procedure allows only a warning or a fine; "
                "use the general procedure for %(kinds)s."
            )
            % {"kinds": "、".join(str(PenaltyKind(k).label) for k in other)},
            "行政处罚法 Art.51",
        )
    amount = ctx.data.get("amount")
    if PenaltyKind.FINE in kinds and amount is not None:
        limit = fine_limit(ctx.case)
        if amount > limit:
            who = _("a natural person") if g.party_kind(ctx.case) == "individual" else _("an organisation")
            return Violation(
                "summary_fine_too_high",
                _(
                    "A fine of %(amount)s yuan exceeds the summary-procedure limit of %(limit)s yuan for "
                    "%(who)s; use the general procedure."
                )
                % {"amount": amount, "limit": limit, "who": who},
                "行政处罚法 Art.51",
            )
    return None


def decision_content(ctx: Context) -> Violation | None:
    """Arts.51–52: the decision states the violation (facts found), the legal basis, time and place,
    and every other element its document (summary_decision) requires — the documents_ready check of
    the general procedure, folded into this guard."""
    if ctx.preview:
        return None
    facts = summary_facts(ctx.case)
    missing: list[str] = []
    if not str(facts.get("findings") or "").strip():
        missing.append(str(_("the facts of the violation")))
    if not ctx.data.get("legal_basis"):
        missing.append(str(_("the legal basis (law and article)")))
    if not str(facts.get("location") or ctx.case.lead.location or "").strip():
        missing.append(str(_("the place")))
    # the rest of what the numbered form (当场行政处罚决定书) states, e.g. the officers' certificates
    missing.extend(
        label
        for _key, label in document_gaps(
            "summary_decision", ctx, skip=frozenset({"facts", "basis", "violation_place"})
        )
    )
    if not missing:
        return None
    return Violation(
        "decision_content_missing",
        _("The decision on the spot must state %(missing)s.") % {"missing": "、".join(missing)},
        "行政处罚法 Arts.51, 52",
    )


def statement_right_told(ctx: Context) -> Violation | None:
    """Art.44: before deciding, the party is told the facts, reasons and basis and the right to state
    and defend (陈述、申辩)."""
    if ctx.preview or ctx.data.get("rights_informed"):
        return None
    return Violation(
        "statement_right_not_told",
        _(
            "Before deciding, tell the party the facts, reasons and basis of the penalty and their right to "
            "state their case and defend themselves (陈述、申辩), and record that you did."
        ),
        "行政处罚法 Art.44",
    )


def statement_answered(ctx: Context) -> Violation | None:
    """Art.45: the party's statement is heard and answered; valid points are adopted."""
    if ctx.preview or not ctx.data.get("party_statement") or ctx.data.get("statement_response"):
        return None
    return Violation(
        "statement_not_answered",
        _("Record how the party's statement and defence were reviewed (adopted or why not)."),
        "行政处罚法 Art.45",
    )


def remedies_stated(ctx: Context) -> Violation | None:
    """Art.52: the decision states the route and period for reconsideration and litigation."""
    if ctx.preview or ctx.data.get("remedies_informed"):
        return None
    return Violation(
        "remedies_not_stated",
        _(
            "The decision must tell the party how and within what period to apply for administrative "
            "reconsideration or bring an administrative suit; record that it does."
        ),
        "行政处罚法 Art.52",
    )


def receipt_signed_or_refusal_noted(ctx: Context) -> Violation | None:
    """Art.52: the decision is handed over on the spot; a refusal to sign is noted on it."""
    if ctx.preview or ctx.data.get("party_signed") or ctx.data.get("refusal_note"):
        return None
    return Violation(
        "receipt_not_signed",
        _(
            "Hand the decision to the party on the spot and record their signature, or note their refusal "
            "to sign on the decision."
        ),
        "行政处罚法 Art.52",
    )


# ---------------------------------------------------------------- guards: execution and filing


def fine_decided(ctx: Context) -> Violation | None:
    if PenaltyKind.FINE in (ctx.case.decided_kinds or []):
        return None
    return Violation(
        "no_fine_decided", _("The decision imposes no fine: there is nothing to pay."), "行政处罚法 Art.67"
    )


def paid_in_full(ctx: Context) -> Violation | None:
    """The recorded payments plus the body's payment cover the fine (Arts.67, 72)."""
    from cases.services.execution import payable_total_with

    if ctx.preview:
        return None
    if payable_total_with(ctx.case, ctx.data) >= (ctx.case.decided_amount or 0):
        return None
    return Violation(
        "fine_unpaid",
        _("Record the payment of the whole fine (%(amount)s yuan) with its receipt number.")
        % {"amount": ctx.case.decided_amount},
        "行政处罚法 Arts.67, 72",
    )


def warning_only(ctx: Context) -> Violation | None:
    if ctx.case.decided_kinds and PenaltyKind.FINE not in ctx.case.decided_kinds:
        return None
    return Violation(
        "fine_to_collect",
        _("The decision imposes a fine: record its payment on the spot or at the bank."),
        "行政处罚法 Art.67",
    )


def on_spot_collection_allowed(ctx: Context) -> Violation | None:
    """Art.68: on-the-spot collection of a fine ≤ 100 yuan, or one hard to collect afterwards."""
    if ctx.preview:
        return None
    limit = _limit("cases.on_spot_collection_max")
    amount = ctx.case.decided_amount or Decimal("0")
    if amount <= limit or ctx.data.get("hard_to_collect"):
        return None
    return Violation(
        "on_spot_collection_refused",
        _(
            "A fine of %(amount)s yuan may be collected on the spot only if it is at most %(limit)s yuan "
            "or would be hard to collect afterwards; otherwise the party pays at the bank."
        )
        % {"amount": amount, "limit": limit},
        "行政处罚法 Art.68",
    )


def fiscal_receipt(ctx: Context) -> Violation | None:
    """Art.70: a fine collected on the spot is acknowledged by a fiscal receipt."""
    if ctx.preview or ctx.data.get("receipt_number"):
        return None
    return Violation(
        "no_fiscal_receipt",
        _("Give the number of the fiscal receipt handed to the party for a fine collected on the spot."),
        "行政处罚法 Art.70",
    )


def collected_on_spot(ctx: Context) -> Violation | None:
    if ctx.case.execution.get("on_the_spot") and not ctx.case.execution.get("handed_over_on"):
        return None
    return Violation(
        "no_cash_to_hand_over",
        _("There is no cash collected on the spot waiting to be handed to the agency."),
        "行政处罚法 Art.71",
    )


def not_filed(ctx: Context) -> Violation | None:
    if not summary_facts(ctx.case).get("filed_on"):
        return None
    return Violation(
        "already_filed", _("The decision was already filed with the agency."), "行政处罚法 Art.52"
    )


def _date_between(ctx: Context, key: str, code: str, basis: str) -> Violation | None:
    """The date `key` of the body lies between the decision and today."""
    on = ctx.data.get(key)
    if ctx.preview or on is None:
        return None
    if on > ctx.today:
        return Violation(code, _("The date %(on)s lies in the future.") % {"on": on}, basis)
    if ctx.case.decided_on and on < ctx.case.decided_on:
        return Violation(
            code,
            _("The date %(on)s lies before the decision (%(decided)s).")
            % {"on": on, "decided": ctx.case.decided_on},
            basis,
        )
    return None


def filing_date_valid(ctx: Context) -> Violation | None:
    return _date_between(ctx, "filed_on", "filing_date_invalid", "行政处罚法 Art.52")


def handover_date_valid(ctx: Context) -> Violation | None:
    return _date_between(ctx, "handed_on", "handover_date_invalid", "行政处罚法 Art.71")


def summary_complete(ctx: Context) -> Violation | None:
    missing: list[str] = []
    if not summary_facts(ctx.case).get("filed_on"):
        missing.append(str(_("filing with the agency (备案)")))
    execution = ctx.case.execution or {}
    if execution.get("on_the_spot") and not execution.get("handed_over_on"):
        missing.append(str(_("hand-over of the cash collected on the spot")))
    if not ctx.case.deliveries.filter(document="decision").exists():
        missing.append(str(_("delivery record of the decision")))
    if not missing:
        return None
    return Violation(
        "steps_missing",
        _("The case cannot be closed: %(missing)s missing.") % {"missing": "、".join(missing)},
        "行政处罚法 Arts.52, 71",
    )


# ---------------------------------------------------------------- effects


def _set_record(ctx: Context) -> None:
    c = ctx.case
    on = ctx.data.get("recorded_on") or ctx.today
    c.registered_on = on
    c.facts = {
        **c.facts,
        "summary": {
            **summary_facts(c),
            "findings": ctx.data["findings"],
            "facts_certain": ctx.data["facts_certain"],
            "certificates_shown": ctx.data["certificates_shown"],
            "location": ctx.data["location"] or c.lead.location,
            "recorded_on": on.isoformat(),
        },
    }


def _set_decision(ctx: Context) -> None:
    c = ctx.case
    c.decided_kinds = list(ctx.data["kinds"])
    c.decided_amount = ctx.data["amount"]
    c.decided_on = ctx.data.get("decided_on") or ctx.today
    c.facts = {
        **c.facts,
        "summary": {
            **summary_facts(c),
            "legal_basis": ctx.data["legal_basis"],
            "rights_informed": ctx.data["rights_informed"],
            "remedies_informed": ctx.data["remedies_informed"],
            "party_statement": ctx.data["party_statement"],
            "statement_response": ctx.data["statement_response"],
        },
    }


def _deliver_on_spot(ctx: Context) -> None:
    """Art.52: the numbered decision handed to the party on the spot — a Delivery in person (直接送达)
    served on the decision date, with the party's signature or the noted refusal."""
    from cases.models import DeliveredDocument, DeliveryMethod
    from cases.services.execution import _delivery_create

    c = ctx.case
    signed = bool(ctx.data["party_signed"])
    refusal = "" if signed else ctx.data["refusal_note"]
    cleaned = {
        "method": DeliveryMethod.IN_PERSON.value,
        "announced_on": None,
        "delivered_on": c.decided_on,
        "recipient": "、".join(p.name for p in c.parties.all()),
        "witness": "",
        "consent_signed": False,
        "receipt_digest": "",
        # Not columns of Delivery: kept in its ledger act and in the case facts.
        "on_the_spot": True,
        "party_signed": signed,
        "refusal_note": refusal,
    }
    delivery = _delivery_create(actor=ctx.actor, case=c, document=DeliveredDocument.DECISION, cleaned=cleaned)
    c.delivered_on = delivery.delivered_on
    c.delivery_method = delivery.method
    c.facts = {
        **c.facts,
        "summary": {
            **summary_facts(c),
            "delivery": {"id": delivery.pk, "party_signed": signed, "refusal_note": refusal},
        },
    }
    ctx.notes["delivery_id"] = delivery.pk


def _set_collection(ctx: Context) -> None:
    """Art.68–70: the whole fine collected on the spot against a fiscal receipt, as a Payment."""
    from cases.services.execution import _payment_create

    on: datetime.date = ctx.data.get("collected_on") or ctx.today
    ctx.data["collected_on"] = on
    amount = ctx.case.decided_amount or Decimal("0")
    payment, _total, _full = _payment_create(
        actor=ctx.actor,
        case=ctx.case,
        amount=amount,
        paid_on=on,
        receipt_number=ctx.data["receipt_number"],
        channel=PaymentChannel.ON_THE_SPOT,
    )
    ctx.case.execution = {
        "completed_on": on.isoformat(),
        "paid_amount": str(amount),
        "receipt_number": payment.receipt_number,
        "payment_id": payment.pk,
        "on_the_spot": True,
        "hard_to_collect": ctx.data["hard_to_collect"],
        "note": "",
    }
    ctx.notes["payment_id"] = payment.pk


def _set_payment(ctx: Context) -> None:
    """The payment in the body (if its receipt is new) becomes a Payment; the case's execution record
    sums the recorded payments."""
    from cases.models import Payment
    from cases.services.execution import _payment_create, paid_total

    amount = ctx.data.get("paid_amount")
    receipt = ctx.data.get("receipt_number") or ""
    if amount and receipt and not Payment.objects.filter(case=ctx.case, receipt_number=receipt).exists():
        payment, _total, _full = _payment_create(
            actor=ctx.actor,
            case=ctx.case,
            amount=amount,
            paid_on=ctx.data["paid_on"],
            receipt_number=receipt,
            channel=ctx.data["channel"],
        )
        ctx.notes["payment_id"] = payment.pk
    last = Payment.objects.filter(case=ctx.case).order_by("-paid_on", "-pk").first()
    ctx.case.execution = {
        "completed_on": (last.paid_on if last else ctx.today).isoformat(),
        "paid_amount": str(paid_total(ctx.case)),
        "receipt_number": last.receipt_number if last else "",
        "on_the_spot": False,
        "note": "",
    }


def _set_warning(ctx: Context) -> None:
    on = ctx.case.decided_on or ctx.today
    ctx.case.execution = {
        "completed_on": on.isoformat(),
        "paid_amount": None,
        "receipt_number": "",
        "note": "",
    }


def _set_handover(ctx: Context) -> None:
    on = ctx.data.get("handed_on") or ctx.today
    ctx.case.execution = {**ctx.case.execution, "handed_over_on": on.isoformat()}


def _set_filing(ctx: Context) -> None:
    """Record the filing; late when after the due date of the filing deadline (also flagged on the
    deadline itself, which the scan marked overdue)."""
    on: datetime.date = ctx.data.get("filed_on") or ctx.today
    deadline = case_deadlines(case=ctx.case, kind=FILING).order_by("-pk").first()
    due = deadline.due_date if deadline is not None else None
    late = bool(due and on > due)
    ctx.case.facts = {
        **ctx.case.facts,
        "summary": {
            **summary_facts(ctx.case),
            "filed_on": on.isoformat(),
            "filing_due": due.isoformat() if due else None,
            "filed_late": late,
        },
    }
    ctx.notes["filing"] = {"filed_on": on.isoformat(), "due": due.isoformat() if due else None, "late": late}


def _collected_on(case: Any) -> datetime.date | None:
    raw = (case.execution or {}).get("completed_on")
    return datetime.date.fromisoformat(raw) if raw else None


# ---------------------------------------------------------------- the declaration

ON_SPOT = (g.agency_officer, on_spot_officers, certificates_shown, party_identified, facts_certain)
DECISION_GUARDS = (
    within_summary_limits,
    decision_content,
    statement_right_told,
    statement_answered,
    remedies_stated,
    receipt_signed_or_refusal_noted,
)
FILING_GUARDS = (g.handler, not_filed, filing_date_valid)
FILING_EFFECTS = (_set_filing, satisfy_deadline(FILING))

start_filing_deadline = start_deadline(
    kind=FILING,
    title="当场处罚决定备案期限",
    basis="行政处罚法 Art.52（备案期限：本机关规定）",
    unit="workdays",
    setting="cases.summary_filing_workdays",
    default=SETTINGS["cases.summary_filing_workdays"][0],
    start=lambda case: case.decided_on,
)

start_cash_handover_deadline = start_deadline(
    kind=CASH_HANDOVER,
    title="当场收缴罚款交至行政机关期限",
    basis="行政处罚法 Art.71",
    unit="workdays",
    setting="cases.cash_handover_workdays",
    default=SETTINGS["cases.cash_handover_workdays"][0],
    start=_collected_on,
)


def _draft_publication(ctx: Context) -> None:
    """事后公开 of the decision handed over on the spot (cases.services.publication)."""
    from cases.services.publication import draft_publication

    draft_publication(ctx)


def _publication_settled(ctx: Context) -> Violation | None:
    from cases.services.publication import publication_settled

    return publication_settled(ctx)


SUMMARY = Workflow(
    name="summary",
    title=gettext_lazy("Summary procedure of an administrative penalty"),
    initial=S.LEAD,
    terminal=frozenset({S.ARCHIVED}),
    states=[
        (S.LEAD.value, gettext_lazy("found on the spot")),
        (S.REGISTERED.value, gettext_lazy("recorded on the spot")),
        (S.DECIDED.value, gettext_lazy("decided on the spot")),
        (S.EXECUTING.value, gettext_lazy("fine to be paid")),
        (S.EXECUTED.value, gettext_lazy("executed")),
        (S.CLOSED.value, S.CLOSED.label),
        (S.ARCHIVED.value, S.ARCHIVED.label),
    ],
    transitions=[
        Transition(
            "record_on_spot",
            (S.LEAD,),
            S.REGISTERED,
            ON_SPOT,
            (_set_record, take_number("case_number", "summary_case")),
            gettext_lazy("record the facts on the spot"),
            clean=clean_record,
        ),
        Transition(
            "decide_on_spot",
            (S.REGISTERED,),
            S.DECIDED,
            (g.handler, *ON_SPOT, *DECISION_GUARDS),
            (
                _set_decision,
                # the numbered standard form (Art.52): one number for the document and the case
                issue_document("summary_decision", field="decision_number", on=lambda c: c.case.decided_on),
                _deliver_on_spot,
                start_filing_deadline,
                _draft_publication,
            ),
            gettext_lazy("decide on the spot and hand over the decision (当场处罚决定)"),
            clean=clean_decision,
        ),
        Transition(
            "collect_on_spot",
            (S.DECIDED,),
            S.EXECUTED,
            (g.handler, fine_decided, on_spot_collection_allowed, fiscal_receipt),
            (_set_collection, start_cash_handover_deadline),
            gettext_lazy("collect the fine on the spot (当场收缴)"),
            clean=clean_collection,
        ),
        Transition(
            "await_payment",
            (S.DECIDED,),
            S.EXECUTING,
            (g.handler, fine_decided),
            (start_payment_deadline(lambda case: case.delivered_on),),
            gettext_lazy("leave the fine to be paid at the bank"),
            clean=clean_nothing,
        ),
        Transition(
            "file_pending_payment",
            (S.EXECUTING,),
            S.EXECUTING,
            FILING_GUARDS,
            FILING_EFFECTS,
            gettext_lazy("file the decision with the agency (备案) while the fine is unpaid"),
            clean=clean_filing,
        ),
        Transition(
            "record_payment",
            (S.EXECUTING,),
            S.EXECUTED,
            (g.handler, fine_decided, paid_in_full),
            (_set_payment, satisfy_deadline(PAYMENT)),
            gettext_lazy("record the payment of the fine"),
            clean=clean_payment,
        ),
        Transition(
            "execute_warning",
            (S.DECIDED,),
            S.EXECUTED,
            (g.handler, warning_only),
            (_set_warning,),
            gettext_lazy("record the warning as executed"),
            clean=clean_nothing,
        ),
        Transition(
            "hand_over_cash",
            (S.EXECUTED,),
            S.EXECUTED,
            (g.handler, collected_on_spot, handover_date_valid),
            (_set_handover, satisfy_deadline(CASH_HANDOVER)),
            gettext_lazy("hand the collected cash to the agency"),
            clean=clean_handover,
        ),
        Transition(
            "file_with_agency",
            (S.EXECUTED,),
            S.EXECUTED,
            FILING_GUARDS,
            FILING_EFFECTS,
            gettext_lazy("file the decision with the agency (备案)"),
            clean=clean_filing,
        ),
        Transition(
            "close",
            (S.EXECUTED,),
            S.CLOSED,
            (g.handler, summary_complete, _publication_settled),
            (assign(closed_on=lambda c: c.today), cancel_open_deadlines),
            gettext_lazy("close the case (结案)"),
            clean=clean_nothing,
        ),
        Transition(
            "archive",
            (S.CLOSED,),
            S.ARCHIVED,
            (g.handler, g.archive_package_built),
            (),
            gettext_lazy("archive the case file"),
            clean=clean_nothing,
        ),
    ],
)

# Every step is blocked while an audio-video rule for it is unmet (records.selectors.av_missing).
SUMMARY = g.with_every_step(SUMMARY, g.av_recorded)
