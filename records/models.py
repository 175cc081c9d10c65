"""Whole-process records and the evidence vault (issue 5).

- `Record`: a text record (笔录) of one kind, tied to a case and a case step (the workflow action
  during which it was made) and to its officers. Append-only: a correction is a new `Record` whose
  `supersedes` names the previous version; the old version stays readable.
- `EvidenceFile`: a captured file (photo, audio, video, document, scan) linked to a case, optionally to
  a step and a record; the bytes live once in core's content-addressed store (`core.StoredFile`).
  Append-only; the `records.file_captured` ledger act recorded the capture.
- `UploadSession`: a chunked, resumable upload in progress (the only mutable row here).
- `EvidenceItem` / `EvidenceExclusion`: the case's evidence list (证据清单, 行政处罚法 Art.46); an
  exclusion or reinstatement is a new `EvidenceExclusion` row, so the history is kept.
- `AvRule`: which case steps require whole-process audio-video recording (configuration).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import AppendOnlyQuerySet


class AppendOnly(models.Model):
    """Rows written once: `save` refuses an update, `delete` is refused."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__} is append-only")


class Classification(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")
    SENSITIVE = "sensitive", _("sensitive (trade secrets, personal privacy)")


class RecordKind(models.TextChoices):
    INTERVIEW = "interview", _("interview record")
    INSPECTION = "inspection", _("site inspection record")
    STATEMENT = "statement", _("statement and defence record")
    HEARING = "hearing", _("hearing record")


class SignatureStatus(models.TextChoices):
    SIGNED = "signed", _("signed")
    REFUSED = "refused", _("signature refused (noted)")
    ABSENT = "absent", _("not signed (person absent)")


class Record(AppendOnly):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RecordKind.choices)
    action = models.CharField(_("case step"), max_length=40)
    series = models.UUIDField(_("series"), default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255)
    in_case_room = models.BooleanField(_("in the agency's case-handling room"), default=False)
    officers = models.ManyToManyField("org.Officer", related_name="+", verbose_name=_("officers"))
    content = models.JSONField(_("content"), default=dict)
    signature = models.CharField(_("signature"), max_length=16, choices=SignatureStatus.choices)
    signature_note = models.CharField(_("signature note"), max_length=255, blank=True)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "pk"]
        verbose_name = _("text record")
        verbose_name_plural = _("text records")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} v{self.version}"


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    AUDIO = "audio", _("audio")
    VIDEO = "video", _("video")
    DOCUMENT = "document", _("document")
    SCAN = "scan", _("scan")
    OTHER = "other", _("other")


AV_KINDS = (MediaKind.AUDIO, MediaKind.VIDEO)


class EvidenceFile(AppendOnly):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    stored = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    media_kind = models.CharField(_("media kind"), max_length=16, choices=MediaKind.choices)
    action = models.CharField(_("case step"), max_length=40, blank=True)
    record = models.ForeignKey(
        Record,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
        verbose_name=_("record"),
    )
    device = models.CharField(_("capture device"), max_length=120, blank=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    place = models.CharField(_("capture place"), max_length=255, blank=True)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    deduplicated = models.BooleanField(_("bytes already in the store"), default=False)
    delivery_ref = models.CharField(
        _("delivery"),
        max_length=64,
        blank=True,
        help_text=_("for the signed scan of a delivery receipt (送达回证): the delivery it belongs to"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.filename


class UploadStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    COMPLETE = "complete", _("complete")
    FAILED = "failed", _("failed")


class UploadSession(models.Model):
    """A chunked upload in progress: the bytes received so far sit in a spool file of the store."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, blank=True)
    media_kind = models.CharField(max_length=16, choices=MediaKind.choices)
    size = models.BigIntegerField()
    expected_digest = models.CharField(max_length=64, blank=True)
    received = models.BigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=UploadStatus.choices, default=UploadStatus.OPEN)
    failure = models.TextField(blank=True)
    action = models.CharField(max_length=40, blank=True)
    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    device = models.CharField(max_length=120, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=255, blank=True)
    classification = models.CharField(
        max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    evidence_file = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("upload session")

    def __str__(self) -> str:
        return f"{self.filename} {self.received}/{self.size}"


class EvidenceKind(models.TextChoices):
    """The kinds of evidence of 行政处罚法 Art.46."""

    DOCUMENTARY = "documentary", _("documentary evidence")
    PHYSICAL = "physical", _("physical evidence")
    AUDIOVISUAL = "audiovisual", _("audio-visual material")
    ELECTRONIC = "electronic", _("electronic data")
    WITNESS = "witness", _("witness testimony")
    PARTY_STATEMENT = "party_statement", _("statement of the party")
    EXPERT_OPINION = "expert_opinion", _("expert opinion")
    INSPECTION_RECORD = "inspection_record", _("inspection or on-site record")


class EvidenceItem(AppendOnly):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind of evidence"), max_length=24, choices=EvidenceKind.choices)
    title = models.CharField(_("name"), max_length=200)
    proves = models.TextField(_("what it proves"))
    source = models.CharField(_("source"), max_length=255)
    collected_by = models.ManyToManyField("org.Officer", related_name="+", verbose_name=_("collected by"))
    collected_on = models.DateField(_("collected on"))
    files = models.ManyToManyField(EvidenceFile, blank=True, related_name="items", verbose_name=_("files"))
    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("record")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "number"]
        verbose_name = _("evidence item")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="records_evidence_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class EvidenceExclusion(AppendOnly):
    """An evidence item excluded (excluded=True) or reinstated; the latest row decides."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="exclusions")
    excluded = models.BooleanField(default=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "pk"]
        verbose_name = _("evidence exclusion")

    def __str__(self) -> str:
        return f"{self.item_id} {'excluded' if self.excluded else 'reinstated'}"


class AvRequirement(models.TextChoices):
    REQUIRED = "required", _("required")
    AS_NEEDED = "as_needed", _("as needed")
    OFF = "off", _("not required")


class AvRule(models.Model):
    """Whole-process audio-video recording for one case step (国办发〔2018〕118号, local rules).

    `action` is the case workflow action the rule gates. `when` narrows it by the action's data
    (e.g. {"method": ["left_at_residence"]} for 留置送达). With `record_kind` set, the rule asks
    for AV on every record of that kind made in the agency's case-handling room (执法办案场所),
    checked before `action`.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("step"), max_length=100)
    action = models.CharField(_("case action gated"), max_length=40)
    when = models.JSONField(_("condition on the action's data"), default=dict, blank=True)
    record_kind = models.CharField(_("record kind"), max_length=16, choices=RecordKind.choices, blank=True)
    requirement = models.CharField(_("requirement"), max_length=16, choices=AvRequirement.choices)
    basis = models.CharField(_("basis"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("audio-video rule")

    def __str__(self) -> str:
        return f"{self.label} ({self.get_requirement_display()})"


class ArchivePackage(AppendOnly):
    """A case-file archive package (案卷归档包): a ZIP kept in the content-addressed store.

    Built by `records.services.archive.archive_build` for a closed case; the `records.case_archived`
    ledger act carries the ZIP's digest. A case may have several packages (a rebuild after a
    correction); the newest is the one handed to the archive.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    stored = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    manifest_digest = models.CharField(_("digest of the manifest"), max_length=64)
    items = models.PositiveIntegerField(_("items"))
    ledger_seq = models.BigIntegerField(_("ledger head sequence at archiving"))
    ledger_hash = models.CharField(_("ledger head hash at archiving"), max_length=64)
    key_fingerprint = models.CharField(_("key fingerprint"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "-pk"]
        verbose_name = _("archive package")

    def __str__(self) -> str:
        return self.filename


class RetentionClass(models.TextChoices):
    """The classes of material a retention period is set for."""

    CASE_FILE = "case_file", _("case-file archive package")
    TEXT_RECORD = "text_record", _("text records")
    EVIDENCE = "evidence", _("files listed as evidence")
    AV_UNUSED = "av_unused", _("audio-video not used as evidence")
    OTHER_FILE = "other_file", _("other files")


# Defaults (years after closing), seeded as RetentionRule rows by migration records/0003:
# 《机关文件材料归档范围和文书档案保管期限规定》 (定期30年 for penalty case files), 国办发〔2018〕118号
# (audio-video not used as evidence: at least 6 months; here 1 year).
DEFAULT_RETENTION: dict[str, tuple[int, str]] = {
    RetentionClass.CASE_FILE: (30, "《机关文件材料归档范围和文书档案保管期限规定》（定期30年）"),
    RetentionClass.TEXT_RECORD: (30, "随案卷保管（定期30年）"),
    RetentionClass.EVIDENCE: (30, "作为证据使用的，随案卷保管（国办发〔2018〕118号）"),
    RetentionClass.AV_UNUSED: (1, "不作为证据使用的音像记录保存不少于6个月（国办发〔2018〕118号）"),
    RetentionClass.OTHER_FILE: (10, "其他材料（定期10年）"),
}


class RetentionRule(models.Model):
    """How many years material of one class is kept after the case is closed (configuration)."""

    record_class = models.CharField(_("class"), max_length=20, choices=RetentionClass.choices, unique=True)
    years = models.PositiveIntegerField(_("years kept after closing"))
    basis = models.CharField(_("basis"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("retention rule")

    def __str__(self) -> str:
        return f"{self.get_record_class_display()}: {self.years}"


class ReleaseStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class RetentionRelease(models.Model):
    """A request to release an evidence file from the vault after its retention period.

    Status moves only requested → approved | refused (`records.services.retention._move`), each step a
    ledger act; the approver is a head of the agency other than the requester. An approved release
    allows the archive to dispose of the bytes by its own procedure: the application itself never
    deletes nor overwrites a stored file.
    """

    file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="releases")
    record_class = models.CharField(_("class"), max_length=20, choices=RetentionClass.choices)
    years = models.PositiveIntegerField(_("retention (years)"))
    kept_until = models.DateField(_("kept until"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("retention release")

    def __str__(self) -> str:
        return f"{self.file_id} {self.status}"
