"""Retention (issue 5 §2): how long each class of material is kept, and its release with approval.

Files are never deleted nor overwritten through the application. When the retention period of a
file's class has run (counted in whole years from the day the case was closed), an officer may
request its release; a head of the agency other than the requester approves or refuses it. Each
step is a ledger act; an approved release tells the archive it may dispose of the bytes by its own
procedure (the vault keeps them until then, and `zhifa ledger verify` keeps checking them).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services.ledger import ledger_append
from records import policies
from records.models import (
    AV_KINDS,
    EvidenceFile,
    ReleaseStatus,
    RetentionClass,
    RetentionRelease,
    RetentionRule,
)
from records.selectors import add_years as _add_years
from records.selectors import evidence_items, retention_years

TRANSITIONS: dict[str, set[str]] = {ReleaseStatus.REQUESTED: {ReleaseStatus.APPROVED, ReleaseStatus.REFUSED}}


def file_class(file: EvidenceFile) -> str:
    """The retention class of a file: evidence when listed in a used evidence item, else by kind."""
    items = [i for i in evidence_items(case=file.case) if any(f.pk == file.pk for f in i.files.all())]
    used = any(not getattr(i, "is_excluded", False) for i in items)
    if used:
        return RetentionClass.EVIDENCE
    if file.media_kind in AV_KINDS:
        return RetentionClass.AV_UNUSED
    return RetentionClass.OTHER_FILE


def kept_until(*, case: Any, file: EvidenceFile) -> tuple[str, int, datetime.date | None]:
    """(class, years, last day kept) of a file; the day is None while the case is not closed."""
    record_class = file_class(file)
    years = retention_years(record_class)
    closed = getattr(case, "closed_on", None)
    return record_class, years, (_add_years(closed, years) if closed else None)


def retention_rule_update(*, actor: Any, rule: RetentionRule, years: int, basis: str = "") -> RetentionRule:
    policies.ensure(actor, "configure", None)
    if not 1 <= int(years) <= 100:
        raise ValidationFailed(
            _("A retention period is 1 to 100 years."), field_errors={"years": [_("1 to 100 years.")]}
        )
    with transaction.atomic():
        rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
        old = {"years": rule.years, "basis": rule.basis}
        rule.years = int(years)
        rule.basis = basis or rule.basis
        rule.save(update_fields=["years", "basis", "updated_at"])
        ledger_append(
            actor=actor,
            act="records.retention_rule_changed",
            obj=rule,
            payload={
                "class": rule.record_class,
                "old": old,
                "new": {"years": rule.years, "basis": rule.basis},
            },
        )
    return rule


def release_request(*, actor: Any, case: Any, file: EvidenceFile, reason: str) -> RetentionRelease:
    """Ask that `file` be released after its retention period; refused before the period has run."""
    policies.ensure(actor, "archive", case)
    if file.case_id != case.pk:
        raise ValidationFailed(_("The file belongs to another case."), code="release_other_case")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason for the release."), field_errors={"reason": [_("Required.")]}
        )
    record_class, years, until = kept_until(case=case, file=file)
    today = timezone.localdate()
    if until is None or today <= until:
        raise ValidationFailed(
            _(
                "%(file)s is kept %(years)d years after the case is closed (%(class)s), until %(until)s; it "
                "cannot be released before then."
            )
            % {
                "file": file.filename,
                "years": years,
                "class": RetentionClass(record_class).label,
                "until": until.isoformat() if until else _("the case is closed plus the period"),
            },
            code="release_retention_running",
        )
    with transaction.atomic():
        if RetentionRelease.objects.filter(
            file=file, status__in=[ReleaseStatus.REQUESTED, ReleaseStatus.APPROVED]
        ).exists():
            raise Conflict(
                _("A release of this file is already requested or approved."), code="release_exists"
            )
        release = RetentionRelease.objects.create(
            file=file,
            record_class=record_class,
            years=years,
            kept_until=until,
            reason=reason,
            requested_by=actor if getattr(actor, "pk", None) else None,
        )
        ledger_append(
            actor=actor,
            act="records.release_requested",
            obj=release,
            agency_id=case.agency_id,
            file_digest=file.stored.digest,
            payload={
                "case_id": case.pk,
                "file_id": file.pk,
                "class": record_class,
                "years": years,
                "kept_until": until.isoformat(),
                "reason": reason,
            },
        )
    return release


def _move(release: RetentionRelease, to: str) -> None:
    if to not in TRANSITIONS.get(release.status, set()):
        raise Conflict(
            _("This release is already %(status)s.") % {"status": release.get_status_display()},
            code="release_decided",
        )
    release.status = to


def release_decide(
    *, actor: Any, case: Any, release: RetentionRelease, approve: bool, note: str = ""
) -> RetentionRelease:
    """A head of the agency approves or refuses a requested release (never the requester)."""
    policies.ensure(actor, "release", case)
    if release.requested_by_id is not None and release.requested_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _("The officer who requested the release may not approve it; another head decides."),
            code="release_own_request",
        )
    with transaction.atomic():
        release = RetentionRelease.objects.select_for_update().get(pk=release.pk)
        _move(release, ReleaseStatus.APPROVED if approve else ReleaseStatus.REFUSED)
        release.decided_by = actor if getattr(actor, "pk", None) else None
        release.decided_at = timezone.now()
        release.decision_note = (note or "").strip()
        release.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        ledger_append(
            actor=actor,
            act="records.release_approved" if approve else "records.release_refused",
            obj=release,
            agency_id=case.agency_id,
            file_digest=release.file.stored.digest,
            payload={"case_id": case.pk, "file_id": release.file_id, "note": release.decision_note},
        )
    return release
