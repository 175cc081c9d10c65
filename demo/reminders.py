"""Demo reminders: the scan over the demo's licence and case deadlines, one send attempt (mail goes to
the configured SMTP server; when none listens the attempts are queued for retry, as in production),
and a phone-call task recorded by the handling officer. Through the reminders services only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def load(loader: Any) -> str | None:
    from reminders import selectors, services

    county = loader.agencies["county"]
    if selectors.reminders_filtered(actor=None).filter(agency_id=county.pk).exists():
        return None
    today: dt.date = loader.today
    ten = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))  # outside the quiet hours
    scan = services.reminders_scan(today=today, now=ten)
    sent = services.reminders_send(now=ten)
    recorded = 0
    for task in selectors.visible_tasks(None)[:1]:
        actor = task.assignee or loader.officers["hejun"].user
        services.task_record(actor=actor, task=task, outcome="reached", note="已电话告知持证人办理延续手续")
        recorded += 1
    return (
        f"事前提示：扫描生成 {scan.created} 条提示，发送 {sent.sent} 条，排队重试 {sent.retried} 条，"
        f"交执法人员办理 {sent.tasks} 条（已记录 {recorded} 条）。"
    )
