"""Supervision (执法监督, issue 9): the deadline watch, 督办 orders and their history per case, the
automatic case-file review of a case, and the dashboard figures.

A thin layer over `supervision.services` and `supervision.selectors`: the same rules and scope as
the screens (heads and legal reviewers read their agency, supervisors also subordinate agencies,
read-only except for issuing 督办).
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from api.auth import caller
from api.errors import with_errors
from api.pagination import paginated
from core.errors import NotFound, PermissionDenied
from supervision import checks, policies, selectors, services

router = Router(tags=["supervision"])


def _reader(request: HttpRequest) -> Any:
    actor = caller(request)
    reason = policies.reason_refused(actor, "view")
    if reason:
        raise PermissionDenied(reason, code="supervision_permission_denied")
    return actor


class DeadlineOut(Schema):
    id: int
    agency_id: int
    title: str
    kind: str
    status: str
    due_date: datetime.date
    legal_basis: str
    responsible: str = Field(..., description="the responsible officer's name, empty when nobody")
    department: str
    case_id: int | None


class WatchFilters(Schema):
    agency_id: int | None = None
    status: str = Field("", description="overdue or due_soon; empty for both")
    kind: str = Field("", max_length=80)
    due_to: datetime.date | None = None


class OrderIn(Schema):
    agency_id: int
    addressee_id: int
    requirement: str = Field(..., max_length=5000)
    workdays: int = Field(..., description="working days to respond (1–60), counted on the core clock")
    case_id: int | None = None
    deadline_id: int | None = None


class OrderOut(Schema):
    id: int
    number: str
    kind: str
    agency_id: int
    case_id: int | None
    deadline_id: int | None
    subject: str
    requirement: str
    workdays: int
    due_date: datetime.date
    addressee_id: int
    addressee: str
    status: str
    response: str
    conclusion: str


class StepOut(Schema):
    act: str
    at: datetime.datetime
    actor: str
    text: str = Field(..., description="the requirement, response, conclusion or reason recorded")


class CaseOrderOut(OrderOut):
    steps: list[StepOut]


class RespondIn(Schema):
    response: str = Field(..., max_length=5000)


class ConcludeIn(Schema):
    accepted: bool
    conclusion: str = Field(..., max_length=5000)


class FindingOut(Schema):
    check: str
    label: str
    basis: str
    applicable: bool
    ok: bool
    message: str


class AutoReviewOut(Schema):
    case_id: int
    failed: int
    ran_at: datetime.datetime
    findings: list[FindingOut]


class ChartRowOut(Schema):
    label: str
    value: float
    value2: float | None = None
    key: str


class ChartOut(Schema):
    key: str
    title: str
    kind: str
    series: list[str]
    rows: list[ChartRowOut]


def _deadline(d: Any) -> dict[str, Any]:
    officer = getattr(d.responsible, "officer", None) if d.responsible_id else None
    return {
        "id": d.pk,
        "agency_id": d.agency_id,
        "title": d.title,
        "kind": d.kind,
        "status": d.status,
        "due_date": d.due_date,
        "legal_basis": d.legal_basis,
        "responsible": officer.name if officer else "",
        "department": officer.department.name if officer and officer.department_id else "",
        "case_id": selectors.case_id_of_deadline(d),
    }


def _order(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "number": o.number,
        "kind": o.kind,
        "agency_id": o.agency_id,
        "case_id": o.case_id,
        "deadline_id": o.deadline_id,
        "subject": o.subject_label,
        "requirement": o.requirement,
        "workdays": o.workdays,
        "due_date": o.due_date,
        "addressee_id": o.addressee_id,
        "addressee": o.addressee.name,
        "status": o.status,
        "response": o.response,
        "conclusion": o.conclusion,
    }


class _Page:
    def __init__(self, qs: Any, fn: Any) -> None:
        self.qs, self.fn = qs, fn

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.fn(x) for x in self.qs[index]]

    def all(self) -> "_Page":
        return self

    def count(self) -> int:
        return int(self.qs.count())


@router.get(
    "/supervision/deadlines",
    response=with_errors(list[DeadlineOut]),
    summary="Deadline watch: overdue and nearly due deadlines of the agencies I supervise",
)
@paginated
def deadline_watch(request: HttpRequest, filters: Query[WatchFilters]) -> Any:
    actor = _reader(request)
    f = selectors.WatchFilters(
        agency_id=filters.agency_id, status=filters.status, kind=filters.kind, due_to=filters.due_to
    )
    return _Page(selectors.deadline_watch(actor=actor, filters=f), _deadline)


@router.get("/supervision/orders", response=with_errors(list[OrderOut]), summary="督办 I may see")
@paginated
def order_list(request: HttpRequest) -> Any:
    return _Page(selectors.visible_orders(caller(request)).order_by("-pk"), _order)


@router.post("/supervision/orders", response=with_errors(OrderOut, 201), summary="Issue a 督办")
def order_issue(request: HttpRequest, payload: OrderIn) -> Any:
    order = services.order_issue(actor=caller(request), **payload.dict())
    return 201, _order(order)


def _get(request: HttpRequest, order_id: int) -> Any:
    order = selectors.order_get(actor=caller(request), pk=order_id)
    if order is None:
        raise NotFound("督办不存在或不在您的查看范围内。", code="order_not_found")
    return order


@router.get("/supervision/orders/{order_id}", response=with_errors(OrderOut), summary="One 督办")
def order_detail(request: HttpRequest, order_id: int) -> Any:
    return _order(_get(request, order_id))


@router.post(
    "/supervision/orders/{order_id}/respond", response=with_errors(OrderOut), summary="Answer a 督办"
)
def order_respond(request: HttpRequest, order_id: int, payload: RespondIn) -> Any:
    order = services.order_respond(
        actor=caller(request), order=_get(request, order_id), response=payload.response
    )
    return _order(order)


@router.post(
    "/supervision/orders/{order_id}/conclude",
    response=with_errors(OrderOut),
    summary="Accept the response to a 督办, or send it back",
)
def order_conclude(request: HttpRequest, order_id: int, payload: ConcludeIn) -> Any:
    order = services.order_conclude(
        actor=caller(request),
        order=_get(request, order_id),
        accepted=payload.accepted,
        conclusion=payload.conclusion,
    )
    return _order(order)


@router.get(
    "/supervision/cases/{case_id}/orders",
    response=with_errors(list[CaseOrderOut]),
    summary="督办 history of a case: every order in any state, with each response and conclusion",
)
def case_orders(request: HttpRequest, case_id: int) -> Any:
    history = selectors.case_duban(actor=caller(request), case_id=case_id)
    if history is None:
        raise NotFound("案件不存在或不在您的查看范围内。", code="case_not_found")
    return [{**_order(h.order), "steps": h.steps} for h in history]


@router.get(
    "/supervision/cases/{case_id}/review",
    response=with_errors(AutoReviewOut),
    summary="The latest automatic case-file review of a closed case",
)
def case_review(request: HttpRequest, case_id: int) -> Any:
    row = selectors.autoreview_for_case(actor=_reader(request), case_id=case_id)
    if row is None:
        raise NotFound("该案件尚未自动评查（仅对已结案案件评查）。", code="autoreview_not_found")
    return {
        "case_id": row.case_id,
        "failed": row.failed,
        "ran_at": row.ran_at,
        "findings": [{**f, "label": checks.check_label(f["check"])} for f in row.findings],
    }


class PeriodIn(Schema):
    start: datetime.date | None = None
    end: datetime.date | None = None


@router.get(
    "/supervision/charts/{chart}",
    response=with_errors(ChartOut),
    summary="One dashboard chart's figures (workload, overdue, outcomes, fines, review, ranking)",
)
def chart(request: HttpRequest, chart: str, period: Query[PeriodIn]) -> Any:
    actor = _reader(request)
    fn = selectors.CHARTS.get(chart)
    if fn is None:
        raise NotFound("没有这个图表。", code="chart_not_found")
    today = timezone.localdate()
    p = selectors.Period(period.start or datetime.date(today.year, 1, 1), period.end or today)
    c = fn(actor, p)
    return {
        "key": c.key,
        "title": c.title,
        "kind": c.kind,
        "series": [str(s) for s in c.series],
        "rows": [
            {"label": str(r["label"]), "value": float(r["value"]), "value2": r.get("value2"), "key": r["key"]}
            for r in c.rows
        ],
    }
