"""XLSX exports: formula-injection escaping, types, the deadline and issued-document endpoints."""

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from core.models import Deadline
from core.services import clock
from documents.exports import escape_cell, xlsx_export
from documents.services import document_issue
from documents.tests.conftest import DAY, decision_context
from org.mfa import force_login_verified


def sheet_rows(data):
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_formula_like_text_is_escaped_and_values_keep_their_types():
    rows = [
        ['=HYPERLINK("http://x","点我")', "+1", "-2", "@SUM(A1)", "\tx", "'=x", "张三", "−3"],
        [dt.date(2026, 3, 5), 5, Decimal("50000.00"), True, None, ["甲", "乙"], "a\x01b", ""],
    ]
    data = xlsx_export(iter(rows), [f"列{i}" for i in range(8)], "测试/清单[1]").read()

    header, first, second = sheet_rows(data)
    assert header[0] == "列0"
    assert first == [
        '\'=HYPERLINK("http://x","点我")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "''=x",
        "张三",
        "−3",
    ]
    assert second[0] == dt.datetime(2026, 3, 5) and second[1] == 5 and float(second[2]) == 50000.0
    assert second[3:6] == ["是", None, "甲；乙"] and second[6] == "ab"
    assert load_workbook(io.BytesIO(data)).sheetnames == ["测试 清单 1"]


def test_escape_cell_matches_the_catalog_rule():
    from catalog.services.transfer import escape_cell as catalog_escape

    for text in ("=1", "+a", "-", "@", "'=x", "''+y", "普通", "", "'"):
        assert escape_cell(text) == catalog_escape(text)


def test_a_large_export_streams_through_the_write_only_workbook():
    rows = ([i, f"文书{i}", dt.date(2026, 1, 1)] for i in range(20_000))

    data = xlsx_export(rows, ["序号", "名称", "日期"], "big").read()

    rows = sheet_rows(data)
    assert len(rows) == 20_001 and rows[-1][:2] == [19_999, "文书19999"]


def test_the_deadline_list_exports_what_the_officer_sees(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("officer1", password="x")
    other = get_user_model().objects.create_user("officer2", password="x")
    for title, who in (("=立案期限", user), ("别人的期限", other)):
        clock.deadline_start(
            actor=user,
            subject=user,
            agency_id=1,
            kind="k",
            title=title,
            legal_basis="《行政处罚法》第54条",
            unit=Deadline.Unit.WORKDAYS,
            amount=5,
            start_date=dt.date(2026, 3, 2),
            responsible=who,
            today=dt.date(2026, 3, 2),
        )
    client.force_login(user)

    response = client.get(reverse("documents:export_deadlines"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(b"".join(response.streaming_content))
    titles = [row[0] for row in rows[1:]]
    assert titles == ["'=立案期限"]
    assert rows[1][4] == dt.datetime(2026, 3, 9)
    bad = client.get(
        reverse("documents:export_deadlines"), {"due_from": "2026-12-01", "due_to": "2026-01-01"}
    )
    assert bad.status_code == 400


def test_the_issued_documents_export_lists_numbers_without_party_data(client, evidence_dir, officer, agency):
    document = document_issue(
        actor=officer,
        kind="penalty_decision",
        context=decision_context(),
        subject_type="cases.case",
        subject_id=7,
        agency=agency,
        on=DAY,
    )
    force_login_verified(client, officer)

    response = client.get(reverse("documents:export_documents"))

    rows = sheet_rows(b"".join(response.streaming_content))
    assert rows[1][:4] == [document.number, "行政处罚决定书", "临安区自然资源局", dt.datetime(2026, 3, 5)]
    assert not any("张三" in str(cell) for row in rows for cell in row)
    assert "documents-" in response["Content-Disposition"]
