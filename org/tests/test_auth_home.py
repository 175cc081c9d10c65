"""The home page's certificate panel, fed by org through settings.ZHIFA_HOME_CERTIFICATES."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from org.roles import Role
from org.tests.factories import CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def test_home_lists_my_certificates_expiring_within_30_days(client, settings):
    settings.ZHIFA_HOME_CERTIFICATES = "org.selectors.certificates_expiring_for_user"
    officer = OfficerFactory(roles=[Role.OFFICER])
    soon = timezone.localdate() + datetime.timedelta(days=10)
    CertificateFactory(officer=officer, number="ZF-SOON-1", expires_on=soon)
    CertificateFactory(officer=officer, number="ZF-LATER-2")
    colleague = OfficerFactory(agency=officer.agency, roles=[Role.OFFICER])
    CertificateFactory(officer=colleague, number="ZF-OTHER-3", expires_on=soon)
    client.force_login(officer.user)
    body = client.get(reverse("core:home")).content.decode()
    assert "我的执法证件" in body and "ZF-SOON-1" in body and "即将到期" in body
    assert soon.isoformat() in body
    assert "ZF-LATER-2" not in body and "ZF-OTHER-3" not in body


def test_home_says_so_when_no_certificate_expires_soon(client, settings):
    settings.ZHIFA_HOME_CERTIFICATES = "org.selectors.certificates_expiring_for_user"
    officer = OfficerFactory(roles=[Role.OFFICER])
    CertificateFactory(officer=officer)
    client.force_login(officer.user)
    assert "30 天内均不会到期" in client.get(reverse("core:home")).content.decode()


def test_home_leaves_the_panel_out_while_org_provides_no_hook(client, settings):
    settings.ZHIFA_HOME_CERTIFICATES = "org.selectors.no_such_function"
    officer = OfficerFactory(roles=[Role.OFFICER])
    client.force_login(officer.user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200 and "我的执法证件" not in response.content.decode()


def test_system_administrator_reaches_home_only_after_two_step_verification(client):
    from org import mfa

    admin = OfficerFactory(roles=[Role.SYSTEM_ADMIN]).user
    client.force_login(admin)
    assert client.get(reverse("core:home")).status_code == 302
    mfa.force_login_verified(client, admin)
    assert client.get(reverse("core:home")).status_code == 200
