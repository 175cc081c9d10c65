"""Access to sensitive material (issue 5 §3): every view or download is a ledger entry, and a
downloaded sensitive image or PDF carries a visible watermark with the viewer's name and the time.

Who may see sensitive material at all is `records.policies` ("view_sensitive"); the selectors
already leave it out of every list for anyone else, and the views answer 404 to a guessed id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from core.services.files import file_open
from core.services.ledger import ledger_append
from org.selectors import officer_for
from records import policies
from records.models import Classification, EvidenceFile, Record
from records.pdf import spooled, watermark_image, watermark_pdf, watermark_text
from records.storage import open_stream


def viewer_name(actor: Any) -> str:
    officer = officer_for(actor)
    if officer is not None:
        return str(officer.name)
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return str(full or getattr(actor, "username", "") or "system")


def _log(*, actor: Any, act: str, obj: Any, case: Any, payload: dict[str, Any], digest: str = "") -> None:
    # Its own transaction: the trace stays even when the response then fails.
    with transaction.atomic():
        ledger_append(
            actor=actor,
            act=act,
            obj=obj,
            agency_id=case.agency_id,
            file_digest=digest,
            payload={"case_id": case.pk, "viewer": viewer_name(actor), **payload},
        )


def record_viewed(*, actor: Any, case: Any, record: Record) -> None:
    """Record in the ledger that `actor` viewed a sensitive record (nothing for other classifications)."""
    if record.classification != Classification.SENSITIVE:
        return
    policies.ensure(actor, "view_sensitive", case)
    _log(
        actor=actor,
        act="records.sensitive_viewed",
        obj=record,
        case=case,
        payload={"record_id": record.pk, "kind": record.kind, "version": record.version},
    )


def file_viewed(*, actor: Any, case: Any, file: EvidenceFile) -> None:
    """Record in the ledger that `actor` read a sensitive file's details (nothing otherwise)."""
    if file.classification != Classification.SENSITIVE:
        return
    policies.ensure(actor, "view_sensitive", case)
    _log(
        actor=actor,
        act="records.sensitive_viewed",
        obj=file,
        case=case,
        digest=file.stored.digest,
        payload={"file_id": file.pk, "filename": file.filename},
    )


@dataclass
class Download:
    fileobj: IO[bytes] | Any
    content_type: str
    watermarked: bool


def file_download(*, actor: Any, case: Any, file: EvidenceFile) -> Download:
    """Open an evidence file for download; a sensitive one is logged and, for images and PDFs, watermarked.

    The caller found `file` through `records.selectors.case_files` (scoped to the actor).
    """
    content_type = file.content_type or "application/octet-stream"
    if file.classification != Classification.SENSITIVE:
        file_open(file.stored).close()  # NotFound when the bytes are missing from the store
        return Download(open_stream(file.stored.storage_name), content_type, False)
    fh = file_open(file.stored)
    try:
        policies.ensure(actor, "view_sensitive", case)
    except Exception:
        fh.close()
        raise
    when = timezone.localtime()
    text = watermark_text(viewer_name(actor), when.strftime("%Y-%m-%d %H:%M"))
    marked: IO[bytes] | None = None
    head = fh.read(8)
    fh.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            marked = spooled()
            watermark_pdf(fh, marked, text)
            content_type = "application/pdf"
        elif content_type.startswith("image/") or file.media_kind == "photo":
            marked = spooled()
            written = watermark_image(fh, marked, text)
            if written is None:
                marked.close()
                marked = None
                fh.seek(0)
            else:
                content_type = written
    except Exception:
        # A file the watermarking cannot parse is served as stored (still logged); never a 500.
        if marked is not None:
            marked.close()
        marked = None
        fh.seek(0)
    _log(
        actor=actor,
        act="records.sensitive_downloaded",
        obj=file,
        case=case,
        digest=file.stored.digest,
        payload={
            "file_id": file.pk,
            "filename": file.filename,
            "watermarked": marked is not None,
            "watermark": text if marked is not None else "",
        },
    )
    if marked is None:
        return Download(fh, content_type, False)
    fh.close()
    marked.seek(0)
    return Download(marked, content_type, True)


def package_downloaded(*, actor: Any, case: Any, package: Any) -> None:
    """An archive package holds every sensitive item of the case: its download is logged too."""
    has_sensitive = (
        EvidenceFile.objects.filter(case_id=case.pk, classification=Classification.SENSITIVE).exists()
        or Record.objects.filter(case_id=case.pk, classification=Classification.SENSITIVE).exists()
    )
    if has_sensitive:
        _log(
            actor=actor,
            act="records.sensitive_downloaded",
            obj=package,
            case=case,
            digest=package.stored.digest,
            payload={"archive_package_id": package.pk, "filename": package.filename, "watermarked": False},
        )
