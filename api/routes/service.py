"""Licences (行政许可, issue 8 §1): licence kinds and the tracking of an application by its code
(public, no login), the officers' licences, and an online application in JSON.

A thin layer over `service.services` and `service.selectors`: the same rules as the portal's form
(duplicates refused, renewal 30 days before expiry, throttled per address). Responses on the public
side never carry the applicant's identity number nor contact details.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from api.auth import caller
from api.errors import ApiError, ErrorOut, with_errors
from api.pagination import paginated
from core.errors import NotFound
from service import abuse, selectors, services

router = Router(tags=["service"])

CODE: Any = Path(..., min_length=1, max_length=40, description="the tracking code (dashes optional)")  # type: ignore[type-arg]


class KindOut(Schema):
    id: int
    code: str
    name: str
    basis: str
    power_code: str
    temporary_land: bool


class StepOut(Schema):
    label: str
    on: datetime.date | None


class HearingOut(Schema):
    status_label: str
    request_due: datetime.date | None = Field(None, description="a hearing may be requested until (Art.47)")
    hearing_on: datetime.date | None
    hearing_time: str
    place: str


class NoticeOut(Schema):
    kind: str
    title: str
    number: str
    issued_on: datetime.date
    verification_code: str
    url: str = Field(..., description="download of the sealed PDF (append ?code=<tracking code>)")


class ApplicationStatusOut(Schema):
    tracking_code: str
    agency: str
    kind: str
    project: str
    received_on: datetime.date
    status: str
    status_label: str
    steps: list[StepOut]
    missing_materials: str = Field(
        ..., description="the complete list of missing materials (补正), one per line"
    )
    decision_due: datetime.date | None
    decision_reason: str
    licence_number: str
    hearing: HearingOut | None = None
    notices: list[NoticeOut] = Field(
        default_factory=list, description="受理/补正/不予受理/准予/不予许可 and hearing notices issued"
    )


class ApplicationIn(Schema):
    agency_id: int
    kind_id: int
    applicant_name: str = Field(..., max_length=100)
    applicant_id_number: str = Field(
        ..., max_length=30, description="identity card number or unified social credit code"
    )
    applicant_phone: str = Field("", max_length=30)
    applicant_email: str = Field("", max_length=254)
    applicant_address: str = Field("", max_length=255)
    project: str = Field(..., max_length=200)
    location: str = Field(..., max_length=255)
    description: str = Field("", max_length=abuse.MAX_TEXT)
    joint: bool = False
    renewal_of_id: int | None = None
    website: str = Field("", description="leave empty (honeypot)")


class LicenceOut(Schema):
    id: int
    number: str
    kind: str
    holder_name: str
    scope: str
    location: str
    issued_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date
    return_date: datetime.date | None
    supervision_number: str
    risk_level: str
    status: str
    ended_on: datetime.date | None = Field(None, description="revoked, withdrawn or cancelled on")
    end_reason: str = ""
    end_basis: str = ""

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.kind.name)


def _responses(ok: Any, status: int) -> dict[int, Any]:
    responses = with_errors(ok, status)
    responses.update({409: ErrorOut, 422: ErrorOut})
    return responses


@router.get("/service/kinds", auth=None, response=list[KindOut], summary="Licence kinds (public)")
def kind_list(request: HttpRequest) -> Any:
    return list(selectors.licence_kinds())


@router.post(
    "/service/applications",
    auth=None,
    response=_responses(ApplicationStatusOut, 201),
    summary="Apply for a licence online (一网通办), no login",
    description="Returns the tracking code: keep it, it is the only way to follow the application.",
)
def application_submit(request: HttpRequest, payload: ApplicationIn) -> Any:
    wait = abuse.throttled(request, "submit")
    if wait:
        raise ApiError(429, "throttled", abuse.throttle_message(wait), headers={"Retry-After": str(wait)})
    if payload.website:
        raise ApiError(422, "rejected", abuse.honeypot_message())
    app = services.application_submit(
        actor=None,
        agency_id=payload.agency_id,
        kind_id=payload.kind_id,
        applicant_name=payload.applicant_name,
        applicant_id_number=payload.applicant_id_number,
        applicant_phone=payload.applicant_phone,
        applicant_email=payload.applicant_email,
        applicant_address=payload.applicant_address,
        project=payload.project,
        location=payload.location,
        description=payload.description,
        joint=payload.joint,
        renewal_of_id=payload.renewal_of_id,
    )
    return Status(201, selectors.public_status(app))


@router.get(
    "/service/applications/track/{code}",
    auth=None,
    response=with_errors(ApplicationStatusOut),
    summary="The progress of an application, by its tracking code",
)
def application_track(request: HttpRequest, code: str = CODE) -> Any:
    wait = abuse.throttled(request, "track")
    if wait:
        raise ApiError(429, "throttled", abuse.throttle_message(wait), headers={"Retry-After": str(wait)})
    app = selectors.application_by_code(code)
    if app is None:
        raise NotFound(abuse.not_found_message(), code="application_not_found")
    notices = [
        {
            "kind": d.kind,
            "title": d.kind_title,
            "number": d.number,
            "issued_on": d.issued_on,
            "verification_code": d.verification_code,
            "url": reverse("service_public:notice", args=[d.pk]),
        }
        for d in selectors.public_notices(app)
    ]
    return {**selectors.public_status(app), "notices": notices}


@router.get("/service/licences", response=with_errors(list[LicenceOut]), summary="Licences I may see")
@paginated
def licence_list(request: HttpRequest, status: str = "", expiring_before: datetime.date | None = None) -> Any:
    qs = selectors.visible_licences(caller(request))
    if status:
        qs = qs.filter(status=status[:16])
    if expiring_before:
        qs = qs.filter(valid_until__lt=expiring_before)
    return qs.order_by("-pk")


@router.get("/service/licences/{licence_id}", response=with_errors(LicenceOut), summary="One licence")
def licence_detail(request: HttpRequest, licence_id: int) -> Any:
    return selectors.licence_get(actor=caller(request), pk=licence_id)
