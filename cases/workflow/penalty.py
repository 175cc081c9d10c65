"""The general procedure (一般程序) of an administrative penalty case, declared in one place.

States, transitions, guards and effects below are what `cases.services.transitions.case_act`
enforces, what `available_actions` reports and what `zhifa flowchart penalty` draws.
Rules: LEGAL.md §1 (行政处罚法), §5 (自然资源行政处罚办法), §7 (day counting).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CaseStatus as S
from cases.models import PenaltyKind, ProposedOutcome
from cases.workflow import execution as x
from cases.workflow import guards as g
from cases.workflow.documents import (
    ELECTRONIC_CONSENT_READY,
    documents_ready,
    issue_delivery_receipt,
    issue_document,
    issue_electronic_consent,
    not_after_today,
    receipt_ready,
)
from cases.workflow.effects import (
    PAYMENT_DEADLINE_KIND,
    assign,
    cancel_deadline,
    cancel_deadlines_like,
    cancel_open_deadlines,
    pause_deadline,
    resume_deadline,
    satisfy_deadline,
    start_deadline,
    start_payment_deadline,
    take_number,
)
from cases.workflow.engine import Context, Transition, Violation, Workflow
from core.errors import ValidationFailed

DECISION = "cases.decision"
STATEMENT = "cases.statement"
HEARING_REQUEST = "cases.hearing_request"
DELIVERY = "cases.delivery"
PAYMENT = PAYMENT_DEADLINE_KIND
REGISTRATION = g.REGISTRATION_DEADLINE

# The glossary's names (cases.models.DeliveryMethod); "direct", "left" and "announcement" are
# accepted as aliases (cases.services.execution.METHOD_ALIASES).
DELIVERY_METHODS = ("in_person", "left_at_residence", "post", "entrusted", "electronic", "public_notice")
TRANSFER_TO = ("public_security", "discipline", "other_agency")

# ---------------------------------------------------------------- request bodies


def clean_nothing(data: Mapping[str, Any]) -> dict[str, Any]:
    return {}


def clean_reason(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"reason": g.require_text(data, "reason")}


def clean_register(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"registered_on": g.parse_date(data, "registered_on", required=False)}


def clean_report(data: Mapping[str, Any]) -> dict[str, Any]:
    outcome = data.get("proposed_outcome")
    if outcome not in ProposedOutcome.values:
        raise ValidationFailed(
            _("Choose the proposed outcome of the investigation."),
            field_errors={"proposed_outcome": [_("Choose one of the listed outcomes.")]},
        )
    kinds = g.parse_kinds(data, "kinds") or []
    amount = g.parse_money(data, "amount")
    if outcome == ProposedOutcome.PENALTY and not kinds:
        raise ValidationFailed(
            _("A proposed penalty names at least one kind of penalty."),
            field_errors={"kinds": [_("Choose at least one kind of penalty.")]},
        )
    if PenaltyKind.FINE in kinds and amount is None:
        raise ValidationFailed(
            _("A proposed fine needs its amount in yuan."),
            field_errors={"amount": [_("Give the amount of the fine.")]},
        )
    facts = data.get("facts") or {}
    if not isinstance(facts, dict):
        raise ValidationFailed(
            _("Facts are a set of named values."), field_errors={"facts": [_("Invalid facts.")]}
        )
    return {
        "proposed_outcome": outcome,
        "kinds": kinds if outcome == ProposedOutcome.PENALTY else [],
        "amount": amount if PenaltyKind.FINE in kinds else None,
        "facts": facts,
        "report": str(data.get("report") or ""),
        "amount_reason": str(data.get("amount_reason") or "").strip(),
    }


def clean_notice(data: Mapping[str, Any]) -> dict[str, Any]:
    """The notice's delivery (送达, Art.61): method (default in person) and the served date."""
    from cases.services.execution import clean_delivery_data

    return clean_delivery_data(data)


def clean_statement(data: Mapping[str, Any]) -> dict[str, Any]:
    points = data.get("points") or []
    if not isinstance(points, list) or any(
        not isinstance(p, dict) or not str(p.get("point") or "").strip() for p in points
    ):
        raise ValidationFailed(
            _("Each point of the statement has its text (and, later, the officer's response)."),
            field_errors={"points": [_("Give each point as {point, response}.")]},
        )
    return {
        "received_on": g.parse_date(data, "received_on"),
        "points": [
            {"point": str(p["point"]).strip(), "response": str(p.get("response") or "").strip()}
            for p in points
        ],
        "hearing_waived": bool(data.get("hearing_waived")),
    }


def clean_hearing_request(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"requested_on": g.parse_date(data, "requested_on")}


def clean_hearing_schedule(data: Mapping[str, Any]) -> dict[str, Any]:
    from org.selectors import visible_officers

    chair_id = data.get("chair_id")
    chair = visible_officers(None).filter(pk=chair_id).first() if chair_id else None
    if chair is None:
        raise ValidationFailed(
            _("Choose the officer who chairs the hearing."),
            field_errors={"chair_id": [_("Choose an officer.")]},
        )
    return {
        "hearing_date": g.parse_date(data, "hearing_date"),
        "notice_on": g.parse_date(data, "notice_on"),
        "chair": chair,
        # for the hearing notice (听证通知书): time of day, place, whether it is held in private
        "hearing_time": str(data.get("hearing_time") or "").strip()[:40],
        "hearing_place": str(data.get("hearing_place") or "").strip()[:200],
        "hearing_private": bool(data.get("hearing_private")),
    }


def clean_hearing_held(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "held_on": g.parse_date(data, "held_on"),
        "attended": bool(data.get("attended", True)),
        "record": str(data.get("record") or ""),
    }


def clean_decision(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "decided_on": g.parse_date(data, "decided_on", required=False),
        "orders": x.clean_orders(data.get("orders")),
    }
    if str(data.get("amount_reason") or "").strip():
        out["amount_reason"] = str(data["amount_reason"]).strip()
    kinds = g.parse_kinds(data, "kinds")
    if kinds is not None:
        out["kinds"] = kinds
    if "amount" in data:
        out["amount"] = g.parse_money(data, "amount")
    crime = data.get("crime_transfer")
    if crime:
        if (
            not isinstance(crime, dict)
            or crime.get("decision") not in ("transferred", "not_transferred")
            or (crime.get("decision") == "not_transferred" and not str(crime.get("reason") or "").strip())
        ):
            raise ValidationFailed(
                _("Record the decision on crime transfer (and the reason for not transferring)."),
                field_errors={"crime_transfer": [_("Give decision and reason.")]},
            )
        out["crime_transfer"] = {"decision": crime["decision"], "reason": str(crime.get("reason") or "")}
    outcome = data.get("outcome")
    if outcome:
        if outcome not in (
            ProposedOutcome.NO_PENALTY_MINOR,
            ProposedOutcome.FIRST_VIOLATION,
            ProposedOutcome.NO_PENALTY_FACTS,
        ):
            raise ValidationFailed(
                _("Choose the ground for not penalising."),
                field_errors={"outcome": [_("Choose one of the no-penalty grounds.")]},
            )
        out["outcome"] = outcome
    return out


def clean_transfer(data: Mapping[str, Any]) -> dict[str, Any]:
    to = data.get("to")
    if to not in TRANSFER_TO:
        raise ValidationFailed(
            _("Choose where the case is transferred."),
            field_errors={"to": [_("public_security, discipline or other_agency.")]},
        )
    return {"to": to, "reason": g.require_text(data, "reason"), "recipient": str(data.get("recipient") or "")}


def clean_delivery(data: Mapping[str, Any]) -> dict[str, Any]:
    from cases.services.execution import clean_delivery_data

    if not data.get("method"):
        raise ValidationFailed(
            _("Choose how the decision was delivered."),
            field_errors={"method": [_("Choose one of the six delivery methods.")]},
        )
    return clean_delivery_data(data)


def clean_execution(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "completed_on": g.parse_date(data, "completed_on"),
        "paid_amount": g.parse_money(data, "paid_amount"),
        "receipt_number": str(data.get("receipt_number") or ""),
        "note": str(data.get("note") or ""),
    }


# ---------------------------------------------------------------- guards needing the data


def delivered_not_before_decision(ctx: Context) -> Violation | None:
    on = ctx.data.get("delivered_on")
    if on is None or ctx.case.decided_on is None or on >= ctx.case.decided_on:
        return None
    return Violation(
        "delivery_before_decision",
        _("The decision cannot be delivered before it was made (%(on)s).") % {"on": ctx.case.decided_on},
        ("行政处罚法 Art.61"),
    )


def date_not_before_registration(key: str) -> Any:
    def guard(ctx: Context) -> Violation | None:
        on = ctx.data.get(key)
        reg = ctx.case.registered_on
        if on is None or reg is None or on >= reg:
            return None
        return Violation(
            "date_before_registration",
            _("%(on)s lies before 立案 on %(reg)s.") % {"on": on, "reg": reg},
            ("行政处罚法 Art.54"),
        )

    guard.__name__ = f"{key}_after_registration"
    return guard


def delivery_lawful(ctx: Context) -> Violation | None:
    """Electronic delivery only with signed consent (Art.61); 留置 with a witness."""
    from cases.services.execution import delivery_problems

    if ctx.preview or "method" not in ctx.data:
        return None
    problems = delivery_problems(
        method=ctx.data["method"], consent_signed=ctx.data["consent_signed"], witness=ctx.data["witness"]
    )
    return Violation(*problems[0]) if problems else None


def _record_delivery(document: str, case_field: str) -> Any:
    def effect(ctx: Context) -> None:
        from cases.services.execution import record_delivery_effect

        record_delivery_effect(document, case_field)(ctx)

    effect.__name__ = f"record_delivery_{document}"
    return effect


def _record_payment(ctx: Context) -> None:
    from cases.services.execution import record_payment_effect

    record_payment_effect(ctx)


def fully_paid(ctx: Context) -> Violation | None:
    """The recorded payments (cases.Payment) plus the body's payment cover the fine."""
    from cases.services.execution import payable_total_with

    if PenaltyKind.FINE not in (ctx.case.decided_kinds or []) or ctx.preview:
        return None
    if payable_total_with(ctx.case, ctx.data) >= (ctx.case.decided_amount or 0):
        return None
    return Violation(
        "fine_unpaid",
        _("Record the payment of the whole fine (%(amount)s yuan) with its receipt number.")
        % {"amount": ctx.case.decided_amount},
        ("行政处罚法 Arts.67, 72"),
    )


def steps_complete(ctx: Context) -> Violation | None:
    """结案: every step the outcome requires is on file."""
    case = ctx.case
    missing: list[str] = []
    if case.status == S.EXECUTED:
        if not case.decision_number:
            missing.append(str(_("decision number")))
        if not case.delivered_on:
            missing.append(str(_("delivery record")))
        if not case.execution.get("completed_on"):
            missing.append(str(_("execution record")))
    if case.status == S.NO_PENALTY and not case.decision_number:
        missing.append(str(_("no-penalty decision")))
    if case.status == S.TRANSFERRED and not case.transfer.get("to"):
        missing.append(str(_("transfer record")))
    if not missing:
        return None
    return Violation(
        "steps_missing",
        _("The case cannot be closed: %(missing)s missing.") % {"missing": "、".join(missing)},
        ("行政处罚法 Art.47"),
    )


def _set_statement(ctx: Context) -> None:
    ctx.case.statement = {
        "received_on": ctx.data["received_on"].isoformat(),
        "points": ctx.data["points"],
        "hearing_waived": ctx.data["hearing_waived"],
    }


def _set_report(ctx: Context) -> None:
    c = ctx.case
    c.proposed_outcome, c.proposed_kinds, c.proposed_amount = (
        ctx.data["proposed_outcome"],
        ctx.data["kinds"],
        ctx.data["amount"],
    )
    c.facts = {**c.facts, **ctx.data["facts"]}
    if ctx.data["amount_reason"]:
        c.amount_reason = ctx.data["amount_reason"]
    if ctx.data["report"]:
        c.facts["investigation_report"] = ctx.data["report"]


def _set_notice(ctx: Context) -> None:
    c = ctx.case
    c.notified_kinds, c.notified_amount = list(c.proposed_kinds), c.proposed_amount
    c.statement = {}
    c.hearing_requested_on = c.hearing_date = c.hearing_notice_on = None
    c.hearing_chair = None


def _set_decision(ctx: Context) -> None:
    c = ctx.case
    c.decided_kinds = ctx.data.get("kinds") or list(c.proposed_kinds)
    c.decided_amount = ctx.data.get("amount", c.proposed_amount)
    c.decided_on = ctx.data.get("decided_on") or ctx.today
    c.orders = ctx.data.get("orders") or []
    if ctx.data.get("amount_reason"):
        c.amount_reason = ctx.data["amount_reason"]
    if ctx.data.get("crime_transfer"):
        c.crime_transfer = ctx.data["crime_transfer"]


def _set_no_penalty(ctx: Context) -> None:
    c = ctx.case
    c.decided_kinds, c.decided_amount = [], None
    c.decided_on = ctx.data.get("decided_on") or ctx.today
    c.facts = {**c.facts, "no_penalty_ground": ctx.data.get("outcome") or c.proposed_outcome}
    if ctx.data.get("crime_transfer"):
        c.crime_transfer = ctx.data["crime_transfer"]


def _set_transfer(ctx: Context) -> None:
    c = ctx.case
    c.transfer = {
        "to": ctx.data["to"],
        "reason": ctx.data["reason"],
        "recipient": ctx.data["recipient"],
        "on": ctx.today.isoformat(),
    }
    if ctx.data["to"] == "public_security":
        c.crime_transfer = {"decision": "transferred", "reason": ctx.data["reason"]}


def _set_hearing_schedule(ctx: Context) -> None:
    c = ctx.case
    c.hearing_date, c.hearing_notice_on, c.hearing_chair = (
        ctx.data["hearing_date"],
        ctx.data["notice_on"],
        ctx.data["chair"],
    )


def _set_hearing_held(ctx: Context) -> None:
    ctx.case.hearing_record = {
        "held_on": ctx.data["held_on"].isoformat(),
        "attended": ctx.data["attended"],
        "waived": not ctx.data["attended"],
        "record": ctx.data["record"],
    }


def _set_execution(ctx: Context) -> None:
    d = ctx.data
    ctx.case.execution = {
        "completed_on": d["completed_on"].isoformat(),
        "paid_amount": str(d["paid_amount"]) if d["paid_amount"] is not None else None,
        "receipt_number": d["receipt_number"],
        "note": d["note"],
    }


def _draft_publication(ctx: Context) -> None:
    """事后公开: draft and mask the decision's publication, start its deadline (国办发〔2018〕118号)."""
    from cases.services.publication import draft_publication

    draft_publication(ctx)


def publication_settled(ctx: Context) -> Violation | None:
    """结案: a decision that must be published is published (国办发〔2018〕118号, Art.48)."""
    from cases.services.publication import publication_settled as settled

    return settled(ctx)


def _notice_data(ctx: Context) -> dict[str, Any]:
    return {**ctx.data, "_hearing_right": g.hearing_right(ctx)}


def _registered(ctx: Context) -> bool:
    """A case that was registered (立案) has a closing approval form; a declined lead has none."""
    return bool(ctx.case.case_number)


# ---------------------------------------------------------------- the declaration

INVESTIGATION = (g.handler, g.no_pending_recusal, g.two_certified_officers)
BEFORE_DECISION = (
    g.review_passed("legal_review"),
    g.review_passed("deliberation"),
    g.review_passed("risk_assessment"),
    g.crime_transfer_decided,
)

PENALTY = Workflow(
    name="penalty",
    title=gettext_lazy("General procedure of an administrative penalty"),
    initial=S.LEAD,
    terminal=frozenset({S.ARCHIVED}),
    states=[(s.value, s.label) for s in S],
    transitions=[
        Transition(
            "check",
            (S.LEAD,),
            S.PRELIMINARY_CHECK,
            (g.agency_officer,),
            (),
            gettext_lazy("start preliminary check"),
            clean=clean_nothing,
        ),
        Transition(
            "decline",
            (S.LEAD, S.PRELIMINARY_CHECK),
            S.DECLINED,
            (g.head_required("行政处罚法 Art.54"),),
            (
                assign(facts=lambda c: {**c.case.facts, "decline_reason": c.data["reason"]}),
                satisfy_deadline(REGISTRATION),
            ),
            gettext_lazy("decline to register"),
            clean=clean_reason,
        ),
        Transition(
            "register",
            (S.PRELIMINARY_CHECK,),
            S.REGISTERED,
            (
                g.head_required("行政处罚法 Art.54"),
                g.party_identified,
                g.not_time_barred,
                documents_ready("case_registration"),
            ),
            (
                assign(registered_on=lambda c: c.data["registered_on"] or c.today),
                satisfy_deadline(REGISTRATION),
                take_number("case_number", "penalty_case"),
                issue_document("case_registration", on=lambda c: c.case.registered_on),
                start_deadline(
                    kind=DECISION,
                    title="处罚决定期限",
                    basis="行政处罚法 Art.60",
                    unit="calendar_days",
                    setting="cases.decision_calendar_days",
                    default=90,
                    start=lambda case: case.registered_on,
                ),
            ),
            gettext_lazy("register the case (立案)"),
            clean=clean_register,
            warnings=(g.registration_late,),
        ),
        Transition(
            "investigate",
            (S.REGISTERED,),
            S.INVESTIGATING,
            INVESTIGATION,
            (),
            gettext_lazy("start investigation"),
            clean=clean_nothing,
        ),
        *x.CORRECTION_TRANSITIONS,
        Transition(
            "report",
            (S.INVESTIGATING,),
            S.INVESTIGATION_REPORTED,
            (
                *INVESTIGATION,
                g.amount_within_statutory_maximum,
                g.amount_reason_given,
                documents_ready("investigation_report"),
            ),
            (_set_report, issue_document("investigation_report", on=lambda c: c.today)),
            gettext_lazy("file the investigation report"),
            clean=clean_report,
        ),
        Transition(
            "reinvestigate",
            (S.INVESTIGATION_REPORTED, S.NOTIFIED),
            S.INVESTIGATING,
            (g.handler, g.no_pending_recusal),
            (cancel_deadline(STATEMENT), cancel_deadline(HEARING_REQUEST)),
            gettext_lazy("return to investigation"),
            clean=clean_reason,
        ),
        Transition(
            "notify",
            (S.INVESTIGATION_REPORTED, S.NOTIFIED, S.HEARING_HELD),
            S.NOTIFIED,
            (
                g.handler,
                g.proposes_penalty,
                date_not_before_registration("delivered_on"),
                delivery_lawful,
                documents_ready("penalty_notice"),
                documents_ready("hearing_right_notice", when=g.hearing_right),
                receipt_ready("notice"),
                ELECTRONIC_CONSENT_READY,
            ),
            (
                _set_notice,
                _record_delivery("notice", "notice_delivered_on"),
                issue_document("penalty_notice", on=not_after_today("delivered_on"), data=_notice_data),
                # 听证告知书 where the penalty carries a hearing right (Art.63; 自然资源处罚办法 Art.34)
                issue_document(
                    "hearing_right_notice", on=not_after_today("delivered_on"), when=g.hearing_right
                ),
                issue_electronic_consent,
                issue_delivery_receipt("notice"),
                start_deadline(
                    kind=STATEMENT,
                    title="陈述申辩期限",
                    basis="行政处罚法 Art.45",
                    unit="workdays",
                    setting="cases.statement_window_workdays",
                    default=5,
                    start=lambda case: case.notice_delivered_on,
                ),
                start_deadline(
                    kind=HEARING_REQUEST,
                    title="听证申请期限",
                    basis="行政处罚法 Art.64",
                    unit="workdays",
                    setting="cases.hearing_request_workdays",
                    default=5,
                    start=lambda case: case.notice_delivered_on,
                ),
            ),
            gettext_lazy("notify the party of the proposed penalty (事先告知)"),
            clean=clean_notice,
        ),
        Transition(
            "record_statement",
            (S.NOTIFIED,),
            S.NOTIFIED,
            (g.handler,),
            (_set_statement, satisfy_deadline(STATEMENT)),
            gettext_lazy("record the statement and defence"),
            clean=clean_statement,
        ),
        Transition(
            "request_hearing",
            (S.NOTIFIED,),
            S.HEARING_REQUESTED,
            (g.handler, g.hearing_right_exists, g.hearing_request_in_time),
            (
                assign(hearing_requested_on=lambda c: c.data["requested_on"]),
                satisfy_deadline(HEARING_REQUEST),
                pause_deadline(DECISION, "听证", lambda c: c.data["requested_on"]),
            ),
            gettext_lazy("record the hearing request"),
            clean=clean_hearing_request,
        ),
        Transition(
            "schedule_hearing",
            (S.HEARING_REQUESTED,),
            S.HEARING_SCHEDULED,
            (
                g.handler,
                g.hearing_notice_in_time,
                g.chair_not_investigator,
                documents_ready("hearing_notice"),
            ),
            (_set_hearing_schedule, issue_document("hearing_notice", on=lambda c: c.case.hearing_notice_on)),
            gettext_lazy("schedule the hearing"),
            clean=clean_hearing_schedule,
        ),
        Transition(
            "hold_hearing",
            (S.HEARING_SCHEDULED,),
            S.HEARING_HELD,
            (g.handler,),
            (_set_hearing_held, resume_deadline(DECISION, lambda c: c.data["held_on"])),
            gettext_lazy("record the hearing (or the party's absence)"),
            clean=clean_hearing_held,
        ),
        Transition(
            "decide",
            (S.NOTIFIED, S.HEARING_HELD),
            S.DECIDED,
            (
                g.head_required("行政处罚法 Art.57"),
                g.notice_delivered,
                g.statement_heard,
                g.statement_answered,
                g.hearing_window_closed,
                g.decision_not_heavier,
                g.amount_within_statutory_maximum,
                g.amount_reason_given,
                x.orders_for_kinds,
                *BEFORE_DECISION,
                documents_ready("penalty_decision"),
            ),
            (
                _set_decision,
                # one gap-free number (sequence "penalty_decision") for the document and the case
                issue_document("penalty_decision", field="decision_number", on=lambda c: c.case.decided_on),
                satisfy_deadline(DECISION),
                satisfy_deadline(STATEMENT),
                satisfy_deadline(HEARING_REQUEST),
                start_deadline(
                    kind=DELIVERY,
                    title="决定书送达期限",
                    basis="行政处罚法 Art.61",
                    unit="workdays",
                    setting="cases.delivery_workdays",
                    default=7,
                    start=lambda case: case.decided_on,
                ),
            ),
            gettext_lazy("decide the penalty"),
            clean=clean_decision,
        ),
        Transition(
            "decide_no_penalty",
            (S.INVESTIGATION_REPORTED, S.NOTIFIED, S.HEARING_HELD),
            S.NO_PENALTY,
            (
                g.head_required("行政处罚法 Art.57"),
                g.proposes_no_penalty,
                *BEFORE_DECISION,
                documents_ready("no_penalty_decision"),
            ),
            (
                _set_no_penalty,
                issue_document(
                    "no_penalty_decision", field="decision_number", on=lambda c: c.case.decided_on
                ),
                satisfy_deadline(DECISION),
                cancel_open_deadlines,
                _draft_publication,
            ),
            gettext_lazy("decide not to penalise"),
            clean=clean_decision,
        ),
        Transition(
            "transfer",
            (S.INVESTIGATING, S.INVESTIGATION_REPORTED),
            S.TRANSFERRED,
            (g.head_required("行政处罚法 Arts.27, 57"),),
            (_set_transfer, cancel_open_deadlines),
            gettext_lazy("transfer the case"),
            clean=clean_transfer,
        ),
        Transition(
            "deliver",
            (S.DECIDED,),
            S.DELIVERED,
            (
                g.handler,
                delivered_not_before_decision,
                delivery_lawful,
                x.order_deadlines_after_delivery,
                receipt_ready("decision"),
                ELECTRONIC_CONSENT_READY,
            ),
            (
                _record_delivery("decision", "delivered_on"),
                issue_electronic_consent,
                issue_delivery_receipt("decision"),
                satisfy_deadline(DELIVERY),
                x.start_order_deadlines,
                start_payment_deadline(
                    lambda case: case.delivered_on if PenaltyKind.FINE in case.decided_kinds else None
                ),
                _draft_publication,
            ),
            gettext_lazy("record the delivery of the decision"),
            clean=clean_delivery,
        ),
        Transition(
            "execute",
            (S.DELIVERED,),
            S.EXECUTING,
            (g.handler,),
            (),
            gettext_lazy("start execution"),
            clean=clean_nothing,
        ),
        *x.EXECUTION_TRANSITIONS,
        Transition(
            "complete_execution",
            (S.EXECUTING,),
            S.EXECUTED,
            (g.handler, fully_paid, x.orders_performed),
            (
                _record_payment,
                _set_execution,
                satisfy_deadline(PAYMENT),
                cancel_deadlines_like(x.REMINDER_DEADLINE, x.COURT_DEADLINE),
            ),
            gettext_lazy("record completed execution"),
            clean=clean_execution,
        ),
        Transition(
            "close",
            (S.EXECUTED, S.NO_PENALTY, S.TRANSFERRED, S.DECLINED),
            S.CLOSED,
            (
                g.head_required("行政处罚法 Art.47"),
                steps_complete,
                publication_settled,
                g.crime_transfer_decided,
                documents_ready("closing_approval", when=_registered),
            ),
            (
                assign(closed_on=lambda c: c.today),
                cancel_open_deadlines,
                issue_document("closing_approval", on=lambda c: c.today, when=_registered),
            ),
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
PENALTY = g.with_every_step(PENALTY, g.av_recorded)
