"""事后公开: a decision's publication, from the unmasked draft to the public page and its withdrawal."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    MASKED = "masked", _("masked, awaiting review")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("display period ended")


PUBLIC_STATUSES = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


class Publication(models.Model):
    """One published decision. The case is known only by reference (case_id, agency_id)."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    case_id = models.PositiveBigIntegerField(_("case"), db_index=True)
    agency_id = models.PositiveBigIntegerField(_("agency"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True, db_index=True)
    party_label = models.CharField(_("party (masked)"), max_length=200, blank=True)
    category = models.CharField(_("violation type"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    due_on = models.DateField(_("publish by"))
    # Never rendered on a public page: the unmasked decision text and the party data it came with.
    original_text = models.TextField(_("original text"))
    party_data = models.JSONField(_("party data"), default=dict, blank=True)
    masked_text = models.TextField(_("masked text"), blank=True)
    findings = models.JSONField(_("masking findings"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title


class SearchEntryQuerySet(models.QuerySet["SearchEntry"]):
    """Search results that remember how to count themselves cheaply (publicity.search.capped_count):
    `count_from` is the same entries written for a count, or None to count this queryset."""

    count_from: models.QuerySet[SearchEntry] | None = None

    def _clone(self) -> SearchEntryQuerySet:
        clone: SearchEntryQuerySet = super()._clone()  # type: ignore[misc]
        clone.count_from = self.count_from
        return clone

    # a further filter makes `count_from` (written for the filters before it) wrong: drop it
    def _filter_or_exclude(self, negate: bool, args: Any, kwargs: Any) -> SearchEntryQuerySet:
        clone: SearchEntryQuerySet = super()._filter_or_exclude(negate, args, kwargs)  # type: ignore[misc]
        clone.count_from = None
        return clone

    def extra(self, *args: Any, **kwargs: Any) -> SearchEntryQuerySet:
        clone: SearchEntryQuerySet = super().extra(*args, **kwargs)  # type: ignore[assignment]
        clone.count_from = None
        return clone

    def none(self) -> SearchEntryQuerySet:
        clone: SearchEntryQuerySet = super().none()
        clone.count_from = None
        return clone


class SearchEntry(models.Model):
    """One published decision as the public search sees it: masked text only, never the original.

    `tokens` holds the text's overlapping character trigrams and each run's last two characters and
    last one (publicity.search.index_words), so that a Chinese query of any length is a phrase of
    tokens or a token's prefix: SQLite indexes it in the FTS5 table
    `publicity_search_fts` (kept in step by triggers), PostgreSQL in the generated tsvector column
    `tsv` with a GIN index (migration 0002). The row exists only while the decision is published.
    """

    publication = models.OneToOneField(Publication, on_delete=models.CASCADE, related_name="search_entry")
    public_id = models.UUIDField(unique=True)
    agency_id = models.PositiveBigIntegerField(db_index=True)
    year = models.PositiveSmallIntegerField(db_index=True)
    kind = models.CharField(max_length=40, db_index=True)
    category = models.CharField(max_length=100, blank=True, db_index=True)
    title = models.CharField(max_length=200)
    document_number = models.CharField(max_length=100, blank=True)
    party_label = models.CharField(max_length=200, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField()
    body = models.TextField()
    tokens = models.TextField()
    # title, number and text normalised (publicity.search.normalise): what a walk tests, cheaper
    # than reading the tsvector
    plain = models.TextField(default="")

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="publicity_search_recent"),
            # a year or agency filter walks only its own entries, newest first (search.filter_text)
            models.Index(fields=["year", "-published_at", "-id"], name="publicity_search_year_recent"),
            models.Index(fields=["agency_id", "-published_at", "-id"], name="publicity_search_agency_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")


class AnnualReport(models.Model):
    """年度报告: an agency's enforcement statistics for one year, computed from the data (annual.py),
    kept as a snapshot once approved so that the published figures do not move afterwards."""

    agency_id = models.PositiveBigIntegerField(_("agency"))
    year = models.PositiveSmallIntegerField(_("year"))
    data = models.JSONField(_("statistics"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=AnnualReportStatus.choices, default=AnnualReportStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "agency_id"]
        verbose_name = _("annual report")
        constraints = [models.UniqueConstraint(fields=["agency_id", "year"], name="publicity_annual_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.agency_id}"


class ViolatorRule(models.Model):
    """What qualifies a party for the public list of serious violators (国办发〔2020〕49号): rules as
    data, each with its legal basis, edited by the administrator. A decision qualifies when its fine
    reaches `min_fine` or when it imposes one of `penalty_kinds` (either criterion, if set)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    min_fine = models.DecimalField(
        _("minimum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list, blank=True)
    display_months = models.PositiveSmallIntegerField(_("display period (months)"), default=36)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("serious-violator rule")

    def __str__(self) -> str:
        return self.title


class ViolatorStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    NOTIFIED = "notified", _("party notified, objection window open")
    LISTED = "listed", _("listed")
    DROPPED = "dropped", _("not listed")
    REMOVED = "removed", _("removed")


class ViolatorEntry(models.Model):
    """One party on (or on its way to) the list of serious violators, from one published decision."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="violator_entries")
    rule = models.ForeignKey(ViolatorRule, on_delete=models.PROTECT, related_name="entries")
    agency_id = models.PositiveBigIntegerField(_("agency"), db_index=True)
    party_label = models.CharField(_("party (masked)"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=100)
    reason = models.TextField(_("public reason (masked)"))
    status = models.CharField(
        _("status"), max_length=16, choices=ViolatorStatus.choices, default=ViolatorStatus.PROPOSED
    )
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    notice_document_id = models.PositiveBigIntegerField(_("notice document"), null=True, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    objection_text = models.TextField(_("objection"), blank=True)
    objection_received_on = models.DateField(_("objection received on"), null=True, blank=True)
    objection_outcome = models.CharField(_("objection outcome"), max_length=10, blank=True)
    objection_reason = models.TextField(_("reason for the outcome"), blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    display_until = models.DateField(_("displayed until"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-listed_on", "-pk"]
        verbose_name = _("serious-violator entry")
        indexes = [models.Index(fields=["status", "-listed_on"])]

    def __str__(self) -> str:
        return f"{self.party_label} {self.decision_number}"


class CreditRepair(models.Model):
    """信用修复: the party's application to be removed early; approved or refused by the head."""

    entry = models.ForeignKey(ViolatorEntry, on_delete=models.PROTECT, related_name="repairs")
    statement = models.TextField(_("statement (rectification done, fine paid, commitment)"))
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("status"), max_length=10, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("credit repair application")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.status}"
