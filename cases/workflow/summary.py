"""The summary procedure (简易程序) of an administrative penalty case, declared on the same engine.

On-the-spot record → decision on the spot → paid on the spot (当场收缴) or to be paid → filed with
the agency (备案) → closed. Rules: LEGAL.md §1 (行政处罚法 Arts.51–52, 67–71, 85).

Statuses reuse `CaseStatus` values (no migration): lead → registered (recorded on the spot) →
decided → executing (fine to be paid) / executed → closed → archived. The filing and the officer's
cash hand-over are acts recorded without a status change; `close` requires both. Summary-specific
data lives under `case.facts["summary"]` and in the event payloads.

Figures are legal settings read with statutory defaults (a seed migration is still to be written):
`cases.summary_fine_max_person` (200), `cases.summary_fine_max_organisation` (3000),
`cases.on_spot_collection_max` (100), `cases.cash_handover_workdays` (2),
`cases.payment_calendar_days` (15, seeded already).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CaseOfficer, PenaltyKind
from cases.models import CaseStatus as S
from cases.selectors import legal_setting
from cases.workflow import guards as g
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
from org.selectors import officer_for, officer_may_enforce

CASH_HANDOVER = "cases.cash_handover"
SUMMARY_KINDS = (PenaltyKind.WARNING.value, PenaltyKind.FINE.value)


def summary_facts(case: Any) -> dict[str, Any]:
    value = (case.facts or {}).get("summary")
    return dict(value) if isinstance(value, dict) else {}


def _limit(key: str, default: int) -> Decimal:
    try:
        return Decimal(str(legal_setting(key, default)))
    except (InvalidOperation, ValueError):
        return Decimal(default)


def fine_limit(case: Any) -> Decimal:
    """Art.51: 200 yuan for a natural person, 3,000 yuan for a legal person or other organisation."""
    if g.party_kind(case) == "individual":
        return _limit("cases.summary_fine_max_person", 200)
    return _limit("cases.summary_fine_max_organisation", 3000)


# ---------------------------------------------------------------- request bodies


def clean_record(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "findings": g.require_text(data, "findings"),
        "facts_certain": bool(data.get("facts_certain")),
        "location": str(data.get("location") or "").strip(),
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
    return {
        "kinds": kinds,
        "amount": amount if PenaltyKind.FINE in kinds else None,
        "decided_on": g.parse_date(data, "decided_on", required=False),
    }


def clean_collection(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "collected_on": g.parse_date(data, "collected_on", required=False),
        "receipt_number": str(data.get("receipt_number") or "").strip(),
        "hard_to_collect": bool(data.get("hard_to_collect")),
    }


def clean_payment(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "paid_on": g.parse_date(data, "paid_on"),
        "paid_amount": g.parse_money(data, "paid_amount"),
        "receipt_number": str(data.get("receipt_number") or "").strip(),
    }


def clean_handover(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"handed_on": g.parse_date(data, "handed_on", required=False)}


def clean_filing(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"filed_on": g.parse_date(data, "filed_on", required=False)}


# ---------------------------------------------------------------- guards


def facts_certain(ctx: Context) -> Violation | None:
    data = ctx.data if "facts_certain" in ctx.data else summary_facts(ctx.case)
    if ctx.preview and ctx.action == "record_on_spot":
        return None
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


def party_identified(ctx: Context) -> Violation | None:
    if ctx.case.parties.exists():
        return None
    return Violation(
        "no_party",
        _("Identify the party (name and identity number) before deciding on the spot."),
        "行政处罚法 Arts.52, 59",
    )


def certified_officer(ctx: Context) -> Violation | None:
    """Art.52: the officer shows the enforcement certificate — at least one certified for the field."""
    officers = [
        co.officer
        for co in CaseOfficer.objects.filter(case=ctx.case, active=True).select_related("officer__user")
    ]
    own = officer_for(ctx.actor)
    if own is not None and own.agency_id == ctx.case.agency_id:
        officers.append(own)
    reasons: list[str] = []
    for officer in {o.pk: o for o in officers}.values():
        verdict = officer_may_enforce(officer=officer, field_code=ctx.case.field_code, on=ctx.today)
        if verdict.allowed:
            return None
        reasons.append(str(verdict.reason))
    message = _(
        "A decision on the spot needs an officer certified for this field who shows the enforcement "
        "certificate to the party."
    )
    return Violation("no_certified_officer", " ".join([str(message), *reasons]).strip(), "行政处罚法 Art.52")


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


def fine_decided(ctx: Context) -> Violation | None:
    if PenaltyKind.FINE in (ctx.case.decided_kinds or []):
        return None
    return Violation(
        "no_fine_decided", _("The decision imposes no fine: there is nothing to pay."), "行政处罚法 Art.67"
    )


def paid_in_full(ctx: Context) -> Violation | None:
    if ctx.preview:
        return None
    paid = ctx.data.get("paid_amount")
    if paid is not None and paid >= (ctx.case.decided_amount or 0) and ctx.data.get("receipt_number"):
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
    limit = _limit("cases.on_spot_collection_max", 100)
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


def summary_complete(ctx: Context) -> Violation | None:
    missing: list[str] = []
    if not summary_facts(ctx.case).get("filed_on"):
        missing.append(str(_("filing with the agency (备案)")))
    execution = ctx.case.execution or {}
    if execution.get("on_the_spot") and not execution.get("handed_over_on"):
        missing.append(str(_("hand-over of the cash collected on the spot")))
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
            "location": ctx.data["location"],
            "recorded_on": on.isoformat(),
        },
    }


def _set_decision(ctx: Context) -> None:
    c = ctx.case
    c.decided_kinds = list(ctx.data["kinds"])
    c.decided_amount = ctx.data["amount"]
    c.decided_on = ctx.data.get("decided_on") or ctx.today
    # Art.52: the decision is handed to the party on the spot.
    c.delivered_on = c.decided_on
    c.delivery_method = "direct"


def _set_collection(ctx: Context) -> None:
    on: datetime.date = ctx.data.get("collected_on") or ctx.today
    ctx.data["collected_on"] = on
    ctx.case.execution = {
        "completed_on": on.isoformat(),
        "paid_amount": str(ctx.case.decided_amount),
        "receipt_number": ctx.data["receipt_number"],
        "on_the_spot": True,
        "hard_to_collect": ctx.data["hard_to_collect"],
        "note": "",
    }


def _set_payment(ctx: Context) -> None:
    ctx.case.execution = {
        "completed_on": ctx.data["paid_on"].isoformat(),
        "paid_amount": str(ctx.data["paid_amount"]),
        "receipt_number": ctx.data["receipt_number"],
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
    on = ctx.data.get("filed_on") or ctx.today
    ctx.case.facts = {**ctx.case.facts, "summary": {**summary_facts(ctx.case), "filed_on": on.isoformat()}}


def _collected_on(case: Any) -> datetime.date | None:
    raw = (case.execution or {}).get("completed_on")
    return datetime.date.fromisoformat(raw) if raw else None


# ---------------------------------------------------------------- the declaration

ON_SPOT = (g.agency_officer, certified_officer, party_identified, facts_certain)

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
            (g.handler, *ON_SPOT, within_summary_limits),
            (_set_decision, take_number("decision_number", "summary_decision")),
            gettext_lazy("decide on the spot (当场处罚决定)"),
            clean=clean_decision,
        ),
        Transition(
            "collect_on_spot",
            (S.DECIDED,),
            S.EXECUTED,
            (g.handler, fine_decided, on_spot_collection_allowed, fiscal_receipt),
            (
                _set_collection,
                start_deadline(
                    kind=CASH_HANDOVER,
                    title="当场收缴罚款交至行政机关期限",
                    basis="行政处罚法 Art.71",
                    unit="workdays",
                    setting="cases.cash_handover_workdays",
                    default=2,
                    start=_collected_on,
                ),
            ),
            gettext_lazy("collect the fine on the spot (当场收缴)"),
            clean=clean_collection,
        ),
        Transition(
            "await_payment",
            (S.DECIDED,),
            S.EXECUTING,
            (g.handler, fine_decided),
            (
                start_payment_deadline(lambda case: case.delivered_on),
            ),
            gettext_lazy("leave the fine to be paid at the bank"),
            clean=clean_nothing,
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
            (g.handler, collected_on_spot),
            (_set_handover, satisfy_deadline(CASH_HANDOVER)),
            gettext_lazy("hand the collected cash to the agency"),
            clean=clean_handover,
        ),
        Transition(
            "file_with_agency",
            (S.EXECUTED,),
            S.EXECUTED,
            (g.handler, not_filed),
            (_set_filing,),
            gettext_lazy("file the decision with the agency (备案)"),
            clean=clean_filing,
        ),
        Transition(
            "close",
            (S.EXECUTED,),
            S.CLOSED,
            (g.handler, summary_complete),
            (assign(closed_on=lambda c: c.today), cancel_open_deadlines),
            gettext_lazy("close the case (结案)"),
            clean=clean_nothing,
        ),
        Transition(
            "archive",
            (S.CLOSED,),
            S.ARCHIVED,
            (g.handler,),
            (),
            gettext_lazy("archive the case file"),
            clean=clean_nothing,
        ),
    ],
)
