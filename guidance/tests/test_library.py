"""The typical-case library: drafting (by hand, from a closed case with masking), review, portal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.errors import Conflict, DomainError, PermissionDenied
from guidance import selectors, services
from guidance.models import TypicalStatus

DATA = {
    "category": "method",
    "field": "land",
    "method": "interview",
    "title": "约谈促使企业主动退还违法占地",
    "summary": "对初次违法且情节轻微的企业采取约谈方式，企业主动拆除并退还土地。",
    "body": "某企业未经批准占用集体土地堆放建材。执法人员约谈企业负责人，讲解法律规定，"
    "企业当场承诺十日内清理。",
    "lessons": "约谈适用于初次、轻微且能及时纠正的违法行为。",
}


def draft(world, **overrides):
    return services.typical_case_create(actor=world.officer.user, data={**DATA, **overrides})


def test_hand_written_entry_is_reviewed_by_another_and_appears_on_the_portal(world):
    tc = draft(world)
    services.typical_case_submit(actor=world.officer.user, typical_case=tc)
    with pytest.raises(PermissionDenied):  # the author does not review
        services.typical_case_review(actor=world.officer.user, typical_case=tc, publish=True)
    tc = services.typical_case_review(actor=world.reviewer.user, typical_case=tc, publish=True)
    assert tc.status == TypicalStatus.PUBLISHED and tc.published_on

    client = Client()
    listing = client.get(reverse("guidance_public:index"), {"q": "约谈", "method": "interview"})
    assert listing.status_code == 200 and tc.title in listing.content.decode()
    assert (
        client.get(reverse("guidance_public:index"), {"field": "mineral"}).context["page"].paginator.count
        == 0
    )
    assert client.get(reverse("guidance_public:case", args=[tc.pk])).status_code == 200


def test_a_draft_is_not_on_the_portal_and_a_withdrawn_entry_leaves_it(world):
    tc = draft(world)
    assert Client().get(reverse("guidance_public:case", args=[tc.pk])).status_code == 404
    services.typical_case_submit(actor=world.officer.user, typical_case=tc)
    services.typical_case_review(actor=world.head.user, typical_case=tc, publish=True)
    services.typical_case_withdraw(actor=world.head.user, typical_case=tc, reason="案例所涉决定被撤销")
    assert Client().get(reverse("guidance_public:case", args=[tc.pk])).status_code == 404


def test_publication_is_refused_while_personal_data_remains(world):
    tc = draft(world, body="当事人张三（身份证号360722196310251493，电话13812345678）占用土地。")
    services.typical_case_submit(actor=world.officer.user, typical_case=tc)
    with pytest.raises(DomainError) as exc:
        services.typical_case_review(actor=world.reviewer.user, typical_case=tc, publish=True)
    assert exc.value.code == "typical_case_personal_data"
    tc = services.typical_case_review(
        actor=world.reviewer.user, typical_case=tc, publish=False, note="请删去身份证号和电话。"
    )
    assert tc.status == TypicalStatus.DRAFT


def test_concurrent_edits_of_a_draft_the_second_is_told(world):
    tc = draft(world)
    services.typical_case_update(
        actor=world.officer.user, typical_case=tc, data={**DATA, "title": "新标题"}, version=1
    )
    with pytest.raises(Conflict) as exc:
        services.typical_case_update(
            actor=world.officer.user, typical_case=tc, data={**DATA, "title": "另一标题"}, version=1
        )
    assert exc.value.code == "typical_case_stale"


def test_an_open_case_is_not_drafted_from(world):
    from django.utils import timezone

    from cases.services import lead_register

    case = lead_register(
        actor=world.officer.user,
        agency=world.agency,
        source="patrol",
        discovered_on=timezone.localdate(),
        description="占地",
    )
    with pytest.raises(DomainError) as exc:
        services.typical_case_from_case(actor=world.officer.user, case_id=case.pk)
    assert exc.value.code == "typical_case_source_open"


def test_a_draft_from_a_closed_case_is_masked(world, monkeypatch):
    from django.utils import timezone

    from cases.services import lead_register, party_add

    case = lead_register(
        actor=world.officer.user,
        agency=world.agency,
        source="patrol",
        discovered_on=timezone.localdate(),
        description="村民张三未经批准占用耕地建房。",
        title="张三非法占用土地案",
    )
    party_add(
        actor=world.officer.user,
        case=case,
        party_type="natural",
        name="张三",
        id_number="360722196310251493",
        address="新密市来集镇李村5号",
        phone="13812345678",
    )
    # The case is closed by the cases workflow in production; here its status is set for the test.
    type(case).objects.filter(pk=case.pk).update(status="closed")
    tc = services.typical_case_from_case(actor=world.officer.user, case_id=case.pk)
    text = tc.title + tc.body
    assert "张三" not in text and "张某" in text and "360722196310251493" not in text
    assert tc.source_case_id == case.pk and tc.masked_items >= 1
    assert selectors.visible_typical_cases(world.outsider.user).count() == 0


def test_the_portal_lists_the_exemption_list_the_discretion_step_uses(world):
    import datetime

    from catalog.services.discretion import exemption_rule_save

    exemption_rule_save(
        actor=None,
        agency=world.agency,
        power_code="TD-001",
        kind="first_offence",
        required_facts=["first_violation", "minor_harm", "promptly_corrected"],
        effective_from=datetime.date(2024, 1, 1),
        description="首次非法占用一般耕地以外土地不超过50平方米",
    )
    page = Client().get(reverse("guidance_public:exemptions"))
    body = page.content.decode()
    assert page.status_code == 200 and "初次违法、危害后果轻微、及时改正" in body and "TD-001" in body
