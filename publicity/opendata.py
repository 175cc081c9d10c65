"""开放数据: the published decisions as CSV, JSON and an Atom feed (documented fields, cacheable).

Every response carries an ETag and Last-Modified computed from the public decisions (their count
and latest change), so a client that sends If-None-Match / If-Modified-Since gets 304 until a
decision is published, withdrawn or changed. Only public fields and the masked text of decisions
still published are exported; a withdrawn decision keeps its notice (date and reason), not its text.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext_lazy as _

from publicity import selectors

JSON_PAGE_SIZE = 500
ATOM_SIZE = 50
CHUNK = 1000

# The documented fields (shown on /gongkai/open-data/), in export order.
FIELDS: list[tuple[str, Any]] = [
    ("id", _("stable public identifier (UUID) of the publication")),
    ("url", _("address of the decision's public page")),
    ("document_number", _("number of the decision document")),
    ("title", _("title of the publication")),
    ("category", _("violation type")),
    ("party", _("party, masked (organisation name, or a person's surname followed by 某)")),
    ("agency", _("agency that made the decision")),
    ("decided_on", _("date of the decision (YYYY-MM-DD)")),
    ("published_at", _("time of publication (ISO 8601, UTC offset)")),
    ("status", _("published, or withdrawn")),
    ("withdrawn_at", _("time of withdrawal, if withdrawn")),
    ("withdrawal_reason", _("public reason for the withdrawal")),
    ("text", _("masked text of the decision (empty once withdrawn)")),
]


def year_param(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    count, last = selectors.open_data_version(year=year_param(request))
    raw = f"{request.path}|{request.GET.urlencode()}|{count}|{last.isoformat() if last else ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime.datetime | None:
    return selectors.open_data_version(year=year_param(request))[1]


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def _rows(request: HttpRequest, pubs: list[Any]) -> list[dict[str, str]]:
    names = selectors.agency_names({p.agency_id for p in pubs})
    texts = selectors.open_data_texts([p.pk for p in pubs])
    rows = []
    for p in pubs:
        rows.append(
            {
                "id": str(p.public_id),
                "url": request.build_absolute_uri(reverse("publicity:decision_detail", args=[p.public_id])),
                "document_number": p.document_number,
                "title": p.title,
                "category": p.category,
                "party": p.party_label,
                "agency": names.get(p.agency_id, ""),
                "decided_on": _iso(p.decided_on),
                "published_at": _iso(p.published_at),
                "status": p.status,
                "withdrawn_at": _iso(p.withdrawn_at),
                "withdrawal_reason": p.withdrawal_reason,
                "text": texts.get(p.pk, ""),
            }
        )
    return rows


def _chunks(qs: Any) -> Iterator[list[Any]]:
    """Keyset pages over (published_at, pk), so a 1M-row export never holds more than a chunk."""
    last: tuple[Any, int] | None = None
    while True:
        page = qs
        if last is not None:
            page = qs.filter(Q(published_at__gt=last[0]) | Q(published_at=last[0], pk__gt=last[1]))
        batch = list(page[:CHUNK])
        if not batch:
            return
        yield batch
        last = (batch[-1].published_at, batch[-1].pk)


def csv_response(request: HttpRequest) -> StreamingHttpResponse:
    qs = selectors.open_data_decisions(year=year_param(request))
    keys = [k for k, _label in FIELDS]

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=keys)
        buffer.write("\ufeff")  # Excel opens UTF-8 Chinese only with a BOM
        writer.writeheader()
        for batch in _chunks(qs):
            writer.writerows(_rows(request, batch))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions.csv"'
    return response


def json_response(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    qs = selectors.open_data_decisions(year=year)
    page_param = request.GET.get("page", "1")
    page = int(page_param) if page_param.isdigit() and int(page_param) > 0 else 1
    start = (page - 1) * JSON_PAGE_SIZE
    pubs = list(qs[start : start + JSON_PAGE_SIZE + 1])
    more = len(pubs) > JSON_PAGE_SIZE
    pubs = pubs[:JSON_PAGE_SIZE]

    def link(n: int) -> str:
        params = {"page": str(n), **({"year": str(year)} if year else {})}
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return request.build_absolute_uri(reverse("publicity:open_data_json") + "?" + query)

    body = {
        "fields": {k: str(label) for k, label in FIELDS},
        "page": page,
        "page_size": JSON_PAGE_SIZE,
        "next": link(page + 1) if more else None,
        "previous": link(page - 1) if page > 1 else None,
        "items": _rows(request, pubs),
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )


def atom_response(request: HttpRequest) -> HttpResponse:
    qs = selectors.open_data_decisions().order_by("-published_at", "-pk")
    pubs = list(qs[:ATOM_SIZE])
    feed = feedgenerator.Atom1Feed(
        title=str(_("Published enforcement decisions")),
        link=request.build_absolute_uri(reverse("publicity:decisions")),
        description=str(_("Decisions published by the enforcement agencies, masked.")),
        language="zh-Hans",
        feed_url=request.build_absolute_uri(reverse("publicity:open_data_atom")),
    )
    for row, p in zip(_rows(request, pubs), pubs, strict=True):
        withdrawn = row["status"] == "withdrawn"
        summary = (
            f"{_('Withdrawn')}：{row['withdrawal_reason']}"
            if withdrawn
            else f"{row['document_number']} {row['party']}"
        )
        feed.add_item(
            title=row["title"] + (f"（{_('withdrawn')}）" if withdrawn else ""),
            link=row["url"],
            description=summary,
            unique_id=f"urn:uuid:{row['id']}",
            pubdate=p.published_at,
            updateddate=p.withdrawn_at or p.published_at,
            categories=[row["category"]] if row["category"] else [],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
