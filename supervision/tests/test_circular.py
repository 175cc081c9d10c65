"""Issue 9 §4: the ranking published as a 通报 circular through the documents app, where configured
(LegalSetting `supervision.circular`); the PDF's text is read back with pypdf."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases.tests.factories import new_case, walk
from core.errors import PermissionDenied
from core.models import LedgerEntry
from supervision import services
from supervision.models import Level


def pdf_text(document_id: int) -> str:
    from documents.selectors import visible_documents
    from documents.services import document_pdf

    document = visible_documents(None).get(pk=document_id)
    pdf = document_pdf(actor=None, document=document)
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _run(sup):
    today = timezone.localdate()
    return services.assessment_run(
        actor=sup.world.head.user,
        agency_id=sup.county.pk,
        level=Level.DEPARTMENT,
        period_start=today - datetime.timedelta(days=60),
        period_end=today,
    )


def test_by_default_a_run_issues_no_circular(sup):
    walk(new_case(sup.world), sup.world, "closed")
    assert services.circular_enabled() is False
    run = _run(sup)
    assert run.results.exists() and run.circular_document_id is None


def test_where_configured_the_ranking_is_issued_as_a_circular(sup):
    head = sup.world.head.user
    walk(new_case(sup.world), sup.world, "closed")
    assert services.circular_setting_set(actor=head, enabled=True) is True
    change = json.loads(LedgerEntry.objects.filter(act="org.legal_setting_changed").last().payload)
    assert change["key"] == "supervision.circular"
    assert change["changes"]["value"] == {"old": False, "new": True}

    run = _run(sup)
    assert run.circular_document_id is not None
    text = pdf_text(run.circular_document_id)
    assert "评议考核结果通报" in text
    assert "考评通〔" in text  # the circular's own number sequence
    for result in run.results.all():
        assert f"第{result.rank}名：{result.subject_name}，{result.score}分" in text
    start = run.period_start
    assert f"{start.year}年{start.month}月{start.day}日" in text
    assert "办案及时率（权重25.00，越高越好）" in text
    assert "某县自然资源局" in text and "（印章）" in text
    entry = LedgerEntry.objects.filter(act="supervision.assessment_run", object_id=str(run.pk)).get()
    assert json.loads(entry.payload)["circular"][0] == run.circular_document_id
    assert LedgerEntry.objects.filter(act="document.issue").exists()

    services.circular_setting_set(actor=head, enabled=False)
    assert _run(sup).circular_document_id is None


def test_only_heads_and_supervisors_switch_the_circular(sup):
    with pytest.raises(PermissionDenied):
        services.circular_setting_set(actor=sup.world.officer1.user, enabled=True)
    assert services.circular_enabled() is False


def test_the_assessment_screen_switches_the_circular_and_the_run_links_it(client, sup):
    from django.urls import reverse

    client.force_login(sup.world.head.user)
    walk(new_case(sup.world), sup.world, "closed")
    response = client.post(reverse("supervision:assessment"), {"act": "circular", "enabled": "1"})
    assert response.status_code == 302 and services.circular_enabled()
    run = _run(sup)
    page = client.get(reverse("supervision:run_detail", args=[run.pk])).content.decode()
    assert reverse("documents:document_pdf", args=[run.circular_document_id]) in page
    pdf = client.get(reverse("documents:document_pdf", args=[run.circular_document_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
