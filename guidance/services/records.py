"""Guidance records (事前提示 / 事中指导 / 行政指导, issue 8 §3; seeds 000 三(三)1, 004 二(二)):
提示书 and 指导意见书 issued as documents, on-site guidance recorded, a rectification deadline on
the clock, and its outcome — not rectified becomes a case lead in one act."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from core.errors import Conflict, ValidationFailed
from core.models import Deadline
from core.services.clock import deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from documents import services as document_services
from guidance import policies, selectors
from guidance.models import GuidanceKind, GuidanceRecord, GuidanceStatus, Method
from guidance.services._common import clean, move
from org import selectors as org_selectors

G = GuidanceStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    G.RECORDED: frozenset(),
    G.RECTIFYING: frozenset({G.RECTIFIED, G.NOT_RECTIFIED}),
    G.RECTIFIED: frozenset(),
    G.NOT_RECTIFIED: frozenset(),
}
DOCUMENT_KINDS = {GuidanceKind.PROMPT: "guidance_prompt", GuidanceKind.OPINION: "guidance_opinion"}
BASIS = "服务型行政执法：事前提示、事中指导（seed 000 三(二)2；限期由执法人员确定）"


# Every document number is unique (documents.Document.number): each kind gets its customary mark
# unless the agency configured a pattern of its own (core NumberPattern), as cases and service do.
NUMBER_PATTERNS = {
    "guidance_prompt": "{prefix}提示〔{year}〕{seq}号",
    "guidance_opinion": "{prefix}指导〔{year}〕{seq}号",
}


def ensure_number_pattern(*, agency_id: int, sequence: str) -> None:
    """Record the default pattern of `sequence` for the agency (a system act) unless one is set."""
    from core.models import NumberPattern
    from core.scoping import agency_label
    from core.services.numbering import number_pattern_set

    if NumberPattern.objects.filter(agency_id=agency_id, kind=sequence).exists():
        return
    label = agency_label(agency_id)
    prefix = str(label.get("short_name") or label.get("name") or "")[:60]
    number_pattern_set(
        actor=None, agency_id=agency_id, kind=sequence, pattern=NUMBER_PATTERNS[sequence], prefix=prefix
    )


def _move(record: GuidanceRecord, *, to: str, actor: Any, act: str, payload: dict[str, Any]) -> None:
    move(
        record,
        table=TRANSITIONS,
        labels=G,
        to=to,
        actor=actor,
        act=act,
        code="guidance_transition_refused",
        payload=payload,
    )


def guidance_record(
    *,
    actor: Any,
    kind: str,
    method: str,
    party_name: str,
    matter: str,
    advice: str,
    occurred_on: datetime.date | None,
    officer_ids: Sequence[Any] = (),
    party_id_number: str = "",
    party_address: str = "",
    party_phone: str = "",
    place: str = "",
    basis: str = "",
    rectification_text: str = "",
    rectification_deadline: datetime.date | None = None,
    related_case_id: int | None = None,
) -> GuidanceRecord:
    """记录行政指导: a 提示书 or 指导意见书 is issued as a document in the same act; on-site guidance
    names its place and officers; a rectification deadline starts a time limit on the clock."""
    officer = org_selectors.officer_for(actor)
    agency = officer.agency if officer is not None else None
    policies.ensure(actor, "record", GuidanceRecord(agency=agency) if agency else None)
    assert agency is not None and officer is not None
    errors: dict[str, list[str]] = {}
    party_name, matter, advice = clean(party_name, 200), clean(matter, 300), clean(advice)
    place, basis, rectification_text = clean(place, 255), clean(basis, 500), clean(rectification_text, 500)
    if kind not in GuidanceKind.values:
        errors["kind"] = [_("Choose a 提示书, a 指导意见书 or on-site guidance.")]
    if method not in Method.values:
        errors["method"] = [_("Choose the method of guidance.")]
    if not party_name:
        errors["party_name"] = [_("Name the party guided.")]
    if not matter:
        errors["matter"] = [_("Name the matter of the guidance.")]
    if not advice:
        errors["advice"] = [_("Write what was advised.")]
    today = timezone.localdate()
    if not isinstance(occurred_on, datetime.date) or occurred_on > today:
        errors["occurred_on"] = [_("Give the day of the guidance (not in the future).")]
    officers = list(
        selectors.agency_officers(agency_id=agency.pk).filter(pk__in=[_int(i) for i in officer_ids])
    )
    if kind == GuidanceKind.ONSITE:
        if not place:
            errors["place"] = [_("On-site guidance names the place where it was given.")]
        if not officers:
            errors["officers"] = [_("Name the officer(s) who gave the on-site guidance.")]
    if rectification_deadline is not None:
        if not rectification_text:
            errors["rectification_text"] = [_("Say what is to be rectified by the deadline.")]
        if isinstance(occurred_on, datetime.date) and rectification_deadline <= occurred_on:
            errors["rectification_deadline"] = [
                _("The rectification deadline lies after the day of the guidance.")
            ]
    elif rectification_text:
        errors["rectification_deadline"] = [_("Give the deadline for the rectification.")]
    if errors:
        raise ValidationFailed(
            _("The guidance was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    assert isinstance(occurred_on, datetime.date)
    if officer not in officers and kind != GuidanceKind.ONSITE:
        officers.append(officer)
    with transaction.atomic():
        record = GuidanceRecord.objects.create(
            agency=agency,
            kind=kind,
            method=method,
            party_name=party_name,
            party_id_number=clean(party_id_number, 40),
            party_address=clean(party_address, 255),
            party_phone=clean(party_phone, 30),
            place=place,
            occurred_on=occurred_on,
            matter=matter,
            advice=advice,
            basis=basis,
            rectification_text=rectification_text,
            rectification_deadline=rectification_deadline,
            related_case_id=related_case_id,
            status=G.RECTIFYING if rectification_deadline else G.RECORDED,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        record.officers.set(officers)
        if kind in DOCUMENT_KINDS:
            ensure_number_pattern(agency_id=agency.pk, sequence=DOCUMENT_KINDS[GuidanceKind(kind)])
            document = document_services.document_issue(
                actor=actor,
                kind=DOCUMENT_KINDS[GuidanceKind(kind)],
                context={
                    "party_name": party_name,
                    "party_address": record.party_address,
                    "matter": matter,
                    "content": [line.strip() for line in advice.splitlines() if line.strip()],
                    "basis": basis,
                    "rectification_text": rectification_text,
                    "rectification_deadline": rectification_deadline,
                },
                subject_type="guidance.guidancerecord",
                subject_id=record.pk,
                agency=agency,
                key=f"guidance-{record.pk}",
            )
            record.document_id, record.document_number = document.pk, document.number
            record.save(update_fields=["document_id", "document_number"])
        ledger_append(
            actor=actor,
            act="guidance.record",
            obj=record,
            agency_id=agency.pk,
            payload={
                "kind": kind,
                "method": method,
                "officers": [o.pk for o in officers],
                "document": record.document_number or None,
                "rectification_deadline": rectification_deadline.isoformat()
                if rectification_deadline
                else None,
                "status": record.status,
            },
        )
        if rectification_deadline:
            deadline_start(
                actor=actor,
                subject=record,
                agency_id=agency.pk,
                kind=selectors.RECTIFICATION,
                title="行政指导整改期限",
                legal_basis=BASIS,
                unit=Deadline.Unit.CALENDAR_DAYS,
                amount=(rectification_deadline - occurred_on).days,
                start_date=occurred_on,
                responsible=actor if getattr(actor, "pk", None) else None,
            )
    return record


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**62 else 0


def guidance_outcome(*, actor: Any, record: GuidanceRecord, rectified: bool, note: str) -> GuidanceRecord:
    """整改结果: rectified closes the record; not rectified (only once the deadline has passed) turns it
    into a case lead in the same act (source patrol, the guidance named as the reporter)."""
    policies.ensure(actor, "outcome", record)
    note = clean(note)
    if not note:
        raise ValidationFailed(
            _("Say what was found (e.g. the site visit on the deadline)."),
            field_errors={"note": [_("Describe what was found.")]},
            status=422,
        )
    today = timezone.localdate()
    with transaction.atomic():
        locked = GuidanceRecord.objects.select_for_update().select_related("agency").get(pk=record.pk)
        if locked.status != G.RECTIFYING:
            raise Conflict(
                _("Only guidance with a rectification deadline still running has an outcome to record."),
                code="guidance_no_rectification",
            )
        assert locked.rectification_deadline is not None
        locked.outcome_note, locked.outcome_on = note, today
        if rectified:
            _move(locked, to=G.RECTIFIED, actor=actor, act="guidance.rectified", payload={"note": note})
        else:
            if today <= locked.rectification_deadline:
                raise Conflict(
                    _(
                        "The party has until %(due)s to rectify: a failure to rectify is recorded only after "
                        "the deadline has passed."
                    )
                    % {"due": locked.rectification_deadline.isoformat()},
                    code="guidance_deadline_running",
                )
            case = case_services.lead_register(
                actor=actor,
                agency=locked.agency,
                source="patrol",
                discovered_on=today,
                description=(
                    f"行政指导后逾期未整改：{locked.party_name}，{locked.matter}。"
                    f"指导内容：{locked.advice}。整改要求：{locked.rectification_text}"
                    f"（期限{locked.rectification_deadline.isoformat()}）。核查情况：{note}"
                ),
                location=locked.place,
                reported_by=f"行政指导记录 {locked.document_number or locked.pk}",
                title=f"{locked.party_name}{locked.matter}逾期未整改"[:200],
            )
            locked.case_id = case.pk
            _move(
                locked,
                to=G.NOT_RECTIFIED,
                actor=actor,
                act="guidance.not_rectified",
                payload={"note": note, "case": case.pk},
            )
        for deadline in selectors.deadlines_of(locked, kind=selectors.RECTIFICATION, open_only=True):
            deadline_satisfy(actor=actor, deadline=deadline, by_act="guidance.outcome")
    for field in GuidanceRecord._meta.concrete_fields:
        setattr(record, field.attname, getattr(locked, field.attname))
    return record
