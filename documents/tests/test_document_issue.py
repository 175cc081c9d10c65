"""document_issue: rendering with WeasyPrint, elements checked on the extracted text, numbering,
the store and the ledger."""

import hashlib
import json

import pytest
from django.db import transaction

from core.errors import Conflict, PermissionDenied
from core.models import IssuedNumber, LedgerEntry
from core.services.files import file_open
from documents.kinds import KINDS
from documents.models import Document, TemplateStatus, TemplateVersion
from documents.rendering import CODE_ALPHABET
from documents.services import ContextIncomplete, ElementsMissing, document_issue, kind_context_keys
from documents.tests.conftest import DAY, decision_context, squash, text_of
from org.roles import Role
from org.tests.factories import OfficerFactory


def issue(officer, agency, kind="penalty_decision", context=None, **kw):
    return document_issue(
        actor=officer,
        kind=kind,
        context=decision_context() if context is None else context,
        subject_type="cases.case",
        subject_id=kw.pop("subject_id", 42),
        agency=agency,
        on=kw.pop("on", DAY),
        **kw,
    )


def pdf_of(document):
    with file_open(document.stored_file) as fh:
        return fh.read()


def test_given_a_decision_when_issued_then_the_pdf_text_has_chinese_number_and_date(
    evidence_dir, officer, agency
):
    document = issue(officer, agency, context=decision_context(party_name="张𠮷 & <某>"))

    text = squash(text_of(pdf_of(document)))
    assert document.number == "临自然资〔2026〕1号"
    assert "行政处罚决定书" in text
    assert "临自然资〔2026〕1号" in text
    assert "2026年3月5日" in text
    assert "当事人：张𠮷&<某>" in text
    assert "六十日内向某某县人民政府申请行政复议" in text
    assert "临安区自然资源局" in text
    assert document.verification_code_display.replace("-", "") == document.verification_code
    assert f"文书验证码：{document.verification_code_display}" in text


def test_the_stored_file_digest_is_the_sha256_of_the_pdf_and_the_ledger_records_the_issue(
    evidence_dir, officer, agency
):
    document = issue(officer, agency)

    pdf = pdf_of(document)
    assert pdf.startswith(b"%PDF")
    assert document.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.stored_file.digest == document.pdf_sha256
    entry = LedgerEntry.objects.get(act="document.issue")
    assert entry.object_type == "documents.document" and entry.object_id == str(document.pk)
    assert entry.file_digest == document.pdf_sha256
    assert entry.agency_id == agency.pk
    payload = json.loads(entry.payload)
    assert payload["number"] == document.number
    assert payload["kind"] == "penalty_decision"
    assert payload["template_version"] == document.template_version.version == 1
    assert payload["pdf_sha256"] == document.pdf_sha256
    assert LedgerEntry.objects.filter(act="number.issued").count() == 1


def test_numbers_are_gap_free_when_an_issue_is_refused_in_between(evidence_dir, officer, agency):
    first = issue(officer, agency)
    with pytest.raises(ElementsMissing):
        _issue_with_broken_template(officer, agency)
    second = issue(officer, agency)

    assert [first.number, second.number] == ["临自然资〔2026〕1号", "临自然资〔2026〕2号"]
    assert list(IssuedNumber.objects.values_list("value", flat=True).order_by("value")) == [1, 2]


def _issue_with_broken_template(officer, agency):
    """Activate (directly, bypassing the activation check) a template without the remedies."""
    with transaction.atomic():
        active = TemplateVersion.objects.get(kind="penalty_decision", status=TemplateStatus.ACTIVE)
        body = (
            active.body.split("<p>如不服本处罚决定")[0]
            + '<div class="seal"><p>{{ agency_name }}</p><p>（印章）</p><p>{{ issued_on|cn_date }}</p></div>'
        )
        TemplateVersion.objects.filter(pk=active.pk).update(status=TemplateStatus.RETIRED)
        broken = TemplateVersion.objects.create(
            kind="penalty_decision", version=99, body=body, status=TemplateStatus.ACTIVE
        )
    try:
        issue(officer, agency)
    finally:
        TemplateVersion.objects.filter(pk=broken.pk).update(status=TemplateStatus.RETIRED)
        TemplateVersion.objects.filter(pk=active.pk).update(status=TemplateStatus.ACTIVE)


def test_a_rendered_document_missing_an_element_is_refused_with_its_name(evidence_dir, officer, agency):
    with pytest.raises(ElementsMissing) as exc:
        _issue_with_broken_template(officer, agency)

    assert "行政复议" in exc.value.message or "复议" in exc.value.message
    assert "第59条" in exc.value.message
    assert not Document.objects.exists()
    assert not IssuedNumber.objects.exists()
    assert not LedgerEntry.objects.filter(act="document.issue").exists()


def test_missing_required_data_is_listed_and_nothing_is_rendered(evidence_dir, officer, agency):
    context = decision_context(facts="", evidence=[])
    del context["court"]

    with pytest.raises(ContextIncomplete) as exc:
        issue(officer, agency, context=context)

    assert set(exc.value.field_errors) == {"facts", "evidence", "court"}
    assert "facts" in exc.value.message and "court" in exc.value.message
    assert not IssuedNumber.objects.exists()
    assert not LedgerEntry.objects.filter(act="document.file_store").exists()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_default_template_issues_with_its_sample_data(evidence_dir, officer, agency, kind):
    spec = KINDS[kind]
    document = issue(officer, agency, kind=kind, context=dict(spec.sample))

    text = squash(text_of(pdf_of(document)))
    assert spec.official_title in text
    assert document.number in text
    assert "2026年3月5日" in text
    assert document.template_version.kind == kind


def test_a_correction_references_the_old_document_once(evidence_dir, officer, agency):
    old = issue(officer, agency)
    new = issue(officer, agency, supersedes=old, context=decision_context(fine_amount="人民币肆万元整"))

    assert new.supersedes == old and old.superseded_by == new
    with pytest.raises(Conflict) as exc:
        issue(officer, agency, supersedes=old)
    assert exc.value.code == "document_already_corrected"


def test_an_issued_document_is_immutable(evidence_dir, officer, agency):
    document = issue(officer, agency)

    with pytest.raises(TypeError):
        document.save()
    with pytest.raises(TypeError):
        Document.objects.filter(pk=document.pk).update(number="x")


def test_an_administrator_or_an_officer_of_another_agency_may_not_issue(evidence_dir, agency, system_admin):
    from org.tests.factories import AgencyFactory

    stranger = OfficerFactory(agency=AgencyFactory(), roles=[Role.OFFICER]).user
    for actor in (system_admin, stranger):
        with pytest.raises(PermissionDenied):
            issue(actor, agency)
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == 2
    assert not Document.objects.exists()


def test_kind_context_keys_names_the_stable_keys():
    keys = kind_context_keys("penalty_decision")

    assert [k for k, v in keys.items() if v.required] == [
        "party_name",
        "party_id_number",
        "party_address",
        "facts",
        "evidence",
        "penalty_text",
        "basis",
        "performance",
        "reconsideration_body",
        "court",
    ]
    assert keys["evidence"].many
    assert set(KINDS) >= {
        "case_registration",
        "stop_order",
        "rectification_order",
        "penalty_notice",
        "hearing_notice",
        "penalty_decision",
        "summary_decision",
        "no_penalty_decision",
        "delivery_receipt",
        "payment_reminder",
        "closing_approval",
    }


def test_the_pdf_carries_a_qr_code_and_the_agency_signs_number_and_digest(evidence_dir, officer, agency):
    import io

    from pypdf import PdfReader

    from documents.services import document_signature_valid

    document = issue(officer, agency)

    images = [image for page in PdfReader(io.BytesIO(pdf_of(document))).pages for image in page.images]
    assert images, "the QR code is embedded as an image"
    assert f"/v/{document.verification_code}/" in squash(text_of(pdf_of(document)))
    assert document_signature_valid(document=document)
    forged = Document(
        number=document.number,
        pdf_sha256="0" * 64,
        signature=document.signature,
        signature_public_key=document.signature_public_key,
    )
    assert not document_signature_valid(document=forged)
    assert LedgerEntry.objects.filter(act="signing.key_created").count() == 1


def test_verification_codes_are_random_not_derived_from_the_number(evidence_dir, officer, agency):
    codes = {issue(officer, agency).verification_code for _ in range(3)}

    assert len(codes) == 3
    assert all(len(c) == 12 and set(c) <= set(CODE_ALPHABET) for c in codes)
