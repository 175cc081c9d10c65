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


TASK_WORKDAYS = ("reminders.task_workdays", 3)


def overdue_tasks(*, actor: Any, today: Any = None) -> list[dict[str, Any]]:
    """Reminder tasks (the party's call, letter or a failed delivery: work an officer owns from the
    moment it is assigned) not done in time — within `reminders.task_workdays` working days of being
    assigned, and at the latest by the reminder's due date (首问负责 / 限时办结, issue 8 §6). Rows for
    the head's first-contact overdue list, oldest due first."""
    import datetime

    from django.utils import timezone

    from core.models import LegalSetting
    from core.services.calendar import add_workdays

    today = today or timezone.localdate()
    value = LegalSetting.objects.filter(key=TASK_WORKDAYS[0]).values_list("value", flat=True).first()
    days = int(value) if isinstance(value, int) and value > 0 else TASK_WORKDAYS[1]
    qs = ReminderTask.objects.filter(done_at__isnull=True).select_related("reminder", "reminder__deadline")
    ids = read_agency_ids(actor)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    rows = []
    for task in qs.order_by("pk"):
        limit: datetime.date = add_workdays(timezone.localdate(task.created_at), days).date
        due = min(limit, task.reminder.due_date)
        if due >= today:
            continue
        owner = task.assignee
        rows.append(
            {
                "pk": task.pk,
                "agency_id": task.agency_id,
                "reference": task.reminder.reference,
                "title": f"{task.get_kind_display()}：{task.reminder.deadline.title}",
                "party": task.reminder.recipient_name,
                "owner_user_id": owner.pk if owner else None,
                "owner_name": (getattr(getattr(owner, "officer", None), "name", "") or owner.get_username())
                if owner
                else "",
                "received_on": timezone.localdate(task.created_at),
                "due_date": due,
            }
        )
    return sorted(rows, key=lambda r: (r["due_date"], r["pk"]))
