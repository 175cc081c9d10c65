"""The legal department's registers (issue 9 §6, §10): normative documents and their steps, referrals
and their answers, the advisers' opinions on a case, and the accountability findings (legal department
and heads only: anyone else gets 403, recorded in the ledger)."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from api.auth import caller
from api.errors import with_errors
from api.pagination import paginated
from legal import selectors, services

router = Router(tags=["legal"])

ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
CODE: Any = Path(..., min_length=1, max_length=50, description="a power-list item's code")  # type: ignore[type-arg]


class DocumentOut(Schema):
    id: int
    title: str
    status: str
    doc_number: str
    decided_on: dt.date | None
    filed_with: str
    filed_on: dt.date | None
    filing_receipt: str
    published_on: dt.date | None
    repealed_on: dt.date | None
    version: int
    power_codes: list[str] = Field(
        ..., description="the power-list items (codes) it is an enforcement basis for, shown in the catalog"
    )


PowerCode = Annotated[str, Field(min_length=1, max_length=50)]


class DocumentIn(Schema):
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=5000)
    power_codes: list[PowerCode] = Field(default_factory=list, max_length=50)


class PowersIn(Schema):
    power_codes: list[PowerCode] = Field(..., max_length=50)


class StepIn(Schema):
    step: Literal["submit", "review", "decide", "file", "publish", "cleanup"]
    lawful: bool | None = None
    opinion: str = Field("", max_length=10000)
    doc_number: str = Field("", max_length=100)
    decided_on: dt.date | None = None
    decided_by: str = Field("", max_length=200)
    filed_with: str = Field("", max_length=200)
    filed_on: dt.date | None = None
    receipt: str = Field("", max_length=100)
    published_on: dt.date | None = None
    published_where: str = Field("", max_length=200)
    round: str = Field("", max_length=60)
    result: str = Field("", max_length=8)
    reason: str = Field("", max_length=5000)
    done_on: dt.date | None = None


class DocumentFilters(Schema):
    status: str | None = Field(None, max_length=12)
    q: str | None = Field(None, max_length=100)


class ReferralOut(Schema):
    id: int
    agency_id: int
    case_id: int | None
    to_agency_id: int | None
    to_name: str
    subject: str
    sent_on: dt.date
    status: str
    receipt_number: str
    answered_on: dt.date | None


class ReferralIn(Schema):
    to_name: str = Field("", max_length=200)
    to_agency_id: int | None = Field(None, ge=1, le=2**62)
    case_id: int | None = Field(None, ge=1, le=2**62)
    subject: str = Field(..., max_length=200)
    reason: str = Field(..., max_length=5000)
    sent_on: dt.date


class AnswerIn(Schema):
    accepted: bool
    answered_on: dt.date
    receipt_number: str = Field("", max_length=100)
    note: str = Field("", max_length=5000)


class OpinionOut(Schema):
    id: int
    adviser: str
    question: str
    status: str
    opinion: str
    requested_on: dt.date
    answered_on: dt.date | None


class FindingOut(Schema):
    id: int
    kind: str
    case_id: int | None
    persons: list[str]
    finding: str
    consequence: str
    exemptions: list[str]
    exempted: bool
    found_on: dt.date


def _agency(request: HttpRequest) -> Any:
    return selectors.agency_of(caller(request))


@router.get("/legal/documents", response=with_errors(list[DocumentOut]), summary="Normative documents")
@paginated
def documents(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    return selectors.documents_for(caller(request), status=filters.status or "", q=filters.q or "")


@router.post(
    "/legal/documents",
    response={201: DocumentOut, **with_errors(DocumentOut)},
    summary="Draft a normative document",
)
def document_draft(request: HttpRequest, body: DocumentIn) -> Any:
    return 201, services.document_draft(
        actor=caller(request),
        agency=_agency(request),
        title=body.title,
        summary=body.summary,
        power_codes=body.power_codes,
    )


@router.post(
    "/legal/documents/{document_id}/powers",
    response=with_errors(DocumentOut),
    summary="Name the power-list items the document is an enforcement basis for (the catalog links them)",
)
def document_powers(request: HttpRequest, body: PowersIn, document_id: int = ID) -> Any:
    doc = selectors.document_or_404(document_id=document_id, actor=caller(request))
    return services.document_powers_set(actor=caller(request), document=doc, power_codes=body.power_codes)


@router.get(
    "/legal/powers/{code}/documents",
    response=with_errors(list[DocumentOut]),
    summary="The normative documents in force that are a basis for a power-list item of my agency",
)
def power_documents(request: HttpRequest, code: str = CODE) -> Any:
    agency = _agency(request)
    return selectors.documents_in_force_for_powers(agency_id=agency.pk, codes=[code]).get(code, [])


@router.post(
    "/legal/documents/{document_id}/steps",
    response=with_errors(DocumentOut),
    summary="The next step: review, decision, filing with its receipt, publication, cleanup",
)
def document_step(request: HttpRequest, body: StepIn, document_id: int = ID) -> Any:
    doc = selectors.document_or_404(document_id=document_id, actor=caller(request))
    a, b = caller(request), body
    if b.step == "submit":
        services.document_submit(actor=a, document=doc)
    elif b.step == "review":
        services.document_review(actor=a, document=doc, lawful=bool(b.lawful), opinion=b.opinion)
    elif b.step == "decide":
        services.document_decide(
            actor=a,
            document=doc,
            doc_number=b.doc_number,
            decided_on=b.decided_on or timezone.localdate(),
            decided_by=b.decided_by,
        )
    elif b.step == "file":
        services.document_file(
            actor=a,
            document=doc,
            filed_with=b.filed_with,
            filed_on=b.filed_on or timezone.localdate(),
            receipt=b.receipt,
        )
    elif b.step == "publish":
        services.document_publish(
            actor=a,
            document=doc,
            published_on=b.published_on or timezone.localdate(),
            published_where=b.published_where,
        )
    else:  # cleanup (the schema admits only the six steps)
        services.document_cleanup(
            actor=a,
            document=doc,
            round=b.round,
            result=b.result,
            reason=b.reason,
            done_on=b.done_on or timezone.localdate(),
        )
    doc.refresh_from_db()
    return doc


@router.get("/legal/referrals", response=with_errors(list[ReferralOut]), summary="Referrals sent or received")
@paginated
def referrals(request: HttpRequest) -> Any:
    return selectors.referrals_for(caller(request))


@router.post(
    "/legal/referrals",
    response={201: ReferralOut, **with_errors(ReferralOut)},
    summary="Refer a matter or case to another agency (answer due on the clock)",
)
def referral_send(request: HttpRequest, body: ReferralIn) -> Any:
    return 201, services.referral_send(
        actor=caller(request),
        agency=_agency(request),
        to_name=body.to_name,
        to_agency_id=body.to_agency_id,
        case_id=body.case_id,
        subject=body.subject,
        reason=body.reason,
        sent_on=body.sent_on,
    )


@router.post(
    "/legal/referrals/{referral_id}/answer",
    response=with_errors(ReferralOut),
    summary="Accept (with the receipt number) or refuse (with the reason) a referral",
)
def referral_answer(request: HttpRequest, body: AnswerIn, referral_id: int = ID) -> Any:
    referral = selectors.referral_or_404(referral_id=referral_id, actor=caller(request))
    return services.referral_answer(
        actor=caller(request),
        referral=referral,
        accepted=body.accepted,
        answered_on=body.answered_on,
        receipt_number=body.receipt_number,
        note=body.note,
    )


@router.get(
    "/legal/cases/{case_id}/opinions",
    response=with_errors(list[OpinionOut]),
    summary="The legal advisers' opinions on a case",
)
def case_opinions(request: HttpRequest, case_id: int = ID) -> Any:
    return [
        {
            "id": o.pk,
            "adviser": o.adviser.name,
            "question": o.question,
            "status": o.status,
            "opinion": o.opinion,
            "requested_on": o.requested_on,
            "answered_on": o.answered_on,
        }
        for o in selectors.opinions_for_case(case_id=case_id, actor=caller(request))
    ]


@router.get(
    "/legal/accountability",
    response=with_errors(list[FindingOut]),
    summary="Accountability findings (legal department and heads only)",
)
def accountability(request: HttpRequest) -> Any:
    rows = selectors.accountability_for(caller(request), agency=_agency(request))
    return [
        {
            "id": r.pk,
            "kind": r.kind,
            "case_id": r.case_id,
            "persons": [p.name for p in r.persons.all()],
            "finding": r.finding,
            "consequence": r.consequence,
            "exemptions": r.exemptions,
            "exempted": r.exempted,
            "found_on": r.found_on,
        }
        for r in rows[:500]
    ]
