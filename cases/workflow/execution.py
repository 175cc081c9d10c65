"""Execution of the decision in the general procedure: orders, money, 催告 and the court.

Declared here (request bodies, guards, effects) and wired into `cases/workflow/penalty.py`:

- orders of the decision (most land cases): 责令退还土地, 限期拆除, 恢复原状 with their deadline, and
  没收 buildings and facilities, handed to the government within 90 days (土地管理法实施条例 Art.58);
  each verified on site (date, officers, finding) or enforced by the court; the court may be asked to
  enforce a demolition only after the 15-day suit window (土地管理法 Art.83) and the reconsideration
  period have passed unused (行政强制法 Art.44);
- money: deferral or instalments approved by the head (行政处罚法 Art.66) move the due dates;
  a written reminder (催告, 行政强制法 Art.35) is served once the party is late; the court may be
  applied to 10 working days after it (Art.54), within 3 months after the 复议/诉讼 periods
  (Art.53); the court's outcome is recorded;
- 责令停止违法行为 / 责令改正 during the investigation (行政处罚法 Art.28) with a deadline on the clock.

Every figure is a LegalSetting with a default (cases/migrations/0004); periods of 2, 3, 5 or 7 days
are working days (行政处罚法 Art.85), periods of up to 10 days under 行政强制法 too (Art.69).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CaseStatus as S
from cases.models import DeliveredDocument, PaymentChannel, PenaltyKind
from cases.selectors import case_deadlines, legal_setting_int
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
from cases.workflow.effects import PAYMENT_DEADLINE_KIND, day_unit, deadline_open
from cases.workflow.engine import Context, Transition, Violation
from core.errors import ValidationFailed
from core.services.calendar import add_workdays
from core.services.clock import deadline_cancel, deadline_satisfy

# ---------------------------------------------------------------- orders of the decision

RETURN_LAND = "return_land"
DEMOLISH = "demolish"
RESTORE = "restore"
CONFISCATE = "confiscate_buildings"
ORDER_KINDS = (RETURN_LAND, DEMOLISH, RESTORE, CONFISCATE)
ORDER_LABELS = {
    RETURN_LAND: gettext_lazy("order to return the land (责令退还土地)"),
    DEMOLISH: gettext_lazy("order to demolish within a deadline (限期拆除)"),
    RESTORE: gettext_lazy("order to restore the land (恢复原状)"),
    CONFISCATE: gettext_lazy("confiscation of buildings and facilities (没收)"),
}
ORDER_BASIS = {
    RETURN_LAND: "土地管理法 Arts.77, 81",
    DEMOLISH: "土地管理法 Arts.77, 83",
    RESTORE: "土地管理法 Art.77",
    CONFISCATE: "土地管理法 Art.77; 土地管理法实施条例 Art.58",
}
# Order states: pending → verified (on site) | enforced (by the court) | handed_over (confiscation)
DONE = ("verified", "enforced", "handed_over")
ORDER_DEADLINE = "cases.order"
HANDOVER_DEADLINE = "cases.confiscation_handover"
REMINDER_DEADLINE = "cases.reminder"
COURT_DEADLINE = "cases.court_application"
CORRECTION_DEADLINE = "cases.correction"
SUBJECTS = ("fine", "orders")


def _days(raw: Any, key: str) -> int:
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = 0
    if isinstance(raw, bool) or days < 1 or days > 3650:
        raise ValidationFailed(
            _("A period is a whole number of days of at least 1."),
            field_errors={key: [_("Enter the number of days, e.g. 15.")]},
        )
    return days


def clean_orders(raw: Any) -> list[dict[str, Any]]:
    """The orders a decision gives: [{kind, description, days | deadline}] (days from receipt, or a
    date). Confiscation has no deadline for the party (the agency hands the buildings over)."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or any(not isinstance(o, Mapping) for o in raw):
        raise ValidationFailed(
            _("Orders are a list of {kind, description, days or deadline}."),
            field_errors={"orders": [_("Give each order as {kind, description, days or deadline}.")]},
        )
    out: list[dict[str, Any]] = []
    for n, order in enumerate(raw, start=1):
        kind = order.get("kind")
        if kind not in ORDER_KINDS:
            raise ValidationFailed(
                _("Order %(n)d: choose its kind (%(kinds)s).") % {"n": n, "kinds": ", ".join(ORDER_KINDS)},
                field_errors={"orders": [_("Order %(n)d has no valid kind.") % {"n": n}]},
            )
        item: dict[str, Any] = {
            "n": n,
            "kind": kind,
            "description": str(order.get("description") or "").strip(),
            "days": None,
            "deadline": None,
            "due_on": None,
            "status": "pending",
            "verifications": [],
        }
        if kind != CONFISCATE:
            if order.get("deadline"):
                item["deadline"] = g.parse_date(order, "deadline").isoformat()  # type: ignore[union-attr]
            elif order.get("days") not in (None, ""):
                item["days"] = _days(order.get("days"), "orders")
            else:
                raise ValidationFailed(
                    _("Order %(n)d needs its deadline: days from receipt of the decision, or a date.")
                    % {"n": n},
                    field_errors={"orders": [_("Order %(n)d: give days or deadline.") % {"n": n}]},
                )
        out.append(item)
    return out


def orders_for_kinds(ctx: Context) -> Violation | None:
    """A decision to demolish names the order and its deadline; confiscating buildings names them
    (行政处罚法 Art.59: penalty, manner and deadline of performance)."""
    if ctx.preview:
        return None
    kinds = ctx.data.get("kinds") or ctx.case.proposed_kinds or []
    orders = {o["kind"] for o in ctx.data.get("orders") or []}
    missing = []
    if PenaltyKind.DEMOLITION in kinds and not orders & {DEMOLISH, RESTORE}:
        missing.append(str(ORDER_LABELS[DEMOLISH]))
    if PenaltyKind.CONFISCATION in kinds and ctx.case.facts.get("buildings") and CONFISCATE not in orders:
        missing.append(str(ORDER_LABELS[CONFISCATE]))
    if not missing:
        return None
    return Violation(
        "order_missing",
        _("The decision must state %(orders)s with its deadline for the party (orders).")
        % {"orders": "、".join(missing)},
        ("行政处罚法 Art.59; 土地管理法 Art.77"),
    )


def order_deadlines_after_delivery(ctx: Context) -> Violation | None:
    on = ctx.data.get("delivered_on")
    if on is None:
        return None
    early = [o["n"] for o in ctx.case.orders if o.get("deadline") and o["deadline"] <= on.isoformat()]
    if not early:
        return None
    return Violation(
        "order_deadline_passed",
        _(
            "The deadline of order(s) %(orders)s is not after the delivery (%(on)s): the party has no "
            "time to perform; correct the decision."
        )
        % {"orders": ", ".join(map(str, early)), "on": on},
        ("行政处罚法 Art.59"),
    )


def start_order_deadlines(ctx: Context) -> None:
    """On delivery: each order's deadline from receipt; 没收 buildings handed over within 90 days."""
    served = ctx.case.delivered_on
    if served is None or not ctx.case.orders:
        return
    orders = [dict(o) for o in ctx.case.orders]
    for order in orders:
        if order["kind"] == CONFISCATE:
            continue
        if order.get("deadline"):
            due = datetime.date.fromisoformat(order["deadline"])
            unit, amount = "calendar_days", (due - served).days
        else:
            unit, amount = day_unit(order["days"]), order["days"]
        dl = deadline_open(
            ctx,
            kind=f"{ORDER_DEADLINE}.{order['n']}",
            title=f"{ORDER_LABELS[order['kind']]} 履行期限",
            basis=ORDER_BASIS[order["kind"]],
            unit=unit,
            amount=amount,
            start=served,
        )
        order["due_on"] = dl.due_date.isoformat()
    if any(o["kind"] == CONFISCATE for o in orders):
        dl = deadline_open(
            ctx,
            kind=HANDOVER_DEADLINE,
            title="没收建筑物移交政府期限",
            basis="土地管理法实施条例 Art.58",
            unit="calendar_days",
            amount=legal_setting_int("cases.confiscation_handover_days", 90),
            start=served,
        )
        for o in orders:
            if o["kind"] == CONFISCATE:
                o["due_on"] = dl.due_date.isoformat()
    ctx.case.orders = orders


def _order(ctx: Context) -> dict[str, Any] | None:
    n = ctx.data.get("order")
    return next((o for o in ctx.case.orders if o["n"] == n), None)


def _replace_order(ctx: Context, order: dict[str, Any]) -> None:
    ctx.case.orders = [order if o["n"] == order["n"] else o for o in ctx.case.orders]


def has_orders(ctx: Context) -> Violation | None:
    if any(o["status"] == "pending" for o in ctx.case.orders):
        return None
    return Violation(
        "no_pending_order",
        _("The decision has no order still to be performed (return land, demolish, restore, confiscate)."),
        ("行政处罚法 Art.59"),
    )


def order_chosen(kinds: tuple[str, ...]) -> Any:
    def guard(ctx: Context) -> Violation | None:
        if ctx.preview:
            return None
        order = _order(ctx)
        if order is not None and order["kind"] in kinds and order["status"] == "pending":
            return None
        return Violation(
            "order_not_pending",
            _("Order %(n)s is not a pending order of the kind this act is for (%(kinds)s).")
            % {"n": ctx.data.get("order"), "kinds": "、".join(str(ORDER_LABELS[k]) for k in kinds)},
            ("行政处罚法 Art.59"),
        )

    guard.__name__ = "order_chosen"
    return guard


def clean_order_verification(data: Mapping[str, Any]) -> dict[str, Any]:
    """核查: {order, verified_on, officer_ids (≥ 2), finding, complied (default true)}."""
    ids = data.get("officer_ids") or []
    if not isinstance(ids, list) or len({str(i) for i in ids}) < 2:
        raise ValidationFailed(
            _("An on-site verification is made by at least two officers."),
            field_errors={"officer_ids": [_("Choose at least two officers who verified on site.")]},
        )
    return {
        "order": _order_number(data),
        "verified_on": g.parse_date(data, "verified_on"),
        "officer_ids": sorted({int(i) for i in ids if str(i).isdigit()}),
        "finding": g.require_text(data, "finding"),
        "complied": bool(data.get("complied", True)),
    }


def _order_number(data: Mapping[str, Any]) -> int:
    try:
        return int(data.get("order"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Choose the order (its number in the decision)."),
            field_errors={"order": [_("Choose an order of the decision.")]},
        ) from None


def verifiers_certified(ctx: Context) -> Violation | None:
    """The verifying officers are officers of the agency with valid certificates (Arts.42, 55)."""
    from org.selectors import officers_may_investigate, visible_officers

    if ctx.preview:
        return None
    officers = list(
        visible_officers(None).filter(pk__in=ctx.data["officer_ids"], agency_id=ctx.case.agency_id)
    )
    verdict = officers_may_investigate(
        officers=officers, field_code=ctx.case.field_code, on=ctx.data["verified_on"]
    )
    if len(officers) >= 2 and verdict.allowed:
        return None
    return Violation(
        "verifiers_not_certified",
        verdict.reason if not verdict.allowed else _("At least two officers of the agency verify on site."),
        ("行政处罚法 Arts.42, 55"),
    )


def date_after_delivery(key: str) -> Any:
    def guard(ctx: Context) -> Violation | None:
        on, served = ctx.data.get(key), ctx.case.delivered_on
        if on is None or served is None or on >= served:
            return None
        return Violation(
            "date_before_delivery",
            _("%(on)s lies before the decision was delivered (%(served)s).") % {"on": on, "served": served},
            ("行政处罚法 Art.61"),
        )

    guard.__name__ = f"{key}_after_delivery"
    return guard


def _set_verification(ctx: Context) -> None:
    order = dict(_order(ctx) or {})
    record = {
        "verified_on": ctx.data["verified_on"].isoformat(),
        "officer_ids": ctx.data["officer_ids"],
        "finding": ctx.data["finding"],
        "complied": ctx.data["complied"],
    }
    order["verifications"] = [*order.get("verifications", []), record]
    if ctx.data["complied"]:
        order["status"] = "verified"
        for dl in case_deadlines(case=ctx.case, kind=f"{ORDER_DEADLINE}.{order['n']}", open_only=True):
            deadline_satisfy(actor=ctx.actor, deadline=dl, by_act=f"case.{ctx.action}")
    _replace_order(ctx, order)


def clean_handover(data: Mapping[str, Any]) -> dict[str, Any]:
    """移交: {order, handed_on, recipient (the government or its designated department), note}."""
    return {
        "order": _order_number(data),
        "handed_on": g.parse_date(data, "handed_on"),
        "recipient": g.require_text(data, "recipient"),
        "note": str(data.get("note") or ""),
    }


def _set_handover(ctx: Context) -> None:
    order = dict(_order(ctx) or {})
    order["status"] = "handed_over"
    order["handover"] = {
        "handed_on": ctx.data["handed_on"].isoformat(),
        "recipient": ctx.data["recipient"],
        "note": ctx.data["note"],
    }
    _replace_order(ctx, order)
    if not any(o["kind"] == CONFISCATE and o["status"] == "pending" for o in ctx.case.orders):
        for dl in case_deadlines(case=ctx.case, kind=HANDOVER_DEADLINE, open_only=True):
            deadline_satisfy(actor=ctx.actor, deadline=dl, by_act=f"case.{ctx.action}")


def orders_performed(ctx: Context) -> Violation | None:
    """Execution is complete only once every order is verified on site, enforced or handed over."""
    open_orders = [o for o in ctx.case.orders if o["status"] not in DONE]
    if not open_orders:
        return None
    return Violation(
        "orders_not_performed",
        _("Order(s) %(orders)s are not yet verified on site, enforced by the court or handed over.")
        % {"orders": "、".join(f"{o['n']} {ORDER_LABELS[o['kind']]}" for o in open_orders)},
        ("土地管理法 Arts.77, 83; 土地管理法实施条例 Art.58"),
    )


# ---------------------------------------------------------------- money: deferral and instalments


def clean_payment_plan(data: Mapping[str, Any]) -> dict[str, Any]:
    """延期 / 分期: {kind: deferral|instalments, applied_on, approved_on, reason,
    due_date (deferral) | instalments: [{due_date, amount}]}."""
    kind = data.get("kind")
    if kind not in ("deferral", "instalments"):
        raise ValidationFailed(
            _("Choose deferral or instalments."), field_errors={"kind": [_("deferral or instalments.")]}
        )
    out: dict[str, Any] = {
        "kind": kind,
        "applied_on": g.parse_date(data, "applied_on"),
        "approved_on": g.parse_date(data, "approved_on"),
        "reason": g.require_text(data, "reason"),
    }
    if kind == "deferral":
        out["due_date"] = g.parse_date(data, "due_date")
        return out
    raw = data.get("instalments")
    if not isinstance(raw, list) or len(raw) < 2 or any(not isinstance(i, Mapping) for i in raw):
        raise ValidationFailed(
            _("Instalments are a list of at least two {due_date, amount}."),
            field_errors={"instalments": [_("Give at least two instalments with due date and amount.")]},
        )
    items: list[dict[str, Any]] = []
    for item in raw:
        due = g.parse_date(item, "due_date")
        amount = g.parse_money(item, "amount", required=True)
        if not amount:
            raise ValidationFailed(
                _("Each instalment is a positive amount."),
                field_errors={"instalments": [_("Each instalment is a positive amount.")]},
            )
        items.append({"due_date": due, "amount": amount})
    dates = [i["due_date"] for i in items]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ValidationFailed(
            _("Instalments follow one another: each due date after the one before."),
            field_errors={"instalments": [_("Order the instalments by due date, one per date.")]},
        )
    out["instalments"] = items
    return out


def fine_outstanding(ctx: Context) -> Violation | None:
    from cases.services.execution import outstanding_fine

    if PenaltyKind.FINE in (ctx.case.decided_kinds or []) and outstanding_fine(ctx.case) > 0:
        return None
    return Violation(
        "no_fine_outstanding",
        _("There is no unpaid fine in this case."),
        ("行政处罚法 Arts.66–67"),
    )


def no_plan_yet(ctx: Context) -> Violation | None:
    if not ctx.case.payment_plan:
        return None
    return Violation(
        "payment_plan_exists",
        _("A deferral or instalment plan was already approved on %(on)s.")
        % {"on": ctx.case.payment_plan.get("approved_on")},
        ("行政处罚法 Art.66"),
    )


def plan_consistent(ctx: Context) -> Violation | None:
    """Approved after the party applied, before the fine was due; instalments add up to what is owed."""
    from cases.services.execution import outstanding_fine, payment_due_date

    if ctx.preview:
        return None
    d = ctx.data
    problems: list[str] = []
    if d["approved_on"] < d["applied_on"]:
        problems.append(str(_("the approval comes before the application")))
    if ctx.case.delivered_on and d["applied_on"] < ctx.case.delivered_on:
        problems.append(str(_("the application comes before the decision was delivered")))
    first = d["due_date"] if d["kind"] == "deferral" else d["instalments"][0]["due_date"]
    if first <= d["approved_on"]:
        problems.append(str(_("the (first) new due date is not after the approval")))
    due = payment_due_date(ctx.case)
    if due is not None and first <= due:
        problems.append(
            str(_("the (first) new due date is not after the current due date %(due)s") % {"due": due})
        )
    if d["kind"] == "instalments":
        total = sum((i["amount"] for i in d["instalments"]), Decimal("0"))
        owed = outstanding_fine(ctx.case)
        if total != owed:
            problems.append(
                str(
                    _("the instalments add up to %(total)s yuan, but %(owed)s yuan are owed")
                    % {"total": total, "owed": owed}
                )
            )
    if not problems:
        return None
    return Violation(
        "payment_plan_invalid",
        _("The deferral or instalment plan is not consistent: %(problems)s.")
        % {"problems": "；".join(problems)},
        ("行政处罚法 Art.66"),
    )


def _set_payment_plan(ctx: Context) -> None:
    """The payment deadline moves: the old one is cancelled and the plan's date(s) start instead."""
    d = ctx.data
    for dl in case_deadlines(case=ctx.case, kind=PAYMENT_DEADLINE_KIND, open_only=True):
        deadline_cancel(actor=ctx.actor, deadline=dl, reason="payment plan approved (行政处罚法 Art.66)")
    plan: dict[str, Any] = {
        "kind": d["kind"],
        "applied_on": d["applied_on"].isoformat(),
        "approved_on": d["approved_on"].isoformat(),
        "reason": d["reason"],
    }
    start = d["approved_on"]
    if d["kind"] == "deferral":
        dl = deadline_open(
            ctx,
            kind=PAYMENT_DEADLINE_KIND,
            title="罚款暂缓缴纳期限",
            basis="行政处罚法 Art.66",
            unit="calendar_days",
            amount=(d["due_date"] - start).days,
            start=start,
            restart=False,
        )
        # the due date as the clock reckons it (a last day on a rest day moves, 民诉法 Art.85)
        plan["due_date"] = dl.due_date.isoformat()
    else:
        plan["instalments"] = []
        for n, item in enumerate(d["instalments"], start=1):
            dl = deadline_open(
                ctx,
                kind=PAYMENT_DEADLINE_KIND,
                title=f"罚款分期缴纳期限（第{n}期）",
                basis="行政处罚法 Art.66",
                unit="calendar_days",
                amount=(item["due_date"] - start).days,
                start=start,
                restart=False,
            )
            plan["instalments"].append(
                {"due_date": dl.due_date.isoformat(), "amount": str(item["amount"]), "deadline_id": dl.pk}
            )
    ctx.case.payment_plan = plan


# ---------------------------------------------------------------- 催告 and the court


def clean_subject(data: Mapping[str, Any]) -> str:
    subject = data.get("subject") or "fine"
    if subject not in SUBJECTS:
        raise ValidationFailed(
            _("Say what is enforced: the fine or the orders."),
            field_errors={"subject": [_("fine or orders.")]},
        )
    return str(subject)


def clean_reminder(data: Mapping[str, Any]) -> dict[str, Any]:
    """催告书: {subject: fine|orders} and its delivery (method, delivered_on, …)."""
    from cases.services.execution import clean_delivery_data

    return {"subject": clean_subject(data), **clean_delivery_data(data), "note": str(data.get("note") or "")}


def _enforceable_orders(case: Any) -> list[dict[str, Any]]:
    return [o for o in case.orders if o["kind"] != CONFISCATE and o["status"] == "pending"]


def _subject(ctx: Context) -> str:
    return str(ctx.data.get("subject") or "fine")


def obligation_overdue(ctx: Context) -> Violation | None:
    """A reminder is served once the party failed to perform by the deadline (行政强制法 Art.35)."""
    from cases.services.execution import overdue_amount

    on = ctx.data.get("delivered_on") or ctx.today
    subject = _subject(ctx)
    if subject == "fine":
        if PenaltyKind.FINE in (ctx.case.decided_kinds or []) and overdue_amount(ctx.case, on) > 0:
            return None
        if ctx.preview and any(
            o["due_on"] and o["due_on"] < on.isoformat() for o in _enforceable_orders(ctx.case)
        ):
            return None
        message = _(
            "No part of the fine is overdue: a reminder is served only after the payment deadline passed."
        )
    else:
        if any(o["due_on"] and o["due_on"] < on.isoformat() for o in _enforceable_orders(ctx.case)):
            return None
        message = _(
            "No order is overdue: a reminder is served only after an order's deadline passed unperformed."
        )
    return Violation("obligation_not_overdue", message, ("行政强制法 Arts.35, 54"))


def decision_in_force(ctx: Context) -> Violation | None:
    if ctx.case.decision_revoked_on is None:
        return None
    return Violation(
        "decision_revoked",
        _("The decision was revoked or found unlawful on %(on)s: it is not enforced.")
        % {"on": ctx.case.decision_revoked_on},
        ("行政强制法 Art.53"),
    )


def _set_reminder(ctx: Context) -> None:
    """Record the reminder (its contents per Art.35), start the 10-WD wait (Art.54) and the court window."""
    from cases.services.execution import _delivery_create, case_late_surcharge, court_window, outstanding_fine

    delivery = _delivery_create(
        actor=ctx.actor, case=ctx.case, document=DeliveredDocument.REMINDER, cleaned=ctx.data
    )
    ctx.notes["delivery_id"] = delivery.pk
    subject, served = _subject(ctx), delivery.delivered_on
    wait = legal_setting_int("cases.reminder_perform_workdays", 10)
    perform_by = add_workdays(served, wait).date
    reminder: dict[str, Any] = {
        "subject": subject,
        "served_on": served.isoformat(),
        "method": delivery.method,
        "delivery_id": delivery.pk,
        "perform_by": perform_by.isoformat(),
        "statement_right": True,  # Art.35(四): the party may state and defend
        "note": ctx.data["note"],
    }
    if subject == "fine":
        reminder["fine_outstanding"] = str(outstanding_fine(ctx.case))
        reminder["surcharge"] = str(case_late_surcharge(case=ctx.case, on=served))
    else:
        reminder["orders"] = [o["n"] for o in _enforceable_orders(ctx.case)]
    enforcement = dict(ctx.case.enforcement or {})
    enforcement["reminders"] = [*enforcement.get("reminders", []), reminder]
    ctx.case.enforcement = enforcement
    deadline_open(
        ctx,
        kind=f"{REMINDER_DEADLINE}.{subject}",
        title="催告履行期限",
        basis="行政强制法 Arts.35, 54",
        unit="workdays",
        amount=wait,
        start=served,
    )
    window = court_window(ctx.case, demolition_only=_demolition_only(ctx.case, subject))
    if window is not None:
        start = window[0] - datetime.timedelta(days=1)
        deadline_open(
            ctx,
            kind=f"{COURT_DEADLINE}.{subject}",
            title="申请法院强制执行期限",
            basis="行政强制法 Art.53",
            unit="months",
            amount=legal_setting_int("cases.court_application_months", 3),
            start=start,
        )


def _note_reminder_number(ctx: Context) -> None:
    """The 催告书's number on the reminder entry (the court application names it, Art.55)."""
    issued = [d for d in ctx.notes.get("documents", []) if d["kind"] == "payment_reminder"]
    reminders = list((ctx.case.enforcement or {}).get("reminders", []))
    if issued and reminders:
        reminders[-1] = {**reminders[-1], "number": issued[-1]["number"]}
        ctx.case.enforcement = {**ctx.case.enforcement, "reminders": reminders}


def _has_reminder(ctx: Context) -> bool:
    return _last_reminder(ctx.case, _subject(ctx)) is not None


def _demolition_only(case: Any, subject: str) -> bool:
    orders = _enforceable_orders(case)
    return subject == "orders" and bool(orders) and all(o["kind"] == DEMOLISH for o in orders)


def clean_court_application(data: Mapping[str, Any]) -> dict[str, Any]:
    """申请法院强制执行: {subject: fine|orders, applied_on, court, note}."""
    return {
        "subject": clean_subject(data),
        "applied_on": g.parse_date(data, "applied_on"),
        "court": g.require_text(data, "court"),
        "note": str(data.get("note") or ""),
    }


def _last_reminder(case: Any, subject: str) -> dict[str, Any] | None:
    found = [r for r in (case.enforcement or {}).get("reminders", []) if r["subject"] == subject]
    return found[-1] if found else None


def reminder_elapsed(ctx: Context) -> Violation | None:
    """Art.54: a reminder first; the court only after 10 working days from its service."""
    subject = _subject(ctx)
    reminder = _last_reminder(ctx.case, subject)
    on = ctx.data.get("applied_on") or ctx.today
    if reminder is None:
        return Violation(
            "no_reminder",
            _("Serve a written reminder (催告书) before applying to the court."),
            ("行政强制法 Arts.35, 54"),
        )
    perform_by = datetime.date.fromisoformat(reminder["perform_by"])
    if on > perform_by:
        return None
    return Violation(
        "reminder_period_running",
        _(
            "The reminder was served on %(served)s; the party may perform until %(by)s. Apply to the "
            "court after that day."
        )
        % {"served": reminder["served_on"], "by": perform_by},
        ("行政强制法 Art.54"),
    )


def remedy_periods_lapsed(ctx: Context) -> Violation | None:
    """No application while 复议/诉讼 are pending or their periods run (行政强制法 Arts.44, 53;
    for a demolition order the 15-day suit window, 土地管理法 Art.83)."""
    from cases.services.execution import pending_remedies, remedy_period_end

    subject = _subject(ctx)
    on = ctx.data.get("applied_on") or ctx.today
    pending = pending_remedies(ctx.case)
    if pending:
        return Violation(
            "remedy_pending",
            _("A reconsideration or suit filed on %(on)s is pending: wait for its outcome.")
            % {"on": pending[0].filed_on},
            ("行政强制法 Art.53"),
        )
    demolition = _demolition_only(ctx.case, subject)
    end = remedy_period_end(ctx.case, demolition_only=demolition)
    decided = ctx.case.remedies.exclude(outcome="").exists()
    if end is None or on > end or decided:
        return None
    if subject == "orders":
        return Violation(
            "remedy_period_running",
            _(
                "The party may still apply for reconsideration or sue against the orders until %(end)s; "
                "the court may be asked to enforce them only after that day."
            )
            % {"end": end},
            ("土地管理法 Art.83; 行政强制法 Arts.44, 53"),
        )
    return Violation(
        "remedy_period_running",
        _(
            "The party may still apply for reconsideration or sue until %(end)s; apply to the court "
            "after that day."
        )
        % {"end": end},
        ("行政强制法 Art.53"),
    )


def within_court_window(ctx: Context) -> Violation | None:
    from cases.services.execution import court_window

    subject = _subject(ctx)
    window = court_window(ctx.case, demolition_only=_demolition_only(ctx.case, subject))
    on = ctx.data.get("applied_on") or ctx.today
    if window is None or on <= window[1]:
        return None
    return Violation(
        "court_window_passed",
        _(
            "The court could be applied to until %(end)s (3 months after the reconsideration and litigation "
            "periods ended); that window has passed."
        )
        % {"end": window[1]},
        ("行政强制法 Art.53"),
    )


def still_unperformed(ctx: Context) -> Violation | None:
    from cases.services.execution import outstanding_fine

    subject = _subject(ctx)
    if (
        subject == "fine"
        and PenaltyKind.FINE in (ctx.case.decided_kinds or [])
        and outstanding_fine(ctx.case) > 0
    ):
        return None
    if subject == "orders" and _enforceable_orders(ctx.case):
        return None
    if ctx.preview and (
        _enforceable_orders(ctx.case)
        or (PenaltyKind.FINE in (ctx.case.decided_kinds or []) and outstanding_fine(ctx.case) > 0)
    ):
        return None
    return Violation(
        "nothing_to_enforce",
        _("The party has performed: there is nothing left to enforce."),
        ("行政强制法 Art.53"),
    )


def _set_court_application(ctx: Context) -> None:
    subject = _subject(ctx)
    enforcement = dict(ctx.case.enforcement or {})
    enforcement["court"] = [
        *enforcement.get("court", []),
        {
            "subject": subject,
            "applied_on": ctx.data["applied_on"].isoformat(),
            "court": ctx.data["court"],
            "note": ctx.data["note"],
            "orders": [o["n"] for o in _enforceable_orders(ctx.case)] if subject == "orders" else [],
            "outcome": "",
        },
    ]
    ctx.case.enforcement = enforcement
    for kind in (f"{REMINDER_DEADLINE}.{subject}", f"{COURT_DEADLINE}.{subject}"):
        for dl in case_deadlines(case=ctx.case, kind=kind, open_only=True):
            deadline_satisfy(actor=ctx.actor, deadline=dl, by_act=f"case.{ctx.action}")


COURT_OUTCOMES = ("enforced", "not_accepted", "refused", "terminated")
# On-site measures taken when the court's ruling was enforced (裁执分离: the agency may carry them
# out); the audio-video rules 查封、扣押 and 强制拆除 (records.AvRule, 国办发〔2018〕118号) apply to
# `record_court_outcome` with this `measure`.
ON_SITE_MEASURES = ("", "seizure", "demolition")


def clean_court_outcome(data: Mapping[str, Any]) -> dict[str, Any]:
    """法院裁定与执行结果: {subject, outcome: enforced|not_accepted|refused|terminated, decided_on,
    collected_amount + receipt_number (money collected by the court), note}."""
    outcome = data.get("outcome")
    if outcome not in COURT_OUTCOMES:
        raise ValidationFailed(
            _("Choose the court's outcome."),
            field_errors={"outcome": [_("enforced, not_accepted, refused or terminated.")]},
        )
    amount = g.parse_money(data, "collected_amount")
    receipt = str(data.get("receipt_number") or "").strip()
    if amount and not receipt:
        raise ValidationFailed(
            _("Money collected by the court is recorded with its receipt number."),
            field_errors={"receipt_number": [_("Give the number of the payment receipt.")]},
        )
    measure = str(data.get("measure") or "")
    if measure not in ON_SITE_MEASURES:
        raise ValidationFailed(
            _("Choose the on-site measure taken (seizure, demolition) or none."),
            field_errors={"measure": [_("seizure, demolition or empty.")]},
        )
    return {
        "subject": clean_subject(data),
        "outcome": outcome,
        "decided_on": g.parse_date(data, "decided_on"),
        "collected_amount": amount,
        "receipt_number": receipt,
        "measure": measure,
        "note": str(data.get("note") or ""),
    }


def _open_application(case: Any, subject: str) -> dict[str, Any] | None:
    found = [
        a for a in (case.enforcement or {}).get("court", []) if a["subject"] == subject and not a["outcome"]
    ]
    return found[-1] if found else None


def application_pending(ctx: Context) -> Violation | None:
    subjects = [_subject(ctx)] if not ctx.preview else list(SUBJECTS)
    if any(_open_application(ctx.case, s) for s in subjects):
        return None
    return Violation(
        "no_court_application",
        _("No application to the court awaits its outcome."),
        ("行政强制法 Arts.53, 57"),
    )


def _set_court_outcome(ctx: Context) -> None:
    from cases.services.execution import _payment_create

    subject, d = _subject(ctx), ctx.data
    application = _open_application(ctx.case, subject)
    enforcement = dict(ctx.case.enforcement or {})
    applications: list[dict[str, Any]] = []
    for row in enforcement.get("court", []):
        if id(row) == id(application):
            row = {
                **row,
                "outcome": d["outcome"],
                "decided_on": d["decided_on"].isoformat(),
                "measure": d.get("measure", ""),
                "note": d["note"] or row["note"],
            }
        applications.append(row)
    enforcement["court"] = applications
    ctx.case.enforcement = enforcement
    if d["outcome"] != "enforced":
        return
    if subject == "fine" and d["collected_amount"]:
        _payment_create(
            actor=ctx.actor,
            case=ctx.case,
            amount=d["collected_amount"],
            paid_on=d["decided_on"],
            receipt_number=d["receipt_number"],
            channel=PaymentChannel.COURT,
        )
    if subject == "orders" and application is not None:
        orders = []
        for o in ctx.case.orders:
            if o["n"] in application["orders"] and o["status"] == "pending":
                o = {**o, "status": "enforced", "enforced_on": d["decided_on"].isoformat()}
                for dl in case_deadlines(case=ctx.case, kind=f"{ORDER_DEADLINE}.{o['n']}", open_only=True):
                    deadline_satisfy(actor=ctx.actor, deadline=dl, by_act=f"case.{ctx.action}")
            orders.append(o)
        ctx.case.orders = orders


# ---------------------------------------------------------------- 责令停止违法行为 / 责令改正

CORRECTION_KINDS = ("stop", "correct", "stop_and_correct")


def clean_correction_order(data: Mapping[str, Any]) -> dict[str, Any]:
    """责令停止违法行为 / 责令(限期)改正通知书: {kind: stop|correct|stop_and_correct, issued_on,
    content, days (to correct; required unless kind is stop)} and its delivery (method,
    delivered_on — default the issue date)."""
    from cases.services.execution import clean_delivery_data

    kind = data.get("kind")
    if kind not in CORRECTION_KINDS:
        raise ValidationFailed(
            _("Choose what the notice orders: stop, correct, or both."),
            field_errors={"kind": [_("stop, correct or stop_and_correct.")]},
        )
    issued = g.parse_date(data, "issued_on")
    days = None
    if kind != "stop" or data.get("days") not in (None, ""):
        days = _days(data.get("days"), "days")
    delivery = clean_delivery_data({**data, "delivered_on": data.get("delivered_on") or issued})
    return {
        "kind": kind,
        "issued_on": issued,
        "content": g.require_text(data, "content"),
        "days": days,
        **delivery,
    }


def stop_needs_continuing_act(ctx: Context) -> Violation | None:
    if ctx.preview or ctx.data.get("kind") == "correct" or ctx.case.act_ended_on is None:
        return None
    return Violation(
        "act_already_ended",
        _("The act ended on %(on)s: there is nothing to stop; order its correction instead.")
        % {"on": ctx.case.act_ended_on},
        ("行政处罚法 Art.28"),
    )


def _set_correction_order(ctx: Context) -> None:
    from cases.services.execution import _delivery_create

    d = ctx.data
    delivery = _delivery_create(
        actor=ctx.actor, case=ctx.case, document=DeliveredDocument.CORRECTION_ORDER, cleaned=d
    )
    ctx.notes["delivery_id"] = delivery.pk
    order: dict[str, Any] = {
        "n": len(ctx.case.correction_orders) + 1,
        "kind": d["kind"],
        "issued_on": d["issued_on"].isoformat(),
        "delivered_on": delivery.delivered_on.isoformat(),
        "content": d["content"],
        "days": d["days"],
        "due_on": None,
        "checks": [],
        "corrected": False,
    }
    if d["days"]:
        dl = deadline_open(
            ctx,
            kind=CORRECTION_DEADLINE,
            title="责令改正期限",
            basis="行政处罚法 Arts.28, 85",
            unit=day_unit(d["days"]),
            amount=d["days"],
            start=delivery.delivered_on,
        )
        order["due_on"] = dl.due_date.isoformat()
        order["unit"] = dl.unit
    ctx.case.correction_orders = [*ctx.case.correction_orders, order]


def clean_correction_check(data: Mapping[str, Any]) -> dict[str, Any]:
    """复查: {checked_on, corrected (bool), finding}."""
    return {
        "checked_on": g.parse_date(data, "checked_on"),
        "corrected": bool(data.get("corrected")),
        "finding": g.require_text(data, "finding"),
    }


def correction_open(ctx: Context) -> Violation | None:
    if any(not o["corrected"] for o in ctx.case.correction_orders):
        return None
    return Violation(
        "no_open_correction_order",
        _("No order to stop or correct the violation awaits its check."),
        ("行政处罚法 Art.28"),
    )


def _set_correction_check(ctx: Context) -> None:
    d = ctx.data
    orders = [dict(o) for o in ctx.case.correction_orders]
    current = next(o for o in reversed(orders) if not o["corrected"])
    current["checks"] = [
        *current["checks"],
        {"checked_on": d["checked_on"].isoformat(), "corrected": d["corrected"], "finding": d["finding"]},
    ]
    if d["corrected"]:
        current["corrected"] = True
        in_time = current["due_on"] is None or d["checked_on"].isoformat() <= current["due_on"]
        ctx.case.facts = {**ctx.case.facts, "promptly_corrected": in_time}
        for dl in case_deadlines(case=ctx.case, kind=CORRECTION_DEADLINE, open_only=True):
            deadline_satisfy(actor=ctx.actor, deadline=dl, by_act=f"case.{ctx.action}")
    ctx.case.correction_orders = orders


def _orders_stop(ctx: Context) -> bool:
    """The act issues a 责令停止违法行为通知书 (checked while listing actions too)."""
    return ctx.preview or ctx.data.get("kind") in ("stop", "stop_and_correct")


def _orders_correction(ctx: Context) -> bool:
    """The act issues a 责令改正通知书."""
    return not ctx.preview and ctx.data.get("kind") in ("correct", "stop_and_correct")


def _correction_issued_on(ctx: Context) -> datetime.date:
    issued: datetime.date = ctx.data["issued_on"]
    return min(issued, ctx.today)


def _no_body(ctx: Context) -> dict[str, Any]:
    """After the effect recorded it, the order on file (with its deadline) is the one issued."""
    return {}


# ---------------------------------------------------------------- the declaration (wired into penalty.py)

INVESTIGATION_GUARDS = (g.handler, g.no_pending_recusal, g.two_certified_officers)

CORRECTION_TRANSITIONS = [
    Transition(
        "order_correction",
        (S.INVESTIGATING,),
        S.INVESTIGATING,
        (
            *INVESTIGATION_GUARDS,
            stop_needs_continuing_act,
            documents_ready("stop_order", when=_orders_stop),
            documents_ready("rectification_order", when=_orders_correction),
            receipt_ready("correction_order"),
            ELECTRONIC_CONSENT_READY,
        ),
        (
            _set_correction_order,
            issue_document("stop_order", on=_correction_issued_on, when=_orders_stop, data=_no_body),
            issue_document(
                "rectification_order", on=_correction_issued_on, when=_orders_correction, data=_no_body
            ),
            issue_electronic_consent,
            issue_delivery_receipt("correction_order"),
        ),
        gettext_lazy("order to stop or correct the violation (责令停止违法行为 / 责令改正)"),
        clean=clean_correction_order,
    ),
    Transition(
        "check_correction",
        (S.INVESTIGATING,),
        S.INVESTIGATING,
        (g.handler, correction_open),
        (_set_correction_check,),
        gettext_lazy("record the check of the correction"),
        clean=clean_correction_check,
    ),
]

EXECUTION_TRANSITIONS = [
    Transition(
        "approve_payment_plan",
        (S.EXECUTING,),
        S.EXECUTING,
        (
            g.head_required("行政处罚法 Art.66"),
            decision_in_force,
            fine_outstanding,
            no_plan_yet,
            plan_consistent,
        ),
        (_set_payment_plan,),
        gettext_lazy("approve deferral or instalments of the fine"),
        clean=clean_payment_plan,
    ),
    Transition(
        "verify_order",
        (S.EXECUTING,),
        S.EXECUTING,
        (
            g.handler,
            has_orders,
            order_chosen((RETURN_LAND, DEMOLISH, RESTORE)),
            date_after_delivery("verified_on"),
            verifiers_certified,
        ),
        (_set_verification,),
        gettext_lazy("record the on-site verification of an order"),
        clean=clean_order_verification,
    ),
    Transition(
        "hand_over_confiscated",
        (S.EXECUTING,),
        S.EXECUTING,
        (g.handler, has_orders, order_chosen((CONFISCATE,)), date_after_delivery("handed_on")),
        (_set_handover,),
        gettext_lazy("hand confiscated buildings over to the government"),
        clean=clean_handover,
    ),
    Transition(
        "serve_reminder",
        (S.EXECUTING,),
        S.EXECUTING,
        (
            g.handler,
            decision_in_force,
            obligation_overdue,
            documents_ready("payment_reminder"),
            receipt_ready("reminder"),
            ELECTRONIC_CONSENT_READY,
        ),
        (
            _set_reminder,
            issue_document("payment_reminder", on=not_after_today("delivered_on")),
            _note_reminder_number,
            issue_electronic_consent,
            issue_delivery_receipt("reminder"),
        ),
        gettext_lazy("serve a written reminder (催告)"),
        clean=clean_reminder,
    ),
    Transition(
        "apply_to_court",
        (S.EXECUTING,),
        S.EXECUTING,
        (
            g.head_required("行政强制法 Art.53"),
            decision_in_force,
            still_unperformed,
            reminder_elapsed,
            remedy_periods_lapsed,
            within_court_window,
            documents_ready("enforcement_application", when=_has_reminder),
        ),
        (
            _set_court_application,
            # 强制执行申请书 (行政强制法 Art.55), dated the day of the application
            issue_document("enforcement_application", on=not_after_today("applied_on"), when=_has_reminder),
        ),
        gettext_lazy("apply to the court for enforcement"),
        clean=clean_court_application,
    ),
    Transition(
        "record_court_outcome",
        (S.EXECUTING,),
        S.EXECUTING,
        (g.handler, application_pending),
        (_set_court_outcome,),
        gettext_lazy("record the court's enforcement outcome"),
        clean=clean_court_outcome,
    ),
]
