"""Follow-up visits: scheduling from closed cases (real cases through the cases services), the
questionnaire behind a signed link on a phone (forged and reused links refused), the printable
questionnaire with its QR code, calls and visits, the satisfaction figures, rules as data."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core import signing
from pypdf import PdfReader

from cases.tests.factories import case_world, new_case
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from followups import selectors, services
from followups.models import Answer, Followup, FollowupRule, Status
from org.mfa import force_login_verified
from org.roles import Role
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)
ANSWERS = {
    "satisfaction": "satisfied",
    "rectification": "done",
    "conduct": "proper",
    "conduct_opinion": "",
    "opinion": "执法人员态度好，讲解清楚。",
}


@pytest.fixture(autouse=True)
def _store(evidence_dir, key_dir):  # noqa: F811
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return case_world()


def closed_case(world, *, closed_on: dt.date):
    """A case registered through the cases services, then marked closed on `closed_on` (the closing
    walk itself is the cases app's business and tested there)."""
    case = new_case(world)
    case.status, case.closed_on, case.case_number = "closed", closed_on, f"新自然资罚〔2026〕{case.pk}号"
    case.save(update_fields=["status", "closed_on", "case_number"])
    return case


def test_a_closed_case_schedules_one_follow_up_by_its_handling_officer(world):
    case = closed_case(world, closed_on=TODAY - dt.timedelta(days=35))
    result = services.followups_run(today=TODAY)
    assert result["created"] == 1 and result["opened"] == 1
    f = Followup.objects.get()
    assert f.subject_type == "cases.case" and f.subject_id == str(case.pk)
    assert f.due_on == TODAY - dt.timedelta(days=5) and f.answer_by == TODAY + dt.timedelta(days=10)
    assert f.officer == world.officer1.user and f.party_name == "张三" and f.status == Status.OPEN
    assert f.reference == case.case_number
    assert services.followups_run(today=TODAY)["created"] == 0 and Followup.objects.count() == 1
    assert LedgerEntry.objects.filter(act="followup.run").count() == 2

    late = services.followups_run(today=TODAY + dt.timedelta(days=11))
    assert late["to_call"] == 1
    f.refresh_from_db()
    assert f.status == Status.CALL


def test_a_case_closed_recently_waits_for_its_follow_up_date(world):
    closed_case(world, closed_on=TODAY - dt.timedelta(days=3))
    services.followups_run(today=TODAY)
    assert Followup.objects.get().status == Status.SCHEDULED


def test_the_party_answers_once_on_a_phone_through_the_signed_link(world, client):
    closed_case(world, closed_on=TODAY - dt.timedelta(days=35))
    services.followups_run(today=TODAY)
    f = Followup.objects.get()
    url = services.questionnaire_url(f)
    page = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "张三" in page.content.decode()

    missing = client.post(url, {"satisfaction": "satisfied", "opinion": "留着"})
    assert missing.status_code == 400
    assert set(missing.context["form"].errors) == {"rectification", "conduct"}
    assert "留着" in missing.content.decode()
    assert not Answer.objects.exists()

    vague = client.post(url, {**ANSWERS, "conduct": "improper"})
    assert vague.status_code == 400 and "conduct_opinion" in vague.context["form"].errors

    done = client.post(url, ANSWERS)
    assert done.status_code == 302 and done["Location"] == "/gongkai/followups/thanks/"
    f.refresh_from_db()
    assert f.status == Status.ANSWERED and f.answer.answered_by == "online" and f.answer.recorded_by is None
    assert LedgerEntry.objects.filter(act="followup.answered", object_id=str(f.pk)).exists()

    reused = client.post(url, {**ANSWERS, "satisfaction": "dissatisfied"})
    assert reused.status_code == 409
    assert Answer.objects.get().satisfaction == "satisfied"
    with pytest.raises(Conflict):
        services.answer_submit(token=services.questionnaire_token(f), **ANSWERS)


def test_forged_links_are_refused(world, client):
    closed_case(world, closed_on=TODAY - dt.timedelta(days=35))
    services.followups_run(today=TODAY)
    f = Followup.objects.get()
    token = services.questionnaire_token(f)
    altered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.get(f"/gongkai/followups/q/{altered}/").status_code == 400
    assert client.post(f"/gongkai/followups/q/{altered}/", ANSWERS).status_code == 400
    # Signed with the right key but naming the follow-up with a guessed nonce: refused too.
    guessed = signing.dumps({"f": f.pk, "n": "0" * 16}, salt=services.SALT)
    assert client.get(f"/gongkai/followups/q/{guessed}/").status_code == 400
    other_salt = signing.dumps({"f": f.pk, "n": f.nonce}, salt="something.else")
    with pytest.raises(ValidationFailed):
        services.answer_submit(token=other_salt, **ANSWERS)
    assert not Answer.objects.exists()


def test_the_printable_questionnaire_carries_the_link_and_goes_with_the_decision(world):
    case = new_case(world)
    pdf = services.questionnaire_for_case(actor=world.officer1.user, case_id=case.pk)
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    f = Followup.objects.get()
    assert "回访意见表" in text and "张三" in text and "每份意见表只能提交一次" in text
    assert services.questionnaire_token(f)[:20] in text
    assert f.printed_with_decision and f.officer == world.officer1.user
    assert LedgerEntry.objects.filter(act="followup.created", object_id=str(f.pk)).exists()
    # Closing the case later schedules nothing new: the follow-up exists.
    case.status, case.closed_on = "closed", TODAY
    case.save(update_fields=["status", "closed_on"])
    assert services.followups_run(today=TODAY)["created"] == 0
    with pytest.raises(Exception):  # noqa: B017 - an outsider cannot read the case
        services.questionnaire_for_case(actor=world.outsider.user, case_id=case.pk)


def test_the_officer_records_a_call_or_that_the_party_was_not_reached(world, client):
    closed_case(world, closed_on=TODAY - dt.timedelta(days=60))
    services.followups_run(today=TODAY)
    f = Followup.objects.get()
    assert f.status == Status.CALL
    with pytest.raises(PermissionDenied):
        services.mark_unreachable(actor=world.outsider.user, followup=f, note="x")
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor=world.outsider.user).exists()

    client.force_login(world.officer1.user)
    bad = client.post(f"/followups/{f.pk}/", {"action": "unreachable", "note": ""})
    assert bad.status_code == 400
    ok = client.post(f"/followups/{f.pk}/", {"action": "unreachable", "note": "三次电话无人接听，上门未遇"})
    assert ok.status_code == 302
    f.refresh_from_db()
    assert f.status == Status.UNREACHABLE and "上门未遇" in f.note

    paper = client.post(
        f"/followups/{f.pk}/",
        {
            "action": "record",
            "answered_by": "paper",
            **ANSWERS,
            "conduct": "issues",
            "conduct_opinion": "等候时间较长",
        },
    )
    assert paper.status_code == 302
    f.refresh_from_db()
    assert f.status == Status.ANSWERED and f.answer.recorded_by == world.officer1.user
    assert f.answer.answered_by == "paper"
    page = client.get(f"/followups/{f.pk}/")
    assert "等候时间较长" in page.content.decode()
    listing = client.get("/followups/", {"status": "answered"})
    assert listing.context["page"].paginator.count == 1
    pdf = client.get(f"/followups/{f.pk}/questionnaire.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_satisfaction_summary_for_supervision(world):
    for days in (40, 45, 50, 55):
        closed_case(world, closed_on=TODAY - dt.timedelta(days=days))
    services.followups_run(today=TODAY)
    fs = list(Followup.objects.order_by("pk"))
    services.answer_submit(token=services.questionnaire_token(fs[0]), **ANSWERS)
    services.answer_submit(
        token=services.questionnaire_token(fs[1]), **{**ANSWERS, "satisfaction": "very_satisfied"}
    )
    services.answer_record(
        actor=world.officer1.user,
        followup=fs[2],
        answered_by="phone",
        **{
            **ANSWERS,
            "satisfaction": "dissatisfied",
            "rectification": "in_progress",
            "conduct": "improper",
            "conduct_opinion": "态度生硬",
        },
    )
    summary = selectors.satisfaction_summary([world.agency.pk], TODAY - dt.timedelta(days=60), TODAY)
    assert summary["followups"] == 4 and summary["answered"] == 3 and summary["to_call"] == 1
    assert summary["satisfaction"] == {"satisfied": 1, "very_satisfied": 1, "dissatisfied": 1}
    assert summary["satisfaction_rate"] == round(2 / 3, 4)
    assert summary["conduct_complaints"] == 1 and summary["rectification"]["in_progress"] == 1
    assert summary["answered_by"] == {"online": 2, "phone": 1}
    other = selectors.satisfaction_summary([world.agency.pk + 999], TODAY - dt.timedelta(days=60), TODAY)
    assert other["followups"] == 0 and other["satisfaction_rate"] is None


def test_rules_are_data_edited_by_the_system_administrator(world, client):
    rule = FollowupRule.objects.get(source="case_closed")
    assert rule.days_after == 30 and rule.answer_days == 15
    with pytest.raises(PermissionDenied):
        services.rule_update(
            actor=world.officer1.user,
            rule=rule,
            version=1,
            days_after=10,
            answer_days=5,
            by_whom="x",
            method="",
            active=True,
        )
    admin = OfficerFactory(agency=world.agency, roles=[Role.SYSTEM_ADMIN])
    force_login_verified(client, admin.user)
    bad = client.post(
        f"/followups/rules/{rule.pk}/",
        {"version": 1, "days_after": 10, "answer_days": 0, "by_whom": "承办人员"},
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/followups/rules/{rule.pk}/",
        {
            "version": 1,
            "days_after": 10,
            "answer_days": 7,
            "by_whom": "承办人员",
            "method": "电话",
            "active": "on",
        },
    )
    assert ok.status_code == 302
    rule.refresh_from_db()
    assert rule.days_after == 10 and rule.version == 2
    entry = LedgerEntry.objects.filter(act="followup.rule_changed").get()
    assert json.loads(entry.payload)["old"]["days_after"] == 30
    stale = client.post(
        f"/followups/rules/{rule.pk}/",
        {"version": 1, "days_after": 20, "answer_days": 7, "by_whom": "承办人员", "active": "on"},
    )
    assert stale.status_code == 400


def test_delivering_the_decision_hands_over_the_questionnaire_and_the_receipt_says_so(world):
    from cases.selectors import case_deliveries
    from cases.tests.factories import walk
    from cases.tests.test_documents_flow import pdf_text
    from documents.selectors import visible_documents

    case = walk(new_case(world), world, "delivered")
    f = Followup.objects.get(subject_type="cases.case", subject_id=str(case.pk))
    assert f.printed_with_decision and f.party_name == "张三"
    assert LedgerEntry.objects.filter(act="followup.printed", object_id=str(f.pk)).count() == 1
    delivery = case_deliveries(case=case).get(document="decision")
    receipt = pdf_text(visible_documents(world.officer1.user).get(pk=delivery.receipt_document_id)).replace(
        "\n", ""
    )
    assert "随附：行政执法回访意见表" in receipt and f"第{f.pk}号" in receipt
    # printing the questionnaire afterwards notes nothing twice
    services.questionnaire_for_case(actor=world.officer1.user, case_id=case.pk)
    assert LedgerEntry.objects.filter(act="followup.printed", object_id=str(f.pk)).count() == 1


def test_no_questionnaire_goes_out_when_the_rule_for_closed_cases_is_off(world):
    from cases.selectors import case_deliveries
    from cases.tests.factories import walk
    from cases.tests.test_documents_flow import pdf_text
    from documents.selectors import visible_documents

    FollowupRule.objects.filter(source="case_closed").update(active=False)
    case = walk(new_case(world), world, "delivered")
    assert not Followup.objects.exists()
    delivery = case_deliveries(case=case).get(document="decision")
    assert "回访意见表" not in pdf_text(
        visible_documents(world.officer1.user).get(pk=delivery.receipt_document_id)
    )
