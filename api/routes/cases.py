"""Penalty cases (issue 4 §3, the Action API): leads, the case list and detail, parties, actions, timeline.

Only a thin layer over `cases.services` and `cases.selectors`: every rule (who may act, which guard
refuses, which deadlines run) lives there. The API adds body validation, masking of identity
numbers and the `Idempotency-Key` replay of actions.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, create_model, field_validator
from pydantic import ValidationError as PydanticValidationError

from api.auth import caller
from api.errors import (
    ErrorOut,
    field_errors_from,
    input_violations,
    nul_message,
    request_body_doc,
    with_errors,
)
from api.models import IdempotencyKey
from api.pagination import paginated
from api.routes.fields import IsoDate, Text
from cases import selectors as case_selectors
from cases import services as case_services
from cases.forms import FACT_FLAGS, FACT_TEXTS
from cases.models import (
    Case,
    CaseStatus,
    LeadSource,
    PartyType,
    PaymentChannel,
    PenaltyKind,
    Procedure,
    RecusalApplicant,
    RemedyKind,
    RemedyOutcome,
)
from cases.services.cases import FACT_KEYS
from cases.services.transitions import workflow_for
from cases.services.ui_support import recusal_decide_and_reassign
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
ChannelName = Literal[tuple(PaymentChannel.values)]  # type: ignore[valid-type]
RemedyKindName = Literal[tuple(RemedyKind.values)]  # type: ignore[valid-type]
RemedyOutcomeName = Literal[tuple(RemedyOutcome.values)]  # type: ignore[valid-type]
KindName = Literal[tuple(PenaltyKind.values)]  # type: ignore[valid-type]
ApplicantName = Literal[tuple(RecusalApplicant.values)]  # type: ignore[valid-type]
LandClassName = Literal["basic_farmland", "farmland", "other"]

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


class DeliveryOut(Schema):
    id: int
    document: str
    method: str
    recipient: str
    witness: str
    consent_signed: bool
    announced_on: datetime.date | None
    delivered_on: datetime.date = Field(..., description="the day the document counts as served")


class PaymentOut(Schema):
    id: int
    amount: Decimal
    paid_on: datetime.date
    receipt_number: str
    channel: str


class PaymentStatusOut(Schema):
    fine: Decimal | None
    paid_total: Decimal
    due_date: datetime.date | None
    surcharge: Decimal = Field(..., description="加处罚款 on `on`: 3 % of the fine per day, at most the fine")
    outstanding: Decimal = Field(..., description="fine + surcharge − paid, on `on`")
    paid_in_full: bool
    on: datetime.date


class RemedyOut(Schema):
    id: int
    kind: str
    filed_on: datetime.date
    body: str
    outcome: str = Field(..., description="empty while pending")
    decided_on: datetime.date | None
    note: str


class RecusalOut(Schema):
    id: int
    officer_id: int
    officer_name: str
    applied_by: str
    reason: str
    outcome: str
    decision_reason: str


class CaseOut(CaseSummaryOut):
    violation_code: str
    act_started_on: datetime.date | None
    act_ended_on: datetime.date | None = Field(..., description="empty while the act continues")
    facts: dict[str, Any]
    proposed_amount: Decimal | None
    decided_amount: Decimal | None
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    deliveries: list[DeliveryOut]
    payments: list[PaymentOut]
    payment_status: PaymentStatusOut | None = Field(..., description="only for a decided fine")
    remedies: list[RemedyOut]
    recusals: list[RecusalOut]
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


def _delivery(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "document": d.document,
        "method": d.method,
        "recipient": d.recipient,
        "witness": d.witness,
        "consent_signed": d.consent_signed,
        "announced_on": d.announced_on,
        "delivered_on": d.delivered_on,
    }


def _payment(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "amount": p.amount,
        "paid_on": p.paid_on,
        "receipt_number": p.receipt_number,
        "channel": p.channel,
    }


def _remedy(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "filed_on": r.filed_on,
        "body": r.body,
        "outcome": r.outcome,
        "decided_on": r.decided_on,
        "note": r.note,
    }


def _recusal(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "officer_id": r.officer_id,
        "officer_name": r.officer.name,
        "applied_by": r.applied_by,
        "reason": r.reason,
        "outcome": r.outcome,
        "decision_reason": r.decision_reason,
    }


def _detail(case: Case, actor: Any) -> dict[str, Any]:
    body = _summary(case)
    has_fine = PenaltyKind.FINE in (case.decided_kinds or [])
    body.update(
        {
            "violation_code": case.violation_code,
            "act_started_on": case.act_started_on,
            "act_ended_on": case.act_ended_on,
            "facts": dict(case.facts or {}),
            "proposed_amount": case.proposed_amount,
            "decided_amount": case.decided_amount,
            "deliveries": [_delivery(d) for d in case_selectors.case_deliveries(case=case)],
            "payments": [_payment(p) for p in case_selectors.case_payments(case=case)],
            "payment_status": case_selectors.payment_status(case=case).as_dict() if has_fine else None,
            "remedies": [_remedy(r) for r in case_selectors.case_remedies(case=case)],
            "recusals": [_recusal(r) for r in case_selectors.case_recusals(case=case)],
        }
    )
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
            nul_message(),
            field_errors={"__all__": [nul_message()]},
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


def _refused(exc: DomainError) -> JsonResponse:
    """A refusal as the Action API answers it: 409 for a rule (with every violation), 422 for an
    invalid body (with field errors); any other error (403, 404…) is re-raised for the usual body."""
    if isinstance(exc, case_services.TransitionRefused):
        return _refusal(
            409,
            exc.code,
            exc.message,
            violations=[v.as_dict() for v in exc.violations],
            basis=exc.basis,
        )
    if isinstance(exc, ValidationFailed):
        violations = input_violations(exc)
        return _refusal(
            422,
            exc.code,
            exc.message,
            violations=violations,
            field_errors=exc.field_errors,
            basis=exc.basis,
        )
    if exc.status != 409:
        raise exc  # 403, 404…: the API's usual error body
    return _refusal(
        409,
        exc.code,
        exc.message,
        violations=[{"code": exc.code, "message": exc.message, "basis": exc.basis}],
        basis=exc.basis,
    )


def _act(case: Case, actor: Any, action: str, data: dict[str, Any]) -> JsonResponse:
    try:
        moved = case_services.case_act(case=case, actor=actor, action=action, data=data)
    except DomainError as exc:
        return _refused(exc)
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


# --- the case page's own writes: facts, payments, remedies, recusals; the discretion -------------


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


_FACT_FIELDS: dict[str, Any] = {
    "violation_code": (Text | None, Field(None, max_length=40, description="discretion standard code")),
    "act_started_on": (IsoDate | None, None),
    "act_ended_on": (IsoDate | None, Field(None, description="omit (and set continuing) while it continues")),
    "continuing": (bool, Field(False, description="the act still continues: clears act_ended_on")),
    "land_class": (LandClassName | None, None),
    "area_m2": (Decimal | None, Field(None, ge=0, max_digits=14, decimal_places=2, description="m²")),
    "area_mu": (
        Decimal | None,
        Field(
            None, ge=0, max_digits=12, decimal_places=4, description="亩, converted to m² (1 亩 = 666.67 m²)"
        ),
    ),
    **{
        key: (Decimal | None, Field(None, ge=0, max_digits=14, decimal_places=2, description="yuan"))
        for key in ("illegal_income", "confiscation_value", "fee")
        if key in FACT_KEYS
    },
    **{key: (bool | None, None) for key, _label in FACT_FLAGS if key in FACT_KEYS},
    **{key: (Text | None, Field(None, max_length=200)) for key, _label in FACT_TEXTS if key in FACT_KEYS},
    "legal_basis": (
        Text | None,
        Field(None, max_length=500, description="provisions violated, when the power list gives none"),
    ),
    "evidence": (
        list[Annotated[Text, Field(min_length=1, max_length=500)]] | None,
        Field(None, max_length=200, description="the evidence list, one item per entry"),
    ),
}
FactsIn = create_model("FactsIn", __base__=_Strict, **_FACT_FIELDS)
FactsIn.__doc__ = "The facts discretion and the guards read; only the fields sent are changed."


class PaymentIn(_Strict):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2, description="yuan")
    paid_on: IsoDate
    receipt_number: Text = Field(..., min_length=1, max_length=100)
    channel: ChannelName = "bank"  # type: ignore[valid-type]


class RemedyIn(_Strict):
    kind: RemedyKindName  # type: ignore[valid-type]
    filed_on: IsoDate
    body: Text = Field(..., min_length=1, max_length=200, description="reconsideration body or court")
    note: Text = Field("", max_length=5000)


class RemedyOutcomeIn(_Strict):
    outcome: RemedyOutcomeName  # type: ignore[valid-type]
    decided_on: IsoDate
    changed_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    changed_kinds: list[KindName] | None = Field(None, max_length=len(PenaltyKind.values))  # type: ignore[valid-type]
    note: Text = Field("", max_length=5000)


class RecusalIn(_Strict):
    officer_id: int = Field(..., ge=1, le=2**62, description="an officer now handling the case")
    applied_by: ApplicantName  # type: ignore[valid-type]
    reason: Text = Field(..., min_length=1, max_length=5000)


class RecusalDecisionIn(_Strict):
    granted: bool
    reason: Text = Field("", max_length=5000)
    replacement_officer_id: int | None = Field(
        None, ge=1, le=2**62, description="when granted: the officer who takes over (same role)"
    )


class ComparisonOut(Schema):
    which: str = Field(..., description="proposed, notified or decided")
    amount: Decimal
    position: str = Field(..., description="within_range, below_range, above_range or no_range")
    difference: Decimal | None = Field(..., description="amount − recommended")


class DiscretionOut(Schema):
    available: bool
    problem: str = Field(..., description="why nothing could be computed (Chinese), when not available")
    act_date: datetime.date | None
    code: str
    violation_name: str
    version: int | None = Field(..., description="the version applied (行政处罚法 Art.37)")
    effective_from: datetime.date | None
    act_date_version: int | None = Field(..., description="the version in force on the act date")
    tier: str
    range_min: Decimal | None
    range_max: Decimal | None
    recommended: Decimal | None
    outcome: str = Field(..., description="penalise, may_not_penalise (首违不罚) or shall_not_penalise")
    mitigations: list[str]
    reasons: list[str]
    comparisons: list[ComparisonOut]


RECUSAL_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
REMEDY_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]


def _parsed(request: HttpRequest, model: Any) -> Any:
    """The body validated against `model`; ValidationFailed (answered 422) with Chinese field errors."""
    data = _body(request)
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationFailed(
            _("Some values are missing or invalid; correct the fields listed and send the request again."),
            field_errors=field_errors_from(
                [{**e, "loc": ("body", "payload", *e.get("loc", ()))} for e in exc.errors()]
            ),
        ) from None


def _write(request: HttpRequest, model: Any, act: Callable[[Any, Any], tuple[int, dict[str, Any]]]) -> Any:
    """Validate the body, run one service call; refusals as the Action API answers them."""
    actor = caller(request)
    try:
        payload = _parsed(request, model)
        status, body = act(actor, payload)
    except DomainError as exc:
        return _refused(exc)
    return Status(status, body)


def _case_for(actor: Any, case_id: int) -> Case:
    return case_selectors.case_get(case_id=case_id, actor=actor)


def _facts_update(request: HttpRequest, case_id: int) -> Any:
    actor = caller(request)
    case = _case_for(actor, case_id)

    def act(actor: Any, payload: Any) -> tuple[int, dict[str, Any]]:
        sent = payload.model_fields_set
        facts: dict[str, Any] = {}
        for key in sent - {"violation_code", "act_started_on", "act_ended_on", "continuing", "area_mu"}:
            value = getattr(payload, key)
            if key == "evidence":
                facts[key] = [str(v).strip() for v in value or [] if str(v).strip()]
                continue
            facts[key] = "" if value is None else (str(value) if isinstance(value, Decimal) else value)
        if "area_mu" in sent and "area_m2" not in sent:
            mu = payload.area_mu
            facts["area_m2"] = (
                "" if mu is None else str((mu * Decimal(10000) / Decimal(15)).quantize(Decimal("0.01")))
            )
        case_services.case_facts_update(
            actor=actor,
            case=case,
            facts=facts,
            act_started_on=payload.act_started_on,
            act_ended_on=payload.act_ended_on,
            continuing=payload.continuing,
            violation_code=payload.violation_code if "violation_code" in sent else None,
        )
        return 200, _detail(_case_for(actor, case_id), actor)

    return _write(request, FactsIn, act)


FACTS_DOC: dict[str, Any] = {
    "response": _action_responses(CaseOut),
    "summary": "Edit the facts used by discretion and the guards",
    "openapi_extra": request_body_doc(FactsIn),
}


@router.patch("/cases/{case_id}/facts", **FACTS_DOC)
def case_facts_patch(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    return _facts_update(request, case_id)


@router.post("/cases/{case_id}/facts", **FACTS_DOC)
def case_facts_post(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    return _facts_update(request, case_id)


@router.get(
    "/cases/{case_id}/discretion",
    response=with_errors(DiscretionOut),
    summary="The discretion standard applied to the case facts (read-only)",
)
def case_discretion(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    actor = caller(request)
    return case_selectors.discretion_explanation(case=_case_for(actor, case_id)).as_dict()


@router.post(
    "/cases/{case_id}/payments",
    response=_action_responses(PaymentOut, 201),
    summary="Record a payment of the fine (缴款)",
    openapi_extra=request_body_doc(PaymentIn),
)
def case_payment_record(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    case = _case_for(caller(request), case_id)

    def act(actor: Any, payload: Any) -> tuple[int, dict[str, Any]]:
        payment = case_services.payment_record(
            actor=actor,
            case=case,
            amount=payload.amount,
            paid_on=payload.paid_on,
            receipt_number=payload.receipt_number,
            channel=payload.channel,
        )
        return 201, _payment(payment)

    return _write(request, PaymentIn, act)


@router.post(
    "/cases/{case_id}/remedies",
    response=_action_responses(RemedyOut, 201),
    summary="Record an application for reconsideration or a suit (复议 / 诉讼)",
    openapi_extra=request_body_doc(RemedyIn),
)
def case_remedy_record(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    case = _case_for(caller(request), case_id)

    def act(actor: Any, payload: Any) -> tuple[int, dict[str, Any]]:
        remedy = case_services.remedy_record(
            actor=actor,
            case=case,
            kind=payload.kind,
            filed_on=payload.filed_on,
            body=payload.body,
            note=payload.note,
        )
        return 201, _remedy(remedy)

    return _write(request, RemedyIn, act)


@router.post(
    "/cases/{case_id}/remedies/{remedy_id}/outcome",
    response=_action_responses(RemedyOut),
    summary="Record the outcome of a reconsideration or suit",
    openapi_extra=request_body_doc(RemedyOutcomeIn),
)
def case_remedy_outcome(request: HttpRequest, case_id: int = CASE_ID, remedy_id: int = REMEDY_ID) -> Any:
    case = _case_for(caller(request), case_id)
    remedy = case_selectors.case_remedy_get(case=case, remedy_id=remedy_id)

    def act(actor: Any, payload: Any) -> tuple[int, dict[str, Any]]:
        decided = case_services.remedy_outcome_record(
            actor=actor,
            remedy=remedy,
            outcome=payload.outcome,
            decided_on=payload.decided_on,
            changed_amount=payload.changed_amount,
            changed_kinds=list(payload.changed_kinds) if payload.changed_kinds is not None else None,
            note=payload.note,
        )
        return 200, _remedy(decided)

    return _write(request, RemedyOutcomeIn, act)


@router.post(
    "/cases/{case_id}/recusals",
    response=_action_responses(RecusalOut, 201),
    summary="Apply for a recusal (回避, 行政处罚法 Art.43)",
    openapi_extra=request_body_doc(RecusalIn),
)
def case_recusal_apply(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    case = _case_for(caller(request), case_id)

    def act(actor: Any, payload: Any) -> tuple[int, dict[str, Any]]:
        recusal = case_services.recusal_apply(
            actor=actor,
            case=case,
            officer_id=payload.officer_id,
            applied_by=payload.applied_by,
            reason=payload.reason,
        )
        return 201, _recusal(case_selectors.case_recusal_get(case=case, recusal_id=recusal.pk))

    return _write(request, RecusalIn, act)


@router.post(
    "/cases/{case_id}/recusals/{recusal_id}/decision",
    response=_action_responses(RecusalOut),
    summary="The head decides a recusal, naming who takes over",
    openapi_extra=request_body_doc(RecusalDecisionIn),
)
def case_recusal_decide(request: HttpRequest, case_id: int = CASE_ID, recusal_id: int = RECUSAL_ID) -> Any:
    case = _case_for(caller(request), case_id)
    recusal = case_selectors.case_recusal_get(case=case, recusal_id=recusal_id)

    def act(actor: Any, payload: Any) -> tuple[int, dict[str, Any]]:
        if payload.replacement_officer_id is not None and not payload.granted:
            raise ValidationFailed(
                _("Name a replacement only when the recusal is granted."),
                field_errors={
                    "replacement_officer_id": [_("Name a replacement only when the recusal is granted.")]
                },
            )
        recusal_decide_and_reassign(
            actor=actor,
            recusal=recusal,
            granted=payload.granted,
            reason=payload.reason,
            replacement_id=payload.replacement_officer_id,
        )
        return 200, _recusal(case_selectors.case_recusal_get(case=case, recusal_id=recusal.pk))

    return _write(request, RecusalDecisionIn, act)


__all__ = ["ErrorOut", "router"]
