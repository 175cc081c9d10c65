"""The prepared serif faces (documents.fonts): documents render from the small GB 2312 face, and a
character outside it still comes out, from the full Noto face behind it in the CSS."""

import io

import pytest
from pypdf import PdfReader

from documents import fonts, rendering
from documents.tests.conftest import decision_context, squash, text_of
from documents.tests.test_document_issue import issue, pdf_of


def _font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_charset_is_gb2312_and_the_punctuation_documents_use():
    chars = fonts.charset()
    assert len(chars) > 7500
    for c in "县自然资源局行政处罚决定书〔〕（）：；、。“”《》〇０１㎡":
        assert c in chars
    assert "𠮷" not in chars and "堃" not in chars  # outside GB 2312: the full face renders them


@pytest.mark.django_db
def test_a_document_uses_the_prepared_face_and_a_rare_character_still_renders(evidence_dir, officer, agency):
    done = fonts.prepare()  # idempotent: prepared by `zhifa fonts` at install, else now
    if not fonts.prepared():
        pytest.skip("Noto Serif CJK is not installed: " + "; ".join(done))
    rendering._FONTS.__dict__.pop("config", None)  # a configuration made before the faces existed
    document = issue(officer, agency, context=decision_context(party_name="张堃𠮷"))
    pdf = pdf_of(document)
    used = _font_names(pdf)
    assert "Zhifa-Serif-SC" in used and "Zhifa-Serif-SC-Bold" in used  # body and title
    assert any(name.startswith("Noto-Serif-CJK") for name in used)  # for 堃 and 𠮷 only
    assert "当事人：张堃𠮷" in squash(text_of(pdf))
