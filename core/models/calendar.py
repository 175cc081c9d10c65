from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped


class CalendarYear(TimeStamped):
    """Which source a year's calendar comes from: the official notice, or computed provisionally."""

    class Source(models.TextChoices):
        OFFICIAL = "official", _("official")
        PROVISIONAL = "provisional", _("provisional")

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    notice = models.CharField(_("official notice"), max_length=200, blank=True)
    # Bumped on every change to the year's days: the per-process calendar cache compares the sum.
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")

    def __str__(self) -> str:
        return f"{self.year} ({self.source})"


class WorkdayOverride(TimeStamped):
    """A day whose status differs from the plain week: a holiday on a weekday, or a make-up workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day override")

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"
