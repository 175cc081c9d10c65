import csv
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from catalog.models import DiscretionStandard, PowerItem
from catalog.services import (
    catalog_import,
    catalog_load_demo,
    discretion_evaluate,
    export_file,
    power_item_create,
    power_item_publish,
)
from catalog.services.transfer import MAX_BYTES, ImportRejected, escape_cell, unescape_cell
from catalog.tests.factories import admin_of, officer_of
from core.errors import PermissionDenied
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
POWER_HEAD = "编码,名称,类别,执法依据,生效日期\n"


def csv_bytes(text):
    return ("\ufeff" + text).encode("utf-8")


def rejected(**kwargs):
    with pytest.raises(ImportRejected) as exc:
        catalog_import(**kwargs)
    return exc.value.report.errors


def test_given_the_demo_when_loaded_twice_then_second_run_changes_nothing():
    agency = AgencyFactory()
    first = catalog_load_demo(actor=None, agency=agency)
    assert first["powers"]["created"] == 31 and first["standards"]["created"] == 2
    second = catalog_load_demo(actor=None, agency=agency)
    assert second["powers"] == {"rows": 31, "created": 0, "updated": 0, "unchanged": 31}
    assert (
        second["standards"]["unchanged"] == 2
        and second["provisions"]["unchanged"] == first["provisions"]["rows"]
    )
    ev = discretion_evaluate(
        agency=agency,
        violation_code="illegal_transfer",
        act_date=datetime.date(2024, 5, 1),
        facts={"illegal_income": "200000"},
    )
    assert ev.tier.name == "一般" and (ev.range_min, ev.range_max) == (40000, 80000)


def test_given_a_file_with_many_bad_rows_then_every_line_is_reported_and_nothing_written():
    agency = AgencyFactory()
    catalog_load_demo(actor=None, agency=agency)
    before = PowerItem.objects.count()
    text = POWER_HEAD + (
        "X-1,好的事项,处罚,土地管理法第77条第1款,2025-01-01\n"
        "X-2,坏类别,奖励,,2025-01-01\n"
        "X-3,未知依据,处罚,土地管理法第999条,2025-01-01\n"
        "X-1,重复编码,处罚,,2025-01-01\n"
        "X-5,坏日期,许可,,2025-13-01\n"
        ",缺编码,许可,,\n"
    )
    errors = rejected(actor=None, agency=agency, kind="powers", filename="p.csv", content=csv_bytes(text))
    lines = [e.line for e in errors]
    assert lines == [3, 4, 5, 6, 7]
    assert "奖励" in errors[0].message and "999" in errors[1].message
    assert PowerItem.objects.count() == before


def test_given_a_missing_column_then_the_header_line_is_reported():
    errors = rejected(
        actor=None,
        agency=AgencyFactory(),
        kind="powers",
        filename="p.csv",
        content=csv_bytes("编码,名称\nA,B\n"),
    )
    assert errors[0].line == 1 and "类别" in errors[0].message


def test_given_overlapping_tiers_in_an_import_then_the_tier_line_is_named():
    agency = AgencyFactory()
    catalog_load_demo(actor=None, agency=agency)
    content, _ = export_file(kind="standards", agency=agency, fmt_name="csv")
    text = content.decode("utf-8-sig").replace("100000,500000", "50000,500000")
    errors = rejected(actor=None, agency=agency, kind="standards", filename="s.csv", content=csv_bytes(text))
    assert len(errors) == 1 and "重叠" in errors[0].message
    assert "[50000, 500000)" in errors[0].message


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("x.xlsx", b"PK\x03\x04not really a zip", "xlsx"),
        ("x.pdf", b"%PDF-1.4", ".xlsx"),
        ("x.csv", b"", ""),
        ("x.csv", b"a" * (MAX_BYTES + 1), "MB"),
    ],
)
def test_given_corrupt_or_oversized_files_then_refused_cleanly(name, content, needle):
    errors = rejected(actor=None, agency=AgencyFactory(), kind="powers", filename=name, content=content)
    assert len(errors) == 1 and needle in errors[0].message


def test_given_too_many_rows_then_refused():
    text = POWER_HEAD + "".join(f"C{i},名称,处罚,,\n" for i in range(5001))
    errors = rejected(
        actor=None, agency=AgencyFactory(), kind="powers", filename="p.csv", content=csv_bytes(text)
    )
    assert "5000" in errors[0].message


@pytest.mark.parametrize("fmt_name", ["csv", "xlsx"])
def test_given_an_export_when_imported_into_another_agency_then_it_round_trips(fmt_name):
    source, target = AgencyFactory(), AgencyFactory()
    catalog_load_demo(actor=None, agency=source)
    for kind in ("powers", "standards"):
        content, _ = export_file(kind=kind, agency=source, fmt_name=fmt_name)
        catalog_import(actor=None, agency=target, kind=kind, filename=f"e.{fmt_name}", content=content)
        again, _ = export_file(kind=kind, agency=target, fmt_name=fmt_name)
        if fmt_name == "csv":
            assert again == content
        report = catalog_import(actor=None, agency=target, kind=kind, filename=f"e.{fmt_name}", content=again)
        assert report.created == 0 and report.updated == 0
    assert DiscretionStandard.objects.filter(agency=target).count() == 2


def test_given_an_xlsx_with_a_changed_item_then_a_new_version_is_published():
    agency = AgencyFactory()
    catalog_load_demo(actor=None, agency=agency)
    wb = Workbook()
    ws = wb.active
    ws.append(["编码", "名称", "类别", "执法依据", "生效日期"])
    ws.append(
        [
            "ZR-CF-001",
            "对非法占用土地的行政处罚（修订）",
            "行政处罚",
            "土地管理法第77条第1款",
            datetime.date(2026, 1, 1),
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    report = catalog_import(
        actor=None, agency=agency, kind="powers", filename="x.xlsx", content=buf.getvalue()
    )
    assert report.updated == 1
    versions = list(PowerItem.objects.filter(agency=agency, code="ZR-CF-001").order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].valid_until == datetime.date(2026, 1, 1)


def test_given_an_officer_then_import_is_refused():
    agency = AgencyFactory()
    with pytest.raises(PermissionDenied):
        catalog_import(
            actor=officer_of(agency),
            agency=agency,
            kind="powers",
            filename="p.csv",
            content=csv_bytes(POWER_HEAD),
        )
    report = catalog_import(
        actor=admin_of(agency),
        agency=agency,
        kind="powers",
        filename="p.csv",
        content=csv_bytes(POWER_HEAD + "A-1,名称,检查,,\n"),
    )
    assert report.created == 1


@pytest.mark.parametrize(
    "text,escaped",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("'=x", "''=x"),
        ("'plain", "'plain"),
        ("a=b", "a=b"),
        ("", ""),
        ("'", "'"),
    ],
)
def test_given_formula_like_text_then_escaping_is_applied_and_reversed(text, escaped):
    assert escape_cell(text) == escaped
    assert unescape_cell(escaped) == text


FORMULAS = {
    "name": '=HYPERLINK("http://evil.example","点击")',
    "duties": "+cmd|' /C calc'!A0",
    "accountability": "-2+3",
    "guide_phone": "@SUM(1,2)",
    "guide_office": "'=已带撇号",
}


@pytest.mark.parametrize("fmt_name", ["csv", "xlsx"])
def test_given_formula_like_cells_when_exported_then_neutralised_and_the_import_restores_them(fmt_name):
    source, target = AgencyFactory(), AgencyFactory()
    item = power_item_create(actor=None, agency=source, code="F-1", content={"kind": "other", **FORMULAS})
    power_item_publish(actor=None, item=item, valid_from=datetime.date(2024, 1, 1))
    content, _ = export_file(kind="powers", agency=source, fmt_name=fmt_name)
    if fmt_name == "csv":
        cells = next(r for r in csv.reader(io.StringIO(content.decode("utf-8-sig"))) if r[0] == "F-1")
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        row = next(r for r in sheet.iter_rows() if r[0].value == "F-1")
        assert all(c.data_type != "f" for c in row)  # no cell is a formula
        cells = [c.value or "" for c in row]
    assert all(not c or c[0] not in "=+-@" for c in cells)
    assert "'=HYPERLINK" in cells[1] and "''=已带撇号" in cells
    report = catalog_import(
        actor=None, agency=target, kind="powers", filename=f"p.{fmt_name}", content=content
    )
    copy = PowerItem.objects.get(agency=target, code="F-1")
    assert report.created == 1 and {k: getattr(copy, k) for k in FORMULAS} == FORMULAS
