from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberPattern(models.Model):
    """How numbers of one document kind look for one agency, e.g. `{prefix}罚〔{year}〕{seq}号`."""

    agency_id = models.BigIntegerField(_("agency"), db_index=True)
    kind = models.CharField(_("document kind"), max_length=60)
    pattern = models.CharField(_("pattern"), max_length=120, default="{prefix}〔{year}〕{seq}号")
    prefix = models.CharField(_("prefix"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_id", "kind"], name="uniq_number_pattern")]
        verbose_name = _("number pattern")

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}: {self.pattern}"


class NumberSequence(models.Model):
    """The last number taken per agency, year and kind; locked while a number is taken."""

    agency_id = models.BigIntegerField(_("agency"))
    kind = models.CharField(_("document kind"), max_length=60)
    year = models.PositiveIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "kind", "year"], name="uniq_number_sequence")
        ]
        verbose_name = _("number sequence")

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.year}: {self.last_value}"


class IssuedNumber(models.Model):
    """Every number ever issued; unique per sequence so that no number is used twice."""

    agency_id = models.BigIntegerField(_("agency"))
    kind = models.CharField(_("document kind"), max_length=60)
    year = models.PositiveIntegerField(_("year"))
    value = models.PositiveIntegerField(_("value"))
    number = models.CharField(_("number"), max_length=120)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "kind", "year", "value"], name="uniq_issued_number")
        ]
        verbose_name = _("issued number")

    def __str__(self) -> str:
        return self.number
