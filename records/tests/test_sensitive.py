"""Sensitive material (issue 5 §3): who sees it, a ledger entry for every view and download,
watermarks on images and PDFs, and IDOR across agencies and classification levels."""

import io
import json

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from cases.tests.factories import case_world, new_case
from core.models import LedgerEntry
from org.roles import Role
from org.tests.factories import OfficerFactory
from records.models import Classification
from records.services import evidence_file_ingest, record_create
from records.tests.helpers import JPEG, interview_content, started, stream


def _jpeg(color=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, "JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _ingest(world, case, data, name, ctype, classification=Classification.SENSITIVE):
    return evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(data),
        filename=name,
        content_type=ctype,
        action="investigate",
        classification=classification,
    ).file


@pytest.fixture
def material(world, case):
    photo = _ingest(world, case, _jpeg(), "身份证照片.jpg", "image/jpeg")
    pdf = _ingest(world, case, _pdf(), "商业合同.pdf", "application/pdf")
    public = _ingest(world, case, JPEG, "现场全景.jpg", "image/jpeg", Classification.INTERNAL)
    record = record_create(
        actor=world.officer1.user,
        case=case,
        kind="interview",
        action="investigate",
        started_at=started(),
        place="办案区询问室",
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content=interview_content("隐私人"),
        signature="signed",
        classification=Classification.SENSITIVE,
    )
    return {"photo": photo, "pdf": pdf, "public": public, "record": record}


def _url(case, f):
    return f"/cases/{case.pk}/records/files/{f.pk}/download/"


def _body(resp):
    return b"".join(resp.streaming_content)


def test_assigned_officer_downloads_a_watermarked_photo_and_the_ledger_says_who_and_what(
    client, world, case, material
):
    client.force_login(world.officer1.user)
    resp = client.get(_url(case, material["photo"]))
    assert resp.status_code == 200 and resp["X-Watermarked"] == "1"
    body = _body(resp)
    assert body != _jpeg()
    image = Image.open(io.BytesIO(body))
    assert image.size == (320, 240)
    # the watermark is visible: red-tinted pixels over the blue picture
    assert any(r > 60 for r, _g, _b in image.convert("RGB").get_flattened_data())
    entry = LedgerEntry.objects.get(act="records.sensitive_downloaded", object_id=str(material["photo"].pk))
    payload = json.loads(entry.payload)
    assert payload["viewer"] == world.officer1.name and payload["watermarked"] is True
    assert world.officer1.name in payload["watermark"] and entry.actor_id == world.officer1.user.pk
    assert entry.file_digest == material["photo"].stored.digest


def test_sensitive_pdf_gets_an_overlay_page_with_name_and_time(client, world, case, material):
    client.force_login(world.head.user)  # the agency's head may see sensitive material
    resp = client.get(_url(case, material["pdf"]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(_body(resp))).pages)
    assert world.head.name in text.replace(" ", "")
    assert LedgerEntry.objects.filter(act="records.sensitive_downloaded").count() == 1


def test_internal_files_are_not_watermarked_nor_logged(client, world, case, material):
    client.force_login(world.officer2.user)
    resp = client.get(_url(case, material["public"]))
    assert _body(resp) == JPEG and "X-Watermarked" not in resp
    assert not LedgerEntry.objects.filter(act="records.sensitive_downloaded").exists()


def test_viewing_a_sensitive_record_is_logged(client, world, case, material):
    client.force_login(world.officer2.user)
    resp = client.get(f"/cases/{case.pk}/records/{material['record'].pk}/")
    assert resp.status_code == 200 and "隐私人" in resp.text
    entry = LedgerEntry.objects.get(act="records.sensitive_viewed")
    assert entry.actor_id == world.officer2.user.pk and entry.object_id == str(material["record"].pk)


def test_unassigned_officer_of_the_agency_sees_no_trace_of_sensitive_material(client, world, case, material):
    colleague = OfficerFactory(agency=world.agency, roles=[Role.OFFICER])
    client.force_login(colleague.user)
    home = client.get(f"/cases/{case.pk}/records/")
    assert home.status_code == 200
    assert "现场全景.jpg" in home.text
    for secret in ("身份证照片", "商业合同", str(material["photo"].stored.digest)):
        assert secret not in home.text
    for page in ("evidence/", "verify/"):
        text = client.get(f"/cases/{case.pk}/records/{page}").text
        assert "身份证照片" not in text and "商业合同" not in text
    assert client.get(_url(case, material["photo"])).status_code == 404
    assert client.get(_url(case, material["pdf"])).status_code == 404
    assert client.get(f"/cases/{case.pk}/records/{material['record'].pk}/").status_code == 404
    assert client.get(_url(case, material["public"])).status_code == 200
    assert not LedgerEntry.objects.filter(
        act__in=["records.sensitive_downloaded", "records.sensitive_viewed"]
    ).exists()


def test_other_agency_guessing_ids_gets_404_and_no_trace(client, world, case, material):
    other = case_world()
    their_case = new_case(other)
    client.force_login(other.officer1.user)
    for f in material.values():
        if hasattr(f, "stored"):
            assert client.get(_url(case, f)).status_code == 404
            assert client.get(_url(their_case, f)).status_code == 404  # a file id under their own case
    assert client.get(f"/cases/{their_case.pk}/records/{material['record'].pk}/").status_code == 404
    home = client.get(f"/cases/{their_case.pk}/records/")
    assert home.status_code == 200 and "身份证照片" not in home.text and "现场全景" not in home.text
    assert client.get(f"/cases/{case.pk}/records/").status_code == 404
    assert not LedgerEntry.objects.filter(
        act__in=["records.sensitive_downloaded", "records.sensitive_viewed"]
    ).exists()
