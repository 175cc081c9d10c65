"""The public portal's data as JSON (issue 7 §3–5): search of published decisions, open data, the
annual reports and the list of serious violators — read-only, no login, paginated, throttled.

A thin layer over `publicity.selectors`, the same reads as the portal's pages: only published (or
withdrawn, shown as such) items, only the masked text — never the original text of a decision nor
any field holding personal data. Each endpoint counts against one per-address limit
(`ZHIFA_PUBLIC_API_PER_MINUTE`, 60 a minute by default); beyond it the answer is 429 with
Retry-After.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import PaginationBase, paginate

from api.errors import ApiError, with_errors
from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginated
from core.errors import NotFound
from core.throttle import rate_limited
from publicity import selectors

router = Router(tags=["public portal"])

PK: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]
SEARCH_COUNT_CAP = 1000
MAX_SEARCH_OFFSET = 10_000


def per_minute() -> int:
    return int(getattr(settings, "ZHIFA_PUBLIC_API_PER_MINUTE", 60))


def _throttle(request: HttpRequest) -> None:
    wait = rate_limited(request, scope="api:portal", limit=per_minute(), period=60)
    if wait:
        raise ApiError(
            429,
            "throttled",
            _("Too many requests from your address; wait %(seconds)d seconds and try again.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )


class CappedPage(PaginationBase):
    """Limit/offset whose count stops at 1,000: a common word over a million decisions is not
    counted in full (the portal's search page does the same). `count_capped` says so."""

    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="page size")
        offset: int = Field(0, ge=0, le=MAX_SEARCH_OFFSET, description="items to skip")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description=f"matches, counted up to {SEARCH_COUNT_CAP}")
        count_capped: bool = Field(..., description=f"there are more than {SEARCH_COUNT_CAP} matches")
        limit: int
        offset: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        counted = selectors.search_count(getattr(queryset, "qs", queryset), SEARCH_COUNT_CAP)
        return {
            "items": list(queryset[offset : offset + limit]),
            "count": min(counted, SEARCH_COUNT_CAP),
            "count_capped": counted > SEARCH_COUNT_CAP,
            "limit": limit,
            "offset": offset,
        }


class _Paged:
    """A queryset the paginator slices, turned into rows one page at a time by `build` (one query
    for the page, one per related lookup), so that no row outside the page is read."""

    def __init__(self, qs: QuerySet[Any], build: Any) -> None:
        self.qs, self.build = qs, build

    def all(self) -> "_Paged":
        return self

    def count(self) -> int:
        return int(self.qs.count())

    def values(self, *fields: str) -> QuerySet[Any]:
        return self.qs.values(*fields)

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return list(self.build(list(self.qs[window])))


# --- published decisions ---------------------------------------------------------------------------


class DecisionFilters(Schema):
    q: str = Field(
        "",
        max_length=200,
        description="words of the masked text, title or document number; one character suffices "
        "(longer queries are cut to 50 characters, at most 8 words, operators ignored)",
    )
    year: int | None = Field(None, ge=2000, le=2100, description="year of the decision")
    agency_id: int | None = Field(None, ge=1, le=2**62)
    category: str = Field("", max_length=100, description="violation type")
    kind: str = Field("", pattern="^(|penalty|no_penalty)$", description="penalty or no_penalty")


class DecisionHitOut(Schema):
    id: uuid.UUID = Field(..., description="stable public identifier of the publication")
    url: str = Field(..., description="the decision's public page")
    title: str
    document_number: str
    party: str = Field(..., description="masked: an organisation, or a person's surname followed by 某")
    agency_id: int
    agency: str
    category: str
    kind: str
    year: int
    decided_on: datetime.date | None
    published_at: datetime.datetime
    excerpt: str = Field(..., description="masked text around the first query word")


class DecisionOut(Schema):
    id: uuid.UUID
    url: str
    title: str
    document_number: str
    party: str
    agency_id: int
    agency: str
    category: str
    decided_on: datetime.date | None
    published_at: datetime.datetime | None
    status: str = Field(..., description="published, or withdrawn")
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str = Field(..., description="public reason for the withdrawal")
    text: str = Field(..., description="masked text of the decision (empty once withdrawn)")


def _url(request: HttpRequest, public_id: Any) -> str:
    return request.build_absolute_uri(reverse("publicity:decision_detail", args=[public_id]))


@router.get(
    "/portal/decisions",
    auth=None,
    response=with_errors(list[DecisionHitOut]),
    summary="Search the published decisions (全文检索), no login",
    description=(
        "Full-text search over the masked text of the published decisions, newest first, with the "
        "portal's filters. The count stops at 1,000 (`count_capped`)."
    ),
)
@paginate(CappedPage)
def decision_search(request: HttpRequest, filters: Query[DecisionFilters]) -> Any:
    _throttle(request)
    qs = selectors.search_decisions(
        q=filters.q,
        year=filters.year,
        agency_id=filters.agency_id,
        category=filters.category,
        kind=filters.kind,
    )
    return _Paged(qs, lambda entries: _hits(request, entries, filters.q))


def _hits(request: HttpRequest, entries: list[Any], q: str) -> list[dict[str, Any]]:
    names = selectors.agency_names({e.agency_id for e in entries})
    return [
        {
            "id": e.public_id,
            "url": _url(request, e.public_id),
            "title": e.title,
            "document_number": e.document_number,
            "party": e.party_label,
            "agency_id": e.agency_id,
            "agency": names.get(e.agency_id, ""),
            "category": e.category,
            "kind": e.kind,
            "year": e.year,
            "decided_on": e.decided_on,
            "published_at": e.published_at,
            "excerpt": selectors.search_excerpt(e.body, q),
        }
        for e in entries
    ]


def _decision_rows(request: HttpRequest, pubs: list[Any]) -> list[dict[str, Any]]:
    names = selectors.agency_names({p.agency_id for p in pubs})
    texts = selectors.open_data_texts([p.pk for p in pubs])  # published ones only
    return [
        {
            "id": p.public_id,
            "url": _url(request, p.public_id),
            "title": p.title,
            "document_number": p.document_number,
            "party": p.party_label,
            "agency_id": p.agency_id,
            "agency": names.get(p.agency_id, ""),
            "category": p.category,
            "decided_on": p.decided_on,
            "published_at": p.published_at,
            "status": p.status,
            "withdrawn_at": p.withdrawn_at,
            "withdrawal_reason": p.withdrawal_reason,
            "text": texts.get(p.pk, ""),
        }
        for p in pubs
    ]


@router.get(
    "/portal/decisions/{public_id}",
    auth=None,
    response=with_errors(DecisionOut),
    summary="One published (or withdrawn) decision, masked",
)
def decision_detail(request: HttpRequest, public_id: uuid.UUID) -> Any:
    _throttle(request)
    pub = selectors.published_decision(public_id)
    if pub is None:
        raise NotFound(
            _("No public decision has this identifier; it may not be published (yet)."),
            code="decision_not_found",
        )
    return _decision_rows(request, [pub])[0]


class OpenDataFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="year of publication")


@router.get(
    "/portal/open-data/decisions",
    auth=None,
    response=with_errors(list[DecisionOut]),
    summary="Open data: every public decision, oldest first (开放数据)",
    description=(
        "The same records and fields as the CSV, JSON and Atom files of /gongkai/open-data/, paged "
        "in a stable order (publication time, then id). A withdrawn decision keeps its notice, "
        "not its text."
    ),
)
@paginated
def open_data(request: HttpRequest, filters: Query[OpenDataFilters]) -> Any:
    _throttle(request)
    return _Paged(
        selectors.open_data_decisions(year=filters.year), lambda pubs: _decision_rows(request, pubs)
    )


# --- annual reports --------------------------------------------------------------------------------


class AnnualReportOut(Schema):
    id: int
    agency_id: int
    agency: str
    year: int
    published_at: datetime.datetime | None
    url: str = Field(..., description="the report's public page (charts, PDF, XLSX)")


class AnnualReportDetailOut(AnnualReportOut):
    data: dict[str, Any] = Field(..., description="the approved figures, as computed from the data")


def _report(request: HttpRequest, report: Any, names: dict[int, str], *, data: bool) -> dict[str, Any]:
    row = {
        "id": report.pk,
        "agency_id": report.agency_id,
        "agency": names.get(report.agency_id, ""),
        "year": report.year,
        "published_at": report.published_at,
        "url": request.build_absolute_uri(reverse("publicity:annual_detail", args=[report.pk])),
    }
    if data:
        row["data"] = report.data
    return row


def _reports(request: HttpRequest, reports: list[Any]) -> list[dict[str, Any]]:
    names = selectors.agency_names({r.agency_id for r in reports})
    return [_report(request, r, names, data=False) for r in reports]


@router.get(
    "/portal/annual-reports",
    auth=None,
    response=with_errors(list[AnnualReportOut]),
    summary="The published annual reports (年度报告), newest year first",
)
@paginated
def annual_reports(request: HttpRequest) -> Any:
    _throttle(request)
    return _Paged(selectors.published_annual_reports().defer("data"), lambda rs: _reports(request, rs))


@router.get(
    "/portal/annual-reports/{report_id}",
    auth=None,
    response=with_errors(AnnualReportDetailOut),
    summary="One published annual report with its figures",
)
def annual_report(request: HttpRequest, report_id: int = PK) -> Any:
    _throttle(request)
    report = selectors.published_annual_report(report_id)
    if report is None:
        raise NotFound(
            _("No published annual report has this id; a report is public once approved and published."),
            code="annual_report_not_found",
        )
    names = selectors.agency_names({report.agency_id})
    return _report(request, report, names, data=True)


# --- serious violators -----------------------------------------------------------------------------


class ViolatorFilters(Schema):
    q: str = Field("", max_length=50, description="masked party name or decision number")


class ViolatorOut(Schema):
    id: int
    party: str = Field(..., description="masked: an organisation, or a person's surname followed by 某")
    decision_number: str
    agency_id: int
    agency: str
    rule: str = Field(..., description="the rule the listing rests on")
    legal_basis: str
    reason: str = Field(..., description="public reason, masked")
    listed_on: datetime.date | None
    display_until: datetime.date | None


def _violators(entries: list[Any]) -> list[dict[str, Any]]:
    names = selectors.agency_names({e.agency_id for e in entries})
    return [
        {
            "id": e.pk,
            "party": e.party_label,
            "decision_number": e.decision_number,
            "agency_id": e.agency_id,
            "agency": names.get(e.agency_id, ""),
            "rule": e.rule.title,
            "legal_basis": e.rule.legal_basis,
            "reason": e.reason,
            "listed_on": e.listed_on,
            "display_until": e.display_until,
        }
        for e in entries
    ]


@router.get(
    "/portal/violators",
    auth=None,
    response=with_errors(list[ViolatorOut]),
    summary="The list of serious violators (严重违法失信名单), listed entries only",
)
@paginated
def violators(request: HttpRequest, filters: Query[ViolatorFilters]) -> Any:
    _throttle(request)
    return _Paged(selectors.public_violators(q=filters.q), _violators)
