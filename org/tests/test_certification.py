import datetime

import pytest

from core.errors import Conflict, DomainError, ValidationFailed
from core.models import LedgerEntry
from org import selectors, services
from org.models import CertificateStatus
from org.tests.factories import CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 6, 1)


def cert(officer, **kw):
    kw.setdefault("issued_on", datetime.date(2025, 1, 1))
    kw.setdefault("expires_on", datetime.date(2027, 12, 31))
    return CertificateFactory(officer=officer, **kw)


def test_given_valid_certificate_for_field_then_may_enforce():
    officer = OfficerFactory()
    c = cert(officer, fields=["land"])
    verdict = services.officer_may_enforce(officer=officer, field_code="land", on=D)
    assert verdict.allowed and verdict.certificate == c


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda o: None, "no_certificate"),
        (lambda o: cert(o, fields=["mineral"]), "no_certificate"),
        (lambda o: cert(o, expires_on=datetime.date(2026, 5, 31)), "certificate_expired"),
        (lambda o: cert(o, issued_on=datetime.date(2026, 6, 2)), "certificate_not_yet_valid"),
        (
            lambda o: cert(o, status=CertificateStatus.SUSPENDED, status_reason="违纪调查"),
            "certificate_suspended",
        ),
        (lambda o: cert(o, status=CertificateStatus.REVOKED), "certificate_revoked"),
    ],
)
def test_given_no_usable_certificate_then_may_not_enforce_with_reason(setup, code):
    officer = OfficerFactory(name="张三")
    setup(officer)
    verdict = services.officer_may_enforce(officer=officer, field_code="land", on=D)
    assert not verdict.allowed and verdict.code == code
    assert "张三" in verdict.reason and "42" in verdict.reason


def test_given_certificate_valid_on_last_day_then_may_enforce_that_day_only():
    officer = OfficerFactory()
    cert(officer, expires_on=D)
    assert services.officer_may_enforce(officer=officer, field_code="land", on=D).allowed
    assert not services.officer_may_enforce(
        officer=officer, field_code="land", on=D + datetime.timedelta(1)
    ).allowed


def test_given_inactive_or_auxiliary_officer_then_may_not_enforce():
    inactive = OfficerFactory(active=False)
    cert(inactive)
    assert services.officer_may_enforce(officer=inactive, field_code="land", on=D).code == "officer_inactive"
    aux = OfficerFactory(is_auxiliary=True)
    cert(aux)
    assert services.officer_may_enforce(officer=aux, field_code="land", on=D).code == "auxiliary"


def test_given_unknown_field_then_refused():
    assert (
        services.officer_may_enforce(officer=OfficerFactory(), field_code="xx", on=D).code == "unknown_field"
    )


def test_given_two_certified_officers_then_may_investigate_and_one_is_not_enough():
    a, b, c = OfficerFactory(), OfficerFactory(), OfficerFactory()
    cert(a)
    cert(b)
    assert services.officers_may_investigate(officers=[a, b], field_code="land", on=D).allowed
    verdict = services.officers_may_investigate(officers=[a, a, c], field_code="land", on=D)
    assert not verdict.allowed and "55" in verdict.reason
    assert verdict.per_officer[a.pk].allowed and not verdict.per_officer[c.pk].allowed


def test_certificates_expiring_lists_only_valid_within_window():
    officer = OfficerFactory()
    soon = cert(officer, expires_on=D + datetime.timedelta(days=10))
    cert(officer, expires_on=D + datetime.timedelta(days=40))
    cert(officer, expires_on=D + datetime.timedelta(days=5), status=CertificateStatus.SUSPENDED)
    cert(officer, expires_on=D - datetime.timedelta(days=1))
    assert list(services.certificates_expiring(agency=officer.agency, today=D)) == [soon]


def test_given_duplicate_number_when_issued_then_refused(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    cert(officer, number="浙A0001")
    with pytest.raises(Conflict) as exc:
        services.certificate_issue(
            actor=security_admin,
            officer=officer,
            number="浙A0001",
            issuing_body="省政府",
            field_codes=["land"],
            issued_on=D,
            expires_on=D.replace(year=2029),
        )
    assert exc.value.code == "duplicate_certificate_number" and "浙A0001" in exc.value.message


def test_given_bad_dates_and_unknown_field_when_issued_then_every_problem_listed(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    with pytest.raises(ValidationFailed) as exc:
        services.certificate_issue(
            actor=security_admin,
            officer=officer,
            number="N1",
            issuing_body="省政府",
            field_codes=["nope"],
            issued_on=D,
            expires_on=D,
        )
    assert set(exc.value.field_errors) == {"expires_on", "fields"}


def test_certificate_lifecycle_is_recorded_and_revoked_is_final(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    c = services.certificate_issue(
        actor=security_admin,
        officer=officer,
        number="N2",
        issuing_body="省政府",
        field_codes=["land", "mineral"],
        issued_on=D,
        expires_on=D.replace(year=2029),
    )
    services.certificate_suspend(actor=security_admin, certificate=c, reason="调查中")
    assert not services.officer_may_enforce(officer=officer, field_code="land", on=D).allowed
    services.certificate_reinstate(actor=security_admin, certificate=c)
    assert services.officer_may_enforce(officer=officer, field_code="mineral", on=D).allowed
    services.certificate_renew(actor=security_admin, certificate=c, expires_on=D.replace(year=2030))
    services.certificate_revoke(actor=security_admin, certificate=c, reason="调离执法岗位")
    with pytest.raises(DomainError) as exc:
        services.certificate_reinstate(actor=security_admin, certificate=c)
    assert exc.value.code == "certificate_transition"
    acts = list(LedgerEntry.objects.filter(act__startswith="org.certificate").values_list("act", flat=True))
    assert acts == [
        "org.certificate_issued",
        "org.certificate_suspended",
        "org.certificate_reinstated",
        "org.certificate_renewed",
        "org.certificate_revoked",
    ]


def test_given_no_reason_when_suspended_then_refused(tree, security_admin):
    c = cert(OfficerFactory(agency=tree["county"]))
    with pytest.raises(DomainError) as exc:
        services.certificate_suspend(actor=security_admin, certificate=c, reason=" ")
    assert exc.value.code == "reason_required"


def test_qualification_recorded_once(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    services.qualification_record(
        actor=security_admin, officer=officer, certificate_number="A1", obtained_on=datetime.date(2020, 1, 1)
    )
    with pytest.raises(Conflict):
        services.qualification_record(
            actor=security_admin,
            officer=officer,
            certificate_number="A1",
            obtained_on=datetime.date(2020, 1, 1),
        )


def test_public_officers_show_only_public_fields():
    officer = OfficerFactory(name="李四", phone="13912345678")
    cert(officer, number="PUB1", fields=["land"])
    OfficerFactory(is_auxiliary=True, certified_fields=["land"])
    rows = selectors.public_officers(agency_ids=[officer.agency_id], on=D)
    assert rows == [
        {
            "name": "李四",
            "certificate_number": "PUB1",
            "fields": ["土地管理"],
            "status": "valid",
            "agency": officer.agency.name,
            "agency_code": officer.agency.code,
        }
    ]
