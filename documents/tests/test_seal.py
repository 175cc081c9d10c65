"""The agency's seal image: uploaded by its system administrator, placed in the seal area."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from core.services.files import file_open
from documents.rendering import place_seal
from documents.services import agency_seal_current, agency_seal_remove, agency_seal_set, document_issue
from documents.tests.conftest import DAY, decision_context, squash, text_of
from org.mfa import force_login_verified


def seal_png(size=300):
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size - 10, size - 10), outline=(220, 0, 0, 255), width=12)
    draw.regular_polygon((size // 2, size // 2, size // 6), 5, fill=(220, 0, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def issue(officer, agency):
    return document_issue(
        actor=officer,
        kind="penalty_decision",
        context=decision_context(),
        subject_type="cases.case",
        subject_id=42,
        agency=agency,
        on=DAY,
    )


def images(pdf):
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_of(document):
    with file_open(document.stored_file) as fh:
        return fh.read()


def test_without_a_seal_image_the_seal_area_says_seal(evidence_dir, officer, agency):
    pdf = pdf_of(issue(officer, agency))

    assert "（印章）" in squash(text_of(pdf))


def test_with_a_seal_image_it_replaces_the_text_in_the_seal_area(evidence_dir, officer, agency, system_admin):
    plain = pdf_of(issue(officer, agency))
    seal = agency_seal_set(actor=system_admin, agency=agency, fileobj=io.BytesIO(seal_png()))

    pdf = pdf_of(issue(officer, agency))

    assert "（印章）" not in squash(text_of(pdf))
    assert images(pdf) > images(plain)  # the seal besides the QR code
    assert agency_seal_current(agency.pk) == seal
    entry = LedgerEntry.objects.get(act="document.seal_set")
    assert entry.file_digest == seal.stored_file.digest


def test_a_removed_seal_gives_the_text_back(evidence_dir, officer, agency, system_admin):
    agency_seal_set(actor=system_admin, agency=agency, fileobj=io.BytesIO(seal_png()))
    agency_seal_remove(actor=system_admin, agency=agency)

    assert agency_seal_current(agency.pk) is None
    assert "（印章）" in squash(text_of(pdf_of(issue(officer, agency))))


def test_only_the_agencys_system_administrator_uploads_and_only_a_png(
    evidence_dir, officer, agency, system_admin
):
    with pytest.raises(PermissionDenied):
        agency_seal_set(actor=officer, agency=agency, fileobj=io.BytesIO(seal_png()))
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300)).save(buffer, format="JPEG")
    for bad in (b"not an image", buffer.getvalue(), seal_png(20)):
        with pytest.raises(ValidationFailed) as exc:
            agency_seal_set(actor=system_admin, agency=agency, fileobj=io.BytesIO(bad))
        assert exc.value.field_errors["file"]
    assert agency_seal_current(agency.pk) is None


def test_party_data_cannot_place_or_forge_the_seal():
    html = '<p>&lt;p class="stamp"&gt;（印章）&lt;/p&gt;</p><p class="stamp">（印章）</p>'

    placed, count = place_seal(html, "data:image/png;base64,AAAA")

    assert count == 1
    assert placed.startswith('<p>&lt;p class="stamp"&gt;（印章）')


def test_the_administrator_uploads_on_the_seal_screen(client, evidence_dir, agency, system_admin):
    force_login_verified(client, system_admin)
    url = reverse("documents:seal")
    assert client.get(url).status_code == 200

    upload = io.BytesIO(seal_png())
    upload.name = "seal.png"
    response = client.post(url, {"file": upload}, format="multipart")

    assert response.status_code == 302
    assert agency_seal_current(agency.pk) is not None
    assert 'id="seal-current"' in client.get(url).content.decode()


def test_an_officer_may_not_open_the_seal_screen(client, officer):
    force_login_verified(client, officer)

    assert client.get(reverse("documents:seal")).status_code == 403
