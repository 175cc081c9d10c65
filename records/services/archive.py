"""Case-file archive (案卷归档, issue 5 §5): one package per call for a closed case.

`archive_build` writes a ZIP to a spool file beside the store, member by member, copying stored
files in 1 MB pieces (constant memory whatever the media sizes), then hands it to the store under
its digest and records `records.case_archived` (file_digest = the ZIP's digest). Layout:

    正卷/0000-封面.pdf, 正卷/0001-卷内目录.pdf, 正卷/0002-… (items), 正卷/NNNN-备考表.pdf
    副卷/…                       (same structure, when it has items)
    manifest.pdf                 printable manifest
    manifest.json                every member above with its digest, size and ledger sequence;
                                 the ledger head (seq, hash) at archiving time; the filing standard
    manifest.sig                 JSON: the agency's signature of the bytes of manifest.json, the
                                 public key and its fingerprint

Items, in the order of the configured filing standard (`records.filing`): every issued document
of the case (its stored PDF, documents app), every text record rendered as PDF (WeasyPrint), the
evidence list as PDF, and the original media files. `records.archive_check.archive_verify` checks a
package offline.

For the cases workflow (`archive` action): build the package while the case is `closed` (this
service, or the button on the records page), then let the action move the case to `archived`;
`records.selectors.archive_missing(case_id=…)` says what is still missing (empty list: ready).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.selectors import case_officer_ids
from core.errors import ValidationFailed
from core.hashing import canonical_json, default_algorithm, new_hasher
from core.models import LedgerEntry, StoredFile
from core.scoping import agency_label
from core.services import signing
from core.services.ledger import ledger_append, ledger_head
from documents.selectors import documents_for_subject
from org.selectors import officer_for, visible_officers
from records import policies
from records.filing import filing_standard, section_for
from records.models import (
    ArchivePackage,
    EvidenceFile,
    Record,
    RetentionClass,
)
from records.pdf import PDF_LANGUAGE, render_pdf
from records.selectors import evidence_items, retention_years
from records.services.uploads import PIECE, _commit_spool, _spool_dir
from records.steps import step_label
from records.storage import open_stream

FORMAT = "zhifa-case-archive/1"
ARCHIVABLE_STATUSES = frozenset({"closed", "archived"})
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MANIFEST_PDF = "manifest.pdf"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass
class _Item:
    volume: int
    section: int
    sort_key: tuple[Any, ...]
    title: str
    source: str  # document | record | media | generated
    code: str
    date: str
    responsible: str
    ext: str
    ledger_seq: int | None = None
    ref: dict[str, Any] = field(default_factory=dict)
    stored: StoredFile | None = None
    render: Callable[[], bytes] | None = None
    path: str = ""
    number: int = 0
    section_title: str = ""


def _safe(name: str, limit: int = 80) -> str:
    text = _UNSAFE.sub("_", name).strip(" ._") or "item"
    return text[:limit]


def _ext(filename: str, default: str = "bin") -> str:
    stem, dot, ext = filename.rpartition(".")
    ext = ext.lower()
    return ext if dot and stem and re.fullmatch(r"[a-z0-9]{1,8}", ext) else default


def _seqs(acts: Iterable[str], object_type: str, ids: Iterable[int]) -> dict[str, int]:
    """object id → seq of the first ledger entry of `acts` on that object."""
    rows = (
        LedgerEntry.objects.filter(
            act__in=list(acts), object_type=object_type, object_id__in=[str(i) for i in ids]
        )
        .order_by("seq")
        .values_list("object_id", "seq")
    )
    out: dict[str, int] = {}
    for object_id, seq in rows:
        out.setdefault(object_id, int(seq))
    return out


def _local(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def _officer_names(case: Any) -> str:
    ids = case_officer_ids(case=case, active_only=False)
    return "、".join(visible_officers(None).filter(pk__in=ids).order_by("pk").values_list("name", flat=True))


def _collect(case: Any, standard: dict[str, Any], agency_name: str) -> list[_Item]:
    items: list[_Item] = []

    def place(source: str, code: str, **flags: bool) -> tuple[int, int]:
        return section_for(standard, source=source, code=code, **flags)

    # Issued documents (documents app): the stored PDF, by digest.
    documents = list(
        documents_for_subject(actor=None, subject_type="cases.case", subject_id=case.pk)
        .select_related("stored_file")
        .order_by("issued_on", "pk")
    )
    doc_seqs = _seqs(["document.issue"], "documents.document", [d.pk for d in documents])
    for d in documents:
        vi, si = place("document", d.kind)
        items.append(
            _Item(
                vi,
                si,
                (_local(d.issued_on), 0, d.pk),
                f"{d.kind_title} {d.number}",
                "document",
                d.kind,
                _local(d.issued_on),
                agency_name,
                "pdf",
                doc_seqs.get(str(d.pk)),
                {
                    "type": "documents.document",
                    "id": d.pk,
                    "number": d.number,
                    "store_digest": d.stored_file.digest,
                },
                stored=d.stored_file,
            )
        )

    # Text records: every version; earlier versions go where the standard files superseded ones.
    records = list(
        Record.objects.filter(case_id=case.pk).prefetch_related("officers").order_by("started_at", "pk")
    )
    superseded_ids = set(
        Record.objects.filter(case_id=case.pk, supersedes__isnull=False).values_list(
            "supersedes_id", flat=True
        )
    )
    rec_seqs = _seqs(
        ["records.record_created", "records.record_corrected"], "records.record", [r.pk for r in records]
    )
    for r in records:
        superseded = r.pk in superseded_ids
        vi, si = place("record", r.kind, superseded=superseded)
        officers = "、".join(o.name for o in r.officers.all())

        def render(r: Record = r, superseded: bool = superseded) -> bytes:
            files = (
                EvidenceFile.objects.filter(record__series=r.series).select_related("stored").order_by("pk")
            )
            return render_pdf(
                "records/pdf/record.html",
                {
                    "record": r,
                    "case": case,
                    "step": step_label(r.action),
                    "files": files,
                    "superseded": superseded,
                },
            )

        items.append(
            _Item(
                vi,
                si,
                (_local(r.started_at), 1, r.pk),
                f"{r.get_kind_display()} v{r.version}",
                "record",
                r.kind,
                _local(r.started_at),
                officers or agency_name,
                "pdf",
                rec_seqs.get(str(r.pk)),
                {
                    "type": "records.record",
                    "id": r.pk,
                    "version": r.version,
                    "classification": r.classification,
                },
                render=render,
            )
        )

    # The evidence list, when there is one.
    listed = list(evidence_items(case=case))
    if listed:
        vi, si = place("generated", "evidence_list")
        items.append(
            _Item(
                vi,
                si,
                ("", 2, 0),
                str(_("Evidence list")),
                "generated",
                "evidence_list",
                _local(max(i.created_at for i in listed)),
                agency_name,
                "pdf",
                None,
                {"type": "evidence_list"},
                render=lambda: render_pdf("records/pdf/evidence_list.html", {"case": case, "items": listed}),
            )
        )

    # Original media files; a file only in excluded evidence items is filed as excluded.
    files = list(
        EvidenceFile.objects.filter(case_id=case.pk).select_related("stored", "uploaded_by").order_by("pk")
    )
    excluded_ids: set[int] = set()
    used_ids: set[int] = set()
    for item in listed:
        target = excluded_ids if getattr(item, "is_excluded", False) else used_ids
        target.update(f.pk for f in item.files.all())
    file_seqs = _seqs(["records.file_captured"], "records.evidencefile", [f.pk for f in files])
    for f in files:
        excluded = f.pk in excluded_ids and f.pk not in used_ids
        vi, si = place("media", f.media_kind, excluded=excluded)
        officer = officer_for(f.uploaded_by) if f.uploaded_by_id else None
        when = f.captured_at or f.created_at
        items.append(
            _Item(
                vi,
                si,
                (_local(when), 3, f.pk),
                f.filename,
                "media",
                f.media_kind,
                _local(when),
                officer.name if officer else agency_name,
                _ext(f.filename),
                file_seqs.get(str(f.pk)),
                {
                    "type": "records.evidencefile",
                    "id": f.pk,
                    "filename": f.filename,
                    "store_digest": f.stored.digest,
                    "classification": f.classification,
                    "device": f.device,
                    "place": f.place,
                    "excluded": excluded,
                },
                stored=f.stored,
            )
        )
    items.sort(key=lambda i: (i.volume, i.section, i.sort_key))
    return items


class _HashingWriter:
    """Copies pieces into a ZIP member while hashing them."""

    def __init__(self, algorithm: str) -> None:
        self.hasher = new_hasher(algorithm)
        self.size = 0

    def copy(self, src: IO[bytes], dst: IO[bytes]) -> None:
        while True:
            piece = src.read(PIECE)
            if not piece:
                return
            self.hasher.update(piece)
            self.size += len(piece)
            dst.write(piece)


def _write_member(
    zf: zipfile.ZipFile,
    path: str,
    *,
    algorithm: str,
    data: bytes | None = None,
    src: IO[bytes] | None = None,
    compress: bool = True,
) -> tuple[str, int]:
    info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    writer = _HashingWriter(algorithm)
    with zf.open(info, "w", force_zip64=True) as out:
        if data is not None:
            writer.hasher.update(data)
            writer.size = len(data)
            out.write(data)
        elif src is not None:
            writer.copy(src, out)
    return writer.hasher.hexdigest(), writer.size


_COMPRESSED = {
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "heic",
    "mp4",
    "mov",
    "m4a",
    "mp3",
    "aac",
    "avi",
    "mkv",
    "webm",
    "ogg",
    "zip",
    "pdf",
    "docx",
    "xlsx",
}


def archive_build(*, actor: Any, case: Any, standard: dict[str, Any] | None = None) -> ArchivePackage:
    """Build and store the archive package of a closed case (see the module docstring)."""
    policies.ensure(actor, "archive", case)
    if case.status not in ARCHIVABLE_STATUSES:
        raise ValidationFailed(
            _(
                "Case %(case)s is %(status)s: only a closed case is archived (行政处罚法 Art.47 and the "
                "filing rules). Close the case first."
            )
            % {"case": case, "status": case.get_status_display()},
            code="archive_case_not_closed",
        )
    with translation.override(PDF_LANGUAGE):  # the case file is in Chinese whoever builds it
        return _build(actor=actor, case=case, standard=standard or filing_standard())


def _build(*, actor: Any, case: Any, standard: dict[str, Any]) -> ArchivePackage:
    algorithm = default_algorithm()
    label = agency_label(case.agency_id)
    agency_name = str(label.get("name", ""))
    key_name = signing.agency_key_name(case.agency_id)
    key = signing.signing_key_ensure(key_name=key_name, actor=actor)
    head = ledger_head()
    now = timezone.now()
    officer = officer_for(actor)
    filed_by = officer.name if officer else (getattr(actor, "username", "") or "system")
    items = _collect(case, standard, agency_name)
    parties = "、".join(p.name for p in case.parties.all()) if hasattr(case, "parties") else ""
    common = {
        "case": case,
        "agency_name": agency_name,
        "parties": parties,
        "officers": _officer_names(case),
        "filed_on": timezone.localdate(),
        "standard_name": standard.get("name", ""),
        "retention": _("%(years)d years") % {"years": retention_years(RetentionClass.CASE_FILE)},
        "ledger_seq": head["seq"],
        "ledger_hash": head["hash"],
        "filed_by": filed_by,
    }
    manifest_items: list[dict[str, Any]] = []
    spool = _spool_dir() / f"archive-{os.getpid()}-{threading.get_ident()}-{os.urandom(6).hex()}.zip"
    try:
        with spool.open("wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            for vi, volume in enumerate(standard["volumes"]):
                volume_items = [i for i in items if i.volume == vi]
                if not volume_items and vi > 0:
                    continue
                vtitle = _safe(str(volume.get("title") or volume.get("code") or f"volume{vi}"))
                sections = volume["sections"]
                n = 2
                for item in volume_items:
                    item.number = n - 1
                    item.section_title = str(sections[item.section].get("title", "")) if sections else ""
                    stem = (
                        item.title[: -len(item.ext) - 1]
                        if item.title.lower().endswith(f".{item.ext}")
                        else item.title
                    )
                    item.path = f"{vtitle}/{n:04d}-{_safe(item.section_title, 30)}-{_safe(stem)}.{item.ext}"
                    n += 1
                ctx = {
                    **common,
                    "volume": volume.get("title", ""),
                    "count": len(volume_items),
                    "items": volume_items,
                }
                generated = [
                    (f"{vtitle}/0000-封面.pdf", "cover", str(_("Cover")), "records/pdf/cover.html"),
                    (
                        f"{vtitle}/0001-卷内目录.pdf",
                        "index",
                        str(_("Index of the file")),
                        "records/pdf/index.html",
                    ),
                ]
                for path, code, title, template in generated:
                    digest, size = _write_member(
                        zf, path, algorithm=algorithm, data=render_pdf(template, ctx)
                    )
                    manifest_items.append(_entry(path, digest, size, vi, volume, "generated", code, title))
                for item in volume_items:
                    manifest_items.append(_write_item(zf, item, algorithm, vi, volume))
                path = f"{vtitle}/{n:04d}-备考表.pdf"
                notes = [
                    _("%(title)s: excluded from the evidence") % {"title": i.title}
                    for i in volume_items
                    if i.ref.get("excluded")
                ]
                digest, size = _write_member(
                    zf,
                    path,
                    algorithm=algorithm,
                    data=render_pdf("records/pdf/beikao.html", {**ctx, "notes": notes}),
                )
                manifest_items.append(
                    _entry(path, digest, size, vi, volume, "generated", "filing_note", str(_("Filing note")))
                )
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "case": {
                    "id": case.pk,
                    "case_number": case.case_number,
                    "title": case.title,
                    "agency": agency_name,
                    "agency_code": label.get("code", ""),
                    "status": case.status,
                    "closed_on": _local(getattr(case, "closed_on", None)),
                },
                "created_at": now.isoformat(),
                "created_by": filed_by,
                "filing_standard": {"name": standard.get("name", ""), "basis": standard.get("basis", "")},
                "ledger_head": {"seq": head["seq"], "hash": head["hash"], "algorithm": head["algorithm"]},
                "algorithm": algorithm,
                "items": manifest_items,
            }
            pdf = render_pdf(
                "records/pdf/manifest.html",
                {
                    "m": manifest,
                    "key_name": key_name,
                    "signature_algorithm": key.algorithm,
                    "fingerprint": key.fingerprint,
                },
            )
            digest, size = _write_member(zf, MANIFEST_PDF, algorithm=algorithm, data=pdf)
            manifest["items"].append(
                {
                    "path": MANIFEST_PDF,
                    "digest": digest,
                    "size": size,
                    "volume": "",
                    "section": "",
                    "source": "generated",
                    "code": "manifest_pdf",
                    "title": str(_("Manifest")),
                    "ledger_seq": None,
                }
            )
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode(
                "utf-8"
            )
            signature = signing.sign(key_name, manifest_bytes)
            sig = {
                "key_name": key_name,
                "signature_algorithm": key.algorithm,
                "public_key": key.public_key_pem,
                "fingerprint": key.fingerprint,
                "signature": signature,
                "signed": MANIFEST,
            }
            _write_member(zf, MANIFEST, algorithm=algorithm, data=manifest_bytes)
            _write_member(zf, SIGNATURE, algorithm=algorithm, data=canonical_json(sig).encode("utf-8"))
        zip_hasher = new_hasher(algorithm)
        zip_size = 0
        with spool.open("rb") as fh:
            while piece := fh.read(PIECE):
                zip_hasher.update(piece)
                zip_size += len(piece)
        zip_digest = zip_hasher.hexdigest()
        manifest_digest = new_hasher(algorithm)
        manifest_digest.update(manifest_bytes)
        filename = (
            f"{_safe(case.case_number or f'case-{case.pk}')}-案卷-{timezone.localdate().isoformat()}.zip"
        )
        with transaction.atomic():
            stored, _created = _commit_spool(
                spool, digest=zip_digest, size=zip_size, algorithm=algorithm, content_type="application/zip"
            )
            package = ArchivePackage(
                case_id=case.pk,
                agency_id=case.agency_id,
                stored=stored,
                filename=filename,
                manifest_digest=manifest_digest.hexdigest(),
                items=len(manifest["items"]),
                ledger_seq=head["seq"],
                ledger_hash=head["hash"],
                key_fingerprint=key.fingerprint,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            package.save()
            ledger_append(
                actor=actor,
                act="records.case_archived",
                obj=package,
                agency_id=case.agency_id,
                file_digest=stored.digest,
                payload={
                    "case_id": case.pk,
                    "filename": filename,
                    "size": zip_size,
                    "items": package.items,
                    "manifest_digest": package.manifest_digest,
                    "ledger_head_seq": head["seq"],
                    "ledger_head_hash": head["hash"],
                    "key_fingerprint": key.fingerprint,
                    "filing_standard": standard.get("name", ""),
                },
            )
        return package
    finally:
        spool.unlink(missing_ok=True)


def _entry(
    path: str,
    digest: str,
    size: int,
    vi: int,
    volume: dict[str, Any],
    source: str,
    code: str,
    title: str,
    ledger_seq: int | None = None,
    ref: dict[str, Any] | None = None,
    section: str = "",
    date: str = "",
) -> dict[str, Any]:
    out = {
        "path": path,
        "digest": digest,
        "size": size,
        "volume": volume.get("title", ""),
        "section": section,
        "source": source,
        "code": code,
        "title": title,
        "date": date,
        "ledger_seq": ledger_seq,
    }
    if ref:
        out["ref"] = ref
    return out


def _write_item(
    zf: zipfile.ZipFile, item: _Item, algorithm: str, vi: int, volume: dict[str, Any]
) -> dict[str, Any]:
    compress = item.ext not in _COMPRESSED
    if item.stored is not None:
        with open_stream(item.stored.storage_name) as src:
            digest, size = _write_member(zf, item.path, algorithm=algorithm, src=src, compress=compress)
        if item.stored.algorithm == algorithm and (digest, size) != (item.stored.digest, item.stored.size):
            raise ValidationFailed(
                _(
                    "The stored file %(digest)s (%(title)s) no longer matches its digest; the case file "
                    "cannot be archived until it is restored from backup (zhifa ledger verify names it)."
                )
                % {"digest": item.stored.digest, "title": item.title},
                code="archive_file_altered",
            )
    else:
        assert item.render is not None
        digest, size = _write_member(zf, item.path, algorithm=algorithm, data=item.render(), compress=False)
    return _entry(
        item.path,
        digest,
        size,
        vi,
        volume,
        item.source,
        item.code,
        item.title,
        item.ledger_seq,
        item.ref,
        item.section_title,
        item.date,
    )


def archive_export(*, actor: Any, package: ArchivePackage, dest: Path) -> Path:
    """Copy a stored package to `dest` (a file path), in pieces."""
    policies.ensure(actor, "view", _case_of(package))
    with open_stream(package.stored.storage_name) as src, dest.open("wb") as out:
        while piece := src.read(PIECE):
            out.write(piece)
    return dest


def _case_of(package: ArchivePackage) -> Any:
    return package.case
