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
from org.models import Certificate, CertificateStatus, EnforcementField, LegalQualification, Officer
from org.services._common import Problems, changes, record, snapshot
from org.states import CERTIFICATE_TRANSITIONS

CERTIFICATE_FIELDS = ["number", "officer", "issuing_body", "issued_on", "expires_on", "status",
                      "status_reason"]


def _cert_snapshot(cert: Certificate) -> dict[str, Any]:
    return {**snapshot(cert, CERTIFICATE_FIELDS),
            "fields": sorted(cert.fields.values_list("code", flat=True))}


def certificate_issue(
    *, actor: Any, officer: Officer, number: str, issuing_body: str, field_codes: Sequence[str],
    issued_on: datetime.date, expires_on: datetime.date,
) -> Certificate:
    """Issue an enforcement certificate (行政处罚法 Art.42: 执法资格); numbers are unique."""
    policies.ensure(actor, "issue_certificate", officer)
    number = number.strip()
    problems = Problems()
    if not number:
        problems.add("number", _("The certificate number is required."))
    if not issuing_body.strip():
        problems.add("issuing_body", _("The issuing body is required."))
    if expires_on <= issued_on:
        problems.add("expires_on", _("The expiry date must be after the issue date (%(issued)s).")
                     % {"issued": issued_on.isoformat()})
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
        holder = Certificate.objects.select_related("officer").filter(number=number).first()
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
        if expires_on <= cert.expires_on:
            raise DomainError(_("The new expiry date must be after the current one (%(end)s).")
                              % {"end": cert.expires_on.isoformat()}, code="validation_failed",
                              field_errors={"expires_on": [_("Must be after the current expiry date.")]})
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
