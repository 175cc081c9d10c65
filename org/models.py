"""Organisation: agencies (province → city → county), departments, officers, roles, certificates.

Nothing outside `org.services` saves these models; every change is a ledger act with old and new
values. Hierarchy reads are cheap because each agency stores its materialised `path`
("/1/4/9/": the ids from the root down to itself), so "an agency and all its descendants" is one
indexed `path__startswith` query.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models.base import TimeStamped
from org.roles import Role


class User(AbstractUser):
    """A login. Enforcement identity (agency, roles, certificates) lives on Officer."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")


# Lower rank = higher in the hierarchy; a parent's rank must be strictly lower than its child's.
LEVEL_RANK: dict[str, int] = {AgencyLevel.PROVINCE: 0, AgencyLevel.CITY: 1, AgencyLevel.COUNTY: 2}


class Agency(TimeStamped):
    """执法机关 / 执法主体: the body that holds enforcement power and publishes itself."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.CharField(_("code"), max_length=50, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent agency"),
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False, default="")
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("public phone"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:agency_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent (excluding self)."""
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]


class DepartmentKind(models.TextChoices):
    ENFORCEMENT_BRIGADE = "enforcement_brigade", _("enforcement and inspection brigade")
    LEGAL_AFFAIRS = "legal_affairs", _("legal affairs section")
    APPROVAL = "approval", _("administrative approval section")
    OFFICE = "office", _("office")
    BUSINESS = "business", _("business section")
    STATION = "station", _("natural resources station")
    OTHER = "other", _("other")


class Department(TimeStamped):
    """科室、股室、所: a unit inside an agency; cases and rankings are per department."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="departments", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency_id", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="org_department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Officer(TimeStamped):
    """执法人员: a user with enforcement (or administrative) duties in exactly one agency."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="officer", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", verbose_name=_("agency")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="officers",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone (private)"), max_length=50, blank=True)
    is_auxiliary = models.BooleanField(_("auxiliary staff"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency_id", "name", "id"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        indexes = [models.Index(fields=["agency", "active"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:officer_detail", args=[self.pk])


class RoleAssignment(models.Model):
    """One role held by one officer. Revoking deletes the row; the ledger keeps the history."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("officer")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        ordering = ["officer_id", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["officer", "role"], name="org_roleassignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_role_display()}"


class EnforcementField(models.Model):
    """执法领域: a field of enforcement a certificate covers (土地管理, 矿产资源 …)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("field of enforcement")
        verbose_name_plural = _("fields of enforcement")

    def __str__(self) -> str:
        return self.name


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")


class Certificate(TimeStamped):
    """执法证件: without a valid certificate for the field, no enforcement act."""

    number = models.CharField(_("certificate number"), max_length=50, unique=True)
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("officer")
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    fields = models.ManyToManyField(
        EnforcementField, related_name="certificates", verbose_name=_("fields of enforcement")
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_reason = models.TextField(_("reason for status"), blank=True)

    class Meta:
        ordering = ["officer_id", "-expires_on"]
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        indexes = [models.Index(fields=["status", "expires_on"])]
        constraints = [
            # 赣ZF3607220001 and 赣zf3607220001 are the same certificate (the services also store
            # numbers normalised: org.services.certificates.normalize_certificate_number).
            models.UniqueConstraint(Upper("number"), name="org_certificate_number_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_current_on(self, on: datetime.date) -> bool:
        return self.status == CertificateStatus.VALID and self.issued_on <= on <= self.expires_on


class LegalQualification(TimeStamped):
    """法律职业资格: held by legal reviewers (first-time reviewers must hold it, Art.58)."""

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="legal_qualifications", verbose_name=_("officer")
    )
    certificate_number = models.CharField(_("qualification certificate number"), max_length=50, unique=True)
    obtained_on = models.DateField(_("obtained on"))

    class Meta:
        ordering = ["officer_id", "obtained_on"]
        verbose_name = _("legal professional qualification")
        verbose_name_plural = _("legal professional qualifications")

    def __str__(self) -> str:
        return self.certificate_number
