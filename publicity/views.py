"""Public portal (no login) and the officers' review screen for publications."""

from __future__ import annotations

import datetime
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET, require_http_methods

from core.errors import DomainError
from core.throttle import rate_limited
from legal import selectors as legal_selectors
from publicity import annual, annual_services, opendata, policies, search, selectors, services, violators
from publicity.masking import KIND_LABELS

CHECKS_PER_MINUTE = 20
PAGE_SIZE = 20

public = cache_control(public=True, max_age=300)


def _throttled(request: HttpRequest, bucket: str, limit: int) -> bool:
    return rate_limited(request, scope=f"publicity:{bucket}", limit=limit, period=60) > 0


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


# --- 事前公开 -------------------------------------------------------------------------------------


@require_GET
@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "publicity/index.html")


@require_GET
@public
def agencies(request: HttpRequest) -> HttpResponse:
    return render(request, "publicity/agencies.html", {"agencies": selectors.public_agencies()})


@require_GET
@public
def staff(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_staff(), 50).get_page(request.GET.get("page"))
    return render(request, "publicity/staff.html", {"page": page})


@require_GET
@public
def powers(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:50]
    page = Paginator(selectors.public_power_items(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(request, "publicity/powers.html", {"page": page, "q": q, "query": query})


@require_GET
@public
def power_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.public_power_item(pk)
    if item is None:
        raise Http404
    normative = legal_selectors.documents_in_force_for_powers(agency_id=item.agency_id, codes=[item.code])
    return render(
        request, "publicity/power_detail.html", {"item": item, "normative": normative.get(item.code, [])}
    )


@require_GET
@public
def standards(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:50]
    page = Paginator(selectors.public_standards(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(request, "publicity/standards.html", {"page": page, "q": q, "query": query})


@require_GET
@public
def remedies(request: HttpRequest) -> HttpResponse:
    return render(request, "publicity/remedies.html")


@require_GET
@public
def procedures(request: HttpRequest) -> HttpResponse:
    return render(request, "publicity/procedures.html", {"charts": selectors.procedure_flowcharts()})


# --- 事中公示 -------------------------------------------------------------------------------------


@require_GET
def certificate_check(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "")[:60]
    context: dict[str, object] = {"number": number, "searched": bool(number.strip())}
    status = 200
    if number.strip():
        if _throttled(request, "cert", CHECKS_PER_MINUTE):
            context["throttled"] = True
            status = 429
        else:
            context["result"] = selectors.certificate_check(number)
    response = render(request, "publicity/certificate_check.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@public
def certificate_qr(request: HttpRequest, number: str) -> HttpResponse:
    """QR code (SVG) pointing to the public check of this certificate."""
    if _throttled(request, "qr", CHECKS_PER_MINUTE * 3) or selectors.certificate_check(number) is None:
        raise Http404
    url = request.build_absolute_uri(
        reverse("publicity:certificate_check") + "?" + urlencode({"number": number})
    )
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# --- 事后公开 -------------------------------------------------------------------------------------


@require_GET
@public
def decisions(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:50]
    date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    qs = selectors.published_decisions(q=q, date_from=date_from, date_to=date_to)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.agency_names({p.agency_id for p in page})
    rows = [(p, names.get(p.agency_id, "")) for p in page]
    params = {
        "q": q,
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
    }
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "publicity/decisions.html",
        {"page": page, "rows": rows, "q": q, "date_from": date_from, "date_to": date_to, "query": query},
    )


@require_GET
@public
def decision_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    pub = selectors.published_decision(public_id)
    if pub is None:
        raise Http404
    agency = selectors.agency_names({pub.agency_id}).get(pub.agency_id, "")
    return render(request, "publicity/decision_detail.html", {"pub": pub, "agency": agency})


# --- search and open data -------------------------------------------------------------------------


def _int(value: str | None, low: int, high: int) -> int | None:
    return int(value) if value and value.isdigit() and low <= int(value) <= high else None


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most CAP matches: a common word over a million decisions is not counted in full."""

    CAP = 1000

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped"):
            qs: Any = self.object_list
            # no ORDER BY: any 1,001 matches will do, so PostgreSQL stops at the 1,001st row it
            # finds in whatever order is cheapest instead of walking or sorting by date
            self._capped = selectors.search_count(qs, self.CAP)
        return min(self._capped, self.CAP)

    @property
    def capped(self) -> bool:
        return bool(self.count) and self._capped > self.CAP


@require_GET
@public
def search_page(request: HttpRequest) -> HttpResponse:
    """全文检索: published decisions (masked text) plus the power list and discretion standards."""
    raw = request.GET.get("q", "")
    q = raw[: search.MAX_QUERY]
    year = _int(request.GET.get("year"), 2000, 2100)
    agency_id = _int(request.GET.get("agency"), 1, 2**62)
    category = request.GET.get("category", "")[:100]
    kind = request.GET.get("kind", "") if request.GET.get("kind") in ("penalty", "no_penalty") else ""
    qs = selectors.search_decisions(q=q, year=year, agency_id=agency_id, category=category, kind=kind)
    paginator = CappedPaginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    names = selectors.agency_names({e.agency_id for e in page})
    rows = [(e, names.get(e.agency_id, ""), search.snippet(e.body, q)) for e in page]
    words = search.query_words(q)
    powers = list(selectors.public_power_items(q=q)[:10]) if words else []
    standards = list(selectors.public_standards(q=q)[:10]) if words else []
    params = {
        "q": q,
        "year": str(year or ""),
        "agency": str(agency_id or ""),
        "category": category,
        "kind": kind,
    }
    context = {
        "q": q,
        "truncated": len(raw) > search.MAX_QUERY,
        "year": year,
        "agency_id": agency_id,
        "category": category,
        "kind": kind,
        "page": page,
        "capped": paginator.capped,
        "rows": rows,
        "powers": powers,
        "standards": standards,
        "facets": selectors.search_facets(),
        "query": urlencode({k: v for k, v in params.items() if v}),
    }
    return render(request, "publicity/search.html", context)


@require_GET
@public
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "publicity/open_data.html", {"fields": opendata.FIELDS})


_validators = condition(etag_func=opendata.etag, last_modified_func=opendata.last_modified)


@require_GET
@public
@_validators
def open_data_csv(request: HttpRequest) -> HttpResponse:
    return opendata.csv_response(request)  # type: ignore[return-value]


@require_GET
@public
@_validators
def open_data_json(request: HttpRequest) -> HttpResponse:
    return opendata.json_response(request)


@require_GET
@public
@_validators
def open_data_atom(request: HttpRequest) -> HttpResponse:
    return opendata.atom_response(request)


# --- officers: review and publish -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Side by side: the original and the masked text with its findings; approve, publish, withdraw."""
    pub = get_object_or_404(selectors.publications_for(request.user).defer(None), pk=pk)
    if not policies.can(request.user, "view", pub.agency_id):
        raise Http404
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.publication_approve(
                    actor=request.user, publication=pub, masked_text=request.POST.get("masked_text", "")
                )
            elif action == "publish":
                services.publication_publish(actor=request.user, publication=pub)
            elif action == "withdraw":
                services.publication_withdraw(
                    actor=request.user, publication=pub, reason=request.POST.get("reason", "")
                )
            return redirect("publicity:review", pk=pub.pk)
        except DomainError as exc:
            error = exc
    findings = [{**f, "label": KIND_LABELS.get(f["kind"], f["kind"])} for f in pub.findings]
    return render(request, "publicity/review.html", {"pub": pub, "findings": findings, "error": error})


# --- 年度报告 ---------------------------------------------------------------------------------------


def _report_context(report: Any) -> dict[str, Any]:
    return {
        "report": report,
        "data": report.data,
        "tables": annual.tables(report.data),
        "charts": annual.charts(report.data),
    }


@require_GET
@public
def annual_list(request: HttpRequest) -> HttpResponse:
    reports = list(selectors.published_annual_reports())
    return render(request, "publicity/annual_list.html", {"reports": reports})


@require_GET
@public
def annual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.published_annual_reports().filter(pk=pk).first()
    if report is None:
        raise Http404
    return render(request, "publicity/annual_detail.html", {**_report_context(report), "public": True})


def _download(report: Any, fmt: str) -> HttpResponse:
    name = f"annual-{report.year}-{report.agency_id}"
    if fmt == "pdf":
        response = HttpResponse(annual.render_pdf(report.data), content_type="application/pdf")
    else:
        response = HttpResponse(
            annual.render_xlsx(report.data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@public
def annual_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = selectors.published_annual_reports().filter(pk=pk).first()
    if report is None or fmt not in ("pdf", "xlsx"):
        raise Http404
    return _download(report, fmt)


@login_required
@require_http_methods(["GET", "POST"])
def annual_manage(request: HttpRequest) -> HttpResponse:
    """Officers: the reports of their agencies, and computing one for a year."""
    error = None
    agencies = selectors.agencies_for(request.user)
    year_value = request.POST.get("year") or str(annual.default_year())
    agency_value = request.POST.get("agency") or (str(agencies[0][0]) if agencies else "")
    if request.method == "POST":
        year = _int(request.POST.get("year"), 1, 9999)
        agency_id = _int(request.POST.get("agency"), 1, 2**62)
        try:
            if year is None or agency_id is None or agency_id not in {a for a, _n in agencies}:
                raise DomainError(
                    _("Choose one of your agencies and a year."),
                    code="annual_report_input",
                    field_errors={"year": [_("Choose a year that has begun.")]},
                )
            report = annual_services.annual_report_compute(actor=request.user, agency_id=agency_id, year=year)
            return redirect("publicity:annual_manage_detail", pk=report.pk)
        except DomainError as exc:
            error = exc
    reports = list(selectors.annual_reports_for(request.user)[:100])
    names = dict(agencies)
    rows = [(r, names.get(r.agency_id, r.data.get("agency", ""))) for r in reports]
    return render(
        request,
        "publicity/annual_manage.html",
        {"rows": rows, "agencies": agencies, "year": year_value, "agency": agency_value, "error": error},
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annual_manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.annual_reports_for(request.user), pk=pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "recompute":
                report = annual_services.annual_report_compute(
                    actor=request.user, agency_id=report.agency_id, year=report.year
                )
            elif action == "approve":
                report = annual_services.annual_report_approve(actor=request.user, report=report)
            elif action == "publish":
                report = annual_services.annual_report_publish(actor=request.user, report=report)
            return redirect("publicity:annual_manage_detail", pk=report.pk)
        except DomainError as exc:
            error = exc
    fmt = request.GET.get("download")
    if fmt in ("pdf", "xlsx"):
        return _download(report, fmt)
    return render(
        request,
        "publicity/annual_manage_detail.html",
        {**_report_context(report), "error": error},
        status=422 if error else 200,
    )


# --- 严重违法失信名单 -----------------------------------------------------------------------------------


@require_GET
@public
def violators_public(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:50]
    page = Paginator(selectors.public_violators(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.agency_names({e.agency_id for e in page})
    rows = [(e, names.get(e.agency_id, "")) for e in page]
    query = urlencode({"q": q}) if q else ""
    return render(request, "publicity/violators.html", {"page": page, "rows": rows, "q": q, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def violators_manage(request: HttpRequest) -> HttpResponse:
    """Officers: entries of their agencies; propose one from a published decision's number."""
    error = None
    number = request.POST.get("decision_number", "").strip()[:100]
    rule_code = request.POST.get("rule", "")[:40]
    if request.method == "POST":
        pub = selectors.publications_for(request.user).filter(document_number=number).order_by("-pk").first()
        try:
            if pub is None:
                raise DomainError(
                    _("No publication of your agencies has the decision number “%(number)s”.")
                    % {"number": number},
                    code="violator_publication_unknown",
                    field_errors={"decision_number": [_("Enter the number of a published decision.")]},
                )
            entry = violators.violator_propose(actor=request.user, publication=pub, rule_code=rule_code)
            return redirect("publicity:violator_manage_detail", pk=entry.pk)
        except DomainError as exc:
            error = exc
    page = Paginator(selectors.violator_entries_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "publicity/violators_manage.html",
        {
            "page": page,
            "rules": selectors.violator_rules(),
            "error": error,
            "decision_number": number,
            "rule_code": rule_code,
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def violator_manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(selectors.violator_entries_for(request.user), pk=pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        text = request.POST.get("text", "")
        try:
            if action == "notify":
                violators.violator_notify(actor=request.user, entry=entry)
            elif action == "objection":
                violators.violator_objection(
                    actor=request.user, entry=entry, text=text, received_on=_date(request.POST.get("on"))
                )
            elif action in ("uphold", "reject"):
                violators.violator_objection_decide(
                    actor=request.user, entry=entry, upheld=action == "uphold", reason=text
                )
            elif action == "list":
                violators.violator_list(actor=request.user, entry=entry)
            elif action == "drop":
                violators.violator_drop(actor=request.user, entry=entry, reason=text)
            elif action == "repair":
                violators.credit_repair_apply(actor=request.user, entry=entry, statement=text)
            elif action in ("repair_approve", "repair_refuse"):
                repair = get_object_or_404(
                    entry.repairs.all(), pk=_int(request.POST.get("repair"), 1, 2**62) or 0
                )
                violators.credit_repair_decide(
                    actor=request.user, repair=repair, approve=action == "repair_approve", reason=text
                )
            return redirect("publicity:violator_manage_detail", pk=entry.pk)
        except DomainError as exc:
            error = exc
    return render(
        request,
        "publicity/violator_manage_detail.html",
        {
            "entry": entry,
            "repairs": list(entry.repairs.all()),
            "error": error,
            "text": request.POST.get("text", ""),
        },
        status=422 if error else 200,
    )
