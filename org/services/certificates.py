"""Enforcement certificates (执法证件) and legal qualifications: the security administrator's acts."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from org import policies
from org.models import (
    Certificate,
    CertificateStatus,
    EnforcementField,
    LegalQualification,
    Officer,
    RoleAssignment,
)
from org.roles import ADMIN_ROLES, Role
from org.services._common import Problems, changes, record, snapshot
from org.states import CERTIFICATE_TRANSITIONS

CERTIFICATE_FIELDS = ["number", "officer", "issuing_body", "issued_on", "expires_on", "status",
                      "status_reason"]


# The earliest issue date accepted: no enforcement certificate in use today predates it, and an
# earlier date is a typing error (0001-01-01). Issue 3 §11: invalid dates get a clear message.
EARLIEST_ISSUE_DATE = datetime.date(1990, 1, 1)
MAX_VALIDITY_YEARS_KEY = "org.certificate_max_validity_years"
DEFAULT_MAX_VALIDITY_YEARS = 10

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！…～ → !…~
_FULLWIDTH[0x3000] = 0x20  # ideographic space


def normalize_certificate_number(number: str) -> str:
    """The stored form of a certificate number: full-width ASCII made half-width, surrounding spaces
    removed, Latin letters upper-cased (赣ｚｆ３６０７ → 赣ZF3607); Chinese characters stay."""
    text = number.translate(_FULLWIDTH).strip()
    return "".join(c.upper() if c.isascii() else c for c in text)


def max_validity_years() -> int:
    """The longest validity of a certificate in years (core.LegalSetting, default 10)."""
    from core.models import LegalSetting

    value = LegalSetting.objects.filter(key=MAX_VALIDITY_YEARS_KEY).values_list("value", flat=True).first()
    try:
        years = int(str(value)) if value is not None else DEFAULT_MAX_VALIDITY_YEARS
    except ValueError:
        years = DEFAULT_MAX_VALIDITY_YEARS
    return years if 1 <= years <= 50 else DEFAULT_MAX_VALIDITY_YEARS


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_validity(problems: Problems, issued_on: datetime.date, expires_on: datetime.date) -> None:
    """A sane validity window: issued between 1990-01-01 and today, expiring after the issue date
    and at most the configured number of years later."""
    today = timezone.localdate()
    if issued_on < EARLIEST_ISSUE_DATE:
        problems.add("issued_on", _("The issue date cannot be before %(earliest)s; check the date on "
                                    "the certificate.") % {"earliest": EARLIEST_ISSUE_DATE.isoformat()})
    elif issued_on > today:
        problems.add("issued_on", _("The issue date cannot be in the future; record the certificate "
                                    "once it has been issued."))
    if expires_on <= issued_on:
        problems.add("expires_on", _("The expiry date must be after the issue date (%(issued)s).")
                     % {"issued": issued_on.isoformat()})
    else:
        years = max_validity_years()
        latest = _add_years(issued_on, years)
        if expires_on > latest:
            problems.add("expires_on", _(
                "A certificate is valid for at most %(years)d years: the expiry date must be on or "
                "before %(latest)s."
            ) % {"years": years, "latest": latest.isoformat()})


def _admin_refusal(officer: Officer) -> DomainError | None:
    """等保2.0 三员分立: an administrator holds no enforcement role, hence no enforcement certificate."""
    held = {Role(r) for r in RoleAssignment.objects.filter(officer=officer).values_list("role", flat=True)}
    admin_held = held & ADMIN_ROLES
    if not admin_held:
        return None
    message = _(
        "%(name)s is %(roles)s and may not hold a valid enforcement certificate (等保2.0 三员分立: "
        "administrators perform no enforcement acts). Revoke the administrator role first, or issue "
        "the certificate to an enforcement officer."
    ) % {"name": officer.name, "roles": "、".join(str(r.label) for r in sorted(admin_held))}
    return DomainError(message, code="separation_of_duties", basis="等保2.0 三员分立",
                       field_errors={"officer": [message]})


def _cert_snapshot(cert: Certificate) -> dict[str, Any]:
    return {**snapshot(cert, CERTIFICATE_FIELDS),
            "fields": sorted(cert.fields.values_list("code", flat=True))}


def certificate_issue(
    *, actor: Any, officer: Officer, number: str, issuing_body: str, field_codes: Sequence[str],
    issued_on: datetime.date, expires_on: datetime.date,
) -> Certificate:
    """Issue an enforcement certificate (行政处罚法 Art.42: 执法资格); numbers are unique."""
    policies.ensure(actor, "issue_certificate", officer)
    number = normalize_certificate_number(number)
    problems = Problems()
    if not number:
        problems.add("number", _("The certificate number is required."))
    if not issuing_body.strip():
        problems.add("issuing_body", _("The issuing body is required."))
    _check_validity(problems, issued_on, expires_on)
    codes = sorted(set(field_codes))
    fields = list(EnforcementField.objects.filter(code__in=codes, active=True))
    unknown = sorted(set(codes) - {f.code for f in fields})
    if not codes:
        problems.add("fields", _("Choose at least one field of enforcement the certificate covers."))
    elif unknown:
        problems.add("fields", _("Unknown field(s) of enforcement: %(codes)s.")
                     % {"codes": "、".join(unknown)})
    if officer.is_auxiliary:
        problems.add("officer", _("Auxiliary staff (执法辅助人员) receive no enforcement certificate "
                                  "(行政处罚法 Art.42); they assist certified officers."))
    if not officer.active:
        problems.add("officer", _("%(name)s is not an active officer.") % {"name": officer.name})
    problems.raise_if_any()
    with transaction.atomic():
        # Lock the officer so that a concurrent grant of an administrator role waits for this act.
        Officer.objects.select_for_update().filter(pk=officer.pk).first()
        refusal = _admin_refusal(officer)
        if refusal is not None:
            raise refusal
        holder = Certificate.objects.select_related("officer").filter(number__iexact=number).first()
        if holder is not None:
            raise Conflict(_(
                "Certificate number %(number)s is already recorded for %(name)s; each certificate "
                "number is unique. Check the number on the certificate."
            ) % {"number": number, "name": holder.officer.name}, code="duplicate_certificate_number",
                field_errors={"number": [_("This certificate number is already recorded.")]})
        cert = Certificate.objects.create(
            number=number, officer=officer, issuing_body=issuing_body.strip(), issued_on=issued_on,
            expires_on=expires_on,
        )
        cert.fields.set(fields)
        record(actor=actor, act="org.certificate_issued", obj=cert, agency_id=officer.agency_id,
               payload={"new": _cert_snapshot(cert)})
    return cert


def _move(*, actor: Any, certificate: Certificate, to: str, reason: str, act: str) -> Certificate:
    """The only code that changes a certificate's status (table in org.states)."""
    policies.ensure(actor, "change_certificate", certificate)
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().select_related("officer").get(pk=certificate.pk)
        if cert.status == to:
            return cert
        if to not in CERTIFICATE_TRANSITIONS[cert.status]:
            raise DomainError(_(
                "A %(old)s certificate cannot become %(new)s: a revoked certificate stays revoked; "
                "issue a new certificate instead."
            ) % {"old": CertificateStatus(cert.status).label, "new": CertificateStatus(to).label},
                code="certificate_transition")
        if to == CertificateStatus.VALID:
            Officer.objects.select_for_update().filter(pk=cert.officer_id).first()
            refusal = _admin_refusal(cert.officer)
            if refusal is not None:
                raise refusal
        old = {"status": cert.status, "status_reason": cert.status_reason}
        cert.status, cert.status_reason = to, reason.strip()
        cert.save(update_fields=["status", "status_reason", "updated_at"])
        new = {"status": cert.status, "status_reason": cert.status_reason}
        record(actor=actor, act=act, obj=cert, agency_id=cert.officer.agency_id,
               payload={"changes": changes(old, new)})
    return cert


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise DomainError(_("Give the reason; it is recorded and shown with the certificate."),
                          code="reason_required", field_errors={"reason": [_("This field is required.")]})


def certificate_suspend(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Suspend (暂扣) a certificate: its holder may not act until it is reinstated."""
    _require_reason(reason)
    return _move(actor=actor, certificate=certificate, to=CertificateStatus.SUSPENDED, reason=reason,
                 act="org.certificate_suspended")


def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke (吊销/注销) a certificate for good."""
    _require_reason(reason)
    return _move(actor=actor, certificate=certificate, to=CertificateStatus.REVOKED, reason=reason,
                 act="org.certificate_revoked")


def certificate_reinstate(*, actor: Any, certificate: Certificate, reason: str = "") -> Certificate:
    """Lift a suspension."""
    return _move(actor=actor, certificate=certificate, to=CertificateStatus.VALID, reason=reason,
                 act="org.certificate_reinstated")


def certificate_renew(*, actor: Any, certificate: Certificate, expires_on: datetime.date) -> Certificate:
    """Extend a certificate's validity (换证/年审); a revoked certificate cannot be renewed."""
    policies.ensure(actor, "change_certificate", certificate)
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().select_related("officer").get(pk=certificate.pk)
        if cert.status == CertificateStatus.REVOKED:
            raise DomainError(_("A revoked certificate cannot be renewed; issue a new certificate."),
                              code="certificate_transition")
        Officer.objects.select_for_update().filter(pk=cert.officer_id).first()
        refusal = _admin_refusal(cert.officer)
        if refusal is not None:
            raise refusal
        if expires_on <= cert.expires_on:
            raise DomainError(_("The new expiry date must be after the current one (%(end)s).")
                              % {"end": cert.expires_on.isoformat()}, code="validation_failed",
                              field_errors={"expires_on": [_("Must be after the current expiry date.")]})
        latest = _add_years(timezone.localdate(), max_validity_years())
        if expires_on > latest:
            years = max_validity_years()
            raise DomainError(_(
                "A certificate is valid for at most %(years)d years: the new expiry date must be on "
                "or before %(latest)s."
            ) % {"years": years, "latest": latest.isoformat()}, code="validation_failed",
                field_errors={"expires_on": [_("At most %(years)d years from today.") % {"years": years}]})
        old = cert.expires_on
        cert.expires_on = expires_on
        cert.save(update_fields=["expires_on", "updated_at"])
        record(actor=actor, act="org.certificate_renewed", obj=cert, agency_id=cert.officer.agency_id,
               payload={"changes": {"expires_on": {"old": old.isoformat(), "new": expires_on.isoformat()}}})
    return cert


def qualification_record(
    *, actor: Any, officer: Officer, certificate_number: str, obtained_on: datetime.date
) -> LegalQualification:
    """Record a 法律职业资格 (needed by first-time legal reviewers, 行政处罚法 Art.58)."""
    policies.ensure(actor, "record_qualification", officer)
    number = certificate_number.strip()
    problems = Problems()
    if not number:
        problems.add("certificate_number", _("The qualification certificate number is required."))
    if obtained_on > timezone.localdate():
        problems.add("obtained_on", _("The date obtained cannot be in the future."))
    problems.raise_if_any()
    with transaction.atomic():
        if LegalQualification.objects.filter(certificate_number=number).exists():
            raise Conflict(_("Qualification certificate %(number)s is already recorded.")
                           % {"number": number},
                           code="duplicate_qualification_number",
                           field_errors={"certificate_number": [_("Already recorded.")]})
        qual = LegalQualification.objects.create(officer=officer, certificate_number=number,
                                                 obtained_on=obtained_on)
        record(actor=actor, act="org.qualification_recorded", obj=qual, agency_id=officer.agency_id,
               payload={"new": snapshot(qual, ["officer", "certificate_number", "obtained_on"])})
    return qual
