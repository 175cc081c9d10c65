"""Reminders (事前提示, issue 8 §2): the officer's list, one reminder with its delivery record, the
tasks for officers and their outcome; the holder's look-up by licence number and code (no login,
throttled). A thin layer over `reminders.services` and `reminders.selectors`."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from api.auth import caller
from api.errors import ApiError, with_errors
from api.pagination import paginated
from core.throttle import rate_limited
from reminders import policies, selectors, services

router = Router(tags=["reminders"])
ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]


class DeliveryOut(Schema):
    attempt: int
    channel: str
    status: str
    detail: str
    provider_id: str
    at: datetime.datetime


class ReminderOut(Schema):
    id: int
    rule_code: str = Field(..., alias="rule.code")
    deadline_id: int
    deadline_kind: str = Field(..., alias="deadline.kind")
    title: str = Field(..., alias="deadline.title")
    due_date: datetime.date
    days_before: int
    status: str
    channel: str
    attempts: int
    recipient_name: str
    reference: str


class ReminderDetailOut(ReminderOut):
    text: str
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_deliveries(obj: Any) -> list[Any]:
        return list(obj.deliveries.all())


class ReminderFilters(Schema):
    status: str = Field("", max_length=16)
    channel: str = Field("", max_length=16)
    kind: str = Field("", max_length=80)
    q: str = Field("", max_length=100)


class TaskOut(Schema):
    id: int
    reminder_id: int
    kind: str
    assignee_id: int | None
    outcome: str
    note: str
    done_at: datetime.datetime | None


class TaskIn(Schema):
    outcome: str = Field(..., max_length=16, description="reached or not_reached")
    note: str = Field("", max_length=2000)


class PublicReminderOut(Schema):
    title: str = Field(..., alias="deadline.title")
    due_date: datetime.date
    channel: str
    status: str
    text: str
    created_at: datetime.datetime


@router.get("/reminders", response=with_errors(list[ReminderOut]), summary="Reminders I may see")
@paginated
def reminder_list(request: HttpRequest, filters: Query[ReminderFilters]) -> Any:
    policies.ensure(caller(request), "view")
    return selectors.reminders_filtered(actor=caller(request), **filters.dict())


@router.get("/reminders/{reminder_id}", response=with_errors(ReminderDetailOut), summary="One reminder")
def reminder_detail(request: HttpRequest, reminder_id: int = ID) -> Any:
    policies.ensure(caller(request), "view")
    return selectors.reminder_get(actor=caller(request), pk=reminder_id)


@router.get("/reminder-tasks", response=with_errors(list[TaskOut]), summary="Open tasks for officers")
@paginated
def task_list(request: HttpRequest) -> Any:
    policies.ensure(caller(request), "view")
    return selectors.visible_tasks(caller(request))


@router.post("/reminder-tasks/{task_id}/outcome", response=with_errors(TaskOut), summary="Record a task")
def task_outcome(request: HttpRequest, body: TaskIn, task_id: int = ID) -> Any:
    task = selectors.task_get(actor=caller(request), pk=task_id)
    return services.task_record(actor=caller(request), task=task, outcome=body.outcome, note=body.note)


@router.get(
    "/public/reminders",
    auth=None,
    response=with_errors(list[PublicReminderOut]),
    summary="A holder's reminders by licence number and code, no login",
)
def public_reminders(
    request: HttpRequest,
    ref: str = Query(..., max_length=120),  # type: ignore[type-arg]
    code: str = Query(..., max_length=12),  # type: ignore[type-arg]
) -> Any:
    wait = rate_limited(request, scope="reminders.lookup", limit=10, period=60)
    if wait:
        raise ApiError(
            429,
            "throttled",
            _("Too many requests from your address; wait %(seconds)d seconds and try again.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    return selectors.public_reminders(reference=ref, code=code)
