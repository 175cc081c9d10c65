"""The penalty procedure issues its official documents through the documents app (行政处罚法 Art.59:
a decision lacking an element cannot be issued; numbers are gap-free)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from cases.documents import cn_date, cn_number, rmb_upper
from cases.models import CaseStatus, Party
from cases.services import available_actions, case_act
from cases.services.transitions import TransitionRefused
from cases.tests.factories import act, new_case, walk
from core.models import IssuedNumber
from core.services.files import file_open
from documents.models import Document
from documents.selectors import documents_for_subject


def pdf_text(document: Document) -> str:
    with file_open(document.stored_file) as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def docs(case, actor):
    return list(documents_for_subject(actor=actor, subject_type="cases.case", subject_id=case.pk))


def test_chinese_numbers_and_money():
    assert rmb_upper(Decimal("50000")) == "伍万元整"
    assert rmb_upper(Decimal("5000.00")) == "伍仟元整"
    assert rmb_upper(Decimal("1234.50")) == "壹仟贰佰叁拾肆元伍角"
    assert rmb_upper(Decimal("100005.07")) == "壹拾万零伍元零柒分"
    assert rmb_upper(Decimal("0")) == "零元整"
    assert (cn_number(15), cn_number(60), cn_number(105), cn_number(10)) == ("十五", "六十", "一百零五", "十")
    assert cn_date(datetime.date(2026, 3, 5)) == "2026年3月5日"


def test_walking_a_case_to_decided_issues_a_decision_with_every_art59_element(world):
    case = walk(new_case(world), world, CaseStatus.DECIDED)

    decision = Document.objects.get(
        subject_type="cases.case", subject_id=str(case.pk), kind="penalty_decision"
    )
    assert decision.number == case.decision_number
    assert decision.number == f"{world.agency.short_name or world.agency.name}〔{case.decided_on.year}〕1号"
    text = pdf_text(decision)
    for expected in (
        "行政处罚决定书",
        decision.number,
        "当事人：张三",
        "城关镇东村三组12号",  # the party's address
        "村民未经批准占用耕地建房",  # the facts
        "现场勘验笔录及勘测定界图",  # the evidence
        "罚款人民币5,000.00元（大写：伍仟元整）",  # the penalty with its amount
        "《中华人民共和国土地管理法》第七十七条第一款",  # the basis
        "自收到本决定书之日起十五日内",  # the performance deadline
        "百分之三加处罚款",  # Art.72
        "六十日内",
        "申请行政复议",
        "六个月内",
        "提起行政诉讼",
        world.agency.name,
        cn_date(case.decided_on),  # 成文日期
    ):
        assert expected in text, expected


def test_a_party_without_an_address_blocks_decide_naming_the_art59_element(world):
    # the notice needed the address for its 送达回证; the party's address is then found wrong and cleared
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    Party.objects.filter(case=case).update(address="")
    case = act(case, world, "record_statement")

    with translation.override("zh-hans"):
        listed = {a["action"]: a for a in available_actions(case=case, actor=world.head.user)}
        decide = listed["decide"]
        assert not decide["allowed"]
        blocked = [v for v in decide["blocked_by"] if v["code"] == "document_incomplete"]
        assert blocked and blocked[0]["basis"] == "行政处罚法 Art.59"
        assert "行政处罚决定书" in blocked[0]["message"] and "住所" in blocked[0]["message"]
        with pytest.raises(TransitionRefused) as err:
            act(case, world, "decide")
    assert [v.code for v in err.value.violations] == ["document_incomplete"]
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and not case.decision_number
    assert not Document.objects.filter(kind="penalty_decision").exists()


def test_the_documents_of_a_case_are_listed_for_its_subject(world):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)

    listed = docs(case, world.officer1.user)
    assert sorted(d.kind for d in listed) == sorted(
        [
            "case_registration",
            "investigation_report",
            "penalty_notice",
            "delivery_receipt",  # of the notice
            "penalty_decision",
            "delivery_receipt",  # of the decision
        ]
    )
    receipts = {d.document: d.receipt_document for d in case.deliveries.select_related("receipt_document")}
    notice = next(d for d in listed if d.kind == "penalty_notice")
    assert notice.number in pdf_text(receipts["notice"]) and "行政处罚告知书" in pdf_text(receipts["notice"])
    assert case.decision_number in pdf_text(receipts["decision"])
    # numbers of the other kinds carry their mark, so every document number is unique
    registration = next(d for d in listed if d.kind == "case_registration")
    assert "立审〔" in registration.number
    assert docs(case, world.outsider.user) == []


def test_the_summary_decision_is_issued_on_the_spot(world):
    from cases.tests.test_summary import summary_case
    from cases.tests.test_summary import walk as summary_walk

    case = summary_walk(summary_case(world), world, CaseStatus.DECIDED)

    document = Document.objects.get(subject_id=str(case.pk), kind="summary_decision")
    assert document.number == case.decision_number and "当罚〔" in document.number
    text = pdf_text(document)
    for expected in (
        "当场行政处罚决定书",
        "张三",
        "罚款人民币50.00元（大写：伍拾元整）",
        "《城市道路管理条例》",
        "执法人员",
    ):
        assert expected in text, expected


def test_numbers_stay_gap_free_when_a_decide_is_refused_while_rendering(world, monkeypatch):
    from documents import rendering

    first = act(walk(new_case(world), world, CaseStatus.NOTIFIED), world, "record_statement")
    real = rendering.missing_elements
    monkeypatch.setattr(rendering, "missing_elements", lambda spec, text, ctx, **kw: list(spec.elements)[:1])
    with pytest.raises(Exception) as err:
        act(first, world, "decide")
    assert getattr(err.value, "code", "") == "document_elements_missing", repr(err.value)
    first.refresh_from_db()
    assert first.status == CaseStatus.NOTIFIED and not first.decision_number
    assert not IssuedNumber.objects.filter(kind="penalty_decision").exists()

    monkeypatch.setattr(rendering, "missing_elements", real)
    first = act(first, world, "decide")
    second = walk(new_case(world), world, CaseStatus.DECIDED)
    values = sorted(IssuedNumber.objects.filter(kind="penalty_decision").values_list("value", flat=True))
    assert values == [1, 2]
    assert first.decision_number.endswith(f"〔{first.decided_on.year}〕1号")
    assert second.decision_number.endswith(f"〔{second.decided_on.year}〕2号")


def test_an_order_to_stop_and_correct_issues_both_notices_with_the_deadline(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "order_correction")

    kinds = {d.kind: d for d in docs(case, world.officer1.user)}
    assert {"stop_order", "rectification_order"} <= set(kinds)
    due = datetime.date.fromisoformat(case.correction_orders[-1]["due_on"])
    assert cn_date(due) in pdf_text(kinds["rectification_order"])


def test_deciding_not_to_penalise_issues_the_no_penalty_decision(world):
    case = walk(new_case(world), world, CaseStatus.NO_PENALTY)

    document = Document.objects.get(subject_id=str(case.pk), kind="no_penalty_decision")
    assert document.number == case.decision_number
    assert "初次违法且危害后果轻微并及时改正" in pdf_text(document)


def test_closing_a_case_issues_the_closing_approval(world):
    case = walk(new_case(world), world, CaseStatus.CLOSED)

    closing = Document.objects.get(subject_id=str(case.pk), kind="closing_approval")
    text = pdf_text(closing)
    assert case.case_number in text and case.decision_number in text
    assert closing.issued_on == timezone.localdate()


def test_a_declined_lead_closes_without_a_closing_form(world):
    case = walk(new_case(world), world, CaseStatus.DECLINED)
    case = case_act(case=case, actor=world.head.user, action="close", data={})
    assert case.status == CaseStatus.CLOSED
    assert docs(case, world.head.user) == []


def test_scheduling_a_hearing_issues_the_hearing_notice_with_chair_date_and_place(world):
    case = walk(new_case(world), world, CaseStatus.HEARING_SCHEDULED)

    notice = Document.objects.get(subject_id=str(case.pk), kind="hearing_notice")
    text = pdf_text(notice)
    assert world.chair.name in text and cn_date(case.hearing_date) in text
    assert f"{world.agency.name}听证室" in text
    assert notice.issued_on == case.hearing_notice_on


FINE_800 = {"kinds": ["fine"], "amount": Decimal(800)}


def test_remedy_bodies_and_payment_channel_are_agency_data_with_regional_defaults(world):
    from cases.documents import case_document_context
    from core.models import LegalSetting

    world.agency.name = "临安区自然资源局"
    world.agency.save()
    case = new_case(world)
    context = case_document_context("penalty_decision", case, data=FINE_800)
    assert (context["reconsideration_body"], context["court"]) == ("临安区人民政府", "临安区人民法院")
    assert context["penalty_text"] == "罚款人民币800.00元（大写：捌佰元整）"

    LegalSetting.objects.update_or_create(
        key="cases.document_agency_data",
        defaults={
            "value": {
                world.agency.code: {
                    "reconsideration_body": "杭州市临安区人民政府",
                    "court": "杭州市临安区人民法院",
                    "payment_channel": "中国农业银行临安支行（非税收入代收账户）",
                }
            }
        },
    )
    context = case_document_context("penalty_decision", case, data=FINE_800)
    assert context["reconsideration_body"] == "杭州市临安区人民政府"
    assert context["court"] == "杭州市临安区人民法院"
    assert "中国农业银行临安支行" in context["performance"]
