from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.tests.factories import case_world, new_case
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from legal import selectors, services
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

TODAY = timezone.localdate


@pytest.fixture
def w(db) -> Any:
    world = case_world()
    world.legal = OfficerFactory(agency=world.agency, roles=[Role.LEGAL_REVIEWER], name="李法规")
    world.supervisor = OfficerFactory(roles=[Role.SUPERVISOR])
    return world


def _doc(w: Any) -> Any:
    return services.document_draft(
        actor=w.legal.user,
        agency=w.agency,
        title="关于规范农村宅基地审批的若干规定",
        summary="规定宅基地审批的条件和程序",
    )


def test_a_normative_document_goes_from_drafting_to_cleanup_in_order(w):
    doc = _doc(w)
    with pytest.raises(Conflict) as err:  # cannot be filed before review and decision
        services.document_file(
            actor=w.legal.user, document=doc, filed_with="市司法局", filed_on=TODAY(), receipt="备2026-01"
        )
    assert "合法性审查" in err.value.message or "legality" in err.value.message
    services.document_submit(actor=w.legal.user, document=doc)
    services.document_review(actor=w.legal.user, document=doc, lawful=False, opinion="第三条超越上位法")
    doc.refresh_from_db()
    assert doc.status == "drafting" and "超越" in doc.review_opinion
    services.document_submit(actor=w.legal.user, document=doc)
    services.document_review(actor=w.legal.user, document=doc, lawful=True, opinion="合法")
    with pytest.raises(PermissionDenied):  # the legal department does not decide
        services.document_decide(
            actor=w.legal.user, document=doc, doc_number="X", decided_on=TODAY(), decided_by="局务会"
        )
    doc.refresh_from_db()
    services.document_decide(
        actor=w.head.user,
        document=doc,
        doc_number="某自然资发〔2026〕1号",
        decided_on=TODAY(),
        decided_by="2026年第3次局务会议",
    )
    filing = Deadline.objects.get(kind=services.FILING_KIND, subject_id=str(doc.pk))
    assert (filing.unit, filing.amount) == ("calendar_days", 30) and filing.status in ("open", "due_soon")
    assert filing.due_date >= TODAY() + dt.timedelta(days=30)  # a last day on a holiday moves on
    with pytest.raises(ValidationFailed) as err:
        services.document_file(
            actor=w.legal.user, document=doc, filed_with="市司法局", filed_on=TODAY(), receipt=""
        )
    assert "receipt" in err.value.field_errors
    services.document_file(
        actor=w.legal.user, document=doc, filed_with="市司法局", filed_on=TODAY(), receipt="备2026-017"
    )
    filing.refresh_from_db()
    assert filing.status == "satisfied"
    services.document_publish(
        actor=w.legal.user, document=doc, published_on=TODAY(), published_where="政府网站"
    )
    services.document_cleanup(
        actor=w.legal.user,
        document=doc,
        round="2026年度清理",
        result="retain",
        reason="与上位法一致",
        done_on=TODAY(),
    )
    doc.refresh_from_db()
    assert doc.status == "published"
    with pytest.raises(Conflict):
        services.document_cleanup(
            actor=w.legal.user,
            document=doc,
            round="2026年度清理",
            result="repeal",
            reason="重复",
            done_on=TODAY(),
        )
    services.document_cleanup(
        actor=w.legal.user,
        document=doc,
        round="2027年度清理",
        result="repeal",
        reason="上位法已废止",
        done_on=TODAY(),
    )
    doc.refresh_from_db()
    assert doc.status == "repealed" and doc.repealed_on == TODAY()
    acts = list(
        LedgerEntry.objects.filter(object_type="legal.normativedocument", object_id=str(doc.pk)).values_list(
            "act", flat=True
        )
    )
    assert acts.count("legal.document_reviewed") == 2 and acts[-1] == "legal.document_cleaned"
    assert selectors.filing_rate(agency_id=w.agency.pk) == {"decided": 1, "filed": 1}


def test_every_pair_of_document_states_is_checked_against_the_table():
    from legal.models import DocumentStatus

    for source in DocumentStatus.values:
        assert set(services.DOCUMENT_TRANSITIONS[source]) <= set(DocumentStatus.values)
    assert services.DOCUMENT_TRANSITIONS["repealed"] == frozenset()


def test_an_opinion_on_a_case_is_linked_to_the_case(w):
    case = new_case(w)
    adviser = services.adviser_add(
        actor=w.legal.user,
        agency=w.agency,
        name="周律师",
        firm="某律师事务所",
        contract_start=TODAY() - dt.timedelta(days=100),
        contract_end=TODAY() + dt.timedelta(days=265),
    )
    with pytest.raises(ValidationFailed) as err:
        services.opinion_request(actor=w.legal.user, adviser=adviser, question="？", case_id=999999)
    assert "case_id" in err.value.field_errors
    req = services.opinion_request(
        actor=w.legal.user, adviser=adviser, case_id=case.pk, question="本案适用第七十七条还是第八十二条？"
    )
    services.opinion_record(actor=w.legal.user, request=req, opinion="适用第七十七条。", answered_on=TODAY())
    assert [o.opinion for o in selectors.opinions_for_case(case_id=case.pk, actor=w.head.user)] == [
        "适用第七十七条。"
    ]
    with pytest.raises(Conflict):
        services.opinion_record(actor=w.legal.user, request=req, opinion="再议", answered_on=TODAY())
    assert not selectors.opinions_for_case(case_id=case.pk, actor=w.outsider.user).exists()


def test_a_referral_runs_on_the_clock_until_the_receiving_agency_accepts(w):
    police = AgencyFactory(name="某县公安局")
    police_legal = OfficerFactory(agency=police, roles=[Role.LEGAL_REVIEWER])
    case = new_case(w)
    referral = services.referral_send(
        actor=w.legal.user,
        agency=w.agency,
        case_id=case.pk,
        to_agency_id=police.pk,
        to_name="",
        subject="非法采矿涉嫌犯罪",
        reason="涉嫌非法采矿罪，依《行政执法机关移送涉嫌犯罪案件的规定》移送",
        sent_on=TODAY(),
    )
    assert referral.to_name == "某县公安局"
    deadline = Deadline.objects.get(kind=services.REFERRAL_KIND, subject_id=str(referral.pk))
    assert deadline.unit == "workdays" and deadline.amount == 5
    with pytest.raises(PermissionDenied):
        services.referral_answer(
            actor=w.outsider.user, referral=referral, accepted=True, answered_on=TODAY(), receipt_number="R1"
        )
    with pytest.raises(ValidationFailed):
        services.referral_answer(
            actor=police_legal.user, referral=referral, accepted=True, answered_on=TODAY()
        )
    services.referral_answer(
        actor=police_legal.user,
        referral=referral,
        accepted=True,
        answered_on=TODAY(),
        receipt_number="公（刑）受字〔2026〕88号",
    )
    deadline.refresh_from_db()
    assert deadline.status == "satisfied"
    assert selectors.referrals_for(police_legal.user).filter(pk=referral.pk).exists()
    with pytest.raises(Conflict):
        services.referral_answer(
            actor=police_legal.user, referral=referral, accepted=False, answered_on=TODAY(), note="不属管辖"
        )


def test_a_joint_action_records_participants_and_results(w):
    other = AgencyFactory(name="某县农业农村局")
    action = services.joint_action_record(
        actor=w.head.user,
        agency=w.agency,
        title="非法占地联合整治",
        held_on=TODAY(),
        participants=[other.pk, "某镇人民政府"],
    )
    assert action.participants == [
        {"agency_id": other.pk, "name": "某县农业农村局"},
        {"agency_id": None, "name": "某镇人民政府"},
    ]
    with pytest.raises(ValidationFailed):
        services.joint_action_record(
            actor=w.head.user, agency=w.agency, title="x", held_on=TODAY(), participants=[]
        )
    services.joint_action_result(
        actor=w.head.user, action=action, result="拆除违法建筑3处", violations_found=5, cases_opened=2
    )
    action.refresh_from_db()
    assert action.cases_opened == 2


def test_accountability_is_visible_only_to_the_legal_department_and_heads(w, client):
    case = new_case(w)
    row = services.accountability_record(
        actor=w.legal.user,
        agency=w.agency,
        kind="wrong_case",
        case_id=case.pk,
        person_ids=[w.officer1.pk],
        finding="事实认定错误导致处罚决定被撤销",
        consequence="诫勉谈话",
        found_on=TODAY(),
    )
    assert list(selectors.accountability_for(w.head.user, agency=w.agency)) == [row]
    for outsider in (w.officer1, w.officer2, w.supervisor):
        before = LedgerEntry.objects.filter(act="auth.permission_denied").count()
        with pytest.raises(PermissionDenied):
            selectors.accountability_for(outsider.user, agency=w.agency)
        assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == before + 1
    client.force_login(w.officer2.user)
    response = client.get(reverse("legal:accountability"))
    assert response.status_code == 403 and "事实认定错误" not in response.content.decode()
    denial = LedgerEntry.objects.filter(act="auth.permission_denied").latest("seq")
    assert "legal.accountability" in denial.payload and denial.actor_id == w.officer2.user.pk
    client.force_login(w.legal.user)
    response = client.get(reverse("legal:accountability"))
    assert response.status_code == 200 and "事实认定错误" in response.content.decode()
    # The finding's text is not in the ledger (the audit administrator reads it): only its digest.
    entry = LedgerEntry.objects.get(act="legal.accountability_recorded")
    assert "事实认定错误" not in entry.payload and "finding_sha256" in entry.payload


def test_an_exemption_applies_and_bad_input_is_refused_with_reasons(w, client):
    with pytest.raises(ValidationFailed) as err:
        services.accountability_record(
            actor=w.head.user,
            agency=w.agency,
            kind="wrong_case",
            person_ids=[w.outsider.pk],
            finding="",
            found_on=TODAY() + dt.timedelta(days=3),
            exemptions=["nope"],
        )
    assert {"finding", "found_on", "person_ids", "exemptions", "case_id"} <= set(err.value.field_errors)
    row = services.accountability_record(
        actor=w.head.user,
        agency=w.agency,
        kind="omission",
        person_ids=[w.officer1.pk],
        finding="接到举报后未及时核查",
        found_on=TODAY(),
        exemptions=["force_majeure"],
    )
    assert row.exempted and "免予追究" in row.consequence
    client.force_login(w.head.user)
    response = client.post(
        reverse("legal:accountability"),
        {"kind": "abuse", "finding": "保留的文字", "found_on": TODAY().isoformat()},
    )
    assert response.status_code == 422 and "保留的文字" in response.content.decode()


def test_the_document_page_walks_the_steps_and_keeps_input_on_error(w, client):
    doc = _doc(w)
    client.force_login(w.legal.user)
    url = reverse("legal:document", args=[doc.pk])
    assert client.post(url, {"step": "submit"}).status_code == 302
    response = client.post(url, {"step": "review", "lawful": "yes", "opinion": ""})
    assert response.status_code == 422
    client.post(url, {"step": "review", "lawful": "yes", "opinion": "合法"})
    response = client.post(
        url,
        {"step": "decide", "doc_number": "文号1", "decided_on": TODAY().isoformat(), "decided_by": "局务会"},
    )
    assert response.status_code == 403
    assert "notice-error" in response.content.decode()
    client.force_login(w.head.user)
    client.post(
        url,
        {"step": "decide", "doc_number": "文号1", "decided_on": TODAY().isoformat(), "decided_by": "局务会"},
    )
    doc.refresh_from_db()
    assert doc.status == "decided"
    page = client.get(reverse("legal:index"))
    assert page.status_code == 200 and doc.title in page.content.decode()


def test_the_registers_page_keeps_every_register_and_refuses_officers(w, client):
    case = new_case(w)
    url = reverse("legal:index")
    client.force_login(w.legal.user)
    today = TODAY()
    assert client.post(url, {"action": "document", "title": "执法公示办法"}).status_code == 302
    assert (
        client.post(
            url,
            {
                "action": "adviser",
                "name": "吴律师",
                "firm": "某律所",
                "contract_start": (today - dt.timedelta(days=1)).isoformat(),
                "contract_end": (today + dt.timedelta(days=300)).isoformat(),
            },
        ).status_code
        == 302
    )
    adviser = selectors.advisers_for(w.legal.user).get()
    assert (
        client.post(
            url,
            {
                "action": "opinion",
                "adviser": adviser.pk,
                "case_id": str(case.pk),
                "question": "能否适用首违不罚？",
            },
        ).status_code
        == 302
    )
    request = selectors.opinions_for(w.legal.user).get()
    client.post(
        url,
        {
            "action": "opinion_answer",
            "request": request.pk,
            "opinion": "不能。",
            "answered_on": today.isoformat(),
        },
    )
    assert selectors.opinions_for_case(case_id=case.pk, actor=w.head.user).get().opinion == "不能。"
    bad = client.post(
        url,
        {
            "action": "referral",
            "to_name": "某县公安局",
            "subject": "涉嫌犯罪",
            "reason": "",
            "sent_on": today.isoformat(),
        },
    )
    assert bad.status_code == 422 and 'value="涉嫌犯罪"' in bad.content.decode()
    client.post(
        url,
        {
            "action": "referral",
            "to_name": "某县公安局",
            "subject": "涉嫌犯罪",
            "reason": "依法移送",
            "sent_on": today.isoformat(),
            "case_id": str(case.pk),
        },
    )
    assert selectors.referrals_for(w.legal.user).get().case_id == case.pk
    client.post(
        url,
        {
            "action": "joint_action",
            "title": "联合检查",
            "held_on": today.isoformat(),
            "participants": "某县农业农村局\n某镇人民政府",
        },
    )
    action = selectors.joint_actions_for(w.legal.user).get()
    client.post(
        url,
        {
            "action": "joint_result",
            "joint_action": action.pk,
            "result": "查处3起",
            "violations_found": "3",
            "cases_opened": "1",
        },
    )
    action.refresh_from_db()
    assert len(action.participants) == 2 and action.cases_opened == 1
    page = client.get(url).content.decode()
    assert "执法公示办法" in page and "吴律师" in page and "联合检查" in page
    client.force_login(w.officer1.user)
    refused = client.post(url, {"action": "document", "title": "越权起草"})
    assert (
        refused.status_code == 403
        and not selectors.documents_for(w.head.user).filter(title="越权起草").exists()
    )
