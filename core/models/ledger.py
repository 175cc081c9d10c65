from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import AppendOnlyQuerySet


class LedgerEntry(models.Model):
    """One act, chained to the previous one by hash. Never updated, never deleted (DB triggers)."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)
    algorithm = models.CharField(_("hash algorithm"), max_length=16)
    recorded_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(_("agency"), null=True, blank=True, db_index=True)
    act = models.CharField(_("act"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    payload = models.TextField(_("payload (canonical JSON)"), default="{}")
    file_digest = models.CharField(_("file digest"), max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.act}"


class LedgerHead(models.Model):
    """Singleton row (pk=1) locked by every append so that the chain has one writer at a time."""

    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("ledger head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.entry_hash}"
