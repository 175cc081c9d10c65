"""The case page's own forms: facts, discretion, delivery, payments, remedies, recusal, review links."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseOfficer, CaseStatus, Delivery, Payment, Recusal, Remedy
from cases.services import case_facts_update, recusal_apply
from cases.services.execution import payment_due_date
from cases.tests.factories import act, new_case, walk
from catalog.tests.factories import occupation_standard
from org.mfa import force_login_verified

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case(world):
    return new_case(world)


def _login(client, officer):
    force_login_verified(client, officer.user)
    return client


def _page(client, case):
    return client.get(reverse("cases:case_detail", args=[case.pk]))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---------------------------------------------------------------- facts and discretion


def test_facts_form_saves_violation_dates_land_class_and_converts_mu(client, world, case):
    occupation_standard(agency=world.agency)
    _login(client, world.officer1)
    started = (TODAY() - datetime.timedelta(days=100)).isoformat()
    ended = (TODAY() - datetime.timedelta(days=10)).isoformat()
    response = client.post(
        reverse("cases:facts_edit", args=[case.pk]),
        {
            "violation_code": "illegal_occupation",
            "act_started_on": started,
            "act_ended_on": ended,
            "land_class": "farmland",
            "area_mu": "1.5",
            "illegal_income": "12000.50",
            "first_violation": "on",
        },
    )
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    assert case.violation_code == "illegal_occupation"
    assert case.act_ended_on == TODAY() - datetime.timedelta(days=10)
    assert case.facts["area_m2"] == "1000.00"  # 1.5 亩 × 666.67
    assert case.facts["land_class"] == "farmland"
    assert case.facts["illegal_income"] == "12000.50" and case.facts["first_violation"] is True
    text = _text(_page(client, case).text)
    assert "1000.00 m²" in text and "1.50 亩" in text
    assert "初次违法" in text


def test_the_facts_form_is_fetched_when_its_panel_opens_and_stands_alone_without_javascript(
    client, world, case
):
    occupation_standard(agency=world.agency)
    case_facts_update(actor=world.head.user, case=case, violation_code="illegal_occupation")
    _login(client, world.officer1)
    url = reverse("cases:facts_edit", args=[case.pk])
    page = _page(client, case).text
    # the case page carries the panel and a link, not the form (it is built when asked for)
    assert 'id="facts-edit"' in page and f'hx-get="{url}"' in page and 'name="act_started_on"' not in page
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f'action="{url}"' in fragment.text and "csrfmiddlewaretoken" in fragment.text
    assert re.search(r'<option value="illegal_occupation" selected>', fragment.text)
    alone = client.get(url)
    assert alone.status_code == 200 and "<html" in alone.text and 'name="area_m2"' in alone.text
    # someone who may not act on the case gets neither
    client.logout()
    _login(client, world.outsider)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code in (403, 404)


def test_facts_form_refuses_end_before_start_in_chinese_and_keeps_input(client, world, case):
    _login(client, world.officer1)
    before = case.version
    response = client.post(
        reverse("cases:facts_edit", args=[case.pk]),
        {
            "act_started_on": (TODAY() - datetime.timedelta(days=5)).isoformat(),
            "act_ended_on": (TODAY() - datetime.timedelta(days=9)).isoformat(),
            "land_class": "basic_farmland",
            "area_m2": "4321.5",
        },
    )
    assert response.status_code == 400
    assert "违法行为终了日期不能早于开始日期" in response.text
    assert 'value="4321.5"' in response.text
    assert re.search(r'<option value="basic_farmland" selected>', response.text)
    case.refresh_from_db()
    assert case.version == before


def test_facts_form_refuses_a_bad_amount_and_a_future_start(client, world, case):
    _login(client, world.officer1)
    response = client.post(
        reverse("cases:facts_edit", args=[case.pk]),
        {
            "act_started_on": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "area_m2": "十亩",
            "illegal_income": "-1",
        },
    )
    assert response.status_code == 400
    assert 'value="十亩"' in response.text
    assert "请填写以元为单位的金额" in response.text
    assert "违法行为开始日期不能晚于今天" in response.text


def test_discretion_panel_shows_standard_tier_range_recommendation_and_comparison(client, world, case):
    occupation_standard(agency=world.agency)
    case_facts_update(
        actor=world.head.user,
        case=case,
        violation_code="illegal_occupation",
        facts={"land_class": "farmland", "area_m2": "300"},
    )
    case.refresh_from_db()
    case = walk(case, world, CaseStatus.INVESTIGATING)
    case = act(
        case, world, "report", data={"proposed_outcome": "penalty", "kinds": ["fine"], "amount": "45000.00"}
    )
    text = _text(_login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk])).text)
    # farmland, 300 m² = 0.45 亩 < 10 亩: 轻微, 100–300 yuan/m² → 30,000–90,000, recommended at 50 %
    assert "illegal_occupation 非法占用土地 · v1" in text
    assert "轻微" in text
    assert "30000.00 – 90000.00" in text
    assert "60000.00" in text
    assert "拟罚款金额 45000.00 元 · 在裁量幅度内 · 与建议金额相差 -15000.00 元" in text
    assert "《行政处罚法》第37条" in text  # the version chosen, and why


def test_discretion_panel_says_what_is_missing(client, world, case):
    text = _text(_login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk])).text)
    assert "请在案件事实中选择违法行为" in text


# ---------------------------------------------------------------- delivery


def test_deliver_form_offers_every_delivery_field(client, world, case):
    case = walk(case, world, CaseStatus.DECIDED)
    page = _login(client, world.officer1).get(reverse("cases:case_action", args=[case.pk, "deliver"]))
    for name in (
        "method",
        "delivered_on",
        "recipient",
        "witness",
        "consent_signed",
        "electronic_address",
        "announced_on",
    ):
        assert f'name="{name}"' in page.text, name
    for method in ("in_person", "left_at_residence", "post", "entrusted", "electronic", "public_notice"):
        assert f'value="{method}"' in page.text, method


def test_electronic_delivery_without_consent_is_refused_with_its_article(client, world, case):
    case = walk(case, world, CaseStatus.DECIDED)
    _login(client, world.officer1)
    url = reverse("cases:case_action", args=[case.pk, "deliver"])
    body = {"version": case.version, "method": "electronic", "delivered_on": TODAY().isoformat()}
    refused = client.post(url, body)
    assert refused.status_code == 409
    assert "确认书" in refused.text and "行政处罚法 Art.61" in refused.text
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and not Delivery.objects.filter(document="decision").exists()
    no_address = client.post(url, {**body, "consent_signed": "on", "recipient": "张三"})
    assert no_address.status_code == 409 and "电子送达确认书" in no_address.text  # where was it sent?
    ok = client.post(
        url,
        {**body, "consent_signed": "on", "recipient": "张三", "electronic_address": "zhangsan@example.com"},
    )
    assert ok.status_code == 302, ok.text
    case.refresh_from_db()
    delivery = Delivery.objects.get(case=case, document="decision")
    assert case.status == CaseStatus.DELIVERED
    assert (delivery.method, delivery.consent_signed, delivery.recipient) == ("electronic", True, "张三")


def test_left_at_residence_needs_a_witness_and_then_succeeds(client, world, case):
    case = walk(case, world, CaseStatus.DECIDED)
    _login(client, world.officer1)
    url = reverse("cases:case_action", args=[case.pk, "deliver"])
    body = {"version": case.version, "method": "left_at_residence", "delivered_on": TODAY().isoformat()}
    refused = client.post(url, body)
    assert refused.status_code == 409 and "民事诉讼法 Art.89" in refused.text
    assert client.post(url, {**body, "witness": "村委会主任李四"}).status_code == 302
    assert Delivery.objects.get(case=case, document="decision").witness == "村委会主任李四"


def test_public_notice_of_the_notice_counts_as_served_30_days_after_announcement(client, world, case):
    case = walk(case, world, CaseStatus.INVESTIGATION_REPORTED)
    _login(client, world.officer1)
    response = client.post(
        reverse("cases:case_action", args=[case.pk, "notify"]),
        {"version": case.version, "method": "public_notice", "announced_on": TODAY().isoformat()},
    )
    assert response.status_code == 302, response.text
    delivery = Delivery.objects.get(case=case, document="notice")
    assert delivery.delivered_on == TODAY() + datetime.timedelta(days=30)


def test_delivery_without_a_date_is_refused_on_the_field_and_keeps_the_method(client, world, case):
    case = walk(case, world, CaseStatus.DECIDED)
    response = _login(client, world.officer1).post(
        reverse("cases:case_action", args=[case.pk, "deliver"]),
        {"version": case.version, "method": "post", "recipient": "王五"},
    )
    assert response.status_code == 400
    assert 'value="王五"' in response.text and re.search(r'value="post"[^>]*checked', response.text)


# ---------------------------------------------------------------- payments


def test_payment_recorded_shows_paid_total_and_what_is_owed(client, world, case):
    case = walk(case, world, CaseStatus.DELIVERED)  # a fine of 5,000 yuan
    _login(client, world.officer1)
    response = client.post(
        reverse("cases:payment_add", args=[case.pk]),
        {"amount": "2000.00", "paid_on": TODAY().isoformat(), "receipt_number": "FS-0001", "channel": "bank"},
    )
    assert response.status_code == 302, response.text
    assert Payment.objects.get(case=case).amount == Decimal("2000.00")
    text = _text(_page(client, case).text)
    assert "已缴合计 2000.00 元" in text
    assert "今日尚欠 3000.00 元" in text
    assert "FS-0001" in text


def test_payment_form_validates_and_keeps_what_was_typed(client, world, case):
    case = walk(case, world, CaseStatus.DELIVERED)
    _login(client, world.officer1)
    url = reverse("cases:payment_add", args=[case.pk])
    bad = client.post(url, {"amount": "12.345", "paid_on": TODAY().isoformat(), "receipt_number": "FS-9"})
    assert bad.status_code == 400
    assert 'value="12.345"' in bad.text and 'value="FS-9"' in bad.text
    assert "请填写以元为单位的金额" in bad.text
    assert not Payment.objects.filter(case=case).exists()


def test_payment_with_a_known_receipt_is_refused_with_the_rule(client, world, case):
    case = walk(case, world, CaseStatus.DELIVERED)
    _login(client, world.officer1)
    url = reverse("cases:payment_add", args=[case.pk])
    body = {"amount": "100.00", "paid_on": TODAY().isoformat(), "receipt_number": "FS-1", "channel": "bank"}
    assert client.post(url, body).status_code == 302
    again = client.post(url, body)
    assert again.status_code == 409
    assert "FS-1" in again.text and "已登记" in again.text
    assert Payment.objects.filter(case=case).count() == 1


def test_late_surcharge_is_shown_as_of_today(client, world):
    start = TODAY() - datetime.timedelta(days=40)
    case = new_case(world, discovered_on=start, act_started_on=start - datetime.timedelta(days=30))
    case = walk(case, world, CaseStatus.DELIVERED, today=start)
    # served on `start`; 15 days to pay, then 3 % of 5,000 yuan per day, capped at the fine
    due = payment_due_date(case)
    assert due is not None and due < TODAY()
    expected = min(Decimal("150.00") * (TODAY() - due).days, Decimal("5000.00"))
    text = _text(_login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk])).text)
    assert f"今日加处罚款 {expected:.2f} 元" in text


def test_no_payment_form_without_a_decided_fine(client, world, case):
    page = _login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk]))
    assert reverse("cases:payment_add", args=[case.pk]) not in page.text


# ---------------------------------------------------------------- remedies


def test_remedy_application_and_changed_outcome_update_the_case(client, world, case):
    case = walk(case, world, CaseStatus.DELIVERED)
    _login(client, world.officer1)
    response = client.post(
        reverse("cases:remedy_add", args=[case.pk]),
        {"kind": "reconsideration", "filed_on": TODAY().isoformat(), "body": "县人民政府"},
    )
    assert response.status_code == 302, response.text
    remedy = Remedy.objects.get(case=case)
    page = _page(client, case)
    assert (
        "县人民政府" in page.text and reverse("cases:remedy_outcome", args=[case.pk, remedy.pk]) in page.text
    )
    prefix = f"r{remedy.pk}-"
    response = client.post(
        reverse("cases:remedy_outcome", args=[case.pk, remedy.pk]),
        {
            prefix + "outcome": "changed",
            prefix + "decided_on": TODAY().isoformat(),
            prefix + "changed_amount": "3000",
        },
    )
    assert response.status_code == 302, response.text
    case.refresh_from_db()
    remedy.refresh_from_db()
    assert remedy.outcome == "changed" and case.decided_amount == Decimal("3000")
    assert "变更" in _page(client, case).text


def test_remedy_before_the_decision_date_is_refused_on_the_field(client, world, case):
    case = walk(case, world, CaseStatus.DELIVERED)
    response = _login(client, world.officer1).post(
        reverse("cases:remedy_add", args=[case.pk]),
        {
            "kind": "litigation",
            "filed_on": (TODAY() - datetime.timedelta(days=3)).isoformat(),
            "body": "县人民法院",
        },
    )
    assert response.status_code == 400
    assert "申请日期早于作出决定的日期" in response.text and 'value="县人民法院"' in response.text
    assert not Remedy.objects.filter(case=case).exists()


# ---------------------------------------------------------------- recusal


def test_recusal_form_is_fetched_by_the_panel_or_opened_as_a_page(client, world, case):
    _login(client, world.officer1)
    url = reverse("cases:recusal_add", args=[case.pk])
    page = _page(client, case).text
    assert f'hx-get="{url}"' in page and 'name="applied_by"' not in page
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f'action="{url}"' in fragment.text and 'name="applied_by"' in fragment.text
    # the case's active officers are the choices
    assert f'<option value="{world.officer2.pk}"' in fragment.text
    alone = client.get(url)
    assert alone.status_code == 200 and "<html" in alone.text and 'name="applied_by"' in alone.text
    assert "<h1" in alone.text and "申请回避" in alone.text and "行政处罚法 Art.43" in alone.text
    client.logout()
    _login(client, world.outsider)
    assert client.get(url).status_code in (403, 404)


def test_party_applies_for_recusal_and_the_head_grants_it_with_reassignment(client, world, case):
    _login(client, world.officer2)
    response = client.post(
        reverse("cases:recusal_add", args=[case.pk]),
        {"officer_id": world.officer1.pk, "applied_by": "party", "reason": "与当事人系近亲属"},
    )
    assert response.status_code == 302, response.text
    recusal = Recusal.objects.get(case=case)
    # an officer sees no decision form and may not decide
    assert reverse("cases:recusal_decide", args=[case.pk, recusal.pk]) not in _page(client, case).text
    prefix = f"d{recusal.pk}-"
    denied = client.post(
        reverse("cases:recusal_decide", args=[case.pk, recusal.pk]), {prefix + "decision": "granted"}
    )
    assert denied.status_code == 403
    _login(client, world.head)
    assert reverse("cases:recusal_decide", args=[case.pk, recusal.pk]) in _page(client, case).text
    response = client.post(
        reverse("cases:recusal_decide", args=[case.pk, recusal.pk]),
        {
            prefix + "decision": "granted",
            prefix + "reason": "理由成立",
            prefix + "replacement_id": world.chair.pk,
        },
    )
    assert response.status_code == 302, response.text
    recusal.refresh_from_db()
    assert recusal.outcome == "granted"
    assert not CaseOfficer.objects.filter(case=case, officer=world.officer1, active=True).exists()
    assert CaseOfficer.objects.get(case=case, officer=world.chair, active=True).role == "lead"


def test_recusal_reassigning_a_withdrawn_officer_undoes_the_decision(client, world, case):
    recusal = recusal_apply(
        actor=world.officer1.user,
        case=case,
        officer_id=world.officer1.pk,
        applied_by="officer",
        reason="利害关系",
    )
    _login(client, world.head)
    prefix = f"d{recusal.pk}-"
    response = client.post(
        reverse("cases:recusal_decide", args=[case.pk, recusal.pk]),
        {prefix + "decision": "granted", prefix + "replacement_id": world.officer1.pk},
    )
    assert response.status_code == 409
    assert "回避" in response.text
    recusal.refresh_from_db()
    assert recusal.outcome == "pending"  # nothing half-done
    assert CaseOfficer.objects.filter(case=case, officer=world.officer1, active=True).exists()


def test_recusal_application_needs_a_reason(client, world, case):
    response = _login(client, world.officer1).post(
        reverse("cases:recusal_add", args=[case.pk]),
        {"officer_id": world.officer2.pk, "applied_by": "officer", "reason": ""},
    )
    assert response.status_code == 400 and "此项为必填项" in response.text
    assert not Recusal.objects.exists()


# ---------------------------------------------------------------- review steps


def test_required_legal_review_links_to_the_review_submit_screen(client, world, case, review_passed):
    review_passed.status["legal_review"] = "none"
    review_passed.status["deliberation"] = "none"
    case_facts_update(actor=world.head.user, case=case, facts={"complex_case": True})
    text = _login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk])).text
    assert reverse("review:submit", args=[case.pk]) in text
    assert reverse("review:deliberation", args=[case.pk]) in text
    assert reverse("review:risk_assessment", args=[case.pk]) not in text  # not required
    plain = _text(text)
    assert "案件情况疑难复杂" in plain and "尚未开始" in plain


def test_passed_review_shows_its_status_and_no_link(client, world, case, review_passed):
    review_passed.status["legal_review"] = "passed"
    case_facts_update(actor=world.head.user, case=case, facts={"complex_case": True})
    text = _login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk])).text
    assert reverse("review:submit", args=[case.pk]) not in text
    assert "已通过" in _text(text)


# ---------------------------------------------------------------- phone


def test_case_page_loads_the_phone_styles_and_keeps_the_csp(client, world, case):
    page = _login(client, world.officer1).get(reverse("cases:case_detail", args=[case.pk]))
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page.text
    assert "cases/cases.css" in page.text
    assert "<style" not in page.text and " style=" not in page.text


def test_the_case_page_links_the_supervision_orders_of_the_case(client, world, case):
    _login(client, world.officer1)
    url = reverse("supervision:case_duban", args=[case.pk])
    assert f'href="{url}"' in _page(client, case).text
    assert client.get(url).status_code == 200


def test_recusal_form_is_fetched_when_its_panel_opens(client, world, case):
    """The case page carries a link (and an htmx trigger) instead of the form; the form comes from
    GET of the same URL the form posts to: bare for the panel, a page of its own without JavaScript."""
    _login(client, world.officer1)
    url = reverse("cases:recusal_add", args=[case.pk])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).text
    assert f'hx-get="{url}"' in page and 'name="reason"' not in page.split('id="recusal-apply"')[1]
    bare = client.get(url, HTTP_HX_REQUEST="true")
    assert bare.status_code == 200 and "<html" not in bare.text
    assert 'name="officer_id"' in bare.text and world.officer2.name in bare.text
    full = client.get(url)
    assert full.status_code == 200 and "<html" in full.text and 'name="applied_by"' in full.text
    # an application with errors re-renders the case page with the form open and what was typed
    refused = client.post(url, {"officer_id": world.officer2.pk, "applied_by": "officer", "reason": ""})
    assert refused.status_code == 400 and '<details id="recusal-apply" open>' in refused.text


def test_recusal_form_page_is_for_those_who_may_act(client, world, case):
    _login(client, world.outsider)
    assert client.get(reverse("cases:recusal_add", args=[case.pk])).status_code in (403, 404)
