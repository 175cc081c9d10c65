"""Records and evidence (issue 5), read endpoints: a case's evidence list, text records, files with
their digests, and the verification of a file against the store and the ledger.

A thin layer over `records.selectors`, `records.policies` and `records.services.access`: the case is
fetched through `cases.selectors.case_get` (404 outside the caller's agencies); sensitive material
never appears in a list for a caller who may not see it and a direct request for it answers 403
(recorded in the ledger); every read of a sensitive record or file by someone allowed is a ledger
entry (`records.sensitive_viewed` / `records.sensitive_downloaded`). Identity numbers and phones in
a record's content are masked, as in the case API.
"""

import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from api.auth import caller
from api.errors import with_errors
from api.pagination import paginated
from api.routes.cases import mask
from cases.selectors import case_get
from records import selectors
from records.models import EvidenceFile, Record
from records.services import access
from records.steps import step_label

router = Router(tags=["records"])

CASE_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
ITEM_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
MASKED_KEYS = frozenset({"id_number", "phone"})


class EvidenceItemOut(Schema):
    id: int
    number: int
    kind: str
    kind_label: str
    title: str
    proves: str
    source: str
    collected_by: list[str]
    collected_on: datetime.date
    file_ids: list[int]
    record_id: int | None
    excluded: bool
    exclusion_reason: str = Field("", description="the reason of the latest exclusion, when excluded")


class RecordOut(Schema):
    id: int
    kind: str
    kind_label: str
    action: str = Field(..., description="the case step the record belongs to")
    step_label: str
    series: str
    version: int
    supersedes_id: int | None
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    place: str
    in_case_room: bool
    officers: list[str]
    signature: str
    classification: str


class RecordDetailOut(RecordOut):
    content: dict[str, Any] = Field(..., description="the fields; identity numbers and phones masked")
    signature_note: str
    correction_reason: str
    file_ids: list[int]


class FileOut(Schema):
    id: int
    filename: str
    content_type: str
    media_kind: str
    action: str
    record_id: int | None
    size: int
    algorithm: str
    digest: str
    device: str
    captured_at: datetime.datetime | None
    place: str
    classification: str
    deduplicated: bool
    delivery_ref: str = Field("", description="for a signed delivery receipt's scan: its delivery")
    uploaded_at: datetime.datetime


class VerificationOut(Schema):
    file_id: int
    algorithm: str
    digest: str
    ok: bool
    status: str = Field(..., description="ok | altered | missing | ledger_mismatch | unrecorded")
    status_label: str
    detail: str
    ledger_seq: int | None


class RecordFilter(Schema):
    kind: str | None = Field(None, max_length=16, description="interview | inspection | statement | hearing")
    all_versions: bool = Field(False, description="every version, not only the latest of each record")


# --- serialisation -------------------------------------------------------------------------------


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (mask(str(v)) if k in MASKED_KEYS and v else _masked(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _record(r: Record) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "kind_label": str(r.get_kind_display()),
        "action": r.action,
        "step_label": str(step_label(r.action)),
        "series": str(r.series),
        "version": r.version,
        "supersedes_id": r.supersedes_id,
        "started_at": r.started_at,
        "ended_at": r.ended_at,
        "place": r.place,
        "in_case_room": r.in_case_room,
        "officers": [o.name for o in r.officers.all()],
        "signature": r.signature,
        "classification": r.classification,
    }


def _file(f: EvidenceFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "filename": f.filename,
        "content_type": f.content_type,
        "media_kind": f.media_kind,
        "action": f.action,
        "record_id": f.record_id,
        "size": f.stored.size,
        "algorithm": f.stored.algorithm,
        "digest": f.stored.digest,
        "device": f.device,
        "captured_at": f.captured_at,
        "place": f.place,
        "classification": f.classification,
        "deduplicated": f.deduplicated,
        "delivery_ref": f.delivery_ref,
        "uploaded_at": f.created_at,
    }


def _case(request: HttpRequest, case_id: int) -> tuple[Any, Any]:
    actor = caller(request)
    return actor, case_get(case_id=case_id, actor=actor)


def _file_of(actor: Any, case: Any, file_id: int) -> EvidenceFile:
    return selectors.case_file_get(actor=actor, case=case, file_id=file_id)


# --- endpoints -----------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/evidence",
    response=with_errors(list[EvidenceItemOut]),
    summary="The case's evidence list (证据清单, 行政处罚法 Art.46)",
)
def evidence_list(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    actor, case = _case(request, case_id)
    visible = set(selectors.case_files(actor=actor, case=case).values_list("pk", flat=True))
    out = []
    for item in selectors.evidence_items(case=case):
        excluded = bool(getattr(item, "is_excluded", False))
        exclusions = list(item.exclusions.all())
        out.append(
            {
                "id": item.pk,
                "number": item.number,
                "kind": item.kind,
                "kind_label": str(item.get_kind_display()),
                "title": item.title,
                "proves": item.proves,
                "source": item.source,
                "collected_by": [o.name for o in item.collected_by.all()],
                "collected_on": item.collected_on,
                "file_ids": [f.pk for f in item.files.all() if f.pk in visible],
                "record_id": item.record_id,
                "excluded": excluded,
                "exclusion_reason": exclusions[-1].reason if excluded and exclusions else "",
            }
        )
    return out


@router.get(
    "/cases/{case_id}/records",
    response=with_errors(list[RecordOut]),
    summary="The case's text records (笔录), sensitive ones only for those who may see them",
)
@paginated
def records_list(request: HttpRequest, case_id: int = CASE_ID, filters: Query[RecordFilter] = None) -> Any:  # type: ignore[assignment]
    actor, case = _case(request, case_id)
    qs = selectors.case_records(actor=actor, case=case, latest_only=not filters.all_versions)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return _RecordPage(qs)


class _RecordPage:
    """Serialises only the page the paginator slices."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_record(r) for r in self.qs[index]]

    def all(self) -> "_RecordPage":
        return self

    def count(self) -> int:
        return int(self.qs.count())


@router.get(
    "/cases/{case_id}/records/{record_id}",
    response=with_errors(RecordDetailOut),
    summary="One text record with its content (a sensitive one is recorded in the ledger)",
)
def record_detail(request: HttpRequest, case_id: int = CASE_ID, record_id: int = ITEM_ID) -> Any:
    actor, case = _case(request, case_id)
    record = selectors.case_record_get(actor=actor, case=case, record_id=record_id)
    access.record_viewed(actor=actor, case=case, record=record)
    files = selectors.case_files(actor=actor, case=case).filter(record__series=record.series)
    return {
        **_record(record),
        "content": _masked(record.content),
        "signature_note": record.signature_note,
        "correction_reason": record.correction_reason,
        "file_ids": [f.pk for f in files],
    }


@router.get(
    "/cases/{case_id}/files",
    response=with_errors(list[FileOut]),
    summary="The case's files with their digests, sensitive ones only for those who may see them",
)
@paginated
def files_list(request: HttpRequest, case_id: int = CASE_ID) -> Any:
    actor, case = _case(request, case_id)
    return _FilePage(selectors.case_files(actor=actor, case=case))


class _FilePage(_RecordPage):
    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_file(f) for f in self.qs[index]]


@router.get(
    "/cases/{case_id}/files/{file_id}",
    response=with_errors(FileOut),
    summary="One file's details and digest (a sensitive one is recorded in the ledger)",
)
def file_detail(request: HttpRequest, case_id: int = CASE_ID, file_id: int = ITEM_ID) -> Any:
    actor, case = _case(request, case_id)
    f = _file_of(actor, case, file_id)
    access.file_viewed(actor=actor, case=case, file=f)
    return _file(f)


@router.get(
    "/cases/{case_id}/files/{file_id}/content",
    response=with_errors(None),
    summary="The file's bytes (a sensitive image or PDF watermarked with the caller's name; logged)",
    openapi_extra={
        "responses": {
            200: {
                "description": "the file as stored",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def file_content(request: HttpRequest, case_id: int = CASE_ID, file_id: int = ITEM_ID) -> Any:
    actor, case = _case(request, case_id)
    f = _file_of(actor, case, file_id)
    download = access.file_download(actor=actor, case=case, file=f)
    response = FileResponse(
        download.fileobj, as_attachment=True, filename=f.filename, content_type=download.content_type
    )
    if download.watermarked:
        response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/cases/{case_id}/files/{file_id}/verification",
    response=with_errors(VerificationOut),
    summary="Re-hash the stored bytes and compare them with the digest the ledger recorded at capture",
)
def file_verification(request: HttpRequest, case_id: int = CASE_ID, file_id: int = ITEM_ID) -> Any:
    actor, case = _case(request, case_id)
    f = _file_of(actor, case, file_id)
    check = selectors.evidence_verify(case.pk, files=EvidenceFile.objects.filter(pk=f.pk))[0]
    return {
        "file_id": f.pk,
        "algorithm": f.stored.algorithm,
        "digest": check.digest,
        "ok": check.ok,
        "status": check.status,
        "status_label": str(selectors.STATUS_LABELS[check.status]),
        "detail": check.detail,
        "ledger_seq": check.ledger_seq,
    }
