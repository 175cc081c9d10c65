"""Administrative mediation (行政调解, issue 8 §5): the officer's list, detail and statistics; the
public application and its tracking by code (no login, throttled).

A thin layer over `mediation.services` and `mediation.selectors`; every rule lives there.
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
from mediation import selectors, services

router = Router(tags=["mediation"])

MEDIATION_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
CODE: Any = Path(..., min_length=1, max_length=40)  # type: ignore[type-arg]


class MediationOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    status: str
    received_on: datetime.date
    summary: str
    location: str
    mediator_id: int | None
    concluded_on: datetime.date | None
    document_number: str


class MediationFilters(Schema):
    status: str = Field("", max_length=20)
    kind: str = Field("", max_length=20)


class PartyIn(Schema):
    name: str = Field("", max_length=200)
    id_number: str = Field("", max_length=40)
    address: str = Field("", max_length=255)
    phone: str = Field("", max_length=30)
    representative: str = Field("", max_length=100)
    representative_role: str = Field("", max_length=60)


class ApplicationIn(Schema):
    agency_id: int = Field(..., ge=1, le=2**62)
    kind: str = Field(..., max_length=20, description="land_ownership, land_use, mining or water")
    summary: str = Field(..., max_length=5000)
    request: str = Field("", max_length=5000)
    location: str = Field("", max_length=255)
    applicant: PartyIn
    respondent: PartyIn


class PublicStatusOut(Schema):
    display_code: str
    agency: str
    kind_label: str
    received_on: datetime.date
    status: str
    status_label: str
    number: str
    refusal_reason: str
    routes: str
    concluded_on: datetime.date | None


class StatisticsOut(Schema):
    rows: list[dict[str, Any]]
    totals: dict[str, int]
    total: int
    success_rate: int | None


@router.get("/mediations", response=with_errors(list[MediationOut]), summary="Mediations I may see")
@paginated
def mediation_list(request: HttpRequest, filters: Query[MediationFilters]) -> Any:
    qs = selectors.visible_mediations(caller(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("-received_on", "-pk")


@router.get(
    "/mediations/statistics", response=with_errors(StatisticsOut), summary="Outcomes per kind of dispute"
)
def mediation_statistics(
    request: HttpRequest, start: datetime.date | None = None, end: datetime.date | None = None
) -> Any:
    return selectors.mediation_statistics(actor=caller(request), start=start, end=end)


@router.get("/mediations/{mediation_id}", response=with_errors(MediationOut), summary="One mediation")
def mediation_detail(request: HttpRequest, mediation_id: int = MEDIATION_ID) -> Any:
    return selectors.mediation_get(actor=caller(request), pk=mediation_id)


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


@router.post(
    "/mediation-applications",
    auth=None,
    response={**with_errors(PublicStatusOut, 201), 409: ErrorOut, 422: ErrorOut},
    summary="Apply for administrative mediation, no login",
)
def mediation_apply(request: HttpRequest, body: ApplicationIn) -> Any:
    _throttle(request, "mediation:apply", 5, 3600)
    mediation = services.mediation_apply(
        actor=None,
        agency_id=body.agency_id,
        kind=body.kind,
        channel="online",
        summary=body.summary,
        request=body.request,
        location=body.location,
        applicant=body.applicant.dict(),
        respondent=body.respondent.dict(),
    )
    return Status(201, {**selectors.public_status(mediation), "tracking_code": mediation.tracking_code})


@router.get(
    "/mediation-applications/{code}",
    auth=None,
    response=with_errors(PublicStatusOut),
    summary="Follow an application by its code",
)
def mediation_track(request: HttpRequest, code: str = CODE) -> Any:
    _throttle(request, "mediation:track", 30, 60)
    mediation = selectors.mediation_by_code(code)
    if mediation is None:
        raise NotFound(
            _("No application has this tracking code; check the code."), code="mediation_not_found"
        )
    return selectors.public_status(mediation)
