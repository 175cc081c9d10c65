"""Guidance (issue 8 §3, §6): the published typical-case library (no login), public inquiries and
their tracking by code (throttled), the officer's overdue inquiries and the officer's acts on an
inquiry (`POST /guidance/inquiries/{id}/actions/{action}`: take — 首问, handover to a named colleague
with the reason, reply), answered with the cases Action API's error contract (409 rule, 422 body).

A thin layer over `guidance.services` and `guidance.selectors`; every rule lives there.
"""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from api.auth import caller
from api.errors import ApiError, ErrorOut, with_errors
from api.pagination import paginated
from api.routes.mediation import act, action_responses, text
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


class InquiryDetailOut(InquiryOut):
    asker_name: str
    question: str
    reply: str
    reply_due: datetime.date | None


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


InquiryAction = Literal["take", "handover", "reply"]
INQUIRY_ACTION_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "take {}; handover {officer_id, reason}; reply {text}.",
                    "additionalProperties": True,
                }
            }
        },
    }
}


def _detail(inquiry: Any) -> dict[str, Any]:
    fields = ("id", "channel", "status", "received_on", "owner_id", "first_contact_id", "asker_name")
    return {
        **{f: getattr(inquiry, f) for f in fields},
        "question": inquiry.question,
        "reply": inquiry.reply,
        "reply_due": selectors.reply_due(inquiry),
    }


@router.post(
    "/guidance/inquiries/{inquiry_id}/actions/{action}",
    response=action_responses(InquiryDetailOut),
    summary="Take, hand over or answer an inquiry (首问负责)",
    openapi_extra=INQUIRY_ACTION_BODY,
)
def inquiry_action(request: HttpRequest, action: InquiryAction, inquiry_id: int = PK) -> Any:
    actor = caller(request)
    inquiry = selectors.inquiry_get(actor=actor, pk=inquiry_id)

    def perform(data: dict[str, Any]) -> Any:
        if action == "take":
            services.inquiry_take(actor=actor, inquiry=inquiry)
        elif action == "handover":
            services.inquiry_handover(
                actor=actor, inquiry=inquiry, officer_id=data.get("officer_id"), reason=text(data, "reason")
            )
        else:
            services.inquiry_reply(actor=actor, inquiry=inquiry, text=text(data, "text"))
        return _detail(selectors.inquiry_get(actor=actor, pk=inquiry_id))

    return act(request, perform)
