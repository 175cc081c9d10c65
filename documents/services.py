"""Writes of the documents app: template versions and issued documents.

Public surface for other apps:
    kind_context_keys(kind) -> dict[str, ContextKey]      # the keys a kind's templates read
    document_issue(*, actor, kind, context, subject_type, subject_id, agency,
                   number_sequence=None, on=None, supersedes=None, key=None) -> Document
    document_render_docx(*, actor, kind, context, agency, number="", on=None) -> bytes
    document_verify_bytes(*, document, fileobj) -> bool
and, for the administrator's screens, template_version_create / template_version_activate /
template_preview_pdf.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import Conflict, NotFound, ValidationFailed
from core.services import signing
from core.services.files import digest_stream, file_store
from core.services.ledger import ledger_append
from core.services.numbering import number_take
from documents import policies, rendering
from documents.kinds import KINDS, SERVICE_KEYS, ContextKey, KindSpec
from documents.models import TEMPLATE_TRANSITIONS, AgencySeal, Document, TemplateStatus, TemplateVersion

# Under templates/ so that the package data (pyproject: templates/**/*) ships them.
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "documents" / "defaults"
PREVIEW_CODE = "YANGBEN00000"  # shown on previews; never a real code (real codes exclude 0)


class ElementsMissing(ValidationFailed):
    code = "document_elements_missing"


class ContextIncomplete(ValidationFailed):
    code = "document_context_incomplete"


# ------------------------------------------------------------------ kinds


def kind_spec(kind: str) -> KindSpec:
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationFailed(
            _("Unknown document kind %(kind)s; the kinds are declared in documents/kinds.py.")
            % {"kind": kind},
            code="document_kind_unknown",
        )
    return spec


def kind_context_keys(kind: str) -> dict[str, ContextKey]:
    """The context keys a kind's templates read, in order, each with its label and whether it is
    required. The service adds SERVICE_KEYS itself (number, issued_on, kind_title, agency_name,
    verification_code, verify_url)."""
    return {key.name: key for key in kind_spec(kind).keys}


def default_template_body(kind: str) -> str:
    return (DEFAULT_TEMPLATE_DIR / f"{kind_spec(kind).code}.html").read_text(encoding="utf-8")


def _verify_url(code: str) -> str:
    base = str(getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('documents_public:verify', args=[code])}"


def _agency_name(agency: Any) -> str:
    return str(getattr(agency, "name", "") or "")


def _full_context(
    spec: KindSpec, context: Mapping[str, Any], *, agency: Any, number: str, on: datetime.date, code: str
) -> dict[str, Any]:
    values = rendering.normalise_context(spec, context)
    values.update(
        number=number,
        issued_on=on,
        kind_title=spec.official_title,
        verification_code=code,
        verify_url=_verify_url(code) if code else "",
    )
    if rendering.is_empty(values.get("agency_name")):
        values["agency_name"] = _agency_name(agency)
    return values


def _refuse_missing_keys(spec: KindSpec, context: Mapping[str, Any]) -> None:
    missing = rendering.missing_keys(spec, context)
    if missing:
        labels = "、".join(f"{k.label}（{k.name}）" for k in missing)
        raise ContextIncomplete(
            _(
                "The %(kind)s cannot be rendered: these required data are missing: %(missing)s. "
                "Nothing was rendered."
            )
            % {"kind": spec.official_title, "missing": labels},
            field_errors={k.name: [_("This is required.")] for k in missing},
        )


def _refuse_missing_elements(
    spec: KindSpec, text: str, context: Mapping[str, Any], *, what: str, seal_placed: bool = False
) -> None:
    missing = rendering.missing_elements(spec, text, context, seal_placed=seal_placed)
    if missing:
        labels = "、".join(str(e.label) for e in missing)
        raise ElementsMissing(
            _(
                "The %(what)s lacks elements the law requires of a %(kind)s (%(basis)s): %(missing)s. "
                "Add them to the template (or the data) and try again."
            )
            % {"what": what, "kind": spec.official_title, "basis": spec.basis, "missing": labels},
            basis=spec.basis,
            field_errors={"elements": [str(e.label) for e in missing]},
        )


def pdf_from_html(html: str) -> bytes:
    """HTML → PDF the way documents are rendered (WeasyPrint, `data:` URLs only, the thread's shared
    font configuration): for other apps' printouts (records' case-file PDFs)."""
    return rendering.html_to_pdf(html)


def _render_pdf(
    spec: KindSpec,
    body: str,
    context: Mapping[str, Any],
    *,
    preview: bool = False,
    seal_uri: str = "",
    placed: list[int] | None = None,
) -> bytes:
    with translation.override("zh-hans"):
        return rendering.html_to_pdf(
            rendering.render_html(
                spec=spec, body=body, context=context, preview=preview, seal_uri=seal_uri, placed=placed
            )
        )


def _sample_context(spec: KindSpec, agency: Any = None) -> dict[str, Any]:
    today = timezone.localdate()
    context = _full_context(
        spec,
        spec.sample,
        agency=agency,
        number=f"示例〔{today.year}〕1号",
        on=today,
        code=PREVIEW_CODE,
    )
    if rendering.is_empty(context.get("agency_name")):
        context["agency_name"] = "某某县自然资源局"
    return context


# ------------------------------------------------------------------ template versions


def _move(version: TemplateVersion, *, to: str) -> None:
    """The one place a template version's status changes (TEMPLATE_TRANSITIONS)."""
    if to not in TEMPLATE_TRANSITIONS[version.status]:
        raise Conflict(
            _("A %(status)s template version cannot become %(to)s; edit it to make a new draft instead.")
            % {"status": TemplateStatus(version.status).label, "to": TemplateStatus(to).label},
            code="document_template_transition",
        )
    version.status = to
    fields = ["status"]
    if to == TemplateStatus.ACTIVE:
        version.activated_at = timezone.now()
        fields.append("activated_at")
    version.save(update_fields=fields)


def template_version_create(
    *, actor: Any, kind: str, body: str, note: str = "", based_on: TemplateVersion | None = None
) -> TemplateVersion:
    """A new draft version of a kind's template (every edit is a new version; the syntax is checked)."""
    spec = kind_spec(kind)
    policies.ensure(actor, "manage_templates")
    body = body.replace("\r\n", "\n")
    rendering.template_check(body)
    with translation.override("zh-hans"):
        rendering.render_html(spec=spec, body=body, context=_sample_context(spec), preview=True)
    if len(note) > 200:
        raise ValidationFailed(
            _("Describe the change in at most 200 characters."), field_errors={"note": [_("Too long.")]}
        )
    try:
        with transaction.atomic():
            latest = TemplateVersion.objects.filter(kind=kind).aggregate(m=Max("version"))["m"] or 0
            version = TemplateVersion.objects.create(
                kind=kind,
                version=latest + 1,
                body=body,
                note=note,
                based_on=based_on,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            ledger_append(
                actor=actor,
                act="document.template_create",
                obj=version,
                payload={
                    "kind": kind,
                    "version": version.version,
                    "note": note,
                    "based_on": based_on.version if based_on is not None else None,
                    "before_sha256": hashlib.sha256(based_on.body.encode()).hexdigest() if based_on else None,
                    "after_sha256": hashlib.sha256(body.encode()).hexdigest(),
                    "body": body,
                },
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Another version of this template was saved at the same moment; reload and try again."),
            code="document_template_conflict",
        ) from exc
    return version


def template_preview_pdf(*, actor: Any, version: TemplateVersion) -> bytes:
    """The version rendered with the kind's sample data, marked 样本 (no number taken, nothing stored)."""
    policies.ensure(actor, "manage_templates")
    spec = kind_spec(version.kind)
    return _render_pdf(spec, version.body, _sample_context(spec), preview=True)


def template_version_check(*, version: TemplateVersion) -> list[str]:
    """Labels of the legal elements missing from the version's rendered sample (empty: activatable)."""
    spec = kind_spec(version.kind)
    context = _sample_context(spec)
    # Checked without the 样本 watermark, which would sit in the middle of the extracted text.
    text = rendering.pdf_text(_render_pdf(spec, version.body, context))
    return [str(e.label) for e in rendering.missing_elements(spec, text, context)]


def template_version_activate(*, actor: Any, version: TemplateVersion) -> TemplateVersion:
    """Make a draft the kind's active version; refused when its rendered sample lacks a legal element."""
    policies.ensure(actor, "manage_templates")
    spec = kind_spec(version.kind)
    context = _sample_context(spec)
    text = rendering.pdf_text(_render_pdf(spec, version.body, context))  # no watermark: see above
    _refuse_missing_elements(spec, text, context, what=_("sample rendered from this template version"))
    with transaction.atomic():
        version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != TemplateStatus.DRAFT:
            _move(version, to=TemplateStatus.ACTIVE)  # raises: only drafts are activated
        previous = (
            TemplateVersion.objects.select_for_update()
            .filter(kind=version.kind, status=TemplateStatus.ACTIVE)
            .first()
        )
        if previous is not None:
            _move(previous, to=TemplateStatus.RETIRED)
        _move(version, to=TemplateStatus.ACTIVE)
        ledger_append(
            actor=actor,
            act="document.template_activate",
            obj=version,
            payload={
                "kind": version.kind,
                "before": {"active_version": previous.version if previous else None},
                "after": {"active_version": version.version},
            },
        )
    return version


def active_template(kind: str) -> TemplateVersion:
    version = TemplateVersion.objects.filter(kind=kind, status=TemplateStatus.ACTIVE).first()
    if version is None:
        raise NotFound(
            _("No template version of the %(kind)s is active; the system administrator must activate one.")
            % {"kind": kind_spec(kind).official_title},
            code="document_no_active_template",
        )
    return version


# ------------------------------------------------------------------ issuing


def document_issue(
    *,
    actor: Any,
    kind: str,
    context: Mapping[str, Any],
    subject_type: str,
    subject_id: str | int,
    agency: Any,
    number_sequence: str | None = None,
    on: datetime.date | None = None,
    supersedes: Document | None = None,
    key: str | None = None,
) -> Document:
    """Issue a document: render the active template to PDF, check the legal elements on the text
    extracted from it, take a gap-free number, store the PDF and record `document.issue` — all in
    one transaction, so a refusal takes nothing and leaves no gap (行政处罚法 Art.59 for decisions).

    `number_sequence` names the numbering sequence (default: the kind); `on` is the 成文日期
    (default: today); `supersedes` is the document this one corrects (same kind and agency).

    `key` makes the request idempotent: while a document of this subject and kind with this key
    exists, the call returns it (whatever the context) and takes no number, renders nothing and
    records nothing. Two concurrent calls with the same key produce one document and one number:
    the second waits on the number sequence's lock, finds the first's document and rolls back (or,
    should it get past, the unique constraint refuses its row and it returns the first's).
    Use e.g. the case act's id ("act-1234") or the form's submission token.
    """
    spec = kind_spec(kind)
    policies.ensure(actor, "issue", agency)
    if len(subject_type) > 60 or len(str(subject_id)) > 60:
        raise ValidationFailed(
            _("The subject reference is too long (at most 60 characters each)."),
            code="document_subject_invalid",
        )
    key = (key or "").strip()
    if len(key) > 120:
        raise ValidationFailed(
            _("The idempotency key is too long (at most 120 characters)."), code="document_key_invalid"
        )
    lookup = {
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "kind": kind,
        "idempotency_key": key,
    }
    if key:
        existing: Document | None = Document.objects.filter(**lookup).first()
        if existing is not None:
            return existing
    values = rendering.normalise_context(spec, context)
    _refuse_missing_keys(spec, values)
    day = on or timezone.localdate()
    try:
        return _issue(
            actor=actor,
            spec=spec,
            values=values,
            subject_type=subject_type,
            subject_id=str(subject_id),
            agency=agency,
            number_sequence=number_sequence,
            day=day,
            supersedes=supersedes,
            key=key,
        )
    except (_AlreadyIssued, IntegrityError):
        winner: Document | None = Document.objects.filter(**lookup).first() if key else None
        if winner is None:  # not the race on the key: a real error
            raise
        return winner


class _AlreadyIssued(Exception):
    """Raised inside the issuing transaction to roll it back when a concurrent call won the race."""


def _issue(
    *,
    actor: Any,
    spec: KindSpec,
    values: dict[str, Any],
    subject_type: str,
    subject_id: str,
    agency: Any,
    number_sequence: str | None,
    day: datetime.date,
    supersedes: Document | None,
    key: str,
) -> Document:
    kind = spec.code
    with transaction.atomic():
        if supersedes is not None:
            supersedes = Document.objects.select_for_update().get(pk=supersedes.pk)
            _check_correction(supersedes, kind=kind, agency=agency)
        template = active_template(kind)
        issued = number_take(agency_id=agency.pk, kind=number_sequence or kind, year=day.year, actor=actor)
        if (
            key
            and Document.objects.filter(
                subject_type=subject_type, subject_id=subject_id, kind=kind, idempotency_key=key
            ).exists()
        ):
            # A concurrent call with the same key committed while this one waited for the number.
            raise _AlreadyIssued
        code = rendering.new_verification_code()
        full = _full_context(spec, values, agency=agency, number=issued.number, on=day, code=code)
        placed: list[int] = []
        pdf = _render_pdf(spec, template.body, full, seal_uri=agency_seal_data_uri(agency.pk), placed=placed)
        _refuse_missing_elements(
            spec, rendering.pdf_text(pdf), full, what=_("rendered document"), seal_placed=sum(placed) > 0
        )
        sha256 = hashlib.sha256(pdf).hexdigest()
        stored = file_store(
            actor=actor,
            fileobj=io.BytesIO(pdf),
            filename=f"{spec.code}-{issued.number}.pdf",
            content_type="application/pdf",
            agency_id=agency.pk,
            act="document.file_store",
        )
        signed = Document(number=issued.number, pdf_sha256=sha256).signed_data()
        key_name = signing.agency_key_name(agency.pk)
        signing_key = signing.signing_key_ensure(key_name=key_name, actor=actor)
        signature = signing.sign(key_name, signed)
        document = Document.objects.create(
            kind=kind,
            template_version=template,
            subject_type=subject_type,
            subject_id=str(subject_id),
            agency_id=agency.pk,
            number=issued.number,
            issued_number=issued,
            issued_on=day,
            issued_by=actor if getattr(actor, "pk", None) else None,
            context=rendering.json_context(values),
            pdf_sha256=sha256,
            stored_file=stored,
            verification_code=code,
            idempotency_key=key,
            supersedes=supersedes,
            signature=signature,
            signature_public_key=signing_key.public_key_pem,
            signature_key_fingerprint=signing_key.fingerprint,
        )
        ledger_append(
            actor=actor,
            act="document.issue",
            obj=document,
            agency_id=agency.pk,
            file_digest=stored.digest,
            payload={
                "kind": kind,
                "number": issued.number,
                "issued_on": day.isoformat(),
                "template_version": template.version,
                "template_version_id": template.pk,
                "pdf_sha256": sha256,
                "subject_type": subject_type,
                "subject_id": str(subject_id),
                "supersedes": supersedes.number if supersedes is not None else None,
                "idempotency_key": key or None,
                "signature": signature,
                "key_fingerprint": signing_key.fingerprint,
            },
        )
    return document


def _check_correction(old: Document, *, kind: str, agency: Any) -> None:
    if old.kind != kind or old.agency_id != agency.pk:
        raise ValidationFailed(
            _("A correction must be a document of the same kind from the same agency as %(number)s.")
            % {"number": old.number},
            code="document_correction_invalid",
        )
    if Document.objects.filter(supersedes=old).exists():
        raise Conflict(
            _("Document %(number)s has already been corrected; correct the newest document instead.")
            % {"number": old.number},
            code="document_already_corrected",
        )


def document_pdf(*, actor: Any, document: Document) -> bytes:
    """The stored PDF of an issued document, for a reader of its agency."""
    from core.services.files import file_open

    policies.ensure(actor, "view", document)
    with file_open(document.stored_file) as fh:
        return bytes(fh.read())


def document_render_docx(
    *,
    actor: Any,
    kind: str,
    context: Mapping[str, Any],
    agency: Any,
    number: str = "",
    on: datetime.date | None = None,
) -> bytes:
    """The same data as a Word file (docxtpl, autoescape on), for agencies that edit before printing.
    Not a record: no number is taken and nothing is stored."""
    spec = kind_spec(kind)
    policies.ensure(actor, "issue", agency)
    values = rendering.normalise_context(spec, context)
    _refuse_missing_keys(spec, values)
    full = _full_context(spec, values, agency=agency, number=number, on=on or timezone.localdate(), code="")
    full["verify_url"] = ""
    with translation.override("zh-hans"):
        return rendering.render_docx(spec=spec, context=full)


def document_verify_bytes(*, document: Document, fileobj: IO[bytes] | Any) -> bool:
    """Does an uploaded copy have exactly the bytes of the issued PDF (SHA-256)?"""
    digest, _size = digest_stream(fileobj, "sha256")
    return digest == document.pdf_sha256


def document_signature_valid(*, document: Document) -> bool:
    """Is the document's signature a valid signature of its number and digest by the recorded key?"""
    if not document.signature or not document.signature_public_key:
        return False
    return signing.verify_signature(document.signature_public_key, document.signed_data(), document.signature)


# ------------------------------------------------------------------ the agency's seal image

SEAL_MAX_BYTES = 1024 * 1024
SEAL_MAX_PIXELS = 2000


def agency_seal_current(agency_id: int) -> AgencySeal | None:
    """The agency's seal in force: its newest upload, unless that row removed it."""
    seal = AgencySeal.objects.filter(agency_id=agency_id).select_related("stored_file").first()
    return None if seal is None or seal.removed or seal.stored_file is None else seal


def agency_seal_data_uri(agency_id: int) -> str:
    """The agency's seal as a data: URL for the PDF frame, or "" when it has none."""
    from core.services.files import file_open

    seal = agency_seal_current(agency_id)
    if seal is None or seal.stored_file is None:
        return ""
    with file_open(seal.stored_file) as fh:
        return rendering.image_data_uri(bytes(fh.read()), "image/png")


def _check_seal_image(data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    def refuse(reason: str) -> ValidationFailed:
        return ValidationFailed(reason, code="document_seal_invalid", field_errors={"file": [reason]})

    if not data or len(data) > SEAL_MAX_BYTES:
        raise refuse(_("The seal image must be a PNG file of at most 1 MB."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise refuse(_("The file is not a readable PNG image; upload the seal as a PNG file.")) from exc
    if kind != "PNG":
        raise refuse(_("The seal image must be a PNG file (with a transparent background)."))
    if not (50 <= width <= SEAL_MAX_PIXELS and 50 <= height <= SEAL_MAX_PIXELS):
        raise refuse(
            _("The seal image must be between 50 and %(max)d pixels wide and high.")
            % {"max": SEAL_MAX_PIXELS}
        )


def agency_seal_set(
    *, actor: Any, agency: Any, fileobj: IO[bytes] | Any, filename: str = "seal.png"
) -> AgencySeal:
    """Upload the agency's seal image (PNG): stored in the core store, in force for documents issued
    from now on (documents already issued keep their PDF)."""
    policies.ensure(actor, "manage_seal", agency)
    data = bytes(fileobj.read())
    _check_seal_image(data)
    with transaction.atomic():
        previous = agency_seal_current(agency.pk)
        stored = file_store(
            actor=actor,
            fileobj=io.BytesIO(data),
            filename=filename[:200] or "seal.png",
            content_type="image/png",
            agency_id=agency.pk,
            act="document.seal_file_store",
        )
        seal = AgencySeal.objects.create(
            agency_id=agency.pk, stored_file=stored, uploaded_by=actor if getattr(actor, "pk", None) else None
        )
        ledger_append(
            actor=actor,
            act="document.seal_set",
            obj=seal,
            agency_id=agency.pk,
            file_digest=stored.digest,
            payload={
                "before": {
                    "digest": previous.stored_file.digest if previous and previous.stored_file else None
                },
                "after": {"digest": stored.digest},
            },
        )
    return seal


def agency_seal_remove(*, actor: Any, agency: Any) -> AgencySeal:
    """Withdraw the agency's seal image: documents issued from now on show the text （印章）."""
    policies.ensure(actor, "manage_seal", agency)
    with transaction.atomic():
        previous = agency_seal_current(agency.pk)
        if previous is None:
            raise Conflict(_("The agency has no seal image to remove."), code="document_seal_none")
        seal = AgencySeal.objects.create(
            agency_id=agency.pk, removed=True, uploaded_by=actor if getattr(actor, "pk", None) else None
        )
        ledger_append(
            actor=actor,
            act="document.seal_remove",
            obj=seal,
            agency_id=agency.pk,
            payload={
                "before": {"digest": previous.stored_file.digest if previous.stored_file else None},
                "after": {"digest": None},
            },
        )
    return seal


def all_service_keys() -> tuple[ContextKey, ...]:
    return SERVICE_KEYS
