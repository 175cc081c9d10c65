"""Guidance (issue 8 §3, §6): the published typical-case library (no login), public inquiries and
their tracking by code (throttled), and the officer's overdue inquiries.

A thin layer over `guidance.services` and `guidance.selectors`; every rule lives there.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from api.auth import caller
from api.errors import ApiError, ErrorOut, with_errors
from api.pagination import paginated
from core.errors import NotFound
from core.throttle import rate_limited
from guidance import selectors, services

router = Router(tags=["guidance"])

PK: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
CODE: Any = Path(..., min_length=1, max_length=40)  # type: ignore[type-arg]


class TypicalCaseOut(Schema):
    id: int
    category: str
    field: str
    method: str
    title: str
    summary: str
    body: str
    lessons: str
    published_on: datetime.date | None
    agency_id: int


class LibraryFilters(Schema):
    q: str = Field("", max_length=100)
    category: str = Field("", max_length=10)
    field: str = Field("", max_length=10)
    method: str = Field("", max_length=12)


class InquiryIn(Schema):
    agency_id: int = Field(..., ge=1, le=2**62)
    asker_name: str = Field(..., max_length=100)
    asker_phone: str = Field("", max_length=30)
    asker_email: str = Field("", max_length=254)
    question: str = Field(..., max_length=3000)


class InquiryStatusOut(Schema):
    display_code: str
    agency: str
    received_on: datetime.date
    status_label: str
    reply: str
    replied_on: datetime.date | None


class InquiryOut(Schema):
    id: int
    channel: str
    status: str
    received_on: datetime.date
    owner_id: int | None
    first_contact_id: int | None


def _throttle(request: HttpRequest, scope: str, limit: int, period: int) -> None:
    wait = rate_limited(request, scope=scope, limit=limit, period=period)
    if wait:
        raise ApiError(
            429,
            "throttled",
            _("Too many requests from your address; wait %(seconds)d seconds and try again.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )


@router.get(
    "/guidance/typical-cases",
    auth=None,
    response=with_errors(list[TypicalCaseOut]),
    summary="The published library",
)
@paginated
def typical_cases(request: HttpRequest, filters: Query[LibraryFilters]) -> Any:
    return selectors.published_typical_cases(
        q=filters.q, field=filters.field, method=filters.method, category=filters.category
    )


@router.get(
    "/guidance/typical-cases/{pk}",
    auth=None,
    response=with_errors(TypicalCaseOut),
    summary="One published entry",
)
def typical_case(request: HttpRequest, pk: int = PK) -> Any:
    tc = selectors.published_typical_case(pk)
    if tc is None:
        raise NotFound(_("No published typical case has this id."), code="typical_case_not_found")
    return tc


@router.post(
    "/guidance/inquiries",
    auth=None,
    response={**with_errors(InquiryStatusOut, 201), 422: ErrorOut},
    summary="Ask the agency a question (咨询), no login",
)
def inquiry_ask(request: HttpRequest, body: InquiryIn) -> Any:
    _throttle(request, "guidance:ask", 5, 3600)
    inquiry = services.inquiry_receive(
        actor=None,
        agency_id=body.agency_id,
        channel="online",
        asker_name=body.asker_name,
        asker_phone=body.asker_phone,
        asker_email=body.asker_email,
        question=body.question,
    )
    return Status(201, {**selectors.inquiry_public_status(inquiry), "tracking_code": inquiry.tracking_code})


@router.get(
    "/guidance/inquiries/track/{code}",
    auth=None,
    response=with_errors(InquiryStatusOut),
    summary="Read the answer",
)
def inquiry_track(request: HttpRequest, code: str = CODE) -> Any:
    _throttle(request, "guidance:track", 30, 60)
    inquiry = selectors.inquiry_by_code(code)
    if inquiry is None:
        raise NotFound(_("No question has this tracking code; check the code."), code="inquiry_not_found")
    return selectors.inquiry_public_status(inquiry)


@router.get(
    "/guidance/inquiries/overdue",
    response=with_errors(list[InquiryOut]),
    summary="Inquiries not answered in time",
)
@paginated
def inquiries_overdue(request: HttpRequest) -> Any:
    return selectors.overdue_inquiries(actor=caller(request))
