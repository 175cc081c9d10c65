"""Reviewer findings on certificates: administrators (三员分立), number normalisation, date window."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, DomainError, ValidationFailed
from core.models import LegalSetting
from org import services
from org.models import Certificate, CertificateStatus
from org.roles import Role
from org.services.certificates import normalize_certificate_number
from org.tests.factories import CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def issue(actor, officer, **kw):
    args = {
        "number": "赣ZF3607220001",
        "issuing_body": "江西省人民政府",
        "field_codes": ["land"],
        "issued_on": TODAY - datetime.timedelta(days=30),
        "expires_on": TODAY + datetime.timedelta(days=365),
    }
    args.update(kw)
    return services.certificate_issue(actor=actor, officer=officer, **args)


# --- 1. administrators hold no enforcement certificate (等保2.0 三员分立) -----------------------


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_given_administrator_when_certificate_issued_then_refused_naming_the_rule(tree, security_admin, role):
    admin = OfficerFactory(agency=tree["county"], roles=[role])
    with pytest.raises(DomainError) as exc:
        issue(security_admin, admin)
    assert exc.value.code == "separation_of_duties"
    assert "三员分立" in exc.value.message and "等保2.0" in exc.value.message
    assert not Certificate.objects.filter(officer=admin).exists()


def test_given_administrator_with_old_certificate_when_renewed_or_reinstated_then_refused(
    tree, security_admin
):
    admin = OfficerFactory(agency=tree["county"], roles=[Role.AUDIT_ADMIN])
    suspended = CertificateFactory(officer=admin, status=CertificateStatus.SUSPENDED, status_reason="x")
    with pytest.raises(DomainError) as exc:
        services.certificate_reinstate(actor=security_admin, certificate=suspended)
    assert exc.value.code == "separation_of_duties" and "三员分立" in exc.value.message
    expired = CertificateFactory(officer=admin, expires_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        services.certificate_renew(
            actor=security_admin, certificate=expired, expires_on=TODAY + datetime.timedelta(days=365)
        )
    assert exc.value.code == "separation_of_duties"
    # Suspending or revoking an administrator's certificate stays possible (tidying up).
    services.certificate_revoke(actor=security_admin, certificate=suspended, reason="三员分立")


def test_given_officer_with_valid_certificate_when_admin_role_granted_then_refused(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"], roles=[], certified_fields=["land"])
    with pytest.raises(DomainError) as exc:
        services.role_grant(actor=security_admin, officer=officer, role=Role.AUDIT_ADMIN)
    assert exc.value.code == "separation_of_duties" and "三员分立" in exc.value.message
    assert officer.certificates.get().number in exc.value.message
    # Once the certificate is revoked, the officer may become an administrator.
    services.certificate_revoke(actor=security_admin, certificate=officer.certificates.get(), reason="转岗")
    services.role_grant(actor=security_admin, officer=officer, role=Role.AUDIT_ADMIN)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_given_administrator_with_certificate_then_may_not_enforce(role):
    admin = OfficerFactory(roles=[role], certified_fields=["land"])  # written past the services
    verdict = services.officer_may_enforce(officer=admin, field_code="land", on=TODAY)
    assert not verdict.allowed and verdict.code == "administrator" and "三员分立" in verdict.reason


def test_given_officer_without_enforcement_role_then_may_not_enforce():
    officer = OfficerFactory(roles=[], certified_fields=["land"], name="王五")
    verdict = services.officer_may_enforce(officer=officer, field_code="land", on=TODAY)
    assert not verdict.allowed and verdict.code == "no_enforcement_role"
    assert "王五" in verdict.reason and "执法" in str(verdict.reason)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR])
def test_given_any_enforcement_role_with_certificate_then_may_enforce(role):
    officer = OfficerFactory(roles=[role], certified_fields=["land"])
    assert services.officer_may_enforce(officer=officer, field_code="land", on=TODAY).allowed


def test_given_administrator_among_investigators_then_not_counted():
    a = OfficerFactory(certified_fields=["land"])
    admin = OfficerFactory(agency=a.agency, roles=[Role.SYSTEM_ADMIN], certified_fields=["land"])
    verdict = services.officers_may_investigate(officers=[a, admin], field_code="land", on=TODAY)
    assert not verdict.allowed and not verdict.per_officer[admin.pk].allowed


# --- 2. certificate numbers: one number, whatever the letter case or width -------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (" 赣zf3607220001 ", "赣ZF3607220001"),
        ("赣ＺＦ３６０７２２０００１", "赣ZF3607220001"),
        ("赣Zf3607220001\u3000", "赣ZF3607220001"),
    ],
)
def test_normalize_certificate_number(raw, stored):
    assert normalize_certificate_number(raw) == stored


def test_given_number_differing_in_case_or_width_when_issued_then_duplicate(tree, security_admin):
    first = issue(security_admin, OfficerFactory(agency=tree["county"]), number="赣zf3607220001")
    assert first.number == "赣ZF3607220001"
    for other in ("赣ZF3607220001", "赣ｚｆ３６０７２２０００１"):
        with pytest.raises(Conflict) as exc:
            issue(security_admin, OfficerFactory(agency=tree["county"]), number=other)
        assert exc.value.code == "duplicate_certificate_number"


def test_database_refuses_numbers_differing_only_in_case():
    CertificateFactory(number="赣ZF0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(number="赣zf0001")


# --- 3. a sane validity window ----------------------------------------------------------------


def test_given_absurd_dates_when_issued_then_field_errors_in_chinese(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    with pytest.raises(ValidationFailed) as exc:
        issue(
            security_admin, officer, issued_on=datetime.date(1, 1, 1), expires_on=datetime.date(9999, 12, 31)
        )
    assert set(exc.value.field_errors) == {"issued_on", "expires_on"}
    assert "1990-01-01" in exc.value.field_errors["issued_on"][0]
    assert "10" in exc.value.field_errors["expires_on"][0]


def test_given_issue_date_in_future_when_issued_then_refused(tree, security_admin):
    with pytest.raises(ValidationFailed) as exc:
        issue(
            security_admin,
            OfficerFactory(agency=tree["county"]),
            issued_on=TODAY + datetime.timedelta(days=1),
            expires_on=TODAY + datetime.timedelta(days=400),
        )
    assert set(exc.value.field_errors) == {"issued_on"}


def test_given_exactly_max_validity_then_accepted_and_one_day_more_refused(tree, security_admin):
    issued = datetime.date(2020, 3, 1)
    issue(
        security_admin,
        OfficerFactory(agency=tree["county"]),
        number="A1",
        issued_on=issued,
        expires_on=datetime.date(2030, 3, 1),
    )
    with pytest.raises(ValidationFailed):
        issue(
            security_admin,
            OfficerFactory(agency=tree["county"]),
            number="A2",
            issued_on=issued,
            expires_on=datetime.date(2030, 3, 2),
        )


def test_max_validity_is_a_legal_setting(tree, security_admin):
    LegalSetting.objects.filter(key="org.certificate_max_validity_years").update(value=5)
    with pytest.raises(ValidationFailed) as exc:
        issue(
            security_admin,
            OfficerFactory(agency=tree["county"]),
            issued_on=datetime.date(2020, 1, 1),
            expires_on=datetime.date(2026, 1, 1),
        )
    assert "5" in exc.value.field_errors["expires_on"][0]


def test_given_absurd_expiry_when_renewed_then_refused(tree, security_admin):
    c = CertificateFactory(officer=OfficerFactory(agency=tree["county"]))
    with pytest.raises(DomainError) as exc:
        services.certificate_renew(
            actor=security_admin, certificate=c, expires_on=datetime.date(9999, 12, 31)
        )
    assert "expires_on" in exc.value.field_errors
