"""Demo of the portal's remainders: the annual reports of the county bureau (last year approved and
published, this year a draft) computed from the demo cases. The published decisions themselves come
from demo/cases.py (each is indexed for search when published)."""

from __future__ import annotations

from typing import Any


def load(loader: Any) -> str | None:
    from publicity.annual_services import annual_report_approve, annual_report_compute, annual_report_publish
    from publicity.selectors import annual_reports_for

    agency = loader.agencies["county"]
    if annual_reports_for(None).filter(agency_id=agency.pk).exists():
        return None
    head = loader.officers["wangqiang"].user
    officer = loader.officers["zhangwei"].user
    year = loader.today.year
    current = annual_report_compute(actor=officer, agency_id=agency.pk, year=year)
    current = annual_report_approve(actor=head, report=current)
    annual_report_publish(actor=head, report=current)
    annual_report_compute(actor=officer, agency_id=agency.pk, year=year - 1)
    return f"年度报告：{year} 年度统计已批准并公开，{year - 1} 年度为草稿。"
