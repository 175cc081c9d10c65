"""Text records (笔录): made once, corrected only by a new version that references the old one.

行政处罚法 Art.55: questioning and inspection are done by at least two officers with 执法资格,
who show their certificates, and produce a record (询问笔录, 现场检查（勘验）笔录); the person
signs it or the refusal is noted (Arts.55/64). Art.64(八): a hearing has its own record (听证笔录).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.services.ledger import ledger_append
from org.selectors import officer_may_enforce, officers_may_investigate, visible_officers
from records import policies
from records.models import Classification, EvidenceFile, Record, RecordKind, SignatureStatus
from records.steps import STEP_RE

# Kinds whose record needs two or more certified officers (行政处罚法 Arts.42 and 55).
TWO_OFFICER_KINDS = frozenset({RecordKind.INTERVIEW, RecordKind.INSPECTION})
MAX_TEXT = 20000


def _text(value: Any, field: str, *, required: bool, label: str, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(
            _("The record needs “%(label)s”; fill it in.") % {"label": label},
            field_errors={field: [_("This field is required.")]},
        )
    if len(text) > limit:
        raise ValidationFailed(
            _("“%(label)s” may have at most %(limit)d characters.") % {"label": label, "limit": limit},
            field_errors={field: [_("Too long.")]},
        )
    return text


def _person(raw: Any) -> dict[str, str]:
    raw = raw if isinstance(raw, Mapping) else {}
    return {
        "name": _text(raw.get("name"), "person_name", required=True, label=_("name"), limit=100),
        "gender": _text(raw.get("gender"), "person_gender", required=False, label=_("gender"), limit=10),
        "id_number": _text(
            raw.get("id_number"),
            "person_id_number",
            required=True,
            label=_("identity document number"),
            limit=40,
        ),
        "phone": _text(raw.get("phone"), "person_phone", required=False, label=_("phone"), limit=40),
        "address": _text(raw.get("address"), "person_address", required=False, label=_("address"), limit=255),
        "relation": _text(
            raw.get("relation"), "person_relation", required=False, label=_("relation to the case"), limit=100
        ),
    }


def _qa(raw: Any) -> list[dict[str, str]]:
    items = [
        i
        for i in (raw or [])
        if isinstance(i, Mapping) and (str(i.get("q", "")).strip() or str(i.get("a", "")).strip())
    ]
    if not items:
        raise ValidationFailed(
            _("An interview record needs at least one question and its answer (行政处罚法 Art.55)."),
            field_errors={"qa": [_("Enter the questions and answers.")]},
        )
    out = []
    for i in items:
        q = _text(i.get("q"), "qa", required=True, label=_("question"))
        a = _text(i.get("a"), "qa", required=True, label=_("answer"))
        out.append({"q": q, "a": a})
    return out


def _people(raw: Any) -> list[dict[str, str]]:
    out = []
    for i in raw or []:
        if isinstance(i, Mapping) and str(i.get("name", "")).strip():
            out.append(
                {
                    "name": _text(
                        i.get("name"), "persons_present", required=True, label=_("name"), limit=100
                    ),
                    "role": _text(
                        i.get("role"), "persons_present", required=False, label=_("role"), limit=100
                    ),
                }
            )
    return out


def _file_refs(raw: Any, case_id: int) -> list[int]:
    ids: list[int] = []
    for v in raw or []:
        try:
            ids.append(int(v))
        except (TypeError, ValueError):
            raise ValidationFailed(
                _("“%(value)s” is not a file of this case.") % {"value": v},
                field_errors={"file_refs": [_("Unknown file.")]},
            ) from None
    found = set(EvidenceFile.objects.filter(case_id=case_id, pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            _("Files %(ids)s are not files of this case; upload them to the case first.")
            % {"ids": ", ".join(map(str, missing))},
            field_errors={"file_refs": [_("Unknown file.")]},
        )
    return ids


def clean_content(kind: str, content: Mapping[str, Any], *, case_id: int) -> dict[str, Any]:
    """The structured content of a record of `kind`, validated; ValidationFailed names the gap."""
    if kind == RecordKind.INTERVIEW:
        return {"person": _person(content.get("person")), "qa": _qa(content.get("qa"))}
    if kind == RecordKind.INSPECTION:
        return {
            "persons_present": _people(content.get("persons_present")),
            "findings": _text(content.get("findings"), "findings", required=True, label=_("findings")),
            "sketch": _text(
                content.get("sketch"), "sketch", required=False, label=_("sketch or description")
            ),
            "file_refs": _file_refs(content.get("file_refs"), case_id),
        }
    if kind == RecordKind.STATEMENT:
        return {
            "person": _person(content.get("person")),
            "statement": _text(
                content.get("statement"), "statement", required=True, label=_("statement and defence")
            ),
            "response": _text(
                content.get("response"), "response", required=False, label=_("the agency's response")
            ),
        }
    if kind == RecordKind.HEARING:
        return {
            "chair": _text(content.get("chair"), "chair", required=True, label=_("hearing chair"), limit=100),
            "recorder": _text(
                content.get("recorder"), "recorder", required=True, label=_("recorder"), limit=100
            ),
            "participants": _people(content.get("participants")),
            "public": bool(content.get("public", True)),
            "proceedings": _text(
                content.get("proceedings"), "proceedings", required=True, label=_("course of the hearing")
            ),
        }
    raise ValidationFailed(
        _("Unknown kind of record “%(kind)s”.") % {"kind": kind}, code="record_kind_unknown"
    )


def _officers(actor: Any, case: Any, officer_ids: Sequence[int], kind: str, on: datetime.date) -> list[Any]:
    officers = list(visible_officers(None).filter(pk__in=list(officer_ids), agency_id=case.agency_id))
    if len(officers) != len(set(officer_ids)):
        raise ValidationFailed(
            _("Only officers of the agency that handles the case may be named on its records."),
            field_errors={"officer_ids": [_("Choose officers of this agency.")]},
        )
    if kind in TWO_OFFICER_KINDS:
        verdict = officers_may_investigate(officers=officers, field_code=case.field_code, on=on)
        if not verdict.allowed:
            raise ValidationFailed(
                verdict.reason,
                code="record_officers_insufficient",
                basis="行政处罚法第四十二条、第五十五条",
                field_errors={"officer_ids": [verdict.reason]},
            )
    else:
        if not officers:
            raise ValidationFailed(
                _("Name at least one officer who made the record."),
                field_errors={"officer_ids": [_("Choose an officer.")]},
            )
        if not any(
            officer_may_enforce(officer=o, field_code=case.field_code, on=on).allowed for o in officers
        ):
            raise ValidationFailed(
                _(
                    "At least one officer named on the record must hold a valid enforcement certificate for "
                    "this field (行政处罚法 Art.42)."
                ),
                code="record_officers_insufficient",
                field_errors={"officer_ids": [_("No certified officer.")]},
            )
    return officers


def _check_common(
    action: str,
    place: str,
    signature: str,
    signature_note: str,
    classification: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime | None,
) -> None:
    if not STEP_RE.match(action or ""):
        raise ValidationFailed(
            _("Choose the case step the record belongs to."), field_errors={"action": [_("Choose a step.")]}
        )
    _text(place, "place", required=True, label=_("place"), limit=255)
    if signature not in SignatureStatus.values:
        raise ValidationFailed(
            _("Say whether the record was signed."), field_errors={"signature": [_("Choose.")]}
        )
    if signature != SignatureStatus.SIGNED and not signature_note.strip():
        raise ValidationFailed(
            _(
                "A record that was not signed must say why (the refusal is noted on the record, 行政处罚法 "
                "Art.55); write the circumstances in the signature note."
            ),
            field_errors={"signature_note": [_("Note why the record was not signed.")]},
        )
    if classification not in Classification.values:
        raise ValidationFailed(_("Choose a classification."), field_errors={"classification": [_("Choose.")]})
    if ended_at is not None and ended_at < started_at:
        raise ValidationFailed(
            _("The record cannot end before it started."), field_errors={"ended_at": [_("Before the start.")]}
        )
    if started_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationFailed(
            _("A record cannot start in the future."), field_errors={"started_at": [_("In the future.")]}
        )


def _snapshot(record: Record) -> dict[str, Any]:
    return {
        "kind": record.kind,
        "action": record.action,
        "version": record.version,
        "series": str(record.series),
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None,
        "place": record.place,
        "in_case_room": record.in_case_room,
        "officer_ids": sorted(o.pk for o in record.officers.all()),
        "content": record.content,
        "signature": record.signature,
        "signature_note": record.signature_note,
        "classification": record.classification,
    }


def _make(
    *,
    actor: Any,
    case: Any,
    kind: str,
    action: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime | None,
    place: str,
    in_case_room: bool,
    officer_ids: Sequence[int],
    content: Mapping[str, Any],
    signature: str,
    signature_note: str,
    classification: str,
    previous: Record | None,
    reason: str,
) -> Record:
    policies.ensure(actor, "act", case)
    _check_common(action, place, signature, signature_note, classification, started_at, ended_at)
    cleaned = clean_content(kind, content, case_id=case.pk)
    officers = _officers(actor, case, officer_ids, kind, timezone.localdate(started_at))
    with transaction.atomic():
        record = Record(
            case_id=case.pk,
            agency_id=case.agency_id,
            kind=kind,
            action=action,
            started_at=started_at,
            ended_at=ended_at,
            place=place.strip(),
            in_case_room=in_case_room and kind == RecordKind.INTERVIEW,
            content=cleaned,
            signature=signature,
            signature_note=signature_note.strip(),
            classification=classification,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if previous is not None:
            record.series = previous.series
            record.version = previous.version + 1
            record.supersedes = previous
            record.correction_reason = reason
        record.save()
        record.officers.set(officers)
        ledger_append(
            actor=actor,
            act="records.record_corrected" if previous else "records.record_created",
            obj=record,
            agency_id=case.agency_id,
            payload={
                "case_id": case.pk,
                "old": _snapshot(previous) if previous else None,
                "new": _snapshot(record),
                "reason": reason,
            },
        )
    return record


def record_create(
    *,
    actor: Any,
    case: Any,
    kind: str,
    action: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime | None = None,
    place: str,
    in_case_room: bool = False,
    officer_ids: Sequence[int],
    content: Mapping[str, Any],
    signature: str,
    signature_note: str = "",
    classification: str = Classification.INTERNAL,
) -> Record:
    """Make a text record of `kind` for `case` at step `action`.

    Interview and inspection records need ≥ 2 distinct officers certified for the case's field
    (行政处罚法 Arts.42/55; org.selectors.officers_may_investigate); the other kinds one certified
    officer. An unsigned record must note why (Art.55). One interview record questions one person.
    """
    return _make(
        actor=actor,
        case=case,
        kind=kind,
        action=action,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        in_case_room=in_case_room,
        officer_ids=officer_ids,
        content=content,
        signature=signature,
        signature_note=signature_note,
        classification=classification,
        previous=None,
        reason="",
    )


def record_correct(
    *,
    actor: Any,
    record: Record,
    reason: str,
    started_at: datetime.datetime | None = None,
    ended_at: datetime.datetime | None = None,
    place: str | None = None,
    in_case_room: bool | None = None,
    officer_ids: Sequence[int] | None = None,
    content: Mapping[str, Any] | None = None,
    signature: str | None = None,
    signature_note: str | None = None,
    classification: str | None = None,
    case: Any = None,
) -> Record:
    """Correct a record: a new version (same series, version + 1) that references the old one.

    Only the latest version may be corrected; the reason is required and recorded. Fields not given
    are copied from the old version. The old version is never changed.
    """
    if not reason.strip():
        raise ValidationFailed(
            _("A correction needs its reason; the old version stays on file next to the new one."),
            field_errors={"reason": [_("Give the reason for the correction.")]},
        )
    if Record.objects.filter(supersedes=record).exists():
        raise ValidationFailed(
            _("Version %(version)d has already been corrected; correct the latest version instead.")
            % {"version": record.version},
            code="record_not_latest",
        )
    if case is None:
        from cases.selectors import case_get

        case = case_get(case_id=record.case_id, actor=None)
    return _make(
        actor=actor,
        case=case,
        kind=record.kind,
        action=record.action,
        started_at=started_at or record.started_at,
        ended_at=ended_at if ended_at is not None else record.ended_at,
        place=place if place is not None else record.place,
        in_case_room=in_case_room if in_case_room is not None else record.in_case_room,
        officer_ids=officer_ids if officer_ids is not None else [o.pk for o in record.officers.all()],
        content=content if content is not None else record.content,
        signature=signature or record.signature,
        signature_note=signature_note if signature_note is not None else record.signature_note,
        classification=classification or record.classification,
        previous=record,
        reason=reason.strip(),
    )
