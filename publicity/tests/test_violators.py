"""严重违法失信名单 (issue 8 §7): rules as data, written notice via the documents app, objection
window, listing by the head, display period, credit repair, masking on the public page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.errors import DomainError, PermissionDenied
from core.models import LedgerEntry
from core.services.calendar import add_workdays
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from publicity.models import ViolatorRule, ViolatorStatus
from publicity.violators import (
    credit_repair_apply,
    credit_repair_decide,
    violator_list,
    violator_notify,
    violator_objection,
    violator_objection_decide,
    violator_propose,
    violators_expire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(key_dir, evidence_dir):  # noqa: F811
    return key_dir, evidence_dir


@pytest.fixture
def world(monkeypatch):
    from cases.tests.factories import case_world, new_case, publish_decision, walk

    monkeypatch.setattr("cases.workflow.guards.review_status", lambda kind, case_id: "passed")
    w = case_world()
    case = walk(new_case(w), w, "delivered", heavy=True)  # fine 20,000 yuan and 限期拆除
    w.publication = publish_decision(case, w)
    assert w.publication.status == "published"
    return w


def _document_text(document_id: int, actor) -> str:
    from documents.selectors import visible_documents
    from documents.services import document_pdf

    document = visible_documents(actor).get(pk=document_id)
    assert document.kind == "violator_notice"
    pdf = document_pdf(actor=actor, document=document)
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_from_proposal_to_listing_and_credit_repair(world):
    officer, head = world.officer1.user, world.head.user
    pub = world.publication
    # the rules are data: a 20,000-yuan fine does not meet 较大数额罚款 (≥ 200,000)
    with pytest.raises(DomainError) as exc:
        violator_propose(actor=officer, publication=pub, rule_code="large_fine")
    assert exc.value.code == "violator_not_qualified" and "200000" in exc.value.message
    ViolatorRule.objects.filter(code="large_fine").update(min_fine=10000)
    violator_propose(actor=officer, publication=pub, rule_code="large_fine").delete()  # now it qualifies

    entry = violator_propose(actor=officer, publication=pub, rule_code="demolition")
    with pytest.raises(DomainError) as exc:
        violator_propose(actor=officer, publication=pub, rule_code="demolition")
    assert exc.value.code == "violator_duplicate"
    with pytest.raises(DomainError) as exc:  # never listed before the written notice
        violator_list(actor=head, entry=entry)
    assert exc.value.code == "violator_transition"

    today = timezone.localdate()
    entry = violator_notify(actor=officer, entry=entry, today=today)
    assert entry.status == ViolatorStatus.NOTIFIED and entry.notice_number
    assert entry.objection_until == add_workdays(today, 5).date
    text = _document_text(entry.notice_document_id, officer)
    assert "拟列入严重违法失信名单告知书" in text.replace("\n", "")
    assert pub.document_number in text.replace("\n", "") and "陈述" in text and "信用修复" in text

    with pytest.raises(DomainError) as exc:  # the window is open
        violator_list(actor=head, entry=entry, today=today)
    assert exc.value.code == "violator_window_open"
    violator_objection(
        actor=officer, entry=entry, text="已自行拆除部分建筑，请求不予列入。", received_on=today
    )
    after = entry.objection_until + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        violator_list(actor=head, entry=entry, today=after)
    assert exc.value.code == "violator_objection_pending"
    with pytest.raises(PermissionDenied):
        violator_objection_decide(actor=officer, entry=entry, upheld=False, reason="x")
    violator_objection_decide(actor=head, entry=entry, upheld=False, reason="拆除未完成，异议不成立。")
    with pytest.raises(PermissionDenied):
        violator_list(actor=officer, entry=entry, today=after)
    entry = violator_list(actor=head, entry=entry, today=after)
    assert entry.status == ViolatorStatus.LISTED and entry.display_until.year == after.year + 3

    # public page: masked party, decision number, rule and basis, display period; no personal data
    body = Client().get(reverse("publicity:violators")).content.decode()
    assert pub.document_number in body and "非法占地被责令限期拆除" in body and "土地管理法" in body
    assert entry.display_until.strftime("%Y-%m-%d") in body
    for secret in ("张三", "410", "河南省", "东村三组"):
        assert secret not in body
    assert "张某" in body

    # 信用修复: recorded by an officer, approved by the head → off the list at once
    repair = credit_repair_apply(actor=officer, entry=entry, statement="已全部拆除并缴清罚款，作出信用承诺。")
    with pytest.raises(PermissionDenied):
        credit_repair_decide(actor=officer, repair=repair, approve=True, reason="x")
    credit_repair_decide(actor=head, repair=repair, approve=True, reason="已纠正违法行为并履行处罚决定。")
    entry.refresh_from_db()
    assert entry.status == ViolatorStatus.REMOVED and entry.removal_reason == "信用修复"
    assert pub.document_number not in Client().get(reverse("publicity:violators")).content.decode()
    acts = set(LedgerEntry.objects.filter(object_id=str(entry.pk)).values_list("act", flat=True))
    assert {
        "violator.propose",
        "violator.notify",
        "violator.objection",
        "violator.list",
        "violator.remove",
    } <= acts


def test_upheld_objection_drops_and_the_display_period_ends(world):
    officer, head = world.officer1.user, world.head.user
    today = timezone.localdate()
    entry = violator_notify(
        actor=officer,
        entry=violator_propose(actor=officer, publication=world.publication, rule_code="demolition"),
    )
    late = entry.objection_until + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        violator_objection(actor=officer, entry=entry, text="异议", received_on=late)
    assert exc.value.code == "violator_objection_late"
    violator_objection(actor=officer, entry=entry, text="该建筑已取得批准。", received_on=today)
    entry = violator_objection_decide(actor=head, entry=entry, upheld=True, reason="经核实已补办批准手续。")
    assert entry.status == ViolatorStatus.DROPPED

    second = violator_notify(
        actor=officer,
        entry=violator_propose(actor=officer, publication=world.publication, rule_code="demolition"),
    )
    second = violator_list(actor=head, entry=second, today=late)
    assert violators_expire(today=second.display_until) == 0  # the last day is still displayed
    assert violators_expire(today=second.display_until + datetime.timedelta(days=1)) == 1
    assert violators_expire(today=second.display_until + datetime.timedelta(days=2)) == 0  # idempotent
    second.refresh_from_db()
    assert second.status == ViolatorStatus.REMOVED and second.removal_reason == "公示期届满"
