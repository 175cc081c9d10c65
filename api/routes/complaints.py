"""Complaints and reports (投诉举报, issue 7 §6): the public submission and tracking, no login.

A thin layer over `complaints.services` and `complaints.selectors`: the same rules as the portal's
form (contact or anonymity, sizes, attachment types by content, time limits). Invalid input is
answered 422 with per-field Chinese messages; too many requests from one address 429. Responses
never carry the complainant's identity nor the complaint's text.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from api.errors import ApiError, ErrorOut, with_errors
from complaints import abuse, selectors, services
from complaints.models import Category, Satisfaction
from core.errors import NotFound

router = Router(tags=["complaints"])

CODE: Any = Path(..., min_length=1, max_length=40, description="the tracking code (dashes optional)")  # type: ignore[type-arg]
TEXT_FIELDS = (
    "category",
    "description",
    "location",
    "contact_name",
    "contact_phone",
    "contact_email",
    "officer_named",
    "officer_certificate",
    abuse.HONEYPOT_FIELD,
)


class StepOut(Schema):
    label: str
    on: datetime.date | None


class ComplaintStatusOut(Schema):
    tracking_code: str = Field(..., description="12 characters without 0, O, 1, I, L")
    display_code: str
    agency: str
    category: str
    category_label: str
    received_on: datetime.date
    status: str
    status_label: str
    steps: list[StepOut]
    reply: str = Field(..., description="the agency's answer, empty until answered")
    replied_on: datetime.date | None
    feedback_open: bool = Field(..., description="the complainant may now say whether they are satisfied")
    satisfaction: str


class FeedbackIn(Schema):
    satisfaction: str = Field(..., max_length=20, description="satisfied, partly or dissatisfied")
    comment: str = Field("", max_length=abuse.MAX_FEEDBACK)


def _responses(ok: Any, status: int) -> dict[int, Any]:
    responses = with_errors(ok, status)
    responses.update({409: ErrorOut, 422: ErrorOut})
    return responses


_PROPERTIES: dict[str, Any] = {
    "agency_id": {
        "type": "integer",
        "description": "the agency the complaint is for (see /gongkai/agencies/)",
    },
    "category": {"type": "string", "enum": list(Category.values)},
    "description": {"type": "string", "maxLength": abuse.MAX_DESCRIPTION},
    "location": {"type": "string", "maxLength": abuse.MAX_LOCATION},
    "anonymous": {"type": "boolean", "description": "reports of violations only"},
    "contact_name": {"type": "string", "maxLength": 100},
    "contact_phone": {"type": "string", "maxLength": 30},
    "contact_email": {"type": "string", "maxLength": 254},
    "officer_named": {"type": "string", "maxLength": 100, "description": "conduct complaints"},
    "officer_certificate": {"type": "string", "maxLength": 60, "description": "conduct complaints"},
}
_REQUIRED = ["agency_id", "category", "description"]
SUBMIT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": _REQUIRED,
                    "properties": {
                        **_PROPERTIES,
                        "attachments": {
                            "type": "array",
                            "maxItems": abuse.MAX_FILES,
                            "items": {"type": "string", "format": "binary"},
                            "description": "JPEG, PNG, GIF, WebP or PDF (checked by content); 5 MB each",
                        },
                    },
                }
            },
            "application/json": {
                "schema": {"type": "object", "required": _REQUIRED, "properties": _PROPERTIES}
            },
        },
    }
}


def _throttle(request: HttpRequest, bucket: str) -> None:
    wait = abuse.throttled(request, bucket)
    if wait:
        raise ApiError(
            429,
            "throttled",
            _("Too many requests from your address; wait %(seconds)d seconds and try again.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _read_body(request: HttpRequest) -> tuple[dict[str, Any], list[Any]]:
    if (request.content_type or "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(
                400,
                "malformed_json",
                _("The request body is not valid JSON; send a JSON object encoded in UTF-8."),
            ) from None
        if not isinstance(data, dict):
            raise ApiError(422, "validation_failed", _("Send a JSON object."))
        return data, []
    try:
        return {key: request.POST.get(key) for key in request.POST}, list(
            request.FILES.getlist("attachments")
        )
    except MultiPartParserError:
        raise ApiError(400, "bad_request", _("The request could not be read; check its format.")) from None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, int | float) else ""


@router.post(
    "/complaints",
    auth=None,
    response=_responses(ComplaintStatusOut, 201),
    openapi_extra=SUBMIT_BODY,
    summary="Send a complaint or report a violation (投诉举报), no login",
    description=(
        "multipart/form-data (with `attachments`) or JSON. Returns the tracking code: keep it, it is "
        "the only way to follow the complaint (`GET /complaints/track/{code}`). At most "
        f"{abuse.submissions_per_hour()} submissions per address and hour (429 beyond)."
    ),
)
def complaint_submit(request: HttpRequest) -> Any:
    _throttle(request, "submit")
    data, files = _read_body(request)
    if data.get(abuse.HONEYPOT_FIELD):
        raise ApiError(422, "rejected", _("The complaint could not be accepted."))
    complaint = services.complaint_submit(
        actor=None,
        agency_id=data.get("agency_id"),
        category=_text(data.get("category")),
        description=_text(data.get("description")),
        location=_text(data.get("location")),
        anonymous=_flag(data.get("anonymous", False)),
        contact_name=_text(data.get("contact_name")),
        contact_phone=_text(data.get("contact_phone")),
        contact_email=_text(data.get("contact_email")),
        officer_named=_text(data.get("officer_named")),
        officer_certificate=_text(data.get("officer_certificate")),
        files=[services.Upload(name=f.name or "", size=int(f.size or 0), fileobj=f) for f in files],
    )
    return Status(201, selectors.public_status(complaint))


def _by_code(code: str) -> Any:
    complaint = selectors.complaint_by_code(code)
    if complaint is None:
        raise NotFound(
            _(
                "No complaint has this tracking code; check the code (letters and digits "
                "without 0, O, 1, I or L)."
            ),
            code="complaint_not_found",
        )
    return complaint


@router.get(
    "/complaints/track/{code}",
    auth=None,
    response=_responses(ComplaintStatusOut, 200),
    summary="Follow a complaint with its tracking code, no login",
)
def complaint_track(request: HttpRequest, code: str = CODE) -> Any:
    _throttle(request, "track")
    return selectors.public_status(_by_code(code))


@router.post(
    "/complaints/track/{code}/feedback",
    auth=None,
    response=_responses(ComplaintStatusOut, 200),
    summary="Say whether the answer satisfies you (once, after the answer)",
    description=f"`satisfaction`: one of {', '.join(Satisfaction.values)}.",
)
def complaint_feedback(request: HttpRequest, payload: FeedbackIn, code: str = CODE) -> Any:
    _throttle(request, "track")
    complaint = _by_code(code)
    services.complaint_feedback(
        actor=None, complaint=complaint, satisfaction=payload.satisfaction, comment=payload.comment
    )
    return selectors.public_status(complaint)
