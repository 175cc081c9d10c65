"""document_render_docx: docxtpl with autoescape on (DEPENDENCIES.md §4.1)."""

import io

import pytest
from docx import Document as WordDocument

from core.errors import PermissionDenied
from documents.services import ContextIncomplete, document_render_docx
from documents.tests.conftest import DAY, decision_context


def paragraphs(data):
    return [p.text for p in WordDocument(io.BytesIO(data)).paragraphs]


def test_special_characters_survive_in_the_docx(officer, agency):
    data = document_render_docx(
        actor=officer,
        kind="penalty_decision",
        context=decision_context(party_name="张 & <某>"),
        agency=agency,
        number="临自然资〔2026〕7号",
        on=DAY,
    )

    text = "\n".join(paragraphs(data))
    assert "张 & <某>" in text
    assert "行政处罚决定书" in text
    assert "临自然资〔2026〕7号" in text
    assert "2026年3月5日" in text
    assert "现场勘测笔录及勘测定界图；询问笔录；现场照片12张" in text


def test_docx_needs_the_required_data_and_the_right_to_issue(officer, agency, system_admin):
    with pytest.raises(ContextIncomplete):
        document_render_docx(
            actor=officer, kind="penalty_decision", context={"party_name": "张三"}, agency=agency
        )
    with pytest.raises(PermissionDenied):
        document_render_docx(
            actor=system_admin, kind="penalty_decision", context=decision_context(), agency=agency
        )
