"""Reads of records and evidence, and the questions other apps ask (`av_missing`, `evidence_verify`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.selectors import visible_cases
from core.errors import NotFound
from core.models import LedgerEntry
from core.prepared import PreparedRead
from core.services.files import digest_stream, evidence_storage
from records import policies
from records.models import (
    AV_KINDS,
    DEFAULT_RETENTION,
    ArchivePackage,
    AvRequirement,
    AvRule,
    Classification,
    EvidenceExclusion,
    EvidenceFile,
    EvidenceItem,
    Record,
    RetentionClass,
    RetentionRelease,
    RetentionRule,
)
from records.steps import step_label
from records.storage import open_stream

# ----------------------------------------------------------------------------- records


def case_records(*, actor: Any, case: Any, latest_only: bool = True) -> QuerySet[Record]:
    """The case's records (by default only the latest version of each); sensitive ones only for
    those allowed to see them (records.policies "view_sensitive")."""
    qs = Record.objects.filter(case_id=case.pk).prefetch_related("officers").order_by("started_at", "pk")
    if latest_only:
        qs = qs.filter(superseded_by__isnull=True)
    if not policies.can(actor, "view_sensitive", case):
        qs = qs.exclude(classification=Classification.SENSITIVE)
    return qs


def case_record_get(*, actor: Any, case: Any, record_id: int) -> Record:
    """One record of the case (any version): NotFound when the case has none with that id,
    PermissionDenied (a ledger act) when it is sensitive and the actor may not see it."""
    record: Record | None = (
        Record.objects.prefetch_related("officers").filter(case_id=case.pk, pk=record_id).first()
    )
    if record is None:
        raise NotFound(
            _("Case %(case)s has no record %(id)d.") % {"case": case, "id": record_id},
            code="record_not_found",
        )
    if record.classification == Classification.SENSITIVE:
        policies.ensure(actor, "view_sensitive", case)
    return record


def case_file_get(*, actor: Any, case: Any, file_id: int) -> EvidenceFile:
    """One file of the case: NotFound when the case has none with that id, PermissionDenied (a ledger
    act) when it is sensitive and the actor may not see it."""
    file: EvidenceFile | None = (
        EvidenceFile.objects.select_related("stored").filter(case_id=case.pk, pk=file_id).first()
    )
    if file is None:
        raise NotFound(
            _("Case %(case)s has no file %(id)d.") % {"case": case, "id": file_id}, code="file_not_found"
        )
    if file.classification == Classification.SENSITIVE:
        policies.ensure(actor, "view_sensitive", case)
    return file


def record_versions(*, record: Record) -> QuerySet[Record]:
    return Record.objects.filter(series=record.series).order_by("version")


def case_files(*, actor: Any, case: Any) -> QuerySet[EvidenceFile]:
    qs = EvidenceFile.objects.filter(case_id=case.pk).select_related("stored", "record", "uploaded_by")
    if not policies.can(actor, "view_sensitive", case):
        qs = qs.exclude(classification=Classification.SENSITIVE)
    return qs.order_by("pk")


def receipt_scans(*, actor: Any, case: Any, delivery_ref: str | int = "") -> QuerySet[EvidenceFile]:
    """The signed delivery-receipt scans of the case (records.services.receipt_scan_attach), of one
    delivery when `delivery_ref` is given; sensitive ones only for those who may see them."""
    qs = case_files(actor=actor, case=case).exclude(delivery_ref="")
    if delivery_ref:
        qs = qs.filter(delivery_ref=str(delivery_ref))
    return qs


def _evidence_items_q(case_id: int) -> QuerySet[EvidenceItem]:
    latest = EvidenceExclusion.objects.filter(item=OuterRef("pk")).order_by("-pk").values("excluded")[:1]
    qs: QuerySet[EvidenceItem] = (
        EvidenceItem.objects.filter(case_id=case_id)
        .annotate(is_excluded=Coalesce(Subquery(latest), Value(False), output_field=BooleanField()))
        .order_by("number")
    )
    return qs


def evidence_items(*, case: Any) -> QuerySet[EvidenceItem]:
    """The evidence list with `is_excluded` (from the latest exclusion row) on each item."""
    return _evidence_items_q(case.pk).prefetch_related("collected_by", "files", "exclusions")


_EVIDENCE_ITEMS: PreparedRead[EvidenceItem] = PreparedRead(_evidence_items_q)


def evidence_item_list(*, case_id: int) -> list[EvidenceItem]:
    """The evidence items with `is_excluded`, without their files and collectors: what the case's
    documents list (one compiled read; the documents' checks ask it on every case page)."""
    return _EVIDENCE_ITEMS(int(case_id))


# ----------------------------------------------------------------------------- audio-video


def av_rules() -> QuerySet[AvRule]:
    return AvRule.objects.order_by("pk")


def _when_matches(rule: AvRule, data: Mapping[str, Any] | None) -> bool:
    if not rule.when:
        return True
    if data is None:
        return False
    return all(str(data.get(key, "")) in values for key, values in rule.when.items())


# The rules that block a step, compiled once (core.prepared): the case page's guards ask on every view.
_REQUIRED_AV_RULES: PreparedRead[AvRule] = PreparedRead(
    lambda: AvRule.objects.filter(requirement=AvRequirement.REQUIRED).order_by("pk")
)


def required_av_rules() -> list[AvRule]:
    """The audio-video rules whose requirement is "required", in order."""
    return _REQUIRED_AV_RULES()


def av_missing(
    *,
    case_id: int,
    action: str,
    data: Mapping[str, Any] | None = None,
    rules: Sequence[AvRule] | None = None,
) -> list[str]:
    """What whole-process audio-video recording is still missing before `action` may be done on the case.

    Returns one Chinese message per unmet rule, naming the step, the rule's basis and what to
    attach; an empty list means the action is not blocked by audio-video rules. For the cases
    workflow: call it with the action about to be taken (and the action's request data, for rules
    with a condition such as 留置送达 = `deliver` with `method` "left_at_residence") and refuse
    the transition while the list is not empty.

    Only rules whose requirement is "required" block (the "as needed" ones are the officer's
    judgement). A rule applies when its `action` equals `action` and its condition `when` matches
    `data` (a rule with a condition never applies when `data` is None). It is satisfied:
    - for a step rule: by an audio or video `EvidenceFile` of the case attached to the step `action`;
    - for a record rule (`record_kind`, default: questioning in the case-handling room, checked
      before `report`): when every latest record of that kind made in the case-handling room
      (`in_case_room`) has an audio or video file attached to it (any version of the record).
    """
    missing: list[str] = []
    for rule in required_av_rules() if rules is None else rules:
        if rule.action != action or rule.requirement != AvRequirement.REQUIRED:
            continue
        if not _when_matches(rule, data):
            continue
        basis = rule.basis or "国办发〔2018〕118号"
        if rule.record_kind:
            records = Record.objects.filter(
                case_id=case_id, kind=rule.record_kind, in_case_room=True, superseded_by__isnull=True
            ).order_by("pk")
            for record in records:
                has_av = EvidenceFile.objects.filter(
                    record__series=record.series, media_kind__in=AV_KINDS
                ).exists()
                if not has_av:
                    missing.append(
                        _(
                            "%(rule)s requires whole-process audio-video recording (%(basis)s): record "
                            "%(record)s made on %(date)s has no audio or video file. Attach the recording to "
                            "that record before “%(step)s”."
                        )
                        % {
                            "rule": rule.label,
                            "basis": basis,
                            "record": record,
                            "date": record.started_at.date().isoformat(),
                            "step": step_label(action),
                        }
                    )
            continue
        has_av = EvidenceFile.objects.filter(case_id=case_id, action=action, media_kind__in=AV_KINDS).exists()
        if not has_av:
            missing.append(
                _(
                    "%(rule)s requires whole-process audio-video recording (%(basis)s): the case has "
                    "no audio or video file for the step “%(step)s”. Upload the recording on the case's "
                    "records page and attach it to that step."
                )
                % {"rule": rule.label, "basis": basis, "step": step_label(action)}
            )
    return missing


# ----------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class FileCheck:
    file: EvidenceFile
    digest: str
    status: str  # ok | altered | missing | ledger_mismatch | unrecorded
    detail: str = ""
    ledger_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


STATUS_LABELS = {
    "ok": gettext_lazy("intact"),
    "altered": gettext_lazy("altered: the bytes no longer match the digest"),
    "missing": gettext_lazy("missing from the store"),
    "ledger_mismatch": gettext_lazy("the ledger records another digest"),
    "unrecorded": gettext_lazy("no ledger entry records the capture"),
}


def evidence_verify(case_id: int, *, files: QuerySet[EvidenceFile] | None = None) -> list[FileCheck]:
    """Re-hash each file of the case in the store and compare it with the ledger's capture act.

    For each `EvidenceFile`: the `records.file_captured` ledger entry for it must carry the stored
    file's digest (`ledger_mismatch` / `unrecorded` otherwise); the stored bytes must exist
    (`missing`) and hash to that digest with the recorded size (`altered`). Reads every byte once,
    in constant memory. The caller checks that the actor may view the case.
    """
    qs = files if files is not None else EvidenceFile.objects.filter(case_id=case_id)
    qs = qs.select_related("stored").order_by("pk")
    entries = {
        e.object_id: e
        for e in LedgerEntry.objects.filter(
            act="records.file_captured",
            object_type=EvidenceFile._meta.label_lower,
            object_id__in=[str(f.pk) for f in qs],
        ).only("seq", "object_id", "file_digest")
    }
    storage = evidence_storage()
    results: list[FileCheck] = []
    hashed: dict[str, tuple[str, int] | None] = {}
    for f in qs:
        stored = f.stored
        entry = entries.get(str(f.pk))
        if entry is None:
            results.append(FileCheck(f, stored.digest, "unrecorded"))
            continue
        if entry.file_digest != stored.digest:
            results.append(
                FileCheck(f, stored.digest, "ledger_mismatch", f"ledger {entry.file_digest}", entry.seq)
            )
            continue
        if stored.digest not in hashed:
            if not storage.exists(stored.storage_name):
                hashed[stored.digest] = None
            else:
                with open_stream(stored.storage_name) as fh:
                    hashed[stored.digest] = digest_stream(fh, stored.algorithm)
        got = hashed[stored.digest]
        if got is None:
            results.append(FileCheck(f, stored.digest, "missing", stored.storage_name, entry.seq))
        elif got != (stored.digest, stored.size):
            results.append(
                FileCheck(f, stored.digest, "altered", f"now {got[0]} ({got[1]} bytes)", entry.seq)
            )
        else:
            results.append(FileCheck(f, stored.digest, "ok", "", entry.seq))
    return results


# ----------------------------------------------------------------------------- archive


def archive_packages(*, case: Any) -> QuerySet[ArchivePackage]:
    """The case's archive packages, newest first."""
    return (
        ArchivePackage.objects.filter(case_id=case.pk).select_related("stored", "created_by").order_by("-pk")
    )


def archive_missing(*, case_id: int) -> list[str]:
    """What is missing before the case may move to `archived` (the cases workflow's `archive` action).

    Empty when an archive package exists that was built after the case's last record, file or
    evidence change; otherwise one message saying to build (or rebuild) the package.
    """
    package = ArchivePackage.objects.filter(case_id=case_id).order_by("-pk").first()
    if package is None:
        return [
            _(
                "The case file has no archive package yet: build it on the case's records page (案卷归档) or "
                "with “zhifa archive build %(id)d”, then archive the case."
            )
            % {"id": case_id}
        ]
    newer = (
        Record.objects.filter(case_id=case_id, created_at__gt=package.created_at).exists()
        or EvidenceFile.objects.filter(case_id=case_id, created_at__gt=package.created_at).exists()
        or EvidenceItem.objects.filter(case_id=case_id, created_at__gt=package.created_at).exists()
        or EvidenceExclusion.objects.filter(item__case_id=case_id, created_at__gt=package.created_at).exists()
    )
    if newer:
        return [
            _(
                "Records or evidence of the case changed after its archive package was built; build the "
                "package again, then archive the case."
            )
        ]
    return []


# ----------------------------------------------------------------------------- retention


def retention_years(record_class: str) -> int:
    """The years material of `record_class` is kept after closing (the rule's row, else the default)."""
    row = RetentionRule.objects.filter(record_class=record_class).values_list("years", flat=True).first()
    return int(row) if row is not None else DEFAULT_RETENTION[record_class][0]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_rules() -> QuerySet[RetentionRule]:
    return RetentionRule.objects.order_by("pk")


def file_releases(*, case: Any) -> QuerySet[RetentionRelease]:
    return (
        RetentionRelease.objects.filter(file__case_id=case.pk)
        .select_related("file", "requested_by")
        .order_by("-pk")
    )


@dataclass(frozen=True)
class RetentionRow:
    """One file of a closed case with its retention class, period, last day kept and release (if any)."""

    file: EvidenceFile
    case: Any
    record_class: str
    years: int
    kept_until: datetime.date
    release: RetentionRelease | None

    @property
    def class_label(self) -> str:
        return str(RetentionClass(self.record_class).label)


def _used_evidence_file_ids(case_ids: list[int]) -> set[int]:
    """Files listed in an evidence item that is not (currently) excluded, for the given cases."""
    latest = EvidenceExclusion.objects.filter(item=OuterRef("pk")).order_by("-pk").values("excluded")[:1]
    used_items = (
        EvidenceItem.objects.filter(case_id__in=case_ids)
        .annotate(is_excluded=Coalesce(Subquery(latest), Value(False), output_field=BooleanField()))
        .filter(is_excluded=False)
    )
    return set(
        EvidenceItem.files.through.objects.filter(evidenceitem__in=used_items).values_list(
            "evidencefile_id", flat=True
        )
    )


def retention_rows(
    *,
    actor: Any,
    today: Any = None,
    agency_id: int | None = None,
    record_class: str = "",
    due_only: bool = True,
) -> list[RetentionRow]:
    """Files of the closed cases the actor may read, with their retention (issue 5 §2).

    `due_only`: only files whose period has run (the last day kept lies before `today`), i.e. what
    the archive may be asked to release. A file's class: "evidence" when listed in an evidence item
    that is not excluded, else "audio-video not used as evidence" for audio and video, else "other
    files"; its period is the class's `RetentionRule` in whole years from the day the case was closed.
    Sensitive files appear only to those who may see them. Rows in case order, then file order; the
    latest release of each file (requested, approved or refused) comes with it.
    """
    today = today or timezone.localdate()
    cases = visible_cases(actor).filter(status__in=["closed", "archived"], closed_on__isnull=False)
    if agency_id:
        cases = cases.filter(agency_id=agency_id)
    years = {cls: retention_years(cls) for cls in RetentionClass.values}
    if due_only:
        file_classes = (RetentionClass.EVIDENCE, RetentionClass.AV_UNUSED, RetentionClass.OTHER_FILE)
        shortest = min(years[c] for c in file_classes)
        cases = cases.filter(closed_on__lt=add_years(today, -shortest))
    by_id = {c.pk: c for c in cases.order_by("pk")}
    if not by_id:
        return []
    used = _used_evidence_file_ids(list(by_id))
    latest_release = {
        r.file_id: r
        for r in RetentionRelease.objects.filter(file__case_id__in=list(by_id))
        .select_related("requested_by", "decided_by")
        .order_by("pk")
    }
    sensitive_ok: dict[int, bool] = {}
    rows: list[RetentionRow] = []
    files = (
        EvidenceFile.objects.filter(case_id__in=list(by_id))
        .select_related("stored")
        .order_by("case_id", "pk")
    )
    for f in files:
        case = by_id[f.case_id]
        if f.classification == Classification.SENSITIVE:
            if case.pk not in sensitive_ok:
                sensitive_ok[case.pk] = policies.can(actor, "view_sensitive", case)
            if not sensitive_ok[case.pk]:
                continue
        if f.pk in used:
            cls = RetentionClass.EVIDENCE
        elif f.media_kind in AV_KINDS:
            cls = RetentionClass.AV_UNUSED
        else:
            cls = RetentionClass.OTHER_FILE
        if record_class and cls != record_class:
            continue
        if case.closed_on is None:  # filtered out above
            continue
        until = add_years(case.closed_on, years[cls])
        if due_only and not until < today:
            continue
        rows.append(RetentionRow(f, case, str(cls), years[cls], until, latest_release.get(f.pk)))
    return rows


def release_get(*, actor: Any, release_id: int) -> RetentionRelease | None:
    """A release of a file of a case the actor may read (None otherwise)."""
    release = RetentionRelease.objects.select_related("file", "file__stored").filter(pk=release_id).first()
    if release is None or not visible_cases(actor).filter(pk=release.file.case_id).exists():
        return None
    return release


def releases(*, actor: Any, status: str = "") -> QuerySet[RetentionRelease]:
    """Releases of files of the cases the actor may read, newest first (sensitive files only for those
    who may see them is checked by the caller per case; the list shows names only through rows)."""
    qs = RetentionRelease.objects.filter(file__case__in=visible_cases(actor)).select_related(
        "file", "file__stored", "requested_by", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")
