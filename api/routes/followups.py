"""Follow-up visits (事后回访, issue 8 §4): the officer's list and detail, the satisfaction figures of
the agencies the caller reads, and the party's answer through the signed link (no login).
A thin layer over `followups.services` and `followups.selectors`."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from api.auth import caller
from api.errors import ErrorOut, with_errors
from api.pagination import paginated
from followups import policies, selectors, services
from org.selectors import read_agency_ids

router = Router(tags=["followups"])
ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]


class FollowupOut(Schema):
    id: int
    source: str = Field(..., alias="rule.source")
    subject_type: str
    subject_id: str
    agency_id: int
    reference: str
    title: str
    officer_id: int | None
    event_on: datetime.date
    due_on: datetime.date
    answer_by: datetime.date
    status: str


class FollowupFilters(Schema):
    status: str = Field("", max_length=16)
    source: str = Field("", max_length=20)
    q: str = Field("", max_length=100)


class AnswerIn(Schema):
    satisfaction: str = Field(..., max_length=20)
    rectification: str = Field(..., max_length=20)
    conduct: str = Field(..., max_length=20)
    conduct_opinion: str = Field("", max_length=5000)
    opinion: str = Field("", max_length=5000)


class AnsweredOut(Schema):
    followup_id: int
    satisfaction: str


@router.get("/followups", response=with_errors(list[FollowupOut]), summary="Follow-ups I may see")
@paginated
def followup_list(request: HttpRequest, filters: Query[FollowupFilters]) -> Any:
    policies.ensure(caller(request), "view")
    return selectors.followups_filtered(actor=caller(request), **filters.dict())


@router.get(
    "/followups/satisfaction",
    response=with_errors(dict[str, Any]),
    summary="Satisfaction figures of the agencies I read",
)
def followup_satisfaction(request: HttpRequest, start: datetime.date, end: datetime.date) -> Any:
    policies.ensure(caller(request), "view")
    summary = selectors.satisfaction_summary(read_agency_ids(caller(request)), start, end)
    return {**summary, "start": start.isoformat(), "end": end.isoformat()}


@router.get("/followups/{followup_id}", response=with_errors(FollowupOut), summary="One follow-up")
def followup_detail(request: HttpRequest, followup_id: int = ID) -> Any:
    policies.ensure(caller(request), "view")
    return selectors.followup_get(actor=caller(request), pk=followup_id)


@router.post(
    "/public/questionnaires/{token}",
    auth=None,
    response={**with_errors(AnsweredOut, 201), 409: ErrorOut, 422: ErrorOut},
    summary="Answer a follow-up questionnaire through its signed link, no login",
)
def questionnaire_answer(request: HttpRequest, body: AnswerIn, token: str = Path(..., max_length=300)) -> Any:  # type: ignore[type-arg]
    answer = services.answer_submit(token=token, **body.dict())
    return Status(201, {"followup_id": answer.followup_id, "satisfaction": answer.satisfaction})
