import datetime
from decimal import Decimal

import pytest

from catalog.models import DiscretionStandard, VersionStatus
from catalog.services import (
    discretion_evaluate,
    discretion_standard_create,
    discretion_standard_update,
    exemption_rule_save,
)
from catalog.tests.factories import occupation_fields, occupation_standard, occupation_tiers
from core.errors import Conflict, ValidationFailed
from core.models import LedgerEntry
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
ACT = datetime.date(2024, 6, 1)


def test_given_800_m2_of_farmland_then_minor_tier_and_range_per_m2():
    standard = occupation_standard()
    ev = discretion_evaluate(
        agency=standard.agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": "耕地", "area_m2": "800"},
    )
    assert ev.tier.name == "轻微"
    assert (ev.range_min, ev.range_max) == (Decimal("80000.00"), Decimal("240000.00"))
    assert ev.recommended == Decimal("160000.00")
    assert any("示例数据" in r for r in ev.reasons)


def test_given_area_in_mu_then_converted_at_10000_over_15():
    standard = occupation_standard()
    # 6 亩 of basic farmland = 4000 m² → 一般 (5–10 亩), 300–600 yuan/m²
    ev = discretion_evaluate(
        agency=standard.agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": "永久基本农田", "area_mu": "6"},
    )
    assert ev.tier.name == "一般"
    assert (ev.range_min, ev.range_max) == (Decimal("1200000.00"), Decimal("2400000.00"))


def test_given_a_boundary_value_then_it_belongs_to_the_upper_tier():
    standard = occupation_standard()
    ev = discretion_evaluate(
        agency=standard.agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": "其他", "area_mu": "20"},
    )
    assert ev.tier.name == "一般"


def test_given_a_mandatory_mitigation_then_recommendation_moves_to_the_lower_bound():
    standard = occupation_standard()
    ev = discretion_evaluate(
        agency=standard.agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": "耕地", "area_m2": "800", "confessed": True},
    )
    assert ev.recommended == Decimal("80000.00")
    assert ev.mitigations == ["主动供述行政机关尚未掌握的违法行为"]
    assert any("第32条" in r or "Art.32" in r for r in ev.reasons)


def test_given_first_violation_list_then_may_not_penalise_and_over_the_area_it_does_not_apply():
    standard = occupation_standard()
    exemption_rule_save(
        actor=None,
        agency=standard.agency,
        power_code="ZR-CF-001",
        kind="first_offence",
        required_facts=["first_violation", "minor_harm", "promptly_corrected"],
        max_area_m2=Decimal(100),
        effective_from=datetime.date(2021, 9, 1),
    )
    facts = {
        "land_class": "其他",
        "area_m2": "60",
        "first_violation": True,
        "minor_harm": True,
        "promptly_corrected": True,
    }
    ev = discretion_evaluate(
        agency=standard.agency, violation_code="illegal_occupation", act_date=ACT, facts=facts
    )
    assert ev.outcome == "may_not_penalise"
    assert any("首违不罚" in r for r in ev.reasons)
    ev = discretion_evaluate(
        agency=standard.agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts=facts | {"area_m2": "150"},
    )
    assert ev.outcome == "penalise"


def test_given_a_later_lighter_version_then_art37_picks_it_and_says_why():
    agency = AgencyFactory()
    occupation_standard(agency=agency, effective_from=datetime.date(2021, 9, 1))
    occupation_standard(
        agency=agency, effective_from=datetime.date(2025, 1, 1), bands=((100, 200), (200, 500), (500, 1000))
    )
    ev = discretion_evaluate(
        agency=agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": "耕地", "area_m2": "800"},
        today=datetime.date(2026, 1, 1),
    )
    assert ev.standard.version == 2 and ev.act_date_standard.version == 1
    assert ev.range_max == Decimal("160000.00")
    assert any("第37条" in r or "Art.37" in r for r in ev.reasons)


def test_given_a_later_heavier_version_then_the_act_date_version_stays():
    agency = AgencyFactory()
    occupation_standard(agency=agency, effective_from=datetime.date(2021, 9, 1))
    occupation_standard(
        agency=agency, effective_from=datetime.date(2025, 1, 1), bands=((200, 400), (400, 700), (700, 1000))
    )
    ev = discretion_evaluate(
        agency=agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": "耕地", "area_m2": "800"},
        today=datetime.date(2026, 1, 1),
    )
    assert ev.standard.version == 1
    assert ev.range_max == Decimal("240000.00")


def test_given_publishing_a_successor_then_the_previous_version_ends_that_day():
    agency = AgencyFactory()
    first = occupation_standard(agency=agency, effective_from=datetime.date(2021, 9, 1))
    occupation_standard(agency=agency, effective_from=datetime.date(2025, 1, 1))
    first.refresh_from_db()
    assert first.effective_until == datetime.date(2025, 1, 1)
    assert LedgerEntry.objects.filter(act="catalog.standard_publish").count() == 2


def test_given_a_successor_starting_before_the_current_version_then_refused():
    agency = AgencyFactory()
    occupation_standard(agency=agency, effective_from=datetime.date(2024, 1, 1))
    with pytest.raises(Conflict) as exc:
        occupation_standard(agency=agency, effective_from=datetime.date(2023, 1, 1))
    assert exc.value.code == "catalog.period_overlap"


def test_given_overlapping_tiers_on_save_then_nothing_is_written():
    agency = AgencyFactory()
    tiers = occupation_tiers()
    tiers[4]["range_min"] = 8
    with pytest.raises(ValidationFailed) as exc:
        discretion_standard_create(actor=None, agency=agency, fields=occupation_fields(), tiers=tiers)
    assert "重叠" in exc.value.message
    assert not DiscretionStandard.objects.exists()


def test_given_a_published_standard_then_it_cannot_be_edited():
    standard = occupation_standard()
    with pytest.raises(Conflict):
        discretion_standard_update(actor=None, standard=standard, fields={}, tiers=occupation_tiers())
    assert standard.status == VersionStatus.PUBLISHED


def test_given_a_province_standard_then_a_county_below_uses_it():
    province = AgencyFactory(province=True)
    county = AgencyFactory(parent=province)
    occupation_standard(agency=province)
    ev = discretion_evaluate(
        agency=county,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": "耕地", "area_m2": "800"},
    )
    assert ev.tier.name == "轻微"


@pytest.mark.parametrize(
    "facts",
    [
        {"land_class": "耕地", "area_m2": "abc"},
        {"land_class": "耕地", "area_m2": "-5"},
        {"land_class": "沙漠", "area_m2": "5"},
        {"land_class": "耕地", "area_m2": "NaN"},
    ],
)
def test_given_bad_facts_then_a_validation_error_names_the_field(facts):
    standard = occupation_standard()
    with pytest.raises(ValidationFailed) as exc:
        discretion_evaluate(
            agency=standard.agency, violation_code="illegal_occupation", act_date=ACT, facts=facts
        )
    assert exc.value.field_errors


@pytest.mark.parametrize(
    "facts,field",
    [
        ({"land_class": "耕地", "area_m2": "1e99999"}, "area_m2"),
        ({"land_class": "耕地", "area_m2": 10**50}, "area_m2"),
        ({"land_class": "耕地", "area_mu": "1E-13"}, "area_mu"),
        ({"land_class": "耕地", "area_m2": "Infinity"}, "area_m2"),
        ({"land_class": "耕地", "area_m2": "8", "fee": "123456789012345"}, "fee"),
        ({"land_class": "耕地", "area_m2": "8", "illegal_income": True}, "illegal_income"),
    ],
)
def test_given_absurd_numbers_then_refused_with_a_chinese_field_error(facts, field):
    """Issue 3 item 2: these reached Decimal.quantize and raised InvalidOperation (a 500)."""
    standard = occupation_standard()
    with pytest.raises(ValidationFailed) as exc:
        discretion_evaluate(
            agency=standard.agency, violation_code="illegal_occupation", act_date=ACT, facts=facts
        )
    assert set(exc.value.field_errors) == {field}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in exc.value.field_errors[field])


def test_given_an_act_date_after_today_then_refused():
    """Issue 3 item 4: a violation cannot have been committed in the future."""
    standard = occupation_standard(effective_from=datetime.date(2021, 9, 1))
    with pytest.raises(ValidationFailed) as exc:
        discretion_evaluate(
            agency=standard.agency,
            violation_code="illegal_occupation",
            act_date=datetime.date(2026, 1, 2),
            facts={"land_class": "耕地", "area_m2": "800"},
            today=datetime.date(2026, 1, 1),
        )
    assert exc.value.code == "catalog.act_date_future"
    assert set(exc.value.field_errors) == {"act_date"}


def test_given_an_act_date_before_any_version_then_refused_naming_art37():
    """Issue 3 item 4: no standard was in force then, so today's version must not be used silently."""
    standard = occupation_standard(effective_from=datetime.date(2021, 9, 1))
    with pytest.raises(ValidationFailed) as exc:
        discretion_evaluate(
            agency=standard.agency,
            violation_code="illegal_occupation",
            act_date=datetime.date(2019, 5, 1),
            facts={"land_class": "耕地", "area_m2": "800"},
            today=datetime.date(2026, 1, 1),
        )
    assert exc.value.code == "catalog.no_version_at_act_date"
    assert "第37条" in exc.value.message and "2021-09-01" in exc.value.message
    assert set(exc.value.field_errors) == {"act_date"}
