"""Editing screens: the system administrator creates, revises, publishes and retires catalog rows;
everyone else gets 403 (recorded); refusals of the services appear on the form in Chinese."""

import datetime
import json

import pytest
from django.urls import reverse

from catalog.models import (
    DiscretionStandard,
    ExemptionRule,
    LegalProvision,
    MajorDecisionRule,
    PowerItem,
    VersionStatus,
)
from catalog.services import power_item_create
from catalog.tests.factories import (
    LegalProvisionFactory,
    admin_of,
    occupation_fields,
    occupation_standard,
    occupation_tiers,
    officer_of,
)
from core.models import LedgerEntry
from org.mfa import force_login_verified
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def admin(client, agency):
    user = admin_of(agency)
    force_login_verified(client, user)
    return user


@pytest.fixture
def officer(client, agency):
    user = officer_of(agency)
    force_login_verified(client, user)
    return user


def last_act(obj, act):
    entry = (
        LedgerEntry.objects.filter(act=act, object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-seq")
        .first()
    )
    assert entry is not None, f"no {act} act for {obj!r}"
    return entry


def denials():
    return LedgerEntry.objects.filter(act="auth.permission_denied").count()


def power_data(agency, **overrides):
    return {
        "agency": agency.pk,
        "code": "ZR-JC-099",
        "name": "土地卫片执法检查",
        "kind": "inspection",
    } | overrides


def draft_item(agency, code="ZR-JC-001"):
    return power_item_create(
        actor=None,
        agency=agency,
        code=code,
        content={"name": "矿产资源开发利用监督检查", "kind": "inspection"},
    )


# ---------------------------------------------------------------- power items


def test_given_the_admin_when_creating_a_power_item_then_a_draft_is_saved_and_recorded(client, admin, agency):
    basis = LegalProvisionFactory()
    response = client.post(reverse("catalog:power_create"), power_data(agency, legal_bases=[basis.pk]))
    item = PowerItem.objects.get(agency=agency, code="ZR-JC-099")
    assert response.status_code == 302 and response["Location"] == reverse(
        "catalog:power_detail", args=[item.pk]
    )
    assert item.status == VersionStatus.DRAFT and list(item.legal_bases.all()) == [basis]
    entry = last_act(item, "catalog.power_create")
    assert entry.actor_id == admin.pk and json.loads(entry.payload)["new"]["name"] == "土地卫片执法检查"
    page = client.get(response["Location"]).content.decode()
    assert "已保存为草稿" in page and reverse("catalog:power_publish", args=[item.pk]) in page


def test_given_a_draft_when_the_admin_publishes_then_it_is_in_force_and_recorded(client, admin, agency):
    item = draft_item(agency)
    response = client.post(reverse("catalog:power_publish", args=[item.pk]), {"day": "2025-03-01"})
    item.refresh_from_db()
    assert response.status_code == 302
    assert item.status == VersionStatus.PUBLISHED and item.valid_from == datetime.date(2025, 3, 1)
    assert json.loads(last_act(item, "catalog.power_publish").payload)["valid_from"] == "2025-03-01"


def test_given_a_published_item_when_revised_then_a_new_draft_version_keeps_the_old_one(
    client, admin, agency
):
    item = draft_item(agency)
    client.post(reverse("catalog:power_publish", args=[item.pk]), {"day": "2025-03-01"})
    response = client.post(
        reverse("catalog:power_revise", args=[item.pk]),
        {"name": "矿产资源监督检查（修订）", "kind": "inspection"},
    )
    new = PowerItem.objects.get(agency=agency, code=item.code, version=2)
    assert response["Location"] == reverse("catalog:power_detail", args=[new.pk])
    assert new.status == VersionStatus.DRAFT and new.name == "矿产资源监督检查（修订）"
    assert PowerItem.objects.get(pk=item.pk).name == "矿产资源开发利用监督检查"
    assert json.loads(last_act(new, "catalog.power_revise").payload)["from_version"] == 1


def test_given_a_published_item_when_retired_then_it_ends_on_that_day(client, admin, agency):
    item = draft_item(agency)
    client.post(reverse("catalog:power_publish", args=[item.pk]), {"day": "2025-03-01"})
    client.post(reverse("catalog:power_retire", args=[item.pk]), {"day": "2026-01-01"})
    item.refresh_from_db()
    assert item.status == VersionStatus.RETIRED and item.valid_until == datetime.date(2026, 1, 1)
    last_act(item, "catalog.power_retire")


def test_given_a_retire_date_before_the_start_then_the_chinese_error_shows_and_nothing_changes(
    client, admin, agency
):
    item = draft_item(agency)
    client.post(reverse("catalog:power_publish", args=[item.pk]), {"day": "2025-03-01"})
    response = client.post(reverse("catalog:power_retire", args=[item.pk]), {"day": "2025-01-01"})
    item.refresh_from_db()
    assert response.status_code == 400 and "有效期的截止日期必须晚于开始日期" in response.content.decode()
    assert item.status == VersionStatus.PUBLISHED and item.valid_until is None


def test_given_a_duplicate_code_then_the_form_shows_why_and_nothing_is_saved(client, admin, agency):
    draft_item(agency, code="ZR-JC-099")
    before = (PowerItem.objects.count(), LedgerEntry.objects.count())
    response = client.post(reverse("catalog:power_create"), power_data(agency))
    text = response.content.decode()
    assert response.status_code == 400 and "ZR-JC-099" in text and "已在本机关权责清单中" in text
    assert (PowerItem.objects.count(), LedgerEntry.objects.count()) == before


def test_given_a_missing_name_then_the_field_error_is_in_chinese_and_nothing_is_saved(client, admin, agency):
    response = client.post(reverse("catalog:power_create"), power_data(agency, name=""))
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()
    assert not PowerItem.objects.filter(code="ZR-JC-099").exists()


def test_given_an_officer_when_posting_any_edit_then_403_and_the_denial_is_recorded(client, officer, agency):
    item = draft_item(agency)
    standard = occupation_standard(agency=agency)
    before = denials()
    posts = [
        (reverse("catalog:power_create"), power_data(agency)),
        (reverse("catalog:power_revise", args=[item.pk]), {"name": "x", "kind": "other"}),
        (reverse("catalog:power_publish", args=[item.pk]), {"day": "2025-01-01"}),
        (reverse("catalog:power_retire", args=[item.pk]), {"day": "2025-01-01"}),
        (reverse("catalog:provision_create"), {"law_name": "土地管理法", "article": "1"}),
        (reverse("catalog:standard_create"), {}),
        (reverse("catalog:standard_edit", args=[standard.pk]), {}),
        (reverse("catalog:standard_publish", args=[standard.pk]), {}),
        (reverse("catalog:standard_retire", args=[standard.pk]), {"day": "2030-01-01"}),
        (reverse("catalog:exemption_edit"), {}),
        (reverse("catalog:major_rule_create"), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert denials() == before + len(posts)
    item.refresh_from_db()
    assert item.status == VersionStatus.DRAFT and not LegalProvision.objects.filter(article=1).exists()


def test_given_an_officer_then_no_edit_buttons_are_shown(client, officer, agency):
    item = draft_item(agency)
    page = client.get(reverse("catalog:power_detail", args=[item.pk])).content.decode()
    assert "edit-actions" not in page and reverse("catalog:power_publish", args=[item.pk]) not in page
    page = client.get(reverse("catalog:power_list")).content.decode()
    assert reverse("catalog:power_create") not in page and reverse("catalog:import") not in page


def test_given_an_admin_of_another_agency_then_403(client, agency):
    item = draft_item(agency)
    force_login_verified(client, admin_of(AgencyFactory()))
    response = client.post(reverse("catalog:power_publish", args=[item.pk]), {"day": "2025-01-01"})
    assert response.status_code in (403, 404)
    assert PowerItem.objects.get(pk=item.pk).status == VersionStatus.DRAFT


# ---------------------------------------------------------------- provisions


def test_given_the_admin_when_saving_a_provision_then_it_is_created_then_updated(client, admin):
    url = reverse("catalog:provision_create")
    data = {"law_name": "土地管理法", "article": "77", "paragraph": "1", "text": "未经批准非法占用土地的……"}
    assert client.post(url, data).status_code == 302
    provision = LegalProvision.objects.get(law_name="土地管理法", article=77, paragraph=1, item=0)
    last_act(provision, "catalog.provision_create")
    edit = reverse("catalog:provision_edit", args=[provision.pk])
    assert client.post(edit, data | {"text": "新条文"}).status_code == 302
    provision.refresh_from_db()
    assert provision.text == "新条文"
    assert (
        json.loads(last_act(provision, "catalog.provision_update").payload)["changes"]["text"]["new"]
        == "新条文"
    )
    assert "土地管理法第77条第1款" in client.get(reverse("catalog:provision_list")).content.decode()


def test_given_a_provision_ending_before_it_starts_then_the_error_shows_and_nothing_is_saved(client, admin):
    data = {
        "law_name": "矿产资源法",
        "article": "3",
        "effective_from": "2025-01-01",
        "effective_until": "2024-01-01",
    }
    response = client.post(reverse("catalog:provision_create"), data)
    assert response.status_code == 400 and "有效期的截止日期必须晚于开始日期" in response.content.decode()
    assert not LegalProvision.objects.filter(law_name="矿产资源法").exists()


# ---------------------------------------------------------------- discretion standards


def standard_post(fields, tiers, initial=0):
    """The POST of the standard form; `initial` = rows the page showed pre-filled (a copy or a draft)."""
    data = {
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": str(initial),
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "1000",
    }
    for key, value in fields.items():
        if isinstance(value, list):
            data[key] = value
        elif value is not None:
            data[key] = str(value) if not isinstance(value, bool) else ("on" if value else "")
    for i, tier in enumerate(tiers):
        for key, value in tier.items():
            if key == "order":
                continue
            data[f"tiers-{i}-{key}"] = (
                value if isinstance(value, list) else ("" if value is None else str(value))
            )
    return data


def test_given_the_admin_when_creating_a_standard_with_tiers_then_a_draft_with_every_tier(
    client, admin, agency
):
    fields = occupation_fields(code="illegal_occupation_x") | {"agency": agency.pk}
    response = client.post(reverse("catalog:standard_create"), standard_post(fields, occupation_tiers()))
    standard = DiscretionStandard.objects.get(agency=agency, code="illegal_occupation_x")
    assert response.status_code == 302, response.content.decode()
    assert standard.status == VersionStatus.DRAFT and standard.tiers.count() == 9
    assert len(json.loads(last_act(standard, "catalog.standard_create").payload)["new"]["tiers"]) == 9
    client.post(reverse("catalog:standard_publish", args=[standard.pk]))
    standard.refresh_from_db()
    assert standard.status == VersionStatus.PUBLISHED
    last_act(standard, "catalog.standard_publish")


def test_given_overlapping_tiers_then_the_message_is_shown_next_to_the_tiers_and_nothing_saved(
    client, admin, agency
):
    tiers = occupation_tiers()
    tiers[1]["range_min"] = 0  # 一般 for 永久基本农田 now overlaps 轻微
    before = LedgerEntry.objects.count()
    fields = occupation_fields(code="overlap") | {"agency": agency.pk}
    response = client.post(reverse("catalog:standard_create"), standard_post(fields, tiers))
    text = response.content.decode()
    assert response.status_code == 400 and 'id="tier-errors"' in text
    tier_block = text.split('id="tier-errors"')[1].split("</ul>")[0]
    assert "重叠" in tier_block and "永久基本农田" in tier_block
    assert not DiscretionStandard.objects.filter(code="overlap").exists()
    assert LedgerEntry.objects.count() == before


def test_given_a_draft_when_the_admin_edits_its_tiers_then_they_are_replaced_and_recorded(
    client, admin, agency
):
    standard = occupation_standard(agency=agency)
    draft = client.post(
        reverse("catalog:standard_create") + f"?from={standard.pk}",
        standard_post(
            occupation_fields(effective_from=datetime.date(2025, 1, 1)) | {"agency": agency.pk},
            occupation_tiers(),
            initial=9,
        ),
    )
    new = DiscretionStandard.objects.get(agency=agency, code=standard.code, version=2)
    assert draft.status_code == 302 and new.status == VersionStatus.DRAFT
    edited = occupation_tiers(bands=((100, 200), (200, 500), (500, 1000)))
    response = client.post(
        reverse("catalog:standard_edit", args=[new.pk]),
        standard_post(occupation_fields(effective_from=datetime.date(2025, 1, 1)), edited, initial=9),
    )
    assert response.status_code == 302
    assert sorted({int(t.penalty_max) for t in new.tiers.all()}) == [200, 500, 1000]
    changes = json.loads(last_act(new, "catalog.standard_update").payload)["changes"]
    assert "tiers" in changes


def test_given_a_new_version_form_then_it_starts_as_a_copy_of_the_tiers(client, admin, agency):
    standard = occupation_standard(agency=agency)
    page = client.get(reverse("catalog:standard_create") + f"?from={standard.pk}").content.decode()
    assert 'name="tiers-TOTAL_FORMS" value="11"' in page and "非法占用土地" in page


def test_given_a_published_standard_when_retired_then_it_ends_and_is_recorded(client, admin, agency):
    standard = occupation_standard(agency=agency)
    response = client.post(reverse("catalog:standard_retire", args=[standard.pk]), {"day": "2030-01-01"})
    standard.refresh_from_db()
    assert response.status_code == 302 and standard.status == VersionStatus.RETIRED
    assert standard.effective_until == datetime.date(2030, 1, 1)
    last_act(standard, "catalog.standard_retire")


def test_given_a_published_standard_when_published_again_then_the_error_is_a_message(client, admin, agency):
    standard = occupation_standard(agency=agency)
    response = client.post(reverse("catalog:standard_publish", args=[standard.pk]), follow=True)
    assert "只有草稿可以发布" in response.content.decode()


# ---------------------------------------------------------------- exemptions and major-decision rules


def test_given_the_admin_when_saving_an_exemption_then_it_is_stored_and_recorded(client, admin, agency):
    data = {
        "agency": agency.pk,
        "power_code": "ZR-CF-001",
        "kind": "first_offence",
        "required_facts": ["first_violation", "promptly_corrected"],
        "max_area_m2": "50",
        "effective_from": "2024-01-01",
    }
    assert client.post(reverse("catalog:exemption_edit"), data).status_code == 302
    rule = ExemptionRule.objects.get(agency=agency, power_code="ZR-CF-001")
    assert rule.required_facts == ["first_violation", "promptly_corrected"]
    last_act(rule, "catalog.exemption_save")
    bad = client.post(reverse("catalog:exemption_edit"), data | {"required_facts": []})
    assert bad.status_code == 400 and "此项为必填项" in bad.content.decode()


def rule_data(agency, **overrides):
    return {
        "agency": agency.pk,
        "name": "对单位处5万元以上罚款须法制审核",
        "trigger": "fine_at_least",
        "party_kind": "organisation",
        "amount": "50000",
        "requirement": "legal_review",
        "basis": "本省重大执法决定法制审核目录",
        "effective_from": "2025-01-01",
    } | overrides


def test_given_the_admin_when_adding_updating_and_retiring_a_rule_then_each_is_recorded(
    client, admin, agency
):
    assert client.post(reverse("catalog:major_rule_create"), rule_data(agency)).status_code == 302
    rule = MajorDecisionRule.objects.get(agency=agency)
    last_act(rule, "catalog.major_rule_create")
    page = client.get(reverse("catalog:major_rules")).content.decode()
    assert reverse("catalog:major_rule_edit", args=[rule.pk]) in page
    edit = client.post(reverse("catalog:major_rule_edit", args=[rule.pk]), rule_data(agency, amount="80000"))
    rule.refresh_from_db()
    assert edit.status_code == 302 and rule.amount == 80000
    assert (
        json.loads(last_act(rule, "catalog.major_rule_update").payload)["changes"]["amount"]["new"] == "80000"
    )
    client.post(reverse("catalog:major_rule_retire", args=[rule.pk]), {"day": "2026-01-01"})
    rule.refresh_from_db()
    assert rule.effective_until == datetime.date(2026, 1, 1)
    last_act(rule, "catalog.major_rule_retire")


def test_given_an_amount_rule_without_amount_then_the_chinese_error_shows_and_nothing_saved(
    client, admin, agency
):
    response = client.post(reverse("catalog:major_rule_create"), rule_data(agency, amount=""))
    assert response.status_code == 400 and "数额条件须填写" in response.content.decode()
    assert not MajorDecisionRule.objects.filter(agency=agency).exists()


def test_given_a_default_rule_then_the_admin_sees_no_edit_link_and_gets_403(client, admin):
    rule = MajorDecisionRule.objects.filter(agency__isnull=True).first()
    page = client.get(reverse("catalog:major_rules")).content.decode()
    assert reverse("catalog:major_rule_edit", args=[rule.pk]) not in page
    before = denials()
    response = client.post(reverse("catalog:major_rule_retire", args=[rule.pk]), {"day": "2030-01-01"})
    assert response.status_code == 403 and denials() == before + 1


def edit_pages(agency):
    item = draft_item(agency)
    standard = occupation_standard(agency=agency)
    provision = LegalProvisionFactory()
    rule = MajorDecisionRule.objects.create(
        agency=agency,
        name="本局规则",
        trigger="demolition",
        requirement="legal_review",
        basis="本局规定",
        effective_from=datetime.date(2024, 1, 1),
    )
    return [
        reverse("catalog:power_create"),
        reverse("catalog:power_revise", args=[item.pk]),
        reverse("catalog:power_publish", args=[item.pk]),
        reverse("catalog:power_retire", args=[item.pk]),
        reverse("catalog:provision_create"),
        reverse("catalog:provision_edit", args=[provision.pk]),
        reverse("catalog:standard_create"),
        reverse("catalog:standard_edit", args=[standard.pk]),
        reverse("catalog:standard_retire", args=[standard.pk]),
        reverse("catalog:exemption_edit") + "?power_code=ZR-CF-001",
        reverse("catalog:major_rule_create"),
        reverse("catalog:major_rule_edit", args=[rule.pk]),
        reverse("catalog:major_rule_retire", args=[rule.pk]),
    ]


def test_given_the_admin_then_every_editing_page_renders_in_chinese(client, admin, agency):
    for url in edit_pages(agency):
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 200, url
        assert "csrfmiddlewaretoken" in text and "保存" in text, url


def test_given_an_officer_then_every_editing_page_is_403(client, officer, agency):
    for url in edit_pages(agency):
        assert client.get(url).status_code == 403, url
