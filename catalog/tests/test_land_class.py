"""Issue 3 item 6: land classes stored as lowercase English values, Chinese names accepted on the
way in (import files, facts, API) and written on the way out (exports)."""

import datetime
import importlib

import pytest
from django.apps import apps

from catalog.models import DiscretionStandard, DiscretionTier, LandClass, land_class_value
from catalog.services import catalog_import, catalog_load_demo, discretion_evaluate
from catalog.services.transfer import export_rows
from catalog.tests.factories import occupation_fields, occupation_standard, occupation_tiers
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
ACT = datetime.date(2024, 6, 1)


def test_values_are_lowercase_english_with_chinese_names_accepted():
    assert LandClass.values == ["basic_farmland", "farmland", "other"]
    assert land_class_value("永久基本农田") == "basic_farmland"
    assert land_class_value("耕地") == "farmland" and land_class_value("farmland") == "farmland"
    assert land_class_value("其他") == "other" and land_class_value("沙漠") is None


def test_given_chinese_names_on_save_then_values_are_stored():
    fields = occupation_fields(land_classes=["永久基本农田", "耕地", "其他"])
    tiers = [
        t | {"land_classes": [{"basic_farmland": "永久基本农田"}.get(c, c) for c in t["land_classes"]]}
        for t in occupation_tiers()
    ]
    from catalog.services import discretion_standard_create

    standard = discretion_standard_create(actor=None, agency=AgencyFactory(), fields=fields, tiers=tiers)
    assert standard.land_classes == ["basic_farmland", "farmland", "other"]
    assert {c for t in standard.tiers.all() for c in t.land_classes} == set(LandClass.values)


@pytest.mark.parametrize("given", ["耕地", "farmland"])
def test_given_the_value_or_the_chinese_name_in_facts_then_the_same_tier(given):
    standard = occupation_standard()
    ev = discretion_evaluate(
        agency=standard.agency,
        violation_code="illegal_occupation",
        act_date=ACT,
        facts={"land_class": given, "area_m2": "800"},
    )
    assert ev.tier.name == "轻微" and ev.tier.land_classes == ["farmland"]
    assert any("耕地" in r for r in ev.reasons)


def test_the_demo_file_in_chinese_imports_as_values_and_exports_back_in_chinese():
    agency = AgencyFactory()
    catalog_load_demo(actor=None, agency=agency)
    standard = DiscretionStandard.objects.get(agency=agency, code="illegal_occupation")
    assert standard.land_classes == ["basic_farmland", "farmland", "other"]
    header, rows = export_rows(kind="standards", agency=agency)
    row = next(r for r in rows if r[0] == "illegal_occupation")
    assert row[header.index("地类范围")] == "永久基本农田、耕地、其他"
    assert row[header.index("阶次地类")] in {"永久基本农田", "耕地", "其他"}


def test_an_import_file_may_give_the_english_values():
    agency = AgencyFactory()
    catalog_load_demo(actor=None, agency=agency)
    header, rows = export_rows(kind="standards", agency=agency)
    names = {"永久基本农田": "basic_farmland", "耕地": "farmland", "其他": "other"}
    for row in rows:
        for col in ("地类范围", "阶次地类"):
            i = header.index(col)
            row[i] = "、".join(names.get(c, c) for c in row[i].split("、") if c)
    text = ",".join(header) + "\n" + "\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n"
    target = AgencyFactory()
    report = catalog_import(
        actor=None, agency=target, kind="standards", filename="s.csv", content=("\ufeff" + text).encode()
    )
    assert report.created == len({r[0] for r in rows})
    copied = DiscretionStandard.objects.get(agency=target, code="illegal_occupation")
    assert copied.land_classes == ["basic_farmland", "farmland", "other"]


def test_the_data_migration_converts_stored_chinese_names_and_back():
    standard = occupation_standard()
    DiscretionStandard.objects.filter(pk=standard.pk).update(land_classes=["永久基本农田", "耕地", "其他"])
    DiscretionTier.objects.filter(standard=standard).update(land_classes=["耕地"])
    migration = importlib.import_module("catalog.migrations.0003_land_class_values")
    migration.forwards(apps, None)
    standard.refresh_from_db()
    assert standard.land_classes == ["basic_farmland", "farmland", "other"]
    assert {tuple(t.land_classes) for t in standard.tiers.all()} == {("farmland",)}
    migration.backwards(apps, None)
    standard.refresh_from_db()
    assert standard.land_classes == ["永久基本农田", "耕地", "其他"]
