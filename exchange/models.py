"""数据汇聚: the batches an agency exported upward (stored, so the same cursor always yields the same
bytes) and, on a higher-level instance, what it received from its subordinate agencies.

Nothing outside `exchange.services` saves these models; every batch made or received is a ledger act.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportBatch(models.Model):
    """The agency's changes between two ledger cursors, as stored NDJSON bytes."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    since = models.BigIntegerField(_("from ledger sequence (exclusive)"))
    until = models.BigIntegerField(_("to ledger sequence (inclusive)"))
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    size = models.BigIntegerField(_("size in bytes"))
    count = models.BigIntegerField(_("records"))
    counts = models.JSONField(_("records per kind"), default=dict)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["agency_id", "since"]
        verbose_name = _("export batch")
        constraints = [models.UniqueConstraint(fields=["agency", "since"], name="exchange_export_once")]

    def __str__(self) -> str:
        return f"{self.agency_id}: ({self.since}, {self.until}]"


class ReceivedBatch(models.Model):
    """A subordinate agency's batch as this instance received it."""

    receiver = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    since = models.BigIntegerField(_("from ledger sequence (exclusive)"))
    until = models.BigIntegerField(_("to ledger sequence (inclusive)"))
    digest = models.CharField(_("SHA-256 of the bytes"), max_length=64)
    count = models.BigIntegerField(_("records"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["source_id", "since"]
        verbose_name = _("received batch")
        constraints = [models.UniqueConstraint(fields=["source", "since"], name="exchange_received_once")]

    def __str__(self) -> str:
        return f"{self.source_id}: ({self.since}, {self.until}]"


class ReceivedRecord(models.Model):
    """The latest state of one record of a subordinate agency (upserted by each batch)."""

    source = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16)
    ref = models.CharField(_("identifier at the source"), max_length=64)
    period = models.CharField(_("period"), max_length=7)
    digest = models.CharField(_("SHA-256 of the record"), max_length=64)
    data = models.JSONField(_("data"))
    batch = models.ForeignKey(ReceivedBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["source_id", "kind", "ref"]
        verbose_name = _("received record")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "ref"], name="exchange_received_record_once")
        ]
        indexes = [models.Index(fields=["source", "kind", "period"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class SourceKey(models.Model):
    """A subordinate agency's public key this instance trusts for its batches: pinned from the first
    signed batch received (or registered by the system administrator when the agency changes key)."""

    source = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    algorithm = models.CharField(_("signature algorithm"), max_length=12)
    public_key = models.TextField(_("public key (PEM)"))
    fingerprint = models.CharField(_("fingerprint (SHA-256 of the DER key)"), max_length=64)
    pinned_at = models.DateTimeField(_("trusted since"), auto_now_add=True)
    batch = models.ForeignKey(
        ReceivedBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["source_id", "pinned_at", "pk"]
        verbose_name = _("trusted key of a subordinate agency")
        constraints = [
            models.UniqueConstraint(fields=["source", "fingerprint"], name="exchange_source_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.fingerprint[:16]}"
