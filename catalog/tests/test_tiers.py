from decimal import Decimal

import pytest

from catalog.services.discretion import standard_errors
from catalog.tests.factories import occupation_fields, occupation_tiers


def test_given_tiers_that_tile_each_land_class_then_no_error():
    assert standard_errors(occupation_fields(), occupation_tiers()) == []


def test_given_overlapping_tiers_then_the_message_names_both_tiers_and_the_land_class():
    tiers = occupation_tiers()
    tiers[4]["range_min"] = 8  # 耕地 一般 now starts at 8 亩, inside 轻微 [0, 10)
    errors = standard_errors(occupation_fields(), tiers)
    assert len(errors) == 1
    assert "耕地" in errors[0] and "重叠" in errors[0]
    assert "[8, 20)" in errors[0] and "[0, 10)" in errors[0]


def test_given_a_gap_between_tiers_then_the_missing_interval_is_named():
    tiers = occupation_tiers()
    tiers[0]["range_max"] = 4  # 永久基本农田 轻微 [0,4) then 一般 from 5
    errors = standard_errors(occupation_fields(), tiers)
    assert len(errors) == 1
    assert "永久基本农田" in errors[0] and "[4, 5)" in errors[0]


def test_given_a_closed_last_tier_then_the_uncovered_top_is_reported():
    tiers = occupation_tiers()
    tiers[8]["range_max"] = 100
    errors = standard_errors(occupation_fields(), tiers)
    assert any("其他" in e and "100" in e for e in errors)


def test_given_a_land_class_without_tiers_then_it_is_reported():
    tiers = [t for t in occupation_tiers() if t["land_classes"] != ["other"]]
    errors = standard_errors(occupation_fields(), tiers)
    assert any("其他" in e for e in errors)


def test_given_a_tier_outside_the_statutory_range_then_it_is_refused():
    tiers = occupation_tiers()
    tiers[2]["penalty_max"] = 1200
    errors = standard_errors(occupation_fields(), tiers)
    assert any("1200" in e and "100–1000" in e for e in errors)


@pytest.mark.parametrize("bad", [{"penalty_min": 500, "penalty_max": 300}, {"range_min": 5, "range_max": 5}])
def test_given_inverted_ranges_then_refused(bad):
    tiers = occupation_tiers()
    tiers[1].update(bad)
    assert standard_errors(occupation_fields(), tiers)


def test_given_income_tiers_without_land_classes_then_they_tile_zero_to_infinity():
    fields = {"dimension": "illegal_income", "land_classes": [], "effective_from": None}
    tiers = [
        {
            "name": "轻微",
            "range_min": 0,
            "range_max": 100000,
            "penalty_kind": "percent_of_income",
            "penalty_min": 10,
            "penalty_max": 20,
        },
        {
            "name": "严重",
            "range_min": Decimal(100000),
            "range_max": None,
            "penalty_kind": "percent_of_income",
            "penalty_min": 20,
            "penalty_max": 50,
        },
    ]
    assert standard_errors(fields, tiers) == []
    tiers[1]["range_min"] = 200000
    assert any("[100000, 200000)" in e for e in standard_errors(fields, tiers))
