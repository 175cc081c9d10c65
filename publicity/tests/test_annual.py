"""年度报告: figures computed from real cases (walked through the workflow), complaints and
publications; approval by the head; public page with charts; PDF (text extracted) and XLSX."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from core.errors import DomainError, PermissionDenied
from core.models import LedgerEntry
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from publicity.annual_services import annual_report_approve, annual_report_compute, annual_report_publish
from publicity.models import AnnualReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(key_dir, evidence_dir):  # noqa: F811
    return key_dir, evidence_dir


@pytest.fixture
def world(monkeypatch):
    from cases.tests.factories import case_world, new_case, walk
    from complaints.services import complaint_submit

    monkeypatch.setattr("cases.workflow.guards.review_status", lambda kind, case_id: "passed")
    w = case_world()
    walk(new_case(w), w, "closed")
    walk(new_case(w), w, "no_penalty")
    complaint_submit(
        agency_id=w.agency.pk,
        category="violation",
        description="有人在耕地上挖土。",
        location="东村",
        contact_name="王五",
        contact_phone="13700000000",
    )
    return w


def test_figures_come_from_the_data(world):
    report = annual_report_compute(
        actor=world.head.user, agency_id=world.agency.pk, year=timezone.localdate().year
    )
    d = report.data
    assert d["cases"]["registered"]["general"] == 2
    assert d["cases"]["outcomes"] == {"penalty": 1, "no_penalty": 1, "transferred": 0}
    assert d["cases"]["penalty_kinds"]["fine"] == 1
    assert d["cases"]["closed"] == 1
    assert d["fines"]["imposed"] == "5000.00"
    assert d["publications"]["published"] == 1 and d["publications"]["on_time"] == 1
    assert d["complaints"]["received"] == 1 and d["complaints"]["by_category"]["violation"] == 1
    last_year = annual_report_compute(
        actor=world.head.user, agency_id=world.agency.pk, year=timezone.localdate().year - 1
    )
    assert last_year.data["cases"]["registered_total"] == 0 and last_year.data["fines"]["imposed"] == "0.00"
    assert LedgerEntry.objects.filter(act="annual_report.compute").count() == 2

    # approval by the head freezes the figures; publication shows them on the portal
    year = timezone.localdate().year
    client = Client()
    assert client.get(reverse("publicity:annual_detail", args=[report.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        annual_report_approve(actor=world.officer1.user, report=report)
    report = annual_report_approve(actor=world.head.user, report=report)
    with pytest.raises(DomainError) as exc:
        annual_report_compute(actor=world.head.user, agency_id=world.agency.pk, year=year)
    assert exc.value.code == "annual_report_frozen"
    report = annual_report_publish(actor=world.head.user, report=report)
    assert report.status == AnnualReportStatus.PUBLISHED

    listing = client.get(reverse("publicity:annual")).content.decode()
    assert reverse("publicity:annual_detail", args=[report.pk]) in listing
    page = client.get(reverse("publicity:annual_detail", args=[report.pk])).content.decode()
    assert "echarts.min.js" in page and 'id="annual-charts"' in page
    assert "5000.00" in page and "按期公开" in page

    pdf = client.get(reverse("publicity:annual_download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"{year}年度行政执法统计" in text
    assert "5000.00" in text and "投诉举报" in text

    xlsx = client.get(reverse("publicity:annual_download", args=[report.pk, "xlsx"]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    fines = {row[0]: row[1] for row in wb["罚没款(元)"].iter_rows(min_row=2, values_only=True)}
    assert fines["决定罚款金额"] == 5000.0
    assert client.get(reverse("publicity:annual_download", args=[report.pk, "exe"])).status_code == 404


def test_officer_screens(monkeypatch):
    from cases.tests.factories import case_world

    world = case_world()
    client = Client()
    client.force_login(world.head.user)
    year = timezone.localdate().year
    response = client.post(reverse("publicity:annual_manage"), {"agency": world.agency.pk, "year": year})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "罚没款" in detail and "0.00" in detail
    bad = client.post(reverse("publicity:annual_manage"), {"agency": world.agency.pk, "year": year + 5})
    assert bad.status_code == 422 and str(year + 5) in bad.content.decode()
    other = client.post(
        reverse("publicity:annual_manage"), {"agency": world.outsider.agency.pk, "year": year}
    )
    assert other.status_code == 422
