"""Administrative mediation (行政调解, issue 8 §5): the officer's list, detail and statistics, the
officer's acts (`POST /mediations/{id}/actions/{action}`: accept, refuse, session, agreement, sign,
conclude, fail, extend, withdraw); the public application and its tracking by code (no login,
throttled).

The acts answer with the same error contract as the cases Action API: 409 for a rule that refuses
the act (with `violations`, each naming its rule), 422 for an invalid body (with `field_errors`).

A thin layer over `mediation.services` and `mediation.selectors`; every rule lives there.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from api.auth import caller
from api.errors import ApiError, ErrorOut, input_violations, with_errors
from api.pagination import paginated
from core.errors import DomainError, NotFound, ValidationFailed
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
    refusal_reason: str
    refusal_document_number: str
    failure_reason: str
    routes: str


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


# --- the officer's acts ------------------------------------------------------------------------------


class ViolationOut(Schema):
    code: str
    message: str
    basis: str | None = None


class RefusalOut(Schema):
    """A refused act: 409 (a rule of the procedure) or 422 (an invalid body)."""

    code: str
    message: str
    violations: list[ViolationOut] = Field(default_factory=list)
    field_errors: dict[str, list[str]] | None = None
    basis: str | None = None


def action_responses(ok: Any) -> dict[int, Any]:
    return {**with_errors(ok), 409: RefusalOut, 422: RefusalOut}


def action_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object sent with an act; ValidationFailed (answered 422) otherwise."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(
            _("The request body is not valid JSON; send a JSON object encoded in UTF-8."),
            code="malformed_json",
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationFailed(
            _("The body of an action is a JSON object."),
            field_errors={"__all__": [_("Enter a JSON object.")]},
        )
    return data


def action_refusal(exc: DomainError) -> JsonResponse:
    """409 for a rule (its violation named), 422 for invalid input; 403, 404… are re-raised."""
    if isinstance(exc, ValidationFailed) or exc.status == 422:
        violations = input_violations(exc)
        status = 422
    elif exc.status == 409:
        violations = [{"code": exc.code, "message": exc.message, "basis": exc.basis}]
        status = 409
    else:
        raise exc
    body: dict[str, Any] = {"code": exc.code, "message": exc.message, "violations": violations}
    if exc.field_errors:
        body["field_errors"] = exc.field_errors
    if exc.basis:
        body["basis"] = exc.basis
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def act(request: HttpRequest, perform: Callable[[dict[str, Any]], Any]) -> Any:
    """Parse the body, perform the act; a refusal is answered as the cases Action API does."""
    try:
        return perform(action_body(request))
    except DomainError as exc:
        return action_refusal(exc)


def text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def date_of(data: dict[str, Any], key: str) -> datetime.date | None:
    """An ISO date, else None (the service then names the field)."""
    try:
        return datetime.date.fromisoformat(text(data, key))
    except ValueError:
        return None


MediationAction = Literal[
    "accept", "refuse", "session", "agreement", "sign", "conclude", "fail", "extend", "withdraw"
]
ACTION_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": (
                        "accept {mediator_id}; refuse {reason}; session {held_on, place, attendees, "
                        "record}; agreement {terms, performance}; sign {party_id, signed_on}; "
                        "conclude {}; fail {reason, routes?}; extend {days, agreed_on, note}; "
                        "withdraw {reason}. Dates as YYYY-MM-DD."
                    ),
                    "additionalProperties": True,
                }
            }
        },
    }
}


def _perform(action: str, mediation: Any, actor: Any, d: dict[str, Any]) -> Any:
    m = mediation
    if action == "accept":
        return services.mediation_accept(actor=actor, mediation=m, mediator_id=d.get("mediator_id"))
    if action == "refuse":
        return services.mediation_refuse(actor=actor, mediation=m, reason=text(d, "reason"))
    if action == "session":
        services.mediation_session_record(
            actor=actor,
            mediation=m,
            held_on=date_of(d, "held_on"),
            place=text(d, "place"),
            attendees=text(d, "attendees"),
            record=text(d, "record"),
        )
    elif action == "agreement":
        services.mediation_agreement_draft(
            actor=actor, mediation=m, terms=text(d, "terms"), performance=text(d, "performance")
        )
    elif action == "sign":
        services.mediation_signature_record(
            actor=actor, mediation=m, party_id=d.get("party_id"), signed_on=date_of(d, "signed_on")
        )
    elif action == "conclude":
        return services.mediation_conclude(actor=actor, mediation=m)
    elif action == "fail":
        return services.mediation_fail(
            actor=actor, mediation=m, reason=text(d, "reason"), routes=text(d, "routes")
        )
    elif action == "extend":
        services.mediation_extend(
            actor=actor,
            mediation=m,
            days=d.get("days"),
            agreed_on=date_of(d, "agreed_on"),
            note=text(d, "note"),
        )
    elif action == "withdraw":
        return services.mediation_withdraw(actor=actor, mediation=m, reason=text(d, "reason"))
    return m


@router.post(
    "/mediations/{mediation_id}/actions/{action}",
    response=action_responses(MediationOut),
    summary="Perform one act of the mediation",
    openapi_extra=ACTION_BODY,
)
def mediation_action(request: HttpRequest, action: MediationAction, mediation_id: int = MEDIATION_ID) -> Any:
    actor = caller(request)
    mediation = selectors.mediation_get(actor=actor, pk=mediation_id)

    def perform(data: dict[str, Any]) -> Any:
        _perform(action, mediation, actor, data)
        return selectors.mediation_get(actor=actor, pk=mediation_id)

    return act(request, perform)
