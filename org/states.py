"""Allowed certificate status changes: one table, enforced by org.services.certificates._move."""

from org.models import CertificateStatus

CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    CertificateStatus.VALID: frozenset({CertificateStatus.SUSPENDED, CertificateStatus.REVOKED}),
    CertificateStatus.SUSPENDED: frozenset({CertificateStatus.VALID, CertificateStatus.REVOKED}),
    CertificateStatus.REVOKED: frozenset(),
}
