"""The documents the acts issue beyond notice and decision: 调查报告, 听证告知书, 送达回证 for every
delivered document (linked to its Delivery, with the signed scan), 电子送达确认书 — each checked on
the text extracted from its PDF, each under the act's idempotency key."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, Delivery
from cases.services.execution import delivery_receipt_scan_link
from cases.services.transitions import TransitionRefused
from cases.tests.factories import act, new_case, walk
from cases.tests.test_documents_flow import docs, pdf_text
from core.errors import DomainError
from core.models import LedgerEntry
from documents.models import Document
from org.mfa import force_login_verified

pytestmark = pytest.mark.django_db


def issued(case, world, kind):
    return [d for d in docs(case, world.officer1.user) if d.kind == kind]


def test_report_issues_the_investigation_report_with_process_evidence_and_proposal(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATION_REPORTED)
    [report] = issued(case, world, "investigation_report")
    text = pdf_text(report)
    for expected in (
        "调查报告",
        "案由",
        "调查经过",
        f"立案（{case.case_number}）",
        "张三",
        "现场勘验笔录及勘测定界图",  # the evidence
        "《中华人民共和国土地管理法》第七十七条第一款",
        "处理意见",
        "建议给予行政处罚",
        "罚款人民币5,000.00元",
        world.officer1.name,
        "承办人",
    ):
        assert expected in text, expected
    # the act's idempotency key: the case, the version it acted on, the action, the kind
    assert report.idempotency_key == f"case-{case.pk}-v{case.version - 1}-report:investigation_report"


def test_report_without_evidence_is_refused_naming_the_missing_element(world):
    case = walk(new_case(world, facts={"land_class": "farmland", "area_m2": "300", "evidence": []}), world,
                CaseStatus.INVESTIGATING)  # fmt: skip
    case.facts = {k: v for k, v in case.facts.items() if k != "evidence"}
    case.save(update_fields=["facts"])
    with pytest.raises(TransitionRefused) as err:
        act(case, world, "report")
    [violation] = [v for v in err.value.violations if v.code == "document_incomplete"]
    assert "调查报告" in violation.message and "证据" in violation.message
    assert not Document.objects.filter(kind="investigation_report").exists()


def test_a_penalty_with_a_hearing_right_issues_the_hearing_right_notice(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED, heavy=True)  # fine + demolition
    [notice] = issued(case, world, "hearing_right_notice")
    text = pdf_text(notice)
    for expected in ("听证告知书", "张三", "罚款人民币20,000.00元", "听证", "五日内", world.agency.name):
        assert expected in text, expected
    assert notice.idempotency_key.endswith("-notify:hearing_right_notice")


def test_a_fine_without_a_hearing_right_issues_no_hearing_right_notice(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)  # 5,000 yuan: no catalog rule fires
    assert issued(case, world, "hearing_right_notice") == []


def test_every_delivery_gets_its_receipt_linked_to_the_delivery_row(world):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    notice = issued(case, world, "penalty_notice")[0]
    deliveries = {d.document: d for d in Delivery.objects.filter(case=case)}
    assert set(deliveries) == {"notice", "decision"}
    notice_receipt = pdf_text(deliveries["notice"].receipt_document)
    assert "行政处罚告知书" in notice_receipt and notice.number in notice_receipt
    assert "直接送达" in notice_receipt and "张三" in notice_receipt
    decision_receipt = pdf_text(deliveries["decision"].receipt_document)
    assert "行政处罚决定书" in decision_receipt and case.decision_number in decision_receipt


def test_electronic_delivery_issues_the_consent_form_once_and_the_receipt_names_the_address(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATION_REPORTED)
    today = timezone.localdate().isoformat()
    body = {
        "method": "electronic",
        "consent_signed": True,
        "electronic_address": "zhangsan@example.com 13800000000",
        "delivered_on": today,
    }
    case = act(case, world, "notify", data=body)
    [consent] = issued(case, world, "electronic_delivery_confirmation")
    text = pdf_text(consent)
    for expected in (
        "电子送达确认书",
        "电子邮箱：zhangsan@example.com",
        "手机号码：13800000000",
        "同意",
        "视为送达",
    ):
        assert expected in text, expected
    receipt = Delivery.objects.get(case=case, document="notice").receipt_document
    assert "电子送达" in pdf_text(receipt) and "zhangsan@example.com" in pdf_text(receipt)
    # the decision sent to the same addresses: the consent on file is found by its key, not issued again
    case = act(case, world, "record_statement")
    case = act(case, world, "decide")
    act(case, world, "deliver", data={**body, "delivered_on": case.decided_on.isoformat()})
    assert len(issued(case, world, "electronic_delivery_confirmation")) == 1


def test_electronic_delivery_without_an_address_is_refused(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATION_REPORTED)
    body = {"method": "electronic", "consent_signed": True, "delivered_on": timezone.localdate().isoformat()}
    with pytest.raises(TransitionRefused) as err:
        act(case, world, "notify", data=body)
    [violation] = [v for v in err.value.violations if v.code == "document_incomplete"]
    assert "电子送达确认书" in violation.message and violation.basis == "行政处罚法 Art.61"
    assert not Delivery.objects.filter(case=case).exists()


def test_correction_order_delivery_gets_its_receipt(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "order_correction")
    delivery = Delivery.objects.get(case=case, document="correction_order")
    order = next(d for d in issued(case, world, "delivery_receipt") if d.pk == delivery.receipt_document_id)
    text = pdf_text(order)
    assert "通知书" in text and any(
        d.number in text
        for d in issued(case, world, "stop_order") + issued(case, world, "rectification_order")
    )


def _scan(world, case):
    from records.services import evidence_file_ingest
    from records.tests.helpers import JPEG

    return evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=io.BytesIO(JPEG),
        filename="送达回证（签收）.jpg",
        content_type="image/jpeg",
        action="deliver",
    ).file


def test_the_signed_receipt_scan_is_linked_once_and_shown_on_the_case_page(world, client):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    delivery = Delivery.objects.get(case=case, document="decision")
    scan = _scan(world, case)
    linked = delivery_receipt_scan_link(
        actor=world.officer1.user, case=case, delivery_id=delivery.pk, file_id=scan.pk
    )
    assert (linked.receipt_file_id, linked.receipt_digest) == (scan.pk, scan.stored.digest)
    entry = LedgerEntry.objects.get(act="case.delivery_receipt_linked", object_id=str(delivery.pk))
    assert json.loads(entry.payload)["file"] == scan.pk
    with pytest.raises(DomainError) as err:
        delivery_receipt_scan_link(
            actor=world.officer1.user, case=case, delivery_id=delivery.pk, file_id=scan.pk
        )
    assert err.value.code == "receipt_scan_already_linked"
    other = walk(new_case(world), world, CaseStatus.DELIVERED)
    other_delivery = Delivery.objects.get(case=other, document="decision")
    with pytest.raises(DomainError) as err:  # a file of another case
        delivery_receipt_scan_link(
            actor=world.officer1.user, case=other, delivery_id=other_delivery.pk, file_id=scan.pk
        )
    assert err.value.code == "receipt_scan_not_found"

    force_login_verified(client, world.officer1.user)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("records:file_download", args=[case.pk, scan.pk]) in page
    assert reverse("documents:document_pdf", args=[delivery.receipt_document_id]) in page


def test_linking_the_scan_from_the_case_page(world, client):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    delivery = Delivery.objects.get(case=case, document="decision")
    scan = _scan(world, case)
    force_login_verified(client, world.officer1.user)
    url = reverse("cases:delivery_receipt_scan", args=[case.pk, delivery.pk])
    field = f"s{delivery.pk}-file_id"
    bad = client.post(url, {field: "999999"})
    assert bad.status_code == 400 and "请选择本案的文件" in bad.content.decode()
    response = client.post(url, {field: str(scan.pk)})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.receipt_file_id == scan.pk


def test_uploading_the_signed_receipt_from_the_case_page_stores_and_links_it(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from records.models import EvidenceFile
    from records.tests.helpers import JPEG

    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    delivery = Delivery.objects.get(case=case, document="decision")
    force_login_verified(client, world.officer1.user)
    url = reverse("cases:delivery_receipt_scan", args=[case.pk, delivery.pk])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and f"s{delivery.pk}-scan" in page
    # neither a file nor a choice: the form says what to do, nothing stored
    empty = client.post(url, {})
    assert empty.status_code == 400 and "请上传" in empty.content.decode()
    # a text file named .jpg is refused on its content; nothing linked, nothing stored
    fake = SimpleUploadedFile("回证.jpg", b"not an image at all", content_type="image/jpeg")
    bad = client.post(url, {f"s{delivery.pk}-scan": fake})
    assert bad.status_code == 400
    delivery.refresh_from_db()
    assert delivery.receipt_file_id is None and not EvidenceFile.objects.filter(case_id=case.pk).exists()
    scan = SimpleUploadedFile("送达回证（签收）.jpg", JPEG, content_type="image/jpeg")
    response = client.post(url, {f"s{delivery.pk}-scan": scan})
    assert response.status_code == 302
    delivery.refresh_from_db()
    stored = EvidenceFile.objects.get(pk=delivery.receipt_file_id)
    assert delivery.receipt_digest == stored.stored.digest and stored.filename == "送达回证（签收）.jpg"
    assert LedgerEntry.objects.filter(act="case.delivery_receipt_linked", object_id=str(delivery.pk)).exists()
    # a second upload for the same delivery is refused by the rule, and stores nothing more
    again = client.post(
        url, {f"s{delivery.pk}-scan": SimpleUploadedFile("b.jpg", JPEG, content_type="image/jpeg")}
    )
    assert again.status_code == 409
    assert EvidenceFile.objects.filter(case_id=case.pk).count() == 1
