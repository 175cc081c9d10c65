"""The summary-procedure screens (简易程序): the on-the-spot wizard, the per-action forms of a summary
case and what the case page shows of it (case.facts["summary"]). The rules themselves are tested in
test_summary.py; here: the screens send every field the rules read, show each refusal with its
article next to the field it concerns, and keep what was typed."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Delivery, LeadSource, Payment, Procedure
from cases.services import case_officer_assign, lead_register, party_add, payment_record
from cases.services.summary import summary_case_record
from cases.tests.factories import RESIDENT_ID
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

S = CaseStatus
TZ = datetime.timezone(datetime.timedelta(hours=8))
BASIS = "《城市道路管理条例》第二十七条、第四十二条"


def _body(world: Any, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "party_type": "natural",
        "party_name": "李四",
        "id_number": RESIDENT_ID,
        "party_address": "城关镇东村三组5号",
        "co_officer_id": str(world.officer2.pk),
        "certificates_shown": "on",
        "findings": "当场查明当事人在人行道上堆放建筑材料，影响通行",
        "location": "城关镇人民路12号",
        "facts_certain": "on",
        "legal_basis": BASIS,
        "rights_informed": "on",
        "kinds": ["fine"],
        "amount": "50.00",
        "remedies_informed": "on",
        "party_signed": "on",
        "payment": "on_spot",
        "receipt_number": "财政票据 0003",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def _post(client, world, **over: Any):
    client.force_login(world.officer1.user)
    return client.post(reverse("cases:summary_new"), _body(world, **over))


def _field_errors(text: str, name: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="id_{name}_error"[^>]*>(.*?)</ul>', text, re.S)
    return html.unescape(found.group(1)) if found else ""


def _summary_case(world: Any) -> Case:
    """A summary-procedure case found on the spot, with its party and two certified officers."""
    head = world.head.user
    case = lead_register(
        actor=head,
        agency=world.agency,
        source=LeadSource.PATROL,
        discovered_on=timezone.localdate(),
        description="占道堆放建筑材料",
        location="城关镇人民路12号",
        procedure=Procedure.SUMMARY,
    )
    party_add(actor=head, case=case, party_type="natural", name="张三", id_number=RESIDENT_ID)
    case_officer_assign(actor=head, case=case, officer_id=world.officer1.pk, role="lead")
    case_officer_assign(actor=head, case=case, officer_id=world.officer2.pk, role="assistant")
    case.refresh_from_db()
    return case


def _wizard(world: Any, **over: Any) -> Case:
    body: dict[str, Any] = {
        "actor": world.officer1.user,
        "agency": world.agency,
        "co_officer_id": world.officer2.pk,
        "party_type": "natural",
        "party_name": "王五",
        "id_number": RESIDENT_ID,
        "findings": "当场查明占道堆放建筑材料",
        "location": "城关镇人民路12号",
        "facts_certain": True,
        "certificates_shown": True,
        "legal_basis": BASIS,
        "rights_informed": True,
        "remedies_informed": True,
        "party_signed": True,
        "kinds": ["fine"],
        "amount": "50.00",
        "payment": "later",
    }
    return summary_case_record(**{**body, **over})


# ---------------------------------------------------------------- the wizard


def test_wizard_offers_the_agencys_other_certified_officers_as_second_officer(client, world):
    uncertified = OfficerFactory(agency=world.agency, name="无证人员")
    client.force_login(world.officer1.user)
    page = client.get(reverse("cases:summary_new"))
    assert page.status_code == 200
    select = re.search(r'<select name="co_officer_id"[^>]*>(.*?)</select>', page.text, re.S)
    assert select
    options = set(re.findall(r'<option value="(\d+)"', select.group(1)))
    assert str(world.officer2.pk) in options and str(world.chair.pk) in options
    assert str(world.officer1.pk) not in options  # not the user
    assert str(world.outsider.pk) not in options  # not another agency
    assert str(uncertified.pk) not in options  # no certificate for the field
    # the steps of the wizard, with Chinese labels and the articles in the help texts
    for text in ("当事人", "第二名执法人员", "处罚依据", "陈述、申辩", "拒绝签收", "行政处罚法 Art.44"):
        assert text in page.text, text


def test_wizard_records_the_case_delivery_and_payment_on_the_spot(client, world):
    response = _post(client, world)
    assert response.status_code == 302, response.text
    case = Case.objects.get(procedure=Procedure.SUMMARY)
    assert response.url == reverse("cases:case_detail", args=[case.pk])
    assert case.status == S.EXECUTED and case.decision_number
    assert set(case.officers.filter(active=True).values_list("officer_id", flat=True)) == {
        world.officer1.pk,
        world.officer2.pk,
    }
    delivery = Delivery.objects.get(case=case, document="decision")
    assert delivery.method == "in_person" and delivery.delivered_on == case.decided_on
    payment = Payment.objects.get(case=case)
    assert (payment.channel, payment.receipt_number, str(payment.amount)) == (
        "on_the_spot",
        "财政票据 0003",
        "50.00",
    )
    summary = case.facts["summary"]
    assert summary["legal_basis"] == BASIS and summary["location"] == "城关镇人民路12号"
    assert summary["certificates_shown"] and summary["rights_informed"] and summary["remedies_informed"]
    assert summary["delivery"]["party_signed"] is True


def test_wizard_fine_paid_later_records_the_delivery_and_no_payment(client, world):
    response = _post(client, world, payment="later", amount="180.00", receipt_number="")
    assert response.status_code == 302, response.text
    case = Case.objects.get(procedure=Procedure.SUMMARY)
    assert case.status == S.EXECUTING
    assert Delivery.objects.filter(case=case, document="decision").count() == 1
    assert not Payment.objects.filter(case=case).exists()


def test_wizard_unsigned_without_refusal_note_is_refused_with_the_rule_and_keeps_what_was_typed(
    client, world
):
    response = _post(
        client,
        world,
        party_signed=None,
        refusal_note="",
        party_statement="当事人称材料明天即清运",
        statement_response="已核实，当事人未能提供清运安排，不予采纳",
    )
    assert response.status_code == 409
    text = html.unescape(response.text)
    # the rule, in Chinese with its article: on top and next to the refusal note
    assert "行政处罚法 Art.52" in text
    note_errors = _field_errors(response.text, "refusal_note")
    assert "行政处罚法 Art.52" in note_errors and "拒绝" in note_errors
    assert not Case.objects.filter(procedure=Procedure.SUMMARY).exists()
    assert not Delivery.objects.exists() and not Payment.objects.exists()
    # everything typed is still there
    for value in ("李四", RESIDENT_ID, "城关镇人民路12号", BASIS, "50.00", "财政票据 0003"):
        assert f'value="{value}"' in text, value
    assert "当场查明当事人在人行道上堆放建筑材料，影响通行" in text
    assert "当事人称材料明天即清运" in text and "不予采纳" in text
    assert re.search(rf'<option value="{world.officer2.pk}" selected>', response.text)
    assert re.search(r'name="rights_informed"[^>]*checked', response.text)
    assert re.search(r'name="remedies_informed"[^>]*checked', response.text)
    assert not re.search(r'name="party_signed"[^>]*checked', response.text)
    # with the refusal noted, the same case is recorded and the note kept with the delivery
    ok = _post(client, world, party_signed=None, refusal_note="当事人拒绝签收，已当场宣读并交付")
    assert ok.status_code == 302, ok.text
    case = Case.objects.get(procedure=Procedure.SUMMARY)
    assert case.facts["summary"]["delivery"] == {
        "id": Delivery.objects.get(case=case).pk,
        "party_signed": False,
        "refusal_note": "当事人拒绝签收，已当场宣读并交付",
    }


def test_wizard_statement_without_response_is_refused_with_art_45_next_to_the_response(client, world):
    response = _post(client, world, party_statement="当事人称不知道此处不能堆放", statement_response="")
    assert response.status_code == 409
    assert "行政处罚法 Art.45" in _field_errors(response.text, "statement_response")
    assert "当事人称不知道此处不能堆放" in html.unescape(response.text)
    assert not Case.objects.filter(procedure=Procedure.SUMMARY).exists()


def test_wizard_unchecked_notices_are_each_refused_with_their_article(client, world):
    response = _post(client, world, rights_informed=None, remedies_informed=None)
    assert response.status_code == 409
    assert "行政处罚法 Art.44" in _field_errors(response.text, "rights_informed")
    assert "行政处罚法 Art.52" in _field_errors(response.text, "remedies_informed")
    response = _post(client, world, certificates_shown=None)
    assert response.status_code == 409
    assert "行政处罚法 Art.52" in _field_errors(response.text, "certificates_shown")
    assert not Case.objects.filter(procedure=Procedure.SUMMARY).exists()


def test_wizard_form_errors_keep_what_was_typed(client, world):
    response = _post(client, world, legal_basis="", location="", co_officer_id="", amount="5O")
    assert response.status_code == 400
    for name in ("legal_basis", "location", "co_officer_id", "amount"):
        assert _field_errors(response.text, name), name
    text = html.unescape(response.text)
    assert 'value="李四"' in text and 'value="5O"' in text
    response = _post(client, world, legal_basis="法" * 256)
    assert response.status_code == 400 and _field_errors(response.text, "legal_basis")
    # a second officer who is the user, or from another agency, is not on offer
    for other in (world.officer1.pk, world.outsider.pk):
        response = _post(client, world, co_officer_id=str(other))
        assert response.status_code == 400 and _field_errors(response.text, "co_officer_id")
    assert not Case.objects.filter(procedure=Procedure.SUMMARY).exists()


# ---------------------------------------------------------------- the per-action forms


def test_record_and_decide_on_the_spot_through_the_action_forms(client, world):
    case = _summary_case(world)
    client.force_login(world.officer1.user)
    url = reverse("cases:case_action", args=[case.pk, "record_on_spot"])
    assert 'name="certificates_shown"' in client.get(url).text
    refused = client.post(
        url, {"version": case.version, "findings": "占道堆放建筑材料", "facts_certain": "on"}
    )
    assert refused.status_code == 409 and "行政处罚法 Art.52" in refused.text
    ok = client.post(
        url,
        {
            "version": case.version,
            "findings": "占道堆放建筑材料",
            "facts_certain": "on",
            "certificates_shown": "on",
        },
    )
    assert ok.status_code == 302, ok.text
    case.refresh_from_db()
    assert case.status == S.REGISTERED
    url = reverse("cases:case_action", args=[case.pk, "decide_on_spot"])
    form = client.get(url).text
    for name in (
        "legal_basis",
        "rights_informed",
        "party_statement",
        "statement_response",
        "remedies_informed",
        "party_signed",
        "refusal_note",
        "decided_on",
    ):
        assert f'name="{name}"' in form, name
    body = {
        "version": case.version,
        "kinds": ["warning"],
        "legal_basis": BASIS,
        "rights_informed": "on",
        "remedies_informed": "on",
    }
    refused = client.post(url, body)
    assert refused.status_code == 409 and "行政处罚法 Art.52" in refused.text
    assert BASIS in html.unescape(refused.text)  # kept
    ok = client.post(url, {**body, "refusal_note": "当事人拒绝签收"})
    assert ok.status_code == 302, ok.text
    case.refresh_from_db()
    assert case.status == S.DECIDED and case.facts["summary"]["legal_basis"] == BASIS
    assert case.facts["summary"]["delivery"]["refusal_note"] == "当事人拒绝签收"


def test_record_payment_form_takes_channel_and_accepts_payments_already_recorded(client, world):
    case = _wizard(world, amount="180.00")
    client.force_login(world.officer1.user)
    url = reverse("cases:case_action", args=[case.pk, "record_payment"])
    form = client.get(url).text
    assert 'name="channel"' in form and 'value="on_the_spot"' not in form
    refused = client.post(url, {"version": case.version, "channel": "bank"})
    assert refused.status_code == 409 and "行政处罚法 Arts.67, 72" in refused.text
    payment_record(
        actor=world.officer1.user,
        case=case,
        amount=Decimal("180.00"),
        paid_on=timezone.localdate(),
        receipt_number="B-7",
        channel="online",
    )
    case.refresh_from_db()
    ok = client.post(url, {"version": case.version, "channel": "online"})
    assert ok.status_code == 302, ok.text
    case.refresh_from_db()
    assert case.status == S.EXECUTED and case.execution["receipt_number"] == "B-7"


def test_record_payment_form_with_the_payment(client, world):
    case = _wizard(world, amount="180.00")
    client.force_login(world.officer1.user)
    url = reverse("cases:case_action", args=[case.pk, "record_payment"])
    today = timezone.localdate().isoformat()
    body = {"version": case.version, "channel": "bank", "paid_amount": "180.00", "receipt_number": "B-9"}
    missing_date = client.post(url, body)
    assert missing_date.status_code == 400 and 'value="B-9"' in missing_date.text
    ok = client.post(url, {**body, "paid_on": today})
    assert ok.status_code == 302, ok.text
    assert Payment.objects.get(case=case).channel == "bank"


# ---------------------------------------------------------------- filing and the case page


def test_filing_while_the_fine_is_unpaid_from_the_case_page(client, world):
    case = _wizard(world, amount="180.00")
    client.force_login(world.officer1.user)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    url = reverse("cases:case_action", args=[case.pk, "file_pending_payment"])
    assert url in page.text
    assert "尚未备案" in page.text
    assert 'name="filed_on"' in client.get(url).text
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    refused = client.post(url, {"version": case.version, "filed_on": future})
    assert refused.status_code == 409 and "行政处罚法 Art.52" in refused.text
    ok = client.post(url, {"version": case.version, "filed_on": ""})
    assert ok.status_code == 302, ok.text
    case.refresh_from_db()
    assert case.status == S.EXECUTING
    assert case.facts["summary"]["filed_on"] == timezone.localdate().isoformat()
    assert case.facts["summary"]["filed_late"] is False
    page = client.get(reverse("cases:case_detail", args=[case.pk])).text
    filing = re.search(r'<dd class="filing">(.*?)</dd>', page, re.S)
    assert filing and timezone.localdate().isoformat() in filing.group(1) and "逾期" not in filing.group(1)
    assert url not in page  # filed once: the action is shown disabled with its reason
    assert "该处罚决定已报所属行政机关备案" in page


def test_case_page_shows_the_summary_facts_refusal_note_and_late_filing(client, world):
    decided = datetime.date(2026, 9, 29)
    with time_machine.travel(datetime.datetime(2026, 9, 29, 10, tzinfo=TZ), tick=False):
        case = _wizard(
            world,
            payment="on_spot",
            receipt_number="财政票据 0009",
            party_signed=False,
            refusal_note="当事人拒绝签收，已当场宣读并交付",
        )
    assert case.decided_on == decided
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, tzinfo=TZ), tick=False):
        client.force_login(world.officer1.user)
        ok = client.post(
            reverse("cases:case_action", args=[case.pk, "file_with_agency"]),
            {"version": case.version, "filed_on": "2026-10-12"},
        )
        assert ok.status_code == 302, ok.text
        page = client.get(reverse("cases:case_detail", args=[case.pk])).text
    section = re.search(r'<section class="card summary-facts".*?</section>', page, re.S)
    assert section
    text = html.unescape(section.group(0))
    assert BASIS in text
    assert "当事人拒绝签收，已当场宣读并交付" in text
    filing = re.search(r'<dd class="filing">(.*?)</dd>', text, re.S)
    assert filing and "2026-10-12" in filing.group(1) and "逾期备案" in filing.group(1)
    assert "{" not in page.split('id="summary"')[0].split('id="facts-title"')[-1]  # no raw dict


def test_case_page_shows_a_signature_on_the_spot(client, world):
    case = _wizard(world)
    client.force_login(world.officer1.user)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).text
    receipt = re.search(r'<dd class="receipt">(.*?)</dd>', page, re.S)
    assert receipt and "当事人当场签收" in receipt.group(1)
