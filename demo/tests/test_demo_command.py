"""`zhifa demo` loads the sample bureau through the services, idempotently, and prints the logins."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from demo import data


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_given_an_empty_database_when_the_demo_loads_twice_then_the_bureau_exists_once_with_every_role() -> (
    None
):
    from core.models import Alert, Deadline
    from org.models import Agency, Certificate, CertificateStatus, LegalQualification, Officer

    first = run_demo()
    second = run_demo()

    county = Agency.objects.get(code=data.COUNTY["code"])
    assert county.parent.parent.code == data.PROVINCE["code"]
    assert county.departments.count() == 5
    assert Officer.objects.count() == len(data.OFFICERS)
    assert LegalQualification.objects.count() == 2
    today = timezone.localdate()
    certs = Certificate.objects.all()
    assert certs.filter(expires_on__lt=today).count() == 1
    assert certs.filter(status=CertificateStatus.SUSPENDED).count() == 1
    assert certs.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=30)).count() == 2
    sample = Deadline.objects.filter(title__in=[d[1] for d in data.DEADLINES])
    assert sample.filter(status=Deadline.Status.OVERDUE).count() == 1
    assert Alert.objects.exists()
    for username, _role in data.LOGINS:
        assert username in first and username in second
        assert get_user_model().objects.get(username=username).check_password(data.DEMO_PASSWORD)
    assert data.DEMO_PASSWORD in second


@pytest.mark.django_db
def test_given_the_demo_when_asking_an_administrators_code_then_six_digits_print() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    run_demo()
    code = run_demo("--totp", "auditadmin").strip()

    device = TOTPDevice.objects.get(user__username="auditadmin", confirmed=True)
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)


@pytest.mark.django_db
def test_given_production_settings_when_loading_the_demo_then_it_refuses() -> None:
    with override_settings(SESSION_COOKIE_SECURE=True), pytest.raises(CommandError):
        run_demo()
