from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped


class LegalSetting(TimeStamped):
    """A legal figure or policy value kept as data (LEGAL.md [V2]/[U]); every change is a ledger act."""

    key = models.CharField(_("key"), max_length=80, unique=True)
    value = models.JSONField(_("value"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("legal setting")
