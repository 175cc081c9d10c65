"""Effects shared by the procedures: deadlines on the clock, numbers, field updates."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from cases.models import Case
from cases.selectors import case_deadlines, legal_setting_int
from cases.workflow.engine import Context, Effect
from core.models import Deadline
from core.services.clock import (
    deadline_cancel,
    deadline_pause,
    deadline_resume,
    deadline_satisfy,
    deadline_start,
)
from core.services.numbering import number_take


def day_unit(days: int) -> str:
    """The unit of a period of `days` days (行政处罚法 Art.85): 2, 3, 5 and 7 days are working days,
    every other number of days is calendar days."""
    return "workdays" if days in (2, 3, 5, 7) else "calendar_days"


def deadline_open(
    ctx: Context,
    *,
    kind: str,
    title: str,
    basis: str,
    unit: str,
    amount: int,
    start: datetime.date,
    restart: bool = True,
) -> Deadline:
    """Start one deadline on the case (cancelling an open one of the same kind when `restart`)."""
    if restart:
        for old in case_deadlines(case=ctx.case, kind=kind, open_only=True):
            deadline_cancel(actor=ctx.actor, deadline=old, reason=f"restarted by {ctx.action}")
    dl = deadline_start(
        actor=ctx.actor,
        subject=ctx.case,
        agency_id=ctx.case.agency_id,
        kind=kind,
        title=title,
        legal_basis=basis,
        unit=unit,
        amount=amount,
        start_date=start,
        today=ctx.today,
    )
    ctx.notes.setdefault("deadlines_started", []).append({"kind": kind, "due": dl.due_date.isoformat()})
    return dl


def start_deadline(
    *,
    kind: str,
    title: str,
    basis: str,
    unit: str,
    setting: str,
    default: int,
    start: Callable[[Case], datetime.date | None],
) -> Effect:
    def effect(ctx: Context) -> None:
        begin = start(ctx.case)
        if begin is None:
            return
        deadline_open(
            ctx,
            kind=kind,
            title=title,
            basis=basis,
            unit=unit,
            amount=legal_setting_int(setting, default),
            start=begin,
        )

    effect.__name__ = f"start_{kind.rsplit('.', 1)[-1]}"
    return effect


PAYMENT_DEADLINE_KIND = "cases.payment"


def start_payment_deadline(start: Callable[[Case], datetime.date | None]) -> Effect:
    """The 15-day payment period from receipt of the decision (行政处罚法 Art.67), both procedures."""
    return start_deadline(
        kind=PAYMENT_DEADLINE_KIND,
        title="罚款缴纳期限",
        basis="行政处罚法 Art.67",
        unit="calendar_days",
        setting="cases.payment_calendar_days",
        default=15,
        start=start,
    )


def satisfy_deadline(kind: str) -> Effect:
    def effect(ctx: Context) -> None:
        for dl in case_deadlines(case=ctx.case, kind=kind, open_only=True):
            deadline_satisfy(actor=ctx.actor, deadline=dl, by_act=f"case.{ctx.action}")

    effect.__name__ = f"satisfy_{kind.rsplit('.', 1)[-1]}"
    return effect


def pause_deadline(kind: str, reason: str, on: Callable[[Context], datetime.date]) -> Effect:
    def effect(ctx: Context) -> None:
        for dl in case_deadlines(case=ctx.case, kind=kind, open_only=True).exclude(
            status=Deadline.Status.PAUSED
        ):
            deadline_pause(actor=ctx.actor, deadline=dl, reason=reason, on=on(ctx))

    effect.__name__ = f"pause_{kind.rsplit('.', 1)[-1]}"
    return effect


def resume_deadline(kind: str, on: Callable[[Context], datetime.date]) -> Effect:
    def effect(ctx: Context) -> None:
        for dl in case_deadlines(case=ctx.case, kind=kind).filter(status=Deadline.Status.PAUSED):
            deadline_resume(actor=ctx.actor, deadline=dl, on=on(ctx), today=ctx.today)

    effect.__name__ = f"resume_{kind.rsplit('.', 1)[-1]}"
    return effect


def cancel_deadline(kind: str) -> Effect:
    def effect(ctx: Context) -> None:
        for dl in case_deadlines(case=ctx.case, kind=kind, open_only=True):
            deadline_cancel(actor=ctx.actor, deadline=dl, reason=f"case {ctx.action}")

    effect.__name__ = f"cancel_{kind.rsplit('.', 1)[-1]}"
    return effect


def cancel_deadlines_like(*prefixes: str) -> Effect:
    """Cancel the open deadlines whose kind starts with one of `prefixes` (proceedings that ended)."""

    def effect(ctx: Context) -> None:
        for dl in case_deadlines(case=ctx.case, open_only=True):
            if dl.kind.startswith(prefixes):
                deadline_cancel(actor=ctx.actor, deadline=dl, reason=f"case {ctx.action}")

    effect.__name__ = "cancel_" + "_".join(p.rsplit(".", 1)[-1] for p in prefixes)
    return effect


def cancel_open_deadlines(ctx: Context) -> None:
    for dl in case_deadlines(case=ctx.case, open_only=True):
        deadline_cancel(actor=ctx.actor, deadline=dl, reason=f"case {ctx.action}")


def take_number(field: str, kind: str) -> Effect:
    def effect(ctx: Context) -> None:
        if getattr(ctx.case, field):
            return
        issued = number_take(
            agency_id=ctx.case.agency_id, kind=kind, year=ctx.today.year, obj=ctx.case, actor=ctx.actor
        )
        setattr(ctx.case, field, issued.number)
        ctx.notes[field] = issued.number

    effect.__name__ = f"number_{field}"
    return effect


def assign(**values: Callable[[Context], Any]) -> Effect:
    """Set case fields from the cleaned data (each value a function of the context)."""

    def effect(ctx: Context) -> None:
        for name, fn in values.items():
            setattr(ctx.case, name, fn(ctx))

    effect.__name__ = "record_" + "_".join(values)
    return effect
