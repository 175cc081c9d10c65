"""Reads of reminders, scoped to the actor; the portal look-up by reference and code."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.errors import NotFound
from org.selectors import read_agency_ids
from reminders.models import Reminder, ReminderRule, ReminderStatus, ReminderTask


def visible_reminders(actor: Any) -> QuerySet[Reminder]:
    qs = Reminder.objects.select_related("rule", "deadline")
    ids = read_agency_ids(actor)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def reminders_filtered(
    *, actor: Any, status: str = "", channel: str = "", kind: str = "", q: str = ""
) -> QuerySet[Reminder]:
    qs = visible_reminders(actor)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if kind:
        qs = qs.filter(rule__deadline_kind=kind)
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(recipient_name__icontains=q))
    return qs.order_by("-pk")


def reminder_get(*, actor: Any, pk: int) -> Reminder:
    reminder = visible_reminders(actor).filter(pk=pk).first()
    if reminder is None:
        raise NotFound("提示不存在，或不属于您可以查看的机关。", code="reminder_not_found")
    return reminder


def visible_tasks(actor: Any, *, open_only: bool = True) -> QuerySet[ReminderTask]:
    qs = ReminderTask.objects.select_related("reminder", "reminder__deadline", "assignee")
    ids = read_agency_ids(actor)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    return qs.order_by("done_at", "pk")


def task_get(*, actor: Any, pk: int) -> ReminderTask:
    task = visible_tasks(actor, open_only=False).filter(pk=pk).first()
    if task is None:
        raise NotFound("任务不存在，或不属于您可以查看的机关。", code="reminder_task_not_found")
    return task


def rules() -> QuerySet[ReminderRule]:
    return ReminderRule.objects.order_by("deadline_kind", "audience", "code")


def public_reminders(*, reference: str, code: str) -> list[Reminder]:
    """The holder's reminders: those of the same subject as the reminder with this reference and
    access code (both must match; nothing tells which one was wrong)."""
    reference, code = reference.strip(), code.strip().upper().replace(" ", "")
    if not reference or len(code) != 8:
        return []
    hit = (
        Reminder.objects.filter(reference=reference, access_code=code, rule__audience="party")
        .select_related("deadline")
        .first()
    )
    if hit is None:
        return []
    d = hit.deadline
    return list(
        Reminder.objects.filter(
            deadline__subject_type_id=d.subject_type_id,
            deadline__subject_id=d.subject_id,
            rule__audience="party",
        )
        .exclude(status__in=[ReminderStatus.QUEUED, ReminderStatus.CANCELLED])
        .select_related("deadline")
        .order_by("-pk")[:50]
    )
