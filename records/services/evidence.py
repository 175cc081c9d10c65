"""The case's evidence list (证据清单), 行政处罚法 Art.46.

Each item has its kind (Art.46's eight kinds), what it proves, its source, who collected it and
when, and the files and record it rests on. Art.46 (last para.): evidence obtained illegally is not
a basis for the decision — such an item is excluded with its reason. Items are never changed or
deleted: an exclusion or a reinstatement is a new `EvidenceExclusion` row, so the history stays.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from core.services.ledger import ledger_append
from org.selectors import visible_officers
from records import policies
from records.models import EvidenceExclusion, EvidenceFile, EvidenceItem, EvidenceKind, Record


def _required(value: str, field: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(
            _("Fill in “%(label)s”.") % {"label": label}, field_errors={field: [_("This field is required.")]}
        )
    if len(text) > limit:
        raise ValidationFailed(
            _("“%(label)s” may have at most %(limit)d characters.") % {"label": label, "limit": limit},
            field_errors={field: [_("Too long.")]},
        )
    return text


def evidence_item_add(
    *,
    actor: Any,
    case: Any,
    kind: str,
    title: str,
    proves: str,
    source: str,
    collected_by_ids: Sequence[int],
    collected_on: datetime.date,
    file_ids: Sequence[int] = (),
    record: Record | None = None,
) -> EvidenceItem:
    """List one item of evidence for `case` (numbered 1, 2, … per case)."""
    policies.ensure(actor, "act", case)
    if kind not in EvidenceKind.values:
        raise ValidationFailed(
            _("Choose one of the kinds of evidence of 行政处罚法 Art.46."),
            field_errors={"kind": [_("Choose a kind.")]},
        )
    title = _required(title, "title", _("name"), 200)
    proves = _required(proves, "proves", _("what it proves"), 5000)
    source = _required(source, "source", _("source"), 255)
    officers = list(visible_officers(None).filter(pk__in=list(collected_by_ids), agency_id=case.agency_id))
    if not officers or len(officers) != len(set(collected_by_ids)):
        raise ValidationFailed(
            _("Name the officers of this agency who collected the evidence."),
            field_errors={"collected_by_ids": [_("Choose officers of this agency.")]},
        )
    files = list(EvidenceFile.objects.filter(case_id=case.pk, pk__in=list(file_ids)))
    if len(files) != len(set(file_ids)):
        raise ValidationFailed(
            _("Some files are not files of this case."), field_errors={"file_ids": [_("Unknown file.")]}
        )
    if record is not None and record.case_id != case.pk:
        raise ValidationFailed(_("The record belongs to another case."), code="record_other_case")
    with transaction.atomic():
        number = (EvidenceItem.objects.filter(case_id=case.pk).aggregate(n=Max("number"))["n"] or 0) + 1
        item = EvidenceItem(
            case_id=case.pk,
            agency_id=case.agency_id,
            number=number,
            kind=kind,
            title=title,
            proves=proves,
            source=source,
            collected_on=collected_on,
            record=record,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        item.save()
        item.collected_by.set(officers)
        item.files.set(files)
        ledger_append(
            actor=actor,
            act="records.evidence_listed",
            obj=item,
            agency_id=case.agency_id,
            payload={
                "case_id": case.pk,
                "new": {
                    "number": number,
                    "kind": kind,
                    "title": title,
                    "proves": proves,
                    "source": source,
                    "collected_by": sorted(o.pk for o in officers),
                    "collected_on": collected_on.isoformat(),
                    "files": sorted(f.pk for f in files),
                    "file_digests": sorted({f.stored.digest for f in files}),
                    "record_id": record.pk if record else None,
                },
            },
        )
    return item


def evidence_is_excluded(item: EvidenceItem) -> bool:
    last = EvidenceExclusion.objects.filter(item=item).order_by("-pk").first()
    return bool(last and last.excluded)


def _toggle(*, actor: Any, case: Any, item: EvidenceItem, reason: str, exclude: bool) -> EvidenceExclusion:
    policies.ensure(actor, "act", case)
    if item.case_id != case.pk:
        raise ValidationFailed(_("The item belongs to another case."), code="evidence_other_case")
    reason = _required(reason, "reason", _("reason"), 5000)
    with transaction.atomic():
        if evidence_is_excluded(item) == exclude:
            message = (
                _("Evidence %(item)s is already excluded.")
                if exclude
                else _("Evidence %(item)s is not excluded; there is nothing to reinstate.")
            )
            raise Conflict(message % {"item": item}, code="evidence_state")
        row = EvidenceExclusion(
            item=item,
            excluded=exclude,
            reason=reason,
            decided_by=actor if getattr(actor, "pk", None) else None,
        )
        row.save()
        ledger_append(
            actor=actor,
            act="records.evidence_excluded" if exclude else "records.evidence_reinstated",
            obj=item,
            agency_id=case.agency_id,
            payload={
                "case_id": case.pk,
                "number": item.number,
                "old": {"excluded": not exclude},
                "new": {"excluded": exclude},
                "reason": reason,
            },
        )
    return row


def evidence_exclude(*, actor: Any, case: Any, item: EvidenceItem, reason: str) -> EvidenceExclusion:
    """Exclude an item from the evidence (行政处罚法 Art.46: illegally obtained evidence is no basis)."""
    return _toggle(actor=actor, case=case, item=item, reason=reason, exclude=True)


def evidence_reinstate(*, actor: Any, case: Any, item: EvidenceItem, reason: str) -> EvidenceExclusion:
    """Take back an exclusion (a new row; the exclusion stays in the history)."""
    return _toggle(actor=actor, case=case, item=item, reason=reason, exclude=False)
