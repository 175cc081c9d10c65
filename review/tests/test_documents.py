"""The review acts issue their documents in the same transaction, checked on the PDF's text:
法制审核意见书 (every opinion), 集体讨论记录, 重大事项风险评估报告."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.services.files import file_open
from documents.models import Document
from review import services
from review.models import PointVerdict, ReviewOpinion
from review.tests.factories import all_dimensions, full_checklist

pytestmark = pytest.mark.django_db


def pdf_text(document: Document) -> str:
    with file_open(document.stored_file) as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def case_documents(case, kind):
    return list(Document.objects.filter(subject_type="cases.case", subject_id=str(case.pk), kind=kind))


def test_a_passed_review_issues_the_opinion_with_the_seven_points(case, handlers, qualified_reviewer):
    review = services.legal_review_submit(actor=handlers[0].user, case_id=case.pk)
    services.legal_review_conclude(
        actor=qualified_reviewer,
        review=review,
        checklist=full_checklist(),
        opinion=ReviewOpinion.PASS,
        reasons="",
    )
    [opinion] = case_documents(case, "legal_review_opinion")
    text = pdf_text(opinion)
    for expected in (
        "法制审核意见书",
        "张某非法占用土地案",
        "张某",
        "执法主体合法，执法人员具备执法资格：符合",
        "涉嫌犯罪需移送司法机关：不适用",
        "审核意见",
        "通过",
        "审核人员",
        "拟作出行政处罚：罚款人民币5,000.00元",
    ):
        assert expected in text, expected
    assert opinion.idempotency_key == f"review-legal_review-{review.pk}"


def test_a_returned_review_issues_the_opinion_with_its_reasons(case, handlers, qualified_reviewer):
    review = services.legal_review_submit(actor=handlers[0].user, case_id=case.pk)
    checklist = full_checklist(
        facts_evidence={"verdict": PointVerdict.NON_COMPLIANT, "note": "缺少勘测定界图"}
    )
    services.legal_review_conclude(
        actor=qualified_reviewer,
        review=review,
        checklist=checklist,
        opinion=ReviewOpinion.RETURN_FOR_CORRECTION,
        reasons="补充勘测定界图后重新报审",
    )
    text = pdf_text(case_documents(case, "legal_review_opinion")[0])
    assert "事实清楚，证据合法充分：不符合（缺少勘测定界图）" in text
    assert "退回补正" in text and "补充勘测定界图后重新报审" in text


def test_a_deliberation_issues_its_record_with_every_opinion(case, heads, handlers):
    held = timezone.localdate() - datetime.timedelta(days=1)
    attendees = [heads[0].user, heads[1].user, handlers[0].user]
    deliberation = services.deliberation_record(
        actor=heads[0].user,
        case_id=case.pk,
        held_on=held,
        place="局三楼会议室",
        attendees=attendees,
        opinions={u.pk: f"{i}号意见：同意" for i, u in enumerate(attendees, start=1)},
        conclusion="同意承办人意见，作出行政处罚决定",
    )
    [record] = case_documents(case, "collective_discussion")
    text = pdf_text(record)
    for expected in (
        "集体讨论记录",
        f"{held.year}年{held.month}月{held.day}日",
        "局三楼会议室",
        "主持人",
        "赵局长",
        "钱副局长：1号意见：同意".replace("1号", "2号"),
        "李执法：3号意见：同意",
        "孙副局长",  # the head who was absent
        "同意承办人意见，作出行政处罚决定",
        "出席人员签名",
    ):
        assert expected in text, expected
    assert record.idempotency_key == f"review-deliberation-{deliberation.pk}"


def test_a_risk_assessment_issues_its_report_on_six_dimensions(case, handlers):
    dimensions = all_dimensions(controllability={"level": "medium", "note": "周边群众关注"})
    assessment = services.risk_assessment_record(
        actor=handlers[0].user,
        case_id=case.pk,
        dimensions=dimensions,
        overall_level="medium",
        mitigation="执行前与村委会沟通，做好解释工作",
    )
    [report] = case_documents(case, "risk_assessment")
    text = pdf_text(report)
    for expected in (
        "重大事项风险评估报告",
        "合法性：风险低",
        "廉洁性：风险低",
        "可控性：风险中（周边群众关注）",
        "风险等级",
        "中",
        "执行前与村委会沟通，做好解释工作",
        "风险可控",
        "李执法",
    ):
        assert expected in text, expected
    assert report.idempotency_key == f"review-risk_assessment-{assessment.pk}"


def test_a_refused_review_issues_nothing(case, handlers):
    """The handler may not review (Art.58): the refusal takes no number and leaves no document."""
    review = services.legal_review_submit(actor=handlers[0].user, case_id=case.pk)
    with pytest.raises(Exception):  # noqa: B017 - the reviewer rule's DomainError / PermissionDenied
        services.legal_review_conclude(
            actor=handlers[1].user, review=review, checklist=full_checklist(), opinion="pass", reasons=""
        )
    assert case_documents(case, "legal_review_opinion") == []
