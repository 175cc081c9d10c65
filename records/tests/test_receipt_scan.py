"""The signed scan of a delivery receipt (送达回证) stored as a records file, linked to its delivery."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from records.selectors import receipt_scans
from records.services import receipt_scan_attach
from records.tests.helpers import JPEG, video_bytes


def test_scan_stored_on_the_delivery_step_and_logged(world, case):
    upload = SimpleUploadedFile("送达回证（签收）.jpg", JPEG, "image/jpeg")
    result = receipt_scan_attach(actor=world.officer1.user, case=case, delivery_ref=17, upload=upload)
    f = result.file
    assert (f.media_kind, f.action, f.delivery_ref, f.filename) == (
        "scan",
        "deliver",
        "17",
        "送达回证（签收）.jpg",
    )
    entry = LedgerEntry.objects.get(act="records.file_captured", object_id=str(f.pk))
    assert entry.file_digest == f.stored.digest
    assert json.loads(entry.payload)["delivery_ref"] == "17"
    assert list(receipt_scans(actor=world.officer1.user, case=case, delivery_ref=17)) == [f]
    assert not receipt_scans(actor=world.officer1.user, case=case, delivery_ref=18).exists()


def test_same_scan_again_for_the_same_delivery_is_recognised(world, case):
    first = receipt_scan_attach(
        actor=world.officer1.user,
        case=case,
        delivery_ref="d-1",
        upload=SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"),
    )
    again = receipt_scan_attach(
        actor=world.officer1.user,
        case=case,
        delivery_ref="d-1",
        upload=SimpleUploadedFile("b.jpg", JPEG, "image/jpeg"),
    )
    assert again.duplicate and again.file == first.file
    other = receipt_scan_attach(
        actor=world.officer1.user,
        case=case,
        delivery_ref="d-2",
        upload=SimpleUploadedFile("c.jpg", JPEG, "image/jpeg"),
    )
    assert not other.duplicate and other.file.stored_id == first.file.stored_id  # bytes stored once


def test_not_a_scan_or_no_delivery_refused_with_nothing_stored(world, case):
    with pytest.raises(ValidationFailed) as exc:
        receipt_scan_attach(
            actor=world.officer1.user,
            case=case,
            delivery_ref=1,
            upload=SimpleUploadedFile("clip.mp4", video_bytes(), "video/mp4"),
        )
    assert exc.value.code == "receipt_scan_type"
    with pytest.raises(ValidationFailed) as exc:  # declared a photo, but the content is a PDF
        receipt_scan_attach(
            actor=world.officer1.user,
            case=case,
            delivery_ref=1,
            upload=SimpleUploadedFile("r.jpg", b"%PDF-1.7\n" + b"0" * 100, "image/jpeg"),
        )
    assert exc.value.code == "file_type_mismatch"
    with pytest.raises(ValidationFailed) as exc:
        receipt_scan_attach(
            actor=world.officer1.user,
            case=case,
            delivery_ref=" ",
            upload=SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"),
        )
    assert exc.value.code == "receipt_delivery_missing"
    with pytest.raises(PermissionDenied):
        receipt_scan_attach(
            actor=world.outsider.user,
            case=case,
            delivery_ref=1,
            upload=SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"),
        )
    assert not LedgerEntry.objects.filter(act="records.file_captured").exists()


def test_a_receipt_scan_whose_content_is_not_an_image_or_pdf_is_refused(world, case):
    from records.models import EvidenceFile

    renamed = SimpleUploadedFile("送达回证.jpg", b"PK\x03\x04 a zip renamed to .jpg", "image/jpeg")
    with pytest.raises(ValidationFailed) as err:
        receipt_scan_attach(actor=world.officer1.user, case=case, delivery_ref=5, upload=renamed)
    assert err.value.code == "receipt_scan_content" and "送达回证.jpg" in str(err.value.message)
    assert not EvidenceFile.objects.exists()
