"""年度报告: an agency's yearly enforcement statistics, computed from the data (seeds 001/004).

`annual_statistics(agency_id=…, year=…)` reads the cases (through `cases.selectors.visible_cases`,
aggregated in the database), the complaints (`complaints.selectors`) and the publications of the
agency and the agencies below it. The report keeps the figures as a snapshot (`AnnualReport.data`);
`render_pdf` (WeasyPrint) and `render_xlsx` (openpyxl) export the same snapshot.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from org import selectors as org_selectors

OUTCOME_LABELS = {
    "penalty": "给予行政处罚",
    "no_penalty": "不予行政处罚",
    "transferred": "移送",
}
PROCEDURE_LABELS = {"general": "普通程序", "summary": "简易程序"}
KIND_LABELS = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收",
    "suspension": "暂扣许可证件",
    "revocation": "吊销许可证件",
    "stop_production": "责令停产停业",
    "demolition": "限期拆除",
}
REMEDY_LABELS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
REMEDY_OUTCOMES = {
    "": "未审结",
    "upheld": "维持",
    "changed": "变更",
    "revoked": "撤销",
    "confirmed_unlawful": "确认违法",
}
COMPLAINT_LABELS = {"violation": "违法行为举报", "conduct": "执法行为投诉", "other": "其他"}


def _money(value: Any) -> str:
    return str((value or Decimal("0")).quantize(Decimal("0.01")))


def annual_statistics(*, agency_id: int, year: int) -> dict[str, Any]:
    """Every figure of the report for `year` (calendar year), for the agency and those below it."""
    from cases.selectors import visible_cases
    from complaints.selectors import complaints_year_statistics
    from publicity.models import Publication

    agency = org_selectors.visible_agencies(None).get(pk=agency_id)
    ids = org_selectors.subtree_ids(agency)
    cases = visible_cases(None).filter(agency_id__in=ids).order_by()

    registered = {
        r["procedure"]: r["n"]
        for r in cases.filter(registered_on__year=year).values("procedure").annotate(n=Count("pk"))
    }
    decided = cases.filter(decided_on__year=year)
    penalty = decided.exclude(decided_kinds=[])
    outcomes = {
        "penalty": penalty.count(),
        "no_penalty": decided.filter(decided_kinds=[]).count(),
        "transferred": cases.filter(status="transferred", updated_at__year=year).count(),
    }
    kinds: dict[str, int] = {}
    for row in penalty.values_list("decided_kinds", flat=True).iterator(chunk_size=5000):
        for k in row or []:
            kinds[k] = kinds.get(k, 0) + 1
    fines = decided.aggregate(total=Sum("decided_amount"), n=Count("pk", filter=Q(decided_amount__gt=0)))
    collected = (
        visible_cases(None)
        .filter(agency_id__in=ids, payments__paid_on__year=year)
        .order_by()
        .aggregate(total=Sum("payments__amount"))
    )
    hearings = {
        "requested": cases.filter(hearing_requested_on__year=year).count(),
        "held": cases.filter(hearing_date__year=year).exclude(hearing_record={}).count(),
    }
    remedies: dict[str, dict[str, int]] = {k: {o: 0 for o in REMEDY_OUTCOMES} for k in REMEDY_LABELS}
    for r in (
        visible_cases(None)
        .filter(agency_id__in=ids, remedies__filed_on__year=year)
        .order_by()
        .values("remedies__kind", "remedies__outcome")
        .annotate(n=Count("pk"))
    ):
        remedies.setdefault(r["remedies__kind"], {})[r["remedies__outcome"] or ""] = r["n"]
    pubs = Publication.objects.filter(agency_id__in=ids, published_at__year=year)
    publications = {
        "published": pubs.count(),
        "on_time": pubs.filter(published_at__date__lte=F("due_on")).count(),
        "withdrawn": Publication.objects.filter(
            agency_id__in=ids, withdrawn_at__year=year, published_at__isnull=False
        ).count(),
    }
    publications["late"] = publications["published"] - publications["on_time"]
    return {
        "agency": agency.name,
        "year": year,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "cases": {
            "registered": {k: registered.get(k, 0) for k in PROCEDURE_LABELS},
            "registered_total": sum(registered.values()),
            "decided": sum(outcomes.values()) - outcomes["transferred"],
            "outcomes": outcomes,
            "penalty_kinds": {k: kinds.get(k, 0) for k in KIND_LABELS},
            "closed": cases.filter(closed_on__year=year).count(),
        },
        "fines": {
            "imposed": _money(fines["total"]),
            "cases_with_fine": fines["n"] or 0,
            "collected": _money(collected["total"]),
        },
        "hearings": hearings,
        "remedies": remedies,
        "publications": publications,
        "complaints": complaints_year_statistics(agency_ids=ids, year=year),
    }


def tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The report as titled tables of (label, value) rows: one source for HTML, PDF and XLSX."""
    c, f, h, p, cp = data["cases"], data["fines"], data["hearings"], data["publications"], data["complaints"]
    out = [
        {
            "key": "cases",
            "title": "案件办理",
            "rows": [(f"立案（{PROCEDURE_LABELS[k]}）", v) for k, v in c["registered"].items()]
            + [("立案合计", c["registered_total"]), ("作出决定", c["decided"])]
            + [(OUTCOME_LABELS[k], v) for k, v in c["outcomes"].items()]
            + [("结案", c["closed"])],
        },
        {
            "key": "kinds",
            "title": "处罚种类（件次）",
            "rows": [(KIND_LABELS[k], v) for k, v in c["penalty_kinds"].items()],
        },
        {
            "key": "fines",
            "title": "罚没款（元）",
            "rows": [
                ("决定罚款金额", f["imposed"]),
                ("处以罚款的案件", f["cases_with_fine"]),
                ("实际收缴", f["collected"]),
            ],
        },
        {"key": "hearings", "title": "听证", "rows": [("申请听证", h["requested"]), ("举行听证", h["held"])]},
        {
            "key": "remedies",
            "title": "行政复议和行政诉讼",
            "rows": [
                (f"{REMEDY_LABELS[k]}：{REMEDY_OUTCOMES.get(o, o)}", n)
                for k, outcomes in data["remedies"].items()
                if k in REMEDY_LABELS
                for o, n in outcomes.items()
            ],
        },
        {
            "key": "publications",
            "title": "处罚决定公开",
            "rows": [
                ("公开", p["published"]),
                ("按期公开", p["on_time"]),
                ("逾期公开", p["late"]),
                ("撤回公开", p["withdrawn"]),
            ],
        },
        {
            "key": "complaints",
            "title": "投诉举报",
            "rows": [(COMPLAINT_LABELS.get(k, k), v) for k, v in cp["by_category"].items()]
            + [
                ("收到合计", cp["received"]),
                ("已答复", cp["replied"]),
                ("转为案件线索", cp["converted"]),
                ("满意", cp["satisfied"]),
            ],
        },
    ]
    return out


def charts(data: dict[str, Any]) -> dict[str, Any]:
    """The series the ECharts page draws (names and values only)."""
    c, p = data["cases"], data["publications"]
    return {
        "outcomes": [{"name": OUTCOME_LABELS[k], "value": v} for k, v in c["outcomes"].items()],
        "kinds": {
            "names": [KIND_LABELS[k] for k in c["penalty_kinds"]],
            "values": list(c["penalty_kinds"].values()),
        },
        "publications": [
            {"name": "按期公开", "value": p["on_time"]},
            {"name": "逾期公开", "value": p["late"]},
        ],
        "complaints": {
            "names": [COMPLAINT_LABELS.get(k, k) for k in data["complaints"]["by_category"]],
            "values": list(data["complaints"]["by_category"].values()),
        },
    }


def render_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("publicity/annual_pdf.html", {"data": data, "tables": tables(data)})
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "概况"
    summary.append([f"{data['agency']}{data['year']}年度行政执法统计"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["统计时间", data["computed_at"]])
    for table in tables(data):
        ws = wb.create_sheet(table["title"][:31].replace("（", "(").replace("）", ")"))
        ws.append(["项目", "数值"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for label, value in table["rows"]:
            ws.append([label, _number(value)])
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 16
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def default_year(today: datetime.date | None = None) -> int:
    """The year a report is due for: the previous calendar year (due by 31 January)."""
    return (today or timezone.localdate()).year - 1
