"""Penalty cases (issue 4 §3, the Action API): leads, the case list and detail, parties, actions, timeline.

Only a thin layer over `cases.services` and `cases.selectors`: every rule (who may act, which guard
refuses, which deadlines run) lives there. The API adds body validation, masking of identity
numbers and the `Idempotency-Key` replay of actions.
"""

import datetime
import hashlib
import json
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from api.auth import caller
from api.errors import ErrorOut, with_errors
from api.models import IdempotencyKey
from api.pagination import paginated
from api.routes.fields import IsoDate, Text
from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import Case, CaseStatus, LeadSource, PartyType, Procedure
from cases.services.transitions import workflow_for
from core.errors import DomainError, NotFound, ValidationFailed
from org import selectors as org_selectors

router = Router(tags=["cases"])

CASE_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
ACTION: Any = Path(..., max_length=40, description="an action of the case's procedure, e.g. check")  # type: ignore[type-arg]
IDEMPOTENCY_KEY: Any = Header(  # type: ignore[type-arg]
    None,
    alias="Idempotency-Key",
    max_length=200,
    pattern=r"^[\x21-\x7e]+$",
    description="repeat a request with the same key and body: the first response is replayed",
)

SourceName = Literal[tuple(LeadSource.values)]  # type: ignore[valid-type]
StatusName = Literal[tuple(CaseStatus.values)]  # type: ignore[valid-type]
ProcedureName = Literal[tuple(Procedure.values)]  # type: ignore[valid-type]
PartyTypeName = Literal[tuple(PartyType.values)]  # type: ignore[valid-type]

ACTION_ERRORS = (409, 422)


def _action_responses(ok: Any, status: int = 200) -> dict[int, Any]:
    responses = with_errors(ok, status)
    responses.update({code: RefusalOut for code in ACTION_ERRORS})
    return responses


# --- schemas -------------------------------------------------------------------------------------


class ViolationOut(Schema):
    code: str
    message: str
    basis: str


class RefusalOut(Schema):
    """A refused action: 409 (a rule, or a stale version) or 422 (an invalid body)."""

    code: str
    message: str
    violations: list[ViolationOut] = Field(default_factory=list)
    field_errors: dict[str, list[str]] | None = None
    basis: str | None = None


class LeadIn(Schema):
    source: SourceName = Field(..., description="where the lead came from")  # type: ignore[valid-type]
    discovered_on: IsoDate
    description: Text = Field(..., min_length=1, max_length=5000)
    location: Text = Field("", max_length=255)
    reported_by: Text = Field("", max_length=200)
    title: Text = Field("", max_length=200)
    agency_id: int | None = Field(
        None, ge=1, le=2**62, description="the agency registering the lead; default: the caller's"
    )

    @field_validator("discovered_on")
    @classmethod
    def _not_future(cls, value: datetime.date) -> datetime.date:
        if value > timezone.localdate():
            raise ValueError(_("The date of discovery cannot lie in the future."))
        return value

    @field_validator("description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Describe what was found."))
        return value


class CaseSummaryOut(Schema):
    id: int
    number: str = Field(..., description="case number (empty until 立案)")
    status: str
    status_label: str
    procedure: str
    version: int
    title: str
    agency_id: int
    source: str
    discovered_on: datetime.date
    description: str
    registered_on: datetime.date | None


class PartyOut(Schema):
    id: int
    party_type: str
    name: str
    id_number: str = Field(..., description="masked: only the last 4 characters are shown")
    id_warning: str


class DeadlineOut(Schema):
    kind: str
    title: str
    due_date: datetime.date
    provisional: bool
    status: str


class AvailableActionOut(Schema):
    action: str
    label: str
    allowed: bool
    blocked_by: list[ViolationOut]


class CaseOut(CaseSummaryOut):
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    available_actions: list[AvailableActionOut]


class CaseFilters(Schema):
    status: StatusName | None = None  # type: ignore[valid-type]
    procedure: ProcedureName | None = None  # type: ignore[valid-type]
    q: Text | None = Field(None, max_length=100, description="part of the case number or description")
    registered_from: IsoDate | None = None
    registered_to: IsoDate | None = None


class PartyIn(Schema):
    party_type: PartyTypeName  # type: ignore[valid-type]
    name: Text = Field(..., min_length=1, max_length=200)
    id_number: Text = Field(..., min_length=1, max_length=32, description="身份证号 or 统一社会信用代码")
    address: Text = Field("", max_length=255)
    phone: Text = Field("", max_length=50)
    representative: Text = Field("", max_length=100)


class EventOut(Schema):
    seq: int
    action: str
    from_status: str
    to_status: str
    actor: str = Field(..., description="name of the officer (or user) who acted; empty for the system")
    at: datetime.datetime
    payload: dict[str, Any]


# --- serialisation -------------------------------------------------------------------------------


def mask(number: str) -> str:
    """All but the last 4 characters replaced by *."""
    return "*" * max(len(number) - 4, 0) + number[-4:]


def _summary(case: Case) -> dict[str, Any]:
    lead = case.lead
    return {
        "id": case.pk,
        "number": case.case_number,
        "status": case.status,
        "status_label": str(workflow_for(case).state_label(case.status)),
        "procedure": case.procedure,
        "version": case.version,
        "title": case.title,
        "agency_id": case.agency_id,
        "source": lead.source,
        "discovered_on": lead.discovered_on,
        "description": lead.description,
        "registered_on": case.registered_on,
    }


def _detail(case: Case, actor: Any) -> dict[str, Any]:
    body = _summary(case)
    body["parties"] = [
        {
            "id": p.pk,
            "party_type": p.party_type,
            "name": p.name,
            "id_number": mask(p.id_number),
            "id_warning": p.id_warning,
        }
        for p in case.parties.all()
    ]
    body["deadlines"] = [
        {
            "kind": d.kind,
            "title": d.title,
            "due_date": d.due_date,
            "provisional": d.provisional,
            "status": d.status,
        }
        for d in case_selectors.case_deadlines(case=case)
    ]
    body["available_actions"] = [
        {
            "action": a["action"],
            "label": a["label"],
            "allowed": a["allowed"],
            "blocked_by": [
                {
                    "code": v.get("code", ""),
                    "message": v.get("message", ""),
                    "basis": v.get("basis", ""),
                }
                for v in a["blocked_by"]
            ],
        }
        for a in case_services.available_actions(case=case, actor=actor)
    ]
    return body


def _jsonable_detail(case: Case, actor: Any) -> dict[str, Any]:
    """The detail as plain JSON (dates as ISO strings), for storing and replaying."""
    result: dict[str, Any] = json.loads(CaseOut(**_detail(case, actor)).model_dump_json())
    return result


def _refusal(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"code": code, "message": message, "violations": []}
    body.update({k: v for k, v in extra.items() if v})
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


# --- routes --------------------------------------------------------------------------------------


@router.post("/cases", response=with_errors(CaseOut, 201), summary="Register a lead (案源登记)")
def case_register(request: HttpRequest, payload: LeadIn) -> Any:
    actor = caller(request)
    if payload.agency_id is not None:
        agency = org_selectors.visible_agencies(actor).filter(pk=payload.agency_id).first()
    else:
        officer = org_selectors.officer_for(actor)
        agency = officer.agency if officer is not None else None
    if agency is None:
        raise ValidationFailed(
            _("The lead was not registered: correct the fields listed."),
            field_errors={"agency_id": [_("Choose an agency you belong to.")]},
        )
    case = case_services.lead_register(
        actor=actor,
        agency=agency,
        source=payload.source,
        discovered_on=payload.discovered_on,
        description=payload.description,
        location=payload.location,
        reported_by=payload.reported_by,
        title=payload.title,
    )
    return Status(201, _detail(case_selectors.case_get(case_id=case.pk, actor=actor), actor))


@router.get(
    "/cases",
    response=with_errors(list[CaseSummaryOut]),
    summary="Cases I may see",
    description=(
        "Newest first. `count` is exact up to `offset` + 1000 cases; when more match it is "
        "`offset` + 1001, to be read as “more than `offset` + 1000” (an exact count of a large "
        "agency's cases would cost more than the page)."
    ),
)
@paginated
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    qs = case_selectors.visible_cases(caller(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.procedure:
        qs = qs.filter(procedure=filters.procedure)
    if filters.q:
        qs = qs.filter(case_number__contains=filters.q) | qs.filter(lead__description__contains=filters.q)
    if filters.registered_from:
        qs = qs.filter(registered_on__gte=filters.registered_from)
    if filters.registered_to:
        qs = qs.filter(registered_on__lte=filters.registered_to)
    return _SummaryPage(qs.order_by("-pk"))


class _SummaryPage:
    """A lazily sliced queryset whose items are serialised summaries (pagination slices it).

    The count is capped: COUNT(*) over `LIMIT offset + COUNT_CAP + 1`, so it stays cheap however
    many cases the agency has (an exact count of 700k rows costs 40–200 ms on PostgreSQL) and a
    client paging on never sees the count end before the items do.
    """

    COUNT_CAP = 1000

    def __init__(self, qs: Any) -> None:
        self.qs = qs
        self.offset = 0

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        self.offset = index.start or 0
        return [_summary(c) for c in self.qs[index]]

    def all(self) -> "_SummaryPage":
        return self

    def count(self) -> int:
        return int(self.qs.order_by()[: self.offset + self.COUNT_CAP + 1].count())


@router.get("/cases/{case_id}", response=with_errors(CaseOut), summary="One case with its available actions")
def case_detail(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    actor = caller(request)
    return _detail(case_selectors.case_get(case_id=case_id, actor=actor), actor)


@router.post("/cases/{case_id}/parties", response=with_errors(PartyOut, 201), summary="Add a party (当事人)")
def party_add(request: HttpRequest, payload: PartyIn, case_id: int = CASE_ID) -> Any:
    actor = caller(request)
    case = case_selectors.case_get(case_id=case_id, actor=actor)
    party = case_services.party_add(
        actor=actor,
        case=case,
        party_type=payload.party_type,
        name=payload.name,
        id_number=payload.id_number,
        address=payload.address,
        phone=payload.phone,
        representative=payload.representative,
    )
    return Status(
        201,
        {
            "id": party.pk,
            "party_type": party.party_type,
            "name": party.name,
            "id_number": mask(party.id_number),
            "id_warning": party.id_warning,
        },
    )


ACTION_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": (
                        "The action's data (see the procedure declaration), plus the optional "
                        "`version` of the case the caller saw: a stale version is refused (409)."
                    ),
                    "properties": {"version": {"type": "integer", "minimum": 1, "maximum": 2**31}},
                    "additionalProperties": True,
                }
            }
        },
    }
}


def _body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object sent with an action; ValidationFailed (answered 422) otherwise."""
    raw = request.body or b"{}"
    try:
        data = json.loads(raw)
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
    if _has_nul(data):
        raise ValidationFailed(
            _("The text contains a NUL character; remove it."),
            field_errors={"__all__": [_("The text contains a NUL character; remove it.")]},
        )
    if "version" in data:
        version = data["version"]
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 2**31:
            raise ValidationFailed(
                _("The version is the whole number shown with the case."),
                field_errors={"version": [_("Enter a whole number.")]},
            )
    return data


def _digest(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _replay(stored: IdempotencyKey, method: str, path: str, digest: str) -> JsonResponse:
    if (stored.method, stored.path, stored.body_digest) != (method, path, digest):
        return _refusal(
            422,
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was already used for a different request; use a new key for "
                "a new request."
            ),
        )
    response = JsonResponse(
        stored.response_json, status=stored.status, json_dumps_params={"ensure_ascii": False}
    )
    response["Idempotent-Replayed"] = "true"
    return response


@router.post(
    "/cases/{case_id}/actions/{action}",
    response=_action_responses(CaseOut),
    summary="Perform one action of the procedure",
    openapi_extra=ACTION_BODY,
)
def case_action(
    request: HttpRequest,
    case_id: int = CASE_ID,
    action: str = ACTION,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Any:
    actor = caller(request)
    case = case_selectors.case_get(case_id=case_id, actor=actor)
    if workflow_for(case).transition(action) is None:
        raise NotFound(
            _("The procedure of case %(case)s has no action “%(action)s”.")
            % {"case": case, "action": action},
            code="unknown_action",
        )
    try:
        data = _body(request)
    except ValidationFailed as exc:
        return _refusal(422, exc.code, exc.message, field_errors=exc.field_errors)
    if not idempotency_key:
        return _act(case, actor, action, data)
    method, path, digest = "POST", request.path, _digest(data)
    stored = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
    if stored is not None:
        return _replay(stored, method, path, digest)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    key=idempotency_key,
                    user=actor,
                    method=method,
                    path=path,
                    body_digest=digest,
                    status=0,
                )
        except IntegrityError:
            # A concurrent request with the same key committed first: answer with its response.
            return _replay(IdempotencyKey.objects.get(user=actor, key=idempotency_key), method, path, digest)
        response = _act(case, actor, action, data)
        if not isinstance(response, JsonResponse) or response.status_code >= 400:
            transaction.set_rollback(True)  # a refusal is not stored: the key may be used again
            return response
        row.status = response.status_code
        row.response_json = json.loads(response.content)
        row.save(update_fields=["status", "response_json"])
        return response


def _act(case: Case, actor: Any, action: str, data: dict[str, Any]) -> JsonResponse:
    try:
        moved = case_services.case_act(case=case, actor=actor, action=action, data=data)
    except case_services.TransitionRefused as exc:
        return _refusal(
            409,
            exc.code,
            exc.message,
            violations=[v.as_dict() for v in exc.violations],
            basis=exc.basis,
        )
    except ValidationFailed as exc:
        violations = [
            {"code": exc.code, "message": f"{field}: {msg}", "basis": exc.basis}
            for field, messages in exc.field_errors.items()
            for msg in messages
        ] or [{"code": exc.code, "message": exc.message, "basis": exc.basis}]
        return _refusal(
            422,
            exc.code,
            exc.message,
            violations=violations,
            field_errors=exc.field_errors,
            basis=exc.basis,
        )
    except DomainError as exc:
        if exc.status != 409:
            raise  # 403, 404…: the API's usual error body
        return _refusal(
            409,
            exc.code,
            exc.message,
            violations=[{"code": exc.code, "message": exc.message, "basis": exc.basis}],
            basis=exc.basis,
        )
    return JsonResponse(_jsonable_detail(moved, actor), status=200, json_dumps_params={"ensure_ascii": False})


@router.get("/cases/{case_id}/events", response=with_errors(list[EventOut]), summary="The case timeline")
def case_events(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    actor = caller(request)
    case = case_selectors.case_get(case_id=case_id, actor=actor)
    names: dict[int, str] = {}

    def name_of(user: Any) -> str:
        if user is None:
            return ""
        if user.pk not in names:
            officer = org_selectors.officer_for(user)
            names[user.pk] = (
                (officer.name if officer is not None else "") or user.get_full_name() or user.username
            )
        return names[user.pk]

    return [
        {
            "seq": e.seq,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": name_of(e.actor),
            "at": e.at,
            "payload": e.payload,
        }
        for e in case_selectors.case_events(case=case).select_related("actor")
    ]


__all__ = ["ErrorOut", "router"]
