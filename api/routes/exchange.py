"""数据汇聚 (issue 9 §9): the agency's upward export by ledger cursor, the receiving endpoint a
higher-level instance offers its subordinate agencies (their own bearer token), the reconciliation
reports of both sides, and the published JSON Schema.

Exports and received batches are NDJSON (`application/x-ndjson`): a header line, one line per record,
a trailer line with the count and the digest of the record lines, signed by the exporting agency.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from ninja import Field, Path, Query, Router, Schema

from api.auth import caller
from api.errors import ErrorOut, with_errors
from exchange import schema, selectors, services

router = Router(tags=["exchange"])

CODE: Any = Path(..., min_length=1, max_length=50, description="the source agency's code")  # type: ignore[type-arg]


class ExportQuery(Schema):
    since: int | None = Field(
        None,
        ge=0,
        le=2**62,
        description="ledger cursor: the previous batch's `until` (omit for the next batch)",
    )


class PeriodOut(Schema):
    count: int
    digest: str


class ReconciliationOut(Schema):
    agency: str
    kinds: dict[str, dict[str, PeriodOut]]


class ReceivedOut(Schema):
    source: str
    since: int
    until: int
    count: int
    digest: str


def _own_agency(request: HttpRequest) -> Any:
    return selectors.agency_of(caller(request))


@router.get("/exchange/schema", auth=None, summary="The JSON Schema of an export line (version 1)")
def export_schema(request: HttpRequest) -> dict[str, Any]:
    return schema.SCHEMA


@router.get(
    "/exchange/export",
    response={200: None, 204: None, **with_errors(None)},
    summary="The agency's batch from a ledger cursor (NDJSON, idempotent)",
    description=(
        "Without `since`: the next batch (from where the last one ended; made now if the ledger moved). "
        "With `since`: the stored batch that starts there — always the same bytes. 204 when nothing was "
        "recorded since. Headers `X-Zhifa-Since` and `X-Zhifa-Until` give the cursors; the next request "
        "uses `since=<X-Zhifa-Until>`."
    ),
)
def export(request: HttpRequest, filters: Query[ExportQuery]) -> HttpResponseBase:
    agency = _own_agency(request)
    batch = services.export_next(actor=caller(request), agency=agency, since=filters.since)
    if batch is None:
        response = HttpResponse(status=204)
        response["X-Zhifa-Until"] = str(filters.since or 0)
        return response
    stream = StreamingHttpResponse(services.batch_bytes(batch), content_type="application/x-ndjson")
    stream["X-Zhifa-Since"], stream["X-Zhifa-Until"] = str(batch.since), str(batch.until)
    stream["ETag"] = f'"{batch.file.digest}"'
    return stream


@router.get(
    "/exchange/reconciliation",
    response=with_errors(ReconciliationOut),
    summary="The agency's reconciliation report (counts and digests per kind and period)",
)
def reconciliation(request: HttpRequest) -> dict[str, Any]:
    return services.reconciliation(actor=caller(request), agency=_own_agency(request))


@router.post(
    "/exchange/receive",
    response={**with_errors(ReceivedOut), 201: ReceivedOut, 409: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {
                    "schema": {
                        "type": "string",
                        "description": "the batch as exported, one JSON document per line",
                    }
                }
            },
        }
    },
    summary="Receive a subordinate agency's batch (its own bearer token; idempotent)",
    description=(
        "The body is the batch exactly as `GET /exchange/export` gave it. Received in order of the cursor; "
        "the same batch again answers 200 with the batch already held, a different batch for a cursor "
        "already received 409. The trailer's signature must verify with the key trusted for the source "
        "agency (its own key when served by this instance, else the key pinned from its first signed "
        "batch): a batch without a valid signature is refused with 409 `exchange_signature_invalid` and "
        "the refusal is recorded in the ledger (`exchange.batch_refused`)."
    ),
)
def receive(request: HttpRequest) -> Any:
    batch, new = services.ingest(actor=caller(request), lines=iter(request))
    status = 201 if new else 200
    return status, {
        "source": batch.source.code,
        "since": batch.since,
        "until": batch.until,
        "count": batch.count,
        "digest": batch.digest,
    }


@router.get(
    "/exchange/received/{code}/reconciliation",
    response=with_errors(ReconciliationOut),
    summary="What this instance holds of a subordinate agency, as a reconciliation report",
)
def received_reconciliation(request: HttpRequest, code: str = CODE) -> dict[str, Any]:
    source = selectors.source_or_404(code=code)
    return services.received_reconciliation(actor=caller(request), source=source)
